//! The simulation's clients: operators who publish scarce flights, and buyers who fight over
//! their seats. Every one of them is a turmoil client host speaking the public HTTP API, so
//! what they do crosses the same faulty network as everything else.
//!
//! Seats are made scarce on purpose: each airline's operator publishes [`SCARCE_FLIGHTS`]
//! of three seats each on one route (through the admin API, so the flights are logged
//! and replicated like any other), and several buyers per airline try to buy more seats than
//! exist, some choosing their seats, some letting the airline choose, some cancelling.
//!
//! A buyer behaves as a careful client should: every purchase carries an `Idempotency-Key`,
//! and when no answer comes back (a timeout, a reset, a 5xx) it retries with the *same* key
//! and the same body until it gets an answer or gives up at its deadline. What it is told goes
//! into the [`Ledger`](crate::ledger::Ledger) for the invariants to hold the nodes to.
//!
//! Buyers come in kinds ([`Kind`]); today one kind buys from the airline that flies the
//! flight. The two-phase commit will add buyers of trips across airlines, bought at one
//! airline and flown by others.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};
use serde_json::{Value, json};

use crate::client::{Call, Http, Reply};
use crate::ledger::{SharedLedger, Trace};
use crate::world::{ADMIN_TOKEN, url};

/// The date the scarce flights fly (the day after the simulation's epoch).
pub const SCARCE_DATE: &str = "2026-12-02";

/// Rows and seat letters of a scarce flight's cabin.
const SCARCE_CABIN: (u8, &str) = (1, "ABC");

/// Flight numbers of each airline's scarce flights (the generated schedule stays below 2000).
pub const SCARCE_FLIGHTS: [u16; 2] = [7001, 7002];

/// Each airline's scarce route: a route it does not otherwise fly, in one time zone (UTC−3).
fn scarce_route(airline: &str) -> (&'static str, &'static str, &'static str) {
    match airline {
        "rumos" => ("RU", "CNF", "VIX"),
        "giro" => ("GI", "GYN", "PMW"),
        _ => ("BO", "NAT", "JPA"),
    }
}

/// The id of `airline`'s scarce flight `number`.
pub fn scarce_flight_id(airline: &str, number: u16) -> String {
    let (designator, _, _) = scarce_route(airline);
    format!("{designator}{number}-{SCARCE_DATE}")
}

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
    let (_, origin, destination) = scarce_route(airline);
    for (index, number) in SCARCE_FLIGHTS.into_iter().enumerate() {
        let hour = 8 + 4 * index;
        let body = json!({
            "number": number,
            "origin": origin,
            "destination": destination,
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
            match self.kind {
                Kind::Local => self.buy_local(&http, &shared, &mut token, number).await,
            }
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

    /// Searches its airline's scarce flights and buys seats on one, retrying with one key.
    async fn buy_local(&mut self, http: &Http, shared: &Shared, token: &mut String, number: usize) {
        let (airline, _) = self.home;
        let (_, origin, destination) = scarce_route(airline);
        let search = format!(
            "{}/api/v1/flights?origin={origin}&destination={destination}&date={SCARCE_DATE}",
            self.base()
        );
        let found = self.until_answered(http, shared, || Call::get(search.clone())).await;
        let Some(flight) = self.choose_flight(&found) else {
            shared.trace.now(format!(
                "{}: search → {}, nothing to buy",
                self.name,
                found.summary()
            ));
            return;
        };
        let body = self.order(&flight);
        let key = format!("{}-{number}", self.name);
        let booking = self.purchase(http, shared, token, &body, &key).await;
        if let Some(reference) = booking
            && self.rng.random_bool(0.3)
        {
            pause(&mut self.rng, 100..2000).await;
            self.cancel(http, shared, token, &reference).await;
        }
    }

    /// One of its airline's scarce flights from a search answer, preferring those with seats.
    fn choose_flight(&mut self, found: &Reply) -> Option<String> {
        let Reply::Answered(200, body) = found else { return None };
        let scarce: Vec<&Value> = body["flights"]
            .as_array()?
            .iter()
            .filter(|flight| flight["airline"] == self.home.0)
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

    /// A purchase of `flight` for one or two passengers, choosing seats or not.
    fn order(&mut self, flight: &str) -> Value {
        let passengers = self.rng.random_range(1..=2);
        let names: Vec<Value> = (0..passengers)
            .map(|p| json!({"name": format!("Passenger {p} of {}", self.name)}))
            .collect();
        if self.rng.random_bool(0.5) {
            return json!({"flights": [flight], "passengers": names});
        }
        let letters: Vec<char> = SCARCE_CABIN.1.chars().collect();
        let first = self.rng.random_range(0..letters.len());
        let seats: Vec<String> = (0..passengers)
            .map(|p| format!("{}{}", SCARCE_CABIN.0, letters[(first + p) % letters.len()]))
            .collect();
        json!({"flights": [flight], "passengers": names, "seats": [seats]})
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
                body["flights"][0],
                reply.summary()
            ));
            match &reply {
                Reply::Answered(201, answer) => return self.confirmed(shared, key, answer),
                Reply::Answered(401, _) => {
                    // The session is gone (it should not be): sign in again, keep the key.
                    *token = self.log_in(http, shared).await?;
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

    /// Records a confirmed booking; its reference.
    fn confirmed(&self, shared: &Shared, key: &str, answer: &Value) -> Option<String> {
        let reference = answer["reference"].as_str().unwrap_or_default().to_owned();
        let seller = self.home.0.to_owned();
        let mut ledger = shared.ledger.lock().expect("never poisoned");
        let answers = ledger.answers.entry((seller.clone(), self.name.clone(), key.into()));
        answers.or_default().push(reference.clone());
        if answer["status"] != "confirmed" {
            ledger
                .violations
                .push(format!("{}: 201 for {key} with status {}", self.name, answer["status"]));
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
