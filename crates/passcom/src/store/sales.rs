//! Sales and seats: bookings sold here, the seats they hold, and safe retries.
//!
//! A purchase *holds* seats under a transaction id and *sells* them to a booking. One whose legs
//! all belong to this airline does both in one durable write ([`SalesStore::purchase`], a
//! one-phase commit); a purchase across airlines takes the same two steps apart, through the
//! commit records ([`CommitStore`](super::CommitStore)). A seat row exists only while the seat
//! is held or sold, and its key (flight, seat) is what guarantees that no seat is ever held or
//! sold twice: a second claim fails it and becomes
//! [`StoreError::SeatUnavailable`](super::StoreError::SeatUnavailable).

use async_trait::async_trait;
use jiff::Timestamp;
use passcom_core::commit::LegRequest;
use passcom_core::{
    AirlineId, Booking, BookingReference, Flight, FlightId, PassengerName, SeatNumber, TicketNumber,
};

use super::{CustomerId, Page, StoreResult, TxnId};

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

/// Bookings, their seats and idempotency keys.
#[async_trait]
pub trait SalesStore: Send + Sync + 'static {
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
    /// [`CommitStore::pending_releases`](super::CommitStore::pending_releases)). Cancelling a
    /// cancelled booking changes nothing; a pending one is `BookingPending`.
    async fn cancel_booking(
        &self,
        customer: CustomerId,
        reference: BookingReference,
        at: Timestamp,
    ) -> StoreResult<Booking>;
    /// This airline's record of the segments on its `flight`: every seat held or sold.
    async fn flight_segments(&self, flight: FlightId) -> StoreResult<Vec<SegmentRecord>>;

    /// Makes every write answered so far durable, deferred ones of every concern included (see
    /// [`CommitStore::begin_purchase`](super::CommitStore::begin_purchase)): once it returns, a
    /// power cut loses none of them. Here because what it guards is what a customer or an
    /// operator is shown: a booking or a segment read a moment after its write committed,
    /// perhaps before its fsync.
    async fn sync(&self) -> StoreResult<()>;
}
