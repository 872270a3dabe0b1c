//! Real nodes for tests: each on port 0 with its own temporary database, a clock the test
//! moves by hand, and an HTTP client.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use passcom::clock::{ManualClock, SystemEntropy};
use passcom::config::{Config, Secret};
use passcom::node::NodeOptions;
use passcom::startup::{self, RunningNode};
use passcom_core::AirlineId;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

/// The admin token of every test node.
pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";

/// A node running for one test.
pub struct TestNode {
    pub running: RunningNode,
    pub clock: Arc<ManualClock>,
    pub client: reqwest::Client,
    /// Keeps the database until the test ends (a network keeps its nodes' directories itself).
    _dir: Option<TempDir>,
}

/// The configuration of a test node of `airline` keeping its data in `dir`: port 0, three
/// days of schedule, cheap password hashing, and room for every test's customers from loopback
/// (`hostile.rs` tests the throttles at their own limits).
pub fn test_config(airline: &str, dir: &std::path::Path) -> Config {
    let mut config = Config::for_airline(AirlineId::parse(airline).unwrap());
    config.http.listen = "127.0.0.1:0".parse().unwrap();
    config.console.listen = "127.0.0.1:0".parse().unwrap();
    config.storage.data_dir = dir.to_owned();
    config.admin.token = Some(Secret::new(ADMIN_TOKEN));
    config.seed.days = 3;
    config.passwords.memory_kib = 64;
    config.passwords.iterations = 1;
    config.limits.registrations_per_client_max = 100_000;
    config.limits.login_failures_per_client_max = 100_000;
    config
}

/// Starts a node of `airline` with the default test configuration.
pub async fn spawn_node(airline: &str) -> TestNode {
    spawn_node_with(airline, |_| {}).await
}

/// Starts a node of `airline` after `adjust` changes its test configuration.
pub async fn spawn_node_with(airline: &str, adjust: impl FnOnce(&mut Config)) -> TestNode {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(airline, dir.path());
    adjust(&mut config);
    let clock = Arc::new(ManualClock::new(Timestamp::now()));
    let running = startup::start(config, NodeOptions::new(clock.clone(), Arc::new(SystemEntropy)))
        .await
        .unwrap();
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    TestNode { running, clock, client, _dir: Some(dir) }
}

/// An answer: status, headers and JSON body (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("<no error code>")
    }
}

impl TestNode {
    /// A node whose directory someone else keeps.
    pub fn from_parts(
        running: RunningNode,
        clock: Arc<ManualClock>,
        client: reqwest::Client,
    ) -> Self {
        TestNode { running, clock, client, _dir: None }
    }

    /// Its airline id.
    pub fn airline(&self) -> String {
        self.running.node.airline.id.to_string()
    }

    /// Stops it gracefully.
    pub async fn stop(self) {
        self.running.stop().await.unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.url())
    }

    /// Sends `method path` with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(Method::POST, path, token, Some(body)).await
    }

    /// Registers `username` (password `password-of-<username>`) and logs in; returns the token.
    pub async fn customer(&self, username: &str) -> String {
        let password = format!("password-of-{username}");
        let registered = self
            .post("/api/v1/auth/register", None, json!({"username": username, "password": password, "name": format!("Customer {username}")}))
            .await;
        assert_eq!(registered.status, StatusCode::CREATED, "{registered:?}");
        self.login(username, &password).await
    }

    /// Logs in; returns the token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let login = self
            .post("/api/v1/auth/login", None, json!({"username": username, "password": password}))
            .await;
        assert_eq!(login.status, StatusCode::OK, "{login:?}");
        login.body["token"].as_str().unwrap().to_owned()
    }

    /// Buys `flights` for `passengers` (names) with automatic seats.
    pub async fn book(&self, token: &str, flights: &[&str], passengers: &[&str]) -> Answer {
        let passengers: Vec<Value> = passengers.iter().map(|name| json!({"name": name})).collect();
        self.post(
            "/api/v1/bookings",
            Some(token),
            json!({"flights": flights, "passengers": passengers}),
        )
        .await
    }

    /// The flights from `origin` to `destination` departing `days` days from today (local).
    pub async fn flights(&self, origin: &str, destination: &str, days: i64) -> Vec<Value> {
        let date = self.date(days);
        let answer = self
            .get(
                &format!("/api/v1/flights?origin={origin}&destination={destination}&date={date}"),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
        answer.body["flights"].as_array().unwrap().clone()
    }

    /// The id of the first flight from `origin` to `destination`, `days` days from today.
    pub async fn flight_id(&self, origin: &str, destination: &str, days: i64) -> String {
        let flights = self.flights(origin, destination, days).await;
        flights.first().unwrap_or_else(|| panic!("no flight {origin}-{destination}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The local date (São Paulo) `days` days from the node's now, as `YYYY-MM-DD`.
    pub fn date(&self, days: i64) -> String {
        let zone = jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap();
        let today = passcom::clock::Clock::now(self.clock.as_ref()).to_zoned_datetime(zone).date();
        today.checked_add(jiff::Span::new().days(days)).unwrap().to_string()
    }

    /// The seat map of `flight`.
    pub async fn seat_map(&self, flight: &str) -> Value {
        let answer = self.get(&format!("/api/v1/flights/{flight}/seats"), None).await;
        assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
        answer.body
    }

    /// Moves the node's clock forward.
    pub fn advance(&self, by: SignedDuration) {
        self.clock.advance(by);
    }
}

/// Reads a response into an [`Answer`].
pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, headers, body }
}

/// The seats shown available on a seat map.
pub fn available_seats(map: &Value) -> Vec<String> {
    map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|seat| seat["available"].as_bool().unwrap())
        .map(|seat| seat["seat"].as_str().unwrap().to_owned())
        .collect()
}
