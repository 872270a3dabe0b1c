//! The checker fed forged histories: a clean one passes, and each planted fault — a seat in two
//! bookings, a lost booking, a half trip, a seat left held, a stale replica, a key with two
//! bookings, a miscounted seat map — is caught as its own invariant.

use std::collections::BTreeMap;

use passcom_campaign::checker::{Invariant, check};
use passcom_campaign::history::{
    Cancel, FlightState, History, Observed, ObservedBooking, ObservedFlight, Outcome, OwnerSegment,
    Purchase, PurchaseKind, booking_id,
};

const TAG: &str = "campaign-test";
const ROUND_TRIP: [&str; 2] = ["RU100-2026-12-05", "GI200-2026-12-05"];

fn purchase(key: &str, flights: &[&str], answered: Outcome) -> Purchase {
    let references = match &answered {
        Outcome::Confirmed { reference } => vec![reference.clone()],
        _ => vec![],
    };
    Purchase {
        key: key.into(),
        seller: "rumos".into(),
        customer: "campaign-test-w0-rumos".into(),
        passenger: format!("{TAG} Worker a"),
        flights: flights.iter().map(|f| f.to_string()).collect(),
        seats: None,
        kind: PurchaseKind::CrossAirline,
        started: 0,
        ended: 10,
        outcome: answered.clone(),
        answered,
        references,
    }
}

fn sold(seat: &str, reference: &str) -> OwnerSegment {
    OwnerSegment {
        seat: seat.into(),
        state: "sold".into(),
        seller: "rumos".into(),
        reference: Some(reference.into()),
        passenger: format!("{TAG} Worker a"),
    }
}

fn flight(owner: &str, other: &str, segments: Vec<OwnerSegment>) -> ObservedFlight {
    let state = FlightState {
        seats_available: 180 - segments.len() as u32,
        version: 3,
        status: "scheduled".into(),
    };
    ObservedFlight {
        owner: owner.into(),
        capacity: 180,
        seats_free: 180 - segments.len() as u32,
        segments,
        owner_view: Some(state.clone()),
        replicas: BTreeMap::from([(other.to_owned(), Some(state))]),
    }
}

/// A trip bought across Rumos and Giro (AAA111), one whose purchase failed (BBB222), and one
/// bought and cancelled (CCC333): all as a correct network leaves them.
fn clean() -> (History, Observed) {
    let history = History {
        purchases: vec![
            purchase("k1", &ROUND_TRIP, Outcome::Confirmed { reference: "AAA111".into() }),
            purchase(
                "k2",
                &ROUND_TRIP,
                Outcome::Failed {
                    code: "seat_unavailable".into(),
                    reference: Some("BBB222".into()),
                },
            ),
            purchase("k3", &ROUND_TRIP[..1], Outcome::Confirmed { reference: "CCC333".into() }),
        ],
        cancels: vec![Cancel {
            seller: "rumos".into(),
            reference: "CCC333".into(),
            at: 20,
            status: Some(200),
        }],
        ..History::default()
    };
    let booking = |status: &str, segments: &[(&str, &str)]| ObservedBooking {
        status: status.into(),
        segments: segments.iter().map(|(f, s)| (f.to_string(), s.to_string())).collect(),
    };
    let observed = Observed {
        bookings: BTreeMap::from([
            (
                booking_id("rumos", "AAA111"),
                booking("confirmed", &[(ROUND_TRIP[0], "1A"), (ROUND_TRIP[1], "2B")]),
            ),
            (booking_id("rumos", "BBB222"), booking("failed", &[])),
            (booking_id("rumos", "CCC333"), booking("cancelled", &[(ROUND_TRIP[0], "3C")])),
        ]),
        flights: BTreeMap::from([
            (ROUND_TRIP[0].to_owned(), flight("rumos", "giro", vec![sold("1A", "AAA111")])),
            (ROUND_TRIP[1].to_owned(), flight("giro", "rumos", vec![sold("2B", "AAA111")])),
        ]),
        unsettled: vec![],
    };
    (history, observed)
}

fn invariants(history: &History, observed: &Observed) -> Vec<Invariant> {
    let mut found: Vec<_> =
        check(history, observed, TAG).into_iter().map(|v| v.invariant).collect();
    found.dedup();
    found
}

#[test]
fn a_clean_history_has_no_violation() {
    let (history, observed) = clean();
    assert_eq!(check(&history, &observed, TAG), []);
}

#[test]
fn a_seat_in_two_bookings_is_caught() {
    let (mut history, mut observed) = clean();
    history.purchases.push(purchase(
        "k4",
        &ROUND_TRIP[..1],
        Outcome::Confirmed { reference: "DDD444".into() },
    ));
    let twice = ObservedBooking {
        status: "confirmed".into(),
        segments: vec![(ROUND_TRIP[0].into(), "1A".into())],
    };
    observed.bookings.insert(booking_id("rumos", "DDD444"), twice);
    let owner = observed.flights.get_mut(ROUND_TRIP[0]).unwrap();
    owner.segments.push(sold("1A", "DDD444"));
    owner.seats_free -= 1;
    let found = invariants(&history, &observed);
    assert!(found.contains(&Invariant::SeatInTwoBookings), "{found:?}");
}

#[test]
fn a_lost_booking_is_caught() {
    let (history, mut observed) = clean();
    observed.bookings.remove(&booking_id("rumos", "AAA111"));
    assert!(invariants(&history, &observed).contains(&Invariant::BookingLost));

    let (history, mut observed) = clean();
    observed.bookings.get_mut(&booking_id("rumos", "AAA111")).unwrap().status = "cancelled".into();
    assert!(
        invariants(&history, &observed).contains(&Invariant::BookingLost),
        "cancelled by no one"
    );
}

#[test]
fn a_half_trip_is_caught() {
    // The failed purchase BBB222 kept its Giro leg sold.
    let (history, mut observed) = clean();
    let giro = observed.flights.get_mut(ROUND_TRIP[1]).unwrap();
    giro.segments.push(sold("9F", "BBB222"));
    giro.seats_free -= 1;
    giro.owner_view.as_mut().unwrap().seats_available -= 1;
    giro.replicas.values_mut().for_each(|r| r.as_mut().unwrap().seats_available -= 1);
    assert_eq!(invariants(&history, &observed), [Invariant::HalfTrip]);

    // A confirmed trip missing its Giro leg at the owner.
    let (history, mut observed) = clean();
    let giro = observed.flights.get_mut(ROUND_TRIP[1]).unwrap();
    giro.segments.clear();
    giro.seats_free += 1;
    let found = invariants(&history, &observed);
    assert!(found.contains(&Invariant::BookingIncomplete), "{found:?}");
}

#[test]
fn a_seat_left_held_or_a_booking_left_pending_is_caught() {
    let (history, mut observed) = clean();
    let rumos = observed.flights.get_mut(ROUND_TRIP[0]).unwrap();
    rumos.segments.push(OwnerSegment { state: "held".into(), reference: None, ..sold("5E", "x") });
    rumos.seats_free -= 1;
    assert!(invariants(&history, &observed).contains(&Invariant::LeftPending));

    let (history, mut observed) = clean();
    observed.unsettled.push("k9".into());
    assert_eq!(invariants(&history, &observed), [Invariant::LeftPending]);
}

#[test]
fn a_replica_behind_its_owner_is_caught() {
    let (history, mut observed) = clean();
    let giro = observed.flights.get_mut(ROUND_TRIP[1]).unwrap();
    giro.replicas.values_mut().for_each(|r| r.as_mut().unwrap().version = 2);
    assert_eq!(invariants(&history, &observed), [Invariant::ReplicaDiverged]);
}

#[test]
fn a_key_answered_with_two_bookings_is_caught() {
    let (mut history, observed) = clean();
    history.purchases[1].references = vec!["BBB222".into(), "EEE555".into()];
    assert_eq!(invariants(&history, &observed), [Invariant::KeyTwoBookings]);
}

#[test]
fn a_seat_map_that_disagrees_with_the_owners_record_is_caught() {
    let (history, mut observed) = clean();
    observed.flights.get_mut(ROUND_TRIP[0]).unwrap().seats_free -= 1;
    assert_eq!(invariants(&history, &observed), [Invariant::SeatsMiscounted]);
}
