//! Tests of itinerary search: examples of each rule here, the engine against brute force in
//! `property`.

mod examples;
mod property;

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::airline::{AirlineId, Designator};
use crate::airport::AirportCode;
use crate::flight::{Flight, FlightId, FlightNumber, FlightStatus};
use crate::itinerary::ConnectionRules;
use crate::money::Money;
use crate::search::{Itinerary, Query, SearchIndex, SearchOptions};
use crate::seat::Cabin;
use crate::time;

/// The date of the examples.
const DATE: &str = "2026-12-01";

/// An instant: `"HH:MM"` is that time UTC on [`DATE`]; anything else is RFC 3339.
fn at(raw: &str) -> Timestamp {
    if raw.len() == 5 { format!("{DATE}T{raw}:00Z") } else { raw.to_owned() }.parse().unwrap()
}

/// A flight `"RU100"` (RU Rumos, GI Giro, BO Boreal) on `route` like `"GRU-MAO"`, with a fare
/// in whole reais; its date is its UTC departure date.
fn flight(number: &str, route: &str, departs: &str, arrives: &str, fare_reais: i64) -> Flight {
    let (origin, destination) = route.split_once('-').unwrap();
    let designator = Designator::parse(&number[..2]).unwrap();
    let airline = match &number[..2] {
        "RU" => "rumos",
        "GI" => "giro",
        "BO" => "boreal",
        other => panic!("no airline {other}"),
    };
    let departure = at(departs);
    Flight {
        id: FlightId::new(
            designator,
            FlightNumber::new(number[2..].parse().unwrap()).unwrap(),
            time::local_date(departure, &TimeZone::UTC),
        ),
        airline: AirlineId::parse(airline).unwrap(),
        origin: AirportCode::parse(origin).unwrap(),
        destination: AirportCode::parse(destination).unwrap(),
        departure,
        arrival: at(arrives),
        cabin: Cabin::standard(),
        price: Money::fare(fare_reais * 100).unwrap(),
        status: FlightStatus::Scheduled,
        version: 1,
    }
}

/// An index of `flights`, each with 100 seats available.
fn index(flights: impl IntoIterator<Item = Flight>) -> SearchIndex {
    SearchIndex::from_flights(flights.into_iter().map(|flight| (Arc::new(flight), 100)))
}

fn code(raw: &str) -> AirportCode {
    AirportCode::parse(raw).unwrap()
}

/// A query for one passenger on [`DATE`], the origin on UTC.
fn query(origin: &str, destination: &str) -> Query {
    Query::new(code(origin), code(destination), DATE.parse().unwrap(), TimeZone::UTC, 1, None)
        .unwrap()
}

/// Searches with every airline online and default options.
fn search(index: &SearchIndex, query: &Query, rules: &ConnectionRules) -> Vec<Itinerary> {
    index.search(query, rules, |_| false, &SearchOptions::default())
}

/// The answer as flight numbers joined by `>` (`"RU1>GI2"`), in the answer's order.
fn trips(answer: &[Itinerary]) -> Vec<String> {
    answer
        .iter()
        .map(|itinerary| {
            let numbers: Vec<String> = itinerary
                .legs
                .iter()
                .map(|leg| format!("{}{}", leg.flight.id.designator(), leg.flight.id.number()))
                .collect();
            numbers.join(">")
        })
        .collect()
}

fn offline(airlines: &[&str]) -> BTreeSet<AirlineId> {
    airlines.iter().map(|airline| AirlineId::parse(airline).unwrap()).collect()
}
