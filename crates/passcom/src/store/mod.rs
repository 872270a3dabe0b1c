//! Storage: everything a node keeps, behind one trait per concern.
//!
//! Five traits speak the domain's language and hide the database, one per concern:
//! [`CatalogStore`] (airports, airlines, flights), [`SalesStore`] (bookings, their seats,
//! idempotency keys), [`CommitStore`] (the two-phase commit's records), [`AccountStore`]
//! (customers and sessions) and [`NetworkStore`] (peers, the change log, replicas). [`Store`] is
//! all five, implemented for every type that implements them, so that the node keeps one store
//! handle while each part of it names only the concerns it uses.
//!
//! SQLite ([`sqlite::SqliteStore`]) is the embedded default. Every backend must pass the same
//! conformance suite (`crates/passcom/tests/node/store/`), organised by the same concerns, so
//! that a second backend can be written and checked one concern at a time. That is why no
//! method here leaks SQL, and why every rule that is not about storage (which seats a party
//! gets, whether connections are feasible) lives in the domain crate and is only called from
//! here.
//!
//! Every method is atomic: it happens entirely or not at all, and once a write method returns
//! `Ok`, its effect survives a crash. A few writes are *deferred*: they survive a crash of the
//! process but not, until the next forced write or [`SalesStore::sync`], a power cut; each says
//! so, and why that is safe.

mod accounts;
mod catalog;
mod commit;
mod network;
pub mod postgres;
mod rules;
mod sales;
pub mod sqlite;

pub use self::accounts::{AccountStore, Customer, CustomerId, NewCustomer, Session};
pub use self::catalog::{CatalogStore, FlightPosition, FlightQuery, FlightRecord, SeatMap};
pub use self::commit::{
    Begun, CommitStore, Coordination, DecidedBy, Decision, HeldSeat, InDoubt, Release, TxnId,
    TxnSummary,
};
pub use self::network::{NetworkStore, PeerRecord};
pub use self::sales::{Idempotency, Order, OrderLeg, Purchased, SalesStore, SegmentRecord};

use passcom_core::{BookingReference, FlightId};

/// One page of a listing, and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T, P> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Position of the last item, if more may follow.
    pub next: Option<P>,
}

/// What can go wrong in storage, split by what the caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A seat asked for is held or sold, or fewer seats are free than passengers.
    #[error("no seat available as asked on flight {flight}")]
    SeatUnavailable {
        /// The flight.
        flight: FlightId,
    },
    /// The flight does not exist here.
    #[error("flight {0} not found")]
    FlightNotFound(FlightId),
    /// The flight is cancelled.
    #[error("flight {0} is cancelled")]
    FlightCancelled(FlightId),
    /// The flight has departed.
    #[error("flight {0} has departed")]
    FlightDeparted(FlightId),
    /// A flight with that id exists already.
    #[error("flight {0} exists already")]
    FlightExists(FlightId),
    /// The flight changed since the version the caller saw.
    #[error("flight {flight} is at version {current}")]
    VersionMismatch {
        /// The flight.
        flight: FlightId,
        /// Its version now.
        current: u64,
    },
    /// The username belongs to another account.
    #[error("username taken")]
    UsernameTaken,
    /// The idempotency key was used before with a different request.
    #[error("idempotency key reused with another request")]
    IdempotencyKeyReused,
    /// The booking is still pending: its purchase is not decided.
    #[error("booking {0} is pending")]
    BookingPending(BookingReference),
    /// The request contradicts what the records say (a commit for a transaction never
    /// prepared, an operator resolving one that is not in doubt, a peer releasing seats it did
    /// not sell).
    #[error("{0}")]
    Conflict(String),
    /// The booking reference drawn is in use; draw another.
    #[error("booking reference {0} is taken")]
    ReferenceTaken(BookingReference),
    /// No booking with that reference belongs to the customer.
    #[error("booking {0} not found")]
    BookingNotFound(BookingReference),
    /// A peer sent flights that are not its own to publish.
    #[error("refused replicated flights: {0}")]
    ForeignFlight(String),
    /// The database failed: our fault, not the caller's.
    #[error("storage failure: {0}")]
    Internal(String),
}

/// Shorthand for storage results.
pub type StoreResult<T> = Result<T, StoreError>;

/// Everything a node stores: every concern's trait. Implemented for each type that implements
/// them all, so a backend implements the five and nothing more.
pub trait Store: CatalogStore + SalesStore + CommitStore + AccountStore + NetworkStore {}

impl<T> Store for T where T: CatalogStore + SalesStore + CommitStore + AccountStore + NetworkStore {}
