//! Registration, login, sessions and logout.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_node;

#[tokio::test]
async fn a_new_customer_registers_logs_in_and_sees_their_account() {
    let node = spawn_node("rumos").await;
    let registered = node
        .post("/api/v1/auth/register", None, json!({"username": "Lucia.M", "password": "uma senha longa", "name": " Lúcia  Martins "}))
        .await;
    assert_eq!(registered.status, StatusCode::CREATED);
    assert_eq!(registered.body["username"], "lucia.m");
    assert_eq!(registered.body["name"], "Lúcia Martins");
    assert!(registered.body["id"].is_i64());
    assert!(
        registered.body.get("password").is_none() && registered.body.get("password_hash").is_none()
    );

    let token = node.login("LUCIA.M", "uma senha longa").await;
    let me = node.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["username"], "lucia.m");
    assert!(me.body["session_expires_at"].is_string());
}

#[tokio::test]
async fn a_taken_username_is_refused() {
    let node = spawn_node("rumos").await;
    node.customer("paula").await;
    let again = node
        .post(
            "/api/v1/auth/register",
            None,
            json!({"username": "Paula", "password": "another password", "name": "Paula B"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "username_taken");
}

#[tokio::test]
async fn registration_names_the_field_at_fault() {
    let node = spawn_node("rumos").await;
    let cases = [
        (
            json!({"username": "a", "password": "long enough", "name": "A"}),
            "invalid_username",
            "username",
        ),
        (
            json!({"username": "abc", "password": "short", "name": "A"}),
            "invalid_password",
            "password",
        ),
        (
            json!({"username": "abc", "password": "long enough", "name": "   "}),
            "invalid_name",
            "name",
        ),
    ];
    for (body, code, field) in cases {
        let answer = node.post("/api/v1/auth/register", None, body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!((answer.code(), answer.body["error"]["field"].as_str().unwrap()), (code, field));
    }
}

#[tokio::test]
async fn an_unknown_user_and_a_wrong_password_get_the_same_answer() {
    let node = spawn_node("rumos").await;
    node.customer("renato").await;
    let wrong_password = node
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "renato", "password": "not the password"}),
        )
        .await;
    let unknown_user = node
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "nobody-here", "password": "not the password"}),
        )
        .await;
    let malformed_user =
        node.post("/api/v1/auth/login", None, json!({"username": "x", "password": "p"})).await;
    for answer in [&wrong_password, &unknown_user, &malformed_user] {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.body, wrong_password.body);
    }
    assert_eq!(wrong_password.code(), "invalid_credentials");
}

#[tokio::test]
async fn the_original_systems_users_can_log_in() {
    let node = spawn_node("giro").await;
    for (username, password) in
        [("joaosilva", "senhaSegura123"), ("isabellamachado", "senhaSegura8765")]
    {
        node.login(username, password).await;
    }
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let node = spawn_node("rumos").await;
    let token = node.customer("sofia").await;
    let out = node.post("/api/v1/auth/logout", Some(&token), json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let me = node.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.code(), "unauthenticated");
}

#[tokio::test]
async fn a_session_expires_after_thirty_idle_minutes() {
    let node = spawn_node("rumos").await;
    let token = node.customer("tiago").await;
    node.advance(SignedDuration::from_mins(31));
    let me = node.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.code(), "session_expired");
}

#[tokio::test]
async fn using_a_session_keeps_it_alive() {
    let node = spawn_node("rumos").await;
    let token = node.customer("vera").await;
    for _ in 0..4 {
        node.advance(SignedDuration::from_mins(20));
        assert_eq!(node.get("/api/v1/me", Some(&token)).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn calls_without_a_valid_token_are_refused() {
    let node = spawn_node("rumos").await;
    for token in [None, Some("not-a-real-token")] {
        let me = node.get("/api/v1/me", token).await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        assert_eq!(me.code(), "unauthenticated");
        let bookings = node.get("/api/v1/bookings", token).await;
        assert_eq!(bookings.status, StatusCode::UNAUTHORIZED);
    }
}
