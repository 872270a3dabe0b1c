//! The engine against a brute-force enumeration, on thousands of small random networks.
//!
//! The reference lives here, in the tests, and shares nothing with the engine but the domain
//! types and `itinerary::check`: it enumerates every trip that can be flown (depth first,
//! each next flight checked with `ConnectionRules::connects`, the whole trip again with
//! `itinerary::check`), keeps those no trip beats on arrival, stops, price and bookability,
//! and among trips equal on all four the one the module documentation says: latest
//! departure, then smallest flight ids in order. The engine must return exactly that set of
//! flight-id sequences, with the right criteria, highlights and order, and a limited answer
//! must be the highlighted ones first, then the rest in order.
//!
//! Networks have three to five airports in time zones from UTC−5 to UTC (and New York, whose
//! clocks change on the query's date), one to three airlines, up to 80 flights over two days
//! in departure banks (so connections are close calls), fares that tie often, zero to three
//! seats, some cancelled, some airlines offline, sometimes instants off the minute; the rules
//! vary (defaults and per-airport times, sometimes interline shorter than same-airline) as do
//! the legs limit (1–5), passengers, departure windows and the deadline. A second generator
//! builds networks where passing an airport twice could pay (the module doc's rule 4), which
//! random ones almost never are.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use proptest::prelude::*;

use crate::airline::{AirlineId, Designator};
use crate::airport::AirportCode;
use crate::flight::{Flight, FlightId, FlightNumber, FlightStatus};
use crate::itinerary::{self, ConnectionRules, ConnectionTimes};
use crate::money::Money;
use crate::search::{
    DepartureWindow, Highlight, Itinerary, Query, SearchIndex, SearchOptions, answer_order,
};
use crate::seat::Cabin;
use crate::time;

/// Cases run. Each is a network of a few airports and tens of flights.
const CASES: u32 = 4000;
/// Cases run of networks where passing an airport twice could pay.
const LOOP_PRONE_CASES: u32 = 15000;

const CODES: [&str; 6] = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"];
/// Time zones from UTC−5 to UTC−2, UTC, and one that changes its clocks on the query's date.
const ZONES: [&str; 6] = [
    "America/Rio_Branco",
    "America/Manaus",
    "America/Sao_Paulo",
    "America/Noronha",
    "UTC",
    "America/New_York",
];
const AIRLINES: [(&str, &str); 3] = [("rumos", "RU"), ("giro", "GI"), ("boreal", "BO")];
/// New York moves its clocks forward at 02:00 on this date.
const DATE: &str = "2026-03-08";

#[derive(Debug, Clone)]
struct PlannedFlight {
    origin: usize,
    destination_step: usize,
    /// In loop-prone cases, the edge of [`LOOP_PATTERN`] it flies instead, if any.
    pattern_edge: Option<usize>,
    airline: usize,
    /// Minutes after midnight UTC at the start of the query's date; may be negative.
    /// Departures cluster in banks, as at a hub, so that connections are close calls.
    departure_minute: i64,
    block_minutes: i64,
    fare_step: i64,
    seats_available: u32,
    cancelled: bool,
    /// Seconds after the minute of departure and arrival (used only in off-minute cases).
    seconds: (i64, i64),
}

#[derive(Debug, Clone)]
struct Case {
    zones: Vec<usize>,
    airlines: usize,
    flights: Vec<PlannedFlight>,
    off_minute: bool,
    offline: Vec<bool>,
    default_times: (i64, i64),
    airport_times: Vec<Option<(i64, i64)>>,
    legs_max: usize,
    passengers: u32,
    window: Option<(i64, i64)>,
    arrival_hours_max: i64,
    origin: usize,
    destination_step: usize,
    /// Whether flights on [`LOOP_PATTERN`] fly it.
    pattern: bool,
    /// A limit on results, checked against the unlimited answer.
    results_max: usize,
}

/// A flight departing in one of ten banks three hours apart, from 22:00 UTC the day before.
fn planned_flight() -> impl Strategy<Value = PlannedFlight> {
    (
        (0usize..6, 1usize..6, Just(None), 0usize..3),
        ((0i64..10, 0i64..10), 3i64..=18, 1i64..=4),
        (0u32..=3, prop::bool::weighted(0.1), (0i64..60, 0i64..60)),
    )
        .prop_map(|(route, (bank, block_step, fare_step), rest)| {
            planned(route, (-120 + bank.0 * 180 + bank.1 * 10, block_step * 10, fare_step), rest)
        })
}

/// A flight mostly on an edge of [`LOOP_PATTERN`], departing from 10:00 UTC (the query's date
/// at every origin) in the order of the pattern, short, and with room.
fn loop_prone_flight() -> impl Strategy<Value = PlannedFlight> {
    /// Minutes after 10:00 UTC when each edge's departures start.
    const EDGE_START: [i64; 6] = [0, 90, 0, 90, 210, 300];
    (
        (0usize..6, 1usize..6, prop::option::weighted(0.8, 0..LOOP_PATTERN.len()), 0usize..3),
        (0i64..12, 3i64..=6, 1i64..=4),
        (2u32..=3, prop::bool::weighted(0.05), (0i64..60, 0i64..60)),
    )
        .prop_map(|(route, (step, block_step, fare_step), rest)| {
            let start = route.2.map_or(step * 30, |edge| EDGE_START[edge]);
            planned(route, (600 + start + step * 10, block_step * 10, fare_step), rest)
        })
}

fn planned(
    (origin, destination_step, pattern_edge, airline): (usize, usize, Option<usize>, usize),
    (departure_minute, block_minutes, fare_step): (i64, i64, i64),
    (seats_available, cancelled, seconds): (u32, bool, (i64, i64)),
) -> PlannedFlight {
    PlannedFlight {
        origin,
        destination_step,
        pattern_edge,
        airline,
        departure_minute,
        block_minutes,
        fare_step,
        seats_available,
        cancelled,
        seconds,
    }
}

/// Minimum connection times, same airline then interline: mostly interline the longer, as
/// in life, sometimes anything.
fn connection_times() -> impl Strategy<Value = (i64, i64)> {
    prop_oneof![
        3 => (0i64..=4, 0i64..=8).prop_map(|(same, extra)| (same * 15, (same + extra) * 15)),
        1 => (0i64..=8, 0i64..=8).prop_map(|(same, interline)| (same * 15, interline * 15)),
    ]
}

/// Networks of a few airports and tens of flights, any rules.
fn case() -> impl Strategy<Value = Case> {
    let flights = prop::collection::vec(planned_flight(), 0..=80).boxed();
    case_with(3..=5, 1..=3, flights, 1..=5, connection_times().boxed())
}

/// The trip from airport 0 to airport 4 where passing an airport twice could pay: 0→1→2 is
/// cheaper and earlier at 2 than 0→3→2, yet only 0→3→2 may go on 2→1→4, and 0→1→4 directly
/// may not connect at 1 if it means changing airline there.
const LOOP_PATTERN: [(usize, usize); 6] = [(0, 1), (1, 2), (0, 3), (3, 2), (2, 1), (1, 4)];
/// The airline of each edge of [`LOOP_PATTERN`]: 0→1 and 2→1→4 on different airlines, so
/// that 0→1→4 changes airline at 1.
const LOOP_PATTERN_AIRLINES: [usize; 6] = [0, 0, 0, 0, 1, 1];

/// Networks where passing an airport twice could pay: five airports, up to five legs, most
/// flights on [`LOOP_PATTERN`] within a few hours, and at some airports changing airline far
/// slower than staying (see the module doc's rule 4).
fn loop_prone_case() -> impl Strategy<Value = Case> {
    let flights = prop::collection::vec(loop_prone_flight(), 6..=24).boxed();
    let times = prop_oneof![
        (0i64..=1, 4i64..=16).prop_map(|(same, interline)| (same * 15, interline * 15)),
        (0i64..=2).prop_map(|both| (both * 15, both * 15)),
    ];
    case_with(5..=5, 2..=2, flights, 4..=5, times.boxed()).prop_map(|case| Case {
        origin: 0,
        destination_step: 4,
        pattern: true,
        window: None,
        ..case
    })
}

fn case_with(
    airports: std::ops::RangeInclusive<usize>,
    airlines: std::ops::RangeInclusive<usize>,
    flights: BoxedStrategy<Vec<PlannedFlight>>,
    legs_max: std::ops::RangeInclusive<usize>,
    times: BoxedStrategy<(i64, i64)>,
) -> impl Strategy<Value = Case> {
    (airports, airlines).prop_flat_map(move |(airports, airlines)| {
        (
            (prop::collection::vec(0usize..ZONES.len(), airports), Just(airlines)),
            flights.clone(),
            (
                prop::bool::weighted(0.15),
                prop::collection::vec(prop::bool::weighted(0.2), airlines),
            ),
            (
                times.clone(),
                prop::collection::vec(prop::option::weighted(0.5, times.clone()), airports),
                legs_max.clone(),
            ),
            (1u32..=2, prop::option::weighted(0.4, (0i64..48, 0i64..48)), 12i64..=60),
            (0..airports, 1..airports, 0usize..=4),
        )
            .prop_map(
                move |(
                    (zones, airlines),
                    flights,
                    (off_minute, offline),
                    (default_times, airport_times, legs_max),
                    (passengers, window, arrival_hours_max),
                    (origin, destination_step, results_max),
                )| Case {
                    zones,
                    airlines,
                    flights,
                    off_minute,
                    offline,
                    default_times,
                    airport_times,
                    legs_max,
                    passengers,
                    window: window.map(|(a, b)| (a.min(b) * 30, a.max(b) * 30)),
                    arrival_hours_max,
                    origin,
                    destination_step,
                    pattern: false,
                    results_max,
                },
            )
    })
}

/// The network, rules and query of a case, as the domain's types.
struct World {
    flights: Vec<(Arc<Flight>, u32)>,
    zones: BTreeMap<AirportCode, TimeZone>,
    offline: BTreeSet<AirlineId>,
    rules: ConnectionRules,
    query: Query,
    options: SearchOptions,
}

fn code(index: usize) -> AirportCode {
    AirportCode::parse(CODES[index]).unwrap()
}

fn world(case: &Case) -> World {
    let airports = case.zones.len();
    let zone = |index: usize| TimeZone::get(ZONES[case.zones[index]]).unwrap();
    let date: Date = DATE.parse().unwrap();
    let midnight_utc: Timestamp = format!("{DATE}T00:00:00Z").parse().unwrap();
    let flights = case
        .flights
        .iter()
        .enumerate()
        .map(|(number, planned)| {
            let ((origin, destination), airline) = match planned.pattern_edge {
                Some(edge) if case.pattern => {
                    (LOOP_PATTERN[edge], LOOP_PATTERN_AIRLINES[edge] % case.airlines)
                }
                _ => {
                    let origin = planned.origin % airports;
                    let destination =
                        (origin + 1 + planned.destination_step % (airports - 1)) % airports;
                    ((origin, destination), planned.airline % case.airlines)
                }
            };
            let (mut departure_seconds, mut arrival_seconds) = (
                planned.departure_minute * 60,
                (planned.departure_minute + planned.block_minutes) * 60,
            );
            if case.off_minute {
                departure_seconds += planned.seconds.0;
                arrival_seconds += planned.seconds.1;
            }
            let departure = midnight_utc + jiff::SignedDuration::from_secs(departure_seconds);
            let arrival = midnight_utc + jiff::SignedDuration::from_secs(arrival_seconds);
            let (id, designator) = AIRLINES[airline];
            let flight = Flight {
                id: FlightId::new(
                    Designator::parse(designator).unwrap(),
                    FlightNumber::new(number as u16 + 1).unwrap(),
                    time::local_date(departure, &zone(origin)),
                ),
                airline: AirlineId::parse(id).unwrap(),
                origin: code(origin),
                destination: code(destination),
                departure,
                arrival,
                cabin: Cabin::standard(),
                price: Money::fare(planned.fare_step * 5_000).unwrap(),
                status: if planned.cancelled {
                    FlightStatus::Cancelled
                } else {
                    FlightStatus::Scheduled
                },
                version: 1,
            };
            (Arc::new(flight), planned.seats_available)
        })
        .collect();
    let offline = (0..case.airlines)
        .filter(|&airline| case.offline[airline])
        .map(|airline| AirlineId::parse(AIRLINES[airline].0).unwrap())
        .collect();
    let times = |(same, interline): (i64, i64)| ConnectionTimes {
        same_airline_minutes: same,
        interline_minutes: interline,
    };
    let rules = ConnectionRules {
        default: times(case.default_times),
        airports: (0..airports)
            .filter_map(|airport| case.airport_times[airport].map(|t| (code(airport), times(t))))
            .collect(),
        legs_max: case.legs_max,
    };
    let origin = case.origin;
    let destination = (origin + case.destination_step) % airports;
    let window = case.window.map(|(from, until)| {
        let at =
            |minutes: i64| Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).unwrap();
        let until = if until >= 24 * 60 { Time::MAX } else { at(until) };
        DepartureWindow::new(at(from), until).unwrap()
    });
    let query =
        Query::new(code(origin), code(destination), date, zone(origin), case.passengers, window)
            .unwrap();
    let options =
        SearchOptions { results_max: usize::MAX, arrival_hours_max: case.arrival_hours_max };
    let zones = (0..airports).map(|airport| (code(airport), zone(airport))).collect();
    World { flights, zones, offline, rules, query, options }
}

/// A trip's criteria: arrival, legs, price and whether it needs an offline airline.
type Criteria = (Timestamp, usize, i64, bool);

/// Every flyable trip of `world`, by brute force.
fn every_trip(world: &World) -> Vec<Vec<Arc<Flight>>> {
    let query = &world.query;
    let zone = &world.zones[&query.origin()];
    let midnight = zone.to_timestamp(query.date().to_datetime(Time::midnight())).unwrap();
    let latest_arrival =
        midnight + jiff::SignedDuration::from_hours(world.options.arrival_hours_max);
    let usable = |flight: &Flight, seats: u32| {
        flight.status == FlightStatus::Scheduled
            && seats >= query.passengers()
            && flight.arrival <= latest_arrival
    };
    let departs_in_time = |departure: Timestamp| {
        let local = zone.to_datetime(departure);
        local.date() == query.date()
            && query.window().is_none_or(|window| {
                window.from() <= local.time() && local.time() <= window.until()
            })
    };
    let mut trips = Vec::new();
    let mut partial: Vec<Vec<Arc<Flight>>> = world
        .flights
        .iter()
        .filter(|(flight, seats)| {
            flight.origin == query.origin()
                && usable(flight, *seats)
                && departs_in_time(flight.departure)
        })
        .map(|(flight, _)| vec![Arc::clone(flight)])
        .collect();
    while let Some(trip) = partial.pop() {
        let last = trip.last().unwrap();
        if last.destination == query.destination() {
            trips.push(trip);
            continue;
        }
        if trip.len() >= world.rules.legs_max {
            continue;
        }
        for (next, seats) in &world.flights {
            let revisits = next.destination == query.origin()
                || trip.iter().any(|leg| leg.destination == next.destination);
            if usable(next, *seats) && !revisits && world.rules.connects(last, next) {
                let mut longer = trip.clone();
                longer.push(Arc::clone(next));
                partial.push(longer);
            }
        }
    }
    for trip in &trips {
        let legs: Vec<&Flight> = trip.iter().map(|leg| leg.as_ref()).collect();
        itinerary::check(&legs, &world.rules).unwrap();
    }
    trips
}

fn criteria(world: &World, trip: &[Arc<Flight>]) -> Criteria {
    let price: i64 = trip.iter().map(|leg| leg.price.times(world.query.passengers()).cents()).sum();
    let offline = trip.iter().any(|leg| world.offline.contains(&leg.airline));
    (trip.last().unwrap().arrival, trip.len(), price, offline)
}

/// Whether criteria `a` are at least as good as `b` everywhere and better somewhere.
fn beats(a: &Criteria, b: &Criteria) -> bool {
    let no_worse = a.0 <= b.0 && a.1 <= b.1 && a.2 <= b.2 && (!a.3 || b.3);
    no_worse && a != b
}

/// The answer the module documentation promises, by brute force.
fn reference_answer(world: &World) -> BTreeSet<Vec<FlightId>> {
    let trips = every_trip(world);
    let scored: Vec<(Criteria, &Vec<Arc<Flight>>)> =
        trips.iter().map(|trip| (criteria(world, trip), trip)).collect();
    let mut best: BTreeMap<Criteria, (Timestamp, Vec<FlightId>)> = BTreeMap::new();
    for (score, trip) in &scored {
        if scored.iter().any(|(other, _)| beats(other, score)) {
            continue;
        }
        // Among equals, the latest departure, then the smallest ids in order.
        let key = (trip[0].departure, trip.iter().map(|leg| leg.id).collect::<Vec<_>>());
        best.entry(*score)
            .and_modify(|kept| {
                if key.0 > kept.0 || (key.0 == kept.0 && key.1 < kept.1) {
                    *kept = key.clone();
                }
            })
            .or_insert(key);
    }
    best.into_values().map(|(_, ids)| ids).collect()
}

fn check_case(case: &Case) -> Result<(), TestCaseError> {
    let world = world(case);
    let index = SearchIndex::from_flights(world.flights.iter().cloned());
    let answer = index.search(
        &world.query,
        &world.rules,
        |airline| world.offline.contains(airline),
        &world.options,
    );
    let engine: BTreeSet<Vec<FlightId>> = answer.iter().map(|it| it.flight_ids()).collect();
    prop_assert_eq!(engine.len(), answer.len(), "an itinerary is listed twice");
    let expected = reference_answer(&world);
    prop_assert_eq!(&engine, &expected);
    for pair in answer.windows(2) {
        prop_assert_eq!(answer_order(&pair[0], &pair[1]), std::cmp::Ordering::Less);
    }
    let bookable = || answer.iter().filter(|itinerary| itinerary.bookable);
    let fastest = bookable().map(|itinerary| itinerary.arrival).min();
    let cheapest = bookable().map(|itinerary| itinerary.price).min();
    let fewest_stops = bookable().map(|itinerary| itinerary.stops).min();
    for itinerary in &answer {
        let expected: Vec<Highlight> = [
            (Some(itinerary.arrival) == fastest, Highlight::Fastest),
            (Some(itinerary.price) == cheapest, Highlight::Cheapest),
            (Some(itinerary.stops) == fewest_stops, Highlight::FewestStops),
        ]
        .into_iter()
        .filter(|(yes, _)| *yes && itinerary.bookable)
        .map(|(_, highlight)| highlight)
        .collect();
        prop_assert_eq!(&itinerary.highlights, &expected);
    }
    // A limit keeps the highlighted first, then the rest in order; shown in order.
    let results_max = case.results_max;
    let options = SearchOptions { results_max, ..world.options };
    let limited = index.search(
        &world.query,
        &world.rules,
        |airline| world.offline.contains(airline),
        &options,
    );
    let (highlighted, rest): (Vec<_>, Vec<_>) =
        answer.iter().partition(|itinerary| !itinerary.highlights.is_empty());
    let mut kept: Vec<&Itinerary> = highlighted.into_iter().chain(rest).take(results_max).collect();
    kept.sort_by(|a, b| answer_order(a, b));
    prop_assert_eq!(limited.iter().collect::<Vec<_>>(), kept);
    for itinerary in &answer {
        let trip: Vec<Arc<Flight>> =
            itinerary.legs.iter().map(|leg| Arc::clone(&leg.flight)).collect();
        let (arrival, legs, price, offline) = criteria(&world, &trip);
        prop_assert_eq!(itinerary.arrival, arrival);
        prop_assert_eq!(itinerary.stops, legs - 1);
        prop_assert_eq!(itinerary.price.cents(), price);
        prop_assert_eq!(itinerary.bookable, !offline);
        prop_assert_eq!(itinerary.offline_airlines.is_empty(), !offline);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_engine_returns_exactly_the_pareto_set_of_brute_force(case in case()) {
        check_case(&case)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: LOOP_PRONE_CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_engine_is_exact_where_passing_an_airport_twice_could_pay(case in loop_prone_case()) {
        check_case(&case)?;
    }
}
