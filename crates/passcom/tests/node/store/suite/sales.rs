//! Sales and seats: purchases all or nothing, no seat sold twice, idempotency keys, cancelling
//! bookings and flights, and free seats that always add up.

use std::collections::BTreeSet;

use futures::future::join_all;

use passcom::store::{AccountStore, CatalogStore, Idempotency, Purchased, SalesStore, StoreError};
use passcom_core::{BookingStatus, SegmentStatus};
use rand::{RngExt, SeedableRng};

use super::*;

/// Declares the sales tests for a backend (see [`super::each_test`]).
macro_rules! sales_suite {
    ($open:ident) => {
        crate::store::suite::each_test!($open, sales =>
            a_purchase_holds_and_sells_every_seat,
            a_purchase_is_all_or_nothing,
            a_seat_is_never_sold_twice,
            a_full_flight_sells_no_more,
            cancelled_and_departed_flights_are_not_sold,
            an_idempotency_key_replays_or_refuses,
            a_taken_reference_is_reported,
            cancelling_a_booking_releases_its_seats_once,
            cancelling_a_flight_marks_its_segments,
            free_and_taken_seats_always_add_up_to_capacity,
            bookings_are_listed_newest_first_in_pages,
            buyers_at_once_fill_a_flight_exactly,
            retries_of_one_purchase_at_once_make_one_booking,
        );
    };
}
pub(crate) use sales_suite;

pub async fn a_purchase_holds_and_sells_every_seat(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let (first, second) = (flight(20, 24), flight(21, 28));
    prepared(store, &[first.clone(), second.clone()]).await;
    let buyer = customer(store, "buyer").await;
    let purchase = order(
        buyer,
        "ABCDEF",
        vec![(first.clone(), seats(&["3A", "3B"])), (second.clone(), None)],
        &["Ana", "Bia"],
    );
    let booking = created(store.purchase(purchase).await.unwrap());

    assert_eq!(booking.status, BookingStatus::Confirmed);
    assert_eq!(booking.segments.len(), 4);
    assert_eq!(booking.total_price.cents(), 4 * 25_000);
    let on_first: Vec<_> = booking
        .segments
        .iter()
        .filter(|s| s.flight == first.id)
        .map(|s| s.seat.to_string())
        .collect();
    assert_eq!(on_first, ["3A", "3B"]);
    let tickets: BTreeSet<_> = booking.segments.iter().map(|s| s.ticket).collect();
    assert_eq!(tickets.len(), 4);
    assert!(tickets.iter().all(|ticket| ticket.prefix() == owner().ticket_prefix.get()));
    assert!(booking.segments.iter().all(|s| s.status == SegmentStatus::Confirmed));
    let map = store.seat_map(first.id).await.unwrap().unwrap();
    assert_eq!(map.taken, seats(&["3A", "3B"]).unwrap().into_iter().collect());
    assert_eq!(seats_available(store, second.id).await, 178);
    assert_eq!(store.booking(buyer, booking.reference).await.unwrap(), Some(booking));
}

pub async fn a_purchase_is_all_or_nothing(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let (first, second) = (flight(30, 24), flight(31, 28));
    prepared(store, &[first.clone(), second.clone()]).await;
    let buyer = customer(store, "buyer").await;
    created(
        store
            .purchase(order(buyer, "AAAAAA", vec![(second.clone(), seats(&["7F"]))], &["Ana"]))
            .await
            .unwrap(),
    );

    let both = order(
        buyer,
        "BBBBBB",
        vec![(first.clone(), seats(&["1A"])), (second.clone(), seats(&["7F"]))],
        &["Bia"],
    );
    let refused = store.purchase(both).await;
    assert!(
        matches!(refused, Err(StoreError::SeatUnavailable { flight }) if flight == second.id),
        "{refused:?}"
    );
    assert!(
        store.seat_map(first.id).await.unwrap().unwrap().taken.is_empty(),
        "nothing stays held on the first flight"
    );
    assert_eq!(
        store.booking(buyer, BookingReference::parse("BBBBBB").unwrap()).await.unwrap(),
        None
    );
}

pub async fn a_seat_is_never_sold_twice(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let flight = flight(40, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    let (a, b) = (customer(store, "first").await, customer(store, "second").await);
    created(
        store
            .purchase(order(a, "CCCCCC", vec![(flight.clone(), seats(&["9C"]))], &["Ana"]))
            .await
            .unwrap(),
    );
    let again =
        store.purchase(order(b, "DDDDDD", vec![(flight.clone(), seats(&["9C"]))], &["Bia"])).await;
    assert!(matches!(again, Err(StoreError::SeatUnavailable { .. })));
    let party = store
        .purchase(order(
            b,
            "EEEEEE",
            vec![(flight.clone(), seats(&["9B", "9B"]))],
            &["Bia", "Caio"],
        ))
        .await;
    assert!(
        matches!(party, Err(StoreError::SeatUnavailable { .. })),
        "one seat for two passengers"
    );
    assert_eq!(seats_available(store, flight.id).await, 179);
}

pub async fn a_full_flight_sells_no_more(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let tiny = flight_of(&owner(), 50, 24, Cabin::new(1, "AB").unwrap());
    prepared(store, std::slice::from_ref(&tiny)).await;
    let buyer = customer(store, "buyer").await;
    let too_many =
        store.purchase(order(buyer, "FFFFFF", vec![(tiny.clone(), None)], &["A", "B", "C"])).await;
    assert!(matches!(too_many, Err(StoreError::SeatUnavailable { .. })));
    created(
        store
            .purchase(order(buyer, "GGGGGG", vec![(tiny.clone(), None)], &["A", "B"]))
            .await
            .unwrap(),
    );
    let full = store.purchase(order(buyer, "HHHHHH", vec![(tiny.clone(), None)], &["C"])).await;
    assert!(matches!(full, Err(StoreError::SeatUnavailable { .. })));
    assert_eq!(seats_available(store, tiny.id).await, 0);
}

pub async fn cancelled_and_departed_flights_are_not_sold(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let (cancelled, departed) = (flight(60, 24), flight(61, -2));
    prepared(store, &[cancelled.clone(), departed.clone()]).await;
    store.cancel_flight(cancelled.id, None, now()).await.unwrap();
    let buyer = customer(store, "buyer").await;
    let refused =
        store.purchase(order(buyer, "JJJJJJ", vec![(cancelled.clone(), None)], &["A"])).await;
    assert!(matches!(refused, Err(StoreError::FlightCancelled(id)) if id == cancelled.id));
    let refused =
        store.purchase(order(buyer, "KKKKKK", vec![(departed.clone(), None)], &["A"])).await;
    assert!(matches!(refused, Err(StoreError::FlightDeparted(id)) if id == departed.id));
}

pub async fn an_idempotency_key_replays_or_refuses(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let flight = flight(80, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    let buyer = customer(store, "buyer").await;
    let keyed = |reference: &str, digest: u8| {
        let mut order = order(buyer, reference, vec![(flight.clone(), None)], &["Ana"]);
        order.idempotency = Some(Idempotency { key: "key-1".into(), request_digest: [digest; 32] });
        order
    };
    let first = created(store.purchase(keyed("NNNNNN", 1)).await.unwrap());
    match store.purchase(keyed("PPPPPP", 1)).await.unwrap() {
        Purchased::Replayed(booking) => assert_eq!(booking, first),
        Purchased::Created(_) => panic!("a replayed key made a second booking"),
    }
    assert!(matches!(
        store.purchase(keyed("QQQQQQ", 2)).await,
        Err(StoreError::IdempotencyKeyReused)
    ));
    let (found, digest) =
        store.booking_by_idempotency_key(buyer, "key-1".into()).await.unwrap().unwrap();
    assert_eq!((found.reference, digest), (first.reference, [1; 32]));
    assert_eq!(seats_available(store, flight.id).await, 179);
}

pub async fn a_taken_reference_is_reported(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let flight = flight(90, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    let buyer = customer(store, "buyer").await;
    created(
        store.purchase(order(buyer, "RRRRRR", vec![(flight.clone(), None)], &["A"])).await.unwrap(),
    );
    let mut clash = order(buyer, "RRRRRR", vec![(flight.clone(), None)], &["B"]);
    clash.txn = TxnId::parse("a1a1a1").unwrap();
    assert!(matches!(store.purchase(clash).await, Err(StoreError::ReferenceTaken(_))));
    assert_eq!(seats_available(store, flight.id).await, 179, "the clashing purchase held nothing");
}

pub async fn cancelling_a_booking_releases_its_seats_once(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let (soon, later) = (flight(95, 24), flight(96, 30));
    prepared(store, &[soon.clone(), later.clone()]).await;
    let (buyer, other) = (customer(store, "buyer").await, customer(store, "other").await);
    let booking = created(
        store
            .purchase(order(
                buyer,
                "SSSSSS",
                vec![(soon.clone(), None), (later.clone(), None)],
                &["A", "B"],
            ))
            .await
            .unwrap(),
    );

    assert!(matches!(
        store.cancel_booking(other, booking.reference, now()).await,
        Err(StoreError::BookingNotFound(_))
    ));
    let too_late = now() + SignedDuration::from_hours(25);
    assert!(
        matches!(store.cancel_booking(buyer, booking.reference, too_late).await, Err(StoreError::FlightDeparted(id)) if id == soon.id)
    );

    let cancelled = store.cancel_booking(buyer, booking.reference, now()).await.unwrap();
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert!(cancelled.segments.iter().all(|s| s.status == SegmentStatus::Cancelled));
    assert_eq!(cancelled.history.last().unwrap().event, "cancelled");
    assert_eq!(
        (seats_available(store, soon.id).await, seats_available(store, later.id).await),
        (180, 180)
    );
    let again = store.cancel_booking(buyer, booking.reference, now()).await.unwrap();
    assert_eq!(again, cancelled);
}

pub async fn cancelling_a_flight_marks_its_segments(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let (doomed, fine) = (flight(97, 24), flight(98, 28));
    prepared(store, &[doomed.clone(), fine.clone()]).await;
    let buyer = customer(store, "buyer").await;
    let booking = created(
        store
            .purchase(order(
                buyer,
                "TTTTTT",
                vec![(doomed.clone(), None), (fine.clone(), None)],
                &["A"],
            ))
            .await
            .unwrap(),
    );
    let cancelled = store.cancel_flight(doomed.id, Some(1), now()).await.unwrap();
    assert_eq!((cancelled.flight.status, cancelled.flight.version), (FlightStatus::Cancelled, 2));
    let after = store.booking(buyer, booking.reference).await.unwrap().unwrap();
    let statuses: Vec<_> = after.segments.iter().map(|s| s.status).collect();
    assert_eq!(statuses, [SegmentStatus::FlightCancelled, SegmentStatus::Confirmed]);
    assert_eq!(after.history.last().unwrap().event, "flight_cancelled");
    assert_eq!(after.status, BookingStatus::Confirmed);
}

pub async fn free_and_taken_seats_always_add_up_to_capacity(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let flights: Vec<Flight> =
        (0..3).map(|i| flight_of(&owner(), 300 + i, 24, Cabin::new(2, "ABC").unwrap())).collect();
    prepared(store, &flights).await;
    let buyer = customer(store, "buyer").await;
    let mut random = rand::rngs::StdRng::seed_from_u64(7);
    let mut confirmed = Vec::new();
    for round in 0..60 {
        if random.random_bool(0.3) && !confirmed.is_empty() {
            let reference = confirmed.swap_remove(random.random_range(0..confirmed.len()));
            store.cancel_booking(buyer, reference, now()).await.unwrap();
        } else {
            let flight = flights[random.random_range(0..flights.len())].clone();
            let party = random.random_range(1..=3);
            let names: Vec<String> = (0..party).map(|p| format!("P{round}x{p}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let reference = BookingReference::from_random(random.random());
            match store
                .purchase(order(buyer, reference.as_str(), vec![(flight, None)], &names))
                .await
            {
                Ok(purchased) => confirmed.push(created(purchased).reference),
                Err(StoreError::SeatUnavailable { .. } | StoreError::ReferenceTaken(_)) => {}
                Err(error) => panic!("{error}"),
            }
        }
        for flight in &flights {
            let record = store.flight(flight.id).await.unwrap().unwrap();
            let map = store.seat_map(flight.id).await.unwrap().unwrap();
            assert_eq!(
                record.seats_available as usize + map.taken.len(),
                6,
                "free + taken = capacity on {}",
                flight.id
            );
        }
    }
    let mut sold = 0;
    for reference in &confirmed {
        sold += store.booking(buyer, *reference).await.unwrap().unwrap().segments.len();
    }
    let mut taken = 0;
    for flight in &flights {
        taken += store.seat_map(flight.id).await.unwrap().unwrap().taken.len();
    }
    assert_eq!(sold, taken, "every taken seat belongs to a confirmed booking");
}

pub async fn bookings_are_listed_newest_first_in_pages(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let flight = flight(400, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    let (buyer, other) = (customer(store, "buyer").await, customer(store, "other").await);
    let references = ["UUUUUU", "VVVVVV", "WWWWWW"];
    for reference in references {
        created(
            store
                .purchase(order(buyer, reference, vec![(flight.clone(), None)], &["A"]))
                .await
                .unwrap(),
        );
    }
    created(
        store.purchase(order(other, "XXXXXX", vec![(flight.clone(), None)], &["B"])).await.unwrap(),
    );
    let first = store.bookings(buyer, None, 2).await.unwrap();
    let listed: Vec<_> = first.items.iter().map(|b| b.reference.to_string()).collect();
    assert_eq!(listed, ["WWWWWW", "VVVVVV"]);
    let second = store.bookings(buyer, first.next, 2).await.unwrap();
    assert_eq!(
        second.items.iter().map(|b| b.reference.to_string()).collect::<Vec<_>>(),
        ["UUUUUU"]
    );
    assert!(second.next.is_none());
}

/// Buyers at once, more than a store's connections or queue take in one go, on a flight with
/// fewer seats than buyers, each letting the store choose: every seat is sold once, the rest
/// are told the flight is full, and nobody is left waiting. (A store that runs writes
/// concurrently must neither hand two buyers one seat, nor starve or refuse buyers that only
/// chose the same free seat at the same time.)
pub async fn buyers_at_once_fill_a_flight_exactly(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    const BUYERS: u64 = 48;
    let small = flight_of(&owner(), 95, 24, Cabin::new(6, "ABCDEF").unwrap());
    prepared(store, std::slice::from_ref(&small)).await;
    let buyer = customer(store, "crowd").await;
    let purchases = (0..BUYERS).map(|i| {
        let reference = BookingReference::from_random(0x1357_9bdf + i);
        let order = order(buyer, reference.as_str(), vec![(small.clone(), None)], &["Ana"]);
        store.purchase(order)
    });
    let outcomes = tokio::time::timeout(std::time::Duration::from_secs(60), join_all(purchases))
        .await
        .expect("every purchase ends");
    let mut sold = BTreeSet::new();
    let mut full = 0;
    for outcome in outcomes {
        match outcome {
            Ok(purchased) => {
                let booking = created(purchased);
                assert!(sold.insert(booking.segments[0].seat), "a seat sold twice");
            }
            Err(StoreError::SeatUnavailable { .. }) => full += 1,
            Err(error) => panic!("a purchase failed: {error}"),
        }
    }
    assert_eq!((sold.len(), full), (36, BUYERS as usize - 36));
    assert_eq!(seats_available(store, small.id).await, 0);
}

/// A client that retries a purchase before the first attempt is answered sends it again with
/// the same idempotency key: however many arrive at once, one booking is made and every other
/// attempt answers it.
pub async fn retries_of_one_purchase_at_once_make_one_booking(
    store: &(impl CatalogStore + AccountStore + SalesStore + ?Sized),
) {
    let flight = flight(96, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    let buyer = customer(store, "impatient").await;
    let attempts = (0..8u64).map(|i| {
        let reference = BookingReference::from_random(0x2468_ace0 + i);
        let mut order = order(buyer, reference.as_str(), vec![(flight.clone(), None)], &["Ana"]);
        order.idempotency = Some(Idempotency { key: "retried".into(), request_digest: [7; 32] });
        store.purchase(order)
    });
    let mut created = Vec::new();
    let mut replayed = Vec::new();
    for outcome in join_all(attempts).await {
        match outcome.unwrap() {
            Purchased::Created(booking) => created.push(booking),
            Purchased::Replayed(booking) => replayed.push(booking),
        }
    }
    assert_eq!((created.len(), replayed.len()), (1, 7));
    assert!(replayed.iter().all(|booking| *booking == created[0]), "each retry answers it");
    assert_eq!(seats_available(store, flight.id).await, 179);
}
