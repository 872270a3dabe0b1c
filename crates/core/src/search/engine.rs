//! The rounds of the search: McRAPTOR over flights, with the dominance rule of the module
//! documentation.
//!
//! A [`Label`] is one way of being at an airport: a sequence of flights from the origin,
//! summarised by what the rest of the trip depends on. Labels live in one arena and point to
//! the label they extend, so a trip is read back by following parents. Each airport keeps a
//! *bag*: the labels there that no other label there dominates. The destination keeps its
//! own bag, the answer, under the plainer dominance of whole trips.

use jiff::Timestamp;

use super::SearchOptions;
use super::index::{
    AirlineIndex, AirportIndex, Departure, Link, MINUTE_NANOS, SearchIndex, Slot, nanos,
};
use super::query::Query;
use crate::airline::AirlineId;
use crate::flight::FlightId;
use crate::itinerary::ConnectionRules;

/// Marks a label that starts the trip: its flight is the first.
const NO_PARENT: u32 = u32::MAX;
/// "Cannot get there": larger than any sum the search makes.
const UNREACHABLE: i64 = i64::MAX / 4;

/// One way of being at an airport.
#[derive(Debug, Clone, Copy)]
struct Label {
    /// When the last flight landed here, in nanoseconds since the epoch.
    arrival: i64,
    /// When the first flight left the origin.
    departure: i64,
    /// Sum of fares times passengers, in cents.
    price: i64,
    /// The label this one extends, or [`NO_PARENT`].
    parent: u32,
    /// The flight that landed here.
    slot: Slot,
    airport: AirportIndex,
    /// The airline of the flight that landed here: the next connection's minimum depends on it.
    airline: AirlineIndex,
    legs: u8,
    /// Whether some flight so far belongs to an offline airline.
    offline: bool,
    /// False once another label dominates it: it is no longer extended.
    alive: bool,
    /// Bit `airport % 64` of every airport on the way, origin included: a quick "surely not
    /// visited" before walking the parents.
    visited: u64,
}

/// Minimum gaps between landing and leaving at one airport, in nanoseconds, exact for
/// `ConnectionRules::minimum_minutes` on this index's instants.
#[derive(Debug, Clone, Copy)]
struct Gaps {
    same_airline: i64,
    interline: i64,
}

impl Gaps {
    fn min(self) -> i64 {
        self.same_airline.min(self.interline)
    }

    fn max(self) -> i64 {
        self.same_airline.max(self.interline)
    }
}

/// A trip the search found: its flights in order and its criteria.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub(super) slots: Vec<Slot>,
    pub(super) price_cents: i64,
    pub(super) offline: bool,
}

/// The state of one search.
pub(super) struct Search<'a> {
    index: &'a SearchIndex,
    query: &'a Query,
    origin: AirportIndex,
    destination: AirportIndex,
    passengers: u32,
    legs_max: u8,
    window_start: i64,
    window_end: i64,
    /// Whether `window_start..=window_end` is exactly the query's date and window, or a wider
    /// span whose first flights must each be checked (the origin's clock changes near the date).
    window_exact: bool,
    latest_arrival: i64,
    gaps: Vec<Gaps>,
    /// Whether a trip can never gain from passing an airport twice (see the module doc), so
    /// that dominance may ignore which airports a label passed.
    loops_never_pay: bool,
    offline: Vec<bool>,
    /// `bounds[r][airport]`: lower bounds to reach the destination from `airport` in at most
    /// `r` more flights, for `r` up to `legs_max - 1`.
    bounds: Vec<Vec<Bound>>,
    labels: Vec<Label>,
    bags: Vec<Vec<u32>>,
    target: Vec<u32>,
    marked: Vec<u32>,
}

/// Lower bounds of what the rest of a trip costs from an airport.
#[derive(Debug, Clone, Copy)]
struct Bound {
    /// Fewest flights, or `u8::MAX` when it cannot be reached.
    legs: u8,
    /// Lowest price for all passengers, in cents.
    price: i64,
    /// Least time from landing here to landing there, in nanoseconds. When a minimum gap is
    /// negative no such bound holds, and it is so negative that it never prunes.
    time: i64,
}

const NO_BOUND: Bound = Bound { legs: u8::MAX, price: UNREACHABLE, time: UNREACHABLE };

impl<'a> Search<'a> {
    /// Prepares a search of `index` for `query`; `None` when an airport of the query is not in
    /// the index (no flight touches it, so there is no itinerary).
    pub(super) fn new(
        index: &'a SearchIndex,
        query: &'a Query,
        rules: &ConnectionRules,
        is_offline: &dyn Fn(&AirlineId) -> bool,
        options: &SearchOptions,
    ) -> Option<Self> {
        let origin = index.airport_index(query.origin())?;
        let destination = index.airport_index(query.destination())?;
        let gaps = connection_gaps(index, rules);
        let gap_min = gaps.iter().map(|gaps| gaps.min()).min().unwrap_or(0);
        let loops_never_pay = gap_min >= 0
            && gaps
                .iter()
                .all(|gaps| gaps.max() <= gaps.min().saturating_mul(2).saturating_add(gap_min));
        let (window_start, window_end, window_exact) = window(query);
        let mut search = Self {
            index,
            query,
            origin,
            destination,
            passengers: query.passengers(),
            legs_max: u8::try_from(rules.legs_max).unwrap_or(u8::MAX - 1).min(u8::MAX - 1),
            window_start,
            window_end,
            window_exact,
            latest_arrival: nanos(query.latest_arrival(options)).unwrap_or(i64::MAX),
            gaps,
            loops_never_pay,
            offline: index.airline_ids().iter().map(is_offline).collect(),
            bounds: Vec::new(),
            labels: Vec::new(),
            bags: vec![Vec::new(); index.airport_codes().len()],
            target: Vec::new(),
            marked: Vec::new(),
        };
        search.bounds = search.lower_bounds(gap_min >= 0);
        Some(search)
    }

    /// Runs the rounds and returns the destination's bag: one trip per Pareto-optimal
    /// combination of arrival, legs, price and bookability.
    pub(super) fn run(mut self) -> Vec<Found> {
        if self.legs_max == 0 {
            return Vec::new();
        }
        self.first_round();
        for round in 2..=self.legs_max {
            if self.marked.is_empty() {
                break;
            }
            self.round(round);
        }
        self.target.iter().map(|&id| self.found(id)).collect()
    }

    /// Round 1: the first flights, leaving the origin inside the query's date and window.
    /// Flights to the destination first: the trips they make prune the rest.
    fn first_round(&mut self) {
        let (to_destination, elsewhere) = self.links_from(self.origin);
        for link in to_destination.iter().chain(elsewhere.into_iter().flatten()) {
            if self.useful(link.airport, 1) {
                self.board(None, link, self.window_start, self.window_end, 1);
            }
        }
    }

    /// Round `round` (2 or more): one more flight after each label the previous round made.
    ///
    /// In two passes: first every flight to the destination, so that the trips of this round
    /// are in the destination's bag before the labels that would go on elsewhere are made,
    /// and then everything else, pruned by them.
    fn round(&mut self, round: u8) {
        let frontier = std::mem::take(&mut self.marked);
        for finishing in [true, false] {
            for &id in &frontier {
                let label = self.labels[id as usize];
                if !label.alive || self.bounded_out(&label) {
                    continue;
                }
                let (to_destination, elsewhere) = self.links_from(label.airport);
                let links = if finishing { [to_destination, &[]] } else { elsewhere };
                for link in links.into_iter().flatten() {
                    self.extend(id, &label, link, round);
                }
            }
        }
    }

    /// The routes leaving `airport`: those to the destination, and the others (in two runs,
    /// before and after them).
    fn links_from(&self, airport: AirportIndex) -> (&'a [Link], [&'a [Link]; 2]) {
        let links = self.index.links_from(airport);
        let start = links.partition_point(|link| link.airport < self.destination);
        let end = start + links[start..].partition_point(|link| link.airport == self.destination);
        (&links[start..end], [&links[..start], &links[end..]])
    }

    /// Extends `label` (number `id`) by the flights of one route it can connect to.
    fn extend(&mut self, id: u32, label: &Label, link: &Link, round: u8) {
        let next = link.airport;
        if next == self.origin || !self.useful(next, round) || self.visits(label, next) {
            return;
        }
        let gaps = self.gaps[label.airport as usize];
        let gap = if link.airline == label.airline { gaps.same_airline } else { gaps.interline };
        let ready = label.arrival.saturating_add(gap);
        self.board(Some(id), link, ready, self.latest_arrival, round);
    }

    /// Offers a label for each departure of `link`'s route worth taking after label `from`
    /// (or from the origin, when `None`), departing from `ready` until `last`, as flight
    /// number `legs` of the trip.
    fn board(&mut self, from: Option<u32>, link: &Link, ready: i64, last: i64, legs: u8) {
        let passengers = i64::from(self.passengers);
        let before = from.map(|id| self.labels[id as usize]);
        let price = before.map_or(0, |before| before.price);
        let offline =
            before.is_some_and(|before| before.offline) || self.offline[link.airline as usize];
        // The best this route could do: its lowest fare, its shortest flight.
        if link.fare_min == i64::MAX
            || self.beaten(
                link.airport,
                legs,
                price + link.fare_min * passengers,
                ready.saturating_add(link.block_nanos_min),
                offline,
            )
        {
            return;
        }
        let route = &self.index.routes()[link.route as usize];
        let mut best = Best::default();
        for departure in route.departures_from(ready) {
            if departure.departure > last
                || best.beats_every_later(departure)
                || self.beaten(
                    link.airport,
                    legs,
                    price + departure.fare_min_from_here * passengers,
                    departure.arrival_min_from_here,
                    offline,
                )
            {
                break;
            }
            if !self.boardable(departure) || best.beats(departure) {
                continue;
            }
            let first = before.is_none();
            if first
                && !self.window_exact
                && !self.query.departs_in_time(self.departure_of(departure))
            {
                continue;
            }
            best.record(departure);
            self.offer(Label {
                arrival: departure.arrival,
                departure: before.map_or(departure.departure, |before| before.departure),
                price: price + departure.fare * passengers,
                parent: from.unwrap_or(NO_PARENT),
                slot: departure.slot,
                airport: link.airport,
                airline: link.airline,
                legs,
                offline,
                alive: true,
                visited: before.map_or(bit(self.origin), |before| before.visited)
                    | bit(link.airport),
            });
        }
    }

    /// Whether a departure has room and lands in time.
    fn boardable(&self, departure: &Departure) -> bool {
        departure.seats_available >= self.passengers && departure.arrival <= self.latest_arrival
    }

    fn departure_of(&self, departure: &Departure) -> Timestamp {
        self.index.entry(departure.slot).flight.departure
    }

    /// Whether a label at `airport` after `legs` flights can still reach the destination.
    fn useful(&self, airport: AirportIndex, legs: u8) -> bool {
        airport == self.destination
            || (legs < self.legs_max
                && self.bounds[usize::from(self.legs_max - legs)][airport as usize].legs != u8::MAX)
    }

    /// Puts `label` in its airport's bag, unless a label there dominates it; drops what it
    /// dominates.
    fn offer(&mut self, label: Label) {
        if label.airport == self.destination {
            return self.offer_trip(label);
        }
        if self.bounded_out(&label) {
            return;
        }
        let bag = &self.bags[label.airport as usize];
        if bag.iter().any(|&other| self.dominates(&self.labels[other as usize], &label)) {
            return;
        }
        let id = u32::try_from(self.labels.len()).expect("fewer than 2^32 labels");
        let mut bag = std::mem::take(&mut self.bags[label.airport as usize]);
        bag.retain(|&other| {
            let dominated = self.dominates(&label, &self.labels[other as usize]);
            if dominated {
                self.labels[other as usize].alive = false;
            }
            !dominated
        });
        bag.push(id);
        self.bags[label.airport as usize] = bag;
        self.labels.push(label);
        self.marked.push(id);
    }

    /// Puts a whole trip in the destination's bag, unless one there dominates it.
    fn offer_trip(&mut self, trip: Label) {
        if self.target.iter().any(|&other| self.dominates_trip(&self.labels[other as usize], &trip))
        {
            return;
        }
        let mut target = std::mem::take(&mut self.target);
        target.retain(|&other| !self.dominates_trip(&trip, &self.labels[other as usize]));
        let id = u32::try_from(self.labels.len()).expect("fewer than 2^32 labels");
        target.push(id);
        self.target = target;
        self.labels.push(trip);
    }

    /// Whether a trip found already beats every trip that could extend `label`.
    fn bounded_out(&self, label: &Label) -> bool {
        self.beaten(label.airport, label.legs, label.price, label.arrival, label.offline)
    }

    /// Whether a trip found already beats every trip that could extend any label at `airport`
    /// after `legs` flights, costing at least `price`, landing at `arrival` or later, needing
    /// an offline airline if `offline`.
    fn beaten(
        &self,
        airport: AirportIndex,
        legs: u8,
        price: i64,
        arrival: i64,
        offline: bool,
    ) -> bool {
        let bound = self.bounds[usize::from(self.legs_max - legs)][airport as usize];
        if bound.legs == u8::MAX {
            return true;
        }
        let legs = legs + bound.legs;
        let price = price.saturating_add(bound.price);
        let arrival = arrival.saturating_add(bound.time);
        self.target.iter().any(|&trip| {
            let trip = &self.labels[trip as usize];
            trip.arrival <= arrival
                && trip.legs <= legs
                && trip.price <= price
                && (!trip.offline || offline)
                && (trip.arrival < arrival
                    || trip.legs < legs
                    || trip.price < price
                    || (!trip.offline && offline))
        })
    }

    /// Whether label `a` dominates label `b`, both at one airport that is not the destination:
    /// every way to finish `b`'s trip finishes `a`'s, at least as well (see the module doc).
    fn dominates(&self, a: &Label, b: &Label) -> bool {
        if a.legs > b.legs || a.price > b.price || (a.offline && !b.offline) {
            return false;
        }
        let gaps = self.gaps[a.airport as usize];
        let penalty =
            if a.airline == b.airline { 0 } else { gaps.max().saturating_sub(gaps.min()) };
        if a.arrival.saturating_add(penalty) > b.arrival {
            return false;
        }
        if a.legs == b.legs && a.price == b.price && !self.ranks_first(a, b) {
            return false;
        }
        self.loops_never_pay || self.passes_only_where(a, b)
    }

    /// Whether whole trip `a` dominates whole trip `b`: it arrives no later, with no more
    /// flights, costs no more, is bookable if `b` is, and is better somewhere or first among
    /// equals.
    fn dominates_trip(&self, a: &Label, b: &Label) -> bool {
        if a.arrival > b.arrival
            || a.legs > b.legs
            || a.price > b.price
            || (a.offline && !b.offline)
        {
            return false;
        }
        a.arrival < b.arrival
            || a.legs < b.legs
            || a.price < b.price
            || a.offline != b.offline
            || self.ranks_first(a, b)
    }

    /// The tie-break between labels with as many flights: the later first departure, then the
    /// smaller flight ids in order. True when `a` comes first or they are the same.
    fn ranks_first(&self, a: &Label, b: &Label) -> bool {
        if a.departure != b.departure {
            return a.departure > b.departure;
        }
        self.flight_ids(a) <= self.flight_ids(b)
    }

    /// Whether every airport `a` passed is one `b` passed.
    fn passes_only_where(&self, a: &Label, b: &Label) -> bool {
        if a.visited & !b.visited != 0 {
            return false;
        }
        self.ancestors(a)
            .all(|earlier| earlier.airport == self.origin || self.visits(b, earlier.airport))
    }

    /// Whether `label`'s trip has passed `airport` (origin included).
    fn visits(&self, label: &Label, airport: AirportIndex) -> bool {
        if label.visited & bit(airport) == 0 {
            return false;
        }
        airport == self.origin
            || airport == label.airport
            || self.ancestors(label).any(|earlier| earlier.airport == airport)
    }

    /// The labels `label` extends, nearest first.
    fn ancestors<'s>(&'s self, label: &Label) -> impl Iterator<Item = &'s Label> + 's {
        let mut parent = label.parent;
        std::iter::from_fn(move || {
            if parent == NO_PARENT {
                return None;
            }
            let earlier = &self.labels[parent as usize];
            parent = earlier.parent;
            Some(earlier)
        })
    }

    fn slots(&self, label: &Label) -> Vec<Slot> {
        let mut slots: Vec<Slot> = std::iter::once(label.slot)
            .chain(self.ancestors(label).map(|earlier| earlier.slot))
            .collect();
        slots.reverse();
        slots
    }

    fn flight_ids(&self, label: &Label) -> Vec<FlightId> {
        self.slots(label).into_iter().map(|slot| self.index.entry(slot).flight.id).collect()
    }

    fn found(&self, id: u32) -> Found {
        let trip = &self.labels[id as usize];
        Found { slots: self.slots(trip), price_cents: trip.price, offline: trip.offline }
    }

    /// Lower bounds from every airport to the destination within `r` flights, for every `r`
    /// up to the legs limit: a relaxation backwards from the destination, one flight per
    /// step, over each route's lowest fare and shortest block time. The time bound holds only
    /// when no minimum gap is negative (`gaps_non_negative`); otherwise it never prunes.
    fn lower_bounds(&self, gaps_non_negative: bool) -> Vec<Vec<Bound>> {
        let airports = self.index.airport_codes().len();
        // A label has made at least one flight, so no more than `legs_max - 1` are left.
        let remaining_max = usize::from(self.legs_max.max(1) - 1);
        let mut bounds = vec![vec![NO_BOUND; airports]; remaining_max + 1];
        let destination = self.destination as usize;
        bounds[0][destination] = Bound { legs: 0, price: 0, time: 0 };
        let passengers = i64::from(self.passengers);
        // Only the airports whose bounds the previous step improved can improve others.
        let mut improved = vec![self.destination];
        for remaining in 1..=remaining_max {
            let (done, todo) = bounds.split_at_mut(remaining);
            let (before, now) = (&done[remaining - 1], &mut todo[0]);
            now.copy_from_slice(before);
            let mut improved_now = Vec::new();
            for airport in improved {
                let after = before[airport as usize];
                for link in self.index.links_to(airport) {
                    let from = link.airport as usize;
                    if link.fare_min == i64::MAX || from == destination {
                        continue;
                    }
                    let time = if gaps_non_negative {
                        after
                            .time
                            .saturating_add(self.gaps[from].min())
                            .saturating_add(link.block_nanos_min)
                    } else {
                        i64::MIN / 4
                    };
                    let candidate = Bound {
                        legs: after.legs + 1,
                        price: after.price + link.fare_min * passengers,
                        time,
                    };
                    let bound = &mut now[from];
                    if candidate.legs < bound.legs
                        || candidate.price < bound.price
                        || candidate.time < bound.time
                    {
                        if improved_now.last() != Some(&link.airport) {
                            improved_now.push(link.airport);
                        }
                        bound.legs = bound.legs.min(candidate.legs);
                        bound.price = bound.price.min(candidate.price);
                        bound.time = bound.time.min(candidate.time);
                    }
                }
            }
            improved_now.sort_unstable();
            improved_now.dedup();
            improved = improved_now;
        }
        bounds
    }
}

/// The best departure a scan of one route has recorded: later departures of the route that
/// cost more and land no earlier are dominated by it.
#[derive(Debug, Clone, Copy)]
struct Best {
    fare: i64,
    /// The earliest arrival among recorded departures of that fare.
    arrival: i64,
}

impl Default for Best {
    fn default() -> Self {
        Self { fare: i64::MAX, arrival: i64::MAX }
    }
}

impl Best {
    fn beats(&self, departure: &Departure) -> bool {
        departure.fare > self.fare && departure.arrival >= self.arrival
    }

    fn beats_every_later(&self, departure: &Departure) -> bool {
        departure.fare_min_from_here > self.fare && departure.arrival_min_from_here >= self.arrival
    }

    fn record(&mut self, departure: &Departure) {
        if departure.fare < self.fare {
            *self = Self { fare: departure.fare, arrival: departure.arrival };
        } else if departure.fare == self.fare {
            self.arrival = self.arrival.min(departure.arrival);
        }
    }
}

fn bit(airport: AirportIndex) -> u64 {
    1 << (airport % 64)
}

/// The minimum gaps of every airport of `index` under `rules`, in nanoseconds.
///
/// `itinerary::check` compares whole minutes between arrival and departure, truncated toward
/// zero, with the minimum. On whole-minute instants that is "at least `m` minutes"; otherwise
/// truncation lets a gap of `m` minutes or less start up to a minute early, and the gap here
/// is the exact threshold that reproduces it.
fn connection_gaps(index: &SearchIndex, rules: &ConnectionRules) -> Vec<Gaps> {
    let gap = |minutes: i64| {
        if index.whole_minutes() || minutes >= 1 {
            minutes.saturating_mul(MINUTE_NANOS)
        } else {
            minutes.saturating_sub(1).saturating_mul(MINUTE_NANOS).saturating_add(1)
        }
    };
    index
        .airport_codes()
        .iter()
        .map(|&airport| Gaps {
            same_airline: gap(rules.minimum_minutes(airport, true)),
            interline: gap(rules.minimum_minutes(airport, false)),
        })
        .collect()
}

/// The span of instants the first flight may depart in, and whether it is exact: it is when
/// the origin's offset does not change within a day of the date.
fn window(query: &Query) -> (i64, i64, bool) {
    let (from, until) = match query.window() {
        Some(window) => (window.from(), window.until()),
        None => (jiff::civil::Time::MIN, jiff::civil::Time::MAX),
    };
    let (start, end) = (query.local_instant(from), query.local_instant(until));
    let day = crate::time::minutes(24 * 60);
    let near_start = start.saturating_sub(day).unwrap_or(Timestamp::MIN);
    let near_end = end.saturating_add(day).unwrap_or(Timestamp::MAX);
    let steady = query
        .origin_time_zone()
        .following(near_start)
        .next()
        .is_none_or(|transition| transition.timestamp() > near_end);
    let clock = |at: Timestamp| {
        nanos(at).unwrap_or(if at < Timestamp::UNIX_EPOCH { i64::MIN } else { i64::MAX })
    };
    if steady {
        (clock(start), clock(end), true)
    } else {
        (clock(near_start), clock(near_end), false)
    }
}
