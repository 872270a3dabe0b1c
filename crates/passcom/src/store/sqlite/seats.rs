//! Seats at their owner: hold, sell, release — the participant's side of a purchase.
//!
//! A hold is taken in one statement per seat and fails at once if the seat is taken: the
//! primary key refuses the row and the hold becomes `SeatUnavailable`. Nothing waits for
//! anything. The owner also issues each passenger's ticket number when it holds the seat, so a
//! yes-vote in the commit protocol can carry the tickets back to the seller.

use jiff::Timestamp;
use passcom_core::{AirlineId, FlightId, PassengerName, SeatNumber, TicketNumber, TicketPrefix};
use rusqlite::{Connection, params};

use super::catalog::{check_sellable, existing_flight, taken_seats};
use super::codec::is_unique_violation;
use super::writer::internal;
use crate::store::{HeldSeat, StoreError, StoreResult, TxnId};

/// The airline a store belongs to: the only flights it holds seats on, and its ticket prefix.
#[derive(Debug, Clone)]
pub(crate) struct Owner {
    pub(crate) airline: AirlineId,
    pub(crate) ticket_prefix: TicketPrefix,
}

/// What a seller asks the owner to hold on one flight.
pub(crate) struct HoldRequest<'a> {
    pub(crate) txn: &'a TxnId,
    pub(crate) seller: &'a AirlineId,
    pub(crate) flight: FlightId,
    pub(crate) passengers: &'a [PassengerName],
    /// One seat per passenger, or `None` to let the owner choose.
    pub(crate) seats: Option<&'a [SeatNumber]>,
    pub(crate) at: Timestamp,
}

/// Holds a seat per passenger on one flight, or fails without holding any.
pub(crate) fn hold(
    connection: &Connection,
    owner: &Owner,
    request: &HoldRequest<'_>,
) -> StoreResult<Vec<HeldSeat>> {
    let flight = existing_flight(connection, request.flight)?.flight;
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
    let mut held = Vec::with_capacity(seats.len());
    for (passenger, (name, seat)) in request.passengers.iter().zip(seats).enumerate() {
        let ticket = issue_ticket(connection, owner.ticket_prefix)?;
        insert_hold(connection, request, seat, name, ticket)?;
        held.push(HeldSeat { flight: flight.id, passenger, seat, ticket });
    }
    Ok(held)
}

fn insert_hold(
    connection: &Connection,
    request: &HoldRequest<'_>,
    seat: SeatNumber,
    passenger: &PassengerName,
    ticket: TicketNumber,
) -> StoreResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO seats (flight, seat, state, txn, seller, passenger, ticket)
             VALUES (?1, ?2, 'held', ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut insert| {
            insert.execute(params![
                request.flight.to_string(),
                seat.to_string(),
                request.txn.0,
                request.seller.as_str(),
                passenger.as_str(),
                ticket.to_string()
            ])
        })
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::SeatUnavailable { flight: request.flight },
            false => internal(error),
        })?;
    Ok(())
}

/// The next ticket number of this airline.
fn issue_ticket(connection: &Connection, prefix: TicketPrefix) -> StoreResult<TicketNumber> {
    let serial: i64 = connection
        .prepare_cached(
            "INSERT INTO counters (name, value) VALUES ('ticket_serial', 1)
             ON CONFLICT (name) DO UPDATE SET value = value + 1
             RETURNING value",
        )
        .and_then(|mut next| next.query_row([], |row| row.get(0)))
        .map_err(internal)?;
    TicketNumber::issue(prefix, serial as u64)
        .map_err(|error| StoreError::Internal(error.to_string()))
}

/// Sells every seat `txn` holds to booking `reference`; returns how many.
pub(crate) fn sell(connection: &Connection, txn: &TxnId, reference: &str) -> StoreResult<usize> {
    connection
        .prepare_cached("UPDATE seats SET state = 'sold', booking_reference = ?2 WHERE txn = ?1 AND state = 'held'")
        .and_then(|mut update| update.execute(params![txn.0, reference]))
        .map_err(internal)
}

/// Releases every seat sold to `seller`'s booking `reference`; returns how many.
pub(crate) fn release_sold(
    connection: &Connection,
    seller: &AirlineId,
    reference: &str,
) -> StoreResult<usize> {
    connection
        .prepare_cached("DELETE FROM seats WHERE seller = ?1 AND booking_reference = ?2")
        .and_then(|mut delete| delete.execute(params![seller.as_str(), reference]))
        .map_err(internal)
}
