//! Many buyers, one seat: exactly one wins, the rest are told at once.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestNode, available_seats, spawn_node};

/// Registers `count` customers concurrently; returns their tokens.
async fn customers(node: &TestNode, count: usize) -> Vec<String> {
    join_all((0..count).map(|i| node.customer_owned(format!("buyer{i:03}")))).await
}

impl TestNode {
    async fn customer_owned(&self, username: String) -> String {
        self.customer(&username).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_seat_goes_to_exactly_one_buyer() {
    let node = spawn_node("rumos").await;
    // The original's one-seat Macapá → Salvador flight.
    let flight = format!("RU1003-{}", node.date(1));
    assert_eq!(node.seat_map(&flight).await["seats_available"], 1);
    let buyers = customers(&node, 200).await;
    let answers = join_all(buyers.iter().enumerate().map(|(i, token)| {
        let name = format!("Buyer {i}");
        let (node, flight) = (&node, flight.clone());
        async move { node.book(token, &[&flight], &[&name]).await }
    }))
    .await;

    let winners: Vec<_> = answers.iter().filter(|a| a.status == StatusCode::CREATED).collect();
    assert_eq!(winners.len(), 1, "exactly one buyer gets the seat");
    for loser in answers.iter().filter(|a| a.status != StatusCode::CREATED) {
        assert_eq!(
            (loser.status, loser.code()),
            (StatusCode::CONFLICT, "seat_unavailable"),
            "{loser:?}"
        );
        assert_eq!(loser.body["error"]["flight"], flight.as_str());
    }
    assert_eq!(winners[0].body["segments"][0]["seat"], "1A");
    let map = node.seat_map(&flight).await;
    assert_eq!(map["seats_available"], 0);
    assert!(available_seats(&map).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_chosen_seat_wanted_by_many_is_sold_once() {
    let node = spawn_node("rumos").await;
    let flight = node.flight_id("GRU", "GIG", 1).await;
    let buyers = customers(&node, 200).await;
    let answers = join_all(buyers.iter().map(|token| {
        node.post(
            "/api/v1/bookings",
            Some(token),
            json!({"flights": [flight], "passengers": [{"name": "Ana"}], "seats": [["12C"]]}),
        )
    }))
    .await;
    let statuses: Vec<_> = answers.iter().map(|a| a.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1);
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 199);
    let map = node.seat_map(&flight).await;
    assert_eq!(map["seats_available"], 179);
    assert!(!available_seats(&map).contains(&"12C".to_owned()));
}
