//! The search index: every known flight, arranged for the rounds of the search, kept current
//! by small updates.
//!
//! Flights are grouped into *routes*: one route per origin, destination and airline, holding
//! its departures in time order. A search scans a route from the first departure a passenger
//! could still board, so each route is a sorted vector searched by bisection. Each departure
//! also carries the lowest fare and the earliest arrival of itself and every later departure
//! of its route: a scan stops as soon as nothing further along can beat what it has found.
//!
//! Updates touch one route: inserting, moving or removing a departure shifts the rest of that
//! route's vector and refreshes the running minimums before it, in time linear in the route's
//! length (tens to hundreds of departures), never in the size of the network.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;

use crate::airline::AirlineId;
use crate::airport::AirportCode;
use crate::flight::{Flight, FlightId, FlightStatus};
use crate::money::FARE_CENTS_MAX;

/// Nanoseconds in a minute: the engine measures time in nanoseconds since the Unix epoch.
pub(super) const MINUTE_NANOS: i64 = 60_000_000_000;

/// An airport's position in the index's tables.
pub(super) type AirportIndex = u32;
/// An airline's position in the index's tables.
pub(super) type AirlineIndex = u32;
/// A flight's position in the index's tables.
pub(super) type Slot = u32;

/// Every known flight and its seats available, arranged for itinerary search.
///
/// It is built empty and kept current with [`upsert`](Self::upsert), [`remove`](Self::remove)
/// and [`set_seats_available`](Self::set_seats_available), each a small change to one route:
/// there is no rebuild, and a search always sees the flights as they are. It holds any number
/// of days; a search looks only at the departures its query can use.
///
/// Updates take `&mut self` and searches `&self`: a node shares one index behind a
/// reader-writer lock, so searches run in parallel and an update waits for them only as long
/// as one search takes.
///
/// Cancelled flights stay in the index (it can still say what it knows about them) but are
/// never proposed. Neither are flights that would arrive before they depart, start and end at
/// the same airport, cost more than a fare may (`FARE_CENTS_MAX`), or lie outside the years
/// 1678 to 2262 (the range of the engine's clock): the domain's own checks refuse all of these
/// long before they could get here.
#[derive(Debug, Default)]
pub struct SearchIndex {
    airports: Interner<AirportCode>,
    airlines: Interner<AirlineId>,
    by_id: HashMap<FlightId, Slot>,
    slots: Vec<Option<Entry>>,
    free_slots: Vec<Slot>,
    route_by_key: HashMap<(AirportIndex, AirportIndex, AirlineIndex), u32>,
    routes: Vec<Route>,
    /// Routes leaving each airport, by destination then airline.
    links_from: Vec<Vec<Link>>,
    /// Routes arriving at each airport, by origin then airline.
    links_to: Vec<Vec<Link>>,
    /// How many searchable flights depart or arrive off a whole minute.
    off_minute_flights: usize,
}

/// One flight as the index holds it.
#[derive(Debug)]
pub(super) struct Entry {
    pub(super) flight: Arc<Flight>,
    pub(super) seats_available: u32,
    /// The route it is scheduled on; `None` when it is not searchable (cancelled…).
    route: Option<u32>,
}

/// A route as seen from one of its airports: what a search needs to decide whether to look
/// at its departures at all, kept next to the other routes of that airport so that deciding
/// touches no departure.
#[derive(Debug, Clone, Copy)]
pub(super) struct Link {
    /// The airport at the other end: the destination of a route leaving, the origin of one
    /// arriving.
    pub(super) airport: AirportIndex,
    pub(super) airline: AirlineIndex,
    pub(super) route: u32,
    /// The route's lowest fare, in cents; `i64::MAX` when it has no departure.
    pub(super) fare_min: i64,
    /// The route's shortest time in the air, in nanoseconds.
    pub(super) block_nanos_min: i64,
}

/// The departures of one airline from one airport to another, in time order.
#[derive(Debug)]
pub(super) struct Route {
    origin: AirportIndex,
    destination: AirportIndex,
    airline: AirlineIndex,
    /// The departure instant of each of `departures`: bisected on its own, so that finding
    /// where to start reads a few cache lines, not a few departures each.
    departure_times: Vec<i64>,
    departures: Vec<Departure>,
    /// The lowest fare of any of its departures, in cents; `i64::MAX` when it has none.
    fare_min: i64,
    /// The shortest time in the air of any of its departures, in nanoseconds.
    block_nanos_min: i64,
}

/// One departure of a route, with what a scan needs to know without touching the flight.
#[derive(Debug, Clone, Copy)]
pub(super) struct Departure {
    pub(super) departure: i64,
    pub(super) arrival: i64,
    /// Fare for one seat, in cents.
    pub(super) fare: i64,
    pub(super) seats_available: u32,
    pub(super) slot: Slot,
    /// The lowest fare of this departure and every later one of the route.
    pub(super) fare_min_from_here: i64,
    /// The earliest arrival of this departure and every later one of the route.
    pub(super) arrival_min_from_here: i64,
}

impl Route {
    /// The departures at or after `instant`.
    pub(super) fn departures_from(&self, instant: i64) -> &[Departure] {
        &self.departures[self.departure_times.partition_point(|&departure| departure < instant)..]
    }

    /// Refreshes the running minimums of every departure before position `end`, and the
    /// route's shortest block time.
    fn refresh(&mut self, end: usize) {
        let (mut fare, mut arrival) = match self.departures.get(end) {
            Some(next) => (next.fare_min_from_here, next.arrival_min_from_here),
            None => (i64::MAX, i64::MAX),
        };
        for departure in self.departures[..end].iter_mut().rev() {
            fare = fare.min(departure.fare);
            arrival = arrival.min(departure.arrival);
            departure.fare_min_from_here = fare;
            departure.arrival_min_from_here = arrival;
        }
        self.fare_min = self.departures.first().map_or(i64::MAX, |first| first.fare_min_from_here);
        self.block_nanos_min = self
            .departures
            .iter()
            .map(|departure| departure.arrival - departure.departure)
            .min()
            .unwrap_or(i64::MAX);
    }

    fn position(&self, departure: i64, slot: Slot) -> Result<usize, usize> {
        self.departures
            .binary_search_by(|probe| (probe.departure, probe.slot).cmp(&(departure, slot)))
    }
}

/// Where the link to `airport` by `airline` is, or goes, in `links`.
fn link_position(links: &[Link], airport: AirportIndex, airline: AirlineIndex) -> usize {
    links.partition_point(|link| (link.airport, link.airline) < (airport, airline))
}

/// Values numbered in order of first appearance, so tables can be indexed by number.
#[derive(Debug)]
struct Interner<T> {
    values: Vec<T>,
    numbers: HashMap<T, u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Self { values: Vec::new(), numbers: HashMap::new() }
    }
}

impl<T: Clone + Eq + std::hash::Hash> Interner<T> {
    fn number(&mut self, value: &T) -> u32 {
        if let Some(&number) = self.numbers.get(value) {
            return number;
        }
        let number = u32::try_from(self.values.len()).expect("fewer than 2^32 values");
        self.values.push(value.clone());
        self.numbers.insert(value.clone(), number);
        number
    }
}

/// Instant `at` in nanoseconds since the Unix epoch, if it fits the engine's clock.
pub(super) fn nanos(at: Timestamp) -> Option<i64> {
    i64::try_from(at.as_nanosecond()).ok()
}

impl SearchIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// An index of `flights`, each with its seats available.
    pub fn from_flights(flights: impl IntoIterator<Item = (Arc<Flight>, u32)>) -> Self {
        let mut index = Self::new();
        for (flight, seats_available) in flights {
            index.upsert(flight, seats_available);
        }
        index
    }

    /// Adds `flight` with `seats_available`, or replaces the flight of the same id (its times,
    /// fare, status and seats all taken from the new one).
    pub fn upsert(&mut self, flight: impl Into<Arc<Flight>>, seats_available: u32) {
        let flight = flight.into();
        if let Some(&slot) = self.by_id.get(&flight.id) {
            self.unschedule(slot);
            let route = self.schedule(&flight, seats_available, slot);
            self.slots[slot as usize] = Some(Entry { flight, seats_available, route });
            return;
        }
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                Slot::try_from(self.slots.len() - 1).expect("fewer than 2^32 flights")
            }
        };
        let route = self.schedule(&flight, seats_available, slot);
        self.by_id.insert(flight.id, slot);
        self.slots[slot as usize] = Some(Entry { flight, seats_available, route });
    }

    /// Removes the flight `id`, returning it if it was there.
    pub fn remove(&mut self, id: FlightId) -> Option<Arc<Flight>> {
        let slot = self.by_id.remove(&id)?;
        self.unschedule(slot);
        let entry = self.slots[slot as usize].take().expect("an indexed id has an entry");
        self.free_slots.push(slot);
        Some(entry.flight)
    }

    /// Records that flight `id` now has `seats_available`; false if the index does not hold it.
    pub fn set_seats_available(&mut self, id: FlightId, seats_available: u32) -> bool {
        let Some(&slot) = self.by_id.get(&id) else { return false };
        let entry = self.slots[slot as usize].as_mut().expect("an indexed id has an entry");
        entry.seats_available = seats_available;
        if let Some(route) = entry.route {
            let departure = nanos(entry.flight.departure).expect("scheduled flights fit the clock");
            let route = &mut self.routes[route as usize];
            let position =
                route.position(departure, slot).expect("scheduled flights are on their route");
            route.departures[position].seats_available = seats_available;
        }
        true
    }

    /// The flight `id` and its seats available.
    pub fn get(&self, id: FlightId) -> Option<(&Arc<Flight>, u32)> {
        let entry = self.entry(*self.by_id.get(&id)?);
        Some((&entry.flight, entry.seats_available))
    }

    /// Every flight it holds, cancelled ones included, with its seats available, in no order.
    pub fn flights(&self) -> impl Iterator<Item = (&Arc<Flight>, u32)> {
        self.slots.iter().flatten().map(|entry| (&entry.flight, entry.seats_available))
    }

    /// How many flights it holds, cancelled ones included.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether it holds no flight.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Puts `flight` on its route if it can be proposed, returning the route.
    fn schedule(&mut self, flight: &Flight, seats_available: u32, slot: Slot) -> Option<u32> {
        let (departure, arrival) = (nanos(flight.departure)?, nanos(flight.arrival)?);
        let searchable = flight.status == FlightStatus::Scheduled
            && arrival >= departure
            && flight.origin != flight.destination
            && flight.price.cents() <= FARE_CENTS_MAX;
        if !searchable {
            return None;
        }
        if departure % MINUTE_NANOS != 0 || arrival % MINUTE_NANOS != 0 {
            self.off_minute_flights += 1;
        }
        let number = self.route(flight.origin, flight.destination, &flight.airline);
        let route = &mut self.routes[number as usize];
        let fare = flight.price.cents();
        let position = route.position(departure, slot).expect_err("a flight is scheduled once");
        let new = Departure {
            departure,
            arrival,
            fare,
            seats_available,
            slot,
            fare_min_from_here: fare,
            arrival_min_from_here: arrival,
        };
        route.departures.insert(position, new);
        route.departure_times.insert(position, departure);
        route.refresh(position + 1);
        self.relink(number);
        Some(number)
    }

    /// Takes flight `slot` off its route, if it is on one.
    fn unschedule(&mut self, slot: Slot) {
        let entry = self.slots[slot as usize].as_mut().expect("an indexed id has an entry");
        let Some(route) = entry.route.take() else { return };
        let (departure, arrival) = (
            nanos(entry.flight.departure).expect("scheduled flights fit the clock"),
            nanos(entry.flight.arrival).expect("scheduled flights fit the clock"),
        );
        if departure % MINUTE_NANOS != 0 || arrival % MINUTE_NANOS != 0 {
            self.off_minute_flights -= 1;
        }
        let number = route;
        let route = &mut self.routes[number as usize];
        let position =
            route.position(departure, slot).expect("scheduled flights are on their route");
        route.departures.remove(position);
        route.departure_times.remove(position);
        route.refresh(position);
        self.relink(number);
    }

    /// Copies route `number`'s lowest fare and shortest block time into its two links.
    fn relink(&mut self, number: u32) {
        let route = &self.routes[number as usize];
        let (fare_min, block_nanos_min) = (route.fare_min, route.block_nanos_min);
        let from = &mut self.links_from[route.origin as usize];
        let position = link_position(from, route.destination, route.airline);
        from[position].fare_min = fare_min;
        from[position].block_nanos_min = block_nanos_min;
        let to = &mut self.links_to[route.destination as usize];
        let position = link_position(to, route.origin, route.airline);
        to[position].fare_min = fare_min;
        to[position].block_nanos_min = block_nanos_min;
    }

    /// The route of `airline` from `origin` to `destination`, made if new.
    fn route(&mut self, origin: AirportCode, destination: AirportCode, airline: &AirlineId) -> u32 {
        let origin = self.airport(origin);
        let destination = self.airport(destination);
        let airline = self.airlines.number(airline);
        if let Some(&route) = self.route_by_key.get(&(origin, destination, airline)) {
            return route;
        }
        let number = u32::try_from(self.routes.len()).expect("fewer than 2^32 routes");
        self.routes.push(Route {
            origin,
            destination,
            airline,
            departure_times: Vec::new(),
            departures: Vec::new(),
            fare_min: i64::MAX,
            block_nanos_min: i64::MAX,
        });
        self.route_by_key.insert((origin, destination, airline), number);
        let link = |airport| Link {
            airport,
            airline,
            route: number,
            fare_min: i64::MAX,
            block_nanos_min: i64::MAX,
        };
        let from = &mut self.links_from[origin as usize];
        from.insert(link_position(from, destination, airline), link(destination));
        let to = &mut self.links_to[destination as usize];
        to.insert(link_position(to, origin, airline), link(origin));
        number
    }

    fn airport(&mut self, code: AirportCode) -> AirportIndex {
        let number = self.airports.number(&code);
        if self.links_from.len() <= number as usize {
            self.links_from.resize_with(number as usize + 1, Vec::new);
            self.links_to.resize_with(number as usize + 1, Vec::new);
        }
        number
    }

    // What the engine reads.

    pub(super) fn airport_index(&self, code: AirportCode) -> Option<AirportIndex> {
        self.airports.numbers.get(&code).copied()
    }

    pub(super) fn airport_codes(&self) -> &[AirportCode] {
        &self.airports.values
    }

    pub(super) fn airline_ids(&self) -> &[AirlineId] {
        &self.airlines.values
    }

    pub(super) fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The routes leaving `airport`, by destination then airline.
    pub(super) fn links_from(&self, airport: AirportIndex) -> &[Link] {
        &self.links_from[airport as usize]
    }

    /// The routes arriving at `airport`, by origin then airline.
    pub(super) fn links_to(&self, airport: AirportIndex) -> &[Link] {
        &self.links_to[airport as usize]
    }

    pub(super) fn entry(&self, slot: Slot) -> &Entry {
        self.slots[slot as usize].as_ref().expect("routes hold live slots")
    }

    /// Whether every searchable flight departs and arrives on a whole minute, so that
    /// connection times in minutes are exact multiples of a minute in nanoseconds.
    pub(super) fn whole_minutes(&self) -> bool {
        self.off_minute_flights == 0
    }
}
