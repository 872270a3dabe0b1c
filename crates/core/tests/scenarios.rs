//! Scripted scenarios of the protocol state machines, with golden traces.
//!
//! Each file under `tests/scenarios/<machine>/` is a script of events and, after each `---`,
//! the actions the machine returned, as text. Run `UPDATE_GOLDENFILES=1 cargo test -p
//! passcom-core --test scenarios` to regenerate the traces after a deliberate change, and read
//! the diff: it is the change in behaviour.
//!
//! Time is a number of milliseconds since the script began (`t=5000`); `advance N` moves it and
//! ticks the machine.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;

use goldenscript::{Command, Context, Runner};
use jiff::Timestamp;
use passcom_core::commit::{
    AbortCause, Coordinator, CoordinatorAction, CoordinatorEvent, HeldSeat, Outcome, Participant,
    ParticipantAction, ParticipantEvent, RefusalReason, Status, Timing as CommitTiming, TxnId,
    Vote,
};
use passcom_core::membership::{self, Membership, Timing};
use passcom_core::replication::{
    Batch, FlightState, Limits, Publisher, PublisherAction, PublisherEvent, Replica, ReplicaAction,
    ReplicaEvent,
};
use passcom_core::{
    AirlineId, Cabin, Flight, FlightId, FlightNumber, FlightStatus, Money, SeatNumber, TicketNumber,
};

/// What a command prints, or why it failed.
type Answer = Result<String, Box<dyn Error>>;

/// Runs every script in `dir`, each on a fresh runner from `new`.
fn run_dir<R: Runner>(new: impl Fn() -> R, dir: &str) {
    let mut scripts: Vec<_> = std::fs::read_dir(dir)
        .expect("the scenario directory exists")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    scripts.sort();
    assert!(!scripts.is_empty(), "{dir} has scenarios");
    for script in scripts {
        goldenscript::run(&mut new(), &script)
            .unwrap_or_else(|error| panic!("{}: {error}", script.display()));
    }
}

fn at(millis: u64) -> Timestamp {
    Timestamp::from_millisecond(millis as i64).expect("script times are small")
}

fn since_start(instant: Timestamp) -> u64 {
    instant.as_millisecond() as u64
}

/// Reads `key=value` as a number.
fn number(command: &Command, key: &str) -> Result<u64, Box<dyn Error>> {
    let value =
        command.consume_args().take_key(key).ok_or_else(|| format!("{key}= is required"))?;
    Ok(value.parse()?)
}

/// The first positional argument.
fn first(command: &Command) -> Result<String, Box<dyn Error>> {
    Ok(command.consume_args().next_pos().ok_or("an argument is required")?.to_owned())
}

/// Drives a [`Membership`].
struct MembershipRunner {
    machine: Membership,
    now: u64,
}

impl MembershipRunner {
    fn step(&mut self, event: membership::Event) -> String {
        let mut output = String::new();
        for action in self.machine.step(event) {
            let line = match action {
                membership::Action::SendHeartbeat { peer, url, number } => {
                    format!("send heartbeat #{number} to {peer} at {url}")
                }
                membership::Action::StatusChanged { peer, status, at } => {
                    format!("{peer} is {status} since t={}", since_start(at))
                }
                membership::Action::LogHeadSeen { peer, head } => {
                    format!("{peer}'s log head is {head}")
                }
            };
            writeln!(output, "t={} → {line}", self.now).expect("writing to a string");
        }
        output
    }

    fn peer(command: &Command) -> Result<AirlineId, Box<dyn Error>> {
        Ok(AirlineId::parse(&first(command)?)?)
    }
}

impl Runner for MembershipRunner {
    type Command = Command;

    fn run(&mut self, command: &Command, _: &Context) -> Answer {
        let now = at(self.now);
        let output = match command.name.as_str() {
            "advance" => {
                self.now += first(command)?.parse::<u64>()?;
                self.step(membership::Event::Tick { now: at(self.now) })
            }
            "join" => {
                let peer = Self::peer(command)?;
                let url = format!("http://{peer}");
                self.step(membership::Event::Joined { peer, url, now })
            }
            "leave" => self.step(membership::Event::Left { peer: Self::peer(command)? }),
            "contacted" => {
                self.step(membership::Event::Contacted { peer: Self::peer(command)?, now })
            }
            "answer" => {
                let (number, log_head) = (number(command, "number")?, number(command, "head")?);
                self.step(membership::Event::Answered {
                    peer: Self::peer(command)?,
                    number,
                    log_head,
                    now,
                })
            }
            "fail" => {
                let number = number(command, "number")?;
                self.step(membership::Event::Failed { peer: Self::peer(command)?, number, now })
            }
            "peers" => {
                let mut output = String::new();
                for (id, peer) in self.machine.peers() {
                    let last = peer
                        .last_heartbeat
                        .map_or("never".to_owned(), |t| format!("t={}", since_start(t)));
                    writeln!(
                        output,
                        "{id}: {} since t={}, last answer {last}, log head {:?}",
                        peer.status,
                        since_start(peer.since),
                        peer.log_head
                    )?;
                }
                if let Some(deadline) = self.machine.next_deadline() {
                    writeln!(output, "next deadline t={}", since_start(deadline))?;
                }
                output
            }
            name => return Err(format!("unknown command {name}").into()),
        };
        Ok(output)
    }
}

#[test]
fn membership() {
    run_dir(
        || MembershipRunner {
            machine: Membership::new(Timing { interval_ms: 5000, timeout_ms: 3000 }),
            now: 0,
        },
        "tests/scenarios/membership",
    );
}

/// A flight standing for a change: what it is does not matter to the machine.
fn flight(seq: u64) -> Flight {
    let departure = at(86_400_000 + seq * 60_000);
    Flight {
        id: FlightId::new(
            passcom_core::Designator::parse("GI").expect("a designator"),
            FlightNumber::new((seq % 9999 + 1) as u16).expect("a number"),
            "2026-12-01".parse().expect("a date"),
        ),
        airline: AirlineId::parse("giro").expect("an id"),
        origin: "BSB".parse().expect("a code"),
        destination: "GRU".parse().expect("a code"),
        departure,
        arrival: departure + jiff::SignedDuration::from_mins(90),
        cabin: Cabin::standard(),
        price: Money::fare(10_000).expect("a fare"),
        status: FlightStatus::Scheduled,
        version: seq,
    }
}

/// The batch `(after, up_to]`, with one flight per entry in it (or `flights` of them).
fn batch(after: u64, up_to: u64, flights: Option<u64>) -> Batch {
    let count = flights.unwrap_or(up_to - after);
    let flights =
        (1..=count).map(|seq| FlightState { flight: flight(seq), seats_available: 180 }).collect();
    Batch { after, up_to, flights }
}

/// Reads `after=A up-to=B [flights=N]` as a batch.
fn batch_argument(command: &Command) -> Result<Batch, Box<dyn Error>> {
    let flights = command.consume_args().take_key("flights").map(str::parse).transpose()?;
    Ok(batch(number(command, "after")?, number(command, "up-to")?, flights))
}

fn limits() -> Limits {
    Limits { request_timeout_ms: 2000, retry_ms: 1000, batch_entries_max: 10, push_interval_ms: 0 }
}

/// Drives a [`Replica`].
struct ReplicaRunner {
    machine: Replica,
    now: u64,
}

impl ReplicaRunner {
    fn step(&mut self, event: ReplicaEvent) -> String {
        let mut output = String::new();
        for action in self.machine.step(event) {
            let line = match action {
                ReplicaAction::Apply { batch } => format!(
                    "apply entries {}..{} ({} flights) → position {}",
                    batch.after + 1,
                    batch.up_to,
                    batch.flights.len(),
                    batch.up_to
                ),
                ReplicaAction::Pull { since, limit } => {
                    format!("pull since {since}, at most {limit} entries")
                }
            };
            writeln!(output, "t={} → {line}", self.now).expect("writing to a string");
        }
        output
    }
}

impl Runner for ReplicaRunner {
    type Command = Command;

    fn run(&mut self, command: &Command, _: &Context) -> Answer {
        let now = at(self.now);
        let output = match command.name.as_str() {
            "start" => {
                self.machine = Replica::new(number(command, "position")?, limits());
                String::new()
            }
            "advance" => {
                self.now += first(command)?.parse::<u64>()?;
                self.step(ReplicaEvent::Tick { now: at(self.now) })
            }
            "push" => self.step(ReplicaEvent::Pushed { batch: batch_argument(command)?, now }),
            "head" => self.step(ReplicaEvent::HeadSeen { head: first(command)?.parse()?, now }),
            "pulled" => {
                let (since, head) = (number(command, "since")?, number(command, "head")?);
                self.step(ReplicaEvent::Pulled {
                    since,
                    batch: batch_argument(command)?,
                    head,
                    now,
                })
            }
            "pull-failed" => {
                self.step(ReplicaEvent::PullFailed { since: number(command, "since")?, now })
            }
            "state" => format!(
                "position {}, owner's head {}\n",
                self.machine.position(),
                self.machine.head()
            ),
            name => return Err(format!("unknown command {name}").into()),
        };
        Ok(output)
    }
}

#[test]
fn replica() {
    run_dir(
        || ReplicaRunner { machine: Replica::new(0, limits()), now: 0 },
        "tests/scenarios/replica",
    );
}

/// Drives a [`Publisher`].
struct PublisherRunner {
    machine: Publisher,
    now: u64,
}

impl PublisherRunner {
    fn step(&mut self, event: PublisherEvent) -> String {
        let mut output = String::new();
        for PublisherAction::Push { after, up_to } in self.machine.step(event) {
            writeln!(output, "t={} → push entries {}..{up_to}", self.now, after + 1)
                .expect("writing to a string");
        }
        output
    }
}

impl Runner for PublisherRunner {
    type Command = Command;

    fn run(&mut self, command: &Command, _: &Context) -> Answer {
        let now = at(self.now);
        let output = match command.name.as_str() {
            "start" => {
                let mut args = command.consume_args();
                let head = args.take_key("head").ok_or("head= is required")?.parse()?;
                let push_interval_ms = args.take_key("push_interval").map_or(Ok(0), str::parse)?;
                self.machine = Publisher::new(head, Limits { push_interval_ms, ..limits() });
                String::new()
            }
            "due" => format!("{:?}\n", self.machine.due().map(|due| due.as_millisecond())),
            "advance" => {
                self.now += first(command)?.parse::<u64>()?;
                self.step(PublisherEvent::Tick { now: at(self.now) })
            }
            "append" => self.step(PublisherEvent::Appended { head: number(command, "head")?, now }),
            "online" => self.step(PublisherEvent::PeerStatus { online: true, now }),
            "offline" => self.step(PublisherEvent::PeerStatus { online: false, now }),
            "ack" => self
                .step(PublisherEvent::Acknowledged { position: number(command, "position")?, now }),
            "push-failed" => self.step(PublisherEvent::PushFailed { now }),
            name => return Err(format!("unknown command {name}").into()),
        };
        Ok(output)
    }
}

#[test]
fn publisher() {
    run_dir(
        || PublisherRunner { machine: Publisher::new(0, limits()), now: 0 },
        "tests/scenarios/publisher",
    );
}

fn commit_timing() -> CommitTiming {
    CommitTiming {
        prepare_timeout_ms: 3000,
        retry_min_ms: 100,
        retry_max_ms: 800,
        decision_wait_ms: 2000,
        coordinator_inquiries_max: 3,
    }
}

fn airlines(list: &str) -> Result<Vec<AirlineId>, Box<dyn Error>> {
    list.split(',').filter(|s| !s.is_empty()).map(|id| Ok(AirlineId::parse(id)?)).collect()
}

fn outcome(raw: &str) -> Result<Outcome, Box<dyn Error>> {
    match raw {
        "committed" => Ok(Outcome::Committed),
        "aborted" => Ok(Outcome::Aborted),
        other => Err(format!("{other} is not an outcome").into()),
    }
}

/// The `index`th argument (positional) as text.
fn positional(command: &Command, index: usize) -> Result<String, Box<dyn Error>> {
    let mut args = command.consume_args();
    let mut value = None;
    for _ in 0..=index {
        value = args.next_pos();
    }
    Ok(value.ok_or("a positional argument is missing")?.to_owned())
}

/// Drives a [`Coordinator`].
struct CoordinatorRunner {
    machine: Coordinator,
    now: u64,
}

impl CoordinatorRunner {
    fn step(&mut self, event: CoordinatorEvent) -> String {
        let mut output = String::new();
        for action in self.machine.step(event) {
            let line = match action {
                CoordinatorAction::SendPrepare { txn, participant } => {
                    format!("prepare {txn} at {participant}")
                }
                CoordinatorAction::Record { txn, outcome, votes, cause, tell } => {
                    let votes: Vec<String> = votes
                        .iter()
                        .map(|(airline, vote)| match vote {
                            Vote::Yes { held } => format!("{airline} yes ({} seats)", held.len()),
                            Vote::No { reason, .. } => {
                                format!("{airline} no ({})", reason.as_str())
                            }
                        })
                        .collect();
                    let cause = cause
                        .map(|cause| format!(", because {}", describe_cause(&cause)))
                        .unwrap_or_default();
                    let tell: Vec<&str> = tell.iter().map(AirlineId::as_str).collect();
                    let tell = match tell.is_empty() {
                        true => "nobody".to_owned(),
                        false => tell.join(", "),
                    };
                    format!("record {txn} {outcome} [{}]{cause}; to tell: {tell}", votes.join(", "))
                }
                CoordinatorAction::SendDecision { txn, participant, outcome } => {
                    format!("tell {participant}: {txn} {outcome}")
                }
                CoordinatorAction::Finished { txn } => format!("{txn} finished"),
            };
            writeln!(output, "t={} → {line}", self.now).expect("writing to a string");
        }
        output
    }
}

fn describe_cause(cause: &AbortCause) -> String {
    match cause {
        AbortCause::Refused { participant, reason, flight } => {
            format!(
                "{participant} refused: {}{}",
                reason.as_str(),
                flight.map(|f| format!(" on {f}")).unwrap_or_default()
            )
        }
        AbortCause::Unreachable { participant } => format!("{participant} was unreachable"),
        AbortCause::TimedOut { participants } => {
            format!(
                "no vote in time from {}",
                participants.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            )
        }
        AbortCause::Restarted => "the coordinator restarted before deciding".to_owned(),
    }
}

/// A yes-vote holding `seats` seats on one flight.
fn yes(seats: u64) -> Vote {
    let held = (0..seats)
        .map(|i| HeldSeat {
            flight: FlightId::parse("GI1003-2026-12-01").expect("an id"),
            passenger: i as usize,
            seat: SeatNumber::parse(&format!("{}A", i + 1)).expect("a seat"),
            ticket: TicketNumber::parse(&format!("88200000000{:02}", i + 1)).expect("a ticket"),
        })
        .collect();
    Vote::Yes { held }
}

/// Votes cast with the transaction's record: `airline:yes` (one seat) or `airline:no`,
/// comma-separated.
fn cast_votes(list: &str) -> Result<BTreeMap<AirlineId, Vote>, Box<dyn Error>> {
    let cast = |entry: &str| -> Result<(AirlineId, Vote), Box<dyn Error>> {
        let (airline, vote) = entry.split_once(':').ok_or("voted= takes airline:yes|no")?;
        let vote = match vote {
            "yes" => yes(1),
            "no" => Vote::No { reason: RefusalReason::SeatUnavailable, flight: None },
            other => return Err(format!("{other} is not a vote").into()),
        };
        Ok((AirlineId::parse(airline)?, vote))
    };
    list.split(',').filter(|s| !s.is_empty()).map(cast).collect()
}

impl Runner for CoordinatorRunner {
    type Command = Command;

    fn run(&mut self, command: &Command, _: &Context) -> Answer {
        let now = at(self.now);
        let txn =
            || -> Result<TxnId, Box<dyn Error>> { Ok(TxnId::parse(&positional(command, 0)?)?) };
        let participant = || -> Result<AirlineId, Box<dyn Error>> {
            Ok(AirlineId::parse(&positional(command, 1)?)?)
        };
        let output = match command.name.as_str() {
            "advance" => {
                self.now += first(command)?.parse::<u64>()?;
                self.step(CoordinatorEvent::Tick { now: at(self.now) })
            }
            "begin" => {
                let mut args = command.consume_args();
                let participants =
                    airlines(args.take_key("participants").ok_or("participants= is required")?)?;
                let voting = airlines(args.take_key("voting").unwrap_or(""))?.into_iter().collect();
                self.step(CoordinatorEvent::Begin { txn: txn()?, participants, voting, now })
            }
            "begun" => {
                let voted = cast_votes(command.consume_args().take_key("voted").unwrap_or(""))?;
                self.step(CoordinatorEvent::Begun { txn: txn()?, voted, now })
            }
            "not-begun" => self.step(CoordinatorEvent::NotBegun { txn: txn()?, now }),
            "vote" => {
                let mut args = command.consume_args();
                let vote = match args.take_key("vote").ok_or("vote= is required")? {
                    "yes" => yes(args.take_key("seats").map_or(Ok(1), str::parse)?),
                    "no" => Vote::No {
                        reason: RefusalReason::SeatUnavailable,
                        flight: args.take_key("flight").map(FlightId::parse).transpose()?,
                    },
                    other => return Err(format!("{other} is not a vote").into()),
                };
                self.step(CoordinatorEvent::Voted {
                    txn: txn()?,
                    participant: participant()?,
                    vote,
                    now,
                })
            }
            "unreachable" => self.step(CoordinatorEvent::Unreachable {
                txn: txn()?,
                participant: participant()?,
                now,
            }),
            "recorded" => {
                let outcome = outcome(
                    command.consume_args().take_key("outcome").ok_or("outcome= is required")?,
                )?;
                self.step(CoordinatorEvent::Recorded { txn: txn()?, outcome, now })
            }
            "ack" => self.step(CoordinatorEvent::Acknowledged {
                txn: txn()?,
                participant: participant()?,
                now,
            }),
            "tell-failed" => self.step(CoordinatorEvent::TellFailed {
                txn: txn()?,
                participant: participant()?,
                now,
            }),
            "restore" => {
                let mut args = command.consume_args();
                let participants =
                    airlines(args.take_key("participants").ok_or("participants= is required")?)?;
                let decided =
                    args.take_key("decided").filter(|d| *d != "none").map(outcome).transpose()?;
                let waiting = airlines(args.take_key("waiting").unwrap_or(""))?;
                self.step(CoordinatorEvent::Restored {
                    txn: txn()?,
                    participants,
                    decided,
                    waiting,
                    now,
                })
            }
            "status" => format!("{:?}\n", self.machine.status(&txn()?)),
            name => return Err(format!("unknown command {name}").into()),
        };
        Ok(output)
    }
}

#[test]
fn coordinator() {
    run_dir(
        || CoordinatorRunner { machine: Coordinator::new(commit_timing()), now: 0 },
        "tests/scenarios/coordinator",
    );
}

/// Drives a [`Participant`] of Rumos.
struct ParticipantRunner {
    machine: Participant,
    now: u64,
}

impl ParticipantRunner {
    fn step(&mut self, event: ParticipantEvent) -> String {
        let mut output = String::new();
        for action in self.machine.step(event) {
            let line = match action {
                ParticipantAction::Ask { txn, airline } => format!("ask {airline} about {txn}"),
                ParticipantAction::Apply { txn, outcome } => format!("apply {txn} {outcome}"),
            };
            writeln!(output, "t={} → {line}", self.now).expect("writing to a string");
        }
        output
    }
}

impl Runner for ParticipantRunner {
    type Command = Command;

    fn run(&mut self, command: &Command, _: &Context) -> Answer {
        let now = at(self.now);
        let txn =
            || -> Result<TxnId, Box<dyn Error>> { Ok(TxnId::parse(&positional(command, 0)?)?) };
        let output = match command.name.as_str() {
            "advance" => {
                self.now += first(command)?.parse::<u64>()?;
                self.step(ParticipantEvent::Tick { now: at(self.now) })
            }
            "prepared" => {
                let mut args = command.consume_args();
                let coordinator = AirlineId::parse(
                    args.take_key("coordinator").ok_or("coordinator= is required")?,
                )?;
                let participants =
                    airlines(args.take_key("participants").ok_or("participants= is required")?)?;
                let ask_in: u64 = args.take_key("ask-in").map_or(Ok(2000), str::parse)?;
                self.step(ParticipantEvent::Prepared {
                    txn: txn()?,
                    coordinator,
                    participants,
                    ask_at: at(self.now + ask_in),
                })
            }
            "answer" => {
                let mut args = command.consume_args();
                let from = AirlineId::parse(args.take_key("from").ok_or("from= is required")?)?;
                let status = match args.take_key("status").ok_or("status= is required")? {
                    "committed" => Status::Committed,
                    "aborted" => Status::Aborted,
                    "undecided" => Status::Undecided,
                    "in_doubt" => Status::InDoubt,
                    other => return Err(format!("{other} is not a status").into()),
                };
                self.step(ParticipantEvent::Answered { txn: txn()?, from, status, now })
            }
            "inquiry-failed" => {
                let from = AirlineId::parse(
                    command.consume_args().take_key("from").ok_or("from= is required")?,
                )?;
                self.step(ParticipantEvent::InquiryFailed { txn: txn()?, from, now })
            }
            "decided" => self.step(ParticipantEvent::Decided { txn: txn()? }),
            "apply-failed" => self.step(ParticipantEvent::ApplyFailed { txn: txn()? }),
            "in-doubt" => {
                let txns: Vec<String> = self.machine.in_doubt().map(ToString::to_string).collect();
                format!("in doubt: [{}]\n", txns.join(", "))
            }
            name => return Err(format!("unknown command {name}").into()),
        };
        Ok(output)
    }
}

#[test]
fn participant() {
    run_dir(
        || ParticipantRunner {
            machine: Participant::new(AirlineId::parse("rumos").expect("an id"), commit_timing()),
            now: 0,
        },
        "tests/scenarios/participant",
    );
}
