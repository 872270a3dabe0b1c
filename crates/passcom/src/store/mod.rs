//! Storage: everything a node keeps, behind one trait.
//!
//! The [`Store`] trait speaks the domain's language (flights, seats, bookings, customers) and
//! hides the database. SQLite ([`sqlite::SqliteStore`]) is the embedded default; PostgreSQL joins
//! later as the scale-out backend, and both must pass the same conformance suite
//! (`tests/store`). That is why no method here leaks SQL, and why every rule that is not about
//! storage (which seats a party gets, whether connections are feasible) lives in the domain
//! crate and is only called from here.
//!
//! Seats follow the commit protocol's participant from the start: a purchase *holds* seats
//! under a transaction id and then *sells* them to a booking. A purchase whose legs all belong
//! to this airline does both in one durable write (a one-phase commit); the two-phase commit
//! between airlines will call the same two steps separately. A seat row exists only while the
//! seat is held or sold, and its primary key (flight, seat) is what guarantees that no seat is
//! ever held or sold twice: a second claim fails the unique constraint and becomes
//! [`StoreError::SeatUnavailable`].

pub mod sqlite;

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use passcom_core::commit::{AbortCause, LegRequest, Outcome, Prepare, Status, Vote};
pub use passcom_core::commit::{HeldSeat, TxnId};
use passcom_core::replication::Batch;
use passcom_core::{
    Airline, AirlineId, Airport, AirportCode, Booking, BookingReference, Cabin, CustomerName,
    Flight, FlightId, PassengerName, SeatNumber, TicketNumber, Username,
};
use tokio::sync::watch;

/// A customer's id at their home airline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(pub i64);

/// A customer account, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Id at this airline.
    pub id: CustomerId,
    /// Login name.
    pub username: Username,
    /// Name shown in the account.
    pub name: CustomerName,
    /// When the account was made.
    pub created_at: Timestamp,
}

/// A new account to store; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewCustomer {
    /// Login name.
    pub username: Username,
    /// Name shown in the account.
    pub name: CustomerName,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    /// When the account is made.
    pub created_at: Timestamp,
}

/// A logged-in session. Only the SHA-256 of the token is stored, so a copy of the database
/// opens no account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the bearer token.
    pub token_hash: [u8; 32],
    /// Whose session it is.
    pub customer: Customer,
    /// When the customer logged in.
    pub created_at: Timestamp,
    /// Last time the session was used (updated at most once per touch interval).
    pub last_seen_at: Timestamp,
}

/// A flight as this node knows it, with how many seats are free now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlightRecord {
    /// The flight.
    pub flight: Flight,
    /// Seats neither held nor sold.
    pub seats_available: u32,
}

/// Which flights to list: every filter is optional; results come in departure order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlightQuery {
    /// Only flights leaving from here.
    pub origin: Option<AirportCode>,
    /// Only flights arriving here.
    pub destination: Option<AirportCode>,
    /// Only flights on this local date at their origin.
    pub date: Option<Date>,
    /// Only flights after this position (from the previous page).
    pub after: Option<FlightPosition>,
    /// At most this many.
    pub limit: usize,
}

/// A flight's place in the listing order: departure, then id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FlightPosition {
    /// Departure instant.
    pub departure: Timestamp,
    /// Flight id, to order flights leaving at the same instant.
    pub id: FlightId,
}

/// A flight's seat layout and which seats are taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatMap {
    /// The layout.
    pub cabin: Cabin,
    /// Seats held or sold.
    pub taken: BTreeSet<SeatNumber>,
}

/// A purchase, fully checked by the seller, ready to be made durable.
#[derive(Debug, Clone)]
pub struct Order {
    /// The transaction that holds and sells the seats.
    pub txn: TxnId,
    /// The booking reference this purchase creates.
    pub reference: BookingReference,
    /// The buyer.
    pub customer: CustomerId,
    /// The client's key for retrying safely, with a digest of what it asked.
    pub idempotency: Option<Idempotency>,
    /// Passengers, in order.
    pub passengers: Vec<PassengerName>,
    /// Flights in travel order.
    pub legs: Vec<OrderLeg>,
    /// When the purchase is made.
    pub at: Timestamp,
}

/// One flight of an order.
#[derive(Debug, Clone)]
pub struct OrderLeg {
    /// The flight, as the seller saw it when checking the order.
    pub flight: Flight,
    /// Seat per passenger, or `None` to let the owner choose.
    pub seats: Option<Vec<SeatNumber>>,
}

impl OrderLeg {
    /// What its owner must hold for it.
    pub fn request(&self) -> LegRequest {
        LegRequest { flight: self.flight.id, seats: self.seats.clone() }
    }
}

/// An idempotency key with the SHA-256 of the request it first came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    /// The client's key.
    pub key: String,
    /// Digest of the parsed request.
    pub request_digest: [u8; 32],
}

/// How a purchase ended in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purchased {
    /// A new booking.
    Created(Booking),
    /// The idempotency key was used before for the same request: its booking.
    Replayed(Booking),
}

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

/// One seat the operating airline holds or sold on one of its flights: its record of the
/// segment, cross-referenced to the seller's booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRecord {
    /// The seat.
    pub seat: SeatNumber,
    /// `held` (its transaction is undecided) or `sold`.
    pub state: String,
    /// The passenger's name.
    pub passenger: PassengerName,
    /// The ticket issued.
    pub ticket: TicketNumber,
    /// The selling airline.
    pub seller: AirlineId,
    /// The seller's booking, once sold.
    pub reference: Option<BookingReference>,
    /// The transaction that holds or sold it.
    pub txn: TxnId,
}

/// An airline this node talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerRecord {
    /// The peer's airline.
    pub airline: AirlineId,
    /// Its base URL.
    pub url: String,
    /// Its Ed25519 public key (base64), when pinned through `addconn` rather than configuration.
    pub public_key: Option<String>,
    /// Removed with `rmconn`: kept, marked, so that configuration does not bring it back.
    pub removed: bool,
}

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

/// Everything a node stores. Every method is atomic: it happens entirely or not at all, and
/// once a write method returns `Ok`, its effect survives a crash.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Inserts or updates the airports (reference data).
    async fn put_airports(&self, airports: Vec<Airport>) -> StoreResult<()>;
    /// Every airport, by code.
    async fn airports(&self) -> StoreResult<Vec<Airport>>;
    /// Inserts or updates an airline of the network.
    async fn put_airline(&self, airline: Airline) -> StoreResult<()>;
    /// Every airline this node knows, by id.
    async fn airlines(&self) -> StoreResult<Vec<Airline>>;

    /// Inserts the flights whose ids are not stored yet; returns how many were new.
    async fn add_missing_flights(&self, flights: Vec<Flight>) -> StoreResult<usize>;
    /// Inserts one new flight; `FlightExists` if the id is taken.
    async fn create_flight(&self, flight: Flight) -> StoreResult<FlightRecord>;
    /// Replaces a scheduled flight's times and fare with those of `flight` if the stored one is
    /// at `expected_version` (the optimistic lock of edits); bumps the version.
    async fn update_flight(
        &self,
        flight: Flight,
        expected_version: u64,
    ) -> StoreResult<FlightRecord>;
    /// Cancels a flight (if at `expected_version`, when given): nothing more is sold on it, and
    /// the segments booked on it are marked `flight_cancelled` with a history entry.
    async fn cancel_flight(
        &self,
        id: FlightId,
        expected_version: Option<u64>,
        at: Timestamp,
    ) -> StoreResult<FlightRecord>;
    /// One flight.
    async fn flight(&self, id: FlightId) -> StoreResult<Option<FlightRecord>>;
    /// Several flights by id; missing ones are left out.
    async fn flights_by_id(&self, ids: Vec<FlightId>) -> StoreResult<Vec<FlightRecord>>;
    /// A page of flights.
    async fn flights(&self, query: FlightQuery) -> StoreResult<Page<FlightRecord, FlightPosition>>;
    /// A flight's seat map.
    async fn seat_map(&self, id: FlightId) -> StoreResult<Option<SeatMap>>;

    /// Creates an account; `UsernameTaken` if the username is in use.
    async fn create_customer(&self, customer: NewCustomer) -> StoreResult<Customer>;
    /// The account and its password hash, to check a login.
    async fn credentials(&self, username: Username) -> StoreResult<Option<(Customer, String)>>;
    /// Records a new session.
    async fn create_session(
        &self,
        token_hash: [u8; 32],
        customer: CustomerId,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// The session with this token hash.
    async fn session(&self, token_hash: [u8; 32]) -> StoreResult<Option<Session>>;
    /// Marks the session used at `at`.
    async fn touch_session(&self, token_hash: [u8; 32], at: Timestamp) -> StoreResult<()>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: [u8; 32]) -> StoreResult<()>;
    /// Ends every session last used before `idle_since`; returns how many.
    async fn delete_idle_sessions(&self, idle_since: Timestamp) -> StoreResult<usize>;

    /// Makes a purchase durable: holds and sells every seat and records the booking, all or
    /// nothing. Seats without a choice are chosen by the owner (a party sits together when a
    /// row allows).
    async fn purchase(&self, order: Order) -> StoreResult<Purchased>;
    /// The booking made with this idempotency key by this customer, with its request digest.
    async fn booking_by_idempotency_key(
        &self,
        customer: CustomerId,
        key: String,
    ) -> StoreResult<Option<(Booking, [u8; 32])>>;
    /// One of the customer's bookings.
    async fn booking(
        &self,
        customer: CustomerId,
        reference: BookingReference,
    ) -> StoreResult<Option<Booking>>;
    /// A page of the customer's bookings, newest first.
    async fn bookings(
        &self,
        customer: CustomerId,
        after: Option<i64>,
        limit: usize,
    ) -> StoreResult<Page<Booking, i64>>;
    /// Cancels one of the customer's bookings and releases its seats here; the seats it holds
    /// at other airlines are recorded as releases to make there (see
    /// [`Store::pending_releases`]). Cancelling a cancelled booking changes nothing; a pending
    /// one is `BookingPending`.
    async fn cancel_booking(
        &self,
        customer: CustomerId,
        reference: BookingReference,
        at: Timestamp,
    ) -> StoreResult<Booking>;

    /// Makes every write answered so far durable, deferred ones included (see
    /// [`Store::begin_purchase`]): once it returns, a power cut loses none of them.
    async fn sync(&self) -> StoreResult<()>;
    /// Appends every own flight departing after `after` to the change log, so that every
    /// replica reads each of them again; returns how many. A node does this as it starts: a
    /// replica may have read a flight while a deferred write held seats on it, and a power cut
    /// may have taken that write back.
    async fn log_own_flights(&self, after: Timestamp) -> StoreResult<usize>;
    /// The last entry of the change log of own flights (0 if none).
    async fn log_head(&self) -> StoreResult<u64>;
    /// The head of the change log, updated after every write that grows it.
    fn log_head_changes(&self) -> watch::Receiver<u64>;
    /// Own flights changed after log entry `after`, covering at most `limit` entries; or a
    /// snapshot of every own flight (`after` = 0) if the log no longer keeps what follows `after`.
    async fn log_batch(&self, after: u64, limit: u64) -> StoreResult<Batch>;
    /// Deletes all but the last `keep` log entries; returns how many it deleted.
    async fn prune_log(&self, keep: u64) -> StoreResult<usize>;
    /// Applies a batch of `owner`'s flights to this node's replica of its catalog and records the
    /// replica's new position, in one write; `ForeignFlight` if the batch carries a flight that is
    /// not `owner`'s to publish. The segments this node sold on a flight the batch shows
    /// cancelled are marked `flight_cancelled` in the same write.
    async fn apply_replica(&self, owner: AirlineId, batch: Batch, at: Timestamp)
    -> StoreResult<()>;
    /// The position of every replica, by owner.
    async fn replica_positions(&self) -> StoreResult<BTreeMap<AirlineId, u64>>;
    /// Every peer, removed ones included.
    async fn peers(&self) -> StoreResult<Vec<PeerRecord>>;
    /// Adds, updates or (with `removed`) removes a peer.
    async fn put_peer(&self, peer: PeerRecord, at: Timestamp) -> StoreResult<()>;

    /// Begins a purchase across airlines, as its coordinator: records the pending booking and
    /// the transaction with its participants — and, if this airline is one, prepares its own
    /// legs as [`Store::prepare`] would — in one write. An idempotency key seen before answers
    /// its booking as it stands (`Replayed`).
    ///
    /// The write survives a crash but is not forced to disk before it returns: a power cut may
    /// take it back until the next forced write or [`Store::sync`]. Presumed abort makes that
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
    /// [`Store::decide`] would, if this airline is a participant, and records as acknowledged
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
    /// This airline's record of the segments on its `flight`: every seat held or sold.
    async fn flight_segments(&self, flight: FlightId) -> StoreResult<Vec<SegmentRecord>>;
}
