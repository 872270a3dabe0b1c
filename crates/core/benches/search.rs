//! Itinerary search on a generated network of about 100,000 flights a day.
//!
//! Run with `cargo bench -p passcom-core --bench search`. In one run, on one network:
//!
//! 1. a seeded generator builds three days of flights: 300 airports with coordinates and four
//!    time zones, twenty airlines each with three hubs linked to spokes in departure banks plus
//!    point-to-point routes, block times from great-circle distance, fares from distance,
//!    airline, time of day and demand noise, and seats available (one flight in twenty full);
//! 2. the engine answers 1,000 seeded random queries (origin and destination uniform among the
//!    airports, the first day, one to three passengers, default connection rules: at most four
//!    legs); every itinerary is checked with `itinerary::check`;
//! 3. the original's approach, breadth-first enumeration of paths, answers the first 40 of
//!    them under the same rules, with a time budget per query, at most four legs and again at
//!    most two (where it mostly finishes); the engine answers the same 40 under the same rules.
//!    A query out of budget counts at the budget, so a ratio over a median query that did not
//!    finish is a lower bound and is marked "≥". Where the baseline finishes, its answer must
//!    have exactly the engine's criteria (arrival, stops, price), or the benchmark fails;
//! 4. incremental updates are timed: seats changes and flights moved by a few minutes.
//!
//! It prints a markdown table, writes it into `docs/benchmarks.md` between the search markers,
//! and draws the latency distributions into `docs/search-latency.svg`. With
//! `SEARCH_BENCH_ENGINE_ONLY=1` it stops after the engine's queries (for profiling).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use passcom_core::airline::{AirlineId, Designator};
use passcom_core::airport::{Airport, AirportCode};
use passcom_core::flight::{Flight, FlightId, FlightNumber, FlightStatus};
use passcom_core::itinerary::{self, ConnectionRules};
use passcom_core::money::Money;
use passcom_core::search::{Itinerary, Query, SearchIndex, SearchOptions};
use passcom_core::seat::Cabin;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Seed of the network and of the queries.
const SEED: u64 = 2026;
/// Airports of the generated network.
const AIRPORTS: usize = 300;
/// Airlines of the generated network.
const AIRLINES: usize = 20;
/// Hubs of each airline.
const HUBS: usize = 3;
/// Spokes of each hub.
const HUB_SPOKES: usize = 120;
/// Daily departures of a route grow with this times the geometric mean of its airports' sizes.
const FREQUENCY: f64 = 56.0;
/// Days of schedule in the index; queries are for the first.
const DAYS: usize = 3;
/// Queries the engine answers (after `WARM_UP_QUERIES` unmeasured ones).
const QUERIES: usize = 1000;
const WARM_UP_QUERIES: usize = 50;
/// Queries the baseline answers: the first of the engine's.
const BASELINE_QUERIES: usize = 40;
/// Time the baseline gets per query.
const BASELINE_BUDGET: Duration = Duration::from_secs(1);
/// Paths the baseline may hold at once before it is stopped (memory, not time).
const BASELINE_PATHS_MAX: usize = 20_000_000;
/// Updates timed, of each kind.
const UPDATES: usize = 10_000;
/// First day of the schedule.
const FIRST_DAY: &str = "2026-12-01";

fn main() {
    let started = Instant::now();
    let network = Network::generate(SEED);
    let per_day = network.flights.len() / DAYS;
    println!(
        "network: {} airports, {AIRLINES} airlines, {} flights over {DAYS} days ({per_day} a day, {} routes), generated in {:.1} s",
        network.airports.len(),
        network.flights.len(),
        network.routes(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let mut index = SearchIndex::from_flights(network.flights.iter().cloned());
    let built = started.elapsed();
    println!("index built in {:.2} s", built.as_secs_f64());

    let queries = network.queries(SEED, WARM_UP_QUERIES + QUERIES);
    let (warm_up, queries) = queries.split_at(WARM_UP_QUERIES);
    let rules = ConnectionRules::default();
    for query in warm_up {
        std::hint::black_box(search(&index, query, &rules));
    }
    let engine = Run::engine(&index, queries, &rules);
    println!("engine, {} legs at most: {}", rules.legs_max, engine.summary());
    if std::env::var_os("SEARCH_BENCH_ENGINE_ONLY").is_some() {
        return;
    }

    let baseline = Baseline::new(&network);
    let subset = &queries[..BASELINE_QUERIES];
    let four_legs = Comparison::run(&index, &baseline, subset, &rules);
    let two_legs_rules = ConnectionRules { legs_max: 2, ..ConnectionRules::default() };
    let two_legs = Comparison::run(&index, &baseline, subset, &two_legs_rules);
    let updates = time_updates(&mut index, &network);

    let report = Report {
        flights: network.flights.len(),
        per_day,
        routes: network.routes(),
        built,
        engine,
        four_legs,
        two_legs,
        updates,
    };
    let markdown = report.markdown();
    println!("\n{markdown}");
    report.write_into(&docs_path("benchmarks.md"), &markdown);
    std::fs::write(docs_path("search-latency.svg"), report.svg()).expect("docs/ is writable");
}

fn search(index: &SearchIndex, query: &Query, rules: &ConnectionRules) -> Vec<Itinerary> {
    let options = SearchOptions { results_max: usize::MAX, ..SearchOptions::default() };
    index.search(query, rules, |_| false, &options)
}

/// One approach's answers to a list of queries, with how long each took.
#[derive(Default)]
struct Run {
    times: Vec<Duration>,
    /// The criteria of each answer; `None` where the approach ran out of budget.
    answers: Vec<Option<BTreeSet<(Timestamp, usize, i64)>>>,
    itineraries: usize,
    /// For each query that ran out of budget, the paths it had enumerated.
    paths_when_stopped: Vec<usize>,
}

impl Run {
    /// The engine on `queries`, every itinerary checked with `itinerary::check`.
    fn engine(index: &SearchIndex, queries: &[Query], rules: &ConnectionRules) -> Self {
        let mut run = Self::default();
        for query in queries {
            let started = Instant::now();
            let answer = search(index, query, rules);
            run.times.push(started.elapsed());
            for itinerary in &answer {
                let legs: Vec<&Flight> =
                    itinerary.legs.iter().map(|leg| leg.flight.as_ref()).collect();
                itinerary::check(&legs, rules).expect("the engine proposes only flyable trips");
            }
            run.itineraries += answer.len();
            run.answers.push(Some(criteria_of(&answer)));
        }
        run
    }

    /// The baseline on `queries`; a query out of budget counts at the budget.
    fn baseline(baseline: &Baseline, queries: &[Query], rules: &ConnectionRules) -> Self {
        let mut run = Self::default();
        let options = SearchOptions::default();
        for query in queries {
            let started = Instant::now();
            let answer = baseline.search(query, rules, &options);
            let elapsed = started.elapsed();
            match answer {
                Ok(answer) => {
                    run.times.push(elapsed);
                    run.itineraries += answer.len();
                    run.answers.push(Some(answer));
                }
                Err(paths) => {
                    run.times.push(elapsed.max(BASELINE_BUDGET));
                    run.paths_when_stopped.push(paths);
                    run.answers.push(None);
                }
            }
        }
        run
    }

    fn unfinished(&self) -> usize {
        self.answers.iter().filter(|answer| answer.is_none()).count()
    }

    fn answered(&self) -> usize {
        self.answers.iter().filter(|answer| answer.as_ref().is_some_and(|a| !a.is_empty())).count()
    }

    fn median(&self) -> Duration {
        percentile(&self.times, 0.5)
    }

    fn summary(&self) -> String {
        format!(
            "{} queries, {} with itineraries, {:.1} itineraries each on average; median {:.3} ms, p99 {:.3} ms, {} not finished{}",
            self.times.len(),
            self.answered(),
            self.itineraries as f64 / self.times.len() as f64,
            millis(self.median()),
            millis(percentile(&self.times, 0.99)),
            self.unfinished(),
            self.stopped_after(),
        )
    }

    /// How many paths the queries that ran out of budget had made, if any did.
    fn stopped_after(&self) -> String {
        if self.paths_when_stopped.is_empty() {
            return String::new();
        }
        let mut paths = self.paths_when_stopped.clone();
        paths.sort_unstable();
        let median = paths[paths.len() / 2];
        let paths = if median >= 1_000_000 {
            format!("{:.1} million", median as f64 / 1e6)
        } else {
            median.to_string()
        };
        format!("; those stopped after {paths} paths, median")
    }
}

/// Engine and baseline on the same queries under the same rules; where the baseline finished,
/// their answers have the same criteria.
struct Comparison {
    legs_max: usize,
    engine: Run,
    baseline: Run,
}

impl Comparison {
    fn run(
        index: &SearchIndex,
        baseline: &Baseline,
        queries: &[Query],
        rules: &ConnectionRules,
    ) -> Self {
        let engine = Run::engine(index, queries, rules);
        let baseline = Run::baseline(baseline, queries, rules);
        for (number, (engine, baseline)) in engine.answers.iter().zip(&baseline.answers).enumerate()
        {
            if let Some(baseline) = baseline {
                assert_eq!(Some(baseline), engine.as_ref(), "query {number}: the answers differ");
            }
        }
        println!("{} legs at most, engine: {}", rules.legs_max, engine.summary());
        println!("{} legs at most, baseline: {}", rules.legs_max, baseline.summary());
        Self { legs_max: rules.legs_max, engine, baseline }
    }

    /// Baseline median over engine median, and "≥ " when it is a lower bound (the baseline's
    /// median query did not finish).
    fn ratio(&self) -> (f64, &'static str) {
        let ratio = self.baseline.median().as_secs_f64() / self.engine.median().as_secs_f64();
        let lower_bound = self.baseline.unfinished() * 2 >= self.baseline.times.len();
        (ratio, if lower_bound { "≥ " } else { "" })
    }
}

/// The criteria of an answer: arrival, stops, price.
fn criteria_of(answer: &[Itinerary]) -> BTreeSet<(Timestamp, usize, i64)> {
    answer.iter().map(|it| (it.arrival, it.stops, it.price.cents())).collect()
}

// The generated network.

/// A generated network: airports, airlines' flights and their seats available.
struct Network {
    airports: Vec<Airport>,
    flights: Vec<(Arc<Flight>, u32)>,
}

/// One daily departure of one airline on one route: a flight number flown every day.
struct Service {
    airline: usize,
    number: u16,
    origin: usize,
    destination: usize,
    /// Local departure time at the origin, minutes after midnight.
    departs_minute: i64,
    /// The fare's multiplier beyond distance: airline, time of day, demand.
    fare_factor: f64,
}

impl Network {
    fn generate(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let airports = airports(&mut rng);
        let sizes: Vec<f64> =
            (0..AIRPORTS).map(|rank| 1.0 / (rank as f64 + 1.0).powf(0.75)).collect();
        let services = services(&mut rng, &sizes);
        let first_day: Date = FIRST_DAY.parse().expect("a date");
        let mut flights = Vec::with_capacity(services.len() * DAYS);
        for day in 0..DAYS {
            let date = first_day + jiff::Span::new().days(day as i64);
            for service in &services {
                let seats = if rng.random_bool(0.05) { 0 } else { rng.random_range(1..=180) };
                flights.push((Arc::new(flight(service, &airports, date)), seats));
            }
        }
        Self { airports, flights }
    }

    fn routes(&self) -> usize {
        let routes: BTreeSet<(AirportCode, AirportCode, &AirlineId)> =
            self.flights.iter().map(|(f, _)| (f.origin, f.destination, &f.airline)).collect();
        routes.len()
    }

    /// `count` queries between distinct airports drawn uniformly, on the first day.
    fn queries(&self, seed: u64, count: usize) -> Vec<Query> {
        let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
        let date: Date = FIRST_DAY.parse().expect("a date");
        (0..count)
            .map(|_| {
                let origin = rng.random_range(0..AIRPORTS);
                let destination = (origin + rng.random_range(1..AIRPORTS)) % AIRPORTS;
                let (origin, destination) = (&self.airports[origin], &self.airports[destination]);
                let passengers = rng.random_range(1..=3);
                Query::new(
                    origin.code,
                    destination.code,
                    date,
                    origin.time_zone.clone(),
                    passengers,
                    None,
                )
                .expect("distinct airports, few passengers")
            })
            .collect()
    }
}

/// 300 airports over a continent-sized box (about Brazil's), in four time zones by longitude.
fn airports(rng: &mut StdRng) -> Vec<Airport> {
    (0..AIRPORTS)
        .map(|number| {
            let latitude = rng.random_range(-33.0..5.0);
            let longitude = rng.random_range(-73.0..-35.0);
            let zone = match longitude {
                l if l < -66.0 => "America/Rio_Branco",
                l if l < -54.0 => "America/Manaus",
                l if l < -37.0 => "America/Sao_Paulo",
                _ => "America/Noronha",
            };
            let letters: String = [number / 676, number / 26 % 26, number % 26]
                .iter()
                .map(|&letter| char::from(b'A' + letter as u8))
                .collect();
            Airport {
                code: AirportCode::parse(&format!("Q{}", &letters[1..])).expect("letters"),
                name: format!("Airport {letters}"),
                city: format!("City {letters}"),
                state: String::new(),
                country: "Brasil".into(),
                latitude,
                longitude,
                time_zone: TimeZone::get(zone).expect("a bundled zone"),
            }
        })
        .collect()
}

/// Every daily departure: each airline's hubs linked to spokes in banks, plus point-to-point
/// routes between larger airports.
fn services(rng: &mut StdRng, sizes: &[f64]) -> Vec<Service> {
    let mut services = Vec::new();
    for airline in 0..AIRLINES {
        let mut number = 0u16;
        let mut next_number = || {
            number += 1;
            number
        };
        let airline_factor = rng.random_range(0.85..1.2);
        let hubs: Vec<usize> = distinct(rng, HUBS, |rng| weighted(rng, &sizes[..40]));
        for &hub in &hubs {
            let spokes = distinct(rng, HUB_SPOKES, |rng| weighted(rng, sizes));
            // Banks every 100 minutes from 06:00 to 22:40, staggered per hub.
            let stagger = rng.random_range(0..30);
            for spoke in spokes.into_iter().filter(|&spoke| spoke != hub) {
                let per_day =
                    (1.0 + FREQUENCY * (sizes[hub] * sizes[spoke]).sqrt()).round() as usize;
                let per_day = per_day.clamp(1, 11);
                for round in 0..per_day {
                    let bank = (round * 11 / per_day) as i64;
                    let out = 360 + bank * 100 + stagger + rng.random_range(0..20);
                    let back = 360 + bank * 100 + stagger + rng.random_range(30..90);
                    for (origin, destination, departs_minute) in
                        [(hub, spoke, out), (spoke, hub, back)]
                    {
                        services.push(Service {
                            airline,
                            number: next_number(),
                            origin,
                            destination,
                            departs_minute,
                            fare_factor: airline_factor * time_of_day(departs_minute) * noise(rng),
                        });
                    }
                }
            }
        }
        for _ in 0..60 {
            let origin = weighted(rng, &sizes[..120]);
            let destination = weighted(rng, &sizes[..120]);
            if origin == destination {
                continue;
            }
            for _ in 0..rng.random_range(1..=3) {
                let departs_minute = rng.random_range(360..1380);
                services.push(Service {
                    airline,
                    number: next_number(),
                    origin,
                    destination,
                    departs_minute,
                    fare_factor: airline_factor * time_of_day(departs_minute) * noise(rng),
                });
            }
        }
        assert!(number < 10_000, "airline {airline} needs flight numbers above 9999");
    }
    services
}

fn flight(service: &Service, airports: &[Airport], date: Date) -> Flight {
    let (origin, destination) = (&airports[service.origin], &airports[service.destination]);
    let km = origin.distance_km(destination);
    let block_minutes = ((30.0 + km / 800.0 * 60.0) / 5.0).ceil() as i64 * 5;
    let local =
        date.to_datetime(Time::midnight()) + jiff::Span::new().minutes(service.departs_minute);
    let departure = origin.time_zone.to_timestamp(local).expect("Brazilian local times exist");
    let fare_cents =
        ((9_900.0 + km * 25.0) * service.fare_factor / 100.0).round() as i64 * 100 - 10;
    let designator = designator(service.airline);
    Flight {
        id: FlightId::new(
            designator,
            FlightNumber::new(service.number).expect("numbers below 10000"),
            passcom_core::time::local_date(departure, &origin.time_zone),
        ),
        airline: AirlineId::parse(&format!("air-{}", designator.as_str().to_ascii_lowercase()))
            .expect("an airline id"),
        origin: origin.code,
        destination: destination.code,
        departure,
        arrival: departure + passcom_core::time::minutes(block_minutes),
        cabin: Cabin::standard(),
        price: Money::fare(fare_cents.max(1_000)).expect("fares in range"),
        status: FlightStatus::Scheduled,
        version: 1,
    }
}

fn designator(airline: usize) -> Designator {
    let letters = [b'A' + (airline / 26) as u8, b'A' + (airline % 26) as u8];
    Designator::parse(std::str::from_utf8(&letters).expect("ASCII")).expect("two letters")
}

/// Cheaper early and late, dearer at the business peaks.
fn time_of_day(minute: i64) -> f64 {
    match minute / 60 {
        0..=6 | 21..=23 => 0.85,
        7..=8 | 17..=19 => 1.15,
        _ => 1.0,
    }
}

/// Demand: fares vary by up to 40% from flight to flight, in steps of 5%.
fn noise(rng: &mut StdRng) -> f64 {
    0.8 + 0.05 * f64::from(rng.random_range(0..=12))
}

/// An index drawn with probability proportional to `weights`.
fn weighted(rng: &mut StdRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut draw = rng.random_range(0.0..total);
    for (index, weight) in weights.iter().enumerate() {
        if draw < *weight {
            return index;
        }
        draw -= weight;
    }
    weights.len() - 1
}

/// `count` distinct values drawn with `draw` (fewer if it keeps repeating itself).
fn distinct(
    rng: &mut StdRng,
    count: usize,
    mut draw: impl FnMut(&mut StdRng) -> usize,
) -> Vec<usize> {
    let mut values = Vec::with_capacity(count);
    for _ in 0..count * 20 {
        if values.len() == count {
            break;
        }
        let value = draw(rng);
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values
}

// The baseline: the original's approach, breadth-first enumeration of paths.

/// Breadth-first enumeration of every path from the origin, one more flight per level up to
/// the legs limit, under the same rules as the engine; then the Pareto set of the paths that
/// reached the destination.
///
/// It gets the same departure lists sorted by time (so finding the next flights is a
/// bisection, as for the engine) and the same reachability pruning (a path is extended only to
/// airports from which the destination can still be reached in the legs left): it is the
/// approach at its best, not a strawman.
struct Baseline<'a> {
    flights: &'a [(Arc<Flight>, u32)],
    /// Per airport: its departures' (departure, flight) in time order.
    departures: HashMap<AirportCode, Vec<(Timestamp, u32)>>,
    /// Per airport: the airports with a flight to it.
    sources: HashMap<AirportCode, BTreeSet<AirportCode>>,
}

impl<'a> Baseline<'a> {
    fn new(network: &'a Network) -> Self {
        let mut departures: HashMap<AirportCode, Vec<(Timestamp, u32)>> = HashMap::new();
        let mut sources: HashMap<AirportCode, BTreeSet<AirportCode>> = HashMap::new();
        for (number, (flight, _)) in network.flights.iter().enumerate() {
            departures.entry(flight.origin).or_default().push((flight.departure, number as u32));
            sources.entry(flight.destination).or_default().insert(flight.origin);
        }
        for list in departures.values_mut() {
            list.sort();
        }
        Self { flights: &network.flights, departures, sources }
    }

    /// The criteria of the Pareto set, or how many paths it had made when it ran out of time
    /// or memory.
    fn search(
        &self,
        query: &Query,
        rules: &ConnectionRules,
        options: &SearchOptions,
    ) -> Result<BTreeSet<(Timestamp, usize, i64)>, usize> {
        let started = Instant::now();
        let latest_arrival = query.latest_arrival(options);
        let passengers = query.passengers();
        let hops = self.hops_to(query.destination(), rules.legs_max);
        let usable = |number: u32| {
            let (flight, seats) = &self.flights[number as usize];
            flight.status == FlightStatus::Scheduled
                && *seats >= passengers
                && flight.arrival <= latest_arrival
        };
        let reaches = |airport: &AirportCode, legs_left: usize| {
            hops.get(airport).is_some_and(|&hops| hops <= legs_left)
        };
        // Paths as (parent, flight) in an arena; each level lists the paths of that length.
        let mut arena: Vec<(u32, u32)> = Vec::new();
        let mut level: Vec<u32> = Vec::new();
        let mut complete: Vec<u32> = Vec::new();
        for &(_, number) in self.departures.get(&query.origin()).into_iter().flatten() {
            let flight = &self.flights[number as usize].0;
            if usable(number)
                && query.departs_in_time(flight.departure)
                && reaches(&flight.destination, rules.legs_max - 1)
            {
                arena.push((u32::MAX, number));
                level.push(arena.len() as u32 - 1);
            }
        }
        for legs in 1..=rules.legs_max {
            let mut next_level = Vec::new();
            for &path in &level {
                let last = &self.flights[arena[path as usize].1 as usize].0;
                if last.destination == query.destination() {
                    complete.push(path);
                    continue;
                }
                if legs == rules.legs_max {
                    continue;
                }
                let visited = self.airports_of(&arena, path, query.origin());
                let list = self.departures.get(&last.destination).map_or(&[][..], Vec::as_slice);
                let start = list.partition_point(|(departure, _)| *departure < last.arrival);
                for &(departure, number) in &list[start..] {
                    if departure > latest_arrival {
                        break;
                    }
                    let next = &self.flights[number as usize].0;
                    if usable(number)
                        && !visited.contains(&next.destination)
                        && reaches(&next.destination, rules.legs_max - legs - 1)
                        && rules.connects(last, next)
                    {
                        arena.push((path, number));
                        next_level.push(arena.len() as u32 - 1);
                    }
                }
                if arena.len() > BASELINE_PATHS_MAX || started.elapsed() > BASELINE_BUDGET {
                    return Err(arena.len());
                }
            }
            level = next_level;
        }
        let criteria: Vec<(Timestamp, usize, i64)> = complete
            .iter()
            .map(|&path| {
                let legs = self.legs_of(&arena, path);
                let price: i64 = legs
                    .iter()
                    .map(|&n| self.flights[n as usize].0.price.times(passengers).cents())
                    .sum();
                (
                    self.flights[*legs.last().expect("a leg") as usize].0.arrival,
                    legs.len() - 1,
                    price,
                )
            })
            .collect();
        let beaten = |c: &(Timestamp, usize, i64)| {
            criteria.iter().any(|o| o.0 <= c.0 && o.1 <= c.1 && o.2 <= c.2 && o != c)
        };
        Ok(criteria.iter().filter(|c| !beaten(c)).copied().collect())
    }

    fn airports_of(
        &self,
        arena: &[(u32, u32)],
        path: u32,
        origin: AirportCode,
    ) -> Vec<AirportCode> {
        let mut airports = vec![origin];
        airports.extend(
            self.legs_of(arena, path).iter().map(|&n| self.flights[n as usize].0.destination),
        );
        airports
    }

    fn legs_of(&self, arena: &[(u32, u32)], mut path: u32) -> Vec<u32> {
        let mut legs = Vec::new();
        while path != u32::MAX {
            let (parent, flight) = arena[path as usize];
            legs.push(flight);
            path = parent;
        }
        legs.reverse();
        legs
    }

    /// Fewest flights from each airport to `destination`, up to `legs_max`.
    fn hops_to(&self, destination: AirportCode, legs_max: usize) -> HashMap<AirportCode, usize> {
        let mut hops = HashMap::from([(destination, 0)]);
        let mut frontier = vec![destination];
        for step in 1..=legs_max {
            let mut next = Vec::new();
            for airport in frontier {
                for &source in self.sources.get(&airport).into_iter().flatten() {
                    if let std::collections::hash_map::Entry::Vacant(entry) = hops.entry(source) {
                        entry.insert(step);
                        next.push(source);
                    }
                }
            }
            frontier = next;
        }
        hops
    }
}

// Updates.

/// Mean time of a seats update and of a flight moved by a few minutes, in microseconds.
fn time_updates(index: &mut SearchIndex, network: &Network) -> (f64, f64) {
    let mut rng = StdRng::seed_from_u64(SEED ^ 0xda7a);
    let picks: Vec<usize> =
        (0..UPDATES).map(|_| rng.random_range(0..network.flights.len())).collect();
    let started = Instant::now();
    for &pick in &picks {
        let (flight, seats) = &network.flights[pick];
        index.set_seats_available(flight.id, seats.saturating_sub(1));
    }
    let seats = started.elapsed().as_secs_f64() * 1e6 / UPDATES as f64;
    let moved: Vec<Flight> = picks
        .iter()
        .map(|&pick| {
            let mut flight = Flight::clone(&network.flights[pick].0);
            let shift = passcom_core::time::minutes(rng.random_range(-10..=10));
            flight.departure += shift;
            flight.arrival += shift;
            flight.version += 1;
            flight
        })
        .collect();
    let started = Instant::now();
    for flight in moved {
        index.upsert(flight, 100);
    }
    let upserts = started.elapsed().as_secs_f64() * 1e6 / UPDATES as f64;
    (seats, upserts)
}

// The report.

struct Report {
    flights: usize,
    per_day: usize,
    routes: usize,
    built: Duration,
    engine: Run,
    four_legs: Comparison,
    two_legs: Comparison,
    /// Mean microseconds of a seats update and of a flight moved.
    updates: (f64, f64),
}

fn percentile(durations: &[Duration], p: f64) -> Duration {
    let mut sorted = durations.to_vec();
    sorted.sort();
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

impl Report {
    fn markdown(&self) -> String {
        let comparison = |comparison: &Comparison| {
            let (ratio, at_least) = comparison.ratio();
            format!(
                "| engine, {legs} legs at most, on the baseline's {queries} queries: median | {:.3} ms |\n\
                 | baseline, {legs} legs at most, same queries ({} s budget each): median | {at_least}{:.1} ms ({} of {queries} did not finish{}) |\n\
                 | **ratio, baseline median / engine median, {legs} legs at most** | **{at_least}{ratio:.0}×** |\n",
                millis(comparison.engine.median()),
                BASELINE_BUDGET.as_secs(),
                millis(comparison.baseline.median()),
                comparison.baseline.unfinished(),
                comparison.baseline.stopped_after(),
                legs = comparison.legs_max,
                queries = comparison.baseline.times.len(),
            )
        };
        format!(
            "| measure | value |\n|---|---|\n\
             | network | {} flights over {DAYS} days ({} a day), {AIRPORTS} airports, {AIRLINES} airlines, {} routes |\n\
             | index built from scratch | {:.2} s |\n\
             | queries (random origin and destination, 1–3 passengers, 4 legs at most) | {} ({} with itineraries, {:.1} itineraries each on average) |\n\
             | **engine: median / p99 per query** | **{:.3} ms / {:.3} ms** |\n\
             {}{}\
             | update: seats available / a flight moved | {:.2} µs / {:.2} µs |\n\n\
             Measured {} on {}. Latency distributions: [search-latency.svg](search-latency.svg).",
            self.flights,
            self.per_day,
            self.routes,
            self.built.as_secs_f64(),
            self.engine.times.len(),
            self.engine.answered(),
            self.engine.itineraries as f64 / self.engine.times.len() as f64,
            millis(self.engine.median()),
            millis(percentile(&self.engine.times, 0.99)),
            comparison(&self.four_legs),
            comparison(&self.two_legs),
            self.updates.0,
            self.updates.1,
            Timestamp::now().strftime("%Y-%m-%d"),
            machine(),
        )
    }

    /// Replaces the section between the search markers of `docs/benchmarks.md`.
    fn write_into(&self, path: &Path, markdown: &str) {
        let (start, end) = ("<!-- search:start -->", "<!-- search:end -->");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let section = format!("{start}\n{markdown}\n{end}");
        let updated = match (text.find(start), text.find(end)) {
            (Some(from), Some(to)) => {
                format!("{}{section}{}", &text[..from], &text[to + end.len()..])
            }
            _ => format!("{}\n## Itinerary search\n\n{section}\n", text.trim_end()),
        };
        std::fs::write(path, updated).expect("docs/benchmarks.md is writable");
    }

    /// The latency distributions of engine and baseline as cumulative curves on a logarithmic
    /// time axis, in a hand-written SVG.
    fn svg(&self) -> String {
        let (width, height) = (720.0, 460.0);
        let (left, right, top, bottom) = (70.0, 40.0, 40.0, 120.0);
        let (plot_width, plot_height) = (width - left - right, height - top - bottom);
        let (decade_min, decade_max) = (-5, 1); // 10 µs to 10 s
        let x = |seconds: f64| {
            let decades = seconds.max(1e-6).log10().clamp(decade_min as f64, decade_max as f64);
            left + (decades - decade_min as f64) / f64::from(decade_max - decade_min) * plot_width
        };
        let y = |fraction: f64| top + (1.0 - fraction) * plot_height;
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">"#
        );
        let _ = write!(svg, r#"<rect width="{width}" height="{height}" fill="white"/>"#);
        let _ = write!(
            svg,
            r#"<text x="{}" y="22" text-anchor="middle" font-size="14">Itinerary search: time per query (cumulative share of queries)</text>"#,
            width / 2.0
        );
        for decade in decade_min..=decade_max {
            let at = x(10f64.powi(decade));
            let label = match decade {
                -6 => "1 µs",
                -5 => "10 µs",
                -4 => "100 µs",
                -3 => "1 ms",
                -2 => "10 ms",
                -1 => "100 ms",
                0 => "1 s",
                _ => "10 s",
            };
            let _ = write!(
                svg,
                r##"<line x1="{at}" y1="{top}" x2="{at}" y2="{}" stroke="#ddd"/><text x="{at}" y="{}" text-anchor="middle">{label}</text>"##,
                top + plot_height,
                top + plot_height + 18.0
            );
        }
        for step in 0..=4 {
            let fraction = f64::from(step) / 4.0;
            let at = y(fraction);
            let _ = write!(
                svg,
                r##"<line x1="{left}" y1="{at}" x2="{}" y2="{at}" stroke="#ddd"/><text x="{}" y="{}" text-anchor="end">{}%</text>"##,
                left + plot_width,
                left - 6.0,
                at + 4.0,
                step * 25
            );
        }
        let budget = x(BASELINE_BUDGET.as_secs_f64());
        let _ = write!(
            svg,
            r##"<line x1="{budget}" y1="{top}" x2="{budget}" y2="{}" stroke="#888" stroke-dasharray="4 4"/><text x="{}" y="{}" fill="#555" text-anchor="end">baseline budget</text>"##,
            top + plot_height,
            budget - 4.0,
            top + 14.0
        );
        let curves = [
            (
                &self.engine.times,
                "#1565c0",
                "",
                format!("engine, 4 legs at most, {} queries", self.engine.times.len()),
            ),
            (
                &self.four_legs.baseline.times,
                "#c62828",
                "",
                format!(
                    "baseline, 4 legs at most, {} queries ({} stopped at the budget)",
                    self.four_legs.baseline.times.len(),
                    self.four_legs.baseline.unfinished()
                ),
            ),
            (
                &self.two_legs.engine.times,
                "#1565c0",
                "6 4",
                format!("engine, 2 legs at most, {} queries", self.two_legs.engine.times.len()),
            ),
            (
                &self.two_legs.baseline.times,
                "#c62828",
                "6 4",
                format!(
                    "baseline, 2 legs at most, {} queries ({} stopped at the budget)",
                    self.two_legs.baseline.times.len(),
                    self.two_legs.baseline.unfinished()
                ),
            ),
        ];
        for (number, (durations, colour, dashes, label)) in curves.iter().enumerate() {
            let mut sorted = durations.to_vec();
            sorted.sort();
            let mut points = format!("{},{}", x(sorted[0].as_secs_f64()), y(0.0));
            for (rank, duration) in sorted.iter().enumerate() {
                let (at, before, after) = (
                    x(duration.as_secs_f64()),
                    y(rank as f64 / sorted.len() as f64),
                    y((rank + 1) as f64 / sorted.len() as f64),
                );
                let _ = write!(points, " {at},{before} {at},{after}");
            }
            let _ = write!(
                svg,
                r#"<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dashes}"/>"#
            );
            let legend_y = height - bottom + 44.0 + 16.0 * number as f64;
            let _ = write!(
                svg,
                r#"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="2" stroke-dasharray="{dashes}"/><text x="{}" y="{}">{label}</text>"#,
                legend_y - 4.0,
                left + 24.0,
                legend_y - 4.0,
                left + 30.0,
                legend_y
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

fn docs_path(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs").join(file)
}

/// The CPU and core count, for the record.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{} ({cores} cores)", model.unwrap_or_else(|| "an unknown CPU".into()))
}
