//! Bookings at the seller: purchases, the booking, its passengers, segments and history.

use std::collections::BTreeSet;

use jiff::Timestamp;
use passcom_core::commit::AbortCause;
use passcom_core::{
    AirlineId, AirportCode, Booking, BookingReference, BookingStatus, FlightId, HistoryEntry,
    Money, PassengerName, SeatNumber, Segment, SegmentStatus, TicketNumber,
};

use super::codec::{get, instant, instant_at, internal, is_unique_violation, parsed};
use super::network::log_change;
use super::seats;
use super::{Db, Failure, PgResult, commit, lock_key};
use crate::store::rules::{HoldRequest, Owner, confirmed, segments_of, stored_instant};
use crate::store::{CustomerId, HeldSeat, Order, Page, Purchased, StoreError, TxnId};

/// Holds and sells every seat of `order` and records its booking, in one transaction.
pub(crate) async fn purchase(db: &Db<'_>, owner: &Owner, order: &Order) -> PgResult<Purchased> {
    if let Some(booking) = replay(db, order).await? {
        return Ok(Purchased::Replayed(booking));
    }
    let mut held = Vec::new();
    for leg in &order.legs {
        let request = HoldRequest {
            txn: &order.txn,
            seller: &owner.airline,
            flight: leg.flight.id,
            passengers: &order.passengers,
            seats: leg.seats.as_deref(),
            sold_to: Some(order.reference),
            at: order.at,
        };
        held.extend(seats::hold(db, owner, &request).await?);
        log_change(db, leg.flight.id).await?;
    }
    Ok(Purchased::Created(insert(db, order, &held).await?))
}

/// The booking an earlier purchase with the order's idempotency key made, as it stands now;
/// `IdempotencyKeyReused` if that purchase asked for something else.
///
/// The key is locked until the transaction ends, before looking: a retry of the same purchase
/// arriving meanwhile waits here for this one to commit, and then finds its booking.
pub(crate) async fn replay(db: &Db<'_>, order: &Order) -> PgResult<Option<Booking>> {
    let Some(idempotency) = &order.idempotency else { return Ok(None) };
    let key =
        lock_key("idempotency", &[&order.customer.0.to_be_bytes(), idempotency.key.as_bytes()]);
    db.lock(key).await?;
    let earlier = find_by_idempotency_key(db, order.customer, &idempotency.key).await?;
    let Some((booking, digest)) = earlier else { return Ok(None) };
    if digest != idempotency.request_digest {
        return Err(StoreError::IdempotencyKeyReused.into());
    }
    Ok(Some(load(db, booking).await?))
}

/// Cancels the customer's booking: releases its seats here and records the releases to make
/// at the other airlines whose flights it has.
pub(crate) async fn cancel(
    db: &Db<'_>,
    owner: &Owner,
    customer: CustomerId,
    reference: BookingReference,
    at: Timestamp,
) -> PgResult<Booking> {
    let id = find(db, customer, reference).await?.ok_or(StoreError::BookingNotFound(reference))?;
    lock(db, id).await?;
    let booking = load(db, id).await?;
    match booking.status {
        BookingStatus::Cancelled | BookingStatus::Failed => return Ok(booking),
        BookingStatus::Pending => return Err(StoreError::BookingPending(reference).into()),
        BookingStatus::Confirmed => {}
    }
    let departed = booking.segments.iter().find(|segment| segment.departure <= at);
    if let Some(segment) = departed {
        return Err(StoreError::FlightDeparted(segment.flight).into());
    }
    let txn = txn(db, id).await?;
    for flight in seats::flights_of_txn(db, &txn).await? {
        log_change(db, flight).await?;
    }
    seats::release(db, &txn).await?;
    let elsewhere: BTreeSet<AirlineId> = booking
        .segments
        .iter()
        .filter(|segment| segment.airline != owner.airline)
        .map(|segment| segment.airline.clone())
        .collect();
    let elsewhere: Vec<AirlineId> = elsewhere.into_iter().collect();
    commit::request_releases(db, &txn, id, &elsewhere, at).await?;
    mark_cancelled(db, id, at).await?;
    load(db, id).await
}

/// Locks booking `booking` until the transaction ends: what follows decides on its state.
pub(crate) async fn lock(db: &Db<'_>, booking: i64) -> PgResult<()> {
    db.execute("SELECT 1 FROM bookings WHERE id = $1 FOR UPDATE", &[&booking]).await?;
    Ok(())
}

/// Records the booking of a purchase whose seats are `held` (in order: flight by flight,
/// passenger by passenger), confirmed, and returns it.
async fn insert(db: &Db<'_>, order: &Order, held: &[HeldSeat]) -> PgResult<Booking> {
    let booking = confirmed(order, held)?;
    let id = insert_booking(db, order, &booking).await?;
    insert_passengers(db, id, &booking.passengers).await?;
    insert_segments(db, id, &booking.segments).await?;
    for entry in &booking.history {
        append_history(db, id, entry.at, &entry.event, &entry.detail).await?;
    }
    Ok(booking)
}

/// Records the booking of a purchase across airlines, pending until its transaction is
/// decided; returns its internal id.
pub(crate) async fn insert_pending(
    db: &Db<'_>,
    order: &Order,
    airlines: &[AirlineId],
) -> PgResult<i64> {
    let at = stored_instant(order.at);
    let total: Money =
        order.legs.iter().map(|leg| leg.flight.price.times(order.passengers.len() as u32)).sum();
    let booking = Booking {
        reference: order.reference,
        status: BookingStatus::Pending,
        passengers: order.passengers.clone(),
        segments: Vec::new(),
        total_price: total,
        created_at: at,
        history: Vec::new(),
        failure: None,
    };
    let id = insert_booking(db, order, &booking).await?;
    insert_passengers(db, id, &order.passengers).await?;
    let names: Vec<&str> = airlines.iter().map(AirlineId::as_str).collect();
    let detail = format!("purchase started; asking {} to hold the seats", names.join(", "));
    append_history(db, id, at, "pending", &detail).await?;
    Ok(id)
}

/// Confirms a pending booking: its segments are the seats the participants `held`. A flight
/// this node learned is cancelled meanwhile has its segments marked so at once.
pub(crate) async fn confirm(
    db: &Db<'_>,
    booking: i64,
    order: &Order,
    held: &[HeldSeat],
    at: Timestamp,
) -> PgResult<()> {
    insert_segments(db, booking, &segments_of(order, held)?).await?;
    set_status(db, booking, BookingStatus::Confirmed).await?;
    append_history(db, booking, at, "confirmed", "every seat sold at every airline").await?;
    let cancelled = db
        .rows(
            "SELECT DISTINCT s.flight FROM booking_segments s JOIN flights f ON f.id = s.flight
             WHERE s.booking = $1 AND f.status = 'cancelled' ORDER BY s.flight",
            &[&booking],
        )
        .await?;
    for row in &cancelled {
        let flight = parsed(row, "flight", FlightId::parse)?;
        mark_segments_flight_cancelled(db, booking, flight, at).await?;
    }
    Ok(())
}

/// Marks a pending booking failed, with why: nothing was bought.
pub(crate) async fn fail(
    db: &Db<'_>,
    booking: i64,
    cause: &AbortCause,
    at: Timestamp,
) -> PgResult<()> {
    let failure = serde_json::to_string(cause).map_err(internal)?;
    db.execute(
        "UPDATE bookings SET status = 'failed', failure = $2 WHERE id = $1",
        &[&booking, &failure],
    )
    .await?;
    append_history(db, booking, at, "purchase_failed", &format!("nothing bought: {cause}")).await
}

async fn set_status(db: &Db<'_>, booking: i64, status: BookingStatus) -> PgResult<()> {
    db.execute("UPDATE bookings SET status = $2 WHERE id = $1", &[&booking, &status.as_str()])
        .await?;
    Ok(())
}

async fn insert_booking(db: &Db<'_>, order: &Order, booking: &Booking) -> PgResult<i64> {
    let (key, digest) = match &order.idempotency {
        Some(idempotency) => {
            (Some(idempotency.key.as_str()), Some(idempotency.request_digest.as_slice()))
        }
        None => (None, None),
    };
    let row = db
        .try_one(
            "INSERT INTO bookings (reference, txn, customer, status, total_price, created_at,
                 idempotency_key, request_digest)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &booking.reference.as_str(),
                &order.txn.as_str(),
                &order.customer.0,
                &booking.status.as_str(),
                &booking.total_price.cents(),
                &instant(booking.created_at),
                &key,
                &digest,
            ],
        )
        .await
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::ReferenceTaken(order.reference).into(),
            false => Failure::from(error),
        })?;
    Ok(get(&row, "id")?)
}

async fn insert_passengers(
    db: &Db<'_>,
    booking: i64,
    passengers: &[PassengerName],
) -> PgResult<()> {
    for (position, name) in passengers.iter().enumerate() {
        db.execute(
            "INSERT INTO booking_passengers (booking, position, name) VALUES ($1, $2, $3)",
            &[&booking, &(position as i32), &name.as_str()],
        )
        .await?;
    }
    Ok(())
}

async fn insert_segments(db: &Db<'_>, booking: i64, segments: &[Segment]) -> PgResult<()> {
    for (position, segment) in segments.iter().enumerate() {
        db.execute(
            "INSERT INTO booking_segments (booking, position, flight, airline, origin, destination,
                 departure, arrival, passenger, seat, ticket, price, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            &[
                &booking,
                &(position as i32),
                &segment.flight.to_string(),
                &segment.airline.as_str(),
                &segment.origin.as_str(),
                &segment.destination.as_str(),
                &instant(segment.departure),
                &instant(segment.arrival),
                &(segment.passenger as i32),
                &segment.seat.to_string(),
                &segment.ticket.to_string(),
                &segment.price.cents(),
                &segment.status.as_str(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Appends an entry to a booking's history. The booking is locked first: the entry's position
/// counts the entries before it, which two writers appending at once would count alike.
pub(crate) async fn append_history(
    db: &Db<'_>,
    booking: i64,
    at: Timestamp,
    event: &str,
    detail: &str,
) -> PgResult<()> {
    lock(db, booking).await?;
    db.execute(
        "INSERT INTO booking_history (booking, position, at, event, detail)
         VALUES ($1, (SELECT count(*) FROM booking_history WHERE booking = $1), $2, $3, $4)",
        &[&booking, &instant(at), &event, &detail],
    )
    .await?;
    Ok(())
}

/// The internal id of the customer's booking with this reference.
pub(crate) async fn find(
    db: &Db<'_>,
    customer: CustomerId,
    reference: BookingReference,
) -> PgResult<Option<i64>> {
    let row = db
        .optional(
            "SELECT id FROM bookings WHERE customer = $1 AND reference = $2",
            &[&customer.0, &reference.as_str()],
        )
        .await?;
    Ok(row.map(|row| get(&row, "id")).transpose()?)
}

/// The transaction that sold booking `booking`'s seats.
async fn txn(db: &Db<'_>, booking: i64) -> PgResult<TxnId> {
    let row = db.one("SELECT txn FROM bookings WHERE id = $1", &[&booking]).await?;
    Ok(parsed(&row, "txn", TxnId::parse)?)
}

/// The internal id and request digest of the customer's booking made with `key`.
pub(crate) async fn find_by_idempotency_key(
    db: &Db<'_>,
    customer: CustomerId,
    key: &str,
) -> PgResult<Option<(i64, [u8; 32])>> {
    let row = db
        .optional(
            "SELECT id, request_digest FROM bookings WHERE customer = $1 AND idempotency_key = $2",
            &[&customer.0, &key],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let digest: Vec<u8> = get(&row, "request_digest")?;
    let digest: [u8; 32] =
        digest.try_into().map_err(|_| internal("a request digest of 32 bytes"))?;
    Ok(Some((get(&row, "id")?, digest)))
}

/// The whole booking with internal id `booking`.
pub(crate) async fn load(db: &Db<'_>, booking: i64) -> PgResult<Booking> {
    let row = db.one("SELECT * FROM bookings WHERE id = $1", &[&booking]).await?;
    let failure: Option<String> = get(&row, "failure")?;
    Ok(Booking {
        reference: parsed(&row, "reference", BookingReference::parse)?,
        status: parsed(&row, "status", BookingStatus::parse)?,
        passengers: passengers(db, booking).await?,
        segments: segments(db, booking).await?,
        total_price: Money::from_cents(get(&row, "total_price")?).unwrap_or_default(),
        created_at: instant_at(&row, "created_at")?,
        history: history(db, booking).await?,
        failure: failure.and_then(|json| serde_json::from_str(&json).ok()),
    })
}

async fn passengers(db: &Db<'_>, booking: i64) -> PgResult<Vec<PassengerName>> {
    let rows = db
        .rows(
            "SELECT name FROM booking_passengers WHERE booking = $1 ORDER BY position",
            &[&booking],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| parsed(row, "name", PassengerName::parse))
        .collect::<Result<_, _>>()?)
}

async fn segments(db: &Db<'_>, booking: i64) -> PgResult<Vec<Segment>> {
    let rows = db
        .rows("SELECT * FROM booking_segments WHERE booking = $1 ORDER BY position", &[&booking])
        .await?;
    let segment = |row: &tokio_postgres::Row| -> Result<Segment, StoreError> {
        let passenger: i32 = get(row, "passenger")?;
        Ok(Segment {
            flight: parsed(row, "flight", FlightId::parse)?,
            airline: parsed(row, "airline", AirlineId::parse)?,
            origin: parsed(row, "origin", AirportCode::parse)?,
            destination: parsed(row, "destination", AirportCode::parse)?,
            departure: instant_at(row, "departure")?,
            arrival: instant_at(row, "arrival")?,
            passenger: usize::try_from(passenger).map_err(internal)?,
            seat: parsed(row, "seat", SeatNumber::parse)?,
            ticket: parsed(row, "ticket", TicketNumber::parse)?,
            price: Money::from_cents(get(row, "price")?).unwrap_or_default(),
            status: parsed(row, "status", SegmentStatus::parse)?,
        })
    };
    Ok(rows.iter().map(segment).collect::<Result<_, _>>()?)
}

async fn history(db: &Db<'_>, booking: i64) -> PgResult<Vec<HistoryEntry>> {
    let rows = db
        .rows("SELECT * FROM booking_history WHERE booking = $1 ORDER BY position", &[&booking])
        .await?;
    let entry = |row: &tokio_postgres::Row| -> Result<HistoryEntry, StoreError> {
        Ok(HistoryEntry {
            at: instant_at(row, "at")?,
            event: get(row, "event")?,
            detail: get(row, "detail")?,
        })
    };
    Ok(rows.iter().map(entry).collect::<Result<_, _>>()?)
}

/// A page of the customer's bookings, newest first, after internal id `after`.
pub(crate) async fn list(
    db: &Db<'_>,
    customer: CustomerId,
    after: Option<i64>,
    limit: usize,
) -> PgResult<Page<Booking, i64>> {
    let rows = db
        .rows(
            "SELECT id FROM bookings WHERE customer = $1 AND ($2::bigint IS NULL OR id < $2)
             ORDER BY id DESC LIMIT $3",
            &[&customer.0, &after, &(limit as i64)],
        )
        .await?;
    let ids: Vec<i64> = rows.iter().map(|row| get(row, "id")).collect::<Result<_, _>>()?;
    let next = (ids.len() == limit).then(|| ids.last().copied()).flatten();
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(load(db, id).await?);
    }
    Ok(Page { items, next })
}

/// Marks the booking cancelled and its confirmed segments cancelled.
async fn mark_cancelled(db: &Db<'_>, booking: i64, at: Timestamp) -> PgResult<()> {
    db.execute("UPDATE bookings SET status = 'cancelled' WHERE id = $1", &[&booking]).await?;
    db.execute(
        "UPDATE booking_segments SET status = 'cancelled' WHERE booking = $1 AND status = 'confirmed'",
        &[&booking],
    )
    .await?;
    append_history(db, booking, at, "cancelled", "cancelled by the customer; every seat released")
        .await
}

/// Marks the segments sold on this airline's `flight` as `flight_cancelled`, with a history
/// entry on each booking concerned; returns how many bookings. The bookings are found through
/// the flight's sold seat rows, which name the booking each seat was sold to (this airline's
/// own sales; other sellers learn it from the replicated flight, see
/// [`mark_replica_flight_cancelled`]).
pub(crate) async fn mark_flight_cancelled(
    db: &Db<'_>,
    this_airline: &AirlineId,
    flight: FlightId,
    at: Timestamp,
) -> PgResult<usize> {
    let rows = db
        .rows(
            "SELECT DISTINCT b.id FROM seats s JOIN bookings b ON b.reference = s.booking_reference
             WHERE s.flight = $1 AND s.state = 'sold' AND s.seller = $2 AND b.status = 'confirmed'
             ORDER BY b.id",
            &[&flight.to_string(), &this_airline.as_str()],
        )
        .await?;
    mark_each_flight_cancelled(db, &rows, flight, at).await
}

/// Marks the segments this node sold on another airline's `flight`, which that airline
/// cancelled, as `flight_cancelled`; returns how many bookings changed.
pub(crate) async fn mark_replica_flight_cancelled(
    db: &Db<'_>,
    flight: FlightId,
    at: Timestamp,
) -> PgResult<usize> {
    let rows = db
        .rows(
            "SELECT DISTINCT booking AS id FROM booking_segments
             WHERE flight = $1 AND status = 'confirmed' ORDER BY booking",
            &[&flight.to_string()],
        )
        .await?;
    mark_each_flight_cancelled(db, &rows, flight, at).await
}

/// Marks the segments on `flight` of each booking of `rows` (by `id`, in order).
async fn mark_each_flight_cancelled(
    db: &Db<'_>,
    rows: &[tokio_postgres::Row],
    flight: FlightId,
    at: Timestamp,
) -> PgResult<usize> {
    for row in rows {
        mark_segments_flight_cancelled(db, get(row, "id")?, flight, at).await?;
    }
    Ok(rows.len())
}

/// Marks one booking's confirmed segments on `flight` as `flight_cancelled`, with a history
/// entry if any changed.
async fn mark_segments_flight_cancelled(
    db: &Db<'_>,
    booking: i64,
    flight: FlightId,
    at: Timestamp,
) -> PgResult<()> {
    lock(db, booking).await?;
    let changed = db
        .execute(
            "UPDATE booking_segments SET status = 'flight_cancelled'
             WHERE booking = $1 AND flight = $2 AND status = 'confirmed'",
            &[&booking, &flight.to_string()],
        )
        .await?;
    if changed > 0 {
        let detail = format!("flight {flight} cancelled by the airline");
        append_history(db, booking, at, "flight_cancelled", &detail).await?;
    }
    Ok(())
}
