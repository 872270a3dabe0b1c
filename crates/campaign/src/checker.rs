//! The checker: the invariants of the design brief (§7) judged on a [`History`] and the
//! [`Observed`] state read once the network settled. It is a pure function of the two, so its
//! tests forge either to plant each fault it must catch.
//!
//! Only what the campaign made is judged: its bookings, and at the owners the segments whose
//! passenger carries the campaign's tag (an operator's network may hold other sales).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::history::{History, Observed, Outcome, booking_id};

/// One invariant found broken.
#[derive(Clone, Debug, Eq, PartialEq, Serialize)]
pub struct Violation {
    /// Which invariant, as a stable word.
    pub invariant: Invariant,
    /// What was seen, for people.
    pub detail: String,
}

/// The invariants the checker judges.
#[derive(Clone, Copy, Debug, Eq, Ord, PartialEq, PartialOrd, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Invariant {
    /// A seat in two bookings (or held or sold twice at its owner).
    SeatInTwoBookings,
    /// A booking answered confirmed that its seller no longer lists as confirmed (nor cancelled
    /// by the campaign).
    BookingLost,
    /// A confirmed booking with a segment its owner does not have sold to it.
    BookingIncomplete,
    /// A seat sold at an owner for a booking that is not confirmed: part of a trip without the
    /// rest.
    HalfTrip,
    /// Something still pending or held after settling.
    LeftPending,
    /// An owner whose seat map and segment record disagree: free + held + sold ≠ capacity.
    SeatsMiscounted,
    /// A replica that differs from its owner after the network healed.
    ReplicaDiverged,
    /// One idempotency key answered with two bookings.
    KeyTwoBookings,
}

/// Every violation in `history` and `observed`; the passengers of the campaign have names
/// starting with `tag`.
pub fn check(history: &History, observed: &Observed, tag: &str) -> Vec<Violation> {
    let mut found = Vec::new();
    seats_once(observed, &mut found);
    bookings_kept(history, observed, &mut found);
    bookings_complete(observed, &mut found);
    no_half_trips(observed, tag, &mut found);
    nothing_pending(observed, tag, &mut found);
    seats_counted(observed, &mut found);
    replicas_equal(observed, &mut found);
    one_booking_per_key(history, &mut found);
    found.sort_by(|a, b| (a.invariant, &a.detail).cmp(&(b.invariant, &b.detail)));
    found
}

fn violation(found: &mut Vec<Violation>, invariant: Invariant, detail: String) {
    found.push(Violation { invariant, detail });
}

/// No seat twice at its owner, and no (flight, seat) in two of the campaign's live bookings.
fn seats_once(observed: &Observed, found: &mut Vec<Violation>) {
    for (flight, state) in &observed.flights {
        let mut seats = BTreeSet::new();
        for segment in &state.segments {
            if !seats.insert(&segment.seat) {
                let detail =
                    format!("{flight} seat {} twice at its owner {}", segment.seat, state.owner);
                violation(found, Invariant::SeatInTwoBookings, detail);
            }
        }
    }
    let mut holders: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for (id, booking) in live_bookings(observed) {
        for (flight, seat) in &booking.segments {
            if let Some(other) = holders.insert((flight, seat), id) {
                let detail = format!("{flight} seat {seat} in bookings {other} and {id}");
                violation(found, Invariant::SeatInTwoBookings, detail);
            }
        }
    }
}

/// The bookings confirmed or pending: the ones that hold seats.
fn live_bookings(
    observed: &Observed,
) -> impl Iterator<Item = (&str, &crate::history::ObservedBooking)> {
    let live = |status: &str| status == "confirmed" || status == "pending";
    observed.bookings.iter().filter(move |(_, b)| live(&b.status)).map(|(id, b)| (id.as_str(), b))
}

/// Every purchase answered (or settled) confirmed is still confirmed at its seller, or
/// cancelled when the campaign asked for that.
fn bookings_kept(history: &History, observed: &Observed, found: &mut Vec<Violation>) {
    let cancelled: BTreeSet<String> =
        history.cancels.iter().map(|c| booking_id(&c.seller, &c.reference)).collect();
    for purchase in &history.purchases {
        for outcome in [&purchase.answered, &purchase.outcome] {
            let Outcome::Confirmed { reference } = outcome else { continue };
            let id = booking_id(&purchase.seller, reference);
            let status = observed.bookings.get(&id).map(|b| b.status.as_str());
            let kept = match status {
                Some("confirmed") => true,
                Some("cancelled") => cancelled.contains(&id),
                _ => false,
            };
            if !kept {
                let detail = format!(
                    "{id} was confirmed to its customer; its seller now shows {}",
                    status.unwrap_or("no such booking")
                );
                violation(found, Invariant::BookingLost, detail);
                break;
            }
        }
    }
}

/// Every segment of every confirmed booking is sold to it at the flight's owner.
fn bookings_complete(observed: &Observed, found: &mut Vec<Violation>) {
    for (id, booking) in &observed.bookings {
        if booking.status != "confirmed" {
            continue;
        }
        if booking.segments.is_empty() {
            violation(
                found,
                Invariant::BookingIncomplete,
                format!("{id} is confirmed with no segment"),
            );
        }
        for (flight, seat) in &booking.segments {
            let Some(state) = observed.flights.get(flight) else { continue };
            let sold = state.segments.iter().any(|segment| {
                segment.seat == *seat
                    && segment.state == "sold"
                    && segment.reference.as_deref().map(|r| booking_id(&segment.seller, r))
                        == Some(id.clone())
            });
            if !sold {
                let detail =
                    format!("{id}: {flight} seat {seat} is not sold to it at {}", state.owner);
                violation(found, Invariant::BookingIncomplete, detail);
            }
        }
    }
}

/// Every seat the campaign's passengers have sold at an owner belongs to a confirmed booking of
/// that seller with that seat: a failed or cancelled trip keeps no leg.
fn no_half_trips(observed: &Observed, tag: &str, found: &mut Vec<Violation>) {
    for (flight, state) in &observed.flights {
        for segment in
            state.segments.iter().filter(|s| s.state == "sold" && s.passenger.starts_with(tag))
        {
            let Some(reference) = &segment.reference else { continue };
            let id = booking_id(&segment.seller, reference);
            let owned = observed.bookings.get(&id).is_some_and(|booking| {
                booking.status == "confirmed"
                    && booking.segments.iter().any(|(f, s)| f == flight && *s == segment.seat)
            });
            if !owned {
                let status =
                    observed.bookings.get(&id).map_or("unknown to its seller", |b| &b.status);
                let detail =
                    format!("{flight} seat {} sold to {id}, which is {status}", segment.seat);
                violation(found, Invariant::HalfTrip, detail);
            }
        }
    }
}

/// After settling: no booking pending, no seat of the campaign held, no purchase undecided.
fn nothing_pending(observed: &Observed, tag: &str, found: &mut Vec<Violation>) {
    for (id, booking) in &observed.bookings {
        if booking.status == "pending" {
            violation(found, Invariant::LeftPending, format!("{id} is still pending"));
        }
    }
    for (flight, state) in &observed.flights {
        for segment in
            state.segments.iter().filter(|s| s.state == "held" && s.passenger.starts_with(tag))
        {
            let detail = format!("{flight} seat {} still held at {}", segment.seat, state.owner);
            violation(found, Invariant::LeftPending, detail);
        }
    }
    for key in &observed.unsettled {
        violation(
            found,
            Invariant::LeftPending,
            format!("purchase {key} never got a decided answer"),
        );
    }
}

/// At every owner: the seats not free are exactly the seats it records held or sold.
fn seats_counted(observed: &Observed, found: &mut Vec<Violation>) {
    for (flight, state) in &observed.flights {
        let taken = state.capacity.saturating_sub(state.seats_free) as usize;
        if taken != state.segments.len() {
            let detail = format!(
                "{flight} at {}: {} of {} seats not free, {} held or sold",
                state.owner,
                taken,
                state.capacity,
                state.segments.len()
            );
            violation(found, Invariant::SeatsMiscounted, detail);
        }
    }
}

/// Every airline lists every flight as its owner does.
fn replicas_equal(observed: &Observed, found: &mut Vec<Violation>) {
    for (flight, state) in &observed.flights {
        for (airline, replica) in &state.replicas {
            if *replica != state.owner_view {
                let detail = format!(
                    "{flight} at {airline}: {replica:?}; at its owner {}: {:?}",
                    state.owner, state.owner_view
                );
                violation(found, Invariant::ReplicaDiverged, detail);
            }
        }
    }
}

/// Every answer for one key named the same booking.
fn one_booking_per_key(history: &History, found: &mut Vec<Violation>) {
    for purchase in &history.purchases {
        let references: BTreeSet<&String> = purchase.references.iter().collect();
        if references.len() > 1 {
            let detail = format!("key {} answered with bookings {references:?}", purchase.key);
            violation(found, Invariant::KeyTwoBookings, detail);
        }
    }
}
