//! One example per rule.

use super::*;
use crate::itinerary::ConnectionTimes;
use crate::reference;
use crate::search::{DepartureWindow, Highlight};

#[test]
fn a_label_that_passed_an_airport_does_not_hide_a_trip_that_goes_there_later() {
    // At XXX, RU1>RU2 (via YYY) is earlier and cheaper than GI3>GI4 (via ZZZ). But from XXX
    // only BO5>BO6 goes on, through YYY again; and RU1's passenger cannot take BO6 from YYY
    // directly, because changing airline there takes five hours.
    let mut rules = ConnectionRules {
        default: ConnectionTimes { same_airline_minutes: 0, interline_minutes: 0 },
        ..ConnectionRules::default()
    };
    rules
        .airports
        .insert(code("YYY"), ConnectionTimes { same_airline_minutes: 0, interline_minutes: 300 });
    let index = index([
        flight("RU1", "OOO-YYY", "00:00", "01:00", 100),
        flight("RU2", "YYY-XXX", "01:00", "02:00", 100),
        flight("GI3", "OOO-ZZZ", "00:00", "01:00", 200),
        flight("GI4", "ZZZ-XXX", "01:30", "02:30", 200),
        flight("BO5", "XXX-YYY", "03:00", "04:00", 100),
        flight("BO6", "YYY-DDD", "04:00", "05:00", 100),
    ]);
    let answer = search(&index, &query("OOO", "DDD"), &rules);
    assert_eq!(trips(&answer), ["GI3>GI4>BO5>BO6"]);
}

// Connection times.

#[test]
fn a_connection_on_the_same_airline_needs_its_minimum() {
    let rules = ConnectionRules::default(); // 45 minutes same airline, 90 interline
    let tight = index([
        flight("RU1", "GRU-BSB", "10:00", "11:30", 300),
        flight("RU2", "BSB-MAO", "12:14", "15:00", 300),
    ]);
    assert!(search(&tight, &query("GRU", "MAO"), &rules).is_empty());
    let enough = index([
        flight("RU1", "GRU-BSB", "10:00", "11:30", 300),
        flight("RU2", "BSB-MAO", "12:15", "15:00", 300),
    ]);
    assert_eq!(trips(&search(&enough, &query("GRU", "MAO"), &rules)), ["RU1>RU2"]);
}

#[test]
fn changing_airline_needs_the_longer_interline_minimum() {
    let rules = ConnectionRules::default();
    let index = index([
        flight("RU1", "GRU-BSB", "10:00", "11:30", 300),
        flight("GI2", "BSB-MAO", "12:15", "14:00", 100),
        flight("GI3", "BSB-MAO", "12:59", "15:00", 100),
        flight("GI4", "BSB-MAO", "13:00", "16:00", 100),
    ]);
    assert_eq!(trips(&search(&index, &query("GRU", "MAO"), &rules)), ["RU1>GI4"]);
}

#[test]
fn an_airport_can_have_its_own_connection_times() {
    let mut rules = ConnectionRules::default();
    rules
        .airports
        .insert(code("BSB"), ConnectionTimes { same_airline_minutes: 120, interline_minutes: 180 });
    let index = index([
        flight("RU1", "GRU-BSB", "10:00", "11:30", 300),
        flight("RU2", "BSB-MAO", "13:00", "15:00", 100),
        flight("RU3", "BSB-MAO", "13:30", "16:00", 100),
        flight("GI4", "BSB-MAO", "14:00", "16:30", 50),
        flight("GI5", "BSB-MAO", "14:30", "17:00", 50),
        flight("RU6", "MAO-BVB", "10:00", "11:00", 100),
        flight("GI7", "MAO-BVB", "11:30", "12:30", 100),
    ]);
    // At BSB: 120 minutes on Rumos, 180 to Giro. RU2 and GI4 are too soon.
    assert_eq!(trips(&search(&index, &query("GRU", "MAO"), &rules)), ["RU1>RU3", "RU1>GI5"]);
    // Elsewhere the defaults: at MAO, 45 and 90 minutes.
    let to_bvb = index_with_seats([
        (flight("RU1", "BSB-MAO", "08:00", "09:15", 100), 9),
        (flight("RU6", "MAO-BVB", "10:00", "11:00", 100), 9),
        (flight("GI7", "MAO-BVB", "10:30", "11:30", 10), 9),
        (flight("GI8", "MAO-BVB", "10:45", "12:00", 10), 9),
    ]);
    assert_eq!(trips(&search(&to_bvb, &query("BSB", "BVB"), &rules)), ["RU1>RU6", "RU1>GI8"]);
}

/// A label that lands earlier with one airline does not hide one that lands later with another:
/// the later one may still catch its own airline's flight that the earlier one may not.
#[test]
fn an_earlier_arrival_on_another_airline_does_not_hide_a_connection() {
    let rules = ConnectionRules::default();
    let index = index([
        flight("GI1", "GRU-BSB", "09:00", "10:00", 100),
        flight("RU2", "GRU-BSB", "09:30", "10:30", 200),
        flight("RU3", "BSB-MAO", "11:15", "13:00", 100),
    ]);
    // GI1 is earlier and cheaper at BSB, but only RU2 connects to RU3 (45 minutes, not 90).
    assert_eq!(trips(&search(&index, &query("GRU", "MAO"), &rules)), ["RU2>RU3"]);
}

/// Pruning by the trips already found estimates the rest of a trip from below: with the
/// shorter of the two connection times, so a quick same-airline connection is not lost.
#[test]
fn a_quick_connection_on_the_same_airline_is_not_pruned_away() {
    let rules = ConnectionRules {
        default: ConnectionTimes { same_airline_minutes: 30, interline_minutes: 120 },
        ..ConnectionRules::default()
    };
    let index = index([
        flight("GI1", "GRU-MAO", "10:00", "13:00", 100), // found first: direct
        flight("RU2", "GRU-BSB", "09:00", "10:00", 100),
        flight("RU3", "BSB-MAO", "10:30", "12:00", 100), // 30 minutes later, same airline
    ]);
    assert_eq!(trips(&search(&index, &query("GRU", "MAO"), &rules)), ["RU2>RU3", "GI1"]);
}

// Time zones, dates and windows.

fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap()
}

/// A query on `date` from `origin` in time zone `origin_zone`.
fn query_in(origin: &str, destination: &str, date: &str, origin_zone: &str) -> Query {
    let date = date.parse().unwrap();
    Query::new(code(origin), code(destination), date, zone(origin_zone), 1, None).unwrap()
}

#[test]
fn the_date_is_the_local_date_at_the_origin() {
    // Rio Branco is UTC−5: 04:00 UTC on 1 December is 23:00 on 30 November there, and 03:00
    // UTC on 2 December is 22:00 on 1 December.
    let index = index([
        flight("GI1", "RBR-MCZ", "2026-12-01T04:00:00Z", "2026-12-01T08:00:00Z", 300),
        flight("GI2", "RBR-MCZ", "2026-12-02T03:00:00Z", "2026-12-02T07:30:00Z", 300),
    ]);
    let answer = search(&index, &query_in("RBR", "MCZ", DATE, "America/Rio_Branco"), &rules());
    assert_eq!(trips(&answer), ["GI2"]);
    let answer =
        search(&index, &query_in("RBR", "MCZ", "2026-11-30", "America/Rio_Branco"), &rules());
    assert_eq!(trips(&answer), ["GI1"]);
}

#[test]
fn an_evening_trip_west_to_east_arrives_the_next_day() {
    // 22:00 in Rio Branco (UTC−5), a connection in Brasília, then Maceió (UTC−3) after
    // midnight: the next day there.
    let index = index([
        flight("GI1", "RBR-BSB", "2026-12-01T22:00:00-05:00", "2026-12-02T01:40:00-03:00", 300),
        flight("GI2", "BSB-MCZ", "2026-12-02T02:30:00-03:00", "2026-12-02T04:40:00-03:00", 300),
    ]);
    let answer = search(&index, &query_in("RBR", "MCZ", DATE, "America/Rio_Branco"), &rules());
    assert_eq!(trips(&answer), ["GI1>GI2"]);
    let trip = &answer[0];
    assert_eq!(trip.arrival_days_later(&zone("America/Rio_Branco"), &zone("America/Maceio")), 1);
    assert_eq!(trip.duration_minutes, 4 * 60 + 40);
    assert_eq!(trip.stops, 1);
    assert_eq!(
        time::rfc3339_local(trip.departure, &zone("America/Rio_Branco")),
        "2026-12-01T22:00:00-05:00"
    );
}

#[test]
fn the_first_flight_departs_inside_the_window_both_ends_included() {
    let index = index([
        flight("RU1", "GRU-GIG", "07:59", "09:00", 100),
        flight("RU2", "GRU-GIG", "08:00", "09:10", 110),
        flight("RU3", "GRU-GIG", "12:00", "13:00", 120),
        flight("RU4", "GRU-GIG", "12:01", "13:01", 90),
    ]);
    let window = DepartureWindow::parse(Some("08:00"), Some("12:00")).unwrap();
    let query =
        Query::new(code("GRU"), code("GIG"), DATE.parse().unwrap(), TimeZone::UTC, 1, window)
            .unwrap();
    assert_eq!(trips(&search(&index, &query, &rules())), ["RU2"]);
    // RU3 is inside too, but RU2 arrives earlier and costs less.
    let later = DepartureWindow::parse(Some("10:00"), None).unwrap();
    let query =
        Query::new(code("GRU"), code("GIG"), DATE.parse().unwrap(), TimeZone::UTC, 1, later)
            .unwrap();
    assert_eq!(trips(&search(&index, &query, &rules())), ["RU3", "RU4"]);
}

#[test]
fn the_window_applies_to_the_first_flight_only() {
    let index = index([
        flight("RU1", "GRU-BSB", "09:00", "10:30", 100),
        flight("RU2", "BSB-MAO", "20:00", "23:00", 100),
    ]);
    let window = DepartureWindow::parse(Some("08:00"), Some("10:00")).unwrap();
    let query =
        Query::new(code("GRU"), code("MAO"), DATE.parse().unwrap(), TimeZone::UTC, 1, window)
            .unwrap();
    assert_eq!(trips(&search(&index, &query, &rules())), ["RU1>RU2"]);
}

#[test]
fn trips_land_before_the_latest_arrival() {
    let index = index([
        flight("RU1", "GRU-BSB", "22:00", "23:30", 100),
        flight("RU2", "BSB-MAO", "2026-12-03T01:00:00Z", "2026-12-03T03:00:00Z", 100),
    ]);
    let query = query("GRU", "MAO");
    let options = SearchOptions { arrival_hours_max: 51, ..SearchOptions::default() };
    assert_eq!(trips(&index.search(&query, &rules(), |_| false, &options)), ["RU1>RU2"]);
    assert_eq!(query.latest_arrival(&options), at("2026-12-03T03:00:00Z"));
    let options = SearchOptions { arrival_hours_max: 50, ..SearchOptions::default() };
    assert!(index.search(&query, &rules(), |_| false, &options).is_empty());
}

// The legs limit, seats, cancellations.

#[test]
fn a_trip_has_at_most_legs_max_flights() {
    let index = index([
        flight("RU1", "POA-GRU", "06:00", "07:30", 100),
        flight("RU2", "GRU-BSB", "08:30", "10:00", 100),
        flight("RU3", "BSB-MAO", "11:00", "14:00", 100),
    ]);
    let rules = |legs_max| ConnectionRules { legs_max, ..ConnectionRules::default() };
    assert!(search(&index, &query("POA", "MAO"), &rules(2)).is_empty());
    assert_eq!(trips(&search(&index, &query("POA", "MAO"), &rules(3))), ["RU1>RU2>RU3"]);
    assert!(search(&index, &query("POA", "GRU"), &rules(0)).is_empty());
}

fn index_with_seats(flights: impl IntoIterator<Item = (Flight, u32)>) -> SearchIndex {
    SearchIndex::from_flights(flights.into_iter().map(|(flight, seats)| (Arc::new(flight), seats)))
}

#[test]
fn every_flight_has_a_seat_for_every_passenger() {
    let index = index_with_seats([
        (flight("RU1", "GRU-BSB", "08:00", "09:30", 100), 2),
        (flight("RU2", "BSB-MAO", "10:30", "13:00", 100), 1),
        (flight("RU3", "BSB-MAO", "11:30", "14:00", 100), 3),
    ]);
    let for_passengers = |passengers| {
        Query::new(code("GRU"), code("MAO"), DATE.parse().unwrap(), TimeZone::UTC, passengers, None)
            .unwrap()
    };
    assert_eq!(trips(&search(&index, &for_passengers(1), &rules())), ["RU1>RU2"]);
    let two = search(&index, &for_passengers(2), &rules());
    assert_eq!(trips(&two), ["RU1>RU3"]);
    assert_eq!(two[0].price, Money::from_cents(2 * 20_000).unwrap());
    assert_eq!(two[0].legs[1].seats_available, 3);
    assert!(search(&index, &for_passengers(3), &rules()).is_empty());
}

#[test]
fn cancelled_flights_are_never_proposed() {
    let mut cancelled = flight("RU1", "GRU-MAO", "08:00", "12:00", 100);
    cancelled.status = FlightStatus::Cancelled;
    let index = index([cancelled, flight("RU2", "GRU-MAO", "09:00", "13:00", 200)]);
    assert_eq!(trips(&search(&index, &query("GRU", "MAO"), &rules())), ["RU2"]);
    assert_eq!(index.len(), 2);
}

// Offline airlines, highlights, order and the results limit.

#[test]
fn trips_on_offline_airlines_come_after_the_bookable_ones_and_name_them() {
    let index = index([
        flight("GI1", "GRU-MAO", "08:00", "11:00", 100), // best of all, but Giro is offline
        flight("RU2", "GRU-MAO", "08:00", "12:00", 300),
        flight("RU3", "GRU-MAO", "13:00", "17:00", 200),
        flight("GI4", "GRU-MAO", "14:00", "18:00", 150), // beaten by GI1: not listed
        flight("RU5", "GRU-BSB", "06:00", "07:00", 50),
        flight("BO6", "BSB-MAO", "08:30", "10:30", 50), // the fastest, on Boreal, offline too
    ]);
    let offline = offline(&["giro", "boreal"]);
    let answer = index.search(
        &query("GRU", "MAO"),
        &rules(),
        |a| offline.contains(a),
        &SearchOptions::default(),
    );
    assert_eq!(trips(&answer), ["RU2", "RU3", "RU5>BO6", "GI1"]);
    let bookable: Vec<bool> = answer.iter().map(|itinerary| itinerary.bookable).collect();
    assert_eq!(bookable, [true, true, false, false]);
    assert!(answer[0].offline_airlines.is_empty());
    assert_eq!(answer[2].offline_airlines, [AirlineId::parse("boreal").unwrap()]);
    assert_eq!(answer[3].offline_airlines, [AirlineId::parse("giro").unwrap()]);
    // Highlights are among what can be bought.
    assert_eq!(answer[0].highlights, [Highlight::Fastest, Highlight::FewestStops]);
    assert_eq!(answer[1].highlights, [Highlight::Cheapest, Highlight::FewestStops]);
    assert!(answer[2].highlights.is_empty() && answer[3].highlights.is_empty());
    // Online, GI1 beats both Rumos trips and GI4.
    let online = search(&index, &query("GRU", "MAO"), &rules());
    assert_eq!(trips(&online), ["RU5>BO6", "GI1"]);
}

#[test]
fn an_offline_trip_equal_to_a_bookable_one_is_not_listed() {
    let index = index([
        flight("GI1", "GRU-MAO", "08:00", "11:00", 100),
        flight("RU2", "GRU-MAO", "08:00", "11:00", 100),
    ]);
    let offline = offline(&["giro"]);
    let answer = index.search(
        &query("GRU", "MAO"),
        &rules(),
        |a| offline.contains(a),
        &SearchOptions::default(),
    );
    assert_eq!(trips(&answer), ["RU2"]);
}

#[test]
fn every_itinerary_that_ties_for_a_highlight_gets_it() {
    let index = index([
        flight("RU1", "GRU-MAO", "08:00", "11:00", 500),
        flight("GI2", "GRU-MAO", "09:00", "12:00", 300),
        flight("BO3", "GRU-BSB", "06:00", "07:00", 50),
        flight("BO4", "BSB-MAO", "08:00", "12:30", 50),
        flight("RU5", "GRU-MAO", "10:00", "12:45", 100),
    ]);
    let answer = search(&index, &query("GRU", "MAO"), &rules());
    assert_eq!(trips(&answer), ["RU1", "GI2", "BO3>BO4", "RU5"]);
    let highlights: Vec<Vec<&str>> = answer
        .iter()
        .map(|itinerary| itinerary.highlights.iter().map(|h| h.as_str()).collect())
        .collect();
    assert_eq!(
        highlights,
        [
            vec!["fastest", "fewest_stops"],
            vec!["fewest_stops"],
            vec!["cheapest"],
            vec!["cheapest", "fewest_stops"],
        ]
    );
}

#[test]
fn the_answer_is_ordered_by_arrival_then_price_then_stops() {
    let index = index([
        flight("RU1", "GRU-MAO", "08:00", "12:00", 300),
        flight("RU2", "GRU-BSB", "07:00", "08:00", 100),
        flight("RU3", "BSB-MAO", "09:00", "12:00", 100),
        flight("GI4", "GRU-MAO", "09:00", "11:00", 900),
    ]);
    assert_eq!(trips(&search(&index, &query("GRU", "MAO"), &rules())), ["GI4", "RU2>RU3", "RU1"]);
}

#[test]
fn the_results_limit_keeps_the_highlighted_first() {
    let index = index([
        flight("RU1", "GRU-MAO", "08:00", "10:00", 900), // fastest, fewest stops
        flight("RU2", "GRU-BSB", "07:00", "08:00", 100),
        flight("RU3", "BSB-MAO", "09:00", "11:00", 700),
        flight("RU4", "BSB-MAO", "10:00", "12:00", 600),
        flight("RU5", "BSB-MAO", "11:00", "13:00", 500),
        flight("RU6", "BSB-MAO", "12:00", "14:00", 400), // cheapest
    ]);
    let limited = |results_max| {
        let options = SearchOptions { results_max, ..SearchOptions::default() };
        trips(&index.search(&query("GRU", "MAO"), &rules(), |_| false, &options))
    };
    assert_eq!(limited(5), ["RU1", "RU2>RU3", "RU2>RU4", "RU2>RU5", "RU2>RU6"]);
    assert_eq!(limited(3), ["RU1", "RU2>RU3", "RU2>RU6"]);
    assert_eq!(limited(2), ["RU1", "RU2>RU6"]);
    assert_eq!(limited(1), ["RU1"]);
    assert!(limited(0).is_empty());
}

#[test]
fn of_two_equal_trips_the_one_departing_later_is_proposed() {
    let index = index([
        flight("RU7", "GRU-BSB", "06:00", "07:30", 100),
        flight("RU9", "GRU-BSB", "08:00", "09:30", 100),
        flight("RU5", "BSB-MAO", "11:00", "14:00", 100),
        flight("GI8", "GRU-GIG", "09:00", "10:00", 100),
        flight("GI6", "GIG-MAO", "11:00", "14:00", 100),
    ]);
    // Same arrival, stops and price: RU9>RU5 and GI8>GI6 leave last, together; RU5 comes first
    // among ids? No: ids compare in order, GI8 before RU9.
    assert_eq!(trips(&search(&index, &query("GRU", "MAO"), &rules())), ["GI8>GI6"]);
}

// Updates.

#[test]
fn updates_change_the_next_answer() {
    let mut index = index([
        flight("RU1", "GRU-BSB", "08:00", "09:30", 100),
        flight("RU2", "BSB-MAO", "10:30", "13:00", 100),
    ]);
    let gru_mao = query("GRU", "MAO");
    assert_eq!(trips(&search(&index, &gru_mao, &rules())), ["RU1>RU2"]);

    // RU2 leaves earlier now: too early to connect.
    let earlier = flight("RU2", "BSB-MAO", "10:00", "12:30", 100);
    index.upsert(earlier, 100);
    assert!(search(&index, &gru_mao, &rules()).is_empty());
    index.upsert(flight("RU2", "BSB-MAO", "10:15", "12:45", 100), 100);
    assert_eq!(search(&index, &gru_mao, &rules())[0].arrival, at("12:45"));
    assert_eq!(index.len(), 2);

    // Sold out, then seats again.
    let id = FlightId::parse("RU2-2026-12-01").unwrap();
    assert!(index.set_seats_available(id, 0));
    assert!(search(&index, &gru_mao, &rules()).is_empty());
    assert!(index.set_seats_available(id, 4));
    assert_eq!(search(&index, &gru_mao, &rules())[0].legs[1].seats_available, 4);
    assert_eq!(index.get(id).map(|(_, seats)| seats), Some(4));

    // Cancelled, then removed.
    let mut cancelled = flight("RU2", "BSB-MAO", "10:15", "12:45", 100);
    cancelled.status = FlightStatus::Cancelled;
    index.upsert(cancelled, 4);
    assert!(search(&index, &gru_mao, &rules()).is_empty());
    assert!(index.set_seats_available(id, 5));
    assert_eq!(index.remove(id).map(|flight| flight.id), Some(id));
    assert!(index.remove(id).is_none());
    assert!(!index.set_seats_available(id, 5));
    assert_eq!(index.len(), 1);

    // A new flight takes the freed place.
    index.upsert(flight("GI3", "BSB-MAO", "11:30", "14:00", 100), 9);
    assert_eq!(trips(&search(&index, &gru_mao, &rules())), ["RU1>GI3"]);
}

#[test]
fn a_flight_can_move_to_another_route() {
    let mut index = index([flight("RU1", "GRU-BSB", "08:00", "09:30", 100)]);
    index.upsert(flight("RU1", "GRU-MAO", "08:00", "12:30", 100), 10);
    assert!(search(&index, &query("GRU", "BSB"), &rules()).is_empty());
    assert_eq!(trips(&search(&index, &query("GRU", "MAO"), &rules())), ["RU1"]);
}

// Queries.

#[test]
fn queries_refuse_what_cannot_be_searched() {
    let date = DATE.parse().unwrap();
    let new = |origin, destination, passengers| {
        Query::new(code(origin), code(destination), date, TimeZone::UTC, passengers, None)
    };
    assert_eq!(new("GRU", "GRU", 1).unwrap_err().code(), "same_origin_and_destination");
    assert_eq!(new("GRU", "MAO", 0).unwrap_err().code(), "invalid_passengers");
    assert_eq!(new("GRU", "MAO", 10).unwrap_err().code(), "invalid_passengers");
    assert!(new("GRU", "MAO", 9).is_ok());
    let window = |from, until| DepartureWindow::parse(from, until).map_err(|error| error.code());
    assert_eq!(window(Some("12:00"), Some("08:00")), Err("invalid_window"));
    assert_eq!(window(Some("8h"), None), Err("invalid_window"));
    assert_eq!(window(None, Some("25:00")), Err("invalid_window"));
    assert_eq!(window(None, None), Ok(None));
    let morning = window(None, Some("12:00")).unwrap().unwrap();
    assert_eq!(
        (morning.from().to_string(), morning.until().to_string()),
        ("00:00:00".into(), "12:00:00".into())
    );
    assert!(window(Some("08:00"), Some("08:00")).is_ok());
}

#[test]
fn airports_the_index_does_not_know_have_no_itineraries() {
    let index = index([flight("RU1", "GRU-BSB", "08:00", "09:30", 100)]);
    assert!(search(&index, &query("GRU", "XYZ"), &rules()).is_empty());
    assert!(search(&SearchIndex::new(), &query("GRU", "BSB"), &rules()).is_empty());
}

// The reference network.

#[test]
fn the_original_chain_comes_back_as_one_trip_across_three_airlines() {
    let airports = reference::airports();
    let date: jiff::civil::Date = DATE.parse().unwrap();
    let flights = reference::reference_airlines()
        .into_iter()
        .flat_map(|plan| plan.schedule(date, &airports))
        .map(|flight| (Arc::new(flight), 180));
    let index = SearchIndex::from_flights(flights);
    let rbr = &airports.iter().find(|airport| airport.code == code("RBR")).unwrap().time_zone;
    // Leaving at any time, Rumos's RBR>MAO>MCP lands with the same last flight, cheaper and
    // with a stop less. The original's customer leaves early, though: 06:00 is Giro's.
    let any_time = Query::new(code("RBR"), code("MCP"), date, rbr.clone(), 1, None).unwrap();
    assert_eq!(trips(&search(&index, &any_time, &rules())), ["RU1421>RU1001"]);
    let early = DepartureWindow::parse(Some("05:00"), Some("07:00")).unwrap();
    let query = Query::new(code("RBR"), code("MCP"), date, rbr.clone(), 1, early).unwrap();
    let answer = search(&index, &query, &rules());
    assert_eq!(trips(&answer), ["GI1001>BO1001>RU1001"]);
    let trip = &answer[0];
    let airlines: Vec<&str> = trip.legs.iter().map(|leg| leg.flight.airline.as_str()).collect();
    assert_eq!(airlines, ["giro", "boreal", "rumos"]);
    assert_eq!(trip.price, Money::from_cents(32_000 + 28_000 + 35_000).unwrap());
    assert_eq!(trip.stops, 2);
    assert!(trip.bookable);
}

fn rules() -> ConnectionRules {
    ConnectionRules::default()
}
