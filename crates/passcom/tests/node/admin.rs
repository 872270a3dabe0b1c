//! The admin API: publish, edit (optimistic lock) and cancel own flights.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Answer, TestNode, spawn_node};

/// A new flight GRU → MAO `days` ahead at 08:15 São Paulo time.
fn new_flight(node: &TestNode, number: u16, days: i64) -> Value {
    let date = node.date(days);
    json!({
        "number": number,
        "origin": "GRU",
        "destination": "MAO",
        "departure": format!("{date}T08:15:00-03:00"),
        "arrival": format!("{date}T11:05:00-04:00"),
        "price": 123_450,
    })
}

async fn create(node: &TestNode, body: Value) -> Answer {
    node.post("/api/v1/admin/flights", Some(ADMIN_TOKEN), body).await
}

async fn edit(node: &TestNode, id: &str, if_match: Option<&str>, body: Value) -> Answer {
    let mut request = node
        .client
        .put(node.url(&format!("/api/v1/admin/flights/{id}")))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body);
    if let Some(version) = if_match {
        request = request.header("If-Match", version);
    }
    crate::helpers::answer(request.send().await.unwrap()).await
}

#[tokio::test]
async fn an_admin_publishes_a_flight_that_customers_then_see() {
    let node = spawn_node("rumos").await;
    let created = create(&node, new_flight(&node, 4321, 2)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    let id = format!("RU4321-{}", node.date(2));
    assert_eq!(created.body["id"], id.as_str());
    assert_eq!(created.body["departure"], format!("{}T08:15:00-03:00", node.date(2)).as_str());
    assert_eq!(created.body["arrival"], format!("{}T11:05:00-04:00", node.date(2)).as_str());
    assert_eq!(created.body["duration_minutes"], 230);
    assert_eq!(created.body["version"], 1);
    assert_eq!(created.headers["etag"], "\"1\"");
    let listed = node.flights("GRU", "MAO", 2).await;
    assert!(listed.iter().any(|f| f["id"] == id.as_str()));
}

#[tokio::test]
async fn the_admin_api_needs_the_admin_token() {
    let node = spawn_node("rumos").await;
    let customer = node.customer("curioso").await;
    for token in [None, Some("wrong-token-wrong-token"), Some(customer.as_str())] {
        let answer = node.post("/api/v1/admin/flights", token, new_flight(&node, 4321, 2)).await;
        assert_eq!((answer.status, answer.code()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    }
    assert!(node.flights("GRU", "MAO", 2).await.iter().all(|f| f["flight_number"] != "RU4321"));
}

#[tokio::test]
async fn a_flight_must_make_sense_to_be_published() {
    let node = spawn_node("rumos").await;
    let with = |key: &str, value: Value| {
        let mut body = new_flight(&node, 4000, 2);
        body[key] = value;
        body
    };
    let date = node.date(2);
    let cases = [
        (with("origin", json!("XYZ")), StatusCode::NOT_FOUND, "airport_not_found"),
        (with("origin", json!("12")), StatusCode::UNPROCESSABLE_ENTITY, "invalid_airport_code"),
        (
            with("destination", json!("GRU")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "same_origin_and_destination",
        ),
        (
            with("arrival", json!(format!("{date}T07:00:00-03:00"))),
            StatusCode::UNPROCESSABLE_ENTITY,
            "arrival_before_departure",
        ),
        (
            with("departure", json!("2020-01-01T08:00:00-03:00")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "flight_too_long",
        ),
        (with("departure", json!("yesterday")), StatusCode::UNPROCESSABLE_ENTITY, "invalid_time"),
        (with("price", json!(0)), StatusCode::UNPROCESSABLE_ENTITY, "invalid_price"),
        (with("number", json!(0)), StatusCode::UNPROCESSABLE_ENTITY, "invalid_flight_number"),
        (
            with("cabin", json!({"rows": 0, "letters": "AB"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_cabin",
        ),
    ];
    for (body, status, code) in cases {
        let answer = create(&node, body.clone()).await;
        assert_eq!((answer.status, answer.code()), (status, code), "{body}");
    }
    let past = json!({"number": 4000, "origin": "GRU", "destination": "MAO", "departure": "2020-01-01T08:00:00-03:00", "arrival": "2020-01-01T11:00:00-04:00", "price": 100});
    assert_eq!(create(&node, past).await.code(), "departure_in_past");
    assert_eq!(create(&node, new_flight(&node, 4000, 2)).await.status, StatusCode::CREATED);
    let twice = create(&node, new_flight(&node, 4000, 2)).await;
    assert_eq!((twice.status, twice.code()), (StatusCode::CONFLICT, "flight_exists"));
}

#[tokio::test]
async fn edits_need_the_current_version() {
    let node = spawn_node("rumos").await;
    let created = create(&node, new_flight(&node, 4500, 2)).await;
    let id = created.body["id"].as_str().unwrap();
    let date = node.date(2);
    let later = json!({"departure": format!("{date}T09:00:00-03:00"), "arrival": format!("{date}T11:50:00-04:00"), "price": 99_900});

    let missing = edit(&node, id, None, later.clone()).await;
    assert_eq!(
        (missing.status, missing.code()),
        (StatusCode::PRECONDITION_REQUIRED, "precondition_required")
    );
    let edited = edit(&node, id, Some("\"1\""), later.clone()).await;
    assert_eq!(edited.status, StatusCode::OK, "{edited:?}");
    assert_eq!(edited.body["version"], 2);
    assert_eq!(edited.body["price"], 99_900);
    assert_eq!(edited.body["departure"], format!("{date}T09:00:00-03:00").as_str());

    let stale = edit(&node, id, Some("\"1\""), json!({"price": 1})).await;
    assert_eq!((stale.status, stale.code()), (StatusCode::PRECONDITION_FAILED, "version_mismatch"));
    assert_eq!(stale.body["error"]["current_version"], 2);
    let unchanged = node.get(&format!("/api/v1/flights/{id}"), None).await;
    assert_eq!(unchanged.body["price"], 99_900);

    let other_day = json!({"departure": format!("{}T09:00:00-03:00", node.date(3)), "arrival": format!("{}T11:50:00-04:00", node.date(3))});
    let moved = edit(&node, id, Some("2"), other_day).await;
    assert_eq!(
        (moved.status, moved.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "flight_date_changed")
    );
    let garbage = edit(&node, id, Some("two"), json!({"price": 5})).await;
    assert_eq!((garbage.status, garbage.code()), (StatusCode::BAD_REQUEST, "invalid_if_match"));
}

#[tokio::test]
async fn cancelling_a_flight_marks_the_booked_segments_instead_of_dropping_them() {
    let node = spawn_node("rumos").await;
    let flight = node.flight_id("GRU", "CGB", 1).await;
    let token = node.customer("passageira").await;
    let reference = node.book(&token, &[&flight], &["Ana"]).await.body["reference"]
        .as_str()
        .unwrap()
        .to_owned();

    let cancelled = node
        .call(Method::DELETE, &format!("/api/v1/admin/flights/{flight}"), Some(ADMIN_TOKEN), None)
        .await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["version"], 2);

    let booking = node.get(&format!("/api/v1/bookings/{reference}"), Some(&token)).await;
    assert_eq!(booking.body["segments"][0]["status"], "flight_cancelled");
    let last = booking.body["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "flight_cancelled");
    assert!(last["detail"].as_str().unwrap().contains(&flight));

    let edit_cancelled = edit(&node, &flight, Some("2"), json!({"price": 5000})).await;
    assert_eq!(
        (edit_cancelled.status, edit_cancelled.code()),
        (StatusCode::CONFLICT, "flight_cancelled")
    );
    let again = node
        .call(Method::DELETE, &format!("/api/v1/admin/flights/{flight}"), Some(ADMIN_TOKEN), None)
        .await;
    assert_eq!((again.status, again.body["version"].as_u64()), (StatusCode::OK, Some(2)));
}

#[tokio::test]
async fn another_airlines_flight_is_not_ours_to_change() {
    let node = spawn_node("rumos").await;
    let answer = node
        .call(Method::DELETE, "/api/v1/admin/flights/GI1001-2026-12-01", Some(ADMIN_TOKEN), None)
        .await;
    assert_eq!((answer.status, answer.code()), (StatusCode::NOT_FOUND, "flight_not_found"));
}
