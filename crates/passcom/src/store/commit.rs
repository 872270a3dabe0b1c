//! The commit records: what two-phase commit keeps, as coordinator and as participant.
//!
//! As coordinator, a node records each purchase across airlines it sells (its pending booking,
//! participants, decision and who acknowledged it); as participant, the transactions it
//! prepared on its own flights and their holds. Presumed abort: a transaction without a record
//! is aborted, which is why [`CommitStore::begin_purchase`] may defer its fsync.

use async_trait::async_trait;
use jiff::Timestamp;
use passcom_core::commit::{AbortCause, Outcome, Prepare, Status, Vote};
pub use passcom_core::commit::{HeldSeat, TxnId};
use passcom_core::{AirlineId, Booking, BookingReference};

use super::{Order, StoreResult};

/// How a purchase across airlines began in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begun {
    /// A new transaction and its pending booking; and, when this airline owns legs of the
    /// trip, its vote on them, cast in the same write.
    Created {
        /// The pending booking.
        booking: Booking,
        /// This airline's vote as a participant, if it is one.
        vote: Option<Vote>,
    },
    /// The idempotency key was used before for the same request: its booking.
    Replayed(Booking),
}

/// What the coordinator decided about a purchase it coordinates, with what that does to the
/// booking.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Every participant voted yes: the booking is confirmed with the seats they `held`.
    Commit {
        /// The order being bought (its legs give the segments).
        order: Order,
        /// Every seat held, from every participant's yes-vote.
        held: Vec<HeldSeat>,
    },
    /// The purchase failed: the booking records why.
    Abort {
        /// Why.
        cause: AbortCause,
    },
}

impl Decision {
    /// The outcome it records.
    pub fn outcome(&self) -> Outcome {
        match self {
            Decision::Commit { .. } => Outcome::Committed,
            Decision::Abort { .. } => Outcome::Aborted,
        }
    }
}

/// A transaction this node coordinates, as its records have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coordination {
    /// The transaction.
    pub txn: TxnId,
    /// The booking it buys.
    pub reference: BookingReference,
    /// Its participants.
    pub participants: Vec<AirlineId>,
    /// The participants that have not acknowledged the decision.
    pub waiting: Vec<AirlineId>,
    /// The decision, once recorded.
    pub decided: Option<Outcome>,
    /// When it began.
    pub created_at: Timestamp,
}

/// A transaction this node prepared as a participant and has no decision for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InDoubt {
    /// The transaction.
    pub txn: TxnId,
    /// Its coordinator.
    pub coordinator: AirlineId,
    /// Every participant.
    pub participants: Vec<AirlineId>,
    /// When this node prepared it.
    pub prepared_at: Timestamp,
}

/// Who decided a transaction at a participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecidedBy {
    /// The coordinator told it: only the transaction's own coordinator may.
    Coordinator(AirlineId),
    /// The participant asked (the coordinator or another participant) and learned it.
    Inquiry,
    /// An operator resolved it from the console.
    Operator,
}

impl DecidedBy {
    /// As stored.
    pub fn as_str(&self) -> &'static str {
        match self {
            DecidedBy::Coordinator(_) => "coordinator",
            DecidedBy::Inquiry => "inquiry",
            DecidedBy::Operator => "operator",
        }
    }
}

/// Seats a cancelled booking still holds at another airline, to be released there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Release {
    /// The transaction that bought them.
    pub txn: TxnId,
    /// The airline that holds them.
    pub airline: AirlineId,
}

/// An unfinished transaction, for operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnSummary {
    /// The transaction.
    pub txn: TxnId,
    /// This node's part and where it stands, for people.
    pub state: String,
    /// Since when (begun or prepared).
    pub since: Timestamp,
}

/// The records of the two-phase commit, as coordinator and as participant.
#[async_trait]
pub trait CommitStore: Send + Sync + 'static {
    /// Begins a purchase across airlines, as its coordinator: records the pending booking and
    /// the transaction with its participants — and, if this airline is one, prepares its own
    /// legs as [`CommitStore::prepare`] would — in one write. An idempotency key seen before answers
    /// its booking as it stands (`Replayed`).
    ///
    /// The write survives a crash but is not forced to disk before it returns: a power cut may
    /// take it back until the next forced write or [`SalesStore::sync`](super::SalesStore::sync). Presumed abort makes that
    /// safe — a transaction without a record is aborted — as long as nobody outside has heard of
    /// the booking: the seller answers a customer only after the decision (a forced write) or
    /// a sync. The holds on own legs are logged for replicas with the decision. The seller
    /// writes it while the prepares go out: nothing is decided before it returns.
    async fn begin_purchase(
        &self,
        order: Order,
        participants: Vec<AirlineId>,
    ) -> StoreResult<Begun>;
    /// Records the decision of a transaction this node coordinates and what it does to the
    /// booking, which it returns; in the same write, applies it to this airline's own legs as
    /// [`CommitStore::decide`] would, if this airline is a participant, and records as acknowledged
    /// that part and every participant not in `tell` (those never sent a prepare have nothing
    /// to hear). Recording a decided transaction again changes nothing.
    async fn record_decision(
        &self,
        txn: TxnId,
        decision: Decision,
        tell: Vec<AirlineId>,
        at: Timestamp,
    ) -> StoreResult<Booking>;
    /// Records that `participant` acknowledged the decisions of `txns`.
    async fn acknowledge(&self, participant: AirlineId, txns: Vec<TxnId>) -> StoreResult<()>;
    /// The transactions this node coordinates that are undecided, or decided and not
    /// acknowledged by every participant.
    async fn unfinished_coordinations(&self) -> StoreResult<Vec<Coordination>>;
    /// Prepares a transaction here, as a participant: in one write, holds a seat per passenger
    /// on each leg and records it prepared, voting yes; or votes no and holds nothing. A
    /// prepare seen before answers the same vote; one for a transaction recorded aborted, no.
    async fn prepare(&self, prepare: Prepare, at: Timestamp) -> StoreResult<Vote>;
    /// Applies the decision of `txn` here, as a participant (a commit is not forced to disk
    /// before it returns: lost to a power cut, the transaction is in doubt here again, and its
    /// coordinator, which keeps its records, tells it again): a commit sells the held seats to
    /// the seller's booking; an abort releases them, or — for a transaction never prepared
    /// here — records it aborted so that a late prepare is refused. Applying it again changes
    /// nothing; a commit of a transaction not prepared here, or a decision told by an airline
    /// that is not the transaction's coordinator, is a `Conflict`.
    async fn decide(
        &self,
        txn: TxnId,
        outcome: Outcome,
        by: DecidedBy,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// What this node can tell a participant in doubt about `txn`: as its coordinator, the
    /// decision or that it is undecided; as a participant, its state. A transaction it never
    /// saw is durably recorded aborted before the answer (`Aborted`).
    async fn txn_status(&self, txn: TxnId, at: Timestamp) -> StoreResult<Status>;
    /// The transactions this node prepared and has no decision for (not those it coordinates:
    /// its own records decide its part of those).
    async fn in_doubt(&self) -> StoreResult<Vec<InDoubt>>;
    /// Every unfinished transaction, as coordinator and as participant.
    async fn txn_summaries(&self) -> StoreResult<Vec<TxnSummary>>;
    /// Decides a transaction in doubt here by an operator's hand, with an audit record;
    /// `Conflict` if it is not in doubt here.
    async fn resolve_txn(&self, txn: TxnId, outcome: Outcome, at: Timestamp) -> StoreResult<()>;
    /// The releases still to be made at other airlines, oldest first.
    async fn pending_releases(&self) -> StoreResult<Vec<Release>>;
    /// Records that `airline` released the seats of `txn`, in the booking's history.
    async fn released(&self, txn: TxnId, airline: AirlineId, at: Timestamp) -> StoreResult<()>;
    /// Releases, as the owner, the seats `seller` sold in `txn`, because the seller's booking
    /// was cancelled. Releasing twice changes nothing; seats of another seller are a
    /// `Conflict`.
    async fn release_for(&self, txn: TxnId, seller: AirlineId) -> StoreResult<()>;
}
