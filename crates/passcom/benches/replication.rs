//! Catalog replication: lag under a stream of edits, and catch-up of a replica far behind.
//!
//! Run with `cargo bench -p passcom --bench replication`. Two real nodes in this process (Giro
//! the owner, Rumos the replica), connected over loopback HTTP with signed requests, on disk
//! with fsync on, exactly as `passcom demo` runs them:
//!
//! 1. **Lag.** Admin edits of Giro's fares through its HTTP API, several editors at once, for a
//!    fixed time. The lag of an edit is the time from its answer (committed at Giro) to the
//!    moment Rumos's catalog holds that version of the flight, watched every 0.2 ms.
//! 2. **Catch-up.** Rumos stops; Giro's log grows by 100,000 entries (fare edits through its
//!    store); Rumos restarts and the time until its replica reaches Giro's head is measured.
//!
//! Targets (ARCHITECTURE §9): p99 lag ≤ 100 ms; catch-up ≤ 2 s. Results go into
//! `docs/benchmarks.md`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use passcom::clock::SystemEntropy;
use passcom::config::{Config, PeerConfig, Secret};
use passcom::network::keys::AirlineKey;
use passcom::node::NodeOptions;
use passcom::startup::{self, RunningNode};
use passcom_core::{AirlineId, FlightId, Money};
use serde_json::json;

/// Concurrent editors.
const EDITORS: usize = 8;
/// How long the edit stream runs.
const EDIT_SECONDS: u64 = 10;
/// Log entries the replica is behind when it restarts.
const CATCH_UP_ENTRIES: u64 = 100_000;
const ADMIN_TOKEN: &str = "benchmark-admin-token-0123";

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
    let configs = configs(scratch.path())?;
    let giro = startup::start(configs["giro"].clone(), NodeOptions::system()).await?;
    let rumos = startup::start(configs["rumos"].clone(), NodeOptions::system()).await?;
    let flights: Vec<FlightId> = own_flights(&giro);
    println!("giro: {} flights; waiting for rumos to replicate them …", flights.len());
    wait_caught_up(&giro, &rumos).await?;

    println!("lag: {EDITORS} editors for {EDIT_SECONDS} s …");
    let lags = edit_stream(&giro, &rumos, &flights).await?;
    println!(
        "  {} edits, p50 {:.1} ms, p99 {:.1} ms",
        lags.len(),
        percentile(&lags, 0.50),
        percentile(&lags, 0.99)
    );

    println!("catch-up: rumos stops, giro's log grows by {CATCH_UP_ENTRIES} entries …");
    rumos.stop().await?;
    grow_log(&giro, &flights, CATCH_UP_ENTRIES).await?;
    let started = Instant::now();
    let rumos = startup::start(configs["rumos"].clone(), NodeOptions::system()).await?;
    let restarted = started.elapsed();
    wait_caught_up(&giro, &rumos).await?;
    let catch_up = started.elapsed() - restarted;
    println!(
        "  caught up {:.0} ms after its restart ({:.0} ms to restart)",
        catch_up.as_secs_f64() * 1000.0,
        restarted.as_secs_f64() * 1000.0
    );

    let result = Outcome {
        edits: lags.len(),
        seconds: EDIT_SECONDS,
        p50: percentile(&lags, 0.5),
        p99: percentile(&lags, 0.99),
        max: percentile(&lags, 1.0),
        catch_up_ms: catch_up.as_secs_f64() * 1000.0,
        flights: flights.len(),
    };
    println!("{}", result.markdown());
    write_section(&result.markdown())?;
    rumos.stop().await?;
    giro.stop().await?;
    Ok(())
}

/// Giro and Rumos, pinning each other's keys, on ports chosen by the system.
fn configs(dir: &Path) -> anyhow::Result<HashMap<&'static str, Config>> {
    let mut configs = HashMap::new();
    let mut keys = HashMap::new();
    let mut listeners = HashMap::new();
    for airline in ["giro", "rumos"] {
        let key = AirlineKey::generate(&SystemEntropy);
        key.write_new(&dir.join(airline).join("peer.key"))?;
        keys.insert(airline, key.public_key().to_string());
        // Reserve a port now, so that each config can name its peer's address.
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listeners.insert(airline, listener.local_addr()?);
    }
    for (airline, peer) in [("giro", "rumos"), ("rumos", "giro")] {
        let mut config = Config::for_airline(AirlineId::parse(airline)?);
        config.http.listen = listeners[airline];
        config.console.enabled = false;
        config.storage.data_dir = dir.join(airline);
        config.admin.token = Some(Secret::new(ADMIN_TOKEN));
        config.seed.days = 30;
        config.seed.original_users = false;
        config.network.peers = vec![PeerConfig {
            airline: AirlineId::parse(peer)?,
            url: format!("http://{}", listeners[peer]),
            public_key: Some(keys[peer].clone()),
        }];
        configs.insert(airline, config);
    }
    Ok(configs)
}

fn own_flights(node: &RunningNode) -> Vec<FlightId> {
    let id = node.node.airline.id.clone();
    let now = jiff::Timestamp::now();
    let mut flights: Vec<FlightId> = node
        .node
        .catalog
        .matching(|flight| {
            flight.airline == id && flight.departure > now + jiff::SignedDuration::from_hours(24)
        })
        .into_iter()
        .map(|entry| entry.flight.id)
        .collect();
    flights.sort();
    flights
}

/// Waits until `replica`'s position for `owner` reaches the owner's log head.
async fn wait_caught_up(owner: &RunningNode, replica: &RunningNode) -> anyhow::Result<()> {
    let head = owner.node.store.log_head().await?;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let position = replica
            .node
            .network
            .peers()
            .iter()
            .find(|p| p.airline == owner.node.airline.id)
            .map_or(0, |p| p.replica_position);
        if position >= head {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the replica did not catch up (at {position} of {head})"
        );
        tokio::time::sleep(Duration::from_micros(500)).await;
    }
}

/// Edits fares at `owner` for `EDIT_SECONDS`; returns each edit's replication lag in ms.
async fn edit_stream(
    owner: &RunningNode,
    replica: &RunningNode,
    flights: &[FlightId],
) -> anyhow::Result<Vec<f64>> {
    let client = reqwest::Client::new();
    // (flight, version) → when the owner answered; the watcher moves each to the lags.
    let pending: Arc<Mutex<HashMap<(FlightId, u64), Instant>>> = Arc::default();
    let lags: Arc<Mutex<Vec<f64>>> = Arc::default();
    let stop = Instant::now() + Duration::from_secs(EDIT_SECONDS);
    let watcher = {
        let (pending, lags, catalog) =
            (pending.clone(), lags.clone(), replica.node.catalog.clone());
        tokio::spawn(async move {
            loop {
                let seen: Vec<((FlightId, u64), Instant)> = {
                    let pending = pending.lock().unwrap();
                    pending
                        .iter()
                        .filter(|((id, version), _)| {
                            catalog.get(*id).is_some_and(|f| f.version >= *version)
                        })
                        .map(|(k, v)| (*k, *v))
                        .collect()
                };
                let now = Instant::now();
                for (key, answered) in seen {
                    pending.lock().unwrap().remove(&key);
                    lags.lock().unwrap().push(now.duration_since(answered).as_secs_f64() * 1000.0);
                }
                if Instant::now() > stop + Duration::from_secs(5)
                    && pending.lock().unwrap().is_empty()
                {
                    return;
                }
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
        })
    };
    let mut editors = tokio::task::JoinSet::new();
    for editor in 0..EDITORS {
        let (client, url, pending) = (client.clone(), owner.url(), pending.clone());
        let mine: Vec<FlightId> = flights.iter().skip(editor).step_by(EDITORS).copied().collect();
        editors.spawn(async move {
            let mut versions: HashMap<FlightId, u64> = HashMap::new();
            let mut turn = 0;
            while Instant::now() < stop {
                let id = mine[turn % mine.len()];
                turn += 1;
                let version = *versions.get(&id).unwrap_or(&1);
                let response = client
                    .put(format!("{url}/api/v1/admin/flights/{id}"))
                    .bearer_auth(ADMIN_TOKEN)
                    .header("If-Match", format!("\"{version}\""))
                    .json(&json!({"price": 10_000 + (turn % 5000) as i64}))
                    .send()
                    .await?;
                anyhow::ensure!(
                    response.status().is_success(),
                    "edit refused: {}",
                    response.status()
                );
                let answered = Instant::now();
                pending.lock().unwrap().insert((id, version + 1), answered);
                versions.insert(id, version + 1);
                // A steady stream, not a flood: an admin tool, not a load test.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Ok::<_, anyhow::Error>(())
        });
    }
    for outcome in editors.join_all().await {
        outcome?;
    }
    watcher.await?;
    let lags = lags.lock().unwrap().clone();
    Ok(lags)
}

/// Adds `entries` entries to `owner`'s log: fare edits through its store, many at once.
async fn grow_log(owner: &RunningNode, flights: &[FlightId], entries: u64) -> anyhow::Result<()> {
    let store = owner.node.store.clone();
    let mut written = 0;
    while written < entries {
        let mut round = tokio::task::JoinSet::new();
        for id in flights.iter().take((entries - written) as usize) {
            let (store, id) = (store.clone(), *id);
            round.spawn(async move {
                let mut flight = store.flight(id).await?.expect("the flight exists").flight;
                let version = flight.version;
                flight.price = Money::fare(flight.price.cents() % 90_000 + 1_000)?;
                store.update_flight(flight, version).await?;
                Ok::<_, anyhow::Error>(())
            });
        }
        for outcome in round.join_all().await {
            outcome?;
            written += 1;
        }
    }
    Ok(())
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

struct Outcome {
    edits: usize,
    seconds: u64,
    p50: f64,
    p99: f64,
    max: f64,
    catch_up_ms: f64,
    flights: usize,
}

impl Outcome {
    fn markdown(&self) -> String {
        format!(
            "| measure | value | target |\n|---|---|---|\n\
             | edits replicated ({EDITORS} editors, {} s) | {} | |\n\
             | replication lag p50 / p99 / max | {:.1} / **{:.1}** / {:.1} ms | p99 ≤ 100 ms |\n\
             | catch-up of a replica {CATCH_UP_ENTRIES} entries behind ({} flights) | **{:.0} ms** | ≤ 2,000 ms |\n\n\
             Measured {} on {}.",
            self.seconds,
            self.edits,
            self.p50,
            self.p99,
            self.max,
            self.flights,
            self.catch_up_ms,
            jiff::Timestamp::now().strftime("%Y-%m-%d"),
            machine(),
        )
    }
}

fn write_section(markdown: &str) -> anyhow::Result<()> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/benchmarks.md");
    let (start, end) = ("<!-- replication:start -->", "<!-- replication:end -->");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let section = format!("{start}\n{markdown}\n{end}");
    let updated = match (text.find(start), text.find(end)) {
        (Some(from), Some(to)) => format!("{}{section}{}", &text[..from], &text[to + end.len()..]),
        _ => format!("{text}\n{section}\n"),
    };
    std::fs::write(&path, updated)?;
    Ok(())
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{} ({cores} cores)", model.unwrap_or_else(|| "an unknown CPU".into()))
}
