//! Durable single-airline purchases per second, over HTTP on loopback.
//!
//! Run with `cargo bench -p passcom --bench purchases`. In one run, on the same disk:
//!
//! 1. the baseline: how many single-row commits per second SQLite makes with
//!    `synchronous=FULL` in WAL mode, one transaction (one fsync) per commit — the ceiling of a
//!    design that commits each purchase on its own;
//! 2. a real `passcom serve` process (release build, fsync on), loaded by concurrent customers
//!    buying one seat each on the seeded schedule, for a fixed time.
//!
//! It prints purchases per second, latency percentiles, the ratio to the baseline and the mean
//! write batch the node's group commit formed, and writes them into `docs/benchmarks.md`.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use self::common::{NodeProcess, percentile};

/// How long the baseline runs.
const BASELINE_SECONDS: u64 = 3;
/// Load before measuring (connections, caches, session touches).
const WARM_UP_SECONDS: u64 = 2;
/// How long the measured load runs.
const MEASURE_SECONDS: u64 = 10;
/// Buyers sending purchases at the same time.
const BUYERS: usize = 128;
/// Customer accounts they share.
const CUSTOMERS: usize = 32;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
    println!("baseline: one fsync per commit, {BASELINE_SECONDS} s …");
    let baseline = fsync_ceiling(
        &scratch.path().join("baseline.sqlite3"),
        Duration::from_secs(BASELINE_SECONDS),
    )?;
    println!("  {baseline:.0} commits/s");

    let config = common::write_config(scratch.path(), "rumos", "127.0.0.1:0", 60, "");
    let node = NodeProcess::start(&config).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(BUYERS).build()?;
    let tokens = common::customers(&client, &node.url, CUSTOMERS).await?;
    let flights = flights(&client, &node.url).await?;
    println!(
        "node: {} flights to sell, {BUYERS} buyers, {WARM_UP_SECONDS} s warm-up, {MEASURE_SECONDS} s measured …",
        flights.len()
    );
    let batches_before = write_batches(&client, &node.url).await?;
    let load = load(&client, &node.url, &tokens, &flights).await;
    let batches_after = write_batches(&client, &node.url).await?;
    let mean_batch =
        (batches_after.0 - batches_before.0) / (batches_after.1 - batches_before.1).max(1.0);

    let result = Result { baseline, load, mean_batch };
    println!("{}", result.markdown());
    let path = common::write_section("purchases", &result.markdown())?;
    println!("written into {}", path.display());
    Ok(())
}

/// Single-row commits per second with one transaction each, WAL and `synchronous=FULL`.
fn fsync_ceiling(path: &Path, duration: Duration) -> anyhow::Result<f64> {
    let connection = rusqlite::Connection::open(path)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.execute_batch("CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")?;
    let started = Instant::now();
    let mut commits = 0u64;
    while started.elapsed() < duration {
        connection.execute("INSERT INTO rows (value) VALUES (?1)", ["a purchase"])?;
        commits += 1;
    }
    Ok(commits as f64 / started.elapsed().as_secs_f64())
}

/// Every future flight with a standard cabin.
async fn flights(client: &reqwest::Client, url: &str) -> anyhow::Result<Vec<String>> {
    let flights = common::all_flights(client, url).await?;
    let mut ids: Vec<String> = flights
        .iter()
        .filter(|flight| flight["capacity"] == 180)
        .filter_map(|flight| flight["id"].as_str().map(str::to_owned))
        .collect();
    // Today's first flights may have left; start a day in.
    Ok(ids.split_off(ids.len().min(200)))
}

/// The node's write-batch histogram: (sum, count).
async fn write_batches(client: &reqwest::Client, url: &str) -> anyhow::Result<(f64, f64)> {
    let text = client
        .get(format!("{url}/metrics"))
        .bearer_auth(common::ADMIN_TOKEN)
        .send()
        .await?
        .text()
        .await?;
    let value = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    Ok((
        value("passcom_store_write_batch_size_sum "),
        value("passcom_store_write_batch_size_count "),
    ))
}

/// What the load achieved.
struct Load {
    purchases: usize,
    refused: usize,
    seconds: f64,
    latencies: Vec<Duration>,
}

async fn load(client: &reqwest::Client, url: &str, tokens: &[String], flights: &[String]) -> Load {
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let flights = Arc::new(flights.to_vec());
    let mut workers = tokio::task::JoinSet::new();
    for buyer in 0..BUYERS {
        let (client, url, token) =
            (client.clone(), url.to_owned(), tokens[buyer % tokens.len()].clone());
        let (measuring, stop, flights) = (measuring.clone(), stop.clone(), flights.clone());
        workers.spawn(async move {
            let (mut purchases, mut refused, mut latencies) = (0, 0, Vec::new());
            let mut next = buyer;
            while !stop.load(Ordering::Relaxed) {
                let flight = &flights[next % flights.len()];
                next += BUYERS;
                let body =
                    json!({"flights": [flight], "passengers": [{"name": "Bench Passenger"}]});
                let started = Instant::now();
                let response = client
                    .post(format!("{url}/api/v1/bookings"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                let took = started.elapsed();
                let confirmed =
                    matches!(&response, Ok(r) if r.status() == reqwest::StatusCode::CREATED);
                if let Ok(response) = response {
                    let _ = response.bytes().await;
                }
                if measuring.load(Ordering::Relaxed) {
                    if confirmed {
                        purchases += 1;
                        latencies.push(took);
                    } else {
                        refused += 1;
                    }
                }
            }
            (purchases, refused, latencies)
        });
    }
    tokio::time::sleep(Duration::from_secs(WARM_UP_SECONDS)).await;
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(MEASURE_SECONDS)).await;
    measuring.store(false, Ordering::Relaxed);
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let mut total = Load { purchases: 0, refused: 0, seconds, latencies: Vec::new() };
    for (purchases, refused, latencies) in workers.join_all().await {
        total.purchases += purchases;
        total.refused += refused;
        total.latencies.extend(latencies);
    }
    total.latencies.sort();
    total
}

struct Result {
    baseline: f64,
    load: Load,
    mean_batch: f64,
}

impl Result {
    fn per_second(&self) -> f64 {
        self.load.purchases as f64 / self.load.seconds
    }

    fn markdown(&self) -> String {
        format!(
            "| measure | value |\n|---|---|\n\
             | baseline: single-row commits/s, one fsync each (WAL, `synchronous=FULL`) | {:.0} |\n\
             | durable purchases/s over HTTP ({BUYERS} concurrent buyers, {MEASURE_SECONDS} s) | {:.0} |\n\
             | **ratio to the one-fsync-per-commit baseline** | **{:.2}×** |\n\
             | purchase latency p50 / p99 | {:.1} ms / {:.1} ms |\n\
             | mean purchases per group commit (write batch) | {:.1} |\n\
             | refused or failed during the run | {} |\n\n{}",
            self.baseline,
            self.per_second(),
            self.per_second() / self.baseline,
            percentile(&self.load.latencies, 0.50),
            percentile(&self.load.latencies, 0.99),
            self.mean_batch,
            self.load.refused,
            common::measured_on(),
        )
    }
}
