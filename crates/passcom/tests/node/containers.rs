//! The reference network in containers (`compose.yaml`), driven through its published ports:
//! a trip across the three airlines, then Rumos's container killed (`docker kill`: SIGKILL)
//! during a stream of purchases at all three and started again; every confirmed booking is
//! still there and no seat is sold twice; and all of it is still there after `docker compose
//! down` and `up` (the volumes). `scripts/test-containers` brings the containers up and runs
//! this test (`./scripts/test` does); without it the test is ignored.
//!
//! ```text
//! scripts/test-containers      # up --build --wait, this test, down -v
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Answer, answer};

/// The airline whose container is killed; the stream buys its flights at every seller, so it
/// crashes both as a seller and as the owner of flights other airlines are selling.
const VICTIM: &str = "rumos";
/// Purchases in flight at once, per seller.
const BUYERS_PER_SELLER: usize = 2;
/// Purchases each buyer makes at most.
const PURCHASES_PER_BUYER_MAX: usize = 40;
/// Confirmed purchases before the kill, and after the restart before the stream stops.
const CONFIRMED_BEFORE_KILL: usize = 20;
const CONFIRMED_AFTER_RESTART: usize = 10;

/// The containers of this run, reached through their published ports.
struct Containers {
    project: String,
    urls: BTreeMap<String, String>,
    client: reqwest::Client,
}

impl Containers {
    /// The run this test is part of: `CONTAINERS_TEST_PROJECT` names the compose project and
    /// `CONTAINERS_TEST_URLS` the airlines' published URLs (`rumos=http://127.0.0.1:17777,…`).
    fn of_this_run() -> Self {
        let project = std::env::var("CONTAINERS_TEST_PROJECT")
            .expect("run by scripts/test-containers, which sets CONTAINERS_TEST_PROJECT");
        let urls = std::env::var("CONTAINERS_TEST_URLS").expect("CONTAINERS_TEST_URLS");
        let urls = urls
            .split(',')
            .map(|pair| pair.split_once('=').expect("airline=url"))
            .map(|(airline, url)| (airline.to_owned(), url.to_owned()))
            .collect();
        let client = reqwest::Client::builder().timeout(Duration::from_secs(15)).build().unwrap();
        Self { project, urls, client }
    }

    fn airlines(&self) -> impl Iterator<Item = &str> {
        self.urls.keys().map(String::as_str)
    }

    fn container(&self, airline: &str) -> String {
        format!("{}-{airline}-1", self.project)
    }

    /// `docker <words…> <airline's container>`.
    fn docker(&self, words: &[&str], airline: &str) -> String {
        let output = Command::new("docker")
            .args(words)
            .arg(self.container(airline))
            .output()
            .expect("docker runs");
        assert!(output.status.success(), "docker {words:?} {airline}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }

    /// `docker compose <words…>` on this run's project.
    fn compose(&self, words: &[&str]) {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../compose.yaml");
        let status = Command::new("docker")
            .args(["compose", "--file", file, "--project-name", &self.project])
            .args(words)
            .status()
            .expect("docker runs");
        assert!(status.success(), "docker compose {words:?}");
    }

    /// Checks that every `confirmed` purchase is still confirmed at its seller with the same
    /// seats, and that no seat is in two of them; answers their seats: (flight, seat) →
    /// reference.
    async fn check_confirmed(&self, confirmed: &[&Purchase]) -> BTreeMap<(String, String), String> {
        let mut seats = BTreeMap::new();
        for purchase in confirmed {
            let reference = purchase.answer.body["reference"].as_str().unwrap();
            let path = format!("/api/v1/bookings/{reference}");
            let stored = self.get(&purchase.seller, &path, Some(&purchase.token)).await;
            assert_eq!(stored.status, StatusCode::OK, "{reference} at {}", purchase.seller);
            assert_eq!(stored.body["status"], "confirmed", "{stored:?}");
            assert_eq!(stored.body["segments"], purchase.answer.body["segments"], "{reference}");
            for segment in purchase.answer.body["segments"].as_array().unwrap() {
                let text = |field: &str| segment[field].as_str().unwrap().to_owned();
                let seat = (text("flight"), text("seat"));
                let other = seats.insert(seat.clone(), reference.to_owned());
                assert!(other.is_none(), "{seat:?} sold to {reference} and {other:?}");
            }
        }
        seats
    }

    /// The admin token the airline generated into its volume on first start.
    fn admin_token(&self, airline: &str) -> String {
        let container = self.container(airline);
        let output = Command::new("docker")
            .args(["exec", &container, "cat", "/data/admin-token"])
            .output()
            .expect("docker runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer, reqwest::Error> {
        Ok(answer(request.send().await?).await)
    }

    async fn get(&self, airline: &str, path: &str, token: Option<&str>) -> Answer {
        let mut request = self.client.get(format!("{}{path}", self.urls[airline]));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        self.send(request).await.unwrap_or_else(|error| panic!("{airline} answers: {error}"))
    }

    /// One of the original's users, logged in at `airline`.
    async fn login(&self, airline: &str, username: &str, password: &str) -> String {
        let credentials = json!({"username": username, "password": password});
        let url = format!("{}/api/v1/auth/login", self.urls[airline]);
        let login = self.send(self.client.post(url).json(&credentials)).await.unwrap();
        assert_eq!(login.status, StatusCode::OK, "{login:?}");
        login.body["token"].as_str().expect("a session token").to_owned()
    }

    /// Buys `flights` for one passenger at `airline`; `Err` when the seller did not answer.
    async fn buy(
        &self,
        airline: &str,
        token: &str,
        flights: &[String],
        key: &str,
    ) -> Result<Answer, reqwest::Error> {
        let request = self
            .client
            .post(format!("{}/api/v1/bookings", self.urls[airline]))
            .bearer_auth(token)
            .header("idempotency-key", key)
            .json(&json!({"flights": flights, "passengers": [{"name": "Ana Ferreira"}]}));
        self.send(request).await
    }

    /// Whether `airline` answers and sees every other airline online.
    async fn connected(&self, airline: &str) -> bool {
        let url = format!("{}/api/v1/network", self.urls[airline]);
        let Ok(network) = self.send(self.client.get(url)).await else { return false };
        let peers = network.body["peers"].as_array().cloned().unwrap_or_default();
        let online = peers.iter().filter(|peer| peer["status"] == "online").count();
        online == self.urls.len() - 1
    }

    /// The original's chain Rio Branco → Maceió → Manaus → Macapá tomorrow (Giro, Boreal,
    /// Rumos), as `airline` finds it, if it lists it bookable.
    async fn chain(&self, airline: &str) -> Option<Vec<String>> {
        let query = format!(
            "/api/v1/itineraries?origin=RBR&destination=MCP&date={}&departure_from=05:00&departure_until=07:00",
            tomorrow()
        );
        let answer = self.get(airline, &query, None).await;
        let itineraries = answer.body["itineraries"].as_array()?;
        let chain = itineraries.iter().find(|itinerary| {
            itinerary["legs"].as_array().unwrap().len() == 3 && itinerary["bookable"] == true
        })?;
        let legs = chain["legs"].as_array()?.iter();
        Some(legs.map(|leg| leg["id"].as_str().unwrap().to_owned()).collect())
    }

    /// A few of `owner`'s full-size flights tomorrow, to spread the stream over.
    async fn flights_of(&self, owner: &str) -> Vec<String> {
        let flights = self.get(owner, "/api/v1/flights?limit=1000", None).await;
        let flights = flights.body["flights"].as_array().unwrap().iter();
        let tomorrow = tomorrow().to_string();
        let theirs = flights.filter(|flight| {
            flight["airline"] == owner
                && flight["capacity"] == 180
                && flight["id"].as_str().unwrap().ends_with(&tomorrow)
        });
        theirs.take(4).map(|flight| flight["id"].as_str().unwrap().to_owned()).collect()
    }

    /// The owner's record of the seats sold on its `flight`: seat → seller's reference.
    async fn sold_seats(&self, owner: &str, flight: &str, token: &str) -> BTreeMap<String, String> {
        let path = format!("/api/v1/admin/flights/{flight}/segments");
        let answer = self.get(owner, &path, Some(token)).await;
        assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
        let segments = answer.body["segments"].as_array().unwrap().iter();
        let sold = segments.filter(|segment| segment["state"] == "sold");
        sold.map(|segment| {
            let reference = segment["reference"].as_str().unwrap_or("none").to_owned();
            (segment["seat"].as_str().unwrap().to_owned(), reference)
        })
        .collect()
    }
}

fn tomorrow() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("America/Sao_Paulo").unwrap().date().tomorrow().unwrap()
}

/// Waits up to `limit` for `condition`.
async fn wait_until<F, Fut>(what: &str, limit: Duration, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    while !condition().await {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A purchase the stream made and what its seller answered.
struct Purchase {
    seller: String,
    token: String,
    answer: Answer,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the containers of scripts/test-containers"]
async fn a_killed_airline_container_loses_no_confirmed_booking_and_sells_no_seat_twice() {
    let containers = Containers::of_this_run();
    for airline in containers.airlines() {
        wait_until(&format!("{airline} sees the others online"), Duration::from_secs(60), || {
            containers.connected(airline)
        })
        .await;
    }

    // A trip across the three airlines, bought through Giro's published port.
    wait_until("giro lists the chain bookable", Duration::from_secs(60), || async {
        containers.chain("giro").await.is_some()
    })
    .await;
    let chain = containers.chain("giro").await.unwrap();
    let buyer = containers.login("giro", "anaferreira", "senhaSegura321").await;
    let trip = containers.buy("giro", &buyer, &chain, "containers-trip").await.unwrap();
    assert_eq!(trip.status, StatusCode::CREATED, "{trip:?}");
    let airlines: BTreeSet<_> = trip.body["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|segment| segment["airline"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(airlines.len(), 3, "the trip crosses the three airlines: {trip:?}");

    // A stream of purchases of the victim's flights at every seller, racing its kill.
    let flights = containers.flights_of(VICTIM).await;
    assert!(!flights.is_empty(), "{VICTIM} flies tomorrow");
    let mut buyers = Vec::new();
    for seller in containers.airlines() {
        let token = containers.login(seller, "anaferreira", "senhaSegura321").await;
        for _ in 0..BUYERS_PER_SELLER {
            buyers.push((seller.to_owned(), token.clone()));
        }
    }
    let confirmed = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let purchases = Mutex::new(Vec::new());
    let stream = buyers.iter().enumerate().map(|(b, (seller, token))| {
        let (containers, flights, confirmed, stop, purchases) =
            (&containers, &flights, &confirmed, &stop, &purchases);
        async move {
            for i in 0..PURCHASES_PER_BUYER_MAX {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let flight = flights[(b + i) % flights.len()].clone();
                let key = format!("stream-{b}-{i}");
                match containers.buy(seller, token, &[flight], &key).await {
                    Ok(answer) => {
                        if answer.status == StatusCode::CREATED {
                            confirmed.fetch_add(1, Ordering::SeqCst);
                        }
                        let purchase =
                            Purchase { seller: seller.clone(), token: token.clone(), answer };
                        purchases.lock().unwrap().push(purchase);
                    }
                    // The seller is down: wait a little instead of spinning.
                    Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
                }
            }
        }
    });
    let kill = async {
        let count = || async { confirmed.load(Ordering::SeqCst) >= CONFIRMED_BEFORE_KILL };
        wait_until("confirmations before the kill", Duration::from_secs(60), count).await;
        containers.docker(&["kill"], VICTIM);
        let before_restart = confirmed.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_secs(1)).await;
        containers.docker(&["start"], VICTIM);
        wait_until(&format!("{VICTIM} back and connected"), Duration::from_secs(60), || {
            containers.connected(VICTIM)
        })
        .await;
        let after = || async {
            confirmed.load(Ordering::SeqCst) >= before_restart + CONFIRMED_AFTER_RESTART
        };
        wait_until("confirmations after the restart", Duration::from_secs(60), after).await;
        stop.store(true, Ordering::SeqCst);
    };
    let ((), _) = tokio::join!(kill, join_all(stream));
    let purchases = purchases.into_inner().unwrap();

    // Every confirmed booking is still confirmed at its seller, with the same seats; no seat is
    // in two of them; and each is sold at its owner to that booking.
    let confirmed: Vec<&Purchase> =
        purchases.iter().filter(|p| p.answer.status == StatusCode::CREATED).collect();
    assert!(confirmed.len() >= CONFIRMED_BEFORE_KILL + CONFIRMED_AFTER_RESTART);
    let seats = containers.check_confirmed(&confirmed).await;
    let token = containers.admin_token(VICTIM);
    for flight in &flights {
        let sold = containers.sold_seats(VICTIM, flight, &token).await;
        let booked = seats.iter().filter(|((booked, _), _)| booked == flight);
        for ((_, seat), reference) in booked {
            assert_eq!(sold.get(seat), Some(reference), "{flight} {seat} is sold to {reference}");
        }
    }
    eprintln!(
        "{} purchases answered, {} confirmed, {} seats checked at {VICTIM}",
        purchases.len(),
        confirmed.len(),
        seats.len()
    );

    // The volumes keep it all through `docker compose down` and `up`.
    containers.compose(&["down", "--timeout", "15"]);
    containers.compose(&["up", "--detach", "--no-build", "--wait", "--wait-timeout", "120"]);
    for airline in containers.airlines() {
        wait_until(&format!("{airline} connected again"), Duration::from_secs(60), || {
            containers.connected(airline)
        })
        .await;
    }
    assert_eq!(containers.check_confirmed(&confirmed).await, seats);
}
