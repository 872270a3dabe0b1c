//! Liveness, metrics and the API's documentation.

use reqwest::StatusCode;

use crate::helpers::{ADMIN_TOKEN, spawn_node};

#[tokio::test]
async fn healthz_answers() {
    let node = spawn_node("rumos").await;
    let health = node.get("/healthz", None).await;
    assert_eq!((health.status, health.body["status"].as_str()), (StatusCode::OK, Some("ok")));
}

#[tokio::test]
async fn metrics_count_requests_in_prometheus_format() {
    let node = spawn_node("rumos").await;
    node.get("/api/v1/airports", None).await;
    let metrics =
        node.client.get(node.url("/metrics")).bearer_auth(ADMIN_TOKEN).send().await.unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("passcom_http_requests_total"), "{text}");
    assert!(text.contains("route=\"/api/v1/airports\""), "{text}");
}

#[tokio::test]
async fn the_openapi_document_describes_the_contract() {
    let node = spawn_node("rumos").await;
    let document = node.get("/api/v1/openapi.json", None).await;
    assert_eq!(document.status, StatusCode::OK);
    let paths = document.body["paths"].as_object().unwrap();
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/airports",
        "/api/v1/airlines",
        "/api/v1/flights",
        "/api/v1/flights/{id}/seats",
        "/api/v1/bookings",
        "/api/v1/bookings/{reference}",
        "/api/v1/bookings/{reference}/cancel",
        "/api/v1/admin/flights",
        "/api/v1/admin/flights/{id}",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    assert!(document.body["components"]["schemas"]["ErrorBody"].is_object());
    let mut operation_ids: Vec<&str> = paths
        .values()
        .flat_map(|methods| methods.as_object().unwrap().values())
        .map(|operation| operation["operationId"].as_str().expect("every operation has an id"))
        .collect();
    let operations = operation_ids.len();
    operation_ids.sort();
    operation_ids.dedup();
    assert_eq!(operation_ids.len(), operations, "operation ids are unique: {operation_ids:?}");
    let docs = node.client.get(node.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"));
}

#[tokio::test]
async fn the_printed_document_matches_the_served_one() {
    let node = spawn_node("rumos").await;
    let served = node.get("/api/v1/openapi.json", None).await.body;
    let printed = serde_json::to_value(passcom::api::openapi()).unwrap();
    assert_eq!(
        served["paths"].as_object().unwrap().len(),
        printed["paths"].as_object().unwrap().len()
    );
}
