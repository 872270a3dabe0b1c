//! Atomic purchases across airlines: two-phase commit with presumed abort.
//!
//! A customer buys a whole trip at one airline, the *seller*; its legs belong to their *owners*,
//! each the only authority over its seats. The seller coordinates a *transaction*; the owners of
//! the legs participate — the seller's own legs through the same participant code. The trip is
//! confirmed on every leg or on none.
//!
//! This module holds the protocol's decisions as two state machines with no sockets and no clock
//! ([`Coordinator`], [`Participant`]); the node carries out what they return, and keeps the
//! durable records: the messages and the store's operations are idempotent by the records'
//! state, so every step can be repeated.
//!
//! # Protocol
//!
//! 1. **Begin.** The coordinator records the transaction — its id, its participants, and the
//!    pending booking — while its prepares go out ([`CoordinatorEvent::Begin`]), and decides
//!    nothing before the record is written ([`CoordinatorEvent::Begun`]): a decision is a
//!    change to that record. The record need not be on disk yet, nor written before the
//!    prepares travel: if it is lost, or never written, the transaction is aborted by
//!    presumption, and nobody outside can have heard "commit" (the customer hears of it only
//!    after a durable write). Meanwhile a participant asking about it is answered from the
//!    coordinator's memory — undecided — never from the missing record. A record that cannot
//!    be written (a repeated purchase, a reference taken) ends the transaction
//!    ([`CoordinatorEvent::NotBegun`]): the prepares sent are undone by an abort. When the
//!    seller owns legs of the trip, the same write prepares them, as a participant would
//!    (below), and its vote comes with [`CoordinatorEvent::Begun`].
//! 2. **Prepare.** A [`Prepare`] goes to every other participant at once. A participant, in
//!    one local write, holds a seat per passenger on each of its legs and records PREPARED
//!    with the coordinator and the participant list, then votes yes with the seats and the
//!    tickets it issued; or it votes no (seat taken, flight cancelled or departed) and forgets.
//!    It never waits on a lock: a taken seat is a no at once.
//! 3. **Decide.** All yes → the coordinator durably records COMMIT, and only then tells the
//!    customer "confirmed". Any no, an unreachable participant, or no vote within
//!    `prepare_timeout_ms` → ABORT. *No record at the coordinator means ABORT*: a coordinator
//!    that restarts with a transaction begun but not decided aborts it.
//! 4. **Tell.** The decision goes to every participant that was sent a prepare, retried with
//!    backoff until each acknowledges; the record says the others have nothing to hear. A
//!    participant records COMMITTED (seats sold, its record of the segments written) or durably
//!    records ABORTED (holds released) before acknowledging. COMMITTED need not be on disk: if
//!    a power cut takes it back, the participant is prepared again, in doubt, and asks the
//!    coordinator, which keeps its records.
//!    The seller's own legs are decided in the write that records the decision: nothing to
//!    tell. A participant never sent a prepare cannot have prepared, nor receive a late one.
//! 5. **In doubt.** A prepared participant never releases its holds on its own. If no decision
//!    arrives within `decision_wait_ms` it asks the coordinator, with backoff; after
//!    `coordinator_inquiries_max` unanswered questions it asks the other participants too
//!    (cooperative termination): one that knows the decision tells it; one that never saw the
//!    transaction durably records ABORTED before answering, so it will refuse a late prepare —
//!    which means the coordinator cannot have collected its yes, cannot have committed, and the
//!    asker may abort.
//! 6. **Recovery.** On restart each node finishes what its records say is unfinished: the
//!    coordinator aborts what it had not decided and tells again what it had; participants in
//!    doubt ask.
//! 7. **Idempotence.** Duplicated, reordered and retried messages change nothing twice: a
//!    prepare of a prepared transaction answers the same vote, of an aborted one no; a commit or
//!    abort already applied is acknowledged again; votes and acknowledgements for decided or
//!    finished transactions are ignored.
//!
//! # Caveats
//!
//! - **The known limit of 2PC.** If the coordinator is gone for good after every participant
//!   voted yes, the participants cannot learn the outcome from anyone, and keep their holds. An
//!   operator resolves such a transaction from the console (`resolve <txn> commit|abort`), which
//!   leaves an audit record.
//! - A participant that cannot be reached during prepare counts as a no: the transaction aborts
//!   (safe under presumed abort; a prepare that did arrive is undone by the abort).
//! - Holds are not leased: a hold stays until its transaction is decided, however long that
//!   takes. That is what makes a yes-vote a promise.
//! - A coordinator must keep its records of decided transactions: participants whose commit a
//!   power cut took back ask it again (step 4). The node never deletes them.

mod coordinator;
mod participant;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use self::coordinator::{AbortCause, Coordinator, CoordinatorAction, CoordinatorEvent};
pub use self::participant::{Participant, ParticipantAction, ParticipantEvent};
use crate::{
    AirlineId, BookingReference, FlightId, ParseError, PassengerName, SeatNumber, TicketNumber,
};

/// A transaction's id: up to 64 hexadecimal digits (the node makes 32: the time in
/// microseconds, then 64 random bits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TxnId(String);

impl TxnId {
    /// Parses a transaction id.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let well_formed =
            !raw.is_empty() && raw.len() <= 64 && raw.bytes().all(|b| b.is_ascii_hexdigit());
        if !well_formed {
            return Err(ParseError::new("invalid_txn", format!("{raw:?} is not a transaction id")));
        }
        Ok(Self(raw.to_ascii_lowercase()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TxnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

crate::parse::text_conversions!(TxnId);

/// What a participant must hold on one of its flights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegRequest {
    /// The flight.
    pub flight: FlightId,
    /// A seat per passenger, or `None` to let the owner choose.
    pub seats: Option<Vec<SeatNumber>>,
}

/// The coordinator asks a participant to hold seats on its legs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prepare {
    /// The transaction.
    pub txn: TxnId,
    /// The coordinator (the seller).
    pub coordinator: AirlineId,
    /// The seller's booking: what each owner's record of its segments refers to.
    pub reference: BookingReference,
    /// Every participant, for cooperative termination.
    pub participants: Vec<AirlineId>,
    /// The passengers, in order.
    pub passengers: Vec<PassengerName>,
    /// This participant's legs.
    pub legs: Vec<LegRequest>,
}

/// A seat a participant holds for a transaction, with the ticket it issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldSeat {
    /// The flight.
    pub flight: FlightId,
    /// The passenger's index in the order.
    pub passenger: usize,
    /// The seat.
    pub seat: SeatNumber,
    /// The ticket number.
    pub ticket: TicketNumber,
}

/// Why a participant refused to prepare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// A seat asked for is taken, or too few are free.
    SeatUnavailable,
    /// The flight is cancelled.
    FlightCancelled,
    /// The flight has left.
    FlightDeparted,
    /// The participant has no such flight.
    FlightNotFound,
    /// The transaction was aborted already (a late prepare).
    Aborted,
}

impl RefusalReason {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalReason::SeatUnavailable => "seat_unavailable",
            RefusalReason::FlightCancelled => "flight_cancelled",
            RefusalReason::FlightDeparted => "flight_departed",
            RefusalReason::FlightNotFound => "flight_not_found",
            RefusalReason::Aborted => "aborted",
        }
    }
}

/// A participant's answer to a prepare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "vote")]
pub enum Vote {
    /// Prepared: the seats are held, and will be sold if the coordinator commits.
    Yes {
        /// The seats held, with their tickets.
        held: Vec<HeldSeat>,
    },
    /// Refused; nothing is held.
    No {
        /// Why.
        reason: RefusalReason,
        /// The flight concerned, where there is one.
        flight: Option<FlightId>,
    },
}

/// What was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every seat is sold.
    Committed,
    /// No seat is held.
    Aborted,
}

impl Outcome {
    /// `committed` or `aborted`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Committed => "committed",
            Outcome::Aborted => "aborted",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// What a node knows of a transaction, asked by a participant in doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Decided: committed.
    Committed,
    /// Decided: aborted (or never seen, and now recorded aborted).
    Aborted,
    /// The coordinator is still collecting votes.
    Undecided,
    /// Another participant, prepared and waiting too.
    InDoubt,
}

impl Status {
    /// The decision it tells, if any.
    pub fn outcome(self) -> Option<Outcome> {
        match self {
            Status::Committed => Some(Outcome::Committed),
            Status::Aborted => Some(Outcome::Aborted),
            Status::Undecided | Status::InDoubt => None,
        }
    }
}

/// The protocol's timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    /// Longest the coordinator waits for every vote before aborting, milliseconds.
    pub prepare_timeout_ms: u64,
    /// First wait before resending a decision or asking again, milliseconds.
    pub retry_min_ms: u64,
    /// Longest wait between two resends or questions, milliseconds.
    pub retry_max_ms: u64,
    /// How long a prepared participant waits for the decision before asking, milliseconds.
    pub decision_wait_ms: u64,
    /// Questions to the coordinator before asking the other participants too.
    pub coordinator_inquiries_max: u32,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            prepare_timeout_ms: 3000,
            retry_min_ms: 100,
            retry_max_ms: 5000,
            decision_wait_ms: 2000,
            coordinator_inquiries_max: 3,
        }
    }
}

impl Timing {
    /// The wait after `previous` (doubling from `retry_min_ms` up to `retry_max_ms`).
    pub fn backoff(&self, previous: Option<u64>) -> u64 {
        previous
            .map_or(self.retry_min_ms, |ms| ms.saturating_mul(2))
            .clamp(self.retry_min_ms.max(1), self.retry_max_ms.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_ids_are_short_hex() {
        assert_eq!(TxnId::parse("0123ABCdef").unwrap().as_str(), "0123abcdef");
        assert!(TxnId::parse("").is_err());
        assert!(TxnId::parse("xyz").is_err());
        assert!(TxnId::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn backoff_doubles_within_bounds() {
        let timing = Timing { retry_min_ms: 100, retry_max_ms: 1000, ..Timing::default() };
        assert_eq!(timing.backoff(None), 100);
        assert_eq!(timing.backoff(Some(100)), 200);
        assert_eq!(timing.backoff(Some(800)), 1000);
    }
}
