//! Many buyers, one seat: exactly one wins, the rest are told at once.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, Answer, TestNode, available_seats, spawn_node};
use crate::network_helpers::{spawn_network_with, wait_for};

/// Registers `count` customers concurrently; returns their tokens.
async fn customers(node: &TestNode, count: usize) -> Vec<String> {
    join_all((0..count).map(|i| node.customer_owned(format!("buyer{i:03}")))).await
}

impl TestNode {
    async fn customer_owned(&self, username: String) -> String {
        self.customer(&username).await
    }
}

/// The one buyer among `answers` who got a seat on `flight`; every other was told at once that
/// the seat is gone.
fn the_one_winner<'a>(answers: &'a [Answer], flight: &str) -> &'a Answer {
    let winners: Vec<_> = answers.iter().filter(|a| a.status == StatusCode::CREATED).collect();
    assert_eq!(winners.len(), 1, "exactly one buyer of {} gets the seat", answers.len());
    for loser in answers.iter().filter(|a| a.status != StatusCode::CREATED) {
        assert_eq!(
            (loser.status, loser.code()),
            (StatusCode::CONFLICT, "seat_unavailable"),
            "{loser:?}"
        );
        assert_eq!(loser.body["error"]["flight"], flight);
    }
    winners[0]
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

    let winner = the_one_winner(&answers, &flight);
    assert_eq!(winner.body["segments"][0]["seat"], "1A");
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

/// Buyers per airline in the race across airlines.
const BUYERS_PER_AIRLINE: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_seat_across_airlines_goes_to_exactly_one_buyer() {
    let airlines = ["rumos", "giro", "boreal"];
    // Heartbeats as patient as in production: 300 purchases at once keep two cores busy.
    let network = spawn_network_with(&airlines, |_, config| {
        config.network.heartbeat_timeout_ms = 3000;
    })
    .await;
    network.wait_all_online().await;
    let giro = network.node("giro");
    // Giro's one-seat Macapá → Salvador flight, sold by all three airlines at once: at Giro in
    // one phase, at Rumos and Boreal through the two-phase commit.
    let flight = format!("GI1003-{}", giro.date(1));
    for airline in airlines {
        let node = network.node(airline);
        wait_for(&format!("{airline} lists {flight}"), || async {
            node.get(&format!("/api/v1/flights/{flight}"), None).await.status == StatusCode::OK
        })
        .await;
    }
    let mut buyers = Vec::new();
    for airline in airlines {
        let node = network.node(airline);
        for token in customers(node, BUYERS_PER_AIRLINE).await {
            buyers.push((node, token));
        }
    }

    let answers = join_all(buyers.iter().enumerate().map(|(i, (node, token))| {
        let name = format!("Buyer {i}");
        let flight = flight.clone();
        async move { node.book(token, &[&flight], &[&name]).await }
    }))
    .await;

    let winner = the_one_winner(&answers, &flight);
    let seller = winner.headers["location"].to_str().unwrap().to_owned();
    wait_for("giro's record shows one seat sold, none held", || async {
        let answer =
            giro.get(&format!("/api/v1/admin/flights/{flight}/segments"), Some(ADMIN_TOKEN)).await;
        let segments = answer.body["segments"].as_array().unwrap().clone();
        segments.len() == 1 && segments[0]["state"] == "sold"
    })
    .await;
    assert_eq!(giro.seat_map(&flight).await["seats_available"], 0, "{seller}");
}
