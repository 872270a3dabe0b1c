//! Three airlines, one network: heartbeats, catalog replication, remote seat maps, partitions.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::ADMIN_TOKEN;
use crate::network_helpers::{
    HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, TestNetwork, flights_of, peer_status,
    spawn_network, wait_for,
};

const AIRLINES: [&str; 3] = ["rumos", "giro", "boreal"];

/// Waits until every node's replica of every other airline equals that airline's own catalog.
async fn wait_converged(network: &TestNetwork) {
    for owner in AIRLINES {
        let own = flights_of(network.node(owner), owner).await;
        for replica in AIRLINES.iter().filter(|airline| **airline != owner) {
            wait_for(&format!("{replica}'s copy of {owner} equals {owner}'s"), || async {
                flights_of(network.node(replica), owner).await == own
            })
            .await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_node_sees_every_airline_online_and_lists_all_flights() {
    let network = spawn_network(&AIRLINES).await;
    network.wait_all_online().await;
    wait_converged(&network).await;
    let rumos = network.node("rumos");
    let airlines = rumos.get("/api/v1/airlines", None).await;
    let listed: Vec<_> = airlines.body["airlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].clone(), a["status"].clone()))
        .collect();
    assert_eq!(
        listed,
        vec![
            (json!("boreal"), json!("online")),
            (json!("giro"), json!("online")),
            (json!("rumos"), json!("online"))
        ]
    );
    let giro = airlines.body["airlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "giro")
        .unwrap()
        .clone();
    assert_eq!((giro["name"].as_str(), giro["colour"].as_str()), (Some("Giro"), Some("#2e7d32")));
    for airline in AIRLINES {
        let flights = flights_of(rumos, airline).await;
        assert!(flights.len() > 100, "rumos lists {}'s flights", airline);
    }
    let chain = rumos.flights("RBR", "MCZ", 1).await;
    let giro_flight = chain.iter().find(|f| f["airline"] == "giro").unwrap();
    assert_eq!(giro_flight["owner_online"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flight_published_at_giro_appears_at_rumos_and_boreal() {
    let network = spawn_network(&AIRLINES).await;
    network.wait_all_online().await;
    let giro = network.node("giro");
    let date = giro.date(2);
    let body = json!({
        "number": 4242, "origin": "BSB", "destination": "MAO",
        "departure": format!("{date}T07:00:00-03:00"), "arrival": format!("{date}T08:40:00-04:00"), "price": 77_700,
    });
    let created = giro.post("/api/v1/admin/flights", Some(ADMIN_TOKEN), body).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_owned();
    for airline in ["rumos", "boreal"] {
        let node = network.node(airline);
        wait_for(&format!("{airline} has {id}"), || async {
            node.get(&format!("/api/v1/flights/{id}"), None).await.status == StatusCode::OK
        })
        .await;
        let replica = node.get(&format!("/api/v1/flights/{id}"), None).await.body;
        assert_eq!(
            (replica["airline"].as_str(), replica["price"].as_i64()),
            (Some("giro"), Some(77_700))
        );
        assert_eq!(replica["departure"], format!("{date}T07:00:00-03:00").as_str());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_sold_at_the_owner_reach_the_replicas_and_its_seat_map() {
    let network = spawn_network(&AIRLINES).await;
    network.wait_all_online().await;
    let giro = network.node("giro");
    let flight = giro.flight_id("BSB", "GRU", 1).await;
    let token = giro.customer("vizinha").await;
    let booked = giro.post("/api/v1/bookings", Some(&token), json!({"flights": [flight], "passengers": [{"name": "A"}, {"name": "B"}], "seats": [["7A", "7B"]]})).await;
    assert_eq!(booked.status, StatusCode::CREATED);
    let rumos = network.node("rumos");
    wait_for("rumos sees 178 seats left", || async {
        rumos.get(&format!("/api/v1/flights/{flight}"), None).await.body["seats_available"] == 178
    })
    .await;
    let map = rumos.seat_map(&flight).await;
    let taken: Vec<_> = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["available"] == false)
        .map(|s| s["seat"].clone())
        .collect();
    assert_eq!(taken, vec![json!("7A"), json!("7B")], "the seat map is asked of the owner");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_node_is_offline_in_time_then_online_and_caught_up_after_restart() {
    let mut network = spawn_network(&AIRLINES).await;
    network.wait_all_online().await;
    wait_converged(&network).await;
    let flight = network.node("giro").flight_id("BSB", "GRU", 1).await;
    let stopping = jiff::Timestamp::now();
    network.stop("giro").await;
    let rumos = network.node("rumos");
    wait_for("rumos sees giro offline", || async {
        peer_status(rumos, "giro").await.as_deref() == Some("offline")
    })
    .await;
    // When rumos marked giro offline, by its own record, not by when this test looked.
    let peers = rumos.get("/api/v1/network", None).await.body["peers"].clone();
    let giro = peers.as_array().unwrap().iter().find(|p| p["airline"] == "giro").unwrap().clone();
    let since: jiff::Timestamp = giro["since"].as_str().unwrap().parse().unwrap();
    let took = since.duration_since(stopping);
    // A heartbeat may have been answered just before the stop; the next one, `interval` later,
    // goes unanswered for `timeout`. The slack covers the driver's 10 ms tick on a busy machine.
    let allowed = jiff::SignedDuration::from_millis(
        (HEARTBEAT_INTERVAL_MS + HEARTBEAT_TIMEOUT_MS + 100) as i64,
    );
    assert!(took <= allowed, "offline {took:?} after the stop began, allowed {allowed:?}");

    let unavailable = rumos.get(&format!("/api/v1/flights/{flight}/seats"), None).await;
    assert_eq!(
        (unavailable.status, unavailable.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "airline_unavailable")
    );
    assert_eq!(unavailable.body["error"]["airline"], "giro");
    let listed = rumos.get(&format!("/api/v1/flights/{flight}"), None).await;
    assert_eq!(listed.body["owner_online"], false);

    // While giro is down, rumos changes its catalog; giro must catch up after its restart.
    let date = rumos.date(2);
    let created = rumos
        .post("/api/v1/admin/flights", Some(ADMIN_TOKEN), json!({
            "number": 4343, "origin": "GRU", "destination": "POA",
            "departure": format!("{date}T10:00:00-03:00"), "arrival": format!("{date}T11:35:00-03:00"), "price": 45_600,
        }))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    network.start("giro").await;
    let rumos = network.node("rumos");
    wait_for("rumos sees giro online again", || async {
        peer_status(rumos, "giro").await.as_deref() == Some("online")
    })
    .await;
    wait_converged(&network).await;
    let giro = network.node("giro");
    let replica =
        giro.get(&format!("/api/v1/flights/{}", created.body["id"].as_str().unwrap()), None).await;
    assert_eq!(replica.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_partition_heals_every_replica_equals_its_owner() {
    let network = spawn_network(&AIRLINES).await;
    network.wait_all_online().await;
    wait_converged(&network).await;
    network.partition("boreal");
    let rumos = network.node("rumos");
    wait_for("rumos sees boreal offline", || async {
        peer_status(rumos, "boreal").await.as_deref() == Some("offline")
    })
    .await;

    // Both sides change their catalogs during the partition.
    let boreal = network.node("boreal");
    let date = boreal.date(2);
    let created = boreal
        .post("/api/v1/admin/flights", Some(ADMIN_TOKEN), json!({
            "number": 4444, "origin": "REC", "destination": "NAT",
            "departure": format!("{date}T09:00:00-03:00"), "arrival": format!("{date}T09:50:00-03:00"), "price": 21_000,
        }))
        .await;
    let new_flight = created.body["id"].as_str().unwrap().to_owned();
    let doomed = boreal.flight_id("REC", "SSA", 1).await;
    assert_eq!(
        boreal
            .call(
                reqwest::Method::DELETE,
                &format!("/api/v1/admin/flights/{doomed}"),
                Some(ADMIN_TOKEN),
                None
            )
            .await
            .status,
        StatusCode::OK
    );
    let token = boreal.customer("ilhada").await;
    assert_eq!(
        boreal.book(&token, &[&boreal.flight_id("REC", "FOR", 1).await], &["A"]).await.status,
        StatusCode::CREATED
    );
    let rumos_token = rumos.customer("continente").await;
    assert_eq!(
        rumos.book(&rumos_token, &[&rumos.flight_id("GRU", "GIG", 1).await], &["B"]).await.status,
        StatusCode::CREATED
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let not_yet = rumos.get(&format!("/api/v1/flights/{new_flight}"), None).await;
    assert_eq!(not_yet.status, StatusCode::NOT_FOUND, "nothing crosses a partition");

    network.heal();
    network.wait_all_online().await;
    wait_converged(&network).await;
    let cancelled = rumos.get(&format!("/api/v1/flights/{doomed}"), None).await;
    assert_eq!(cancelled.body["status"], "cancelled");
}

/// The peers `node` lists on `/network`.
async fn peer_list(node: &crate::helpers::TestNode) -> Vec<String> {
    let network = node.get("/api/v1/network", None).await.body;
    network["peers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["airline"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_removed_and_added_at_runtime_stay_so_after_a_restart() {
    let mut network = spawn_network(&AIRLINES).await;
    network.wait_all_online().await;
    let rumos = network.node("rumos").running.node.clone();
    let boreal = peer_list(network.node("rumos")).await;
    assert_eq!(boreal, ["boreal", "giro"]);
    let boreal_url =
        rumos.network.peers().into_iter().find(|p| p.airline.as_str() == "boreal").unwrap().url;
    assert!(rumos.network.remove_peer("boreal".parse().unwrap()).await.unwrap());
    drop(rumos);

    network.stop("rumos").await;
    network.start("rumos").await;
    assert_eq!(
        peer_list(network.node("rumos")).await,
        ["giro"],
        "a configured peer removed at runtime stays removed"
    );

    let rumos = network.node("rumos").running.node.clone();
    rumos.network.add_peer("boreal".parse().unwrap(), boreal_url, None).await.unwrap();
    drop(rumos);
    network.stop("rumos").await;
    network.start("rumos").await;
    assert_eq!(peer_list(network.node("rumos")).await, ["boreal", "giro"]);
    let rumos = network.node("rumos");
    wait_for("boreal is online at rumos", || async {
        peer_status(rumos, "boreal").await.as_deref() == Some("online")
    })
    .await;
}

/// The itineraries `node` proposes from Rio Branco to Macapá, leaving between 05:00 and 07:00.
async fn chain_search(node: &crate::helpers::TestNode) -> Vec<serde_json::Value> {
    let date = node.date(1);
    let query = format!(
        "/api/v1/itineraries?origin=RBR&destination=MCP&date={date}&departure_from=05:00&departure_until=07:00"
    );
    let answer = node.get(&query, None).await;
    assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    answer.body["itineraries"].as_array().unwrap().clone()
}

fn flight_numbers(itinerary: &serde_json::Value) -> Vec<String> {
    itinerary["legs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|leg| leg["flight_number"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_originals_chain_is_one_trip_across_three_airlines_at_every_node() {
    let network = spawn_network(&AIRLINES).await;
    network.wait_all_online().await;
    wait_converged(&network).await;
    for airline in AIRLINES {
        let itineraries = chain_search(network.node(airline)).await;
        let chain = &itineraries[0];
        assert_eq!(flight_numbers(chain), ["GI1001", "BO1001", "RU1001"], "at {airline}");
        let airlines: Vec<_> =
            chain["legs"].as_array().unwrap().iter().map(|leg| leg["airline"].clone()).collect();
        assert_eq!(airlines, [json!("giro"), json!("boreal"), json!("rumos")]);
        assert_eq!((chain["bookable"].as_bool(), chain["stops"].as_u64()), (Some(true), Some(2)));
        assert!(chain["departure"].as_str().unwrap().ends_with("T06:00:00-05:00"));
    }

    network.partition("boreal");
    let rumos = network.node("rumos");
    wait_for("rumos sees boreal offline", || async {
        peer_status(rumos, "boreal").await.as_deref() == Some("offline")
    })
    .await;
    let itineraries = chain_search(rumos).await;
    let chain = itineraries
        .iter()
        .find(|i| flight_numbers(i) == ["GI1001", "BO1001", "RU1001"])
        .expect("still proposed");
    assert_eq!(chain["bookable"], false);
    assert_eq!(chain["offline_airlines"], json!(["boreal"]));
    let first_unbookable = itineraries.iter().position(|i| i["bookable"] == false).unwrap();
    assert!(
        itineraries[first_unbookable..].iter().all(|i| i["bookable"] == false),
        "bookable trips come first"
    );
}
