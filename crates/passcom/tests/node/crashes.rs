//! Three real `passcom serve` processes; one is killed (SIGKILL, by a crash point) at a chosen
//! step of the commit protocol, restarted, and the invariants are checked through the public
//! API: the trip ends confirmed on every leg or on none, nothing stays held, and a booking the
//! seller decided to confirm is confirmed.
//!
//! Crash points exist only in builds with the `failpoints` feature (`./scripts/test` turns it
//! on); see `passcom::crash`.
#![cfg(feature = "failpoints")]

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use passcom::clock::SystemEntropy;
use passcom::network::keys::AirlineKey;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::helpers::ADMIN_TOKEN;
use crate::network_helpers::{eventually, wait_for};
use crate::process::NodeProcess;

const AIRLINES: [&str; 3] = ["rumos", "giro", "boreal"];

/// Three airline processes on fixed loopback ports, each pinning the others' keys.
struct ProcessNetwork {
    dir: TempDir,
    configs: BTreeMap<&'static str, PathBuf>,
    nodes: BTreeMap<&'static str, NodeProcess>,
}

/// A free loopback port (free when asked; the node binds it a moment later).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl ProcessNetwork {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ports: BTreeMap<&str, u16> = AIRLINES.iter().map(|a| (*a, free_port())).collect();
        let mut keys = BTreeMap::new();
        for airline in AIRLINES {
            let data = dir.path().join(airline);
            std::fs::create_dir_all(&data).unwrap();
            let key = AirlineKey::generate(&SystemEntropy);
            key.write_new(&data.join("peer.key")).unwrap();
            keys.insert(airline, key.public_key().to_string());
        }
        let configs = AIRLINES
            .iter()
            .map(|airline| (*airline, write_config(dir.path(), airline, &ports, &keys)))
            .collect();
        Self { dir, configs, nodes: BTreeMap::new() }
    }

    /// Starts `airline`, killed at `crash_point` if given.
    async fn start(&mut self, airline: &'static str, crash_point: Option<&str>) {
        let log = self.dir.path().join(format!("{airline}.log"));
        let failpoints = crash_point.map(|point| format!("{point}=return"));
        let env: Vec<(&str, &str)> =
            failpoints.iter().map(|value| ("FAILPOINTS", value.as_str())).collect();
        let node = NodeProcess::start_with(&self.configs[airline], &log, "warn", &env).await;
        self.nodes.insert(airline, node);
    }

    fn node(&self, airline: &str) -> &NodeProcess {
        &self.nodes[airline]
    }

    /// Waits until `airline` has died at its crash point.
    async fn died(&mut self, airline: &str) {
        self.nodes.remove(airline).expect("it was started").died().await;
    }

    async fn wait_all_online(&self) {
        for (airline, node) in &self.nodes {
            wait_for(&format!("{airline} sees everyone online"), || async {
                let network = node.get("/api/v1/network", None).await.body;
                let peers = network["peers"].as_array().cloned().unwrap_or_default();
                peers.len() == 2 && peers.iter().all(|peer| peer["status"] == "online")
            })
            .await;
        }
    }

    async fn stop_all(self) {
        for node in self.nodes.into_values() {
            node.kill().await;
        }
    }
}

fn write_config(
    dir: &Path,
    airline: &str,
    ports: &BTreeMap<&str, u16>,
    keys: &BTreeMap<&str, String>,
) -> PathBuf {
    let mut config = format!(
        "[airline]\nid = \"{airline}\"\n[http]\nlisten = \"127.0.0.1:{port}\"\n[console]\nenabled = false\n\
         [storage]\ndata_dir = \"{data}\"\n[admin]\ntoken = \"{ADMIN_TOKEN}\"\n[seed]\ndays = 2\n\
         [passwords]\nmemory_kib = 64\niterations = 1\n[commit]\nretry_max_ms = 400\ndecision_wait_ms = 500\n\
         [network]\nheartbeat_interval_ms = 200\nheartbeat_timeout_ms = 1000\ntick_interval_ms = 10\n\
         request_timeout_ms = 2000\nreplication_retry_ms = 100\n",
        port = ports[airline],
        data = dir.join(airline).display(),
    );
    for peer in AIRLINES.iter().filter(|peer| **peer != airline) {
        config.push_str(&format!(
            "[[network.peers]]\nairline = \"{peer}\"\nurl = \"http://127.0.0.1:{}\"\npublic_key = \"{}\"\n",
            ports[peer], keys[peer]
        ));
    }
    let path = dir.join(format!("{airline}.toml"));
    std::fs::write(&path, config).unwrap();
    path
}

/// The original's chain GI1001 → BO1001 → RU1001 tomorrow, once `node` lists it.
async fn chain(node: &NodeProcess) -> Vec<String> {
    let zone = jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap();
    let tomorrow = jiff::Timestamp::now().to_zoned_datetime(zone).date().tomorrow().unwrap();
    let query = format!(
        "/api/v1/itineraries?origin=RBR&destination=MCP&date={tomorrow}&departure_from=05:00&departure_until=07:00"
    );
    eventually("the chain is listed", || async {
        let answer = node.get(&query, None).await.body;
        let itineraries = answer["itineraries"].as_array()?;
        let chain =
            itineraries.iter().find(|i| i["legs"].as_array().is_some_and(|l| l.len() == 3))?;
        chain["legs"].as_array()?.iter().map(|leg| Some(leg["id"].as_str()?.to_owned())).collect()
    })
    .await
}

/// The owner's record of its segments on `flight`.
async fn segments_at(owner: &NodeProcess, flight: &str) -> Vec<Value> {
    let answer =
        owner.get(&format!("/api/v1/admin/flights/{flight}/segments"), Some(ADMIN_TOKEN)).await;
    answer.body["segments"].as_array().cloned().unwrap_or_default()
}

/// Buys the chain at Rumos; the answer, if the seller lived to give one.
async fn buy(
    network: &ProcessNetwork,
    token: &str,
    flights: &[String],
) -> Option<(StatusCode, Value)> {
    let rumos = network.node("rumos");
    let body = json!({"flights": flights, "passengers": [{"name": "Ana Lima"}]});
    let request = reqwest::Client::new()
        .post(format!("{}/api/v1/bookings", rumos.url))
        .bearer_auth(token)
        .header("Idempotency-Key", "the-trip")
        .json(&body)
        .timeout(Duration::from_secs(15));
    let response = request.send().await.ok()?;
    let status = response.status();
    Some((status, response.json().await.unwrap_or(Value::Null)))
}

/// The customer's only booking at Rumos, once it is decided.
async fn decided_booking(rumos: &NodeProcess, token: &str) -> Value {
    eventually("the booking is decided", || async {
        let list = rumos.get("/api/v1/bookings", Some(token)).await.body;
        let first = list["bookings"].as_array()?.first()?.clone();
        (first["status"] != "pending").then_some(first)
    })
    .await
}

/// Invariants 2 and 3 through the public API: a confirmed trip is sold on every leg at its
/// owner, a failed one holds nothing anywhere, and nothing stays held.
async fn check_every_leg(network: &ProcessNetwork, flights: &[String], booking: &Value) {
    let owners = ["giro", "boreal", "rumos"];
    for (owner, flight) in owners.into_iter().zip(flights) {
        let node = network.node(owner);
        let expected = if booking["status"] == "confirmed" { 1 } else { 0 };
        wait_for(&format!("{owner} settles {flight}"), || async {
            let segments = segments_at(node, flight).await;
            segments.len() == expected && segments.iter().all(|s| s["state"] == "sold")
        })
        .await;
        if expected == 1 {
            let record = &segments_at(node, flight).await[0];
            assert_eq!(record["reference"], booking["reference"], "{owner}'s record refers to it");
        }
    }
}

/// Starts the three airlines (one with a crash point), waits until they see each other, and
/// gives Rumos a customer; returns the chain's flights and the customer's token.
async fn three_airlines(
    network: &mut ProcessNetwork,
    crashing: &'static str,
    point: &str,
) -> (Vec<String>, String) {
    for airline in AIRLINES {
        network.start(airline, (airline == crashing).then_some(point)).await;
    }
    network.wait_all_online().await;
    let flights = chain(network.node("rumos")).await;
    let token = network.node("rumos").login("viajante", "senha-do-viajante").await;
    (flights, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seller_killed_before_deciding_aborts_the_trip_everywhere() {
    let mut network = ProcessNetwork::new();
    let (flights, token) =
        three_airlines(&mut network, "rumos", "coordinator-before-decision").await;

    assert!(buy(&network, &token, &flights).await.is_none(), "the seller died mid-purchase");
    network.died("rumos").await;
    network.start("rumos", None).await;

    let booking = decided_booking(network.node("rumos"), &token).await;
    assert_eq!(booking["status"], "failed", "no record of a decision means abort: {booking}");
    assert_eq!(booking["failure"]["code"], "purchase_interrupted");
    check_every_leg(&network, &flights, &booking).await;
    network.stop_all().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seller_killed_after_deciding_confirms_the_trip_everywhere() {
    let mut network = ProcessNetwork::new();
    let (flights, token) =
        three_airlines(&mut network, "rumos", "coordinator-after-decision").await;

    assert!(buy(&network, &token, &flights).await.is_none(), "the seller died mid-purchase");
    network.died("rumos").await;
    network.start("rumos", None).await;

    let booking = decided_booking(network.node("rumos"), &token).await;
    assert_eq!(booking["status"], "confirmed", "the recorded commit stands: {booking}");
    assert_eq!(booking["segments"].as_array().unwrap().len(), 3);
    check_every_leg(&network, &flights, &booking).await;
    // The customer's retry with the same key answers the same booking.
    let (status, replayed) = buy(&network, &token, &flights).await.unwrap();
    assert_eq!((status, &replayed["reference"]), (StatusCode::CREATED, &booking["reference"]));
    network.stop_all().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_killed_after_preparing_is_released_after_its_restart() {
    let mut network = ProcessNetwork::new();
    let (flights, token) =
        three_airlines(&mut network, "boreal", "participant-after-prepare").await;

    let (status, answer) = buy(&network, &token, &flights).await.expect("the seller answers");
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
    assert_eq!(answer["error"]["airline"], "boreal");
    network.died("boreal").await;
    network.start("boreal", None).await;

    let booking = decided_booking(network.node("rumos"), &token).await;
    assert_eq!(booking["status"], "failed");
    // Boreal restarts prepared, in doubt; it asks Rumos, learns the abort, releases.
    check_every_leg(&network, &flights, &booking).await;
    network.stop_all().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_killed_before_applying_the_commit_applies_it_after_its_restart() {
    let mut network = ProcessNetwork::new();
    let (flights, token) =
        three_airlines(&mut network, "giro", "participant-before-decision").await;

    let (status, answer) = buy(&network, &token, &flights).await.expect("the seller answers");
    assert_eq!(status, StatusCode::CREATED, "confirmed once the decision is durable: {answer}");
    network.died("giro").await;
    network.start("giro", None).await;

    let booking = decided_booking(network.node("rumos"), &token).await;
    assert_eq!(booking["status"], "confirmed");
    check_every_leg(&network, &flights, &booking).await;
    network.stop_all().await;
}
