//! The coordinator: the seller's side of a transaction.
//!
//! It sends the prepares, collects the votes, decides, has the decision recorded, and tells it
//! to every participant until each has acknowledged. It keeps only what is in flight; the
//! records are the node's (see the module documentation of [`crate::commit`]).

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{Outcome, Status, Timing, TxnId, Vote};
use crate::{AirlineId, FlightId};

/// Why a transaction aborted, for telling the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "cause")]
pub enum AbortCause {
    /// A participant voted no.
    Refused {
        /// The participant.
        participant: AirlineId,
        /// Its reason.
        reason: super::RefusalReason,
        /// The flight concerned, where there is one.
        flight: Option<FlightId>,
    },
    /// A participant could not be reached.
    Unreachable {
        /// The participant.
        participant: AirlineId,
    },
    /// Votes were missing at the deadline.
    TimedOut {
        /// The participants that had not voted.
        participants: Vec<AirlineId>,
    },
    /// The coordinator restarted before deciding.
    Restarted,
}

impl std::fmt::Display for AbortCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::RefusalReason as Reason;
        match self {
            AbortCause::Refused { participant, reason, flight } => {
                let flight = flight.map_or_else(|| "a flight".to_owned(), |id| id.to_string());
                match reason {
                    Reason::SeatUnavailable => {
                        write!(f, "no seat available as asked on {flight} ({participant})")
                    }
                    Reason::FlightCancelled => write!(f, "{flight} is cancelled"),
                    Reason::FlightDeparted => write!(f, "{flight} has departed"),
                    Reason::FlightNotFound => write!(f, "{participant} has no flight {flight}"),
                    Reason::Aborted => write!(f, "{participant} had given the purchase up already"),
                }
            }
            AbortCause::Unreachable { participant } => {
                write!(f, "{participant} could not be reached")
            }
            AbortCause::TimedOut { participants } => {
                let names: Vec<&str> = participants.iter().map(AirlineId::as_str).collect();
                write!(f, "no answer in time from {}", names.join(", "))
            }
            AbortCause::Restarted => f.write_str("the selling airline restarted before deciding"),
        }
    }
}

/// Something that happened to the coordinator's transactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoordinatorEvent {
    /// A transaction is being recorded: prepare it at `participants`, but for those that vote
    /// in its record.
    Begin {
        /// The transaction.
        txn: TxnId,
        /// Its participants.
        participants: Vec<AirlineId>,
        /// The participants whose votes the write recording the transaction casts: the
        /// coordinator's own airline, on its own legs. They get no prepare, and their part of
        /// the decision is applied in the write that records it: they are not told either.
        voting: BTreeSet<AirlineId>,
        /// Now.
        now: Timestamp,
    },
    /// The transaction's record is written, with the votes it cast. Until then nothing is
    /// decided: a decision is a change to that record.
    Begun {
        /// The transaction.
        txn: TxnId,
        /// The votes of the participants that vote in the record.
        voted: BTreeMap<AirlineId, Vote>,
        /// Now.
        now: Timestamp,
    },
    /// The transaction's record could not be written (the purchase was a repeat, or its
    /// reference was taken): the transaction never was. The prepares sent are undone by an
    /// abort, sent once: a participant that misses it asks, and no record means abort.
    NotBegun {
        /// The transaction.
        txn: TxnId,
        /// Now.
        now: Timestamp,
    },
    /// `participant` voted.
    Voted {
        /// The transaction.
        txn: TxnId,
        /// The participant.
        participant: AirlineId,
        /// Its vote.
        vote: Vote,
        /// Now.
        now: Timestamp,
    },
    /// The prepare to `participant` got no answer (refused connection, timeout, bad answer).
    Unreachable {
        /// The transaction.
        txn: TxnId,
        /// The participant.
        participant: AirlineId,
        /// Now.
        now: Timestamp,
    },
    /// The decision is durable.
    Recorded {
        /// The transaction.
        txn: TxnId,
        /// The decision.
        outcome: Outcome,
        /// Now.
        now: Timestamp,
    },
    /// `participant` acknowledged the decision.
    Acknowledged {
        /// The transaction.
        txn: TxnId,
        /// The participant.
        participant: AirlineId,
        /// Now.
        now: Timestamp,
    },
    /// The decision could not be delivered to `participant` this time.
    TellFailed {
        /// The transaction.
        txn: TxnId,
        /// The participant.
        participant: AirlineId,
        /// Now.
        now: Timestamp,
    },
    /// After a restart: a transaction the records say is unfinished.
    Restored {
        /// The transaction.
        txn: TxnId,
        /// Its participants.
        participants: Vec<AirlineId>,
        /// The decision recorded, if one was.
        decided: Option<Outcome>,
        /// The participants that have not acknowledged it.
        waiting: Vec<AirlineId>,
        /// Now.
        now: Timestamp,
    },
    /// Time is now `now`.
    Tick {
        /// Now.
        now: Timestamp,
    },
}

/// What the node must do for the coordinator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoordinatorAction {
    /// Send the transaction's prepare to `participant`; report `Voted` or `Unreachable`.
    SendPrepare {
        /// The transaction.
        txn: TxnId,
        /// The participant.
        participant: AirlineId,
    },
    /// Make the decision durable (with the booking it confirms or cancels); report `Recorded`.
    Record {
        /// The transaction.
        txn: TxnId,
        /// The decision.
        outcome: Outcome,
        /// The votes (the yes-votes carry the seats and tickets a commit confirms).
        votes: BTreeMap<AirlineId, Vote>,
        /// Why, for an abort.
        cause: Option<AbortCause>,
        /// The participants the decision must reach: those sent a prepare. The others have
        /// nothing to hear — the coordinator's own airline, whose part the record applies, and
        /// any never asked — and the record says so, so that nobody waits for them.
        tell: BTreeSet<AirlineId>,
    },
    /// Send the decision to `participant`; report `Acknowledged` or `TellFailed`.
    SendDecision {
        /// The transaction.
        txn: TxnId,
        /// The participant.
        participant: AirlineId,
        /// The decision.
        outcome: Outcome,
    },
    /// Every participant that had to hear the decision acknowledged it, or the transaction
    /// was never begun: it is finished, and the records already say so (nothing to write).
    Finished {
        /// The transaction.
        txn: TxnId,
    },
}

/// One transaction in flight.
#[derive(Debug, Clone)]
struct Txn {
    participants: Vec<AirlineId>,
    /// Participants sent a prepare: those the decision must reach. (Not the coordinator's own
    /// airline when its records carry its vote and its part of the decision; nobody when the
    /// votes cast with the record decided already.)
    asked: BTreeSet<AirlineId>,
    phase: Phase,
}

#[derive(Debug, Clone)]
enum Phase {
    /// Collecting votes. `begun` once the record is written; an abort found before that (a
    /// no, a timeout) waits for it in `aborting`.
    Preparing {
        votes: BTreeMap<AirlineId, Vote>,
        deadline: Timestamp,
        begun: bool,
        aborting: Option<AbortCause>,
    },
    Recording {
        outcome: Outcome,
    },
    Telling {
        outcome: Outcome,
        waiting: BTreeSet<AirlineId>,
        retry_at: Timestamp,
        backoff_ms: u64,
    },
}

/// The coordinator of one node's transactions.
#[derive(Debug, Clone)]
pub struct Coordinator {
    timing: Timing,
    txns: BTreeMap<TxnId, Txn>,
}

impl Coordinator {
    /// No transaction in flight.
    pub fn new(timing: Timing) -> Self {
        Self { timing, txns: BTreeMap::new() }
    }

    /// What this coordinator knows of `txn` while it is in flight; `None` once finished (or
    /// never begun): the node's records answer then.
    pub fn status(&self, txn: &TxnId) -> Option<Status> {
        Some(match &self.txns.get(txn)?.phase {
            Phase::Preparing { .. } | Phase::Recording { .. } => Status::Undecided,
            Phase::Telling { outcome: Outcome::Committed, .. } => Status::Committed,
            Phase::Telling { outcome: Outcome::Aborted, .. } => Status::Aborted,
        })
    }

    /// How many transactions are in flight.
    pub fn in_flight(&self) -> usize {
        self.txns.len()
    }

    /// Takes `event` into account; returns what to do, in order.
    pub fn step(&mut self, event: CoordinatorEvent) -> Vec<CoordinatorAction> {
        match event {
            CoordinatorEvent::Begin { txn, participants, voting, now } => {
                self.begin(txn, participants, voting, now)
            }
            CoordinatorEvent::Begun { txn, voted, now: _ } => self.begun(txn, voted),
            CoordinatorEvent::NotBegun { txn, now: _ } => self.not_begun(txn),
            CoordinatorEvent::Voted { txn, participant, vote, now: _ } => {
                self.voted(txn, participant, vote)
            }
            CoordinatorEvent::Unreachable { txn, participant, now: _ } => {
                let cause = AbortCause::Unreachable { participant };
                self.decide_if_preparing(&txn, Outcome::Aborted, Some(cause))
            }
            CoordinatorEvent::Recorded { txn, outcome, now } => self.recorded(txn, outcome, now),
            CoordinatorEvent::Acknowledged { txn, participant, now: _ } => {
                self.acknowledged(txn, participant)
            }
            CoordinatorEvent::TellFailed { .. } => Vec::new(),
            CoordinatorEvent::Restored { txn, participants, decided, waiting, now } => {
                self.restored(txn, participants, decided, waiting, now)
            }
            CoordinatorEvent::Tick { now } => self.tick(now),
        }
    }

    fn begin(
        &mut self,
        txn: TxnId,
        participants: Vec<AirlineId>,
        voting: BTreeSet<AirlineId>,
        now: Timestamp,
    ) -> Vec<CoordinatorAction> {
        if self.txns.contains_key(&txn) {
            return Vec::new();
        }
        let deadline = now + millis(self.timing.prepare_timeout_ms);
        let votes = BTreeMap::new();
        let phase = Phase::Preparing { votes, deadline, begun: false, aborting: None };
        let prepared: Vec<AirlineId> =
            participants.iter().filter(|p| !voting.contains(*p)).cloned().collect();
        let asked = prepared.iter().cloned().collect();
        self.txns.insert(txn.clone(), Txn { participants, asked, phase });
        prepared
            .into_iter()
            .map(|participant| CoordinatorAction::SendPrepare { txn: txn.clone(), participant })
            .collect()
    }

    /// The record is written: what was waiting for it is decided now, then the votes it cast
    /// are counted.
    fn begun(&mut self, txn: TxnId, voted: BTreeMap<AirlineId, Vote>) -> Vec<CoordinatorAction> {
        let Some(Txn { phase: Phase::Preparing { begun, aborting, .. }, .. }) =
            self.txns.get_mut(&txn)
        else {
            return Vec::new();
        };
        *begun = true;
        if let Some(cause) = aborting.take() {
            return self.decide_if_preparing(&txn, Outcome::Aborted, Some(cause));
        }
        let mut actions = Vec::new();
        for (participant, vote) in voted {
            actions.extend(self.voted(txn.clone(), participant, vote));
        }
        // The votes that came before the record may be every vote there is.
        actions.extend(self.decide_if_everyone_yes(&txn));
        actions
    }

    /// The record was never written: the transaction is dropped, and the participants asked
    /// hear an abort once.
    fn not_begun(&mut self, txn: TxnId) -> Vec<CoordinatorAction> {
        let Some(Txn { asked, phase: Phase::Preparing { begun: false, .. }, .. }) =
            self.txns.get(&txn)
        else {
            return Vec::new();
        };
        let mut actions = tell(&txn, Outcome::Aborted, asked);
        self.txns.remove(&txn);
        actions.push(CoordinatorAction::Finished { txn });
        actions
    }

    fn voted(&mut self, txn: TxnId, participant: AirlineId, vote: Vote) -> Vec<CoordinatorAction> {
        let Some(Txn { participants, phase: Phase::Preparing { votes, .. }, .. }) =
            self.txns.get_mut(&txn)
        else {
            return Vec::new(); // decided already: a late or duplicated vote changes nothing
        };
        if !participants.contains(&participant) {
            return Vec::new();
        }
        let refusal = match &vote {
            Vote::No { reason, flight } => Some(AbortCause::Refused {
                participant: participant.clone(),
                reason: *reason,
                flight: *flight,
            }),
            Vote::Yes { .. } => None,
        };
        votes.insert(participant, vote);
        match refusal {
            Some(cause) => self.decide_if_preparing(&txn, Outcome::Aborted, Some(cause)),
            None => self.decide_if_everyone_yes(&txn),
        }
    }

    /// Commits a preparing transaction once every participant voted yes.
    fn decide_if_everyone_yes(&mut self, txn: &TxnId) -> Vec<CoordinatorAction> {
        let Some(Txn { participants, phase: Phase::Preparing { votes, .. }, .. }) =
            self.txns.get(txn)
        else {
            return Vec::new();
        };
        match participants.iter().all(|p| matches!(votes.get(p), Some(Vote::Yes { .. }))) {
            true => self.decide_if_preparing(txn, Outcome::Committed, None),
            false => Vec::new(),
        }
    }

    /// Moves a preparing transaction to recording `outcome`.
    fn decide_if_preparing(
        &mut self,
        txn: &TxnId,
        outcome: Outcome,
        cause: Option<AbortCause>,
    ) -> Vec<CoordinatorAction> {
        let Some(entry) = self.txns.get_mut(txn) else { return Vec::new() };
        let Phase::Preparing { votes, begun, aborting, .. } = &mut entry.phase else {
            return Vec::new();
        };
        if !*begun {
            // Decided once the record is written: an abort by its first cause, a commit by
            // counting the votes again then.
            if outcome == Outcome::Aborted {
                aborting.get_or_insert(cause.unwrap_or(AbortCause::Restarted));
            }
            return Vec::new();
        }
        let votes = std::mem::take(votes);
        entry.phase = Phase::Recording { outcome };
        let tell = entry.asked.clone();
        vec![CoordinatorAction::Record { txn: txn.clone(), outcome, votes, cause, tell }]
    }

    fn recorded(&mut self, txn: TxnId, outcome: Outcome, now: Timestamp) -> Vec<CoordinatorAction> {
        let Some(entry) = self.txns.get_mut(&txn) else { return Vec::new() };
        if !matches!(entry.phase, Phase::Recording { outcome: recording } if recording == outcome) {
            return Vec::new();
        }
        let waiting = entry.asked.clone();
        if waiting.is_empty() {
            self.txns.remove(&txn);
            return vec![CoordinatorAction::Finished { txn }];
        }
        let backoff_ms = self.timing.backoff(None);
        entry.phase = Phase::Telling {
            outcome,
            waiting: waiting.clone(),
            retry_at: now + millis(backoff_ms),
            backoff_ms,
        };
        tell(&txn, outcome, &waiting)
    }

    fn acknowledged(&mut self, txn: TxnId, participant: AirlineId) -> Vec<CoordinatorAction> {
        let Some(Txn { phase: Phase::Telling { waiting, .. }, .. }) = self.txns.get_mut(&txn)
        else {
            return Vec::new();
        };
        waiting.remove(&participant);
        if !waiting.is_empty() {
            return Vec::new();
        }
        self.txns.remove(&txn);
        vec![CoordinatorAction::Finished { txn }]
    }

    fn restored(
        &mut self,
        txn: TxnId,
        participants: Vec<AirlineId>,
        decided: Option<Outcome>,
        waiting: Vec<AirlineId>,
        now: Timestamp,
    ) -> Vec<CoordinatorAction> {
        match decided {
            // Begun, never decided: nobody can have been told "commit", so abort.
            None => {
                let phase = Phase::Recording { outcome: Outcome::Aborted };
                let asked: BTreeSet<AirlineId> = participants.iter().cloned().collect();
                let tell = asked.clone();
                self.txns.insert(txn.clone(), Txn { participants, asked, phase });
                vec![CoordinatorAction::Record {
                    txn,
                    outcome: Outcome::Aborted,
                    votes: BTreeMap::new(),
                    cause: Some(AbortCause::Restarted),
                    tell,
                }]
            }
            Some(outcome) => {
                let waiting: BTreeSet<AirlineId> = waiting.into_iter().collect();
                if waiting.is_empty() {
                    return vec![CoordinatorAction::Finished { txn }];
                }
                let backoff_ms = self.timing.backoff(None);
                let phase = Phase::Telling {
                    outcome,
                    waiting: waiting.clone(),
                    retry_at: now + millis(backoff_ms),
                    backoff_ms,
                };
                let asked = waiting.clone();
                self.txns.insert(txn.clone(), Txn { participants, asked, phase });
                tell(&txn, outcome, &waiting)
            }
        }
    }

    fn tick(&mut self, now: Timestamp) -> Vec<CoordinatorAction> {
        let mut actions = Vec::new();
        let expired: Vec<(TxnId, Vec<AirlineId>)> = self
            .txns
            .iter()
            .filter_map(|(txn, entry)| match &entry.phase {
                Phase::Preparing { votes, deadline, aborting: None, .. } if *deadline <= now => {
                    let silent = entry
                        .participants
                        .iter()
                        .filter(|p| !votes.contains_key(*p))
                        .cloned()
                        .collect();
                    Some((txn.clone(), silent))
                }
                _ => None,
            })
            .collect();
        for (txn, silent) in expired {
            actions.extend(self.decide_if_preparing(
                &txn,
                Outcome::Aborted,
                Some(AbortCause::TimedOut { participants: silent }),
            ));
        }
        for (txn, entry) in &mut self.txns {
            if let Phase::Telling { outcome, waiting, retry_at, backoff_ms } = &mut entry.phase
                && *retry_at <= now
            {
                *backoff_ms = self.timing.backoff(Some(*backoff_ms));
                *retry_at = now + millis(*backoff_ms);
                actions.extend(tell(txn, *outcome, waiting));
            }
        }
        actions
    }
}

fn tell(txn: &TxnId, outcome: Outcome, waiting: &BTreeSet<AirlineId>) -> Vec<CoordinatorAction> {
    waiting
        .iter()
        .map(|participant| CoordinatorAction::SendDecision {
            txn: txn.clone(),
            participant: participant.clone(),
            outcome,
        })
        .collect()
}

fn millis(ms: u64) -> SignedDuration {
    SignedDuration::from_millis(ms as i64)
}
