//! The network: the change log of own flights, replicas and their positions, peers; and that a
//! replica's flights are not sold here.

use passcom::store::{
    AccountStore, CatalogStore, NetworkStore, PeerRecord, SalesStore, StoreError,
};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::future::join_all;
use passcom_core::AirlineId;

use super::*;

/// Declares the network tests for a backend (see [`super::each_test`]).
macro_rules! network_suite {
    ($open:ident) => {
        crate::store::suite::each_test!($open, network =>
            own_changes_are_logged_in_order,
            a_replica_keeping_up_with_writers_at_once_misses_no_change,
            a_log_batch_covers_a_range_or_falls_back_to_a_snapshot,
            replicas_apply_batches_and_keep_their_position,
            a_replica_refuses_flights_its_owner_may_not_publish,
            only_the_owner_sells_its_seats,
            peers_are_added_updated_and_removed,
        );
    };
}
pub(crate) use network_suite;

pub async fn own_changes_are_logged_in_order(
    store: &(impl CatalogStore + AccountStore + SalesStore + NetworkStore + ?Sized),
) {
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

pub async fn a_log_batch_covers_a_range_or_falls_back_to_a_snapshot(
    store: &(impl CatalogStore + AccountStore + SalesStore + NetworkStore + ?Sized),
) {
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

pub async fn replicas_apply_batches_and_keep_their_position(
    store: &(impl CatalogStore + AccountStore + SalesStore + NetworkStore + ?Sized),
) {
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

pub async fn a_replica_refuses_flights_its_owner_may_not_publish(
    store: &(impl CatalogStore + AccountStore + SalesStore + NetworkStore + ?Sized),
) {
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

pub async fn only_the_owner_sells_its_seats(
    store: &(impl CatalogStore + AccountStore + SalesStore + NetworkStore + ?Sized),
) {
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

pub async fn peers_are_added_updated_and_removed(
    store: &(impl CatalogStore + AccountStore + SalesStore + NetworkStore + ?Sized),
) {
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

/// A replica reads the change log "after N" while writers commit at once; keeping up, it must
/// never miss a change: a number it has read past cannot commit later. (A database that hands
/// out numbers before commit would let a later number commit first; see the PostgreSQL
/// store's sequencer.)
pub async fn a_replica_keeping_up_with_writers_at_once_misses_no_change(
    store: &(impl CatalogStore + NetworkStore + ?Sized),
) {
    const WRITERS: u16 = 8;
    const FLIGHTS_EACH: u16 = 20;
    prepared(store, &[]).await;
    let written = AtomicBool::new(false);
    let writers = join_all((0..WRITERS).map(|writer| async move {
        for i in 0..FLIGHTS_EACH {
            store.create_flight(flight(1000 + writer * FLIGHTS_EACH + i, 24)).await.unwrap();
        }
    }));
    let writing = async {
        writers.await;
        written.store(true, Ordering::SeqCst);
    };
    let reading = async {
        let (mut after, mut seen) = (0, BTreeSet::new());
        loop {
            let last = written.load(Ordering::SeqCst);
            let batch = store.log_batch(after, 1000).await.unwrap();
            assert_eq!(batch.after, after, "the log kept every entry: no snapshot");
            seen.extend(batch.flights.iter().map(|state| state.flight.id));
            after = batch.up_to;
            if last && after == store.log_head().await.unwrap() {
                return seen;
            }
            tokio::task::yield_now().await;
        }
    };
    let ((), seen) = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        futures::future::join(writing, reading),
    )
    .await
    .expect("the replica catches up");
    assert_eq!(seen.len(), usize::from(WRITERS * FLIGHTS_EACH), "every change was read");
}
