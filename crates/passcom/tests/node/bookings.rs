//! Buying trips, reading them, cancelling them.

use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestNode, available_seats, spawn_node};

fn instant(value: &Value) -> Timestamp {
    value.as_str().unwrap().parse().unwrap()
}

/// Two flights of the node's airline through GRU tomorrow whose connection is (or is not)
/// at least `minimum_minutes` long.
async fn connection_through_gru(
    node: &TestNode,
    feasible: bool,
    minimum_minutes: i64,
) -> (String, String) {
    let date = node.date(1);
    let all =
        node.get(&format!("/api/v1/flights?date={date}&limit=1000"), None).await.body["flights"]
            .as_array()
            .unwrap()
            .clone();
    let (arriving, leaving): (Vec<_>, Vec<_>) = (
        all.iter().filter(|f| f["destination"] == "GRU").collect(),
        all.iter().filter(|f| f["origin"] == "GRU").collect(),
    );
    for first in &arriving {
        for second in &leaving {
            let gap =
                instant(&second["departure"]).duration_since(instant(&first["arrival"])).as_mins();
            let wanted = if feasible {
                (minimum_minutes..minimum_minutes + 240).contains(&gap)
            } else {
                (0..minimum_minutes).contains(&gap)
            };
            if wanted && first["origin"] != second["destination"] {
                return (
                    first["id"].as_str().unwrap().to_owned(),
                    second["id"].as_str().unwrap().to_owned(),
                );
            }
        }
    }
    panic!("no {} connection through GRU", if feasible { "feasible" } else { "too short a" });
}

#[tokio::test]
async fn a_booking_is_confirmed_with_a_reference_seats_and_tickets() {
    let node = spawn_node("rumos").await;
    let token = node.customer("ines").await;
    let flight = node.flight_id("GRU", "POA", 1).await;
    let booked = node.book(&token, &[&flight], &["Inês Brasil"]).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{booked:?}");
    let body = &booked.body;
    let reference = body["reference"].as_str().unwrap();
    assert_eq!(reference.len(), 6);
    assert!(reference.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    assert_eq!(booked.headers["location"], format!("/api/v1/bookings/{reference}").as_str());
    assert_eq!(body["status"], "confirmed");
    let segment = &body["segments"][0];
    assert_eq!(segment["flight"], flight.as_str());
    assert_eq!(segment["airline"], "rumos");
    assert_eq!(segment["passenger"], "Inês Brasil");
    let ticket = segment["ticket_number"].as_str().unwrap();
    assert_eq!(ticket.len(), 13);
    assert!(ticket.starts_with("771"), "Rumos tickets start with its prefix: {ticket}");
    let price =
        node.get(&format!("/api/v1/flights/{flight}"), None).await.body["price"].as_i64().unwrap();
    assert_eq!(body["total_price"], price);
    assert_eq!(body["history"][0]["event"], "confirmed");

    let read = node.get(&format!("/api/v1/bookings/{reference}"), Some(&token)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, booked.body);
}

#[tokio::test]
async fn a_party_sits_together_and_pays_for_everyone() {
    let node = spawn_node("rumos").await;
    let token = node.customer("familia").await;
    let flight = node.flight_id("GRU", "FLN", 2).await;
    let booked = node.book(&token, &[&flight], &["Ana", "Bia", "Caio"]).await;
    assert_eq!(booked.status, StatusCode::CREATED);
    let seats: Vec<_> = booked.body["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["seat"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seats, ["1A", "1B", "1C"]);
    let price =
        node.get(&format!("/api/v1/flights/{flight}"), None).await.body["price"].as_i64().unwrap();
    assert_eq!(booked.body["total_price"], 3 * price);
}

#[tokio::test]
async fn chosen_seats_are_sold_and_a_taken_seat_is_refused_naming_the_flight() {
    let node = spawn_node("rumos").await;
    let flight = node.flight_id("GRU", "CWB", 1).await;
    let first = node.customer("primeiro").await;
    let booked = node
        .post("/api/v1/bookings", Some(&first), json!({"flights": [flight], "passengers": [{"name": "Um"}, {"name": "Dois"}], "seats": [["12C", "12d"]]}))
        .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{booked:?}");
    assert_eq!(booked.body["segments"][0]["seat"], "12C");
    assert_eq!(booked.body["segments"][1]["seat"], "12D");

    let second = node.customer("segundo").await;
    let taken = node
        .post(
            "/api/v1/bookings",
            Some(&second),
            json!({"flights": [flight], "passengers": [{"name": "Três"}], "seats": [["12D"]]}),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.code(), "seat_unavailable");
    assert_eq!(taken.body["error"]["flight"], flight.as_str());
    let mine = node.get("/api/v1/bookings", Some(&second)).await;
    assert_eq!(mine.body["bookings"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn seat_choices_that_do_not_fit_the_flights_are_refused() {
    let node = spawn_node("rumos").await;
    let token = node.customer("escolha").await;
    let flight = node.flight_id("GRU", "CWB", 1).await;
    let cases = [
        (json!([["31A"]]), "seat_not_on_flight"),
        (json!([["1G"]]), "seat_not_on_flight"),
        (json!([["1A", "1B"]]), "seats_mismatch"),
        (json!([["1A"], ["1B"]]), "seats_mismatch"),
        (json!([["XX"]]), "invalid_seat"),
    ];
    for (seats, code) in cases {
        let answer = node
            .post(
                "/api/v1/bookings",
                Some(&token),
                json!({"flights": [flight], "passengers": [{"name": "Ana"}], "seats": seats}),
            )
            .await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, code),
            "{seats}"
        );
    }
    let repeated = node
        .post("/api/v1/bookings", Some(&token), json!({"flights": [flight], "passengers": [{"name": "Ana"}, {"name": "Bia"}], "seats": [["3C", "3C"]]}))
        .await;
    assert_eq!(
        (repeated.status, repeated.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "seat_repeated")
    );
    assert_eq!(available_seats(&node.seat_map(&flight).await).len(), 180);
}

#[tokio::test]
async fn a_trip_of_connecting_flights_is_bought_in_one_step() {
    let node = spawn_node("rumos").await;
    let token = node.customer("conexao").await;
    let (first, second) = connection_through_gru(&node, true, 45).await;
    let booked = node.book(&token, &[&first, &second], &["Rita", "Gal"]).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{booked:?}");
    let segments = booked.body["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 4);
    let flights: Vec<_> = segments.iter().map(|s| s["flight"].as_str().unwrap()).collect();
    assert_eq!(flights, [first.as_str(), first.as_str(), second.as_str(), second.as_str()]);
}

#[tokio::test]
async fn an_impossible_connection_is_never_sold() {
    let node = spawn_node("rumos").await;
    let token = node.customer("apressado").await;
    let (first, second) = connection_through_gru(&node, false, 45).await;
    let refused = node.book(&token, &[&first, &second], &["Rita"]).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "connection_too_short")
    );
    let backwards = node.book(&token, &[&second, &first], &["Rita"]).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    for flight in [&first, &second] {
        assert_eq!(available_seats(&node.seat_map(flight).await).len(), 180);
    }
}

#[tokio::test]
async fn a_departed_or_cancelled_flight_is_not_sold() {
    let node = spawn_node("rumos").await;
    let token = node.customer("atrasado").await;
    let cancelled = node.flight_id("GRU", "VIX", 1).await;
    let answer = node
        .call(
            Method::DELETE,
            &format!("/api/v1/admin/flights/{cancelled}"),
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let refused = node.book(&token, &[&cancelled], &["Ana"]).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::CONFLICT, "flight_cancelled"));

    let tomorrow = node.flight_id("GRU", "GIG", 1).await;
    node.advance(SignedDuration::from_hours(60));
    let token = node.login("atrasado", "password-of-atrasado").await;
    let refused = node.book(&token, &[&tomorrow], &["Ana"]).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::CONFLICT, "flight_departed"));
    assert_eq!(refused.body["error"]["flight"], tomorrow.as_str());
}

#[tokio::test]
async fn an_unknown_flight_is_not_found() {
    let node = spawn_node("rumos").await;
    let token = node.customer("perdido").await;
    let answer = node.book(&token, &["RU9876-2026-12-01"], &["Ana"]).await;
    assert_eq!((answer.status, answer.code()), (StatusCode::NOT_FOUND, "flight_not_found"));
    assert_eq!(answer.body["error"]["flight"], "RU9876-2026-12-01");
}

#[tokio::test]
async fn cancelling_releases_every_seat_and_is_recorded() {
    let node = spawn_node("rumos").await;
    let token = node.customer("desistente").await;
    let flight = node.flight_id("GRU", "SSA", 1).await;
    let booked = node.book(&token, &[&flight], &["Ana", "Bia"]).await;
    let reference = booked.body["reference"].as_str().unwrap();
    assert_eq!(node.seat_map(&flight).await["seats_available"], 178);

    let cancelled =
        node.post(&format!("/api/v1/bookings/{reference}/cancel"), Some(&token), json!({})).await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert!(
        cancelled.body["segments"].as_array().unwrap().iter().all(|s| s["status"] == "cancelled")
    );
    let events: Vec<_> = cancelled.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["confirmed", "cancelled"]);
    assert_eq!(node.seat_map(&flight).await["seats_available"], 180);

    let again =
        node.post(&format!("/api/v1/bookings/{reference}/cancel"), Some(&token), json!({})).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, cancelled.body);

    let other = node.customer("oportunista").await;
    let seat = booked.body["segments"][0]["seat"].as_str().unwrap();
    let resold = node
        .post(
            "/api/v1/bookings",
            Some(&other),
            json!({"flights": [flight], "passengers": [{"name": "Caio"}], "seats": [[seat]]}),
        )
        .await;
    assert_eq!(resold.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_customer_never_sees_or_cancels_anothers_booking() {
    let node = spawn_node("rumos").await;
    let owner = node.customer("dona").await;
    let intruder = node.customer("intruso").await;
    let flight = node.flight_id("GRU", "BSB", 1).await;
    let reference = node.book(&owner, &[&flight], &["Dona"]).await.body["reference"]
        .as_str()
        .unwrap()
        .to_owned();

    let read = node.get(&format!("/api/v1/bookings/{reference}"), Some(&intruder)).await;
    assert_eq!((read.status, read.code()), (StatusCode::NOT_FOUND, "booking_not_found"));
    let cancel = node
        .post(&format!("/api/v1/bookings/{reference}/cancel"), Some(&intruder), json!({}))
        .await;
    assert_eq!((cancel.status, cancel.code()), (StatusCode::NOT_FOUND, "booking_not_found"));
    assert!(
        node.get("/api/v1/bookings", Some(&intruder)).await.body["bookings"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        node.get(&format!("/api/v1/bookings/{reference}"), Some(&owner)).await.body["status"],
        "confirmed"
    );
    let unknown = node.get("/api/v1/bookings/ZZZZZZ", Some(&owner)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let malformed = node.get("/api/v1/bookings/nope", Some(&owner)).await;
    assert_eq!(
        (malformed.status, malformed.code()),
        (StatusCode::BAD_REQUEST, "invalid_booking_reference")
    );
}

#[tokio::test]
async fn bookings_are_listed_newest_first_in_pages() {
    let node = spawn_node("rumos").await;
    let token = node.customer("viajante").await;
    let flight = node.flight_id("GRU", "REC", 1).await;
    let mut references = Vec::new();
    for name in ["Um", "Dois", "Três"] {
        references.push(
            node.book(&token, &[&flight], &[name]).await.body["reference"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let first = node.get("/api/v1/bookings?limit=2", Some(&token)).await;
    let page: Vec<_> = first.body["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["reference"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(page, [references[2].clone(), references[1].clone()]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = node.get(&format!("/api/v1/bookings?limit=2&cursor={cursor}"), Some(&token)).await;
    assert_eq!(second.body["bookings"][0]["reference"], references[0].as_str());
    assert!(second.body["next_cursor"].is_null());
}
