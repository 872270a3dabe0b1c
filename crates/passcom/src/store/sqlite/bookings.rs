//! Bookings at the seller: the booking, its passengers, segments and history.

use jiff::Timestamp;
use passcom_core::{
    AirlineId, AirportCode, Booking, BookingReference, BookingStatus, FlightId, HistoryEntry,
    Money, PassengerName, SeatNumber, Segment, SegmentStatus, TicketNumber,
};
use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{instant, is_unique_violation, millis, parsed};
use super::writer::internal;
use crate::store::{CustomerId, HeldSeat, Order, Page, StoreError, StoreResult};

/// Records the booking of a purchase whose seats are `held` (in order: flight by flight,
/// passenger by passenger), confirmed.
pub(crate) fn insert(
    connection: &Connection,
    order: &Order,
    held: &[HeldSeat],
) -> StoreResult<Booking> {
    let total: Money =
        order.legs.iter().map(|leg| leg.flight.price.times(order.passengers.len() as u32)).sum();
    let (key, digest) = match &order.idempotency {
        Some(idempotency) => {
            (Some(idempotency.key.as_str()), Some(idempotency.request_digest.as_slice()))
        }
        None => (None, None),
    };
    connection
        .prepare_cached(
            "INSERT INTO bookings (reference, customer, status, total_price, created_at, idempotency_key, request_digest)
             VALUES (?1, ?2, 'confirmed', ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut insert| {
            insert.execute(params![order.reference.as_str(), order.customer.0, total.cents(), millis(order.at), key, digest])
        })
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::ReferenceTaken(order.reference),
            false => internal(error),
        })?;
    let booking = connection.last_insert_rowid();
    insert_passengers(connection, booking, &order.passengers)?;
    insert_segments(connection, booking, order, held)?;
    append_history(connection, booking, order.at, "confirmed", "purchased; every seat sold")?;
    load(connection, booking).map_err(internal)
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

fn insert_segments(
    connection: &Connection,
    booking: i64,
    order: &Order,
    held: &[HeldSeat],
) -> StoreResult<()> {
    let mut insert = connection
        .prepare_cached(
            "INSERT INTO booking_segments (booking, position, flight, airline, origin, destination,
                 departure, arrival, passenger, seat, ticket, price, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'confirmed')",
        )
        .map_err(internal)?;
    for (position, seat) in held.iter().enumerate() {
        let leg = order.legs.iter().find(|leg| leg.flight.id == seat.flight).ok_or_else(|| {
            StoreError::Internal(format!("held a seat on {} outside the order", seat.flight))
        })?;
        let flight = &leg.flight;
        insert
            .execute(params![
                booking,
                position,
                flight.id.to_string(),
                flight.airline.as_str(),
                flight.origin.as_str(),
                flight.destination.as_str(),
                millis(flight.departure),
                millis(flight.arrival),
                seat.passenger,
                seat.seat.to_string(),
                seat.ticket.to_string(),
                flight.price.cents()
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
    let (reference, status, total, created_at) = connection
        .prepare_cached("SELECT * FROM bookings WHERE id = ?1")?
        .query_row([booking], |row| {
            Ok((
                parsed(row, "reference", BookingReference::parse)?,
                parsed(row, "status", BookingStatus::parse)?,
                row.get::<_, i64>("total_price")?,
                instant(row, "created_at")?,
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

/// Marks every segment on `flight` as `flight_cancelled`, with a history entry on each booking
/// concerned; returns how many bookings.
pub(crate) fn mark_flight_cancelled(
    connection: &Connection,
    flight: FlightId,
    at: Timestamp,
) -> StoreResult<usize> {
    let bookings: Vec<i64> = connection
        .prepare_cached(
            "SELECT DISTINCT booking FROM booking_segments WHERE flight = ?1 AND status = 'confirmed' ORDER BY booking",
        )
        .and_then(|mut select| select.query_map([flight.to_string()], |row| row.get(0))?.collect())
        .map_err(internal)?;
    connection
        .execute(
            "UPDATE booking_segments SET status = 'flight_cancelled' WHERE flight = ?1 AND status = 'confirmed'",
            [flight.to_string()],
        )
        .map_err(internal)?;
    let detail = format!("flight {flight} cancelled by the airline");
    for &booking in &bookings {
        append_history(connection, booking, at, "flight_cancelled", &detail)?;
    }
    Ok(bookings.len())
}
