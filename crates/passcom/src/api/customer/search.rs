//! `/itineraries`: the best trips across the network's airlines.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use passcom_core::search::{DepartureWindow, Itinerary, Query as SearchQuery, SearchOptions};
use passcom_core::{ParseError, time};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::catalog::{flight_view, known_airport};
use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::{Json, Query};
use crate::api::views::FlightView;
use crate::node::Node;
use crate::store::FlightRecord;

/// What to search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ItineraryParams {
    /// Departure airport code.
    origin: String,
    /// Arrival airport code.
    destination: String,
    /// Local date of departure at the origin, `YYYY-MM-DD`, today or later.
    date: String,
    /// Passengers, 1 to 9 (default 1); every leg must have a seat for each.
    passengers: Option<String>,
    /// Earliest local departure time at the origin, `HH:MM`.
    departure_from: Option<String>,
    /// Latest local departure time at the origin, `HH:MM`.
    departure_until: Option<String>,
    /// Most itineraries wanted (default and maximum: the node's `search_results_max`).
    limit: Option<usize>,
}

/// One trip.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItineraryView {
    /// Its flights, in travel order, as `/flights` shows them.
    pub legs: Vec<FlightView>,
    /// Local departure time at the origin.
    pub departure: String,
    /// Local arrival time at the destination.
    pub arrival: String,
    /// Minutes from departure to arrival, connections included.
    pub duration_minutes: i64,
    /// 1 when it lands the local day after it leaves ("+1 day"), 2 for two days…
    pub arrival_day_offset: i32,
    /// Price for every passenger, cents.
    pub price: i64,
    /// Connections: legs minus one.
    pub stops: usize,
    /// `fastest`, `cheapest`, `fewest_stops`, where it is.
    pub highlights: Vec<String>,
    /// Whether it can be bought now: every airline it needs answers.
    pub bookable: bool,
    /// The airlines it needs that do not answer now.
    pub offline_airlines: Vec<String>,
}

/// The trips no other trip beats on arrival, stops and price at once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItineraryList {
    /// Bookable ones first, then by arrival, price, stops.
    pub itineraries: Vec<ItineraryView>,
}

/// Every trip, across all airlines, that no other beats on arrival time, stops and price at once.
#[utoipa::path(get, path = "/itineraries", tag = "search", params(ItineraryParams),
    responses(
        (status = 200, body = ItineraryList),
        (status = 400, description = "`invalid_airport_code`, `same_origin_and_destination`, `invalid_date`, `date_in_past`, `invalid_passengers`, `invalid_window`, `invalid_limit`, `invalid_query`", body = ErrorBody),
        (status = 404, description = "`airport_not_found`", body = ErrorBody),
    ))]
pub async fn itineraries(
    State(node): State<Arc<Node>>,
    Query(params): Query<ItineraryParams>,
) -> Result<Json<ItineraryList>, ApiError> {
    let (query, options) = parse(&node, &params)?;
    let rules = &node.config.connections;
    let found = node.catalog.search(&query, rules, |airline| !node.is_online(airline), &options);
    Ok(Json(ItineraryList {
        itineraries: found.iter().map(|itinerary| view(&node, itinerary)).collect(),
    }))
}

/// The search the parameters ask for, checked.
fn parse(node: &Node, params: &ItineraryParams) -> Result<(SearchQuery, SearchOptions), ApiError> {
    let origin = known_airport(node, "origin", &params.origin)?;
    let destination = known_airport(node, "destination", &params.destination)?;
    let date = time::parse_date(&params.date).map_err(|e| ApiError::bad_parameter("date", e))?;
    let zone = node.airports[&origin].time_zone.clone();
    if date < time::local_date(node.clock.now(), &zone) {
        let error = ParseError::new("date_in_past", format!("{date} has passed at {origin}"));
        return Err(ApiError::bad_parameter("date", error));
    }
    let passengers = match &params.passengers {
        None => 1,
        Some(raw) => raw.parse().map_err(|_| {
            ApiError::bad_parameter(
                "passengers",
                ParseError::new("invalid_passengers", "passengers is a number from 1 to 9"),
            )
        })?,
    };
    let window =
        DepartureWindow::parse(params.departure_from.as_deref(), params.departure_until.as_deref())
            .map_err(|e| ApiError::bad_parameter("departure_from", e))?;
    let query =
        SearchQuery::new(origin, destination, date, zone, passengers, window).map_err(|e| {
            let field = if e.code() == "invalid_passengers" { "passengers" } else { "destination" };
            ApiError::bad_parameter(field, e)
        })?;
    let limits = &node.config.limits;
    let results_max = match params.limit {
        None => limits.search_results_max,
        Some(limit) if (1..=limits.search_results_max).contains(&limit) => limit,
        Some(limit) => {
            let message = format!("limit is from 1 to {}, not {limit}", limits.search_results_max);
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_limit", message)
                .with("field", "limit"));
        }
    };
    Ok((query, SearchOptions { results_max, arrival_hours_max: limits.search_arrival_hours_max }))
}

fn view(node: &Node, itinerary: &Itinerary) -> ItineraryView {
    let legs: Vec<FlightView> = itinerary
        .legs
        .iter()
        .map(|leg| {
            flight_view(
                node,
                &FlightRecord {
                    flight: (*leg.flight).clone(),
                    seats_available: leg.seats_available,
                },
            )
        })
        .collect();
    let (first, last) =
        (&itinerary.legs[0].flight, &itinerary.legs[itinerary.legs.len() - 1].flight);
    let zone = |code| {
        node.airports.get(&code).map(|a| a.time_zone.clone()).unwrap_or(jiff::tz::TimeZone::UTC)
    };
    let (origin_zone, destination_zone) = (zone(first.origin), zone(last.destination));
    ItineraryView {
        departure: time::rfc3339_local(itinerary.departure, &origin_zone),
        arrival: time::rfc3339_local(itinerary.arrival, &destination_zone),
        duration_minutes: itinerary.duration_minutes,
        arrival_day_offset: itinerary.arrival_days_later(&origin_zone, &destination_zone),
        price: itinerary.price.cents(),
        stops: itinerary.stops,
        highlights: itinerary
            .highlights
            .iter()
            .map(|highlight| highlight.as_str().to_owned())
            .collect(),
        bookable: itinerary.bookable,
        offline_airlines: itinerary.offline_airlines.iter().map(ToString::to_string).collect(),
        legs,
    }
}
