//! Itineraries: sequences of flights a passenger can actually make.
//!
//! The rules are those of a real connection desk: each leg leaves from where the previous one
//! arrived, no sooner than the minimum connection time of that airport after it landed (longer
//! when changing airline, because bags and passengers change terminals and systems), with at
//! most `legs_max` legs, never the same airport twice and never the same flight twice. Search
//! proposes only itineraries that pass [`check`], and a purchase re-checks what it is asked to
//! sell, so an impossible connection is never sold.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::airport::AirportCode;
use crate::flight::Flight;
use crate::{ParseError, time};

/// Minimum connection times at one airport, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionTimes {
    /// Between two flights of the same airline.
    pub same_airline_minutes: i64,
    /// Between flights of different airlines.
    pub interline_minutes: i64,
}

impl Default for ConnectionTimes {
    fn default() -> Self {
        Self { same_airline_minutes: 45, interline_minutes: 90 }
    }
}

/// The rules every itinerary obeys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionRules {
    /// Connection times at airports not listed in `airports`.
    pub default: ConnectionTimes,
    /// Connection times of particular airports (large hubs need longer).
    pub airports: BTreeMap<AirportCode, ConnectionTimes>,
    /// Most flights one itinerary may have.
    pub legs_max: usize,
}

impl Default for ConnectionRules {
    fn default() -> Self {
        Self { default: ConnectionTimes::default(), airports: BTreeMap::new(), legs_max: 4 }
    }
}

impl ConnectionRules {
    /// Minimum minutes between landing at `airport` and leaving it again.
    pub fn minimum_minutes(&self, airport: AirportCode, same_airline: bool) -> i64 {
        let times = self.airports.get(&airport).unwrap_or(&self.default);
        if same_airline { times.same_airline_minutes } else { times.interline_minutes }
    }

    /// Whether a passenger landing with `arriving` can board `departing`.
    pub fn connects(&self, arriving: &Flight, departing: &Flight) -> bool {
        arriving.destination == departing.origin
            && time::minutes_between(arriving.arrival, departing.departure)
                >= self.minimum_minutes(departing.origin, arriving.airline == departing.airline)
    }
}

/// Checks that `legs`, in order, form an itinerary a passenger can fly under `rules`.
pub fn check(legs: &[&Flight], rules: &ConnectionRules) -> Result<(), ParseError> {
    if legs.is_empty() {
        return Err(ParseError::new("no_flights", "an itinerary needs at least one flight"));
    }
    if legs.len() > rules.legs_max {
        return Err(ParseError::new(
            "too_many_flights",
            format!("an itinerary has at most {} flights, not {}", rules.legs_max, legs.len()),
        ));
    }
    check_distinct(legs)?;
    legs.windows(2).try_for_each(|pair| check_connection(pair[0], pair[1], rules))
}

fn check_distinct(legs: &[&Flight]) -> Result<(), ParseError> {
    let flights: BTreeSet<_> = legs.iter().map(|leg| leg.id).collect();
    if flights.len() != legs.len() {
        return Err(ParseError::new("flight_repeated", "an itinerary lists each flight once"));
    }
    let mut airports = BTreeSet::from([legs[0].origin]);
    for leg in legs {
        if !airports.insert(leg.destination) {
            return Err(ParseError::new(
                "airport_repeated",
                format!("an itinerary passes through {} once at most", leg.destination),
            ));
        }
    }
    Ok(())
}

fn check_connection(
    arriving: &Flight,
    departing: &Flight,
    rules: &ConnectionRules,
) -> Result<(), ParseError> {
    if arriving.destination != departing.origin {
        return Err(ParseError::new(
            "flights_not_connected",
            format!(
                "{} arrives at {} but {} departs from {}",
                arriving.id, arriving.destination, departing.id, departing.origin
            ),
        ));
    }
    let same_airline = arriving.airline == departing.airline;
    let needed = rules.minimum_minutes(departing.origin, same_airline);
    let available = time::minutes_between(arriving.arrival, departing.departure);
    if available < needed {
        return Err(ParseError::new(
            "connection_too_short",
            format!(
                "at {} there are {available} minutes between {} and {}; the minimum is {needed}",
                departing.origin, arriving.id, departing.id
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::airline::{AirlineId, Designator};
    use crate::flight::{FlightId, FlightNumber, FlightStatus};
    use crate::money::Money;
    use crate::seat::Cabin;
    use jiff::Timestamp;

    /// A flight for tests: `route` like `"GRU-MAO"`, times in UTC like `"10:00"` on 2026-12-01.
    pub(crate) fn flight(
        airline: &str,
        number: u16,
        route: &str,
        departs: &str,
        arrives: &str,
    ) -> Flight {
        let (origin, destination) = route.split_once('-').unwrap();
        let at = |hhmm: &str| format!("2026-12-01T{hhmm}:00Z").parse::<Timestamp>().unwrap();
        let designator = Designator::parse(&airline[..2]).unwrap();
        Flight {
            id: FlightId::new(
                designator,
                FlightNumber::new(number).unwrap(),
                "2026-12-01".parse().unwrap(),
            ),
            airline: AirlineId::parse(airline).unwrap(),
            origin: AirportCode::parse(origin).unwrap(),
            destination: AirportCode::parse(destination).unwrap(),
            departure: at(departs),
            arrival: at(arrives),
            cabin: Cabin::standard(),
            price: Money::fare(10_000).unwrap(),
            status: FlightStatus::Scheduled,
            version: 1,
        }
    }

    fn code(result: Result<(), ParseError>) -> &'static str {
        result.unwrap_err().code()
    }

    #[test]
    fn a_connection_needs_the_minimum_time_of_its_airport() {
        let rules = ConnectionRules::default();
        let first = flight("rumos", 1, "GRU-BSB", "10:00", "11:30");
        let tight = flight("rumos", 2, "BSB-MAO", "12:14", "15:00");
        let enough = flight("rumos", 3, "BSB-MAO", "12:15", "15:00");
        assert_eq!(code(check(&[&first, &tight], &rules)), "connection_too_short");
        assert!(check(&[&first, &enough], &rules).is_ok());
    }

    #[test]
    fn changing_airline_needs_the_longer_interline_time() {
        let rules = ConnectionRules::default();
        let first = flight("rumos", 1, "GRU-BSB", "10:00", "11:30");
        let other = flight("giro", 2, "BSB-MAO", "12:15", "15:00");
        assert_eq!(code(check(&[&first, &other], &rules)), "connection_too_short");
        let later = flight("giro", 3, "BSB-MAO", "13:00", "15:00");
        assert!(check(&[&first, &later], &rules).is_ok());
    }

    #[test]
    fn airports_can_have_their_own_connection_times() {
        let mut rules = ConnectionRules::default();
        let slow = ConnectionTimes { same_airline_minutes: 120, interline_minutes: 180 };
        rules.airports.insert(AirportCode::parse("BSB").unwrap(), slow);
        let first = flight("rumos", 1, "GRU-BSB", "10:00", "11:30");
        let next = flight("rumos", 2, "BSB-MAO", "13:00", "15:00");
        assert_eq!(code(check(&[&first, &next], &rules)), "connection_too_short");
    }

    #[test]
    fn legs_must_meet_at_the_same_airport() {
        let first = flight("rumos", 1, "GRU-BSB", "10:00", "11:30");
        let elsewhere = flight("rumos", 2, "GIG-MAO", "14:00", "17:00");
        assert_eq!(
            code(check(&[&first, &elsewhere], &ConnectionRules::default())),
            "flights_not_connected"
        );
    }

    #[test]
    fn an_itinerary_visits_no_airport_twice_and_no_flight_twice() {
        let rules = ConnectionRules::default();
        let out = flight("rumos", 1, "GRU-BSB", "08:00", "09:30");
        let back = flight("rumos", 2, "BSB-GRU", "11:00", "12:30");
        assert_eq!(code(check(&[&out, &back], &rules)), "airport_repeated");
        assert_eq!(code(check(&[&out, &out], &rules)), "flight_repeated");
    }

    #[test]
    fn the_legs_limit_is_enforced() {
        let rules = ConnectionRules { legs_max: 2, ..ConnectionRules::default() };
        let a = flight("rumos", 1, "GRU-BSB", "06:00", "07:00");
        let b = flight("rumos", 2, "BSB-MAO", "08:00", "09:00");
        let c = flight("rumos", 3, "MAO-BVB", "10:00", "11:00");
        assert_eq!(code(check(&[&a, &b, &c], &rules)), "too_many_flights");
        assert!(check(&[&a, &b], &rules).is_ok());
        assert_eq!(code(check(&[], &rules)), "no_flights");
    }
}
