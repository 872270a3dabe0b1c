//! Seats at their owner: hold, sell, release — the participant's side of a purchase.
//!
//! A hold is taken in one statement per seat and fails at once if the seat is taken: the
//! primary key refuses the row and the hold becomes `SeatUnavailable`. Nothing waits for
//! anything. The owner also issues each passenger's ticket number when it holds the seat, so a
//! yes-vote in the commit protocol can carry the tickets back to the seller.
//!
//! When the seller is the only participant (every leg is its own), nobody else has to vote: the
//! hold and the sale are one step, and the seat row is written sold to the booking at once — the
//! classic one-phase commit of a single-participant transaction.

use passcom_core::{BookingReference, FlightId, PassengerName, SeatNumber, TicketNumber};
use rusqlite::{Connection, params};

use super::catalog::{bare_flight, taken_seats};
use super::codec::{is_unique_violation, parsed};
use super::writer::internal;
use crate::store::rules::{HoldRequest, Owner, check_sellable};
use crate::store::{HeldSeat, StoreError, StoreResult, TxnId};

/// Holds a seat per passenger on one flight, or fails without holding any.
pub(crate) fn hold(
    connection: &Connection,
    owner: &Owner,
    request: &HoldRequest<'_>,
) -> StoreResult<Vec<HeldSeat>> {
    let flight = bare_flight(connection, request.flight)?;
    if flight.airline != owner.airline {
        // Only the owner holds seats on a flight; a replica's copy is a hint, not the flight.
        return Err(StoreError::FlightNotFound(flight.id));
    }
    check_sellable(&flight, request.at)?;
    let seats = match request.seats {
        Some(seats) if seats.iter().all(|seat| flight.cabin.contains(*seat)) => seats.to_vec(),
        Some(_) => return Err(StoreError::SeatUnavailable { flight: flight.id }),
        None => {
            let taken = taken_seats(connection, flight.id).map_err(internal)?;
            flight
                .cabin
                .choose_free(&taken, request.passengers.len())
                .ok_or(StoreError::SeatUnavailable { flight: flight.id })?
        }
    };
    let first_serial = issue_tickets(connection, seats.len())?;
    let mut held = Vec::with_capacity(seats.len());
    for (passenger, (name, seat)) in request.passengers.iter().zip(seats).enumerate() {
        let serial = first_serial + passenger as u64;
        let ticket = TicketNumber::issue(owner.ticket_prefix, serial)
            .map_err(|error| StoreError::Internal(error.to_string()))?;
        insert_hold(connection, request, seat, (passenger, name), ticket)?;
        held.push(HeldSeat { flight: flight.id, passenger, seat, ticket });
    }
    Ok(held)
}

fn insert_hold(
    connection: &Connection,
    request: &HoldRequest<'_>,
    seat: SeatNumber,
    (passenger_index, passenger): (usize, &PassengerName),
    ticket: TicketNumber,
) -> StoreResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO seats (flight, seat, state, txn, seller, booking_reference, passenger, ticket,
                 passenger_index)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .and_then(|mut insert| {
            insert.execute(params![
                request.flight.to_string(),
                seat.to_string(),
                if request.sold_to.is_some() { "sold" } else { "held" },
                request.txn.as_str(),
                request.seller.as_str(),
                request.sold_to.as_ref().map(BookingReference::as_str),
                passenger.as_str(),
                ticket.to_string(),
                passenger_index
            ])
        })
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::SeatUnavailable { flight: request.flight },
            false => internal(error),
        })?;
    Ok(())
}

/// Reserves `count` ticket serials of this airline; returns the first. The counter is read
/// back by a second statement, not `RETURNING`: SQLite collects what `RETURNING` returns in a
/// temporary table it builds and drops at every run (see migration 4 in `schema`).
fn issue_tickets(connection: &Connection, count: usize) -> StoreResult<u64> {
    connection
        .prepare_cached(
            "INSERT INTO counters (name, value) VALUES ('ticket_serial', ?1)
             ON CONFLICT (name) DO UPDATE SET value = value + ?1",
        )
        .and_then(|mut add| add.execute([count as i64]))
        .map_err(internal)?;
    let last: i64 = connection
        .prepare_cached("SELECT value FROM counters WHERE name = 'ticket_serial'")
        .and_then(|mut read| read.query_row([], |row| row.get(0)))
        .map_err(internal)?;
    Ok((last - count as i64 + 1) as u64)
}

/// Releases every seat `txn` holds or sold; returns how many.
pub(crate) fn release(connection: &Connection, txn: &TxnId) -> StoreResult<usize> {
    connection
        .prepare_cached("DELETE FROM seats WHERE txn = ?1")
        .and_then(|mut delete| delete.execute([txn.as_str()]))
        .map_err(internal)
}

/// The seats `txn` holds or sold here, flight by flight, passenger by passenger.
pub(crate) fn of_txn(connection: &Connection, txn: &TxnId) -> StoreResult<Vec<HeldSeat>> {
    connection
        .prepare_cached("SELECT * FROM seats WHERE txn = ?1 ORDER BY flight, passenger_index")
        .and_then(|mut select| {
            select
                .query_map([txn.as_str()], |row| {
                    Ok(HeldSeat {
                        flight: parsed(row, "flight", FlightId::parse)?,
                        passenger: row
                            .get::<_, Option<usize>>("passenger_index")?
                            .unwrap_or_default(),
                        seat: parsed(row, "seat", SeatNumber::parse)?,
                        ticket: parsed(row, "ticket", TicketNumber::parse)?,
                    })
                })?
                .collect()
        })
        .map_err(internal)
}

/// Sells every seat `txn` holds to booking `reference`; returns how many.
pub(crate) fn sell(connection: &Connection, txn: &TxnId, reference: &str) -> StoreResult<usize> {
    connection
        .prepare_cached("UPDATE seats SET state = 'sold', booking_reference = ?2 WHERE txn = ?1 AND state = 'held'")
        .and_then(|mut update| update.execute(params![txn.as_str(), reference]))
        .map_err(internal)
}

/// The flights on which `txn` holds or sold seats here.
pub(crate) fn flights_of_txn(connection: &Connection, txn: &TxnId) -> StoreResult<Vec<FlightId>> {
    connection
        .prepare_cached("SELECT DISTINCT flight FROM seats WHERE txn = ?1")
        .and_then(|mut select| {
            select
                .query_map([txn.as_str()], |row| parsed(row, "flight", FlightId::parse))?
                .collect()
        })
        .map_err(internal)
}
