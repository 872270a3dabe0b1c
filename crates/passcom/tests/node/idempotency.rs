//! `Idempotency-Key`: one key, at most one booking.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestNode, answer, spawn_node};

async fn book_with_key(
    node: &TestNode,
    token: &str,
    key: &str,
    body: &Value,
) -> crate::helpers::Answer {
    let response = node
        .client
        .post(node.url("/api/v1/bookings"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    answer(response).await
}

#[tokio::test]
async fn the_same_key_and_body_return_the_same_booking() {
    let node = spawn_node("rumos").await;
    let token = node.customer("repetida").await;
    let flight = node.flight_id("GRU", "GIG", 1).await;
    let body = json!({"flights": [flight], "passengers": [{"name": "Ana"}]});
    let first = book_with_key(&node, &token, "purchase-0001", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert!(first.headers.get("idempotent-replayed").is_none());
    let second = book_with_key(&node, &token, "purchase-0001", &body).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(second.headers["idempotent-replayed"], "true");
    assert_eq!(second.body, first.body);
    let list = node.get("/api/v1/bookings", Some(&token)).await;
    assert_eq!(list.body["bookings"].as_array().unwrap().len(), 1);
    assert_eq!(node.seat_map(&flight).await["seats_available"], 179);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let node = spawn_node("rumos").await;
    let token = node.customer("esperta").await;
    let flight = node.flight_id("GRU", "GIG", 1).await;
    let first = book_with_key(
        &node,
        &token,
        "k-1",
        &json!({"flights": [flight], "passengers": [{"name": "Ana"}]}),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let other = book_with_key(
        &node,
        &token,
        "k-1",
        &json!({"flights": [flight], "passengers": [{"name": "Bia"}]}),
    )
    .await;
    assert_eq!(
        (other.status, other.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
    );
    assert_eq!(node.seat_map(&flight).await["seats_available"], 179);
}

#[tokio::test]
async fn concurrent_requests_with_one_key_make_one_booking() {
    let node = spawn_node("rumos").await;
    let token = node.customer("ansiosa").await;
    let flight = node.flight_id("GRU", "CNF", 1).await;
    let body = json!({"flights": [flight], "passengers": [{"name": "Ana"}]});
    let attempts = (0..20).map(|_| book_with_key(&node, &token, "double-click", &body));
    let answers = futures::future::join_all(attempts).await;
    let references: std::collections::BTreeSet<_> = answers
        .iter()
        .map(|a| {
            assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
            a.body["reference"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(references.len(), 1);
    assert_eq!(node.seat_map(&flight).await["seats_available"], 179);
}

#[tokio::test]
async fn keys_belong_to_one_customer() {
    let node = spawn_node("rumos").await;
    let flight = node.flight_id("GRU", "CNF", 1).await;
    let body = json!({"flights": [flight], "passengers": [{"name": "Ana"}]});
    let a = book_with_key(&node, &node.customer("cliente-a").await, "shared-key", &body).await;
    let b = book_with_key(&node, &node.customer("cliente-b").await, "shared-key", &body).await;
    assert_eq!((a.status, b.status), (StatusCode::CREATED, StatusCode::CREATED));
    assert_ne!(a.body["reference"], b.body["reference"]);
}

#[tokio::test]
async fn a_malformed_key_is_refused() {
    let node = spawn_node("rumos").await;
    let token = node.customer("chave").await;
    let flight = node.flight_id("GRU", "CNF", 1).await;
    let body = json!({"flights": [flight], "passengers": [{"name": "Ana"}]});
    for key in ["has space", &"k".repeat(256)] {
        let refused = book_with_key(&node, &token, key, &body).await;
        assert_eq!(
            (refused.status, refused.code()),
            (StatusCode::BAD_REQUEST, "invalid_idempotency_key")
        );
    }
    assert_eq!(node.seat_map(&flight).await["seats_available"], 180);
}
