//! Sales at the selling airline: buying a trip and cancelling it.
//!
//! A purchase is checked here, once, against the flights of the catalog: every flight
//! exists, is scheduled and has not left; the flights connect (same airport, minimum connection
//! time, legs limit, see `passcom_core::itinerary`); a chosen seat exists on its flight and is
//! not chosen twice. Then the order gets a transaction id and a booking reference, and its legs
//! are grouped by the airline that owns them:
//!
//! - **Only this airline's legs**: the store holds and sells every seat in one durable write —
//!   the one-phase commit of a transaction whose only participant is its coordinator (the
//!   classic optimisation of two-phase commit; the hold is the participant's own code).
//! - **Other airlines' legs too**: the two-phase commit ([`crate::commit`]). If an owner is
//!   known to be offline the purchase is refused at once, `airline_unavailable`, before
//!   anything is held anywhere. Otherwise the store records the pending booking and the
//!   transaction, the commit driver coordinates it, and the customer waits up to
//!   `purchase_wait_ms` for the outcome: confirmed, failed with its cause, or — if it is not
//!   known by then — pending, to be read later.
//!
//! An `Idempotency-Key` makes retries safe: the first purchase with a key records it with a
//! digest of the request; the same key and request again returns that booking, the same key
//! with another request is refused. The store checks the key inside the purchase's own write,
//! so two concurrent requests with one key still make one booking.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use passcom_core::commit::{AbortCause, LegRequest};
use passcom_core::itinerary::{self, ConnectionRules};
use passcom_core::{
    AirlineId, Booking, BookingReference, BookingStatus, Flight, FlightId, FlightStatus,
    ParseError, PassengerName, SeatNumber,
};
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::clock::{Clock, Entropy};
use crate::commit::Commit;
use crate::network::Network;
use crate::store::{
    Begun, CustomerId, Idempotency, Order, OrderLeg, Page, Purchased, Store, StoreError, TxnId,
};

/// How many booking references to draw before giving up (with 2³⁰ references, a collision
/// is rare; eight in a row means something else is wrong).
const REFERENCE_ATTEMPTS_MAX: usize = 8;

/// What a customer asks to buy, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseRequest {
    /// Flights in travel order.
    pub flights: Vec<FlightId>,
    /// Passengers.
    pub passengers: Vec<PassengerName>,
    /// Per flight, a seat per passenger; `None` lets the owners choose.
    pub seats: Option<Vec<Vec<SeatNumber>>>,
}

impl PurchaseRequest {
    /// SHA-256 of the request's canonical form: what an idempotency key is bound to.
    pub fn digest(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        for flight in &self.flights {
            hasher.update(flight.to_string());
            hasher.update([0x1f]);
        }
        hasher.update([0x1e]);
        for passenger in &self.passengers {
            hasher.update(passenger.as_str());
            hasher.update([0x1f]);
        }
        hasher.update([0x1e]);
        for seats in self.seats.iter().flatten() {
            for seat in seats {
                hasher.update(seat.to_string());
                hasher.update([0x1f]);
            }
            hasher.update([0x1e]);
        }
        hasher.finalize().into()
    }
}

/// Why a purchase or cancellation failed.
#[derive(Debug, thiserror::Error)]
pub enum SalesError {
    /// No such flight is sold here.
    #[error("flight {0} not found")]
    FlightNotFound(FlightId),
    /// The flight is cancelled.
    #[error("flight {0} is cancelled")]
    FlightCancelled(FlightId),
    /// The flight has left.
    #[error("flight {0} has departed")]
    FlightDeparted(FlightId),
    /// A seat is taken, or too few are free.
    #[error("no seat available as asked on flight {flight}")]
    SeatUnavailable {
        /// The flight.
        flight: FlightId,
    },
    /// The flights do not form a trip a passenger can fly, or the seats do not fit them.
    #[error(transparent)]
    InvalidTrip(ParseError),
    /// The idempotency key came before with another request.
    #[error("idempotency key reused")]
    IdempotencyKeyReused,
    /// The customer has no booking with that reference.
    #[error("booking {0} not found")]
    BookingNotFound(BookingReference),
    /// The booking's purchase is not decided yet.
    #[error("booking {0} is pending")]
    BookingPending(BookingReference),
    /// An airline owning a leg is offline: nothing was held.
    #[error("{0} is unavailable")]
    AirlineUnavailable(AirlineId),
    /// The purchase across airlines was decided: aborted, for `cause`. Its booking records it.
    #[error("purchase {reference} failed: {cause}")]
    PurchaseFailed {
        /// The failed booking.
        reference: BookingReference,
        /// Why.
        cause: AbortCause,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for SalesError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::SeatUnavailable { flight } => SalesError::SeatUnavailable { flight },
            StoreError::FlightNotFound(flight) => SalesError::FlightNotFound(flight),
            StoreError::FlightCancelled(flight) => SalesError::FlightCancelled(flight),
            StoreError::FlightDeparted(flight) => SalesError::FlightDeparted(flight),
            StoreError::IdempotencyKeyReused => SalesError::IdempotencyKeyReused,
            StoreError::BookingNotFound(reference) => SalesError::BookingNotFound(reference),
            StoreError::BookingPending(reference) => SalesError::BookingPending(reference),
            other => SalesError::Store(other),
        }
    }
}

/// How a purchase request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sale {
    /// Bought: every seat sold at every airline.
    Confirmed(Booking),
    /// Not decided within the wait: the booking is pending; reading it later shows the outcome.
    Pending(Booking),
    /// The idempotency key came before with the same request: that booking, as it stands now.
    Replayed(Booking),
}

/// What sales needs besides the store.
pub struct SalesContext {
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Transaction ids and booking references come from here.
    pub entropy: Arc<dyn Entropy>,
    /// The flights for sale.
    pub catalog: Arc<Catalog>,
    /// What makes a trip flyable.
    pub rules: ConnectionRules,
    /// Which airlines are online.
    pub network: Arc<Network>,
    /// The two-phase commit.
    pub commit: Arc<Commit>,
}

/// The seller's side of purchases and cancellations.
pub struct Sales {
    store: Arc<dyn Store>,
    this: AirlineId,
    context: SalesContext,
}

impl Sales {
    /// The sales service of airline `this` over `store`.
    pub fn new(store: Arc<dyn Store>, this: AirlineId, context: SalesContext) -> Self {
        Self { store, this, context }
    }

    /// Buys `request` for `customer`, all seats or none.
    pub async fn purchase(
        &self,
        customer: CustomerId,
        request: PurchaseRequest,
        idempotency_key: Option<String>,
    ) -> Result<Sale, SalesError> {
        let idempotency =
            idempotency_key.map(|key| Idempotency { key, request_digest: request.digest() });
        if let Some(idempotency) = &idempotency
            && let Some(booking) = self.replay(customer, idempotency).await?
        {
            return self.durable(replayed(booking)).await;
        }
        let legs = self.checked_legs(&request)?;
        let owners = legs_by_owner(&legs);
        let order = |sales: &Self| Order {
            txn: sales.new_txn(),
            reference: BookingReference::from_random(sales.context.entropy.next_u64()),
            customer,
            idempotency: idempotency.clone(),
            passengers: request.passengers.clone(),
            legs: legs.clone(),
            at: sales.context.clock.now(),
        };
        if owners.keys().all(|owner| *owner == self.this) {
            return self.purchase_here(|| order(self)).await;
        }
        if let Some(offline) = owners.keys().find(|owner| !self.context.network.is_online(owner)) {
            return Err(SalesError::AirlineUnavailable(offline.clone()));
        }
        self.purchase_across(|| order(self), owners).await
    }

    /// A purchase of this airline's own flights: one durable write.
    async fn purchase_here(&self, order: impl Fn() -> Order) -> Result<Sale, SalesError> {
        for _ in 0..REFERENCE_ATTEMPTS_MAX {
            match self.store.purchase(order()).await {
                Err(StoreError::ReferenceTaken(_)) => continue,
                Ok(Purchased::Created(booking)) => return Ok(Sale::Confirmed(booking)),
                Ok(Purchased::Replayed(booking)) => return replayed(booking),
                Err(error) => return Err(error.into()),
            }
        }
        Err(no_reference())
    }

    /// A purchase across airlines: coordinated by the commit driver while the store begins
    /// it — the prepares travel while the begin is written — and waited for up to
    /// `purchase_wait_ms`.
    async fn purchase_across(
        &self,
        order: impl Fn() -> Order,
        owners: BTreeMap<AirlineId, Vec<LegRequest>>,
    ) -> Result<Sale, SalesError> {
        let participants: Vec<AirlineId> = owners.keys().cloned().collect();
        let commit = &self.context.commit;
        for _ in 0..REFERENCE_ATTEMPTS_MAX {
            let order = order();
            let txn = order.txn.clone();
            let answer = commit.coordinate(order.clone(), owners.clone()).await;
            let begun = self.store.begin_purchase(order, participants.clone()).await;
            let pending = match begun {
                Ok(Begun::Created { booking, vote }) => {
                    commit.begun(txn, vote).await;
                    booking
                }
                Ok(Begun::Replayed(booking)) => {
                    commit.not_begun(txn).await;
                    return self.durable(replayed(booking)).await;
                }
                Err(StoreError::ReferenceTaken(_)) => {
                    commit.not_begun(txn).await;
                    continue;
                }
                Err(error) => {
                    commit.not_begun(txn).await;
                    return Err(error.into());
                }
            };
            let wait = Duration::from_millis(self.context.commit.config().purchase_wait_ms);
            return match tokio::time::timeout(wait, answer).await {
                // Decided: the decision's write was forced, and answered once on disk.
                Ok(Ok(booking)) => decided(booking),
                // Not decided in time (or the node is stopping): the booking says so later.
                Ok(Err(_)) | Err(_) => self.durable(Ok(Sale::Pending(pending))).await,
            };
        }
        Err(no_reference())
    }

    /// `sale`, once what it tells is on disk. It was read, not written here: the begin of a
    /// pending booking is not forced (see [`CommitStore::begin_purchase`](crate::store::CommitStore::begin_purchase)), and a read sees a write
    /// once committed, a moment before its fsync. A customer told a booking's reference or
    /// outcome must find it so after any crash.
    async fn durable(&self, sale: Result<Sale, SalesError>) -> Result<Sale, SalesError> {
        self.store.sync().await?;
        sale
    }

    /// One of the customer's bookings, once what it shows is on disk (see [`Sales::durable`]):
    /// a booking is read a moment after its write commits, perhaps before its fsync.
    pub async fn booking(
        &self,
        customer: CustomerId,
        reference: BookingReference,
    ) -> Result<Booking, SalesError> {
        let booking = self.store.booking(customer, reference).await?;
        let booking = booking.ok_or(SalesError::BookingNotFound(reference))?;
        self.store.sync().await?;
        Ok(booking)
    }

    /// A page of the customer's bookings, newest first, once what it shows is on disk.
    pub async fn bookings(
        &self,
        customer: CustomerId,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Page<Booking, i64>, SalesError> {
        let page = self.store.bookings(customer, after, limit).await?;
        if !page.items.is_empty() {
            self.store.sync().await?;
        }
        Ok(page)
    }

    /// Cancels the customer's booking, releasing every seat: here at once, at other airlines
    /// as soon as they answer.
    pub async fn cancel(
        &self,
        customer: CustomerId,
        reference: BookingReference,
    ) -> Result<Booking, SalesError> {
        let booking =
            self.store.cancel_booking(customer, reference, self.context.clock.now()).await?;
        if booking.segments.iter().any(|segment| segment.airline != self.this) {
            self.context.commit.cancelled().await;
        }
        Ok(booking)
    }

    /// The booking an earlier request with the same key made, if any.
    async fn replay(
        &self,
        customer: CustomerId,
        idempotency: &Idempotency,
    ) -> Result<Option<Booking>, SalesError> {
        match self.store.booking_by_idempotency_key(customer, idempotency.key.clone()).await? {
            Some((booking, digest)) if digest == idempotency.request_digest => Ok(Some(booking)),
            Some(_) => Err(SalesError::IdempotencyKeyReused),
            None => Ok(None),
        }
    }

    /// The request's flights, checked to form a trip that can be sold now, with its seats.
    fn checked_legs(&self, request: &PurchaseRequest) -> Result<Vec<OrderLeg>, SalesError> {
        let flights = self.flights(&request.flights)?;
        let now = self.context.clock.now();
        for flight in &flights {
            check_sellable(flight, now)?;
        }
        let legs: Vec<&Flight> = flights.iter().map(Arc::as_ref).collect();
        itinerary::check(&legs, &self.context.rules).map_err(SalesError::InvalidTrip)?;
        check_seat_choice(&legs, request.passengers.len(), request.seats.as_deref())?;
        let seats = request.seats.clone().map(|seats| seats.into_iter().map(Some).collect());
        let seats = seats.unwrap_or_else(|| vec![None; legs.len()]);
        Ok(legs
            .into_iter()
            .zip(seats)
            .map(|(flight, seats)| OrderLeg { flight: flight.clone(), seats })
            .collect())
    }

    /// The flights with these ids, in the same order, from the catalog; the first unknown one
    /// is an error.
    fn flights(&self, ids: &[FlightId]) -> Result<Vec<Arc<Flight>>, SalesError> {
        let catalog = &self.context.catalog;
        ids.iter().map(|id| catalog.get(*id).ok_or(SalesError::FlightNotFound(*id))).collect()
    }

    /// A new transaction id: the time in microseconds, then 64 random bits, in hexadecimal.
    /// Leading with the time keeps the ids of recent transactions together in the index that
    /// finds a transaction's seats, instead of scattering each insert to a random page.
    fn new_txn(&self) -> TxnId {
        let micros = self.context.clock.now().as_microsecond();
        let random = self.context.entropy.next_u64();
        TxnId::parse(&format!("{micros:016x}{random:016x}"))
            .expect("hexadecimal digits are a transaction id")
    }
}

/// Each owner's legs, in travel order.
fn legs_by_owner(legs: &[OrderLeg]) -> BTreeMap<AirlineId, Vec<LegRequest>> {
    let mut owners: BTreeMap<AirlineId, Vec<LegRequest>> = BTreeMap::new();
    for leg in legs {
        owners.entry(leg.flight.airline.clone()).or_default().push(leg.request());
    }
    owners
}

/// A decided purchase across airlines, as the customer hears it.
fn decided(booking: Booking) -> Result<Sale, SalesError> {
    match (booking.status, booking.failure.clone()) {
        (BookingStatus::Failed, cause) => Err(SalesError::PurchaseFailed {
            reference: booking.reference,
            cause: cause.unwrap_or(AbortCause::Restarted),
        }),
        (BookingStatus::Pending, _) => Ok(Sale::Pending(booking)),
        _ => Ok(Sale::Confirmed(booking)),
    }
}

/// A replayed purchase answers as the first one did, with the booking as it stands now: a
/// failed purchase fails again the same way.
fn replayed(booking: Booking) -> Result<Sale, SalesError> {
    match decided(booking)? {
        Sale::Confirmed(booking) | Sale::Replayed(booking) => Ok(Sale::Replayed(booking)),
        Sale::Pending(booking) => Ok(Sale::Pending(booking)),
    }
}

fn no_reference() -> SalesError {
    SalesError::Store(StoreError::Internal("no free booking reference was drawn".into()))
}

fn check_sellable(flight: &Flight, now: jiff::Timestamp) -> Result<(), SalesError> {
    if flight.status == FlightStatus::Cancelled {
        return Err(SalesError::FlightCancelled(flight.id));
    }
    if !flight.is_sellable_at(now) {
        return Err(SalesError::FlightDeparted(flight.id));
    }
    Ok(())
}

/// Checks chosen seats against the flights: a list per flight, a seat per passenger, each on
/// its flight's cabin, none chosen twice on one flight.
fn check_seat_choice(
    flights: &[&Flight],
    passengers: usize,
    seats: Option<&[Vec<SeatNumber>]>,
) -> Result<(), SalesError> {
    let Some(seats) = seats else { return Ok(()) };
    let invalid =
        |code, message: String| Err(SalesError::InvalidTrip(ParseError::new(code, message)));
    if seats.len() != flights.len() {
        return invalid(
            "seats_mismatch",
            format!(
                "give one list of seats per flight: {} flights, {} lists",
                flights.len(),
                seats.len()
            ),
        );
    }
    for (flight, chosen) in flights.iter().zip(seats) {
        if chosen.len() != passengers {
            return invalid(
                "seats_mismatch",
                format!(
                    "give one seat per passenger on {}: {passengers} passengers, {} seats",
                    flight.id,
                    chosen.len()
                ),
            );
        }
        if let Some(seat) = chosen.iter().find(|seat| !flight.cabin.contains(**seat)) {
            return invalid(
                "seat_not_on_flight",
                format!("{} has no seat {seat} ({})", flight.id, flight.cabin),
            );
        }
        let distinct: std::collections::BTreeSet<_> = chosen.iter().collect();
        if distinct.len() != chosen.len() {
            return invalid(
                "seat_repeated",
                format!("each seat on {} can be chosen once", flight.id),
            );
        }
    }
    Ok(())
}
