//! Three airlines in one test process, their peer traffic through proxies the test controls.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use passcom::clock::{ManualClock, SystemEntropy};
use passcom::config::{Config, PeerConfig};
use passcom::network::keys::AirlineKey;
use passcom::node::NodeOptions;
use passcom::startup;
use passcom_core::AirlineId;
use reqwest::StatusCode;
use serde_json::Value;
use tempfile::TempDir;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

use crate::helpers::{TestNode, test_config};

/// A loopback TCP proxy to a node's port, which a test can cut (a partition) and re-aim (a
/// restarted node listens on a new port).
pub struct Proxy {
    pub address: SocketAddr,
    target: Arc<Mutex<SocketAddr>>,
    blocked: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
    accept: AbortHandle,
}

impl Proxy {
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let target = Arc::new(Mutex::new(target));
        let blocked = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (to, cut, live) = (target.clone(), blocked.clone(), connections.clone());
        let accept = tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else { continue };
                if cut.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is reset
                }
                let destination = *to.lock().unwrap();
                let relay = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(destination).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                live.lock().unwrap().push(relay.abort_handle());
            }
        })
        .abort_handle();
        Self { address, target, blocked, connections, accept }
    }

    /// Drops every connection through it, and every new one, until [`Proxy::heal`].
    pub fn cut(&self) {
        self.blocked.store(true, Ordering::SeqCst);
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    pub fn heal(&self) {
        self.blocked.store(false, Ordering::SeqCst);
    }

    pub fn aim(&self, target: SocketAddr) {
        *self.target.lock().unwrap() = target;
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}

/// Three (or more) airlines, connected.
pub struct TestNetwork {
    pub nodes: BTreeMap<String, TestNode>,
    /// `(from, to)` → the proxy `from` reaches `to` through.
    proxies: BTreeMap<(String, String), Proxy>,
    configs: BTreeMap<String, Config>,
    dirs: BTreeMap<String, TempDir>,
}

impl TestNetwork {
    /// The signing key of `airline`, as its node has it.
    pub fn key(&self, airline: &str) -> AirlineKey {
        AirlineKey::load_or_create(&self.dirs[airline].path().join("peer.key"), &SystemEntropy)
            .unwrap()
    }
}

/// The network protocols' timing in tests: fast, so that tests are quick.
pub const HEARTBEAT_INTERVAL_MS: u64 = 200;
pub const HEARTBEAT_TIMEOUT_MS: u64 = 150;

/// Starts `airlines`, each knowing the others (with pinned keys) through proxies.
pub async fn spawn_network(airlines: &[&str]) -> TestNetwork {
    spawn_network_with(airlines, |_, _| {}).await
}

/// [`spawn_network`], after `adjust` changes each airline's test configuration.
pub async fn spawn_network_with(
    airlines: &[&str],
    adjust: impl Fn(&str, &mut Config),
) -> TestNetwork {
    let dirs: BTreeMap<String, TempDir> =
        airlines.iter().map(|a| (a.to_string(), tempfile::tempdir().unwrap())).collect();
    let mut keys = BTreeMap::new();
    for (airline, dir) in &dirs {
        let key = AirlineKey::generate(&SystemEntropy);
        key.write_new(&dir.path().join("peer.key")).unwrap();
        keys.insert(airline.clone(), key.public_key().to_string());
    }
    // Proxies first, aimed at nothing yet: nodes need their peers' addresses in their configs.
    let placeholder: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let mut proxies = BTreeMap::new();
    for from in airlines {
        for to in airlines.iter().filter(|to| *to != from) {
            proxies.insert((from.to_string(), to.to_string()), Proxy::start(placeholder).await);
        }
    }
    let mut configs = BTreeMap::new();
    for airline in airlines {
        let mut config = test_config(airline, dirs[*airline].path());
        config.network.heartbeat_interval_ms = HEARTBEAT_INTERVAL_MS;
        config.network.heartbeat_timeout_ms = HEARTBEAT_TIMEOUT_MS;
        config.network.request_timeout_ms = 2000;
        config.network.replication_retry_ms = 100;
        config.network.tick_interval_ms = 10;
        config.commit.retry_max_ms = 500;
        config.network.peers = airlines
            .iter()
            .filter(|peer| *peer != airline)
            .map(|peer| PeerConfig {
                airline: AirlineId::parse(peer).unwrap(),
                url: format!(
                    "http://{}",
                    proxies[&(airline.to_string(), peer.to_string())].address
                ),
                public_key: Some(keys[*peer].clone()),
            })
            .collect();
        adjust(airline, &mut config);
        configs.insert(airline.to_string(), config);
    }
    let mut network = TestNetwork { nodes: BTreeMap::new(), proxies, configs, dirs };
    for airline in airlines {
        network.start(airline).await;
    }
    network
}

impl TestNetwork {
    pub fn node(&self, airline: &str) -> &TestNode {
        &self.nodes[airline]
    }

    /// Starts (or restarts) `airline` on its data directory and aims its peers' proxies at it.
    pub async fn start(&mut self, airline: &str) {
        let config = self.configs[airline].clone();
        let running = startup::start(config, NodeOptions::system()).await.unwrap();
        for ((_, to), proxy) in &self.proxies {
            if to == airline {
                proxy.aim(running.address);
            }
        }
        let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
        // The network runs on the system clock; the test node's manual clock only dates its
        // helpers' queries.
        let clock = Arc::new(ManualClock::new(Timestamp::now()));
        self.nodes.insert(airline.to_owned(), TestNode::from_parts(running, clock, client));
        let _ = &self.dirs;
    }

    /// Stops `airline` gracefully.
    pub async fn stop(&mut self, airline: &str) {
        let node = self.nodes.remove(airline).expect("the node runs");
        node.stop().await;
    }

    /// Cuts every link between `airline` and the others.
    pub fn partition(&self, airline: &str) {
        for ((from, to), proxy) in &self.proxies {
            if from == airline || to == airline {
                proxy.cut();
            }
        }
    }

    pub fn heal(&self) {
        self.proxies.values().for_each(Proxy::heal);
    }

    /// Waits until every node sees every other online.
    pub async fn wait_all_online(&self) {
        for node in self.nodes.values() {
            for peer in self.nodes.keys().filter(|peer| **peer != node.airline()) {
                wait_for(&format!("{} sees {peer} online", node.airline()), || async {
                    peer_status(node, peer).await.as_deref() == Some("online")
                })
                .await;
            }
        }
    }
}

/// How `node` sees `peer` now (`online`, `offline`).
pub async fn peer_status(node: &TestNode, peer: &str) -> Option<String> {
    let network = node.get("/api/v1/network", None).await;
    let peers = network.body["peers"].as_array()?;
    peers
        .iter()
        .find(|p| p["airline"] == peer)
        .and_then(|p| p["status"].as_str())
        .map(str::to_owned)
}

/// Polls `condition` every 20 ms until it holds; fails after 20 s.
pub async fn wait_for<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    eventually(what, || {
        let holds = condition();
        async move { holds.await.then_some(()) }
    })
    .await
}

/// Polls `find` every 20 ms until it finds something, and returns it; fails after 20 s.
pub async fn eventually<T, F, Fut>(what: &str, mut find: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(found) = find().await {
            return found;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every flight `node` lists, by id, in the fields replication must carry.
pub async fn flights_of(node: &TestNode, airline: &str) -> BTreeMap<String, Value> {
    let mut flights = BTreeMap::new();
    let mut path = "/api/v1/flights?limit=1000".to_owned();
    loop {
        let page = node.get(&path, None).await;
        assert_eq!(page.status, StatusCode::OK);
        for flight in page.body["flights"].as_array().unwrap() {
            if flight["airline"] == airline {
                let mut carried = flight.clone();
                carried.as_object_mut().unwrap().remove("owner_online");
                flights.insert(flight["id"].as_str().unwrap().to_owned(), carried);
            }
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/flights?limit=1000&cursor={cursor}"),
            None => return flights,
        }
    }
}
