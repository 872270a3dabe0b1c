//! What every store must do. Each function is one test, given a fresh store.

mod commit;

pub use self::commit::*;

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use passcom::store::{
    CustomerId, FlightQuery, Idempotency, NewCustomer, Order, OrderLeg, PeerRecord, Purchased,
    Store, StoreError, TxnId,
};
use passcom_core::reference::{airports, reference_airlines};
use passcom_core::replication::{Batch, FlightState};
use passcom_core::{
    Airline, AirlineId, BookingReference, BookingStatus, Cabin, CustomerName, Flight, FlightId,
    FlightNumber, FlightStatus, Money, PassengerName, SeatNumber, SegmentStatus, Username,
};
use rand::{RngExt, SeedableRng};

/// The airline whose store is under test: Rumos.
pub fn owner() -> Airline {
    reference_airlines()[0].airline()
}

fn now() -> Timestamp {
    Timestamp::now()
}

/// A flight of `airline` (Rumos unless said) numbered `number`, GRU → GIG, `hours` from now.
fn flight_of(airline: &Airline, number: u16, hours: i64, cabin: Cabin) -> Flight {
    let departure = now() + SignedDuration::from_hours(hours);
    let departure = Timestamp::from_second(departure.as_second() / 60 * 60).unwrap();
    let date =
        departure.to_zoned_datetime(jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap()).date();
    Flight {
        id: FlightId::new(airline.designator, FlightNumber::new(number).unwrap(), date),
        airline: airline.id.clone(),
        origin: "GRU".parse().unwrap(),
        destination: "GIG".parse().unwrap(),
        departure,
        arrival: departure + SignedDuration::from_mins(55),
        cabin,
        price: Money::fare(25_000).unwrap(),
        status: FlightStatus::Scheduled,
        version: 1,
    }
}

fn flight(number: u16, hours: i64) -> Flight {
    flight_of(&owner(), number, hours, Cabin::standard())
}

/// A store with the reference airports, its airline and `flights`.
async fn prepared(store: &dyn Store, flights: &[Flight]) {
    store.put_airports(airports()).await.unwrap();
    store.put_airline(owner()).await.unwrap();
    for flight in flights {
        store.create_flight(flight.clone()).await.unwrap();
    }
}

async fn customer(store: &dyn Store, username: &str) -> CustomerId {
    let new = NewCustomer {
        username: Username::parse(username).unwrap(),
        name: CustomerName::parse("Test Customer").unwrap(),
        password_hash: "$argon2id$not-a-real-hash".into(),
        created_at: now(),
    };
    store.create_customer(new).await.unwrap().id
}

fn passengers(names: &[&str]) -> Vec<PassengerName> {
    names.iter().map(|name| PassengerName::parse(name).unwrap()).collect()
}

fn seats(raw: &[&str]) -> Option<Vec<SeatNumber>> {
    Some(raw.iter().map(|seat| SeatNumber::parse(seat).unwrap()).collect())
}

/// An order by `customer` of `legs` (flight and optional seats) for `names`.
fn order(
    customer: CustomerId,
    reference: &str,
    legs: Vec<(Flight, Option<Vec<SeatNumber>>)>,
    names: &[&str],
) -> Order {
    Order {
        txn: TxnId::parse(&hex::encode(reference)).unwrap(),
        reference: BookingReference::parse(reference).unwrap(),
        customer,
        idempotency: None,
        passengers: passengers(names),
        legs: legs.into_iter().map(|(flight, seats)| OrderLeg { flight, seats }).collect(),
        at: now(),
    }
}

async fn seats_available(store: &dyn Store, id: FlightId) -> u32 {
    store.flight(id).await.unwrap().unwrap().seats_available
}

fn created(purchased: Purchased) -> passcom_core::Booking {
    match purchased {
        Purchased::Created(booking) => booking,
        Purchased::Replayed(booking) => {
            panic!("expected a new booking, got a replay of {}", booking.reference)
        }
    }
}

pub async fn airports_and_airlines_round_trip(store: &dyn Store) {
    prepared(store, &[]).await;
    let stored = store.airports().await.unwrap();
    assert_eq!(stored.len(), 27);
    let mao = stored.iter().find(|a| a.code.as_str() == "MAO").unwrap();
    assert_eq!((mao.city.as_str(), mao.time_zone_name()), ("Manaus", "America/Manaus"));
    store.put_airports(airports()).await.unwrap();
    assert_eq!(store.airports().await.unwrap().len(), 27);
    assert_eq!(store.airlines().await.unwrap(), vec![owner()]);
}

pub async fn adding_missing_flights_keeps_the_stored_ones(store: &dyn Store) {
    let original = flight(10, 24);
    prepared(store, std::slice::from_ref(&original)).await;
    let mut edited = original.clone();
    edited.price = Money::fare(99_000).unwrap();
    store.update_flight(edited, 1).await.unwrap();
    let added = store.add_missing_flights(vec![original.clone(), flight(11, 24)]).await.unwrap();
    assert_eq!(added, 1);
    let kept = store.flight(original.id).await.unwrap().unwrap().flight;
    assert_eq!((kept.price.cents(), kept.version), (99_000, 2));
}

pub async fn creating_a_flight_twice_is_refused(store: &dyn Store) {
    let flight = flight(12, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    assert!(
        matches!(store.create_flight(flight.clone()).await, Err(StoreError::FlightExists(id)) if id == flight.id)
    );
}

pub async fn flights_are_listed_by_filter_in_departure_order_and_pages(store: &dyn Store) {
    let mut flights: Vec<Flight> = (0..7).map(|i| flight(100 + i, 30 - i64::from(i))).collect();
    let mut elsewhere = flight(200, 26);
    elsewhere.origin = "MAO".parse().unwrap();
    flights.push(elsewhere.clone());
    prepared(store, &flights).await;

    let from_gru =
        FlightQuery { origin: Some("GRU".parse().unwrap()), limit: 100, ..Default::default() };
    let listed = store.flights(from_gru.clone()).await.unwrap();
    assert_eq!(listed.items.len(), 7);
    assert!(
        listed.items.windows(2).all(|pair| pair[0].flight.departure <= pair[1].flight.departure)
    );
    assert!(listed.next.is_none());

    let mut paged = Vec::new();
    let mut query = FlightQuery { limit: 3, ..from_gru };
    loop {
        let page = store.flights(query.clone()).await.unwrap();
        paged.extend(page.items.iter().map(|record| record.flight.id));
        match page.next {
            Some(position) => query.after = Some(position),
            None => break,
        }
    }
    assert_eq!(paged, listed.items.iter().map(|record| record.flight.id).collect::<Vec<_>>());

    let to_mao_date = FlightQuery {
        origin: Some("MAO".parse().unwrap()),
        date: Some(elsewhere.id.date()),
        limit: 10,
        ..Default::default()
    };
    let found = store.flights(to_mao_date).await.unwrap();
    assert_eq!(found.items.iter().map(|r| r.flight.id).collect::<Vec<_>>(), vec![elsewhere.id]);
    assert_eq!(store.flights_by_id(vec![flights[0].id, elsewhere.id]).await.unwrap().len(), 2);
}

pub async fn a_purchase_holds_and_sells_every_seat(store: &dyn Store) {
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

pub async fn a_purchase_is_all_or_nothing(store: &dyn Store) {
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

pub async fn a_seat_is_never_sold_twice(store: &dyn Store) {
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

pub async fn a_full_flight_sells_no_more(store: &dyn Store) {
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

pub async fn cancelled_and_departed_flights_are_not_sold(store: &dyn Store) {
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

pub async fn only_the_owner_sells_its_seats(store: &dyn Store) {
    prepared(store, &[]).await;
    let giro = reference_airlines()[1].airline();
    store.put_airline(giro.clone()).await.unwrap();
    let theirs = flight_of(&giro, 70, 24, Cabin::standard());
    store
        .apply_replica(giro.id.clone(), batch(0, 1, std::slice::from_ref(&theirs)), now())
        .await
        .unwrap();
    let buyer = customer(store, "buyer").await;
    let refused =
        store.purchase(order(buyer, "LLLLLL", vec![(theirs.clone(), None)], &["A"])).await;
    assert!(matches!(refused, Err(StoreError::FlightNotFound(id)) if id == theirs.id));
    let unknown = flight(71, 24);
    let refused =
        store.purchase(order(buyer, "MMMMMM", vec![(unknown.clone(), None)], &["A"])).await;
    assert!(matches!(refused, Err(StoreError::FlightNotFound(_))));
}

/// A batch `(after, up_to]` carrying `flights`, 100 seats free each.
fn batch(after: u64, up_to: u64, flights: &[Flight]) -> Batch {
    let flights = flights
        .iter()
        .map(|flight| FlightState { flight: flight.clone(), seats_available: 100 })
        .collect();
    Batch { after, up_to, flights }
}

pub async fn an_idempotency_key_replays_or_refuses(store: &dyn Store) {
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

pub async fn a_taken_reference_is_reported(store: &dyn Store) {
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

pub async fn cancelling_a_booking_releases_its_seats_once(store: &dyn Store) {
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

pub async fn cancelling_a_flight_marks_its_segments(store: &dyn Store) {
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

pub async fn edits_check_the_version(store: &dyn Store) {
    let flight = flight(99, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    let mut edited = flight.clone();
    edited.price = Money::fare(1_000).unwrap();
    let stored = store.update_flight(edited.clone(), 1).await.unwrap();
    assert_eq!((stored.flight.version, stored.flight.price.cents()), (2, 1_000));
    assert!(matches!(
        store.update_flight(edited.clone(), 1).await,
        Err(StoreError::VersionMismatch { current: 2, .. })
    ));
    assert!(matches!(
        store.cancel_flight(flight.id, Some(1), now()).await,
        Err(StoreError::VersionMismatch { current: 2, .. })
    ));
    store.cancel_flight(flight.id, Some(2), now()).await.unwrap();
    assert!(matches!(store.update_flight(edited, 3).await, Err(StoreError::FlightCancelled(_))));
}

pub async fn usernames_are_unique(store: &dyn Store) {
    prepared(store, &[]).await;
    let id = customer(store, "unique").await;
    let again = NewCustomer {
        username: Username::parse("unique").unwrap(),
        name: CustomerName::parse("Someone Else").unwrap(),
        password_hash: "x".into(),
        created_at: now(),
    };
    assert!(matches!(store.create_customer(again).await, Err(StoreError::UsernameTaken)));
    let (found, hash) =
        store.credentials(Username::parse("unique").unwrap()).await.unwrap().unwrap();
    assert_eq!((found.id, hash.as_str()), (id, "$argon2id$not-a-real-hash"));
    assert!(store.credentials(Username::parse("nobody").unwrap()).await.unwrap().is_none());
}

pub async fn sessions_are_created_touched_and_swept(store: &dyn Store) {
    prepared(store, &[]).await;
    let id = customer(store, "session").await;
    let start = now();
    store.create_session([1; 32], id, start).await.unwrap();
    store.create_session([2; 32], id, start).await.unwrap();
    let later = start + SignedDuration::from_mins(10);
    store.touch_session([1; 32], later).await.unwrap();
    let session = store.session([1; 32]).await.unwrap().unwrap();
    assert_eq!(
        (session.customer.id, session.last_seen_at),
        (id, Timestamp::from_millisecond(later.as_millisecond()).unwrap())
    );
    assert_eq!(store.delete_idle_sessions(start + SignedDuration::from_mins(5)).await.unwrap(), 1);
    assert!(store.session([2; 32]).await.unwrap().is_none());
    store.delete_session([1; 32]).await.unwrap();
    assert!(store.session([1; 32]).await.unwrap().is_none());
}

pub async fn free_and_taken_seats_always_add_up_to_capacity(store: &dyn Store) {
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

pub async fn bookings_are_listed_newest_first_in_pages(store: &dyn Store) {
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

pub async fn own_changes_are_logged_in_order(store: &dyn Store) {
    let flight = flight(500, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    let changes = store.log_head_changes();
    assert_eq!(store.log_head().await.unwrap(), 1, "creating a flight is a change");
    let mut edited = flight.clone();
    edited.price = Money::fare(30_000).unwrap();
    store.update_flight(edited, 1).await.unwrap();
    let buyer = customer(store, "buyer").await;
    let booking = created(
        store.purchase(order(buyer, "YYYYYY", vec![(flight.clone(), None)], &["A"])).await.unwrap(),
    );
    store.cancel_booking(buyer, booking.reference, now()).await.unwrap();
    store.cancel_flight(flight.id, None, now()).await.unwrap();
    assert_eq!(
        store.log_head().await.unwrap(),
        5,
        "edit, sale, release and cancellation are changes"
    );
    assert_eq!(*changes.borrow(), 5, "the head is published after each write");

    let batch = store.log_batch(0, 100).await.unwrap();
    assert_eq!((batch.after, batch.up_to), (0, 5));
    assert_eq!(batch.flights.len(), 1, "a flight changed five times comes once");
    let state = &batch.flights[0];
    assert_eq!(
        (state.flight.status, state.flight.version, state.seats_available),
        (FlightStatus::Cancelled, 3, 180)
    );
    assert_eq!(
        state.flight.price.cents(),
        30_000,
        "as it is now, not as it was at its first entry"
    );
}

pub async fn a_log_batch_covers_a_range_or_falls_back_to_a_snapshot(store: &dyn Store) {
    let flights: Vec<Flight> = (0..6).map(|i| flight(600 + i, 24)).collect();
    prepared(store, &flights).await;
    let middle = store.log_batch(2, 3).await.unwrap();
    assert_eq!((middle.after, middle.up_to), (2, 5));
    let ids: Vec<_> = middle.flights.iter().map(|state| state.flight.id).collect();
    assert_eq!(ids, vec![flights[2].id, flights[3].id, flights[4].id]);
    let end = store.log_batch(5, 100).await.unwrap();
    assert_eq!((end.after, end.up_to, end.flights.len()), (5, 6, 1));
    let nothing = store.log_batch(6, 100).await.unwrap();
    assert_eq!((nothing.after, nothing.up_to, nothing.flights.len()), (6, 6, 0));

    assert_eq!(store.prune_log(2).await.unwrap(), 4);
    let snapshot = store.log_batch(1, 100).await.unwrap();
    assert_eq!(
        (snapshot.after, snapshot.up_to, snapshot.flights.len()),
        (0, 6, 6),
        "older than kept: a snapshot"
    );
    let kept = store.log_batch(4, 100).await.unwrap();
    assert_eq!((kept.after, kept.up_to), (4, 6), "what is kept is still served as a range");
    assert_eq!(store.log_head().await.unwrap(), 6);
}

pub async fn replicas_apply_batches_and_keep_their_position(store: &dyn Store) {
    prepared(store, &[]).await;
    let giro = reference_airlines()[1].airline();
    store.put_airline(giro.clone()).await.unwrap();
    let mut theirs = flight_of(&giro, 800, 24, Cabin::standard());
    store
        .apply_replica(giro.id.clone(), batch(0, 7, std::slice::from_ref(&theirs)), now())
        .await
        .unwrap();
    let stored = store.flight(theirs.id).await.unwrap().unwrap();
    assert_eq!((stored.flight.clone(), stored.seats_available), (theirs.clone(), 100));

    theirs.version = 2;
    theirs.status = FlightStatus::Cancelled;
    let update = batch(7, 9, std::slice::from_ref(&theirs));
    store.apply_replica(giro.id.clone(), update.clone(), now()).await.unwrap();
    store.apply_replica(giro.id.clone(), update, now()).await.unwrap();
    assert_eq!(store.flight(theirs.id).await.unwrap().unwrap().flight, theirs);
    assert_eq!(store.replica_positions().await.unwrap().get(&giro.id), Some(&9));
    assert_eq!(
        store.log_head().await.unwrap(),
        0,
        "replicated flights are not this airline's changes"
    );
    let own = store.log_batch(0, 100).await.unwrap();
    assert!(own.flights.is_empty(), "a snapshot of own flights leaves replicas out");
}

pub async fn a_replica_refuses_flights_its_owner_may_not_publish(store: &dyn Store) {
    let ours = flight(900, 24);
    prepared(store, std::slice::from_ref(&ours)).await;
    let giro = reference_airlines()[1].airline();
    store.put_airline(giro.clone()).await.unwrap();

    let refused =
        store.apply_replica(giro.id.clone(), batch(0, 1, std::slice::from_ref(&ours)), now()).await;
    assert!(
        matches!(refused, Err(StoreError::ForeignFlight(_))),
        "giro cannot publish a Rumos flight"
    );
    let mut disguised = ours.clone();
    disguised.airline = giro.id.clone();
    let refused = store.apply_replica(giro.id.clone(), batch(0, 1, &[disguised]), now()).await;
    assert!(
        matches!(refused, Err(StoreError::ForeignFlight(_))),
        "nor claim a flight under another designator"
    );
    let refused =
        store.apply_replica(owner().id, batch(0, 1, std::slice::from_ref(&ours)), now()).await;
    assert!(
        matches!(refused, Err(StoreError::ForeignFlight(_))),
        "nor can a node replicate itself"
    );

    assert_eq!(store.flight(ours.id).await.unwrap().unwrap().flight, ours, "nothing changed");
    assert!(store.replica_positions().await.unwrap().is_empty());
}

pub async fn peers_are_added_updated_and_removed(store: &dyn Store) {
    prepared(store, &[]).await;
    let giro = AirlineId::parse("giro").unwrap();
    let peer = PeerRecord {
        airline: giro.clone(),
        url: "http://127.0.0.1:8888".into(),
        public_key: Some("key".into()),
        removed: false,
    };
    store.put_peer(peer.clone(), now()).await.unwrap();
    assert_eq!(store.peers().await.unwrap(), vec![peer.clone()]);
    let moved =
        PeerRecord { url: "http://127.0.0.1:8889".into(), public_key: None, ..peer.clone() };
    store.put_peer(moved, now()).await.unwrap();
    let stored = store.peers().await.unwrap();
    assert_eq!(
        (stored[0].url.as_str(), stored[0].public_key.as_deref()),
        ("http://127.0.0.1:8889", Some("key"))
    );
    store.put_peer(PeerRecord { removed: true, ..stored[0].clone() }, now()).await.unwrap();
    assert!(store.peers().await.unwrap()[0].removed);
}
