//! Purchases across airlines: one trip, every leg or none, through the two-phase commit between
//! three real nodes; and cancelling it, every seat back at every owner.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Answer, TestNode, available_seats};
use crate::network_helpers::{
    TestNetwork, peer_status, spawn_network, spawn_network_with, wait_for,
};

const AIRLINES: [&str; 3] = ["rumos", "giro", "boreal"];

/// Three airlines online, with each other's flights replicated.
async fn ready(network: TestNetwork) -> TestNetwork {
    network.wait_all_online().await;
    for airline in AIRLINES {
        let node = network.node(airline);
        wait_for(&format!("{airline} lists the chain"), || async {
            chain_at(node).await.is_some()
        })
        .await;
    }
    network
}

/// The ids of the original's chain Rio Branco → Maceió → Manaus → Macapá tomorrow (GI1001,
/// BO1001, RU1001), as `node` finds it.
async fn chain_at(node: &TestNode) -> Option<Vec<String>> {
    let date = node.date(1);
    let query = format!(
        "/api/v1/itineraries?origin=RBR&destination=MCP&date={date}&departure_from=05:00&departure_until=07:00"
    );
    let answer = node.get(&query, None).await;
    let itineraries = answer.body["itineraries"].as_array()?;
    let chain =
        itineraries.iter().find(|itinerary| itinerary["legs"].as_array().unwrap().len() == 3)?;
    Some(
        chain["legs"]
            .as_array()?
            .iter()
            .map(|leg| leg["id"].as_str().unwrap().to_owned())
            .collect(),
    )
}

async fn chain(network: &TestNetwork) -> Vec<String> {
    chain_at(network.node("rumos")).await.expect("the chain is listed")
}

fn refs(ids: &[String]) -> Vec<&str> {
    ids.iter().map(String::as_str).collect()
}

/// Buys `flights` at `node` with chosen `seats` (one list per flight).
async fn book_seats(node: &TestNode, token: &str, flights: &[String], seats: Value) -> Answer {
    node.post(
        "/api/v1/bookings",
        Some(token),
        json!({"flights": flights, "passengers": [{"name": "Ana Lima"}], "seats": seats}),
    )
    .await
}

/// The owner's record of the segments on its `flight`.
async fn segments_at(owner: &TestNode, flight: &str) -> Vec<Value> {
    let answer =
        owner.get(&format!("/api/v1/admin/flights/{flight}/segments"), Some(ADMIN_TOKEN)).await;
    assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    answer.body["segments"].as_array().unwrap().clone()
}

fn events(booking: &Value) -> Vec<String> {
    booking["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trip_across_three_airlines_is_confirmed_on_every_leg() {
    let network = ready(spawn_network(&AIRLINES).await).await;
    let flights = chain(&network).await;
    let rumos = network.node("rumos");
    let token = rumos.customer("ana").await;

    let bought = rumos.book(&token, &refs(&flights), &["Ana Lima", "Bia Lima"]).await;
    assert_eq!(bought.status, StatusCode::CREATED, "{bought:?}");
    let booking = &bought.body;
    assert_eq!(booking["status"], "confirmed");
    let segments = booking["segments"].as_array().unwrap();
    let airlines: Vec<&str> = segments.iter().map(|s| s["airline"].as_str().unwrap()).collect();
    assert_eq!(airlines, ["giro", "giro", "boreal", "boreal", "rumos", "rumos"]);
    assert_eq!(events(booking), ["pending", "confirmed"]);
    let reference = booking["reference"].as_str().unwrap();

    for (owner, flight) in ["giro", "boreal", "rumos"].into_iter().zip(&flights) {
        // The customer hears "confirmed" once the decision is durable at the seller; the owners
        // hear it right after.
        let node = network.node(owner);
        wait_for(&format!("{owner} sold its seats"), || async {
            segments_at(node, flight).await.iter().all(|record| record["state"] == "sold")
        })
        .await;
        let records = segments_at(node, flight).await;
        assert_eq!(records.len(), 2, "{owner} records both passengers on {flight}");
        for record in &records {
            assert_eq!(
                (record["state"].as_str(), record["seller"].as_str()),
                (Some("sold"), Some("rumos"))
            );
            assert_eq!(record["reference"], reference);
            let sold =
                segments.iter().find(|s| s["flight"] == *flight && s["seat"] == record["seat"]);
            let sold = sold
                .unwrap_or_else(|| panic!("{owner}'s seat {} is in the booking", record["seat"]));
            assert_eq!(
                sold["ticket_number"], record["ticket_number"],
                "the owner issued the ticket"
            );
        }
        let map = network.node(owner).seat_map(flight).await;
        for record in &records {
            assert!(!available_seats(&map).contains(&record["seat"].as_str().unwrap().to_owned()));
        }
    }
    let read = rumos.get(&format!("/api/v1/bookings/{reference}"), Some(&token)).await;
    assert_eq!(read.body, *booking);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seat_taken_at_one_airline_fails_the_whole_trip_and_holds_nothing() {
    let network = ready(spawn_network(&AIRLINES).await).await;
    let flights = chain(&network).await;
    let (rumos, giro, boreal) =
        (network.node("rumos"), network.node("giro"), network.node("boreal"));
    let someone = boreal.customer("someone").await;
    let taken = book_seats(boreal, &someone, &flights[1..2], json!([["1A"]])).await;
    assert_eq!(taken.status, StatusCode::CREATED, "{taken:?}");

    let token = rumos.customer("ana").await;
    let refused = book_seats(rumos, &token, &flights, json!([["2A"], ["1A"], ["2A"]])).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "seat_unavailable"),
        "{refused:?}"
    );
    assert_eq!(refused.body["error"]["flight"], flights[1].as_str());
    let reference =
        refused.body["error"]["reference"].as_str().expect("the failed booking is named");

    let failed = rumos.get(&format!("/api/v1/bookings/{reference}"), Some(&token)).await;
    assert_eq!(failed.body["status"], "failed");
    assert_eq!(failed.body["failure"]["code"], "seat_unavailable");
    assert_eq!(failed.body["failure"]["flight"], flights[1].as_str(), "the booking names it too");
    assert_eq!(failed.body["segments"], json!([]));
    assert_eq!(events(&failed.body), ["pending", "purchase_failed"]);

    wait_for("giro released its hold", || async {
        segments_at(giro, &flights[0]).await.is_empty()
    })
    .await;
    assert!(available_seats(&giro.seat_map(&flights[0]).await).contains(&"2A".to_owned()));
    assert!(segments_at(rumos, &flights[2]).await.is_empty(), "the seller's own hold is gone");
    assert_eq!(segments_at(boreal, &flights[1]).await.len(), 1, "only the first buyer's seat");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_known_offline_is_refused_before_anything_is_held() {
    let network = ready(spawn_network(&AIRLINES).await).await;
    let flights = chain(&network).await;
    let rumos = network.node("rumos");
    let token = rumos.customer("ana").await;
    network.partition("boreal");
    wait_for("rumos sees boreal offline", || async {
        peer_status(rumos, "boreal").await.as_deref() == Some("offline")
    })
    .await;

    let refused = rumos.book(&token, &refs(&flights), &["Ana Lima"]).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "airline_unavailable"),
        "{refused:?}"
    );
    assert_eq!(refused.body["error"]["airline"], "boreal");
    assert_eq!(rumos.get("/api/v1/bookings", Some(&token)).await.body["bookings"], json!([]));
    assert!(segments_at(network.node("giro"), &flights[0]).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outcome_not_known_in_time_is_pending_and_read_later() {
    let network = spawn_network_with(&AIRLINES, |airline, config| {
        if airline == "rumos" {
            config.commit.purchase_wait_ms = 0;
        }
    })
    .await;
    let network = ready(network).await;
    let flights = chain(&network).await;
    let rumos = network.node("rumos");
    let token = rumos.customer("ana").await;

    let pending = rumos.book(&token, &refs(&flights), &["Ana Lima"]).await;
    assert_eq!(pending.status, StatusCode::ACCEPTED, "{pending:?}");
    assert_eq!(pending.body["status"], "pending");
    let reference = pending.body["reference"].as_str().unwrap();
    let location = pending.headers["location"].to_str().unwrap();
    assert_eq!(location, format!("/api/v1/bookings/{reference}"));

    wait_for("the booking is confirmed", || async {
        rumos.get(location, Some(&token)).await.body["status"] == "confirmed"
    })
    .await;
    let booking = rumos.get(location, Some(&token)).await.body;
    assert_eq!(booking["segments"].as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_trip_releases_every_seat_at_every_airline() {
    let network = ready(spawn_network(&AIRLINES).await).await;
    let flights = chain(&network).await;
    let rumos = network.node("rumos");
    let token = rumos.customer("ana").await;
    let bought = rumos.book(&token, &refs(&flights), &["Ana Lima"]).await;
    assert_eq!(bought.status, StatusCode::CREATED, "{bought:?}");
    let reference = bought.body["reference"].as_str().unwrap();

    let cancelled =
        rumos.post(&format!("/api/v1/bookings/{reference}/cancel"), Some(&token), json!({})).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{cancelled:?}");
    assert_eq!(cancelled.body["status"], "cancelled");
    assert!(
        cancelled.body["segments"].as_array().unwrap().iter().all(|s| s["status"] == "cancelled")
    );
    assert!(segments_at(rumos, &flights[2]).await.is_empty(), "the seller's own seat at once");
    for (owner, flight) in ["giro", "boreal"].into_iter().zip(&flights) {
        let node = network.node(owner);
        wait_for(&format!("{owner} released"), || async {
            segments_at(node, flight).await.is_empty()
        })
        .await;
    }
    wait_for("the booking records both releases", || async {
        let booking = rumos.get(&format!("/api/v1/bookings/{reference}"), Some(&token)).await.body;
        events(&booking).iter().filter(|e| *e == "seats_released").count() == 2
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_is_retried_until_the_owner_answers() {
    let network = ready(spawn_network(&AIRLINES).await).await;
    let flights = chain(&network).await;
    let (rumos, giro) = (network.node("rumos"), network.node("giro"));
    let token = rumos.customer("ana").await;
    let bought = rumos.book(&token, &refs(&flights), &["Ana Lima"]).await;
    let reference = bought.body["reference"].as_str().unwrap().to_owned();

    network.partition("giro");
    let cancelled =
        rumos.post(&format!("/api/v1/bookings/{reference}/cancel"), Some(&token), json!({})).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{cancelled:?}");
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(segments_at(giro, &flights[0]).await.len(), 1, "giro cannot have heard");

    network.heal();
    wait_for("giro released", || async { segments_at(giro, &flights[0]).await.is_empty() }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_purchase_answers_as_the_first_time() {
    let network = ready(spawn_network(&AIRLINES).await).await;
    let flights = chain(&network).await;
    let (rumos, boreal) = (network.node("rumos"), network.node("boreal"));
    let token = rumos.customer("ana").await;
    let keyed = |key: &'static str, seats: Value| {
        let body =
            json!({"flights": flights, "passengers": [{"name": "Ana Lima"}], "seats": seats});
        let request = rumos.client.post(rumos.url("/api/v1/bookings")).bearer_auth(&token);
        async move {
            crate::helpers::answer(
                request.header("Idempotency-Key", key).json(&body).send().await.unwrap(),
            )
            .await
        }
    };

    let first = keyed("trip-1", json!([["3A"], ["3A"], ["3A"]])).await;
    let again = keyed("trip-1", json!([["3A"], ["3A"], ["3A"]])).await;
    assert_eq!((first.status, again.status), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(first.body["reference"], again.body["reference"]);

    let someone = boreal.customer("someone").await;
    book_seats(boreal, &someone, &flights[1..2], json!([["4A"]])).await;
    let refused = keyed("trip-2", json!([["4A"], ["4A"], ["4A"]])).await;
    let refused_again = keyed("trip-2", json!([["4A"], ["4A"], ["4A"]])).await;
    assert_eq!((refused.code(), refused_again.code()), ("seat_unavailable", "seat_unavailable"));
    assert_eq!(refused.body["error"]["reference"], refused_again.body["error"]["reference"]);
    let bookings = rumos.get("/api/v1/bookings", Some(&token)).await.body;
    assert_eq!(bookings["bookings"].as_array().unwrap().len(), 2, "one booking per key");
}
