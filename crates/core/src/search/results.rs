//! What a search answers: itineraries, labelled and in a fixed order.

use std::cmp::Ordering;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::engine::Found;
use super::index::SearchIndex;
use crate::airline::AirlineId;
use crate::flight::{Flight, FlightId};
use crate::money::Money;
use crate::time;

/// One flight of an itinerary, with the seats the index last knew it had.
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    /// The flight.
    pub flight: Arc<Flight>,
    /// Seats available when the search ran: a hint, only the owner decides a sale.
    pub seats_available: u32,
}

/// What makes an itinerary stand out among the bookable ones of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Highlight {
    /// It arrives earliest.
    Fastest,
    /// It costs least.
    Cheapest,
    /// It has the fewest stops.
    FewestStops,
}

impl Highlight {
    /// The label as the API shows it (`fewest_stops`).
    pub fn as_str(self) -> &'static str {
        match self {
            Highlight::Fastest => "fastest",
            Highlight::Cheapest => "cheapest",
            Highlight::FewestStops => "fewest_stops",
        }
    }
}

/// A trip search proposes: flights that connect under the connection rules, from the query's
/// origin to its destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Itinerary {
    /// The flights, in order.
    pub legs: Vec<Leg>,
    /// When the first flight departs.
    pub departure: Timestamp,
    /// When the last flight arrives.
    pub arrival: Timestamp,
    /// Minutes from departure to arrival.
    pub duration_minutes: i64,
    /// Connections on the way: legs − 1.
    pub stops: usize,
    /// Sum of the legs' fares times the passengers.
    pub price: Money,
    /// Among the answer's bookable itineraries: whether this one arrives earliest, costs
    /// least, has fewest stops (each shared by every itinerary that ties). In that order;
    /// never on an itinerary that is not bookable.
    pub highlights: Vec<Highlight>,
    /// False when some leg belongs to an airline that is offline: it cannot be sold now.
    pub bookable: bool,
    /// The offline airlines it needs, sorted; empty when bookable.
    pub offline_airlines: Vec<AirlineId>,
}

impl Itinerary {
    /// The ids of its flights, in order.
    pub fn flight_ids(&self) -> Vec<FlightId> {
        self.legs.iter().map(|leg| leg.flight.id).collect()
    }

    /// How many days after the departure's local date (at the origin, in `origin_zone`) the
    /// arrival's local date falls (at the destination, in `destination_zone`): 1 for "+1 day".
    pub fn arrival_days_later(&self, origin_zone: &TimeZone, destination_zone: &TimeZone) -> i32 {
        time::days_later(self.departure, origin_zone, self.arrival, destination_zone)
    }

    fn from_found(
        found: Found,
        index: &SearchIndex,
        is_offline: &dyn Fn(&AirlineId) -> bool,
    ) -> Self {
        let legs: Vec<Leg> = found
            .slots
            .iter()
            .map(|&slot| {
                let entry = index.entry(slot);
                Leg { flight: Arc::clone(&entry.flight), seats_available: entry.seats_available }
            })
            .collect();
        let first = &legs.first().expect("an itinerary has a flight").flight;
        let last = &legs.last().expect("an itinerary has a flight").flight;
        let (departure, arrival) = (first.departure, last.arrival);
        let mut offline_airlines: Vec<AirlineId> = legs
            .iter()
            .map(|leg| &leg.flight.airline)
            .filter(|airline| is_offline(airline))
            .cloned()
            .collect();
        offline_airlines.sort();
        offline_airlines.dedup();
        debug_assert_eq!(offline_airlines.is_empty(), !found.offline);
        Self {
            stops: legs.len() - 1,
            duration_minutes: time::minutes_between(departure, arrival),
            price: Money::from_cents(found.price_cents).expect("fares are not negative"),
            departure,
            arrival,
            highlights: Vec::new(),
            bookable: !found.offline,
            offline_airlines,
            legs,
        }
    }
}

/// The answer's order: bookable first, then earlier arrival, lower price, fewer stops, and
/// the flight ids in order, so that no two itineraries compare equal.
pub fn answer_order(a: &Itinerary, b: &Itinerary) -> Ordering {
    b.bookable
        .cmp(&a.bookable)
        .then(a.arrival.cmp(&b.arrival))
        .then(a.price.cmp(&b.price))
        .then(a.stops.cmp(&b.stops))
        .then_with(|| a.flight_ids().cmp(&b.flight_ids()))
}

/// Turns what the engine found into the answer: itineraries with their highlights, in
/// [`answer_order`], at most `results_max` of them. When there are more, the highlighted
/// ones are kept first, then the rest in order.
pub(super) fn answer(
    found: Vec<Found>,
    index: &SearchIndex,
    is_offline: &dyn Fn(&AirlineId) -> bool,
    results_max: usize,
) -> Vec<Itinerary> {
    let mut itineraries: Vec<Itinerary> =
        found.into_iter().map(|found| Itinerary::from_found(found, index, is_offline)).collect();
    highlight(&mut itineraries);
    itineraries.sort_by(answer_order);
    if itineraries.len() > results_max {
        let (highlighted, rest): (Vec<_>, Vec<_>) =
            itineraries.into_iter().partition(|itinerary| !itinerary.highlights.is_empty());
        itineraries = highlighted.into_iter().chain(rest).take(results_max).collect();
        itineraries.sort_by(answer_order);
    }
    itineraries
}

/// Marks the fastest, cheapest and fewest-stops itineraries among the bookable ones; every
/// itinerary that ties for one gets it.
fn highlight(itineraries: &mut [Itinerary]) {
    let bookable = || itineraries.iter().filter(|itinerary| itinerary.bookable);
    let (Some(arrival), Some(price), Some(stops)) = (
        bookable().map(|itinerary| itinerary.arrival).min(),
        bookable().map(|itinerary| itinerary.price).min(),
        bookable().map(|itinerary| itinerary.stops).min(),
    ) else {
        return;
    };
    for itinerary in itineraries.iter_mut().filter(|itinerary| itinerary.bookable) {
        let marks = [
            (itinerary.arrival == arrival, Highlight::Fastest),
            (itinerary.price == price, Highlight::Cheapest),
            (itinerary.stops == stops, Highlight::FewestStops),
        ];
        itinerary.highlights =
            marks.into_iter().filter(|(yes, _)| *yes).map(|(_, mark)| mark).collect();
    }
}
