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

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

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

    let node = NodeProcess::start(scratch.path()).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(BUYERS).build()?;
    let tokens = customers(&client, &node.url).await?;
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
    result.write_into(&docs_path())?;
    println!("written into {}", docs_path().display());
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

/// A release `passcom serve` of Rumos with sixty days of schedule.
struct NodeProcess {
    _child: tokio::process::Child,
    url: String,
}

impl NodeProcess {
    async fn start(dir: &Path) -> anyhow::Result<Self> {
        let config = dir.join("rumos.toml");
        std::fs::write(
            &config,
            format!(
                "[airline]\nid = \"rumos\"\n[http]\nlisten = \"127.0.0.1:0\"\n[console]\nenabled = false\n[storage]\ndata_dir = \"{}\"\n\
                 [admin]\ntoken = \"benchmark-admin-token\"\n[seed]\ndays = 60\noriginal_users = false\n\
                 [passwords]\nmemory_kib = 64\niterations = 1\n",
                dir.join("node").display()
            ),
        )?;
        let mut child = Command::new(env!("CARGO_BIN_EXE_passcom"))
            .args(["serve", "--config"])
            .arg(&config)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let mut lines = BufReader::new(child.stdout.take().context("no stdout")?).lines();
        while let Some(line) = lines.next_line().await? {
            if let Some((_, url)) = line.split_once(" serving on ") {
                return Ok(Self { _child: child, url: url.trim().to_owned() });
            }
        }
        anyhow::bail!("the node exited before serving")
    }
}

async fn customers(client: &reqwest::Client, url: &str) -> anyhow::Result<Vec<String>> {
    let mut tokens = Vec::new();
    for i in 0..CUSTOMERS {
        let credentials = json!({"username": format!("bench{i}"), "password": "benchmark-password", "name": "Bench"});
        client
            .post(format!("{url}/api/v1/auth/register"))
            .json(&credentials)
            .send()
            .await?
            .error_for_status()?;
        let login: Value = client
            .post(format!("{url}/api/v1/auth/login"))
            .json(&credentials_only(&credentials))
            .send()
            .await?
            .json()
            .await?;
        tokens.push(login["token"].as_str().context("no token")?.to_owned());
    }
    Ok(tokens)
}

fn credentials_only(credentials: &Value) -> Value {
    json!({"username": credentials["username"], "password": credentials["password"]})
}

/// Every future flight with a standard cabin.
async fn flights(client: &reqwest::Client, url: &str) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_url = match &cursor {
            Some(cursor) => format!("{url}/api/v1/flights?limit=1000&cursor={cursor}"),
            None => format!("{url}/api/v1/flights?limit=1000"),
        };
        let page: Value = client.get(page_url).send().await?.json().await?;
        for flight in page["flights"].as_array().context("no flights")? {
            if flight["capacity"] == 180 {
                ids.push(flight["id"].as_str().context("no id")?.to_owned());
            }
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    // Today's first flights may have left; start a day in.
    Ok(ids.split_off(ids.len().min(200)))
}

/// The node's write-batch histogram: (sum, count).
async fn write_batches(client: &reqwest::Client, url: &str) -> anyhow::Result<(f64, f64)> {
    let text = client.get(format!("{url}/metrics")).send().await?.text().await?;
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

    fn percentile(&self, p: f64) -> f64 {
        let latencies = &self.load.latencies;
        if latencies.is_empty() {
            return 0.0;
        }
        let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index].as_secs_f64() * 1000.0
    }

    fn markdown(&self) -> String {
        format!(
            "| measure | value |\n|---|---|\n\
             | baseline: single-row commits/s, one fsync each (WAL, `synchronous=FULL`) | {:.0} |\n\
             | durable purchases/s over HTTP ({BUYERS} concurrent buyers, {MEASURE_SECONDS} s) | {:.0} |\n\
             | **ratio to the one-fsync-per-commit baseline** | **{:.2}×** |\n\
             | purchase latency p50 / p99 | {:.1} ms / {:.1} ms |\n\
             | mean purchases per group commit (write batch) | {:.1} |\n\
             | refused or failed during the run | {} |\n\n\
             Measured {} on {}.",
            self.baseline,
            self.per_second(),
            self.per_second() / self.baseline,
            self.percentile(0.50),
            self.percentile(0.99),
            self.mean_batch,
            self.load.refused,
            jiff::Timestamp::now().strftime("%Y-%m-%d"),
            machine(),
        )
    }

    /// Replaces the section between this benchmark's markers in `docs/benchmarks.md`.
    fn write_into(&self, path: &Path) -> anyhow::Result<()> {
        let (start, end) = ("<!-- purchases:start -->", "<!-- purchases:end -->");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let section = format!("{start}\n{}\n{end}", self.markdown());
        let updated = match (text.find(start), text.find(end)) {
            (Some(from), Some(to)) => {
                format!("{}{section}{}", &text[..from], &text[to + end.len()..])
            }
            _ => format!("{text}\n{section}\n"),
        };
        std::fs::write(path, updated)?;
        Ok(())
    }
}

fn docs_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/benchmarks.md")
}

/// The CPU and core count, for the record.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{} ({cores} cores)", model.unwrap_or_else(|| "an unknown CPU".into()))
}
