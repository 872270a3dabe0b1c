//! The simulation's clients: operators who publish scarce flights, and buyers who fight over
//! their seats. Every one of them is a turmoil client host speaking the public HTTP API, so
//! what they do crosses the same faulty network as everything else.
//!
//! Seats are made scarce on purpose: each airline's operator publishes [`SCARCE_FLIGHTS`]
//! of three seats each on one route (through the admin API, so the flights are logged
//! and replicated like any other), and several buyers per airline try to buy more seats than
//! exist, some choosing their seats, some letting the airline choose, some cancelling. The
//! routes chain — Rumos flies CNF→VIX, Giro VIX→SSA, Boreal SSA→REC, each later in the day —
//! so that trips across airlines connect.
//!
//! A buyer behaves as a careful client should: every purchase carries an `Idempotency-Key`,
//! and when no answer comes back (a timeout, a reset, a 5xx) it retries with the *same* key
//! and the same body until it gets an answer or gives up at its deadline. What it is told goes
//! into the [`Ledger`](crate::ledger::Ledger) for the invariants to hold the nodes to.
//!
//! Buyers come in kinds ([`Kind`]): some buy their home airline's flights (a one-phase
//! purchase), some buy another airline's flight at home, some buy trips of two airlines'
//! flights at home — purchases of the two-phase commit, which may answer `202 pending` (the
//! buyer then reads its booking until it is decided) or fail as a whole with a reference.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};
use serde_json::{Value, json};

use crate::client::{Call, Http, Reply};
use crate::ledger::{SharedLedger, Trace};
use crate::world::{ADMIN_TOKEN, AIRLINES, url};

/// The date the scarce flights fly (the day after the simulation's epoch).
pub const SCARCE_DATE: &str = "2026-12-02";

/// Rows and seat letters of a scarce flight's cabin.
const SCARCE_CABIN: (u8, &str) = (1, "ABC");

/// Flight numbers of each airline's scarce flights (the generated schedule stays below 2000).
pub const SCARCE_FLIGHTS: [u16; 2] = [7001, 7002];

/// An airline's scarce route, in one time zone (UTC−3).
struct ScarceRoute {
    designator: &'static str,
    origin: &'static str,
    destination: &'static str,
    /// The first scarce flight's hour of departure; the second leaves 4 hours later.
    first_hour: usize,
}

/// Each airline's scarce route. They chain, with 110 minutes to connect (interline minimum:
/// 90): a Rumos flight connects to a Giro flight of its number or later, and so on.
fn scarce_route(airline: &str) -> ScarceRoute {
    let (designator, origin, destination, first_hour) = match airline {
        "rumos" => ("RU", "CNF", "VIX", 8),
        "giro" => ("GI", "VIX", "SSA", 11),
        _ => ("BO", "SSA", "REC", 14),
    };
    ScarceRoute { designator, origin, destination, first_hour }
}

/// The id of `airline`'s scarce flight `number`.
pub fn scarce_flight_id(airline: &str, number: u16) -> String {
    format!("{}{number}-{SCARCE_DATE}", scarce_route(airline).designator)
}

/// The airline after `airline` in [`AIRLINES`] order, round.
fn next_airline(airline: &str) -> &'static str {
    let index = AIRLINES.iter().position(|(id, _)| *id == airline).unwrap_or(0);
    AIRLINES[(index + 1) % AIRLINES.len()].0
}

/// Codes of a purchase across airlines that failed as a whole: the answer names the failed
/// booking, and nothing was bought on any leg.
const FAILURE_CODES: [&str; 6] = [
    "seat_unavailable",
    "flight_cancelled",
    "flight_departed",
    "flight_not_found",
    "airline_unavailable",
    "purchase_interrupted",
];

/// How long a client waits between two tries of one call.
fn backoff(rng: &mut StdRng, attempt: u32) -> Duration {
    let base = 150u64 << attempt.min(3);
    Duration::from_millis(base + rng.random_range(0..base))
}

/// Whether the simulated time is past `deadline`.
fn past(deadline: Duration) -> bool {
    turmoil::sim_elapsed().unwrap_or_default() >= deadline
}

/// Sleeps a random time in `range_ms`.
async fn pause(rng: &mut StdRng, range_ms: std::ops::Range<u64>) {
    tokio::time::sleep(Duration::from_millis(rng.random_range(range_ms))).await;
}

/// What every client shares: where to write, when to stop.
#[derive(Clone)]
pub struct Shared {
    /// The run's trace.
    pub trace: Trace,
    /// What buyers were told.
    pub ledger: SharedLedger,
    /// Simulated time after which clients start nothing new and stop retrying.
    pub deadline: Duration,
}

/// An airline's operator: publishes its scarce flights, then edits one's fare once.
pub async fn operate(
    airline: &'static str,
    port: u16,
    seed: u64,
    shared: Shared,
) -> turmoil::Result {
    let mut rng = StdRng::seed_from_u64(seed);
    let http = Http::new();
    let base = url(airline, port);
    let route = scarce_route(airline);
    for (index, number) in SCARCE_FLIGHTS.into_iter().enumerate() {
        let hour = route.first_hour + 4 * index;
        let body = json!({
            "number": number,
            "origin": route.origin,
            "destination": route.destination,
            "departure": format!("{SCARCE_DATE}T{hour:02}:00:00-03:00"),
            "arrival": format!("{SCARCE_DATE}T{:02}:10:00-03:00", hour + 1),
            "price": 45_000 + 5_000 * index as i64,
            "cabin": {"rows": SCARCE_CABIN.0, "letters": SCARCE_CABIN.1},
        });
        let call = || Call::post(format!("{base}/api/v1/admin/flights"), body.clone());
        let done =
            |reply: &Reply| matches!(reply, Reply::Answered(201, _) | Reply::Answered(409, _));
        let reply = retry(&http, &mut rng, &shared, call, done).await;
        shared.trace.now(format!("operator {airline}: publish {number} → {}", reply.summary()));
    }
    pause(&mut rng, 1000..6000).await;
    edit_fare(&http, &mut rng, &shared, &base, &scarce_flight_id(airline, SCARCE_FLIGHTS[0])).await;
    Ok(())
}

/// Raises a flight's fare by R$ 10, at the version it has now.
async fn edit_fare(http: &Http, rng: &mut StdRng, shared: &Shared, base: &str, id: &str) {
    let flight_url = format!("{base}/api/v1/flights/{id}");
    let read = retry(http, rng, shared, || Call::get(flight_url.clone()), is_answered).await;
    let Reply::Answered(200, flight) = read else { return };
    let (Some(version), Some(price)) = (flight["version"].as_u64(), flight["price"].as_i64())
    else {
        return;
    };
    let edit = || {
        Call::put(format!("{base}/api/v1/admin/flights/{id}"), json!({"price": price + 1000}))
            .if_match(version)
    };
    let reply = retry(http, rng, shared, edit, is_answered).await;
    shared.trace.now(format!("operator: fare of {id} at version {version} → {}", reply.summary()));
}

/// Whether an answer came (anything but a lost call or a 5xx, which a client retries).
fn is_answered(reply: &Reply) -> bool {
    matches!(reply, Reply::Answered(status, _) if *status < 500)
}

/// Sends `call()` (as the admin) until `done` says its reply is final or the deadline passes.
async fn retry<'a>(
    http: &Http,
    rng: &mut StdRng,
    shared: &Shared,
    call: impl Fn() -> Call<'a>,
    done: impl Fn(&Reply) -> bool,
) -> Reply {
    let mut attempt = 0;
    loop {
        let reply = http.send(call().bearer(ADMIN_TOKEN)).await;
        if done(&reply) || past(shared.deadline) {
            return reply;
        }
        tokio::time::sleep(backoff(rng, attempt)).await;
        attempt += 1;
    }
}

/// What a buyer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Buys its home airline's scarce flights from its home airline: the seller is the owner,
    /// the only participant (a one-phase commit).
    Local,
    /// Buys the next airline's scarce flights from its home airline: the seller coordinates,
    /// the owner is the only participant.
    Foreign,
    /// Buys a trip of two connecting scarce flights — Rumos then Giro, or Giro then Boreal —
    /// from its home airline, which may fly one of them or neither.
    Trip,
}

/// A buyer: a customer of its home airline.
pub struct Buyer {
    /// Its username, also its host name.
    pub name: String,
    /// Its home airline, and that airline's port.
    pub home: (&'static str, u16),
    /// What it does.
    pub kind: Kind,
    /// How many purchases it tries.
    pub purchases: usize,
    /// Its own randomness.
    pub rng: StdRng,
}

impl Buyer {
    /// Runs the buyer: an account, then its purchases, until done or past the deadline.
    pub async fn run(mut self, shared: Shared) -> turmoil::Result {
        let http = Http::new();
        pause(&mut self.rng, 300..4000).await;
        let Some(mut token) = self.sign_in(&http, &shared).await else { return Ok(()) };
        for number in 0..self.purchases {
            pause(&mut self.rng, 100..1500).await;
            if past(shared.deadline) {
                break;
            }
            let airlines = self.trip_airlines();
            self.buy(&http, &shared, &mut token, number, &airlines).await;
        }
        Ok(())
    }

    fn base(&self) -> String {
        url(self.home.0, self.home.1)
    }

    /// Registers (a retried registration may find the name taken: by itself) and logs in.
    async fn sign_in(&mut self, http: &Http, shared: &Shared) -> Option<String> {
        let account = json!({"username": self.name, "password": "a fine password", "name": "Simulated Buyer"});
        let url = format!("{}/api/v1/auth/register", self.base());
        let reply =
            self.until_answered(http, shared, || Call::post(url.clone(), account.clone())).await;
        shared.trace.now(format!("{}: register → {}", self.name, reply.summary()));
        self.log_in(http, shared).await
    }

    async fn log_in(&mut self, http: &Http, shared: &Shared) -> Option<String> {
        let credentials = json!({"username": self.name, "password": "a fine password"});
        let url = format!("{}/api/v1/auth/login", self.base());
        let reply = self
            .until_answered(http, shared, || Call::post(url.clone(), credentials.clone()))
            .await;
        shared.trace.now(format!("{}: login → {}", self.name, reply.summary()));
        match reply {
            Reply::Answered(200, body) => body["token"].as_str().map(str::to_owned),
            _ => None,
        }
    }

    /// Sends `call()` until an answer that is not a 5xx comes back, or the deadline passes.
    async fn until_answered<'a>(
        &mut self,
        http: &Http,
        shared: &Shared,
        call: impl Fn() -> Call<'a>,
    ) -> Reply {
        let mut attempt = 0;
        loop {
            let reply = http.send(call()).await;
            if is_answered(&reply) || past(shared.deadline) {
                return reply;
            }
            tokio::time::sleep(backoff(&mut self.rng, attempt)).await;
            attempt += 1;
        }
    }

    /// The airlines whose scarce flights its next purchase flies, in travel order.
    fn trip_airlines(&mut self) -> Vec<&'static str> {
        let home = self.home.0;
        match self.kind {
            Kind::Local => vec![home],
            Kind::Foreign => vec![next_airline(home)],
            Kind::Trip if self.rng.random_bool(0.5) => vec!["rumos", "giro"],
            Kind::Trip => vec!["giro", "boreal"],
        }
    }

    /// Searches each leg's scarce flights at its home airline and buys seats on a trip of
    /// them, retrying with one key; cancels now and then what it bought.
    async fn buy(
        &mut self,
        http: &Http,
        shared: &Shared,
        token: &mut String,
        number: usize,
        airlines: &[&'static str],
    ) {
        let mut flights: Vec<String> = Vec::new();
        for &airline in airlines {
            let route = scarce_route(airline);
            let search = format!(
                "{}/api/v1/flights?origin={}&destination={}&date={SCARCE_DATE}",
                self.base(),
                route.origin,
                route.destination
            );
            let found = self.until_answered(http, shared, || Call::get(search.clone())).await;
            // A connecting flight leaves no earlier in the list than the one before it.
            let earliest = flights.last().map_or(0, |id| flight_number(id));
            let Some(flight) = self.choose_flight(&found, airline, earliest) else {
                shared.trace.now(format!(
                    "{}: search {airline} → {}, nothing to buy",
                    self.name,
                    found.summary()
                ));
                return;
            };
            flights.push(flight);
        }
        let body = self.order(&flights);
        let key = format!("{}-{number}", self.name);
        let booking = self.purchase(http, shared, token, &body, &key).await;
        if let Some(reference) = booking
            && self.rng.random_bool(0.3)
        {
            pause(&mut self.rng, 100..2000).await;
            self.cancel(http, shared, token, &reference).await;
        }
    }

    /// One of `airline`'s scarce flights numbered `earliest` or later from a search answer,
    /// preferring those with seats.
    fn choose_flight(&mut self, found: &Reply, airline: &str, earliest: u16) -> Option<String> {
        let Reply::Answered(200, body) = found else { return None };
        let scarce_ids: Vec<String> = SCARCE_FLIGHTS
            .into_iter()
            .filter(|number| *number >= earliest)
            .map(|number| scarce_flight_id(airline, number))
            .collect();
        let scarce: Vec<&Value> = body["flights"]
            .as_array()?
            .iter()
            .filter(|flight| scarce_ids.iter().any(|id| flight["id"] == id.as_str()))
            .collect();
        let with_seats: Vec<&&Value> =
            scarce.iter().filter(|flight| flight["seats_available"].as_u64() > Some(0)).collect();
        // Now and then a buyer tries a flight that looks full: replicated counts are hints.
        let pool: Vec<&Value> = if with_seats.is_empty() || self.rng.random_bool(0.1) {
            scarce
        } else {
            with_seats.into_iter().copied().collect()
        };
        let flight = pool.get(self.rng.random_range(0..pool.len().max(1)))?;
        flight["id"].as_str().map(str::to_owned)
    }

    /// A purchase of `flights` for one or two passengers, choosing seats or not.
    fn order(&mut self, flights: &[String]) -> Value {
        let passengers = self.rng.random_range(1..=2);
        let names: Vec<Value> = (0..passengers)
            .map(|p| json!({"name": format!("Passenger {p} of {}", self.name)}))
            .collect();
        if self.rng.random_bool(0.5) {
            return json!({"flights": flights, "passengers": names});
        }
        let letters: Vec<char> = SCARCE_CABIN.1.chars().collect();
        let seats: Vec<Vec<String>> = flights
            .iter()
            .map(|_| {
                let first = self.rng.random_range(0..letters.len());
                (0..passengers)
                    .map(|p| format!("{}{}", SCARCE_CABIN.0, letters[(first + p) % letters.len()]))
                    .collect()
            })
            .collect();
        json!({"flights": flights, "passengers": names, "seats": seats})
    }

    /// Buys `body` with `key`, retrying with the same key and body until a final answer.
    async fn purchase(
        &mut self,
        http: &Http,
        shared: &Shared,
        token: &mut String,
        body: &Value,
        key: &str,
    ) -> Option<String> {
        let url = format!("{}/api/v1/bookings", self.base());
        let mut attempt = 0;
        loop {
            let call = Call::post(url.clone(), body.clone()).bearer(token).idempotency_key(key);
            let reply = http.send(call).await;
            shared.trace.now(format!(
                "{}: buy {key} {} → {}",
                self.name,
                body["flights"],
                reply.summary()
            ));
            match &reply {
                Reply::Answered(201, answer) => return self.confirmed(shared, key, answer),
                Reply::Answered(202, answer) => {
                    return self.follow(http, shared, token, key, answer).await;
                }
                Reply::Answered(401, _) => {
                    // The session is gone (it should not be): sign in again, keep the key.
                    *token = self.log_in(http, shared).await?;
                }
                // A purchase that failed as a whole (409, or 503 when an airline could not be
                // reached) names its booking: final for this key, which answers the same again.
                Reply::Answered(_, answer) if answer["error"]["reference"].is_string() => {
                    self.failed(shared, key, &reply, answer);
                    return None;
                }
                Reply::Answered(409, _) if reply.code() == Some("seat_unavailable") => return None,
                Reply::Answered(status, _) if *status < 500 => {
                    self.unexpected(shared, key, &reply);
                    return None;
                }
                _ => {}
            }
            if past(shared.deadline) {
                return None;
            }
            tokio::time::sleep(backoff(&mut self.rng, attempt)).await;
            attempt += 1;
        }
    }

    /// Reads a pending booking until it is decided or the deadline passes; its reference if
    /// it was confirmed.
    async fn follow(
        &mut self,
        http: &Http,
        shared: &Shared,
        token: &str,
        key: &str,
        pending: &Value,
    ) -> Option<String> {
        let reference = pending["reference"].as_str().unwrap_or_default().to_owned();
        self.answered(shared, key, &reference);
        let url = format!("{}/api/v1/bookings/{reference}", self.base());
        let mut attempt = 0;
        loop {
            tokio::time::sleep(backoff(&mut self.rng, attempt)).await;
            attempt += 1;
            let reply = http.send(Call::get(url.clone()).bearer(token)).await;
            let status = match &reply {
                Reply::Answered(200, booking) => booking["status"].as_str().unwrap_or_default(),
                _ => "",
            };
            shared.trace.now(format!(
                "{}: read {reference} → {} {status}",
                self.name,
                reply.summary()
            ));
            match (&reply, status) {
                (Reply::Answered(200, booking), "confirmed") => {
                    return self.told_confirmed(shared, key, booking);
                }
                (Reply::Answered(200, booking), "failed") => {
                    self.told_failed(shared, &reference, &booking["failure"]["code"]);
                    return None;
                }
                (Reply::Answered(200, _), "pending") | (Reply::Lost(_), _) => {}
                (Reply::Answered(status, _), _) if *status >= 500 => {}
                _ => {
                    self.unexpected(shared, key, &reply);
                    return None;
                }
            }
            if past(shared.deadline) {
                return None;
            }
        }
    }

    /// Records that `key` was answered with booking `reference`.
    fn answered(&self, shared: &Shared, key: &str, reference: &str) {
        let seller = self.home.0.to_owned();
        let mut ledger = shared.ledger.lock().expect("never poisoned");
        let answers = ledger.answers.entry((seller, self.name.clone(), key.into()));
        answers.or_default().push(reference.to_owned());
        ledger.changes += 1;
    }

    /// Records a purchase that failed as a whole, as a 409 naming its booking said.
    fn failed(&self, shared: &Shared, key: &str, reply: &Reply, answer: &Value) {
        let reference = answer["error"]["reference"].as_str().unwrap_or_default();
        if !reply.code().is_some_and(|code| FAILURE_CODES.contains(&code)) {
            self.unexpected(shared, key, reply);
            return;
        }
        self.answered(shared, key, reference);
        self.told_failed(shared, reference, &answer["error"]["code"]);
    }

    /// Records that booking `reference` was told failed, with `code`.
    fn told_failed(&self, shared: &Shared, reference: &str, code: &Value) {
        let seller = self.home.0.to_owned();
        let mut ledger = shared.ledger.lock().expect("never poisoned");
        ledger.failed.insert((seller, reference.to_owned()), format!("{} ({code})", self.name));
        ledger.changes += 1;
    }

    /// Records a booking a 201 confirmed; its reference.
    fn confirmed(&self, shared: &Shared, key: &str, answer: &Value) -> Option<String> {
        self.answered(shared, key, answer["reference"].as_str().unwrap_or_default());
        self.told_confirmed(shared, key, answer)
    }

    /// Records that `booking` was told confirmed (by a 201, or when read after a 202); its
    /// reference.
    fn told_confirmed(&self, shared: &Shared, key: &str, booking: &Value) -> Option<String> {
        let reference = booking["reference"].as_str().unwrap_or_default().to_owned();
        let seller = self.home.0.to_owned();
        let mut ledger = shared.ledger.lock().expect("never poisoned");
        if booking["status"] != "confirmed" {
            ledger.violations.push(format!(
                "{}: {key} told confirmed with status {}",
                self.name, booking["status"]
            ));
        }
        ledger.confirmed.insert((seller, reference.clone()), self.name.clone());
        ledger.changes += 1;
        Some(reference)
    }

    /// Records an answer no correct node gives to this buyer's requests.
    fn unexpected(&self, shared: &Shared, key: &str, reply: &Reply) {
        let line = format!("{}: unexpected answer to {key}: {}", self.name, reply.summary());
        let mut ledger = shared.ledger.lock().expect("never poisoned");
        ledger.violations.push(line);
        ledger.changes += 1;
    }

    /// Cancels `reference`, retrying until answered.
    async fn cancel(&mut self, http: &Http, shared: &Shared, token: &str, reference: &str) {
        let seller = self.home.0.to_owned();
        let asked = (seller, reference.to_owned());
        {
            let mut ledger = shared.ledger.lock().expect("never poisoned");
            ledger.cancelling.insert(asked);
            ledger.changes += 1;
        }
        let url = format!("{}/api/v1/bookings/{reference}/cancel", self.base());
        let reply = self
            .until_answered(http, shared, || Call::post(url.clone(), json!({})).bearer(token))
            .await;
        shared.trace.now(format!("{}: cancel {reference} → {}", self.name, reply.summary()));
        if !matches!(reply, Reply::Answered(200, _) | Reply::Lost(_)) && !past(shared.deadline) {
            self.unexpected(shared, reference, &reply);
        }
    }
}

/// The number of a scarce flight id (`GI7002-2026-12-02` → 7002).
fn flight_number(id: &str) -> u16 {
    let digits: String = id
        .chars()
        .skip_while(|c| c.is_ascii_alphabetic())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or(0)
}
