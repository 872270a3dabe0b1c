//! The workload: customers of every airline searching, buying one-airline and cross-airline
//! trips, cancelling, and racing for the same seat, until a count of purchases or a time limit.
//!
//! Each worker draws its operations from its own generator seeded by the campaign's seed, so a
//! replay asks for the same mix; what the network answers, and so the exact history, also
//! depends on timing (the workers run at once, as real customers do).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::{Answer, Api, Flight};
use crate::history::{Cancel, History, Millis, Outcome, Purchase, PurchaseKind};

/// Shortest time between a connection's arrival and its next departure that the workload pairs.
const CONNECTION_MINUTES_MIN: i64 = 60;

/// Longest such time: past it, a trip is two journeys.
const CONNECTION_MINUTES_MAX: i64 = 12 * 60;

/// Flights whose seats the last-seat races are run on.
const HOT_FLIGHTS: usize = 2;

/// The least a worker rests between operations: a customer, not a benchmark.
const THINK_TIME_MIN: Duration = Duration::from_millis(20);

/// The bounds of a workload.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Purchases at most (a last-seat race counts one per buyer).
    pub purchases_max: usize,
    /// Time at most.
    pub duration: Duration,
    /// Workers buying at once.
    pub workers: usize,
}

impl Limits {
    /// How long a worker rests between operations, so that the purchases spread over the whole
    /// time, through every fault of the schedule, rather than all coming in its first seconds.
    fn think_time(&self) -> Duration {
        let per_worker = self.duration * self.workers as u32 / self.purchases_max.max(1) as u32;
        per_worker.max(THINK_TIME_MIN)
    }
}

/// What the workload buys from: one day's flights, and the trips made of them.
pub struct Catalog {
    /// The local date of the flights.
    pub date: String,
    /// Every scheduled flight with seats, as the first airline lists them.
    pub flights: Vec<Flight>,
    /// Two flights of different airlines that connect, by index into `flights`.
    pub connections: Vec<(usize, usize)>,
    /// Seats of the hot flights, free at the start, in the order races take them.
    pub race_seats: Vec<(String, String)>,
}

impl Catalog {
    /// Reads tomorrow's flights from the first airline and makes the trips of them. Tomorrow
    /// at the westernmost Brazilian capital (UTC−5): a date every airport has begun, and whose
    /// flights have not left.
    pub async fn read(api: &Api, random: &mut StdRng) -> anyhow::Result<Self> {
        let today = jiff::Timestamp::now().in_tz("America/Rio_Branco")?.date();
        let date = today.tomorrow()?.to_string();
        let first = &api.airlines()[0];
        let flights: Vec<Flight> = api
            .flights(first, &date, None)
            .await?
            .into_iter()
            .filter(|f| f.status == "scheduled" && f.seats_available > 0)
            .collect();
        anyhow::ensure!(!flights.is_empty(), "{first} lists no flight with seats on {date}");
        let connections = connections(&flights);
        let mut race_seats = Vec::new();
        for _ in 0..HOT_FLIGHTS {
            let flight = &flights[random.random_range(0..flights.len())];
            let (_, free) = api.seat_map(&flight.airline, &flight.id).await?;
            race_seats.extend(free.into_iter().map(|seat| (flight.id.clone(), seat)));
        }
        Ok(Self { date, flights, connections, race_seats })
    }
}

/// Every pair of flights of two airlines where the second leaves the first's arrival airport
/// long enough after it lands.
fn connections(flights: &[Flight]) -> Vec<(usize, usize)> {
    let instant = |text: &str| text.parse::<jiff::Timestamp>().ok();
    let mut pairs = Vec::new();
    for (i, first) in flights.iter().enumerate() {
        let Some(landed) = instant(&first.arrival) else { continue };
        for (j, second) in flights.iter().enumerate() {
            let gap_minutes = instant(&second.departure)
                .map(|leaves| leaves.duration_since(landed).as_secs() / 60);
            let connects = second.origin == first.destination
                && second.airline != first.airline
                && second.destination != first.origin
                && gap_minutes.is_some_and(|gap| {
                    (CONNECTION_MINUTES_MIN..CONNECTION_MINUTES_MAX).contains(&gap)
                });
            if connects {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

/// A customer of the campaign: a username at its home airline, logged in.
#[derive(Clone, Debug)]
pub struct Customer {
    /// The home airline, which sells to it.
    pub airline: String,
    /// Its username.
    pub username: String,
    /// Its session token.
    pub token: String,
}

/// What every worker shares.
pub struct Shared {
    /// The network.
    pub api: Api,
    /// What is bought.
    pub catalog: Catalog,
    /// The campaign's tag: its usernames, keys and passenger names start with it.
    pub tag: String,
    /// When the campaign started.
    pub start: Instant,
    /// The bounds.
    pub limits: Limits,
    /// Purchases started so far.
    pub purchases_started: AtomicUsize,
    /// Last-seat races started so far: the next race seat.
    pub races_started: AtomicUsize,
    /// Everything done so far.
    pub history: Mutex<History>,
}

impl Shared {
    /// Milliseconds since the start.
    pub fn now(&self) -> Millis {
        self.start.elapsed().as_millis() as Millis
    }

    fn done(&self) -> bool {
        self.start.elapsed() >= self.limits.duration
            || self.purchases_started.load(Ordering::Relaxed) >= self.limits.purchases_max
    }

    fn record(&self, purchase: Purchase) {
        self.history.lock().expect("no worker panics holding it").purchases.push(purchase);
    }
}

/// One worker: a customer at every airline, and its own generator.
pub struct Worker {
    number: usize,
    customers: Vec<Customer>,
    random: StdRng,
    confirmed: Vec<(usize, String)>,
}

impl Worker {
    /// Worker `number`, registering its customers.
    pub async fn new(shared: &Shared, number: usize, seed: u64) -> anyhow::Result<Self> {
        let mut customers = Vec::new();
        for airline in shared.api.airlines() {
            let username = format!("{}-w{number}-{airline}", shared.tag.to_lowercase());
            let token =
                shared.api.customer(&airline, &username, &passenger(shared, number)).await?;
            customers.push(Customer { airline, username, token });
        }
        let random = StdRng::seed_from_u64(seed.wrapping_add(number as u64 + 1));
        Ok(Self { number, customers, random, confirmed: Vec::new() })
    }

    /// Its customers.
    pub fn customers(&self) -> &[Customer] {
        &self.customers
    }

    /// Runs operations until the workload's bounds.
    pub async fn run(mut self, shared: Arc<Shared>) -> Self {
        while !shared.done() {
            match self.random.random_range(0..100) {
                0..20 => self.search(&shared).await,
                20..50 => self.buy_one_airline(&shared).await,
                50..75 => self.buy_connection(&shared).await,
                75..88 => self.race(&shared).await,
                _ => self.cancel(&shared).await,
            }
            tokio::time::sleep(shared.limits.think_time()).await;
        }
        self
    }

    async fn search(&mut self, shared: &Shared) {
        let flights = &shared.catalog.flights;
        let from = &flights[self.random.random_range(0..flights.len())];
        let to = &flights[self.random.random_range(0..flights.len())];
        let airline = self.customer().airline.clone();
        let found =
            shared.api.search(&airline, &from.origin, &to.destination, &shared.catalog.date).await;
        let mut history = shared.history.lock().expect("no worker panics holding it");
        history.searches.made += 1;
        history.searches.failed += u64::from(found.is_err());
    }

    fn customer(&mut self) -> Customer {
        self.customers[self.random.random_range(0..self.customers.len())].clone()
    }

    async fn buy_one_airline(&mut self, shared: &Shared) {
        let flights = &shared.catalog.flights;
        let flight = flights[self.random.random_range(0..flights.len())].id.clone();
        let customer = self.customer();
        self.buy(shared, &customer, vec![flight], None, PurchaseKind::OneAirline).await;
    }

    async fn buy_connection(&mut self, shared: &Shared) {
        let catalog = &shared.catalog;
        if catalog.connections.is_empty() {
            return self.buy_one_airline(shared).await;
        }
        let (first, second) =
            catalog.connections[self.random.random_range(0..catalog.connections.len())];
        let flights = vec![catalog.flights[first].id.clone(), catalog.flights[second].id.clone()];
        let customer = self.customer();
        self.buy(shared, &customer, flights, None, PurchaseKind::CrossAirline).await;
    }

    /// Every customer of this worker (one per airline) asks for the same seat at once.
    async fn race(&mut self, shared: &Shared) {
        let race = shared.races_started.fetch_add(1, Ordering::Relaxed);
        let Some((flight, seat)) = shared.catalog.race_seats.get(race).cloned() else {
            return self.buy_one_airline(shared).await;
        };
        let (customers, number) = (self.customers.clone(), self.number);
        let buyers = customers.iter().map(|customer| {
            purchase(
                shared,
                number,
                customer,
                vec![flight.clone()],
                Some(vec![seat.clone()]),
                PurchaseKind::LastSeat,
            )
        });
        for (index, reference) in
            futures_util::future::join_all(buyers).await.into_iter().enumerate()
        {
            if let Some(reference) = reference {
                self.confirmed.push((index, reference));
            }
        }
    }

    async fn buy(
        &mut self,
        shared: &Shared,
        customer: &Customer,
        flights: Vec<String>,
        seats: Option<Vec<String>>,
        kind: PurchaseKind,
    ) {
        if let Some(reference) = purchase(shared, self.number, customer, flights, seats, kind).await
        {
            let index =
                self.customers.iter().position(|c| c.username == customer.username).unwrap_or(0);
            self.confirmed.push((index, reference));
        }
    }

    async fn cancel(&mut self, shared: &Shared) {
        if self.confirmed.is_empty() {
            return self.search(shared).await;
        }
        let (index, reference) =
            self.confirmed.swap_remove(self.random.random_range(0..self.confirmed.len()));
        let customer = &self.customers[index];
        let at = shared.now();
        let path = format!("/api/v1/bookings/{reference}/cancel");
        let answer = shared
            .api
            .send(&customer.airline, Method::POST, &path, Some(&customer.token), None, None)
            .await;
        let status = answer.ok().map(|answer| answer.status.as_u16());
        let cancel = Cancel { seller: customer.airline.clone(), reference, at, status };
        shared.history.lock().expect("no worker panics holding it").cancels.push(cancel);
    }
}

/// The passenger name of worker `number`'s purchases: the tag marks them at every owner.
fn passenger(shared: &Shared, number: usize) -> String {
    format!("{} Worker {}", shared.tag, letters(number))
}

/// `number` in letters (a, b, …, z, ba, …): names want letters.
pub(crate) fn letters(mut number: usize) -> String {
    let mut text = Vec::new();
    loop {
        text.push(b'a' + (number % 26) as u8);
        number /= 26;
        if number == 0 {
            break;
        }
    }
    text.reverse();
    String::from_utf8(text).expect("ASCII letters")
}

/// Buys `flights` for `customer` and records it; the reference if confirmed.
async fn purchase(
    shared: &Shared,
    number: usize,
    customer: &Customer,
    flights: Vec<String>,
    seats: Option<Vec<String>>,
    kind: PurchaseKind,
) -> Option<String> {
    let index = shared.purchases_started.fetch_add(1, Ordering::Relaxed);
    let key = format!("{}-{index}", shared.tag.to_lowercase());
    let passenger = passenger(shared, number);
    let body = purchase_body(&flights, seats.as_deref(), &passenger);
    let started = shared.now();
    let sent = shared
        .api
        .send(
            &customer.airline,
            Method::POST,
            "/api/v1/bookings",
            Some(&customer.token),
            Some(&body),
            Some(&key),
        )
        .await;
    let answered = outcome(sent);
    let references = reference_of(&answered).into_iter().collect();
    let confirmed = match &answered {
        Outcome::Confirmed { reference } => Some(reference.clone()),
        _ => None,
    };
    shared.record(Purchase {
        key,
        seller: customer.airline.clone(),
        customer: customer.username.clone(),
        passenger,
        flights,
        seats,
        kind,
        started,
        ended: shared.now(),
        outcome: answered.clone(),
        answered,
        references,
    });
    confirmed
}

/// The body of a purchase.
pub fn purchase_body(
    flights: &[String],
    seats: Option<&[String]>,
    passenger: &str,
) -> serde_json::Value {
    let mut body = json!({"flights": flights, "passengers": [{"name": passenger}]});
    if let Some(seats) = seats {
        body["seats"] = json!(seats.iter().map(|seat| vec![seat]).collect::<Vec<_>>());
    }
    body
}

/// What an answer to a purchase says.
pub fn outcome(sent: anyhow::Result<Answer>) -> Outcome {
    let answer = match sent {
        Ok(answer) => answer,
        Err(error) => return Outcome::Unknown { error: format!("{error:#}") },
    };
    let reference = |body: &serde_json::Value| body["reference"].as_str().map(str::to_owned);
    match (answer.status, answer.code()) {
        (StatusCode::CREATED, _) => match reference(&answer.body) {
            Some(reference) => Outcome::Confirmed { reference },
            None => Outcome::Unknown { error: "201 without a reference".into() },
        },
        (StatusCode::ACCEPTED, _) => match reference(&answer.body) {
            Some(reference) => Outcome::Pending { reference },
            None => Outcome::Unknown { error: "202 without a reference".into() },
        },
        (status, Some(code))
            if status.is_client_error() || status == StatusCode::SERVICE_UNAVAILABLE =>
        {
            Outcome::Failed { code: code.to_owned(), reference: reference(&answer.body["error"]) }
        }
        (status, _) => Outcome::Unknown { error: format!("answered {status}") },
    }
}

/// The booking an outcome names.
pub fn reference_of(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Confirmed { reference } | Outcome::Pending { reference } => {
            Some(reference.clone())
        }
        Outcome::Failed { reference, .. } => reference.clone(),
        Outcome::Unknown { .. } => None,
    }
}
