//! Purchases across airlines: the node's side of the two-phase commit.
//!
//! The protocol's decisions are two state machines in `passcom_core::commit` (its module
//! documentation is the protocol's specification, with its caveats). This module carries them
//! out, the way [`crate::network`] carries out membership and replication:
//!
//! - [`Commit`] is the handle the rest of the node uses: the seller hands it a purchase
//!   ([`Commit::coordinate`]) as it begins it in the store, tells it how the begin went
//!   ([`Commit::begun`], [`Commit::not_begun`]), and waits for the booking; the peer API ([`crate::api::peer`]) hands it what
//!   other airlines ask of this one as a participant ([`Commit::participate`],
//!   [`Commit::apply`], [`Commit::status`], [`Commit::release_for`]).
//! - One driver task per node ([`Started::run`]) owns the [`Coordinator`] and the
//!   [`Participant`], feeds them time and events, and carries out what they return. Every call
//!   and every write they ask for runs in a task of its own and reports back to the driver's
//!   inbox, so one slow airline or one slow write never holds up another purchase.
//! - Prepares and decisions for another airline go through the [`outbox`]: what waits for one
//!   participant travels in one signed call, a bundle — a prepare at once, a commit with the
//!   next prepare or at the next tick — so that under load a purchase costs a fraction of a
//!   call instead of two.
//!
//! The seller's own legs go through the very participant code that serves other airlines —
//! the store's `prepare` and `decide` — but without a message and without a write of their
//! own: they are prepared in the write that begins the purchase ([`CommitStore::begin_purchase`](crate::store::CommitStore::begin_purchase)),
//! whose vote comes with [`Commit::begun`], and decided in the write that records the
//! decision ([`CommitStore::record_decision`](crate::store::CommitStore::record_decision)). The seller's own vote never leaves the node and its
//! decision is applied where it is made, so neither needs a durable write before it. That takes
//! two of a purchase's writes off the seller's disk, and its own legs never wait for a
//! message. [`Commit::participate`] and [`Commit::apply`] are what the peer API calls (and the
//! driver, for this airline, after a restart tells it decisions again).
//!
//! Everything the protocol must remember is in the store, written before it is acted on:
//! the transaction before it is decided (committed; on disk with the decision, see
//! [`CommitStore::begin_purchase`](crate::store::CommitStore::begin_purchase)), the decision on disk before anyone hears it, a participant's
//! vote on disk before it is sent. The begin is written while the prepares travel — the
//! purchase waits for the slower of the two, not for both in turn — which presumed abort
//! allows: a transaction without a record never commits, and a participant asking about one
//! in flight is answered by the coordinator's memory, not by the store ([`Commit::status`]). On start the driver reads what is unfinished —
//! transactions begun and not decided (aborted now), decided and not acknowledged (told
//! again), prepared and not decided (asked about), releases not yet made — and finishes it.
//!
//! Cancelling a booking that holds seats at other airlines records a release per airline in
//! the same write as the cancellation; the driver sends each until the owner confirms it,
//! with the protocol's backoff.

mod outbox;
pub mod wire;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use passcom_core::commit::{
    AbortCause, Coordinator, CoordinatorAction, CoordinatorEvent, LegRequest, Outcome, Participant,
    ParticipantAction, ParticipantEvent, Prepare, Status, Timing, TxnId, Vote,
};
use passcom_core::{AirlineId, Booking};
use tokio::sync::{mpsc, oneshot};

use self::outbox::Outbox;
use self::wire::{Answered, Bundle, BundleAnswer, ReleaseAnswer, StatusAnswer};
use crate::clock::Clock;
use crate::config::CommitConfig;
use crate::crash;
use crate::network::Network;
use crate::network::client::PeerError;
use crate::stop::{Stop, stopped};
use crate::store::{DecidedBy, Decision, Order, Release, Store, StoreResult};

/// Events waiting for the driver, at most.
const INBOX_EVENTS_MAX: usize = 4096;

/// Something for the driver to take into account.
enum Event {
    /// A purchase is being begun in the store: coordinate it, and answer `reply` once it is
    /// decided.
    Begin {
        order: Order,
        legs: BTreeMap<AirlineId, Vec<LegRequest>>,
        reply: oneshot::Sender<Booking>,
    },
    /// A purchase's begin is written, with this airline's vote on its own legs, if it has any.
    Begun { txn: TxnId, vote: Option<Vote> },
    /// A purchase's begin was not written: it never was.
    NotBegun { txn: TxnId },
    /// What the coordinator knows of `txn` while it is in flight.
    InFlight { txn: TxnId, reply: oneshot::Sender<Option<Status>> },
    /// Something happened to a transaction this node coordinates.
    Coordinator(CoordinatorEvent),
    /// A bundle's call to `participant` ended: what its answer (or its failure) means for each
    /// message it carried.
    Delivered { participant: AirlineId, events: Vec<CoordinatorEvent> },
    /// Something happened to a transaction this node takes part in.
    Participant(ParticipantEvent),
    /// A booking was cancelled: there may be releases to make.
    Cancelled,
    /// An owner released the seats of a cancelled booking.
    Released(Release),
    /// A release could not be made this time.
    ReleaseFailed(Release),
}

/// The commit protocol's side of a node: the handle the rest of the node uses.
pub struct Commit {
    config: CommitConfig,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    inbox: mpsc::Sender<Event>,
}

/// The receiving end of the driver's inbox: what [`Commit`]'s callers send, for [`start`].
pub struct Inbox(mpsc::Receiver<Event>);

impl Commit {
    /// The commit side of a node, over its `store`, and the inbox its driver will read.
    pub fn new(
        config: CommitConfig,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
    ) -> (Self, Inbox) {
        let (inbox, receiver) = mpsc::channel(INBOX_EVENTS_MAX);
        (Self { config, store, clock, inbox }, Inbox(receiver))
    }

    /// The protocol's timing.
    pub fn config(&self) -> &CommitConfig {
        &self.config
    }

    /// Coordinates a purchase while the store begins it (see [`CommitStore::begin_purchase`](crate::store::CommitStore::begin_purchase)): the
    /// prepares go out at once, and nothing is decided before [`Commit::begun`] or
    /// [`Commit::not_begun`] tells how the begin went. `legs` says which flights each
    /// participant holds. The answer is the booking once its outcome is recorded — confirmed
    /// or failed; none if the purchase was not begun.
    pub async fn coordinate(
        &self,
        order: Order,
        legs: BTreeMap<AirlineId, Vec<LegRequest>>,
    ) -> oneshot::Receiver<Booking> {
        let (reply, answer) = oneshot::channel();
        self.send(Event::Begin { order, legs, reply }).await;
        answer
    }

    /// The purchase `txn` is begun in the store, with `vote`, this airline's on its own legs,
    /// if it has any.
    pub async fn begun(&self, txn: TxnId, vote: Option<Vote>) {
        self.send(Event::Begun { txn, vote }).await;
    }

    /// The purchase `txn` could not be begun in the store (a repeat, a reference taken, an
    /// error): the prepares sent for it are undone.
    pub async fn not_begun(&self, txn: TxnId) {
        self.send(Event::NotBegun { txn }).await;
    }

    /// Prepares a transaction here, as a participant, and — on a yes — starts waiting for its
    /// decision. What the peer API's `prepare` goes through.
    pub async fn participate(&self, prepare: Prepare) -> StoreResult<Vote> {
        let now = self.clock.now();
        let vote = self.store.prepare(prepare.clone(), now).await?;
        crash::point("participant-after-prepare");
        if matches!(vote, Vote::Yes { .. }) {
            let ask_at = now + millis(self.config.decision_wait_ms);
            let Prepare { txn, coordinator, participants, .. } = prepare;
            let prepared = ParticipantEvent::Prepared { txn, coordinator, participants, ask_at };
            self.send(Event::Participant(prepared)).await;
        }
        Ok(vote)
    }

    /// Applies the decision of a transaction here, as a participant, durably; then stops
    /// waiting for it.
    pub async fn apply(&self, txn: TxnId, outcome: Outcome, by: DecidedBy) -> StoreResult<()> {
        crash::point("participant-before-decision");
        self.store.decide(txn.clone(), outcome, by, self.clock.now()).await?;
        self.send(Event::Participant(ParticipantEvent::Decided { txn })).await;
        Ok(())
    }

    /// What this node can tell a participant in doubt about `txn`. A transaction in flight
    /// is answered by the coordinator: its record may not be written yet, and the store, not
    /// finding it, would presume it aborted.
    pub async fn status(&self, txn: TxnId) -> StoreResult<Status> {
        let (reply, answer) = oneshot::channel();
        self.send(Event::InFlight { txn: txn.clone(), reply }).await;
        match answer.await {
            Ok(Some(status)) => Ok(status),
            Ok(None) | Err(_) => self.store.txn_status(txn, self.clock.now()).await,
        }
    }

    /// Releases, as the owner, the seats `seller` sold in `txn` (its booking was cancelled).
    pub async fn release_for(&self, txn: TxnId, seller: AirlineId) -> StoreResult<()> {
        self.store.release_for(txn, seller).await
    }

    /// Decides a transaction in doubt here by an operator's hand (the known limit of the
    /// protocol: its coordinator is gone for good).
    pub async fn resolve(&self, txn: TxnId, outcome: Outcome) -> StoreResult<()> {
        self.store.resolve_txn(txn.clone(), outcome, self.clock.now()).await?;
        self.send(Event::Participant(ParticipantEvent::Decided { txn })).await;
        Ok(())
    }

    /// A booking was cancelled: makes the releases it recorded.
    pub async fn cancelled(&self) {
        self.send(Event::Cancelled).await;
    }

    async fn send(&self, event: Event) {
        // The driver only stops with the node; an event sent during shutdown is moot.
        let _ = self.inbox.send(event).await;
    }
}

/// What the commit driver is built from.
pub struct Parts {
    /// The handle it serves: its store, clock and timing, and its inbox's sending end, for the
    /// calls and writes it spawns to report back.
    pub commit: Arc<Commit>,
    /// Its inbox.
    pub inbox: Inbox,
    /// The other airlines: their addresses and the signed client.
    pub network: Arc<Network>,
    /// This airline.
    pub this: AirlineId,
    /// How often its machines are told the time.
    pub tick_interval_ms: u64,
}

/// The commit driver of a node, its unfinished work restored, ready to run.
pub struct Started {
    driver: Driver,
    tick_interval_ms: u64,
}

/// Reads what the store says is unfinished and restores it into the machines: the first
/// thing a node does with the protocol after a restart.
pub async fn start(parts: Parts) -> anyhow::Result<Started> {
    let Parts { commit, inbox, network, this, tick_interval_ms } = parts;
    let mut driver = Driver::new(commit, network, this, inbox.0);
    driver.restore().await?;
    Ok(Started { driver, tick_interval_ms })
}

impl Started {
    /// Runs the protocol until `stop` says to stop.
    pub async fn run(self, mut stop: Stop) {
        let Started { mut driver, tick_interval_ms } = self;
        let mut ticker = tokio::time::interval(Duration::from_millis(tick_interval_ms.max(1)));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                Some(event) = driver.inbox.recv() => driver.handle(event).await,
                _ = ticker.tick() => driver.tick(),
                () = stopped(&mut stop) => return,
            }
        }
    }
}

/// A purchase this node coordinates, while it is undecided.
struct Purchase {
    order: Order,
    legs: BTreeMap<AirlineId, Vec<LegRequest>>,
    reply: Option<oneshot::Sender<Booking>>,
}

/// A release to make, and when to try it next.
struct Retry {
    due: Timestamp,
    backoff_ms: Option<u64>,
    sending: bool,
}

/// The state machines of one node and what drives them.
struct Driver {
    commit: Arc<Commit>,
    network: Arc<Network>,
    this: AirlineId,
    inbox: mpsc::Receiver<Event>,
    timing: Timing,
    coordinator: Coordinator,
    participant: Participant,
    purchases: BTreeMap<TxnId, Purchase>,
    outbox: Outbox,
    releases: BTreeMap<Release, Retry>,
}

impl Driver {
    fn new(
        commit: Arc<Commit>,
        network: Arc<Network>,
        this: AirlineId,
        inbox: mpsc::Receiver<Event>,
    ) -> Self {
        let timing = commit.config.timing();
        Self {
            coordinator: Coordinator::new(timing),
            participant: Participant::new(this.clone(), timing),
            purchases: BTreeMap::new(),
            outbox: Outbox::new(commit.config.peer_calls_max),
            releases: BTreeMap::new(),
            timing,
            inbox,
            commit,
            network,
            this,
        }
    }

    fn now(&self) -> Timestamp {
        self.commit.clock.now()
    }

    fn this(&self) -> &AirlineId {
        &self.this
    }

    /// Feeds the machines what the store says is unfinished.
    async fn restore(&mut self) -> anyhow::Result<()> {
        let now = self.now();
        let store = self.commit.store.clone();
        for coordination in store.unfinished_coordinations().await? {
            tracing::info!(txn = %coordination.txn, decided = ?coordination.decided, "finishing a transaction begun before the restart");
            let restored = CoordinatorEvent::Restored {
                txn: coordination.txn,
                participants: coordination.participants,
                decided: coordination.decided,
                waiting: coordination.waiting,
                now,
            };
            self.coordinator_step(restored);
        }
        for doubt in store.in_doubt().await? {
            tracing::info!(txn = %doubt.txn, coordinator = %doubt.coordinator, "prepared before the restart; asking for the decision");
            let prepared = ParticipantEvent::Prepared {
                txn: doubt.txn,
                coordinator: doubt.coordinator,
                participants: doubt.participants,
                ask_at: now,
            };
            self.participant_step(prepared);
        }
        self.load_releases().await;
        Ok(())
    }

    async fn handle(&mut self, event: Event) {
        match event {
            Event::Begin { order, legs, reply } => {
                let txn = order.txn.clone();
                let participants = legs.keys().cloned().collect();
                let voting = legs.keys().filter(|owner| *owner == self.this()).cloned().collect();
                self.purchases.insert(txn.clone(), Purchase { order, legs, reply: Some(reply) });
                let now = self.now();
                self.coordinator_step(CoordinatorEvent::Begin { txn, participants, voting, now });
            }
            Event::Begun { txn, vote } => {
                let voted = vote.map(|vote| (self.this().clone(), vote)).into_iter().collect();
                let now = self.now();
                self.coordinator_step(CoordinatorEvent::Begun { txn, voted, now });
            }
            Event::NotBegun { txn } => {
                self.purchases.remove(&txn);
                let now = self.now();
                self.coordinator_step(CoordinatorEvent::NotBegun { txn, now });
            }
            Event::InFlight { txn, reply } => {
                let _ = reply.send(self.coordinator.status(&txn));
            }
            Event::Coordinator(event) => self.coordinator_step(event),
            Event::Delivered { participant, events } => {
                self.outbox.delivered(&participant);
                events.into_iter().for_each(|event| self.coordinator_step(event));
                self.send_bundles(false);
            }
            Event::Participant(event) => self.participant_step(event),
            Event::Cancelled => self.load_releases().await,
            Event::Released(release) => {
                self.releases.remove(&release);
            }
            Event::ReleaseFailed(release) => self.release_failed(&release),
        }
    }

    fn tick(&mut self) {
        let now = self.now();
        self.coordinator_step(CoordinatorEvent::Tick { now });
        self.send_bundles(true);
        self.participant_step(ParticipantEvent::Tick { now });
        self.send_due_releases(now);
    }

    fn coordinator_step(&mut self, event: CoordinatorEvent) {
        for action in self.coordinator.step(event) {
            match action {
                CoordinatorAction::SendPrepare { txn, participant } => {
                    self.queue_prepare(txn, participant)
                }
                CoordinatorAction::Record { txn, outcome, votes, cause, tell } => {
                    self.record(txn, outcome, votes, cause, tell)
                }
                CoordinatorAction::SendDecision { txn, participant, outcome } => {
                    self.queue_decision(txn, participant, outcome)
                }
                CoordinatorAction::Finished { txn } => {
                    tracing::debug!(%txn, "every participant that had to hear the decision has");
                }
            }
        }
        self.send_bundles(false);
    }

    fn participant_step(&mut self, event: ParticipantEvent) {
        for action in self.participant.step(event) {
            match action {
                ParticipantAction::Ask { txn, airline } => self.ask(txn, airline),
                ParticipantAction::Apply { txn, outcome } => self.apply_learned(txn, outcome),
            }
        }
    }

    /// Queues participant `participant`'s part of the purchase for the next bundle to it.
    fn queue_prepare(&mut self, txn: TxnId, participant: AirlineId) {
        let Some(purchase) = self.purchases.get(&txn) else {
            tracing::error!(%txn, "asked to prepare a purchase that is not in flight");
            return;
        };
        // Never this airline: its own legs are prepared with the transaction's record.
        let prepare = Prepare {
            txn: txn.clone(),
            coordinator: self.this().clone(),
            reference: purchase.order.reference,
            participants: purchase.legs.keys().cloned().collect(),
            passengers: purchase.order.passengers.clone(),
            legs: purchase.legs.get(&participant).cloned().unwrap_or_default(),
        };
        self.outbox.prepare(participant, prepare);
    }

    /// Queues the decision of `txn` for `participant`'s next bundle; this airline, told its own
    /// decision again after a restart, applies it at once.
    fn queue_decision(&mut self, txn: TxnId, participant: AirlineId, outcome: Outcome) {
        match participant == *self.this() {
            true => self.tell_self(txn, outcome),
            false => self.outbox.decision(participant, txn, outcome),
        }
    }

    /// Sends the bundles the outbox has ready: the urgent ones, or at a tick everything
    /// waiting.
    fn send_bundles(&mut self, tick: bool) {
        let bundles = match tick {
            true => self.outbox.everything(),
            false => self.outbox.urgent(),
        };
        for (participant, bundle) in bundles {
            self.send_bundle(participant, bundle);
        }
    }

    /// Sends `bundle` to `participant` and reports what its answer means for each message: a
    /// vote or none for each prepare, an acknowledgement (recorded) or none for each decision.
    fn send_bundle(&self, participant: AirlineId, bundle: Bundle) {
        metrics::histogram!("passcom_commit_bundle_messages").record(bundle.len() as f64);
        let (commit, network) = (self.commit.clone(), self.network.clone());
        tokio::spawn(async move {
            let answer = remote_bundle(&network, &participant, &bundle).await;
            if let Err(error) = &answer {
                tracing::info!(%participant, %error, messages = bundle.len(), "a bundle got no answer");
            }
            let (events, acknowledged) =
                answered(&participant, &bundle, answer, commit.clock.now());
            commit.send(Event::Delivered { participant: participant.clone(), events }).await;
            record_acknowledgements(&commit, participant, acknowledged).await;
        });
    }

    /// Makes the decision durable, with the booking it confirms or fails; answers the
    /// customer waiting for it; then reports it recorded. A failed write is tried again: until
    /// the decision is durable nobody may hear it.
    fn record(
        &mut self,
        txn: TxnId,
        outcome: Outcome,
        votes: BTreeMap<AirlineId, Vote>,
        cause: Option<AbortCause>,
        tell: std::collections::BTreeSet<AirlineId>,
    ) {
        crash::point("coordinator-before-decision");
        let purchase = self.purchases.remove(&txn);
        let decision = match (outcome, purchase.as_ref()) {
            (Outcome::Committed, Some(purchase)) => {
                let held = votes
                    .into_values()
                    .flat_map(|vote| match vote {
                        Vote::Yes { held } => held,
                        Vote::No { .. } => Vec::new(),
                    })
                    .collect();
                Decision::Commit { order: purchase.order.clone(), held }
            }
            (Outcome::Committed, None) => {
                tracing::error!(%txn, "a commit was decided for a purchase that is not in flight");
                return;
            }
            (Outcome::Aborted, _) => {
                Decision::Abort { cause: cause.unwrap_or(AbortCause::Restarted) }
            }
        };
        let reply = purchase.and_then(|purchase| purchase.reply);
        let tell: Vec<AirlineId> = tell.into_iter().collect();
        let commit = self.commit.clone();
        let timing = self.timing;
        tokio::spawn(async move {
            let mut backoff_ms = None;
            let booking = loop {
                let at = commit.clock.now();
                let recorded =
                    commit.store.record_decision(txn.clone(), decision.clone(), tell.clone(), at);
                match recorded.await {
                    Ok(booking) => {
                        crash::point("coordinator-after-decision");
                        break booking;
                    }
                    Err(error) => {
                        tracing::error!(%txn, %error, "cannot record a decision; trying again");
                        let wait = timing.backoff(backoff_ms);
                        backoff_ms = Some(wait);
                        tokio::time::sleep(Duration::from_millis(wait)).await;
                    }
                }
            };
            metrics::counter!("passcom_transactions_total", "outcome" => outcome.as_str())
                .increment(1);
            if let Some(reply) = reply {
                // The customer may have stopped waiting (202 pending); the booking stands.
                let _ = reply.send(booking);
            }
            let now = commit.clock.now();
            commit.send(Event::Coordinator(CoordinatorEvent::Recorded { txn, outcome, now })).await;
        });
    }

    /// Applies a decision of this airline's own to its own legs — what a restart tells it
    /// again — and reports it acknowledged.
    fn tell_self(&self, txn: TxnId, outcome: Outcome) {
        let (commit, this) = (self.commit.clone(), self.this.clone());
        tokio::spawn(async move {
            let by = DecidedBy::Coordinator(this.clone());
            let applied = match commit.apply(txn.clone(), outcome, by).await {
                Ok(()) => commit.store.acknowledge(this.clone(), vec![txn.clone()]).await,
                Err(error) => Err(error),
            };
            let now = commit.clock.now();
            let event = match applied {
                Ok(()) => CoordinatorEvent::Acknowledged { txn, participant: this, now },
                Err(error) => {
                    tracing::info!(%txn, %error, "cannot apply this airline's own decision; trying again later");
                    CoordinatorEvent::TellFailed { txn, participant: this, now }
                }
            };
            commit.send(Event::Coordinator(event)).await;
        });
    }

    /// Asks `airline` what it knows of `txn`, in doubt here; reports the answer.
    fn ask(&self, txn: TxnId, airline: AirlineId) {
        let (commit, network) = (self.commit.clone(), self.network.clone());
        let this = self.this.clone();
        tokio::spawn(async move {
            let status = match airline == this {
                true => commit.status(txn.clone()).await.map_err(|e| e.to_string()),
                false => remote_status(&network, &airline, &txn).await,
            };
            let now = commit.clock.now();
            let event = match status {
                Ok(status) => ParticipantEvent::Answered { txn, from: airline, status, now },
                Err(error) => {
                    tracing::debug!(%txn, %airline, %error, "a question about a transaction got no answer");
                    ParticipantEvent::InquiryFailed { txn, from: airline, now }
                }
            };
            commit.send(Event::Participant(event)).await;
        });
    }

    /// Applies a decision this node learned by asking.
    fn apply_learned(&self, txn: TxnId, outcome: Outcome) {
        let commit = self.commit.clone();
        tokio::spawn(async move {
            tracing::info!(%txn, %outcome, "applying a decision learned by asking");
            if let Err(error) = commit.apply(txn.clone(), outcome, DecidedBy::Inquiry).await {
                tracing::warn!(%txn, %error, "cannot apply a decision learned by asking");
                commit.send(Event::Participant(ParticipantEvent::ApplyFailed { txn })).await;
            }
        });
    }

    /// Adds the releases the store has not seen made to those to send.
    async fn load_releases(&mut self) {
        match self.commit.store.pending_releases().await {
            Ok(releases) => {
                let now = self.now();
                for release in releases {
                    self.releases.entry(release).or_insert(Retry {
                        due: now,
                        backoff_ms: None,
                        sending: false,
                    });
                }
                self.send_due_releases(now);
            }
            Err(error) => tracing::warn!(%error, "cannot read the releases to make"),
        }
    }

    fn send_due_releases(&mut self, now: Timestamp) {
        let due: Vec<Release> = self
            .releases
            .iter()
            .filter(|(_, retry)| !retry.sending && retry.due <= now)
            .map(|(release, _)| release.clone())
            .collect();
        for release in due {
            if let Some(retry) = self.releases.get_mut(&release) {
                retry.sending = true;
            }
            self.send_release(release);
        }
    }

    fn release_failed(&mut self, release: &Release) {
        let now = self.now();
        let Some(retry) = self.releases.get_mut(release) else { return };
        let backoff_ms = self.timing.backoff(retry.backoff_ms);
        *retry =
            Retry { due: now + millis(backoff_ms), backoff_ms: Some(backoff_ms), sending: false };
    }

    /// Asks the owner to release the seats of a cancelled booking; records it once done.
    fn send_release(&self, release: Release) {
        let (commit, network) = (self.commit.clone(), self.network.clone());
        tokio::spawn(async move {
            let released = async {
                remote_release(&network, &release.airline, &release.txn).await?;
                let at = commit.clock.now();
                commit
                    .store
                    .released(release.txn.clone(), release.airline.clone(), at)
                    .await
                    .map_err(|e| e.to_string())
            };
            let event = match released.await {
                Ok(()) => Event::Released(release),
                Err(error) => {
                    tracing::info!(txn = %release.txn, airline = %release.airline, %error, "a release was not made; trying again later");
                    Event::ReleaseFailed(release)
                }
            };
            commit.send(event).await;
        });
    }
}

fn millis(ms: u64) -> SignedDuration {
    SignedDuration::from_millis(i64::try_from(ms).unwrap_or(i64::MAX))
}

/// `POST /peer/v1/txns` at `participant`.
async fn remote_bundle(
    network: &Network,
    participant: &AirlineId,
    bundle: &Bundle,
) -> Result<BundleAnswer, String> {
    let address =
        network.address_of(participant).ok_or_else(|| format!("{participant} is not a peer"))?;
    let started = std::time::Instant::now();
    let answer = network.client().post(&address, "/peer/v1/txns", bundle).await;
    metrics::histogram!("passcom_commit_bundle_seconds").record(started.elapsed().as_secs_f64());
    answer.map_err(describe)
}

/// Records that `participant` acknowledged the decisions of `txns`, then reports each
/// acknowledged — or, if that write fails, not told (the decision is told again).
async fn record_acknowledgements(commit: &Commit, participant: AirlineId, txns: Vec<TxnId>) {
    if txns.is_empty() {
        return;
    }
    let recorded = commit.store.acknowledge(participant.clone(), txns.clone()).await;
    if let Err(error) = &recorded {
        tracing::warn!(%participant, %error, "cannot record acknowledgements; telling again later");
    }
    let now = commit.clock.now();
    for txn in txns {
        let participant = participant.clone();
        let event = match recorded {
            Ok(()) => CoordinatorEvent::Acknowledged { txn, participant, now },
            Err(_) => CoordinatorEvent::TellFailed { txn, participant, now },
        };
        commit.send(Event::Coordinator(event)).await;
    }
}

/// What the answer to `bundle` (or its failure) means for each of its messages: the events for
/// the coordinator, and the transactions whose decision `participant` acknowledged (to record
/// before reporting them).
fn answered(
    participant: &AirlineId,
    bundle: &Bundle,
    answer: Result<BundleAnswer, String>,
    now: Timestamp,
) -> (Vec<CoordinatorEvent>, Vec<TxnId>) {
    let (mut votes, mut acknowledgements) = match answer {
        Ok(BundleAnswer { votes, acknowledgements }) => (replies(votes), replies(acknowledgements)),
        Err(_) => (BTreeMap::new(), BTreeMap::new()),
    };
    let participant = participant.clone();
    let mut events = Vec::new();
    for prepare in &bundle.prepares {
        let txn = prepare.txn.clone();
        events.push(match votes.remove(&txn) {
            Some(Answered::Done(vote)) => {
                CoordinatorEvent::Voted { txn, participant: participant.clone(), vote, now }
            }
            refused => {
                if let Some(Answered::Refused { code, message }) = refused {
                    tracing::info!(%txn, %participant, code, message, "a prepare was refused");
                }
                CoordinatorEvent::Unreachable { txn, participant: participant.clone(), now }
            }
        });
    }
    let mut acknowledged = Vec::new();
    for decision in &bundle.decisions {
        let txn = decision.txn.clone();
        match acknowledgements.remove(&txn) {
            Some(Answered::Done(outcome)) if outcome == decision.outcome => acknowledged.push(txn),
            other => {
                tracing::info!(%txn, %participant, answer = ?other, "a decision was not acknowledged; telling it again later");
                events.push(CoordinatorEvent::TellFailed {
                    txn,
                    participant: participant.clone(),
                    now,
                });
            }
        }
    }
    (events, acknowledged)
}

/// Replies by transaction.
fn replies<T>(replies: Vec<wire::Reply<T>>) -> BTreeMap<TxnId, Answered<T>> {
    replies.into_iter().map(|reply| (reply.txn, reply.answer)).collect()
}

/// `GET /peer/v1/txns/{txn}` at `airline`.
async fn remote_status(
    network: &Network,
    airline: &AirlineId,
    txn: &TxnId,
) -> Result<Status, String> {
    let address = network.address_of(airline).ok_or_else(|| format!("{airline} is not a peer"))?;
    let answer: StatusAnswer =
        network.client().get(&address, &format!("/peer/v1/txns/{txn}")).await.map_err(describe)?;
    match answer.txn == *txn {
        true => Ok(answer.status),
        false => Err(format!("{airline} answered about {}", answer.txn)),
    }
}

/// `POST /peer/v1/txns/{txn}/release` at `owner`.
async fn remote_release(network: &Network, owner: &AirlineId, txn: &TxnId) -> Result<(), String> {
    let address = network.address_of(owner).ok_or_else(|| format!("{owner} is not a peer"))?;
    let path = format!("/peer/v1/txns/{txn}/release");
    let answer: ReleaseAnswer =
        network.client().post(&address, &path, &serde_json::json!({})).await.map_err(describe)?;
    match answer.txn == *txn {
        true => Ok(()),
        false => Err(format!("{owner} released {}", answer.txn)),
    }
}

fn describe(error: PeerError) -> String {
    error.to_string()
}
