//! The campaign's only way into the network: each airline's public and admin HTTP APIs, as any
//! outside client calls them.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context as _;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::history::{FlightState, ObservedBooking, OwnerSegment};
use crate::network::Airline;

/// Longest one request waits for its answer: past it, the outcome is unknown.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// An answer: its status and JSON body (null when it had none).
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body.
    pub body: Value,
}

impl Answer {
    /// The error code of an error answer.
    pub fn code(&self) -> Option<&str> {
        self.body["error"]["code"].as_str()
    }
}

/// A flight as a listing shows it.
#[derive(Clone, Debug, Deserialize)]
pub struct Flight {
    /// Its id, like `GI1203-2026-12-01`.
    pub id: String,
    /// Its owner.
    pub airline: String,
    /// Airport codes.
    pub origin: String,
    /// Airport codes.
    pub destination: String,
    /// RFC 3339.
    pub departure: String,
    /// RFC 3339.
    pub arrival: String,
    /// Seats available.
    pub seats_available: u32,
    /// Its version.
    pub version: u64,
    /// `scheduled` or `cancelled`.
    pub status: String,
}

impl Flight {
    /// The local date at its origin, which flight listings are asked by.
    pub fn date(&self) -> &str {
        &self.id[self.id.len().saturating_sub(10)..]
    }

    /// What replication carries of it.
    pub fn state(&self) -> FlightState {
        FlightState {
            seats_available: self.seats_available,
            version: self.version,
            status: self.status.clone(),
        }
    }
}

/// A client of every airline of the network.
pub struct Api {
    client: reqwest::Client,
    airlines: BTreeMap<String, Airline>,
}

impl Api {
    /// A client of `airlines`.
    pub fn new(airlines: &[Airline]) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build()?;
        let airlines = airlines.iter().map(|a| (a.id.clone(), a.clone())).collect();
        Ok(Self { client, airlines })
    }

    /// The airlines' ids, in order.
    pub fn airlines(&self) -> Vec<String> {
        self.airlines.keys().cloned().collect()
    }

    /// Sends one request to `airline`; an error when no answer came.
    pub async fn send(
        &self,
        airline: &str,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        key: Option<&str>,
    ) -> anyhow::Result<Answer> {
        let base =
            &self.airlines.get(airline).with_context(|| format!("no airline {airline}"))?.url;
        let mut request = self.client.request(method, format!("{base}{path}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let response = request.send().await.with_context(|| format!("{airline} {path}"))?;
        let status = response.status();
        let bytes = response.bytes().await.with_context(|| format!("{airline} {path}"))?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer { status, body })
    }

    async fn get_ok(
        &self,
        airline: &str,
        path: &str,
        token: Option<&str>,
    ) -> anyhow::Result<Value> {
        let answer = self.send(airline, Method::GET, path, token, None, None).await?;
        anyhow::ensure!(answer.status == StatusCode::OK, "{airline} {path}: {answer:?}");
        Ok(answer.body)
    }

    /// Registers `username` at `airline` and logs in: the session token.
    pub async fn customer(
        &self,
        airline: &str,
        username: &str,
        name: &str,
    ) -> anyhow::Result<String> {
        let password = format!("{username}-password");
        let account = json!({"username": username, "password": password, "name": name});
        let registered = self
            .send(airline, Method::POST, "/api/v1/auth/register", None, Some(&account), None)
            .await?;
        anyhow::ensure!(
            registered.status == StatusCode::CREATED,
            "register at {airline}: {registered:?}"
        );
        let credentials = json!({"username": username, "password": password});
        let login = self
            .send(airline, Method::POST, "/api/v1/auth/login", None, Some(&credentials), None)
            .await?;
        let token = login.body["token"]
            .as_str()
            .with_context(|| format!("login at {airline}: {login:?}"))?;
        Ok(token.to_owned())
    }

    /// Every flight `airline` lists (its own and its replicas), on `date`, or between two
    /// airports when given.
    pub async fn flights(
        &self,
        airline: &str,
        date: &str,
        route: Option<(&str, &str)>,
    ) -> anyhow::Result<Vec<Flight>> {
        let mut query = format!("/api/v1/flights?date={date}&limit=1000");
        if let Some((origin, destination)) = route {
            query.push_str(&format!("&origin={origin}&destination={destination}"));
        }
        let mut flights = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(cursor) => format!("{query}&cursor={cursor}"),
                None => query.clone(),
            };
            let mut page = self.get_ok(airline, &path, None).await?;
            flights.extend(serde_json::from_value::<Vec<Flight>>(page["flights"].take())?);
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return Ok(flights),
            }
        }
    }

    /// How many itineraries `airline` finds from `origin` to `destination` on `date`.
    pub async fn search(
        &self,
        airline: &str,
        origin: &str,
        destination: &str,
        date: &str,
    ) -> anyhow::Result<usize> {
        let path =
            format!("/api/v1/itineraries?origin={origin}&destination={destination}&date={date}");
        let body = self.get_ok(airline, &path, None).await?;
        Ok(body["itineraries"].as_array().map_or(0, Vec::len))
    }

    /// The seats of `flight` at its owner: (capacity, free), and the free seats' names.
    pub async fn seat_map(&self, owner: &str, flight: &str) -> anyhow::Result<(u32, Vec<String>)> {
        let body = self.get_ok(owner, &format!("/api/v1/flights/{flight}/seats"), None).await?;
        let seats = body["seats"].as_array().context("a seat map")?;
        let free = seats
            .iter()
            .filter(|seat| seat["available"] == true)
            .filter_map(|seat| seat["seat"].as_str().map(str::to_owned))
            .collect();
        Ok((seats.len() as u32, free))
    }

    /// The owner's record of every seat held or sold on its `flight`.
    pub async fn segments(&self, owner: &str, flight: &str) -> anyhow::Result<Vec<OwnerSegment>> {
        let token = self.airlines[owner].admin_token.clone();
        let path = format!("/api/v1/admin/flights/{flight}/segments");
        let mut body = self.get_ok(owner, &path, Some(&token)).await?;
        Ok(serde_json::from_value(body["segments"].take())?)
    }

    /// Every booking of the customer with `token` at `seller`, by reference.
    pub async fn bookings(
        &self,
        seller: &str,
        token: &str,
    ) -> anyhow::Result<BTreeMap<String, ObservedBooking>> {
        let mut bookings = BTreeMap::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(cursor) => format!("/api/v1/bookings?limit=1000&cursor={cursor}"),
                None => "/api/v1/bookings?limit=1000".to_owned(),
            };
            let page = self.get_ok(seller, &path, Some(token)).await?;
            for booking in page["bookings"].as_array().into_iter().flatten() {
                let segments = booking["segments"].as_array().into_iter().flatten();
                let segments = segments
                    .map(|s| {
                        (
                            s["flight"].as_str().unwrap_or("").to_owned(),
                            s["seat"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect();
                let status = booking["status"].as_str().unwrap_or("").to_owned();
                let reference = booking["reference"].as_str().unwrap_or("").to_owned();
                bookings.insert(reference, ObservedBooking { status, segments });
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return Ok(bookings),
            }
        }
    }

    /// How many peers `airline` sees online, of how many.
    pub async fn peers_online(&self, airline: &str) -> anyhow::Result<(usize, usize)> {
        let body = self.get_ok(airline, "/api/v1/network", None).await?;
        let peers = body["peers"].as_array().context("a peer list")?;
        Ok((peers.iter().filter(|p| p["status"] == "online").count(), peers.len()))
    }
}
