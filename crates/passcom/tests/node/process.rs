//! Real `passcom serve` processes: killed with SIGKILL mid-load and restarted, every confirmed
//! booking is still there; and nothing secret reaches the logs.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::{ADMIN_TOKEN, answer};
use crate::postgres::TestDatabase;

/// A node running as its own process.
pub struct NodeProcess {
    child: Child,
    pub url: String,
    client: reqwest::Client,
}

/// Writes the config of a test process node of `airline` keeping its data in `dir`.
fn write_config(dir: &Path, airline: &str) -> PathBuf {
    write_config_with_storage(dir, airline, "")
}

/// [`write_config`], with more lines of its `[storage]` section (another backend).
pub fn write_config_with_storage(dir: &Path, airline: &str, storage: &str) -> PathBuf {
    let path = dir.join(format!("{airline}.toml"));
    let config = format!(
        "[airline]\nid = \"{airline}\"\n[http]\nlisten = \"127.0.0.1:0\"\n[console]\nlisten = \"127.0.0.1:0\"\n[storage]\ndata_dir = \"{}\"\n{storage}\n\
         [admin]\ntoken = \"{ADMIN_TOKEN}\"\n[seed]\ndays = 2\n[passwords]\nmemory_kib = 64\niterations = 1\n",
        dir.join("data").display()
    );
    std::fs::write(&path, config).unwrap();
    path
}

impl NodeProcess {
    /// Starts `passcom serve --config config`, logging at `log_level` into `log`.
    pub async fn start(config: &Path, log: &Path, log_level: &str) -> Self {
        Self::start_with(config, log, log_level, &[]).await
    }

    /// [`NodeProcess::start`] with more environment variables.
    pub async fn start_with(
        config: &Path,
        log: &Path,
        log_level: &str,
        env: &[(&str, &str)],
    ) -> Self {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_passcom"))
            .args(["serve", "--config"])
            .arg(config)
            .envs(env.iter().copied())
            .env("RUST_LOG", log_level)
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines.next_line().await.unwrap().expect("the node prints where it serves");
            if let Some((_, url)) = line.split_once(" serving on ") {
                break url.trim().to_owned();
            }
        };
        Self { child, url, client: reqwest::Client::new() }
    }

    pub async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> crate::helpers::Answer {
        let mut request = self.client.post(format!("{}{path}", self.url)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> crate::helpers::Answer {
        let mut request = self.client.get(format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request.send().await.unwrap()).await
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let registered = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({"username": username, "password": password, "name": "Process Test"}),
            )
            .await;
        assert!(
            registered.status == StatusCode::CREATED || registered.status == StatusCode::CONFLICT
        );
        let login = self
            .post("/api/v1/auth/login", None, json!({"username": username, "password": password}))
            .await;
        login.body["token"].as_str().unwrap().to_owned()
    }

    /// `kill -9`: no shutdown, no flush, nothing.
    fn kill_9(&self) {
        let pid = self.child.id().expect("the node is running").to_string();
        let status = std::process::Command::new("kill").args(["-9", &pid]).status().unwrap();
        assert!(status.success());
    }

    /// Kills the process (if it still runs) and reaps it.
    pub async fn kill(mut self) {
        let _ = self.child.kill().await;
    }

    /// Waits until the process ends by itself (a crash point killed it); fails after 20 s.
    #[cfg(feature = "failpoints")]
    pub async fn died(mut self) {
        let ended = tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await;
        ended.expect("the process died in time").unwrap();
    }
}

/// Flights of the process node tomorrow with room, to spread the load over.
async fn flights_tomorrow(node: &NodeProcess) -> Vec<String> {
    let flights = node.get("/api/v1/flights?limit=1000", None).await;
    let tomorrow = flights.body["flights"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["capacity"] == 180)
        .skip(120)
        .take(5);
    tomorrow.map(|f| f["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_confirmed_booking_survives_kill_9_mid_load() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "rumos");
    confirmed_bookings_survive_kill_9_mid_load(dir.path(), &config).await;
}

/// The same on PostgreSQL: real `passcom serve` processes on the test cluster.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_confirmed_booking_survives_kill_9_mid_load_on_postgresql() {
    let Some(database) = TestDatabase::create("a node on PostgreSQL").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let storage = format!("backend = \"postgres\"\nurl = \"{}\"", database.url);
    let config = write_config_with_storage(dir.path(), "rumos", &storage);
    confirmed_bookings_survive_kill_9_mid_load(dir.path(), &config).await;
}

/// Buys trips at a node started from `config` while killing it with SIGKILL, restarts it, and
/// finds every booking confirmed before the kill, and every seat sold once.
async fn confirmed_bookings_survive_kill_9_mid_load(dir: &Path, config: &Path) {
    let (config, log) = (config.to_owned(), dir.join("node.log"));
    let node = NodeProcess::start(&config, &log, "warn").await;
    let token = node.login("duravel", "senha-duravel-1").await;
    let flights = flights_tomorrow(&node).await;

    // Purchases race the kill: whatever was confirmed before it must survive it.
    let confirmations = AtomicUsize::new(0);
    let purchases = (0..300).map(|i| {
        let (node, token, flight, confirmations) =
            (&node, &token, flights[i % flights.len()].clone(), &confirmations);
        async move {
            let body =
                json!({"flights": [flight], "passengers": [{"name": format!("Passageiro {i}")}]});
            let request = node
                .client
                .post(format!("{}/api/v1/bookings", node.url))
                .bearer_auth(token)
                .json(&body);
            match request.timeout(Duration::from_secs(10)).send().await {
                Ok(response) if response.status() == StatusCode::CREATED => {
                    let booking = answer(response).await.body;
                    confirmations.fetch_add(1, Ordering::SeqCst);
                    Some(booking)
                }
                _ => None,
            }
        }
    });
    let killer = async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while confirmations.load(Ordering::SeqCst) < 50 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        node.kill_9();
    };
    let (confirmed, ()) = tokio::join!(join_all(purchases), killer);
    let confirmed: Vec<Value> = confirmed.into_iter().flatten().collect();
    assert!(confirmed.len() < 300, "the kill came while purchases were in flight");
    node.kill().await;
    assert!(!confirmed.is_empty(), "some purchases were confirmed before the kill");

    let restarted = NodeProcess::start(&config, &log, "warn").await;
    let token = restarted.login("duravel", "senha-duravel-1").await;
    for booking in &confirmed {
        let reference = booking["reference"].as_str().unwrap();
        let stored = restarted.get(&format!("/api/v1/bookings/{reference}"), Some(&token)).await;
        assert_eq!(stored.status, StatusCode::OK, "{reference} survived");
        assert_eq!(stored.body, *booking);
    }
    // Every seat sold is a confirmed booking's, and no seat is sold twice.
    let listed = restarted.get("/api/v1/bookings?limit=1000", Some(&token)).await;
    let stored: Vec<Value> = listed.body["bookings"].as_array().unwrap().clone();
    for flight in &flights {
        let sold: Vec<_> = stored
            .iter()
            .flat_map(|b| b["segments"].as_array().unwrap().clone())
            .filter(|s| s["flight"] == flight.as_str())
            .collect();
        let map = restarted.get(&format!("/api/v1/flights/{flight}/seats"), None).await;
        assert_eq!(
            map.body["seats_available"].as_u64().unwrap() as usize,
            180 - sold.len(),
            "{flight}"
        );
        let seats: std::collections::BTreeSet<_> =
            sold.iter().map(|s| s["seat"].as_str().unwrap()).collect();
        assert_eq!(seats.len(), sold.len(), "no seat of {flight} sold twice");
    }
    restarted.kill().await;
}

#[tokio::test]
async fn no_password_or_token_reaches_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "giro");
    let log = dir.path().join("node.log");
    let node = NodeProcess::start(&config, &log, "trace").await;
    let password = "a-very-recognisable-password";
    let token = node.login("segredo", password).await;
    let flights = flights_tomorrow(&node).await;
    let booked = node
        .post(
            "/api/v1/bookings",
            Some(&token),
            json!({"flights": [flights[0]], "passengers": [{"name": "Segredo"}]}),
        )
        .await;
    assert_eq!(booked.status, StatusCode::CREATED);
    node.get("/api/v1/me", Some(&token)).await;
    node.kill().await;
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.len() > 1000, "trace logging was on");
    assert!(!logged.contains(password), "the password was logged");
    assert!(!logged.contains(&token), "the session token was logged");
    assert!(!logged.contains(ADMIN_TOKEN), "the admin token was logged");
    assert!(!logged.contains("senhaSegura"), "an imported password was logged");
}
