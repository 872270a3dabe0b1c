//! Bad input gets a 4xx with a stable code, never a 5xx, and changes nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestNode, answer, spawn_node};

async fn raw_post(
    node: &TestNode,
    path: &str,
    token: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> crate::helpers::Answer {
    let response = node
        .client
        .post(node.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    answer(response).await
}

#[tokio::test]
async fn malformed_purchases_are_refused_with_codes_and_change_nothing() {
    let node = spawn_node("rumos").await;
    let token = node.customer("testadora").await;
    let flight = node.flight_id("GRU", "GIG", 1).await;
    let ten: Vec<Value> = (0..10).map(|i| json!({"name": format!("P {i}")})).collect();
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (json!({"flights": [flight]}), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (
            json!({"flights": flight, "passengers": [{"name": "A"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"flights": [flight], "passengers": [{"name": 7}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"flights": [flight], "passengers": [{"name": "A", "age": 3}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"flights": [flight], "passengers": [{"name": "A"}], "coupon": "FREE"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"flights": [], "passengers": [{"name": "A"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_flights",
        ),
        (
            json!({"flights": [flight, flight, flight, flight, flight], "passengers": [{"name": "A"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_flights",
        ),
        (
            json!({"flights": [flight], "passengers": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_passengers",
        ),
        (
            json!({"flights": [flight], "passengers": ten}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_passengers",
        ),
        (
            json!({"flights": [flight], "passengers": [{"name": "  "}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_passenger_name",
        ),
        (
            json!({"flights": [flight], "passengers": [{"name": "\u{7}bell"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_passenger_name",
        ),
        (
            json!({"flights": [flight], "passengers": [{"name": "x".repeat(65)}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_passenger_name",
        ),
        (
            json!({"flights": ["GI12-2026-02-30"], "passengers": [{"name": "A"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_flight_id",
        ),
        (
            json!({"flights": [flight, flight], "passengers": [{"name": "A"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "flight_repeated",
        ),
        (json!([1, 2, 3]), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (json!(null), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
    ];
    for (body, status, code) in cases {
        let refused = node.post("/api/v1/bookings", Some(&token), body.clone()).await;
        assert_eq!((refused.status, refused.code()), (status, code), "{body}");
        assert!(refused.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let field = node
        .post(
            "/api/v1/bookings",
            Some(&token),
            json!({"flights": [flight], "passengers": [{"name": "A"}, {"name": ""}]}),
        )
        .await;
    assert_eq!(field.body["error"]["field"], "passengers[1].name");
    assert!(
        node.get("/api/v1/bookings", Some(&token)).await.body["bookings"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(node.seat_map(&flight).await["seats_available"], 180);
}

#[tokio::test]
async fn bodies_that_are_not_json_are_refused() {
    let node = spawn_node("rumos").await;
    let token = node.customer("bytes").await;
    let cases = [
        ("application/json", "{\"flights\": [", StatusCode::BAD_REQUEST, "malformed_json"),
        ("application/json", "not json at all", StatusCode::BAD_REQUEST, "malformed_json"),
        ("application/json", "", StatusCode::BAD_REQUEST, "malformed_json"),
        ("text/plain", "{}", StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        (
            "application/json",
            "{\"flights\": [\"\u{0}\"]}",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
    ];
    for (content_type, body, status, code) in cases {
        let refused = raw_post(&node, "/api/v1/bookings", &token, content_type, body).await;
        assert_eq!((refused.status, refused.code()), (status, code), "{body:?}");
    }
    let invalid_utf8 = raw_post(
        &node,
        "/api/v1/bookings",
        &token,
        "application/json",
        vec![b'"', 0xff, 0xfe, b'"'],
    )
    .await;
    assert!(invalid_utf8.status.is_client_error(), "{invalid_utf8:?}");
}

#[tokio::test]
async fn a_huge_body_is_refused_before_it_is_read() {
    let node = spawn_node("rumos").await;
    let token = node.customer("gigante").await;
    let huge = format!(
        "{{\"flights\": [], \"passengers\": [{{\"name\": \"{}\"}}]}}",
        "a".repeat(1024 * 1024)
    );
    let refused = raw_post(&node, "/api/v1/bookings", &token, "application/json", huge).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    let register =
        raw_post(&node, "/api/v1/auth/register", "", "application/json", "x".repeat(200_000)).await;
    assert_eq!(register.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_json() {
    let node = spawn_node("rumos").await;
    let missing = node.get("/api/v1/nothing-here", None).await;
    assert_eq!((missing.status, missing.code()), (StatusCode::NOT_FOUND, "not_found"));
    let wrong_method = node.call(reqwest::Method::DELETE, "/api/v1/airports", None, None).await;
    assert_eq!(
        (wrong_method.status, wrong_method.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}

#[tokio::test]
async fn no_bad_input_ever_gets_a_server_error() {
    let node = spawn_node("rumos").await;
    let token = node.customer("fuzz").await;
    let strings = [
        "",
        " ",
        "\u{0}",
        "A",
        "GRU",
        "../../etc/passwd",
        "'; DROP TABLE seats; --",
        "🛫",
        "9".repeat(40).leak(),
        "%00",
        "GI1001-9999-12-31",
    ];
    for text in strings {
        let encoded: String = url_escape(text);
        let paths = [
            format!("/api/v1/flights/{encoded}"),
            format!("/api/v1/flights/{encoded}/seats"),
            format!("/api/v1/flights?origin={encoded}"),
            format!("/api/v1/flights?date={encoded}"),
            format!("/api/v1/flights?cursor={encoded}"),
            format!("/api/v1/bookings/{encoded}"),
        ];
        for path in paths {
            let answer = node.get(&path, Some(&token)).await;
            assert!(
                answer.status.is_client_error() || answer.status.is_success(),
                "{path}: {answer:?}"
            );
        }
        for body in [
            json!({"flights": [text], "passengers": [{"name": text}]}),
            json!({"username": text, "password": text, "name": text}),
        ] {
            for path in ["/api/v1/bookings", "/api/v1/auth/register", "/api/v1/auth/login"] {
                let answer = node.post(path, Some(&token), body.clone()).await;
                assert!(
                    answer.status.is_client_error() || answer.status.is_success(),
                    "{path} {body}: {answer:?}"
                );
            }
        }
    }
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
