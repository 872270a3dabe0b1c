//! Airlines on separate hosts: real `passcom serve` processes, each in a network namespace of its
//! own, every link between two of them through a latency proxy. `scripts/hosts run` makes the
//! hosts and runs this test on a client host of the same network (`./scripts/test` does, at
//! 40 ms between hosts); without it the test is ignored.
//!
//! ```text
//! scripts/hosts run --rtt-ms 40 -- cargo test -p passcom --test node -- --ignored hosts::
//! ```

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{Answer, answer};

/// One airline of the run, as `network.json` gives it.
#[derive(Deserialize)]
struct Host {
    id: String,
    url: String,
    admin_token: String,
}

/// The airlines of a `scripts/hosts run`, and a client to reach them.
struct Hosts {
    airlines: BTreeMap<String, Host>,
    client: reqwest::Client,
}

impl Hosts {
    /// The run this test is part of.
    fn of_this_run() -> Self {
        let dir = std::env::var("PASSCOM_HOSTS_DIR")
            .expect("run by `scripts/hosts run -- …`, which sets PASSCOM_HOSTS_DIR");
        let file = std::fs::read(format!("{dir}/network.json")).expect("the run's network file");
        #[derive(Deserialize)]
        struct Network {
            airlines: Vec<Host>,
        }
        let network: Network = serde_json::from_slice(&file).expect("a network file");
        let airlines = network.airlines.into_iter().map(|host| (host.id.clone(), host)).collect();
        let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        Self { airlines, client }
    }

    async fn call(&self, airline: &str, request: reqwest::RequestBuilder) -> Answer {
        let sent = request.send().await;
        answer(sent.unwrap_or_else(|error| panic!("{airline} answers: {error}"))).await
    }

    async fn get(&self, airline: &str, path: &str, token: Option<&str>) -> Answer {
        let mut request = self.client.get(format!("{}{path}", self.airlines[airline].url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        self.call(airline, request).await
    }

    async fn post(&self, airline: &str, path: &str, token: Option<&str>, body: Value) -> Answer {
        let mut request =
            self.client.post(format!("{}{path}", self.airlines[airline].url)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        self.call(airline, request).await
    }

    /// A new customer of `airline`, logged in; their session token.
    async fn customer(&self, airline: &str, username: &str) -> String {
        let password = "distant-hosts-password";
        let account = json!({"username": username, "password": password, "name": "Ana Lima"});
        let registered = self.post(airline, "/api/v1/auth/register", None, account).await;
        assert_eq!(registered.status, StatusCode::CREATED, "{registered:?}");
        let credentials = json!({"username": username, "password": password});
        let login = self.post(airline, "/api/v1/auth/login", None, credentials).await;
        login.body["token"].as_str().expect("a session token").to_owned()
    }

    /// Buys `flights` for one passenger at `airline`.
    async fn buy(&self, airline: &str, token: &str, flights: &[String], key: &str) -> Answer {
        let request = self
            .client
            .post(format!("{}/api/v1/bookings", self.airlines[airline].url))
            .bearer_auth(token)
            .header("idempotency-key", key)
            .json(&json!({"flights": flights, "passengers": [{"name": "Ana Lima"}]}));
        self.call(airline, request).await
    }

    /// The owner's record of the segments on its `flight`.
    async fn segments(&self, owner: &str, flight: &str) -> Vec<Value> {
        let token = self.airlines[owner].admin_token.clone();
        let path = format!("/api/v1/admin/flights/{flight}/segments");
        let answer = self.get(owner, &path, Some(&token)).await;
        assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
        answer.body["segments"].as_array().unwrap().clone()
    }

    /// How `airline` sees `peer`: online or offline.
    async fn status_of(&self, airline: &str, peer: &str) -> String {
        let network = self.get(airline, "/api/v1/network", None).await;
        let peers = network.body["peers"].as_array().cloned().unwrap_or_default();
        let seen = peers.iter().find(|seen| seen["airline"] == peer);
        seen.map_or("unknown".into(), |seen| seen["status"].as_str().unwrap().to_owned())
    }

    /// The original's chain Rio Branco → Maceió → Manaus → Macapá tomorrow (Giro, Boreal,
    /// Rumos), as `airline` finds it, if it lists it bookable.
    async fn chain(&self, airline: &str) -> Option<Vec<String>> {
        let tomorrow =
            jiff::Timestamp::now().in_tz("America/Rio_Branco").unwrap().date().tomorrow().unwrap();
        let query = format!(
            "/api/v1/itineraries?origin=RBR&destination=MCP&date={tomorrow}&departure_from=05:00&departure_until=07:00"
        );
        let answer = self.get(airline, &query, None).await;
        let itineraries = answer.body["itineraries"].as_array()?;
        let chain = itineraries.iter().find(|itinerary| {
            itinerary["legs"].as_array().unwrap().len() == 3 && itinerary["bookable"] == true
        })?;
        let legs = chain["legs"].as_array()?.iter();
        Some(legs.map(|leg| leg["id"].as_str().unwrap().to_owned()).collect())
    }

    /// The seats available on `flight` as `airline` knows them (its own, or its replica).
    async fn seats_available(&self, airline: &str, flight: &str, route: (&str, &str)) -> i64 {
        let date = &flight[flight.len() - 10..];
        let query =
            format!("/api/v1/flights?origin={}&destination={}&date={date}", route.0, route.1);
        let answer = self.get(airline, &query, None).await;
        let flights = answer.body["flights"].as_array().unwrap();
        let known = flights.iter().find(|known| known["id"] == flight).expect("the flight");
        known["seats_available"].as_i64().unwrap()
    }
}

/// Steers the run's links and hosts (`scripts/hosts cut rumos boreal`, …).
fn steer(words: &[&str]) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/hosts");
    let status = Command::new(script).args(words).status().expect("scripts/hosts runs");
    assert!(status.success(), "scripts/hosts {words:?}");
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
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The owners of the chain's legs, in order.
const CHAIN_OWNERS: [&str; 3] = ["giro", "boreal", "rumos"];
const CHAIN_ROUTES: [(&str, &str); 3] = [("RBR", "MCZ"), ("MCZ", "MAO"), ("MAO", "MCP")];

#[tokio::test]
#[ignore = "needs airlines on separate hosts: scripts/hosts run -- cargo test … -- --ignored hosts::"]
async fn a_trip_across_distant_airlines_is_all_or_nothing_through_a_partition() {
    let hosts = Hosts::of_this_run();
    wait_until("rumos lists the chain bookable", Duration::from_secs(20), || async {
        hosts.chain("rumos").await.is_some()
    })
    .await;
    let chain = hosts.chain("rumos").await.unwrap();
    let token = hosts.customer("rumos", "distante").await;

    // Across the three hosts, every leg confirmed, and sold at its owner once the decision
    // reaches it (the customer is answered when the decision is recorded, before that).
    let bought = hosts.buy("rumos", &token, &chain, "far-1").await;
    assert_eq!(bought.status, StatusCode::CREATED, "{bought:?}");
    let reference = bought.body["reference"].as_str().unwrap().to_owned();
    for (flight, owner) in chain.iter().zip(CHAIN_OWNERS) {
        let sold = || async {
            let segments = hosts.segments(owner, flight).await;
            segments.iter().any(|segment| {
                segment["reference"] == reference.as_str() && segment["state"] == "sold"
            })
        };
        wait_until(
            &format!("{owner} sells {flight} to {reference}"),
            Duration::from_secs(10),
            sold,
        )
        .await;
    }

    // Boreal cut off from Rumos: the trip cannot be bought, and no owner keeps a seat for it.
    steer(&["cut", "rumos", "boreal"]);
    wait_until("rumos sees boreal offline", Duration::from_secs(10), || async {
        hosts.status_of("rumos", "boreal").await == "offline"
    })
    .await;
    let held_at_giro = hosts.segments("giro", &chain[0]).await.len();
    let refused = hosts.buy("rumos", &token, &chain, "far-2").await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{refused:?}");
    assert_eq!(refused.code(), "airline_unavailable");
    assert_eq!(refused.body["error"]["airline"], "boreal");
    assert_eq!(hosts.segments("giro", &chain[0]).await.len(), held_at_giro);

    // Healed: the network forms again by itself and sells the trip.
    steer(&["heal", "rumos", "boreal"]);
    wait_until("rumos sees boreal online", Duration::from_secs(10), || async {
        hosts.status_of("rumos", "boreal").await == "online"
    })
    .await;
    let again = hosts.buy("rumos", &token, &chain, "far-3").await;
    assert_eq!(again.status, StatusCode::CREATED, "{again:?}");

    // Every replica of each leg's flight comes to equal its owner's count.
    for ((flight, owner), route) in chain.iter().zip(CHAIN_OWNERS).zip(CHAIN_ROUTES) {
        let at_owner = hosts.seats_available(owner, flight, route).await;
        for airline in hosts.airlines.keys() {
            wait_until(
                &format!("{airline}'s replica of {flight}"),
                Duration::from_secs(10),
                || async { hosts.seats_available(airline, flight, route).await == at_owner },
            )
            .await;
        }
    }
}

#[tokio::test]
#[ignore = "needs airlines on separate hosts: scripts/hosts run -- cargo test … -- --ignored hosts::"]
async fn every_airline_sells_the_next_ones_flights_across_the_network() {
    let hosts = Hosts::of_this_run();
    let ids: Vec<&String> = hosts.airlines.keys().collect();
    let tomorrow = jiff::Timestamp::now().in_tz("America/Sao_Paulo").unwrap().date().tomorrow();
    for (index, seller) in ids.iter().enumerate() {
        let owner = ids[(index + 1) % ids.len()];
        // A route of the owner's, as the seller's replica knows it, and a flight on it tomorrow.
        let routes = hosts.get(seller, "/api/v1/routes", None).await;
        let route = routes.body["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|route| route["airline"] == owner.as_str())
            .unwrap_or_else(|| panic!("{seller} knows a route of {owner}"))
            .clone();
        let (origin, destination) =
            (route["origin"].as_str().unwrap(), route["destination"].as_str().unwrap());
        let query = format!(
            "/api/v1/flights?origin={origin}&destination={destination}&date={}",
            tomorrow.as_ref().unwrap()
        );
        let listed = hosts.get(seller, &query, None).await;
        let flight = listed.body["flights"]
            .as_array()
            .unwrap()
            .iter()
            .find(|flight| flight["airline"] == owner.as_str() && flight["seats_available"] != 0)
            .unwrap_or_else(|| {
                panic!("{seller} lists {owner}'s {origin}→{destination}: {listed:?}")
            })["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let token = hosts.customer(seller, &format!("cliente{index}")).await;
        let bought = hosts
            .buy(seller, &token, std::slice::from_ref(&flight), &format!("next-{index}"))
            .await;
        assert_eq!(
            bought.status,
            StatusCode::CREATED,
            "{seller} sells {owner}'s {flight}: {bought:?}"
        );
        assert_eq!(bought.body["segments"][0]["airline"], owner.as_str());
    }
}
