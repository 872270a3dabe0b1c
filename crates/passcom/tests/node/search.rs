//! Itinerary search over the API.

use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestNode, spawn_node};

async fn search(node: &TestNode, query: &str) -> crate::helpers::Answer {
    node.get(&format!("/api/v1/itineraries?{query}"), None).await
}

fn instant(value: &Value) -> Timestamp {
    value.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn direct_and_connecting_trips_come_back_labelled_and_feasible() {
    let node = spawn_node("rumos").await;
    let date = node.date(1);
    let answer = search(&node, &format!("origin=BVB&destination=POA&date={date}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    let itineraries = answer.body["itineraries"].as_array().unwrap();
    assert!(!itineraries.is_empty());
    for label in ["fastest", "cheapest", "fewest_stops"] {
        assert!(
            itineraries.iter().any(|i| i["highlights"].as_array().unwrap().contains(&label.into())),
            "someone is {label}"
        );
    }
    for itinerary in itineraries {
        let legs = itinerary["legs"].as_array().unwrap();
        assert_eq!(itinerary["stops"], legs.len() - 1);
        assert_eq!(legs[0]["origin"], "BVB");
        assert_eq!(legs.last().unwrap()["destination"], "POA");
        assert!(legs[0]["departure"].as_str().unwrap().starts_with(&date));
        for pair in legs.windows(2) {
            assert_eq!(pair[0]["destination"], pair[1]["origin"]);
            let connection = instant(&pair[1]["departure"])
                .duration_since(instant(&pair[0]["arrival"]))
                .as_mins();
            assert!(connection >= 45, "a connection of {connection} minutes was proposed");
        }
        let fares: i64 = legs.iter().map(|leg| leg["price"].as_i64().unwrap()).sum();
        assert_eq!(itinerary["price"], fares);
        assert_eq!(itinerary["bookable"], true);
    }
}

#[tokio::test]
async fn prices_are_for_every_passenger_and_windows_filter_departures() {
    let node = spawn_node("rumos").await;
    let date = node.date(1);
    let one = search(&node, &format!("origin=GRU&destination=GIG&date={date}")).await.body;
    let three =
        search(&node, &format!("origin=GRU&destination=GIG&date={date}&passengers=3")).await.body;
    assert_eq!(
        three["itineraries"][0]["price"],
        one["itineraries"][0]["price"].as_i64().unwrap() * 3
    );
    let morning = search(
        &node,
        &format!(
            "origin=GRU&destination=GIG&date={date}&departure_from=08:00&departure_until=12:00"
        ),
    )
    .await;
    for itinerary in morning.body["itineraries"].as_array().unwrap() {
        let local = &itinerary["departure"].as_str().unwrap()[11..16];
        assert!(("08:00".."12:01").contains(&local), "departs {local}");
    }
}

#[tokio::test]
async fn a_late_departure_east_arrives_the_next_day() {
    let node = spawn_node("rumos").await;
    let date = node.date(1);
    // Rumos's last Manaus → São Paulo leaves at 19:10 (UTC−4) and lands at 00:05 (UTC−3).
    let late = search(
        &node,
        &format!(
            "origin=MAO&destination=GRU&date={date}&departure_from=19:00&departure_until=23:59"
        ),
    )
    .await;
    let itinerary = &late.body["itineraries"][0];
    assert_eq!(itinerary["arrival_day_offset"], 1, "{itinerary}");
    assert_eq!(itinerary["legs"][0]["arrival_day_offset"], 1);
}

#[tokio::test]
async fn bad_searches_are_refused_with_codes() {
    let node = spawn_node("rumos").await;
    let (today, tomorrow) = (node.date(0), node.date(1));
    let yesterday = node.date(-1);
    let cases = [
        (
            format!("origin=GRU&destination=GRU&date={tomorrow}"),
            StatusCode::BAD_REQUEST,
            "same_origin_and_destination",
        ),
        (
            format!("origin=XYZ&destination=GIG&date={tomorrow}"),
            StatusCode::NOT_FOUND,
            "airport_not_found",
        ),
        (
            format!("origin=G1U&destination=GIG&date={tomorrow}"),
            StatusCode::BAD_REQUEST,
            "invalid_airport_code",
        ),
        (
            "origin=GRU&destination=GIG&date=2026-02-30".to_owned(),
            StatusCode::BAD_REQUEST,
            "invalid_date",
        ),
        (
            format!("origin=GRU&destination=GIG&date={yesterday}"),
            StatusCode::BAD_REQUEST,
            "date_in_past",
        ),
        (
            format!("origin=GRU&destination=GIG&date={tomorrow}&passengers=0"),
            StatusCode::BAD_REQUEST,
            "invalid_passengers",
        ),
        (
            format!("origin=GRU&destination=GIG&date={tomorrow}&passengers=10"),
            StatusCode::BAD_REQUEST,
            "invalid_passengers",
        ),
        (
            format!("origin=GRU&destination=GIG&date={tomorrow}&passengers=two"),
            StatusCode::BAD_REQUEST,
            "invalid_passengers",
        ),
        (
            format!(
                "origin=GRU&destination=GIG&date={tomorrow}&departure_from=12:00&departure_until=08:00"
            ),
            StatusCode::BAD_REQUEST,
            "invalid_window",
        ),
        (
            format!("origin=GRU&destination=GIG&date={tomorrow}&departure_from=25:00"),
            StatusCode::BAD_REQUEST,
            "invalid_window",
        ),
        (
            format!("origin=GRU&destination=GIG&date={tomorrow}&limit=0"),
            StatusCode::BAD_REQUEST,
            "invalid_limit",
        ),
        (format!("destination=GIG&date={tomorrow}"), StatusCode::BAD_REQUEST, "invalid_query"),
        (
            format!("origin=GRU&destination=GIG&date={tomorrow}&sort=price"),
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
    ];
    for (query, status, code) in cases {
        let answer = search(&node, &query).await;
        assert_eq!((answer.status, answer.code()), (status, code), "{query}");
    }
    assert_eq!(
        search(&node, &format!("origin=GRU&destination=GIG&date={today}")).await.status,
        StatusCode::OK
    );
}
