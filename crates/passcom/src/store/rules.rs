//! What both backends decide the same way, away from their SQL: the booking an order makes
//! once its seats are held, the part of an order an airline prepares for itself, whether a
//! flight can be sold or edited, and what operators are shown. A backend reads and writes; the
//! decisions on what it read are made here once.

use jiff::Timestamp;
use passcom_core::commit::{Prepare, RefusalReason, Vote};
use passcom_core::{
    AirlineId, Booking, BookingReference, BookingStatus, Designator, Flight, FlightId,
    FlightStatus, HistoryEntry, PassengerName, SeatNumber, Segment, SegmentStatus, TicketPrefix,
};

use super::{
    Coordination, FlightRecord, HeldSeat, InDoubt, Order, OrderLeg, StoreError, StoreResult, TxnId,
    TxnSummary,
};

/// `at` as it reads back from either database: to the millisecond (both store no finer).
pub(crate) fn stored_instant(at: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(at.as_millisecond())
        .expect("an instant to the millisecond is in range")
}

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
    /// Sell the seats to this booking at once (one-phase commit) instead of holding them.
    pub(crate) sold_to: Option<BookingReference>,
    pub(crate) at: Timestamp,
}

/// The booking `order` makes once its seats are `held`, built here rather than read back after
/// writing: it is exactly what either backend reads back (instants at the stored millisecond).
pub(crate) fn confirmed(order: &Order, held: &[HeldSeat]) -> StoreResult<Booking> {
    let at = stored_instant(order.at);
    let segments = segments_of(order, held)?;
    Ok(Booking {
        reference: order.reference,
        status: BookingStatus::Confirmed,
        passengers: order.passengers.clone(),
        total_price: segments.iter().map(|segment| segment.price).sum(),
        segments,
        created_at: at,
        history: vec![HistoryEntry {
            at,
            event: "confirmed".into(),
            detail: "purchased; every seat sold".into(),
        }],
        failure: None,
    })
}

/// The segments of `order` once its seats are `held`: flight by flight in travel order,
/// passenger by passenger, as booked.
pub(crate) fn segments_of(order: &Order, held: &[HeldSeat]) -> StoreResult<Vec<Segment>> {
    let position = |seat: &HeldSeat| order.legs.iter().position(|leg| leg.flight.id == seat.flight);
    let mut held: Vec<&HeldSeat> = held.iter().collect();
    held.sort_by_key(|seat| (position(seat), seat.passenger));
    held.into_iter()
        .map(|seat| {
            let leg = position(seat).map(|index| &order.legs[index]).ok_or_else(|| {
                StoreError::Internal(format!("held a seat on {} outside the order", seat.flight))
            })?;
            let flight = &leg.flight;
            Ok(Segment {
                flight: flight.id,
                airline: flight.airline.clone(),
                origin: flight.origin,
                destination: flight.destination,
                departure: stored_instant(flight.departure),
                arrival: stored_instant(flight.arrival),
                passenger: seat.passenger,
                seat: seat.seat,
                ticket: seat.ticket,
                price: flight.price,
                status: SegmentStatus::Confirmed,
            })
        })
        .collect()
}

/// The prepare this airline would send itself for its own legs of `order`.
pub(crate) fn own_part(owner: &Owner, order: &Order, participants: &[AirlineId]) -> Prepare {
    let legs = order
        .legs
        .iter()
        .filter(|leg| leg.flight.airline == owner.airline)
        .map(OrderLeg::request)
        .collect();
    Prepare {
        txn: order.txn.clone(),
        coordinator: owner.airline.clone(),
        reference: order.reference,
        participants: participants.to_vec(),
        passengers: order.passengers.clone(),
        legs,
    }
}

/// The no-vote a failed hold becomes; a store failure stays an error.
pub(crate) fn refusal(error: StoreError) -> StoreResult<Vote> {
    let (reason, flight) = match error {
        StoreError::SeatUnavailable { flight } => (RefusalReason::SeatUnavailable, flight),
        StoreError::FlightCancelled(flight) => (RefusalReason::FlightCancelled, flight),
        StoreError::FlightDeparted(flight) => (RefusalReason::FlightDeparted, flight),
        StoreError::FlightNotFound(flight) => (RefusalReason::FlightNotFound, flight),
        other => return Err(other),
    };
    Ok(Vote::No { reason, flight: Some(flight) })
}

pub(crate) fn names(airlines: &[AirlineId]) -> String {
    airlines.iter().map(AirlineId::as_str).collect::<Vec<_>>().join(", ")
}

/// Checks the optimistic lock: the flight is still at the version the caller saw.
pub(crate) fn check_version(record: &FlightRecord, expected: u64) -> StoreResult<()> {
    if record.flight.version != expected {
        return Err(StoreError::VersionMismatch {
            flight: record.flight.id,
            current: record.flight.version,
        });
    }
    Ok(())
}

/// Whether `flight` can still be sold at `at`, as an error naming why not.
pub(crate) fn check_sellable(flight: &Flight, at: Timestamp) -> StoreResult<()> {
    match flight.status {
        FlightStatus::Cancelled => Err(StoreError::FlightCancelled(flight.id)),
        FlightStatus::Scheduled if flight.departure <= at => {
            Err(StoreError::FlightDeparted(flight.id))
        }
        FlightStatus::Scheduled => Ok(()),
    }
}

/// An owner publishes only its own flights, under its own designator.
pub(crate) fn check_owned(
    flight: &Flight,
    owner: &AirlineId,
    designator: Option<Designator>,
) -> StoreResult<()> {
    let foreign =
        flight.airline != *owner || designator.is_some_and(|d| flight.id.designator() != d);
    if foreign {
        return Err(StoreError::ForeignFlight(format!(
            "{owner} published {} of {}",
            flight.id, flight.airline
        )));
    }
    Ok(())
}

/// What operators are shown of the unfinished transactions: those this node coordinates, then
/// those it is in doubt about as a participant.
pub(crate) fn summaries(unfinished: Vec<Coordination>, in_doubt: Vec<InDoubt>) -> Vec<TxnSummary> {
    let coordinating = unfinished.into_iter().map(|c| TxnSummary {
        state: match c.decided {
            None => "coordinating: undecided".to_owned(),
            Some(outcome) => format!("coordinating: {outcome}, waiting for {}", names(&c.waiting)),
        },
        txn: c.txn,
        since: c.created_at,
    });
    let doubting = in_doubt.into_iter().map(|d| TxnSummary {
        state: format!("prepared, in doubt (coordinator {})", d.coordinator),
        txn: d.txn,
        since: d.prepared_at,
    });
    coordinating.chain(doubting).collect()
}
