//! Two-airline purchases — the two-phase commit — across three nodes, against one-airline
//! purchases in the same run.
//!
//! Run with `cargo bench -p passcom --bench commit`. Three release `passcom serve` processes
//! (Boreal, Giro, Rumos; fsync on; signed peer calls over loopback) serve customers at all
//! three at once. In the same run, at each level of concurrency:
//!
//! 1. the baseline: each node's customers buy one seat on one of its own flights (the
//!    one-phase commit);
//! 2. each node's customers buy a trip of two connecting flights of two different airlines —
//!    sold by one of the three, owned by two of them (sometimes including the seller) — so every
//!    purchase is a two-phase commit between two or three nodes.
//!
//! It prints purchases per second, latency percentiles and the processor time the three nodes
//! spent per purchase, of both, and the ratio, and writes them into `docs/benchmarks.md`.
//!
//! For profiling, `COMMIT_BENCH_BUYERS=4` runs only that level, `COMMIT_BENCH_SECONDS=20`
//! measures longer, and `COMMIT_BENCH_TWO_AIRLINES_ONLY=1` skips the baseline; a run changed
//! by any of them prints its table without writing it. It prints `measuring` on stderr when each
//! measured window opens.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use self::common::{NodeProcess, percentile};

/// Days of schedule each airline seeds: enough seats that the earlier loads of a run do not
/// sell out the flights the later ones buy (with 14, a run at 2026-12-03's speed refused
/// thousands at sixteen buyers per node).
const DAYS: u32 = 30;
/// Load before measuring.
const WARM_UP_SECONDS: u64 = 2;
/// How long each measured load runs.
const MEASURE_SECONDS: u64 = 5;
/// Buyers per node at each level of concurrency.
const BUYERS_PER_NODE: [usize; 4] = [1, 2, 4, 16];
/// Customer accounts per node.
const CUSTOMERS_PER_NODE: usize = 16;
/// The airlines.
const AIRLINES: [&str; 3] = ["boreal", "giro", "rumos"];

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run())
}

/// What one node's buyers buy: request bodies, taken in turn.
type Basket = Arc<Vec<Value>>;

async fn run() -> anyhow::Result<()> {
    let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
    println!("starting three airlines ({DAYS} days of schedule each) …");
    let nodes = common::start_network(scratch.path(), &AIRLINES, DAYS).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build()?;
    let flights = common::replicated_catalog(&client, &nodes).await?;
    let mut tokens = BTreeMap::new();
    for (airline, node) in &nodes {
        tokens.insert(
            airline.clone(),
            common::customers(&client, &node.url, CUSTOMERS_PER_NODE).await?,
        );
    }
    let (singles, pairs) = baskets(&flights);
    println!(
        "{} one-airline flights, {} two-airline connections to sell",
        singles.values().map(|b| b.len()).sum::<usize>(),
        pairs.values().map(|b| b.len()).sum::<usize>()
    );

    let knobs = Knobs::from_environment();
    let mut rows = Vec::new();
    for buyers in knobs.levels() {
        let one = match knobs.two_airlines_only {
            true => Load::default(),
            false => {
                println!("{buyers} buyers per node: one-airline purchases …");
                let one = load(&client, &nodes, &tokens, &singles, buyers, knobs.seconds).await;
                println!("  {}", one.summary());
                one
            }
        };
        println!("{buyers} buyers per node: two-airline purchases …");
        let two = load(&client, &nodes, &tokens, &pairs, buyers, knobs.seconds).await;
        println!("  {}", two.summary());
        rows.push((buyers, one, two));
    }
    let markdown = markdown(&rows);
    println!("{markdown}");
    if knobs.changed() {
        println!("(not written: a run with COMMIT_BENCH_* settings)");
        return Ok(());
    }
    let path = common::write_section("commit", &markdown)?;
    println!("written into {}", path.display());
    Ok(())
}

/// The run's settings, for profiling: the documented run has none.
struct Knobs {
    buyers: Option<usize>,
    seconds: u64,
    two_airlines_only: bool,
}

impl Knobs {
    fn from_environment() -> Self {
        let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        Self {
            buyers: number("COMMIT_BENCH_BUYERS").map(|n| n as usize),
            seconds: number("COMMIT_BENCH_SECONDS").unwrap_or(MEASURE_SECONDS),
            two_airlines_only: std::env::var_os("COMMIT_BENCH_TWO_AIRLINES_ONLY").is_some(),
        }
    }

    fn levels(&self) -> Vec<usize> {
        self.buyers.map_or(BUYERS_PER_NODE.to_vec(), |buyers| vec![buyers])
    }

    fn changed(&self) -> bool {
        self.buyers.is_some() || self.seconds != MEASURE_SECONDS || self.two_airlines_only
    }
}

/// One flight's fields the baskets need.
struct Leg {
    id: String,
    airline: String,
    origin: String,
    destination: String,
    departure: Timestamp,
    arrival: Timestamp,
}

impl Leg {
    fn of(flight: &Value) -> Option<Self> {
        let text = |field: &str| flight[field].as_str().map(str::to_owned);
        let instant = |field: &str| flight[field].as_str()?.parse::<Timestamp>().ok();
        (flight["capacity"] == 180 && flight["status"] == "scheduled").then_some(())?;
        Some(Self {
            id: text("id")?,
            airline: text("airline")?,
            origin: text("origin")?,
            destination: text("destination")?,
            departure: instant("departure")?,
            arrival: instant("arrival")?,
        })
    }
}

/// Per selling airline: its own flights (one-airline purchases), and connections of two
/// flights of two airlines (two-airline purchases, dealt out to the three sellers in turn).
fn baskets(flights: &[Value]) -> (BTreeMap<String, Basket>, BTreeMap<String, Basket>) {
    let tomorrow = Timestamp::now() + SignedDuration::from_hours(24);
    let legs: Vec<Leg> =
        flights.iter().filter_map(Leg::of).filter(|leg| leg.departure > tomorrow).collect();
    let body = |ids: &[&str]| json!({"flights": ids, "passengers": [{"name": "Bench Passenger"}]});
    let mut singles: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for leg in &legs {
        singles.entry(leg.airline.clone()).or_default().push(body(&[&leg.id]));
    }
    let mut by_origin: BTreeMap<&str, Vec<&Leg>> = BTreeMap::new();
    for leg in &legs {
        by_origin.entry(&leg.origin).or_default().push(leg);
    }
    let mut pairs: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut seller = AIRLINES.iter().cycle();
    for first in &legs {
        let onward = by_origin.get(first.destination.as_str()).into_iter().flatten();
        for second in onward.filter(|second| connects(first, second)) {
            let seller = seller.next().expect("the airlines cycle");
            pairs.entry(seller.to_string()).or_default().push(body(&[&first.id, &second.id]));
        }
    }
    let shared = |baskets: BTreeMap<String, Vec<Value>>| {
        baskets.into_iter().map(|(airline, basket)| (airline, Arc::new(basket))).collect()
    };
    (shared(singles), shared(pairs))
}

/// Two airlines' flights a passenger can connect between (interline: 90 minutes at least),
/// not flying back where the trip began.
fn connects(first: &Leg, second: &Leg) -> bool {
    let gap = second.departure.duration_since(first.arrival);
    first.airline != second.airline
        && first.origin != second.destination
        && gap >= SignedDuration::from_mins(90)
        && gap <= SignedDuration::from_hours(8)
}

/// What a load achieved.
#[derive(Default)]
struct Load {
    purchases: usize,
    /// Answers other than 201 while measuring, by status and error code.
    refused: BTreeMap<String, usize>,
    seconds: f64,
    latencies: Vec<Duration>,
    /// Processor time the three nodes used while measuring, and the load generator.
    node_cpu_seconds: f64,
    generator_cpu_seconds: f64,
}

impl Load {
    fn per_second(&self) -> f64 {
        self.purchases as f64 / self.seconds.max(f64::MIN_POSITIVE)
    }

    /// Milliseconds of the nodes' processor time per purchase: what the machine's speed and
    /// load change least.
    fn node_cpu_ms(&self) -> f64 {
        1000.0 * self.node_cpu_seconds / self.purchases.max(1) as f64
    }

    fn summary(&self) -> String {
        format!(
            "{:.0}/s, p50 {:.1} ms, nodes' CPU {:.2} ms per purchase (load generator {:.0} %)",
            self.per_second(),
            percentile(&self.latencies, 0.5),
            self.node_cpu_ms(),
            100.0 * self.generator_cpu_seconds / self.seconds.max(f64::MIN_POSITIVE),
        )
    }
}

/// `buyers` buyers at each node, buying from that node's basket in turn, for the warm-up then
/// the measured time.
async fn load(
    client: &reqwest::Client,
    nodes: &BTreeMap<String, NodeProcess>,
    tokens: &BTreeMap<String, Vec<String>>,
    baskets: &BTreeMap<String, Basket>,
    buyers: usize,
    measure_seconds: u64,
) -> Load {
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = tokio::task::JoinSet::new();
    for (airline, node) in nodes {
        let Some(basket) = baskets.get(airline) else { continue };
        for buyer in 0..buyers {
            let token = tokens[airline][buyer % tokens[airline].len()].clone();
            let (client, url, basket) = (client.clone(), node.url.clone(), basket.clone());
            let (measuring, stop) = (measuring.clone(), stop.clone());
            workers.spawn(async move {
                buy(&client, &url, &token, &basket, (buyer, buyers), &measuring, &stop).await
            });
        }
    }
    let node_cpu = || nodes.values().map(|node| common::cpu_seconds(&node.pid.to_string())).sum();
    tokio::time::sleep(Duration::from_secs(WARM_UP_SECONDS)).await;
    let (nodes_before, generator_before): (f64, f64) = (node_cpu(), common::cpu_seconds("self"));
    measuring.store(true, Ordering::Relaxed);
    eprintln!("measuring");
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(measure_seconds)).await;
    measuring.store(false, Ordering::Relaxed);
    let seconds = started.elapsed().as_secs_f64();
    let node_cpu_seconds = node_cpu() - nodes_before;
    let generator_cpu_seconds = common::cpu_seconds("self") - generator_before;
    stop.store(true, Ordering::Relaxed);
    let mut total = Load { seconds, node_cpu_seconds, generator_cpu_seconds, ..Load::default() };
    for (purchases, refused, latencies) in workers.join_all().await {
        total.purchases += purchases;
        for (answer, count) in refused {
            *total.refused.entry(answer).or_default() += count;
        }
        total.latencies.extend(latencies);
    }
    total.latencies.sort();
    total
}

/// One buyer's loop: purchases confirmed, refused, and the confirmed ones' latencies while
/// measuring. Buyer `index` of `of` takes every `of`-th basket item, so buyers rarely collide.
async fn buy(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    basket: &[Value],
    (index, of): (usize, usize),
    measuring: &AtomicBool,
    stop: &AtomicBool,
) -> (usize, BTreeMap<String, usize>, Vec<Duration>) {
    let (mut purchases, mut refused, mut latencies) = (0, BTreeMap::new(), Vec::new());
    let mut next = index * 7919;
    while !stop.load(Ordering::Relaxed) {
        let body = &basket[next % basket.len()];
        next += of;
        let started = Instant::now();
        let response = client
            .post(format!("{url}/api/v1/bookings"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await;
        let took = started.elapsed();
        let answer = common::answer_kind(response).await;
        if measuring.load(Ordering::Relaxed) {
            match answer.as_str() {
                "201" => {
                    purchases += 1;
                    latencies.push(took);
                }
                _ => *refused.entry(answer).or_default() += 1,
            }
        }
    }
    (purchases, refused, latencies)
}

fn markdown(rows: &[(usize, Load, Load)]) -> String {
    let mut text = String::from(
        "| buyers (per node × 3) | one-airline purchases/s | p50 / p99 | CPU per purchase | two-airline purchases/s | p50 / p99 | CPU per purchase | ratio two / one | refused |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for (buyers, one, two) in rows {
        text.push_str(&format!(
            "| {buyers} × 3 | {:.0} | {:.1} / {:.1} ms | {:.2} ms | **{:.0}** | **{:.1}** / {:.1} ms | {:.2} ms | {:.2} | {} / {} |\n",
            one.per_second(),
            percentile(&one.latencies, 0.5),
            percentile(&one.latencies, 0.99),
            one.node_cpu_ms(),
            two.per_second(),
            percentile(&two.latencies, 0.5),
            percentile(&two.latencies, 0.99),
            two.node_cpu_ms(),
            two.per_second() / one.per_second().max(1.0),
            one.refused.values().sum::<usize>(),
            two.refused.values().sum::<usize>(),
        ));
    }
    text.push('\n');
    let mut refusals = String::new();
    for (buyers, one, two) in rows {
        for (kind, load) in [("one-airline", one), ("two-airline", two)] {
            if !load.refused.is_empty() {
                refusals
                    .push_str(&format!("Refused at {buyers} × 3, {kind}: {:?}. ", load.refused));
            }
        }
    }
    if !refusals.is_empty() {
        text.push_str(&refusals);
        text.push_str("\n\n");
    }
    text.push_str(&common::measured_on());
    text
}
