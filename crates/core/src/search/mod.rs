//! Itinerary search: every trip worth proposing between two airports on a date, across all
//! airlines, fast enough to answer while the customer types.
//!
//! # What it answers
//!
//! Given an origin, a destination, a local date at the origin (optionally a window of local
//! departure times) and a number of passengers, the answer is the *Pareto set* of itineraries
//! under three criteria: **arrival** (earlier is better), **stops** (fewer is better) and
//! **price** (the legs' fares times the passengers; lower is better). An itinerary is in it
//! when no other itinerary is at least as good on all three and better on one. Every
//! itinerary proposed obeys the rules of [`crate::itinerary::check`] (same airport, the
//! minimum connection time of the airport — longer when changing airline —, at most
//! `legs_max` legs, no airport or flight twice) and the query's: the first flight departs on
//! the date, inside the window; every flight has at least as many seats available as there
//! are passengers (a hint: only the owner decides a sale); no flight is cancelled; and the
//! last flight lands within [`SearchOptions::arrival_hours_max`] hours of the date's start
//! (a search has to end somewhere, and the index may hold weeks).
//!
//! **Offline airlines.** A search is told which airlines are offline. Their flights are
//! searched too, and itineraries that need one come back marked not bookable, naming them,
//! after the bookable ones. Bookability is a fourth criterion (bookable is better) that only
//! ever lets a bookable trip beat an unbookable one, never the reverse. So the bookable
//! itineraries of an answer are exactly the Pareto set of the bookable trips — a bookable
//! trip is never hidden by an unbookable one — and an unbookable itinerary is listed only
//! when no trip at all beats it and no bookable trip equals it.
//!
//! **Ties.** Two different trips can tie: same arrival, stops, price and bookability (the
//! same last flight fed by two morning flights of the same fare, say). The answer then holds
//! exactly one of them, the one that departs **latest** (the shorter trip), and among those
//! the one whose flight ids, in order, sort first. That makes the answer a function of the
//! flights alone, which the property test checks against a brute-force enumeration.
//!
//! **Answer.** The itineraries, each with its [highlights](Highlight) (fastest, cheapest,
//! fewest stops among the bookable ones, ties all highlighted), in [`answer_order`]
//! (bookable first, then arrival, price, stops, flight ids), at most
//! [`SearchOptions::results_max`] of them (the highlighted ones are kept first).
//!
//! # The algorithm: McRAPTOR
//!
//! The engine is McRAPTOR, the multi-criteria variant of RAPTOR (Delling, Pajor, Werneck,
//! "Round-Based Public Transit Routing", ALENEX 2012; Transportation Science 49(3), 2015).
//! Round *k* finds the trips of exactly *k* flights: it extends by one flight every label the
//! previous round made. A *label* is one way of being at an airport — arrival, price, the
//! airline it landed with, the first departure, bookability — and each airport keeps a *bag*
//! of the labels no other label there dominates. A new label enters a bag only if nothing
//! there dominates it, and evicts what it dominates. Rounds stop at `legs_max` or when a
//! round makes nothing new.
//!
//! Why McRAPTOR rather than the Connection Scan Algorithm (Dibbelt, Pajor, Strasser, Wagner,
//! "Connection Scan Algorithm", JEA 2018): stops are a criterion, and RAPTOR's rounds *are*
//! the stop count, so a label needs no hop counter and the legs limit is the number of
//! rounds; and RAPTOR touches only the departures of airports a round reached, while CSA
//! scans every departure of the time span, of which there are about 100,000 a day. Each
//! flight is its own one-stop RAPTOR *route*; flights of one airline between two airports
//! form a route of the index (see [`SearchIndex`]), scanned in time order from the first
//! departure a label can board.
//!
//! Pruning, all exact (none of it changes the answer, which the property test checks):
//! - *Finishing first*: each round first extends every label by the flights that land at the
//!   destination, then by the others. The trips of the round are then known before the labels
//!   that would go on are made, and prune them.
//! - *Target pruning*: a label is compared with the trips found so far through lower bounds
//!   of what finishing it costs — fewest flights, lowest fares and least time from its airport
//!   to the destination within the legs left — and dropped when a found trip beats every
//!   possible finish. The bounds come from a backwards relaxation over the routes' lowest
//!   fares and shortest block times, `legs_max` steps, at the start of each search (so they
//!   are always current). The same test is applied to a whole route before its departures
//!   are looked at (its lowest fare, its shortest flight), and along a route's scan to
//!   everything after the current departure (each departure stores the lowest fare and
//!   earliest arrival from it on), which ends the scan.
//! - *Route scans* skip a departure that costs more and lands no earlier than one already
//!   taken from the same route.
//! - A label is made only at an airport from which the destination is reachable in the legs
//!   left, never at the origin, and never extended from the destination.
//!
//! # Dominance, and why it is sound
//!
//! A label `a` dominates `b` at one airport when every way of finishing `b`'s trip also
//! finishes `a`'s, at least as well. With `g_same` and `g_inter` the airport's minimum
//! connection times, that is when all of these hold:
//!
//! 1. `a` has no more flights and costs no more, and is bookable if `b` is;
//! 2. `a` can board *every* next flight `b` can: the minimum connection depends on the
//!    airline each landed with, so if they landed with the same airline (or `g_same =
//!    g_inter` here) `a` lands no later, and otherwise `arrival(a) + |g_same − g_inter| ≤
//!    arrival(b)`. Comparing arrivals alone is wrong: with 45 minutes to stay on an airline
//!    and 90 to change, a Rumos passenger landing at 10:00 makes a Rumos flight at 10:50 that
//!    a Giro passenger landing at 9:30 misses;
//! 3. if `a` and `b` have as many flights and the same price, `a` comes first in the tie-break
//!    (departs later, or as late with smaller flight ids). Only price and stops carry over
//!    unchanged to a finished trip; an earlier arrival at a connection does not (the finish
//!    lands at the same time), so without this rule the trip the tie-break wants could be
//!    evicted by one it should win against;
//! 4. the trip of `a` passes no airport that the trip of `b` does not — unless the
//!    connection rules make that unnecessary, which is the usual case (below).
//!
//! Each condition is kept by extending both labels with the same flight, and the relation
//! is transitive, so McRAPTOR's invariant holds: every trip that can be flown has, at each of
//! its airports, a label in the bag that dominates its prefix, and at the destination the
//! bag is exactly one trip per Pareto-optimal combination.
//!
//! *Airports twice.* Extending a label to an airport its trip already passed is not allowed,
//! and that breaks the usual argument: `a` may dominate `b` and be unable to follow `b`'s
//! finish because that finish passes an airport `a` already visited. Rule 4 restores it.
//! But it weakens pruning, and it is rarely needed: if, at every airport,
//! `max(g_same, g_inter) ≤ 2·min(g_same, g_inter) + g_least` (with `g_least` the least
//! minimum anywhere, and none negative), then `a`, having passed that airport earlier, could
//! have left it for any flight `b`'s finish takes from there — having landed before `b` got
//! back to it after at least two connections — with fewer flights and no higher price. So
//! `b`'s finish is strictly beaten by a trip the search does find, and rule 4 can go. The
//! default rules (45 and 90 minutes) and any sensible ones satisfy this; the search checks it
//! for the rules it is given and applies rule 4 only when it fails. (The test
//! `a_label_that_passed_an_airport_does_not_hide_a_trip_that_goes_there_later` is a network
//! where it fails and rule 4 is what finds the only trip.)
//!
//! At the destination whole trips compare plainly: arrival, stops, price, bookability, then
//! the tie-break.
//!
//! *Time* is kept in nanoseconds since the epoch. `itinerary::check` counts whole minutes
//! between landing and leaving, truncated; the engine turns each minimum into the exact
//! threshold in nanoseconds that reproduces that count, so the two agree to the instant even
//! on flights that do not start on a whole minute.
//!
//! # Updates
//!
//! [`SearchIndex::upsert`], [`SearchIndex::remove`] and [`SearchIndex::set_seats_available`]
//! change one route each, in time linear in that route's length; nothing is rebuilt, and the
//! next search sees the change. Everything a search derives (bounds, gaps) it derives afresh.
//!
//! # Caveats
//!
//! - **Seats are a hint.** An itinerary proposed may fail at purchase: the owner decides.
//!   And the index is only as current as replication: a replica's seats and flights may lag.
//! - **Price is the sum of the fares.** No fare rules, no through fares, no discounts for
//!   connections: the price of a trip is what the legs cost one by one.
//! - **A deadline.** Trips landing more than `arrival_hours_max` hours after the start of the
//!   date are not searched. A trip waiting two days for a cheaper flight is, strictly, Pareto-
//!   optimal; it is not proposed.
//! - **One trip per tie.** Trips equal on every criterion are represented by one (the latest
//!   departure); the others are not shown, though a customer might prefer one of them.
//! - **No time-of-day preference beyond the window**, no maximum layover: a trip with a
//!   ten-hour connection that is the cheapest is proposed.
//! - **No limit on work per query.** Time grows with the labels made; on a network whose
//!   fares make every combination a different trade-off, bags grow and so does the time.
//!   There is no cap that would cut a search short, because a cut answer would no longer be
//!   the Pareto set. The benchmark measures a realistic network, not the worst case.
//! - **Rule 4** (when the connection rules need it) weakens pruning: such rules are searched
//!   correctly but more slowly.
//! - **Bounds are recomputed by every search**: a pass over the routes per leg allowed, about a
//!   quarter of a typical query's time in the benchmark. Caching them per destination would
//!   save that but need invalidating on updates; not worth it at the times measured.
//! - **`legs_max` above 254** is searched as 254.
//! - **Concurrency is the caller's.** The index is a plain value: share it behind a lock.

mod engine;
mod index;
mod query;
mod results;

#[cfg(test)]
mod tests;

pub use index::SearchIndex;
pub use query::{DepartureWindow, PASSENGERS_MAX, Query, SearchOptions};
pub use results::{Highlight, Itinerary, Leg, answer_order};

use crate::airline::AirlineId;
use crate::itinerary::ConnectionRules;

impl SearchIndex {
    /// The itineraries for `query` under `rules`, with airlines for which `is_offline` is true
    /// marked not bookable: the Pareto set of arrival, stops and price described in the module
    /// documentation, in [`answer_order`], at most `options.results_max` of them.
    pub fn search(
        &self,
        query: &Query,
        rules: &ConnectionRules,
        is_offline: impl Fn(&AirlineId) -> bool,
        options: &SearchOptions,
    ) -> Vec<Itinerary> {
        let Some(search) = engine::Search::new(self, query, rules, &is_offline, options) else {
            return Vec::new();
        };
        let found = search.run();
        results::answer(found, self, &is_offline, options.results_max)
    }
}
