//! Sales at the selling airline: buying a trip and cancelling it.
//!
//! A purchase is checked here, once, against the flights of the catalog: every flight
//! exists, is scheduled and has not left; the flights connect (same airport, minimum connection
//! time, legs limit, see `passcom_core::itinerary`); a chosen seat exists on its flight and is
//! not chosen twice. Then the order gets a transaction id and a booking reference and goes to
//! the store, which holds and sells every seat in one durable write — the one-phase commit of a
//! transaction whose only participant is this airline. Purchases across airlines will send the
//! same order through the two-phase commit instead; nothing above the store changes.
//!
//! An `Idempotency-Key` makes retries safe: the first purchase with a key records it with a
//! digest of the request; the same key and request again returns that booking, the same key
//! with another request is refused. The store checks the key inside the purchase's own write,
//! so two concurrent requests with one key still make one booking.

use std::sync::Arc;

use passcom_core::itinerary::{self, ConnectionRules};
use passcom_core::{
    Booking, BookingReference, Flight, FlightId, FlightStatus, ParseError, PassengerName,
    SeatNumber,
};
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::clock::{Clock, Entropy};
use crate::store::{CustomerId, Idempotency, Order, OrderLeg, Purchased, Store, StoreError, TxnId};

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
            other => SalesError::Store(other),
        }
    }
}

/// The seller's side of purchases and cancellations.
pub struct Sales {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    catalog: Arc<Catalog>,
    rules: ConnectionRules,
}

impl Sales {
    /// The sales service over `store`, checking trips against `rules`.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        catalog: Arc<Catalog>,
        rules: ConnectionRules,
    ) -> Self {
        Self { store, clock, entropy, catalog, rules }
    }

    /// Buys `request` for `customer`, all seats or none.
    pub async fn purchase(
        &self,
        customer: CustomerId,
        request: PurchaseRequest,
        idempotency_key: Option<String>,
    ) -> Result<Purchased, SalesError> {
        let idempotency =
            idempotency_key.map(|key| Idempotency { key, request_digest: request.digest() });
        if let Some(idempotency) = &idempotency
            && let Some(replayed) = self.replay(customer, idempotency).await?
        {
            return Ok(replayed);
        }
        let legs = self.checked_legs(&request)?;
        for _ in 0..REFERENCE_ATTEMPTS_MAX {
            let order = Order {
                txn: self.new_txn(),
                reference: BookingReference::from_random(self.entropy.next_u64()),
                customer,
                idempotency: idempotency.clone(),
                passengers: request.passengers.clone(),
                legs: legs.clone(),
                at: self.clock.now(),
            };
            match self.store.purchase(order).await {
                Err(StoreError::ReferenceTaken(_)) => continue,
                outcome => return outcome.map_err(SalesError::from),
            }
        }
        Err(SalesError::Store(StoreError::Internal("no free booking reference was drawn".into())))
    }

    /// Cancels the customer's booking, releasing every seat.
    pub async fn cancel(
        &self,
        customer: CustomerId,
        reference: BookingReference,
    ) -> Result<Booking, SalesError> {
        Ok(self.store.cancel_booking(customer, reference, self.clock.now()).await?)
    }

    /// The booking an earlier request with the same key made, if any.
    async fn replay(
        &self,
        customer: CustomerId,
        idempotency: &Idempotency,
    ) -> Result<Option<Purchased>, SalesError> {
        match self.store.booking_by_idempotency_key(customer, idempotency.key.clone()).await? {
            Some((booking, digest)) if digest == idempotency.request_digest => {
                Ok(Some(Purchased::Replayed(booking)))
            }
            Some(_) => Err(SalesError::IdempotencyKeyReused),
            None => Ok(None),
        }
    }

    /// The request's flights, checked to form a trip that can be sold now, with its seats.
    fn checked_legs(&self, request: &PurchaseRequest) -> Result<Vec<OrderLeg>, SalesError> {
        let flights = self.flights(&request.flights)?;
        let now = self.clock.now();
        for flight in &flights {
            check_sellable(flight, now)?;
        }
        let legs: Vec<&Flight> = flights.iter().map(Arc::as_ref).collect();
        itinerary::check(&legs, &self.rules).map_err(SalesError::InvalidTrip)?;
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
        ids.iter().map(|id| self.catalog.get(*id).ok_or(SalesError::FlightNotFound(*id))).collect()
    }

    /// A new transaction id: the time in microseconds, then 64 random bits, in hexadecimal.
    /// Leading with the time keeps the ids of recent transactions together in the index that
    /// finds a transaction's seats, instead of scattering each insert to a random page.
    fn new_txn(&self) -> TxnId {
        let micros = self.clock.now().as_microsecond();
        TxnId::parse(&format!("{micros:016x}{:016x}", self.entropy.next_u64()))
            .expect("hexadecimal digits are a transaction id")
    }
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
