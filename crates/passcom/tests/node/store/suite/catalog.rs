//! The catalog: airports, airlines and flights, their listing, and the optimistic lock of edits.

use passcom::store::{CatalogStore, FlightQuery, StoreError};

use super::*;

/// Declares the catalog tests for a backend (see [`super::each_test`]).
macro_rules! catalog_suite {
    ($open:ident) => {
        crate::store::suite::each_test!($open, catalog =>
            airports_and_airlines_round_trip,
            adding_missing_flights_keeps_the_stored_ones,
            creating_a_flight_twice_is_refused,
            flights_are_listed_by_filter_in_departure_order_and_pages,
            edits_check_the_version,
        );
    };
}
pub(crate) use catalog_suite;

pub async fn airports_and_airlines_round_trip(store: &(impl CatalogStore + ?Sized)) {
    prepared(store, &[]).await;
    let stored = store.airports().await.unwrap();
    assert_eq!(stored.len(), 27);
    let mao = stored.iter().find(|a| a.code.as_str() == "MAO").unwrap();
    assert_eq!((mao.city.as_str(), mao.time_zone_name()), ("Manaus", "America/Manaus"));
    store.put_airports(airports()).await.unwrap();
    assert_eq!(store.airports().await.unwrap().len(), 27);
    assert_eq!(store.airlines().await.unwrap(), vec![owner()]);
}

pub async fn adding_missing_flights_keeps_the_stored_ones(store: &(impl CatalogStore + ?Sized)) {
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

pub async fn creating_a_flight_twice_is_refused(store: &(impl CatalogStore + ?Sized)) {
    let flight = flight(12, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    assert!(
        matches!(store.create_flight(flight.clone()).await, Err(StoreError::FlightExists(id)) if id == flight.id)
    );
}

pub async fn flights_are_listed_by_filter_in_departure_order_and_pages(
    store: &(impl CatalogStore + ?Sized),
) {
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

pub async fn edits_check_the_version(store: &(impl CatalogStore + ?Sized)) {
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
