//! Bookings at the seller: the booking, its passengers, segments and history.

use jiff::Timestamp;
use passcom_core::{
    AirlineId, AirportCode, Booking, BookingReference, BookingStatus, FlightId, HistoryEntry,
    Money, PassengerName, SeatNumber, Segment, SegmentStatus, TicketNumber,
};
use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{instant, is_unique_violation, millis, parsed};
use super::writer::internal;
use crate::store::rules::{confirmed, segments_of, stored_instant};
use crate::store::{CustomerId, HeldSeat, Order, Page, StoreError, StoreResult, TxnId};
use passcom_core::commit::AbortCause;

/// Records the booking of a purchase whose seats are `held` (in order: flight by flight,
/// passenger by passenger), confirmed, and returns it.
pub(crate) fn insert(
    connection: &Connection,
    order: &Order,
    held: &[HeldSeat],
) -> StoreResult<Booking> {
    let booking = confirmed(order, held)?;
    let id = insert_booking(connection, order, &booking)?;
    insert_passengers(connection, id, &booking.passengers)?;
    insert_segments(connection, id, &booking.segments)?;
    for entry in &booking.history {
        append_history(connection, id, entry.at, &entry.event, &entry.detail)?;
    }
    Ok(booking)
}

/// Records the booking of a purchase across airlines, pending until its transaction is
/// decided; returns its internal id.
pub(crate) fn insert_pending(
    connection: &Connection,
    order: &Order,
    airlines: &[AirlineId],
) -> StoreResult<i64> {
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
    let id = insert_booking(connection, order, &booking)?;
    insert_passengers(connection, id, &order.passengers)?;
    let names: Vec<&str> = airlines.iter().map(AirlineId::as_str).collect();
    let detail = format!("purchase started; asking {} to hold the seats", names.join(", "));
    append_history(connection, id, at, "pending", &detail)?;
    Ok(id)
}

/// Confirms a pending booking: its segments are the seats the participants `held`. A flight
/// this node learned is cancelled meanwhile has its segments marked so at once.
pub(crate) fn confirm(
    connection: &Connection,
    booking: i64,
    order: &Order,
    held: &[HeldSeat],
    at: Timestamp,
) -> StoreResult<()> {
    insert_segments(connection, booking, &segments_of(order, held)?)?;
    set_status(connection, booking, BookingStatus::Confirmed)?;
    append_history(connection, booking, at, "confirmed", "every seat sold at every airline")?;
    let cancelled: Vec<String> = connection
        .prepare_cached(
            "SELECT DISTINCT s.flight FROM booking_segments s JOIN flights f ON f.id = s.flight
             WHERE s.booking = ?1 AND f.status = 'cancelled' ORDER BY s.flight",
        )
        .and_then(|mut select| select.query_map([booking], |row| row.get(0))?.collect())
        .map_err(internal)?;
    for flight in cancelled {
        let flight = FlightId::parse(&flight).map_err(|e| StoreError::Internal(e.to_string()))?;
        mark_segments_flight_cancelled(connection, booking, flight, at)?;
    }
    Ok(())
}

/// Marks a pending booking failed, with why: nothing was bought.
pub(crate) fn fail(
    connection: &Connection,
    booking: i64,
    cause: &AbortCause,
    at: Timestamp,
) -> StoreResult<()> {
    let failure = serde_json::to_string(cause).map_err(|e| StoreError::Internal(e.to_string()))?;
    connection
        .prepare_cached("UPDATE bookings SET status = 'failed', failure = ?2 WHERE id = ?1")
        .and_then(|mut update| update.execute(params![booking, failure]))
        .map_err(internal)?;
    append_history(connection, booking, at, "purchase_failed", &format!("nothing bought: {cause}"))
}

fn set_status(connection: &Connection, booking: i64, status: BookingStatus) -> StoreResult<()> {
    connection
        .prepare_cached("UPDATE bookings SET status = ?2 WHERE id = ?1")
        .and_then(|mut update| update.execute(params![booking, status.as_str()]))
        .map_err(internal)?;
    Ok(())
}

fn insert_booking(connection: &Connection, order: &Order, booking: &Booking) -> StoreResult<i64> {
    let (key, digest) = match &order.idempotency {
        Some(idempotency) => {
            (Some(idempotency.key.as_str()), Some(idempotency.request_digest.as_slice()))
        }
        None => (None, None),
    };
    connection
        .prepare_cached(
            "INSERT INTO bookings (reference, txn, customer, status, total_price, created_at,
                 idempotency_key, request_digest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .and_then(|mut insert| {
            insert.execute(params![
                booking.reference.as_str(),
                order.txn.as_str(),
                order.customer.0,
                booking.status.as_str(),
                booking.total_price.cents(),
                millis(booking.created_at),
                key,
                digest
            ])
        })
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::ReferenceTaken(order.reference),
            false => internal(error),
        })?;
    Ok(connection.last_insert_rowid())
}

fn insert_passengers(
    connection: &Connection,
    booking: i64,
    passengers: &[PassengerName],
) -> StoreResult<()> {
    let mut insert = connection
        .prepare_cached(
            "INSERT INTO booking_passengers (booking, position, name) VALUES (?1, ?2, ?3)",
        )
        .map_err(internal)?;
    for (position, name) in passengers.iter().enumerate() {
        insert.execute(params![booking, position, name.as_str()]).map_err(internal)?;
    }
    Ok(())
}

fn insert_segments(connection: &Connection, booking: i64, segments: &[Segment]) -> StoreResult<()> {
    let mut insert = connection
        .prepare_cached(
            "INSERT INTO booking_segments (booking, position, flight, airline, origin, destination,
                 departure, arrival, passenger, seat, ticket, price, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .map_err(internal)?;
    for (position, segment) in segments.iter().enumerate() {
        insert
            .execute(params![
                booking,
                position,
                segment.flight.to_string(),
                segment.airline.as_str(),
                segment.origin.as_str(),
                segment.destination.as_str(),
                millis(segment.departure),
                millis(segment.arrival),
                segment.passenger,
                segment.seat.to_string(),
                segment.ticket.to_string(),
                segment.price.cents(),
                segment.status.as_str()
            ])
            .map_err(internal)?;
    }
    Ok(())
}

/// Appends an entry to a booking's history.
pub(crate) fn append_history(
    connection: &Connection,
    booking: i64,
    at: Timestamp,
    event: &str,
    detail: &str,
) -> StoreResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO booking_history (booking, position, at, event, detail)
             VALUES (?1, (SELECT count(*) FROM booking_history WHERE booking = ?1), ?2, ?3, ?4)",
        )
        .and_then(|mut insert| insert.execute(params![booking, millis(at), event, detail]))
        .map_err(internal)?;
    Ok(())
}

/// The internal id of the customer's booking with this reference.
pub(crate) fn find(
    connection: &Connection,
    customer: CustomerId,
    reference: BookingReference,
) -> rusqlite::Result<Option<i64>> {
    connection
        .prepare_cached("SELECT id FROM bookings WHERE customer = ?1 AND reference = ?2")?
        .query_row(params![customer.0, reference.as_str()], |row| row.get(0))
        .optional()
}

/// The transaction that sold booking `booking`'s seats.
pub(crate) fn txn(connection: &Connection, booking: i64) -> rusqlite::Result<TxnId> {
    let mut select = connection.prepare_cached("SELECT txn FROM bookings WHERE id = ?1")?;
    select.query_row([booking], |row| parsed(row, "txn", TxnId::parse))
}

/// The internal id and request digest of the customer's booking made with `key`.
pub(crate) fn find_by_idempotency_key(
    connection: &Connection,
    customer: CustomerId,
    key: &str,
) -> rusqlite::Result<Option<(i64, [u8; 32])>> {
    connection
        .prepare_cached(
            "SELECT id, request_digest FROM bookings WHERE customer = ?1 AND idempotency_key = ?2",
        )?
        .query_row(params![customer.0, key], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

/// The whole booking with internal id `booking`.
pub(crate) fn load(connection: &Connection, booking: i64) -> rusqlite::Result<Booking> {
    let (reference, status, total, created_at, failure) = connection
        .prepare_cached("SELECT * FROM bookings WHERE id = ?1")?
        .query_row([booking], |row| {
            Ok((
                parsed(row, "reference", BookingReference::parse)?,
                parsed(row, "status", BookingStatus::parse)?,
                row.get::<_, i64>("total_price")?,
                instant(row, "created_at")?,
                row.get::<_, Option<String>>("failure")?,
            ))
        })?;
    Ok(Booking {
        reference,
        status,
        passengers: passengers(connection, booking)?,
        segments: segments(connection, booking)?,
        total_price: Money::from_cents(total).unwrap_or_default(),
        created_at,
        history: history(connection, booking)?,
        failure: failure.and_then(|json| serde_json::from_str(&json).ok()),
    })
}

fn passengers(connection: &Connection, booking: i64) -> rusqlite::Result<Vec<PassengerName>> {
    connection
        .prepare_cached("SELECT name FROM booking_passengers WHERE booking = ?1 ORDER BY position")?
        .query_map([booking], |row| parsed(row, "name", PassengerName::parse))?
        .collect()
}

fn segments(connection: &Connection, booking: i64) -> rusqlite::Result<Vec<Segment>> {
    connection
        .prepare_cached("SELECT * FROM booking_segments WHERE booking = ?1 ORDER BY position")?
        .query_map([booking], |row| {
            Ok(Segment {
                flight: parsed(row, "flight", FlightId::parse)?,
                airline: parsed(row, "airline", AirlineId::parse)?,
                origin: parsed(row, "origin", AirportCode::parse)?,
                destination: parsed(row, "destination", AirportCode::parse)?,
                departure: instant(row, "departure")?,
                arrival: instant(row, "arrival")?,
                passenger: row.get("passenger")?,
                seat: parsed(row, "seat", SeatNumber::parse)?,
                ticket: parsed(row, "ticket", TicketNumber::parse)?,
                price: Money::from_cents(row.get("price")?).unwrap_or_default(),
                status: parsed(row, "status", SegmentStatus::parse)?,
            })
        })?
        .collect()
}

fn history(connection: &Connection, booking: i64) -> rusqlite::Result<Vec<HistoryEntry>> {
    connection
        .prepare_cached("SELECT * FROM booking_history WHERE booking = ?1 ORDER BY position")?
        .query_map([booking], |row| {
            Ok(HistoryEntry {
                at: instant(row, "at")?,
                event: row.get("event")?,
                detail: row.get("detail")?,
            })
        })?
        .collect()
}

/// A page of the customer's bookings, newest first, after internal id `after`.
pub(crate) fn list(
    connection: &Connection,
    customer: CustomerId,
    after: Option<i64>,
    limit: usize,
) -> rusqlite::Result<Page<Booking, i64>> {
    let ids: Vec<i64> = connection
        .prepare_cached(
            "SELECT id FROM bookings WHERE customer = ?1 AND (?2 IS NULL OR id < ?2)
             ORDER BY id DESC LIMIT ?3",
        )?
        .query_map(params![customer.0, after, limit as i64], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let next = (ids.len() == limit).then(|| ids.last().copied()).flatten();
    let items = ids.into_iter().map(|id| load(connection, id)).collect::<rusqlite::Result<_>>()?;
    Ok(Page { items, next })
}

/// Marks the booking cancelled and its confirmed segments cancelled.
pub(crate) fn mark_cancelled(
    connection: &Connection,
    booking: i64,
    at: Timestamp,
) -> StoreResult<()> {
    connection
        .execute("UPDATE bookings SET status = 'cancelled' WHERE id = ?1", [booking])
        .and_then(|_| {
            connection.execute(
                "UPDATE booking_segments SET status = 'cancelled' WHERE booking = ?1 AND status = 'confirmed'",
                [booking],
            )
        })
        .map_err(internal)?;
    append_history(
        connection,
        booking,
        at,
        "cancelled",
        "cancelled by the customer; every seat released",
    )
}

/// Marks the segments sold on this airline's `flight` as `flight_cancelled`, with a history
/// entry on each booking concerned; returns how many bookings. The bookings are found through
/// the flight's sold seat rows, which name the booking each seat was sold to (this airline's
/// own sales; other sellers learn it from the replicated flight, see
/// [`mark_replica_flight_cancelled`]).
pub(crate) fn mark_flight_cancelled(
    connection: &Connection,
    this_airline: &AirlineId,
    flight: FlightId,
    at: Timestamp,
) -> StoreResult<usize> {
    let bookings: Vec<i64> = connection
        .prepare_cached(
            "SELECT DISTINCT b.id FROM seats s JOIN bookings b ON b.reference = s.booking_reference
             WHERE s.flight = ?1 AND s.state = 'sold' AND s.seller = ?2 AND b.status = 'confirmed'
             ORDER BY b.id",
        )
        .and_then(|mut select| {
            select
                .query_map(params![flight.to_string(), this_airline.as_str()], |row| row.get(0))?
                .collect()
        })
        .map_err(internal)?;
    for &booking in &bookings {
        mark_segments_flight_cancelled(connection, booking, flight, at)?;
    }
    Ok(bookings.len())
}

/// Marks the segments this node sold on another airline's `flight`, which that airline
/// cancelled, as `flight_cancelled`; returns how many bookings changed.
pub(crate) fn mark_replica_flight_cancelled(
    connection: &Connection,
    flight: FlightId,
    at: Timestamp,
) -> StoreResult<usize> {
    let bookings: Vec<i64> = connection
        .prepare_cached(
            "SELECT DISTINCT booking FROM booking_segments
             WHERE flight = ?1 AND status = 'confirmed' ORDER BY booking",
        )
        .and_then(|mut select| select.query_map([flight.to_string()], |row| row.get(0))?.collect())
        .map_err(internal)?;
    for &booking in &bookings {
        mark_segments_flight_cancelled(connection, booking, flight, at)?;
    }
    Ok(bookings.len())
}

/// Marks one booking's confirmed segments on `flight` as `flight_cancelled`, with a history
/// entry if any changed.
fn mark_segments_flight_cancelled(
    connection: &Connection,
    booking: i64,
    flight: FlightId,
    at: Timestamp,
) -> StoreResult<()> {
    let changed = connection
        .prepare_cached(
            "UPDATE booking_segments SET status = 'flight_cancelled'
             WHERE booking = ?1 AND flight = ?2 AND status = 'confirmed'",
        )
        .and_then(|mut update| update.execute(params![booking, flight.to_string()]))
        .map_err(internal)?;
    if changed > 0 {
        let detail = format!("flight {flight} cancelled by the airline");
        append_history(connection, booking, at, "flight_cancelled", &detail)?;
    }
    Ok(())
}
