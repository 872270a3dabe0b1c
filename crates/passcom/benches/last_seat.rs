//! The last seat: a thousand buyers at once for one seat, across three airlines.
//!
//! Run with `cargo bench -p passcom --bench last_seat`. Three release `passcom serve`
//! processes (Boreal, Giro, Rumos; fsync on; signed peer calls over loopback), each with a
//! flight of one seat a day (the original's Macapá → Salvador). A race is 1,000 customers,
//! each with an account of their own, asking at the same moment for the same one-seat flight.
//! Two kinds of race, each run on several flights, in the same run:
//!
//! 1. the baseline: all 1,000 buy at the flight's owner (the one-phase commit);
//! 2. a third of them buy at each of the three airlines — two thirds through the two-phase
//!    commit with the owner.
//!
//! Every race must end with exactly one booking, every other buyer told `409
//! seat_unavailable`, and the owner's record showing the one seat sold; the benchmark fails
//! otherwise. It prints the latency of every answer (from its request's sending), of both, and
//! writes them into `docs/benchmarks.md`. A first race at each airline, not measured, opens
//! the connections.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::{Value, json};
use tokio::sync::Barrier;

use self::common::{ADMIN_TOKEN, NodeProcess, percentile};

/// Days of schedule each airline seeds: one one-seat flight of each airline a day.
const DAYS: u32 = 8;
/// Buyers in one race.
const BUYERS: usize = 1000;
/// Measured races of each kind (after one at each airline that opens the connections).
const RACES: usize = 6;
/// The airlines.
const AIRLINES: [&str; 3] = ["boreal", "giro", "rumos"];

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run())
}

/// A node buyers ask, and one customer's session there.
type Buyer = (Arc<str>, String);

async fn run() -> anyhow::Result<()> {
    let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
    println!("starting three airlines ({DAYS} days of schedule each) …");
    let nodes = common::start_network(scratch.path(), &AIRLINES, DAYS).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(BUYERS).build()?;
    let mut flights = one_seat_flights(&common::replicated_catalog(&client, &nodes).await?);
    anyhow::ensure!(
        flights.len() >= 2 * RACES + AIRLINES.len(),
        "too few one-seat flights: {flights:?}"
    );
    println!(
        "{} one-seat flights; registering {BUYERS} customers at each airline …",
        flights.len()
    );
    let mut customers = BTreeMap::new();
    for (airline, node) in &nodes {
        let tokens = common::customers(&client, &node.url, BUYERS).await?;
        customers.insert(airline.clone(), tokens);
    }
    let network = Network { client, nodes, customers };

    for airline in AIRLINES {
        let flight = take_flight_of(&mut flights, airline)?;
        let answers = network.race(Race::AtTheOwner, &flight).await?;
        println!(
            "  opening connections to {airline}, race for {}: {}",
            flight.0,
            summary(&answers)
        );
    }
    let mut rows = Vec::new();
    for kind in [Race::AtTheOwner, Race::AtAllThree] {
        let mut answers = Vec::new();
        for race in 0..RACES {
            let flight = flights.pop().context("no one-seat flight left")?;
            let result = network.race(kind, &flight).await?;
            println!("  {kind:?} race {race} for {}: {}", flight.0, summary(&result));
            answers.extend(result);
        }
        rows.push((kind, answers));
    }
    let markdown = markdown(&rows);
    println!("{markdown}");
    let path = common::write_section("last-seat", &markdown)?;
    println!("written into {}", path.display());
    Ok(())
}

/// The three nodes, and every customer's session at each, by airline.
struct Network {
    client: reqwest::Client,
    nodes: BTreeMap<String, NodeProcess>,
    customers: BTreeMap<String, Vec<String>>,
}

impl Network {
    /// A race of `kind` for `flight` (its id and owner), checked to end with one winner; its
    /// answers.
    async fn race(
        &self,
        kind: Race,
        (flight, owner): &(String, String),
    ) -> anyhow::Result<Vec<Answer>> {
        let buyers = self.buyers(kind, owner);
        let answers = race_for(&self.client, flight, &buyers).await;
        check_one_winner(&self.client, &self.nodes[owner].url, flight, &answers).await?;
        Ok(answers)
    }

    /// A race's buyers, each a different customer: at the flight's `owner`, or a third at
    /// each airline.
    fn buyers(&self, kind: Race, owner: &str) -> Vec<Buyer> {
        let urls: BTreeMap<&str, Arc<str>> = (self.nodes.iter())
            .map(|(airline, node)| (airline.as_str(), Arc::from(&*node.url)))
            .collect();
        (0..BUYERS)
            .map(|i| {
                let seller = match kind {
                    Race::AtTheOwner => owner,
                    Race::AtAllThree => AIRLINES[i % AIRLINES.len()],
                };
                (urls[seller].clone(), self.customers[seller][i].clone())
            })
            .collect()
    }
}

/// Where a race's buyers ask.
#[derive(Clone, Copy, Debug)]
enum Race {
    /// All at the flight's owner.
    AtTheOwner,
    /// A third at each airline.
    AtAllThree,
}

impl Race {
    fn describe(self) -> &'static str {
        match self {
            Race::AtTheOwner => "all at the flight's owner (one-phase commit)",
            Race::AtAllThree => "a third at each airline (two thirds two-phase)",
        }
    }
}

/// The network's one-seat flights after tomorrow, with their owners; the latest first.
fn one_seat_flights(catalog: &[Value]) -> Vec<(String, String)> {
    let tomorrow = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
    let mut flights: Vec<(String, String, String)> = catalog
        .iter()
        .filter(|flight| flight["capacity"] == 1 && flight["status"] == "scheduled")
        .filter(|flight| {
            let departure = flight["departure"].as_str().and_then(|d| d.parse().ok());
            departure.is_some_and(|departure: jiff::Timestamp| departure > tomorrow)
        })
        .filter_map(|flight| {
            let text = |field: &str| flight[field].as_str().map(str::to_owned);
            Some((text("departure")?, text("id")?, text("airline")?))
        })
        .collect();
    flights.sort();
    flights.into_iter().map(|(_, id, airline)| (id, airline)).collect()
}

/// Takes one of `airline`'s flights out of `flights`.
fn take_flight_of(
    flights: &mut Vec<(String, String)>,
    airline: &str,
) -> anyhow::Result<(String, String)> {
    let index = flights.iter().position(|(_, owner)| owner == airline);
    Ok(flights.remove(index.with_context(|| format!("{airline} has no one-seat flight"))?))
}

/// One buyer's answer: status and error code (`"201"`, `"409 seat_unavailable"`), and how long
/// it took.
type Answer = (String, Duration);

/// Every buyer asks for `flight` at once (released together by a barrier); their answers.
async fn race_for(client: &reqwest::Client, flight: &str, buyers: &[Buyer]) -> Vec<Answer> {
    let start = Arc::new(Barrier::new(buyers.len()));
    let mut racers = tokio::task::JoinSet::new();
    for (i, (url, token)) in buyers.iter().enumerate() {
        let (client, start) = (client.clone(), start.clone());
        let (url, token) = (url.clone(), token.clone());
        let body = json!({"flights": [flight], "passengers": [{"name": format!("Buyer {i}")}]});
        racers.spawn(async move {
            start.wait().await;
            let started = Instant::now();
            let answer = buy(&client, &url, &token, &body).await;
            (answer, started.elapsed())
        });
    }
    racers.join_all().await
}

/// One purchase: its status and error code, or why there was no answer.
async fn buy(client: &reqwest::Client, url: &str, token: &str, body: &Value) -> String {
    let sent = client.post(format!("{url}/api/v1/bookings")).bearer_auth(token).json(body);
    common::answer_kind(sent.send().await).await
}

/// Fails unless exactly one buyer got the seat, every other was told it is gone, and the
/// owner's record (once the decision reached it) shows the one seat sold.
async fn check_one_winner(
    client: &reqwest::Client,
    owner_url: &str,
    flight: &str,
    answers: &[Answer],
) -> anyhow::Result<()> {
    let kinds = kinds(answers);
    let expected =
        BTreeMap::from([("201".to_owned(), 1), ("409 seat_unavailable".into(), BUYERS - 1)]);
    anyhow::ensure!(kinds == expected, "{flight}: answers {kinds:?}, not one winner");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let segments: Value = client
            .get(format!("{owner_url}/api/v1/admin/flights/{flight}/segments"))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await?
            .json()
            .await?;
        let segments = segments["segments"].as_array().context("no segments")?;
        if segments.len() == 1 && segments[0]["state"] == "sold" {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "{flight}: the owner's record is {segments:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How many answers of each kind.
fn kinds(answers: &[Answer]) -> BTreeMap<String, usize> {
    let mut kinds = BTreeMap::new();
    for (kind, _) in answers {
        *kinds.entry(kind.clone()).or_default() += 1;
    }
    kinds
}

/// Sorted latencies of `answers`.
fn latencies(answers: &[Answer]) -> Vec<Duration> {
    let mut latencies: Vec<Duration> = answers.iter().map(|(_, took)| *took).collect();
    latencies.sort();
    latencies
}

fn summary(answers: &[Answer]) -> String {
    let latencies = latencies(answers);
    format!(
        "one winner; p50 {:.1} ms, p99 {:.1} ms, last {:.1} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    )
}

fn markdown(rows: &[(Race, Vec<Answer>)]) -> String {
    let mut text = String::from(
        "| 1,000 buyers of one seat | races | winners per race | answers p50 / p99 / last | the winner's answer, p50 |\n\
         |---|---|---|---|---|\n",
    );
    for (kind, answers) in rows {
        let all = latencies(answers);
        let winners: Vec<Answer> =
            answers.iter().filter(|(kind, _)| kind == "201").cloned().collect();
        text.push_str(&format!(
            "| {} | {RACES} | 1 | {:.1} / **{:.1}** / {:.1} ms | {:.1} ms |\n",
            kind.describe(),
            percentile(&all, 0.5),
            percentile(&all, 0.99),
            percentile(&all, 1.0),
            percentile(&latencies(&winners), 0.5),
        ));
    }
    if let [(_, owner), (_, all_three)] = rows {
        let p99 = |answers: &[Answer]| percentile(&latencies(answers), 0.99);
        text.push_str(&format!(
            "\nRatio of the p99s, at all three / at the owner: {:.2}.\n",
            p99(all_three) / p99(owner).max(f64::MIN_POSITIVE)
        ));
    }
    text.push('\n');
    text.push_str(&common::measured_on());
    text
}
