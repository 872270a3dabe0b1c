//! Seats at their owner: hold, sell, release — the participant's side of a purchase.
//!
//! As in SQLite's store (`store::sqlite::seats`), a hold is one row per seat and the primary
//! key refuses a second claim. Here the claim may first wait for the transaction that made the
//! first one to end (see the module doc of [`super`]). Purchases that let the store choose
//! their seats choose one at a time per flight (an advisory lock on the flight, held to the
//! commit), so that they do not all pick the same first free seats; one that still loses a seat
//! it chose (to a buyer who named it) runs again from the start, choosing among those still
//! free.

use passcom_core::{BookingReference, FlightId, PassengerName, SeatNumber, TicketNumber};

use super::catalog::{flight_for_sale, taken_seats};
use super::codec::{get, is_unique_violation, parsed};
use super::{Db, Failure, PgResult, lock_key};
use crate::store::rules::{HoldRequest, Owner, check_sellable};
use crate::store::{HeldSeat, StoreError, TxnId};

/// Holds a seat per passenger on one flight, or fails without holding any.
pub(crate) async fn hold(
    db: &Db<'_>,
    owner: &Owner,
    request: &HoldRequest<'_>,
) -> PgResult<Vec<HeldSeat>> {
    let flight = flight_for_sale(db, request.flight).await?;
    if flight.airline != owner.airline {
        // Only the owner holds seats on a flight; a replica's copy is a hint, not the flight.
        return Err(StoreError::FlightNotFound(flight.id).into());
    }
    check_sellable(&flight, request.at)?;
    let seats = match request.seats {
        Some(seats) if seats.iter().all(|seat| flight.cabin.contains(*seat)) => seats.to_vec(),
        Some(_) => return Err(StoreError::SeatUnavailable { flight: flight.id }.into()),
        None => {
            // Purchases choosing seats on one flight choose one at a time: without this they
            // all choose the same first free seats, and all but one start over.
            db.lock(lock_key("choose seats", &[flight.id.to_string().as_bytes()])).await?;
            let taken = taken_seats(db, flight.id).await?;
            flight
                .cabin
                .choose_free(&taken, request.passengers.len())
                .ok_or(StoreError::SeatUnavailable { flight: flight.id })?
        }
    };
    let serials = issue_tickets(db, seats.len()).await?;
    let mut held = Vec::with_capacity(seats.len());
    for (passenger, ((name, seat), serial)) in
        request.passengers.iter().zip(seats).zip(serials).enumerate()
    {
        let ticket = TicketNumber::issue(owner.ticket_prefix, serial)
            .map_err(|error| StoreError::Internal(error.to_string()))?;
        insert_hold(db, request, seat, (passenger, name), ticket).await?;
        held.push(HeldSeat { flight: flight.id, passenger, seat, ticket });
    }
    Ok(held)
}

async fn insert_hold(
    db: &Db<'_>,
    request: &HoldRequest<'_>,
    seat: SeatNumber,
    (passenger_index, passenger): (usize, &PassengerName),
    ticket: TicketNumber,
) -> PgResult<()> {
    db.try_execute(
        "INSERT INTO seats (flight, seat, state, txn, seller, booking_reference, passenger, ticket,
             passenger_index)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &request.flight.to_string(),
            &seat.to_string(),
            &if request.sold_to.is_some() { "sold" } else { "held" },
            &request.txn.as_str(),
            &request.seller.as_str(),
            &request.sold_to.as_ref().map(BookingReference::as_str),
            &passenger.as_str(),
            &ticket.to_string(),
            &(passenger_index as i32),
        ],
    )
    .await
    .map_err(|error| match is_unique_violation(&error) {
        // Seats the store chose were free when it looked: another purchase took one since.
        // Choosing again from the start will find the seats still free, if any.
        true if request.seats.is_none() => Failure::Retry,
        true => StoreError::SeatUnavailable { flight: request.flight }.into(),
        false => Failure::from(error),
    })?;
    Ok(())
}

/// Reserves `count` ticket serials of this airline, from the sequence (not necessarily
/// consecutive: other purchases draw from it at the same time).
async fn issue_tickets(db: &Db<'_>, count: usize) -> PgResult<Vec<u64>> {
    let rows = db
        .rows(
            "SELECT nextval('ticket_serials') AS serial FROM generate_series(1, $1)",
            &[&(count as i32)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let serial: i64 = get(row, "serial")?;
            u64::try_from(serial)
                .map_err(|_| StoreError::Internal(format!("serial {serial}")).into())
        })
        .collect()
}

/// Releases every seat `txn` holds or sold; returns how many.
pub(crate) async fn release(db: &Db<'_>, txn: &TxnId) -> PgResult<u64> {
    db.execute("DELETE FROM seats WHERE txn = $1", &[&txn.as_str()]).await
}

/// The seats `txn` holds or sold here, flight by flight, passenger by passenger.
pub(crate) async fn of_txn(db: &Db<'_>, txn: &TxnId) -> PgResult<Vec<HeldSeat>> {
    let rows = db
        .rows(
            "SELECT * FROM seats WHERE txn = $1 ORDER BY flight, passenger_index",
            &[&txn.as_str()],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let passenger: i32 = get(row, "passenger_index")?;
            Ok(HeldSeat {
                flight: parsed(row, "flight", FlightId::parse)?,
                passenger: usize::try_from(passenger).unwrap_or_default(),
                seat: parsed(row, "seat", SeatNumber::parse)?,
                ticket: parsed(row, "ticket", TicketNumber::parse)?,
            })
        })
        .collect()
}

/// Sells every seat `txn` holds to booking `reference`; returns how many.
pub(crate) async fn sell(db: &Db<'_>, txn: &TxnId, reference: &str) -> PgResult<u64> {
    db.execute(
        "UPDATE seats SET state = 'sold', booking_reference = $2 WHERE txn = $1 AND state = 'held'",
        &[&txn.as_str(), &reference],
    )
    .await
}

/// The flights on which `txn` holds or sold seats here.
pub(crate) async fn flights_of_txn(db: &Db<'_>, txn: &TxnId) -> PgResult<Vec<FlightId>> {
    let rows = db
        .rows("SELECT DISTINCT flight FROM seats WHERE txn = $1 ORDER BY flight", &[&txn.as_str()])
        .await?;
    Ok(rows.iter().map(|row| parsed(row, "flight", FlightId::parse)).collect::<Result<_, _>>()?)
}
