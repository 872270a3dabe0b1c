//! Settling: once the workload and the nemesis stopped and every fault is healed, wait for the
//! network to form again, turn every unknown outcome into a decided one (a purchase without an
//! answer is sent again under its key, which answers with the booking it made, if any; a pending
//! booking is read until decided), then read the state the checker judges — again until nothing
//! is held or pending and every replica caught up, or the bound passed.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use reqwest::Method;

use crate::api::{Api, Flight};
use crate::history::{History, Observed, ObservedFlight, Outcome, Purchase, booking_id};
use crate::workload::{Customer, outcome, purchase_body, reference_of};

/// How often an undecided thing is read again.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Settles `history`'s undecided purchases and reads the state of what it bought, within
/// `bound`.
pub async fn settle(
    api: &Api,
    history: &mut History,
    customers: &[Customer],
    flights: &[Flight],
    bound: Duration,
) -> anyhow::Result<Observed> {
    let deadline = Instant::now() + bound;
    wait_until_formed(api, deadline).await?;
    let customers: BTreeMap<&str, &Customer> =
        customers.iter().map(|c| (c.username.as_str(), c)).collect();
    let unsettled = decide(api, history, &customers, deadline).await;
    let bought: BTreeSet<&str> =
        history.purchases.iter().flat_map(|p| p.flights.iter().map(String::as_str)).collect();
    let bought: Vec<&Flight> = flights.iter().filter(|f| bought.contains(f.id.as_str())).collect();
    loop {
        let read = observe(api, &customers, &bought).await;
        let last_chance = Instant::now() >= deadline;
        match read {
            Ok(mut observed) if last_chance || quiet(&observed) => {
                observed.unsettled = unsettled;
                return Ok(observed);
            }
            Err(error) if last_chance => {
                return Err(error.context("reading the network once settled"));
            }
            _ => tokio::time::sleep(POLL_INTERVAL).await,
        }
    }
}

/// Waits until every airline sees every other online.
async fn wait_until_formed(api: &Api, deadline: Instant) -> anyhow::Result<()> {
    loop {
        let mut formed = true;
        for airline in api.airlines() {
            let seen = api.peers_online(&airline).await;
            formed &= seen.is_ok_and(|(online, peers)| online == peers);
        }
        if formed {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the airlines did not all see each other online again"
        );
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// Decides every purchase answered unknown or pending; the keys of those it could not.
async fn decide(
    api: &Api,
    history: &mut History,
    customers: &BTreeMap<&str, &Customer>,
    deadline: Instant,
) -> Vec<String> {
    loop {
        let mut undecided = Vec::new();
        for purchase in &mut history.purchases {
            if matches!(purchase.outcome, Outcome::Unknown { .. } | Outcome::Pending { .. }) {
                let customer = customers[purchase.customer.as_str()];
                purchase.outcome = ask_again(api, purchase, customer).await;
                purchase.references.extend(reference_of(&purchase.outcome));
                purchase.references.dedup();
            }
            if matches!(purchase.outcome, Outcome::Unknown { .. } | Outcome::Pending { .. }) {
                undecided.push(purchase.key.clone());
            }
        }
        if undecided.is_empty() || Instant::now() >= deadline {
            return undecided;
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// What an undecided purchase is now: read when it has a booking, else sent again.
async fn ask_again(api: &Api, purchase: &Purchase, customer: &Customer) -> Outcome {
    let token = Some(customer.token.as_str());
    if let Outcome::Pending { reference } = &purchase.outcome {
        let path = format!("/api/v1/bookings/{reference}");
        let Ok(answer) = api.send(&purchase.seller, Method::GET, &path, token, None, None).await
        else {
            return purchase.outcome.clone();
        };
        let reference = reference.clone();
        return match answer.body["status"].as_str() {
            Some("confirmed") => Outcome::Confirmed { reference },
            Some("failed") => {
                let code = answer.body["failure"]["code"].as_str().unwrap_or("failed").to_owned();
                Outcome::Failed { code, reference: Some(reference) }
            }
            _ => purchase.outcome.clone(),
        };
    }
    let body = purchase_body(&purchase.flights, purchase.seats.as_deref(), &purchase.passenger);
    let sent = api
        .send(
            &purchase.seller,
            Method::POST,
            "/api/v1/bookings",
            token,
            Some(&body),
            Some(&purchase.key),
        )
        .await;
    outcome(sent)
}

/// Nothing held or pending, and every replica equal to its owner.
fn quiet(observed: &Observed) -> bool {
    let pending = observed.bookings.values().any(|b| b.status == "pending");
    let held = observed.flights.values().any(|f| f.segments.iter().any(|s| s.state == "held"));
    let diverged = observed
        .flights
        .values()
        .any(|f| f.replicas.values().any(|replica| *replica != f.owner_view));
    !pending && !held && !diverged
}

/// The state of the customers' bookings and of `flights`, at their owners and replicas.
async fn observe(
    api: &Api,
    customers: &BTreeMap<&str, &Customer>,
    flights: &[&Flight],
) -> anyhow::Result<Observed> {
    let mut observed = Observed::default();
    for customer in customers.values() {
        for (reference, booking) in api.bookings(&customer.airline, &customer.token).await? {
            observed.bookings.insert(booking_id(&customer.airline, &reference), booking);
        }
    }
    for flight in flights {
        observed.flights.insert(flight.id.clone(), observe_flight(api, flight).await?);
    }
    Ok(observed)
}

async fn observe_flight(api: &Api, flight: &Flight) -> anyhow::Result<ObservedFlight> {
    let owner = flight.airline.clone();
    let (capacity, free) = api.seat_map(&owner, &flight.id).await?;
    let segments = api.segments(&owner, &flight.id).await?;
    let mut states = BTreeMap::new();
    for airline in api.airlines() {
        let listed =
            api.flights(&airline, flight.date(), Some((&flight.origin, &flight.destination))).await;
        let listed = listed.with_context(|| format!("{} as {airline} lists it", flight.id))?;
        states.insert(airline, listed.iter().find(|f| f.id == flight.id).map(Flight::state));
    }
    let owner_view = states.remove(&owner).flatten();
    Ok(ObservedFlight {
        owner,
        capacity,
        seats_free: free.len() as u32,
        segments,
        owner_view,
        replicas: states,
    })
}
