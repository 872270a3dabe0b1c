//! Peer requests that are unsigned, forged, tampered with, misdirected, stale or replayed are
//! refused with 401, and change nothing.

use passcom::network::keys::AirlineKey;
use passcom::network::signing::{self, SignedRequest};
use passcom_core::AirlineId;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Answer, TestNode, answer};
use crate::network_helpers::{spawn_network, wait_for};

/// What a forger controls in a request.
struct Forgery<'a> {
    key: &'a AirlineKey,
    claimed_sender: &'a str,
    signed_receiver: &'a str,
    timestamp_ms: i64,
    nonce: String,
    signed_body: &'a [u8],
    sent_body: &'a [u8],
}

async fn send(node: &TestNode, method: &str, path: &str, forgery: &Forgery<'_>) -> Answer {
    let (sender, receiver) = (
        AirlineId::parse(forgery.claimed_sender).unwrap(),
        AirlineId::parse(forgery.signed_receiver).unwrap(),
    );
    let message = SignedRequest {
        method,
        path_and_query: path,
        sender: &sender,
        receiver: &receiver,
        timestamp_ms: forgery.timestamp_ms,
        nonce: &forgery.nonce,
        body: forgery.signed_body,
    }
    .message();
    let signed_sha256 = signing::body_sha256(forgery.signed_body);
    let request = node
        .client
        .request(method.parse().unwrap(), node.url(path))
        .header("content-type", "application/json")
        .header(signing::AIRLINE, forgery.claimed_sender)
        .header(signing::TIMESTAMP, forgery.timestamp_ms.to_string())
        .header(signing::NONCE, &forgery.nonce)
        .header(signing::SIGNATURE, forgery.key.sign(&message))
        .header(signing::BODY_SHA256, signed_sha256)
        .body(forgery.sent_body.to_vec());
    answer(request.send().await.unwrap()).await
}

fn nonce() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_requests_that_are_not_genuine_are_refused_and_change_nothing() {
    let network = spawn_network(&["rumos", "giro"]).await;
    network.wait_all_online().await;
    let rumos = network.node("rumos");
    let flight = network.node("giro").flight_id("BSB", "GRU", 1).await;
    wait_for("rumos has giro's flight", || async {
        rumos.get(&format!("/api/v1/flights/{flight}"), None).await.status == StatusCode::OK
    })
    .await;
    let before = rumos.get(&format!("/api/v1/flights/{flight}"), None).await.body;
    let position_before = replica_position(rumos).await;

    // The payload every forgery carries: giro's flight, cancelled, far ahead in giro's log.
    let mut cancelled: Value = serde_json::to_value(passcom_flight(&network, &flight)).unwrap();
    cancelled["status"] = json!("cancelled");
    cancelled["version"] = json!(99);
    let batch = serde_json::to_vec(&json!({"after": 0, "up_to": 1_000_000, "flights": [{"flight": cancelled, "seats_available": 0}]})).unwrap();
    let giro_key = network.key("giro");
    let stranger = AirlineKey::generate(&passcom::clock::SystemEntropy);
    let now = jiff::Timestamp::now().as_millisecond();
    let genuine = |nonce: String| Forgery {
        key: &giro_key,
        claimed_sender: "giro",
        signed_receiver: "rumos",
        timestamp_ms: now,
        nonce,
        signed_body: &batch,
        sent_body: &batch,
    };

    let unsigned = answer(
        rumos
            .client
            .post(rumos.url("/peer/v1/catalog"))
            .header("content-type", "application/json")
            .body(batch.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (unsigned.status, unsigned.code()),
        (StatusCode::UNAUTHORIZED, "peer_request_unsigned")
    );
    let cases = [
        (
            "unknown airline",
            Forgery { claimed_sender: "azul", key: &stranger, ..genuine(nonce()) },
            "peer_unknown",
        ),
        (
            "another key in giro's name",
            Forgery { key: &stranger, ..genuine(nonce()) },
            "peer_signature_invalid",
        ),
        (
            "body changed after signing",
            Forgery { sent_body: b"{\"after\":0,\"up_to\":1,\"flights\":[]}", ..genuine(nonce()) },
            "peer_signature_invalid",
        ),
        (
            "signed for boreal",
            Forgery { signed_receiver: "boreal", ..genuine(nonce()) },
            "peer_signature_invalid",
        ),
        (
            "a minute old",
            Forgery { timestamp_ms: now - 60_000, ..genuine(nonce()) },
            "peer_request_stale",
        ),
        (
            "a minute ahead",
            Forgery { timestamp_ms: now + 60_000, ..genuine(nonce()) },
            "peer_request_stale",
        ),
        (
            "malformed nonce",
            Forgery { nonce: "not hex".into(), ..genuine(nonce()) },
            "peer_request_unsigned",
        ),
    ];
    for (what, forgery, code) in cases {
        let refused = send(rumos, "POST", "/peer/v1/catalog", &forgery).await;
        assert_eq!((refused.status, refused.code()), (StatusCode::UNAUTHORIZED, code), "{what}");
        assert!(refused.headers.contains_key(signing::SIGNATURE), "refusals are signed too");
    }

    // A genuine read, then the very same request again.
    let read = Forgery { signed_body: b"", sent_body: b"", ..genuine(nonce()) };
    let first = send(rumos, "GET", "/peer/v1/catalog?after=0&limit=1", &read).await;
    assert_eq!(first.status, StatusCode::OK, "{first:?}");
    let replayed = send(rumos, "GET", "/peer/v1/catalog?after=0&limit=1", &read).await;
    assert_eq!(
        (replayed.status, replayed.code()),
        (StatusCode::UNAUTHORIZED, "peer_request_replayed")
    );

    let after = rumos.get(&format!("/api/v1/flights/{flight}"), None).await.body;
    assert_eq!(after["status"], "scheduled");
    assert_eq!(after["version"], before["version"]);
    assert!(
        replica_position(rumos).await <= position_before + 10,
        "no forged batch moved the replica"
    );
}

/// Rumos's replica position of giro.
async fn replica_position(node: &TestNode) -> u64 {
    let network = node.get("/api/v1/network", None).await.body;
    network["peers"].as_array().unwrap().iter().find(|p| p["airline"] == "giro").unwrap()["replication"]["position"].as_u64().unwrap()
}

/// Giro's flight `id` as its own node has it.
fn passcom_flight(network: &crate::network_helpers::TestNetwork, id: &str) -> passcom_core::Flight {
    let flight = network.node("giro").running.node.catalog.get(id.parse().unwrap()).unwrap();
    (*flight).clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_genuine_push_larger_than_a_customer_request_is_accepted() {
    let network = spawn_network(&["rumos", "giro"]).await;
    network.wait_all_online().await;
    let rumos = network.node("rumos");
    let giro_node = &network.node("giro").running.node;
    // Giro's flights, changed (a fare rise), well over the customer API's 64 KiB limit.
    let mut flights: Vec<Value> = giro_node
        .catalog
        .matching(|flight| flight.airline.as_str() == "giro")
        .into_iter()
        .map(|entry| {
            let mut flight = (*entry.flight).clone();
            flight.version += 1;
            flight.price = passcom_core::Money::fare(flight.price.cents() + 100).unwrap();
            json!({"flight": flight, "seats_available": 180})
        })
        .collect();
    // A flight twice in one batch is applied twice, which changes nothing the second time.
    while flights.len() < 600 {
        flights.extend(flights.clone());
    }
    let head = giro_node.store.log_head().await.unwrap();
    let batch =
        serde_json::to_vec(&json!({"after": 0, "up_to": head + 1, "flights": flights})).unwrap();
    assert!(batch.len() > 64 * 1024, "the batch is {} bytes", batch.len());
    let key = network.key("giro");
    let forgery = Forgery {
        key: &key,
        claimed_sender: "giro",
        signed_receiver: "rumos",
        timestamp_ms: jiff::Timestamp::now().as_millisecond(),
        nonce: nonce(),
        signed_body: &batch,
        sent_body: &batch,
    };
    let pushed = send(rumos, "POST", "/peer/v1/catalog", &forgery).await;
    assert_eq!(pushed.status, StatusCode::OK, "{pushed:?}");
    assert_eq!(pushed.body["position"], head + 1);
}
