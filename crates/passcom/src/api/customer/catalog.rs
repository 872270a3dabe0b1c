//! `/airports`, `/airlines`, `/flights`: what the airline flies.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::ETAG;
use axum::response::IntoResponse;
use jiff::Timestamp;
use passcom_core::{AirlineId, AirportCode, Cabin, FlightId, SeatNumber, time};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::{Json, Path, Query};
use crate::api::paging::{decode_cursor, encode_cursor, page_size};
use crate::api::views::{
    AirlineList, AirlineView, AirportList, AirportView, FlightList, FlightView, SeatMapView,
};
use crate::network::client::PeerError;
use crate::network::wire::SeatMapAnswer;
use crate::node::Node;
use crate::store::{FlightPosition, FlightQuery, FlightRecord, SeatMap};

/// Every airport of the network.
#[utoipa::path(get, path = "/airports", tag = "catalog", responses((status = 200, body = AirportList)))]
pub async fn airports(State(node): State<Arc<Node>>) -> Json<AirportList> {
    Json(AirportList { airports: node.airports.values().map(AirportView::from).collect() })
}

/// Every airline this node knows, with its status.
#[utoipa::path(get, path = "/airlines", tag = "catalog", responses((status = 200, body = AirlineList)))]
pub async fn airlines(State(node): State<Arc<Node>>) -> Result<Json<AirlineList>, ApiError> {
    let airlines = node.store.airlines().await?;
    let views = airlines
        .iter()
        .map(|airline| AirlineView::new(airline, node.is_online(&airline.id)))
        .collect();
    Ok(Json(AirlineList { airlines: views }))
}

/// One route of the network: an airline flying from one airport to another.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RouteView {
    /// Departure airport code.
    pub origin: String,
    /// Arrival airport code.
    pub destination: String,
    /// The airline flying it.
    pub airline: String,
    /// Scheduled flights on it from now on, as this node knows them.
    pub flights: usize,
}

/// Every route of the network.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RouteList {
    /// By origin, destination, airline.
    pub routes: Vec<RouteView>,
}

/// Every route flown from now on, by any airline this node knows: for maps.
#[utoipa::path(get, path = "/routes", tag = "catalog", responses((status = 200, body = RouteList)))]
pub async fn routes(State(node): State<Arc<Node>>) -> Json<RouteList> {
    let now = node.clock.now();
    let scheduled = node.catalog.matching(|flight| flight.is_sellable_at(now));
    let mut counts: std::collections::BTreeMap<(String, String, String), usize> =
        Default::default();
    for entry in scheduled {
        let flight = &entry.flight;
        *counts
            .entry((
                flight.origin.to_string(),
                flight.destination.to_string(),
                flight.airline.to_string(),
            ))
            .or_default() += 1;
    }
    let routes = counts
        .into_iter()
        .map(|((origin, destination, airline), flights)| RouteView {
            origin,
            destination,
            airline,
            flights,
        })
        .collect();
    Json(RouteList { routes })
}

/// Filters of the flight listing.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FlightParams {
    /// Departure airport code.
    origin: Option<String>,
    /// Arrival airport code.
    destination: Option<String>,
    /// Local date of departure at the origin, `YYYY-MM-DD`.
    date: Option<String>,
    /// Page size, 1–1000 (default 100).
    limit: Option<usize>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Flights known here, in departure order.
#[utoipa::path(get, path = "/flights", tag = "catalog", params(FlightParams),
    responses(
        (status = 200, body = FlightList),
        (status = 400, description = "`invalid_airport_code`, `invalid_date`, `invalid_limit`, `invalid_cursor`, `invalid_query`", body = ErrorBody),
        (status = 404, description = "`airport_not_found`", body = ErrorBody),
    ))]
pub async fn flights(
    State(node): State<Arc<Node>>,
    Query(params): Query<FlightParams>,
) -> Result<Json<FlightList>, ApiError> {
    let query = FlightQuery {
        origin: params
            .origin
            .as_deref()
            .map(|code| known_airport(&node, "origin", code))
            .transpose()?,
        destination: params
            .destination
            .as_deref()
            .map(|code| known_airport(&node, "destination", code))
            .transpose()?,
        date: params
            .date
            .as_deref()
            .map(time::parse_date)
            .transpose()
            .map_err(|e| ApiError::bad_parameter("date", e))?,
        after: params
            .cursor
            .as_deref()
            .map(|cursor| decode_cursor(cursor, parse_position))
            .transpose()?,
        limit: page_size(params.limit, &node.config.limits)?,
    };
    let page = node.store.flights(query).await?;
    Ok(Json(FlightList {
        flights: page.items.iter().map(|record| flight_view(&node, record)).collect(),
        next_cursor: page.next.map(|position| {
            encode_cursor(&format!("{}:{}", position.departure.as_millisecond(), position.id))
        }),
    }))
}

fn parse_position(text: &str) -> Option<FlightPosition> {
    let (millis, id) = text.split_once(':')?;
    Some(FlightPosition {
        departure: Timestamp::from_millisecond(millis.parse().ok()?).ok()?,
        id: FlightId::parse(id).ok()?,
    })
}

/// One flight. Its `ETag` is its version, for `If-Match` on admin edits.
#[utoipa::path(get, path = "/flights/{id}", tag = "catalog",
    params(("id" = String, Path, description = "Flight id, like GI1001-2026-12-01")),
    responses(
        (status = 200, body = FlightView),
        (status = 400, description = "`invalid_flight_id`", body = ErrorBody),
        (status = 404, description = "`flight_not_found`", body = ErrorBody),
    ))]
pub async fn flight(
    State(node): State<Arc<Node>>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let id = parse_flight_id(&id)?;
    let record = node.store.flight(id).await?.ok_or_else(|| flight_not_found(id))?;
    let etag = format!("\"{}\"", record.flight.version);
    Ok(([(ETAG, etag)], Json(flight_view(&node, &record))))
}

/// A flight's seat map, from its owner (asked over the network when the flight is another
/// airline's). No personal data.
#[utoipa::path(get, path = "/flights/{id}/seats", tag = "catalog",
    params(("id" = String, Path, description = "Flight id")),
    responses(
        (status = 200, body = SeatMapView),
        (status = 400, description = "`invalid_flight_id`", body = ErrorBody),
        (status = 404, description = "`flight_not_found`", body = ErrorBody),
        (status = 503, description = "`airline_unavailable`: the owner does not answer now", body = ErrorBody),
    ))]
pub async fn seats(
    State(node): State<Arc<Node>>,
    Path(id): Path<String>,
) -> Result<Json<SeatMapView>, ApiError> {
    let id = parse_flight_id(&id)?;
    let owner = node
        .catalog
        .get(id)
        .map(|flight| flight.airline.clone())
        .ok_or_else(|| flight_not_found(id))?;
    let map = if owner == node.airline.id {
        node.store.seat_map(id).await?.ok_or_else(|| flight_not_found(id))?
    } else {
        remote_seat_map(&node, &owner, id).await?
    };
    Ok(Json(SeatMapView::new(&id.to_string(), &map)))
}

/// Asks `owner` for the seat map of its flight `id`.
async fn remote_seat_map(
    node: &Node,
    owner: &AirlineId,
    id: FlightId,
) -> Result<SeatMap, ApiError> {
    let unavailable = || airline_unavailable(owner);
    let address =
        node.network.address_of(owner).filter(|_| node.is_online(owner)).ok_or_else(unavailable)?;
    let answer: SeatMapAnswer =
        match node.network.client().get(&address, &format!("/peer/v1/flights/{id}/seats")).await {
            Ok(answer) => answer,
            Err(PeerError::Refused { status: 404, .. }) => return Err(flight_not_found(id)),
            Err(error) => {
                tracing::warn!(%owner, %error, "cannot get a seat map from its owner");
                return Err(unavailable());
            }
        };
    let bad_answer = |_| ApiError::internal(format!("{owner} sent a malformed seat map"));
    let cabin = Cabin::new(answer.rows, &answer.letters).map_err(bad_answer)?;
    let taken = answer
        .taken
        .iter()
        .map(|seat| SeatNumber::parse(seat))
        .collect::<Result<_, _>>()
        .map_err(bad_answer)?;
    Ok(SeatMap { cabin, taken })
}

/// 503 `airline_unavailable`, naming the airline.
pub fn airline_unavailable(airline: &AirlineId) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "airline_unavailable",
        format!("{airline} does not answer now; its flights cannot be sold until it does"),
    )
    .with("airline", airline.to_string())
}

/// A flight as the API shows it, with whether its owner answers now.
pub fn flight_view(node: &Node, record: &FlightRecord) -> FlightView {
    FlightView::new(record, &node.airports, node.is_online(&record.flight.airline))
}

/// A flight id from the path.
pub fn parse_flight_id(raw: &str) -> Result<FlightId, ApiError> {
    FlightId::parse(raw).map_err(|e| ApiError::bad_parameter("id", e))
}

fn flight_not_found(id: FlightId) -> ApiError {
    ApiError::from(crate::store::StoreError::FlightNotFound(id))
}

/// A code given as `field` that must name a known airport: 400 if malformed, 404 if unknown.
pub fn known_airport(node: &Node, field: &str, raw: &str) -> Result<AirportCode, ApiError> {
    let code = AirportCode::parse(raw).map_err(|e| ApiError::bad_parameter(field, e))?;
    if !node.airports.contains_key(&code) {
        return Err(ApiError::not_found(
            "airport_not_found",
            format!("there is no airport {code}"),
        )
        .with("field", field));
    }
    Ok(code)
}
