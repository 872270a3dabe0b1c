//! `/admin/flights`: the airline's admins publish, edit and cancel its own flights, and read
//! the airline's record of the segments sold on them (by whichever airline sold them).
//!
//! Edits carry `If-Match` with the version they were made against (the `ETag` of
//! `GET /flights/{id}`); a stale version is refused with 412 so that two admins never
//! overwrite each other's changes unknowingly.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{ETAG, IF_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use passcom_core::{Cabin, FlightNumber, Money, time};
use serde::Deserialize;
use utoipa::ToSchema;

use super::customer::catalog::{known_airport, parse_flight_id};
use super::error::{ApiError, ErrorBody};
use super::extract::{Admin, Json, Path};
use super::views::{FlightSegmentList, FlightSegmentView, FlightView};
use crate::node::Node;
use crate::schedule::{FlightEdit, NewFlight};
use crate::store::FlightRecord;

/// A flight to publish.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFlightBody {
    /// Flight number without designator, 1–9999.
    #[schema(example = 4321)]
    pub number: u16,
    /// Departure airport code.
    pub origin: String,
    /// Arrival airport code.
    pub destination: String,
    /// Departure, RFC 3339 with offset.
    #[schema(example = "2026-12-01T08:15:00-03:00")]
    pub departure: String,
    /// Arrival, RFC 3339 with offset.
    pub arrival: String,
    /// Fare per seat, cents.
    pub price: i64,
    /// Seat layout; rows 1–30, seats A–F if absent.
    pub cabin: Option<CabinBody>,
}

/// A seat layout.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CabinBody {
    /// Rows, 1–99.
    pub rows: u8,
    /// Seat letters of a row, like `ABCDEF`.
    pub letters: String,
}

/// Changes to a flight; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlightEditBody {
    /// New departure (same local date).
    pub departure: Option<String>,
    /// New arrival.
    pub arrival: Option<String>,
    /// New fare, cents.
    pub price: Option<i64>,
}

/// Publishes a new flight of this airline.
#[utoipa::path(post, path = "/admin/flights", operation_id = "publish_flight", tag = "admin", request_body = NewFlightBody, security(("admin" = [])),
    responses(
        (status = 201, body = FlightView),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`airport_not_found`", body = ErrorBody),
        (status = 409, description = "`flight_exists`", body = ErrorBody),
        (status = 422, description = "`same_origin_and_destination`, `arrival_before_departure`, `departure_in_past`, `invalid_price`…", body = ErrorBody),
    ))]
pub async fn create(
    State(node): State<Arc<Node>>,
    _: Admin,
    Json(body): Json<NewFlightBody>,
) -> Result<impl IntoResponse, ApiError> {
    let new = NewFlight {
        number: FlightNumber::new(body.number).map_err(|e| ApiError::invalid_field("number", e))?,
        origin: known_airport(&node, "origin", &body.origin).map_err(unprocessable_if_bad)?,
        destination: known_airport(&node, "destination", &body.destination)
            .map_err(unprocessable_if_bad)?,
        departure: time::parse_instant(&body.departure)
            .map_err(|e| ApiError::invalid_field("departure", e))?,
        arrival: time::parse_instant(&body.arrival)
            .map_err(|e| ApiError::invalid_field("arrival", e))?,
        price: Money::fare(body.price).map_err(|e| ApiError::invalid_field("price", e))?,
        cabin: body
            .cabin
            .map(|cabin| Cabin::new(cabin.rows, &cabin.letters))
            .transpose()
            .map_err(|e| ApiError::invalid_field("cabin", e))?,
    };
    let record = node.schedule.create(new).await?;
    Ok((StatusCode::CREATED, flight_answer(&node, &record)))
}

/// In a body, a malformed airport code is a 422 like any other field; an unknown one stays 404.
fn unprocessable_if_bad(error: ApiError) -> ApiError {
    if error.status() == StatusCode::BAD_REQUEST {
        return ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_airport_code",
            "an airport code is three letters, like GRU",
        );
    }
    error
}

/// Edits a flight's times or fare, if it is still at the version in `If-Match`.
#[utoipa::path(put, path = "/admin/flights/{id}", tag = "admin", request_body = FlightEditBody, security(("admin" = [])),
    params(
        ("id" = String, Path, description = "Flight id"),
        ("If-Match" = String, Header, description = "The version edited, as the flight's ETag gives it"),
    ),
    responses(
        (status = 200, body = FlightView),
        (status = 404, description = "`flight_not_found`", body = ErrorBody),
        (status = 409, description = "`flight_cancelled`", body = ErrorBody),
        (status = 412, description = "`version_mismatch`, with `current_version`", body = ErrorBody),
        (status = 422, description = "`flight_date_changed`, `arrival_before_departure`…", body = ErrorBody),
        (status = 428, description = "`precondition_required`: no If-Match", body = ErrorBody),
    ))]
pub async fn edit(
    State(node): State<Arc<Node>>,
    _: Admin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<FlightEditBody>,
) -> Result<impl IntoResponse, ApiError> {
    let id = parse_flight_id(&id)?;
    let version = if_match(&headers)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "send If-Match with the flight's version (its ETag)",
        )
    })?;
    let edit = FlightEdit {
        departure: body
            .departure
            .as_deref()
            .map(time::parse_instant)
            .transpose()
            .map_err(|e| ApiError::invalid_field("departure", e))?,
        arrival: body
            .arrival
            .as_deref()
            .map(time::parse_instant)
            .transpose()
            .map_err(|e| ApiError::invalid_field("arrival", e))?,
        price: body
            .price
            .map(Money::fare)
            .transpose()
            .map_err(|e| ApiError::invalid_field("price", e))?,
    };
    let record = node.schedule.edit(id, version, edit).await?;
    Ok(flight_answer(&node, &record))
}

/// Cancels a flight; its booked segments are marked `flight_cancelled`.
#[utoipa::path(delete, path = "/admin/flights/{id}", operation_id = "cancel_flight", tag = "admin", security(("admin" = [])),
    params(
        ("id" = String, Path, description = "Flight id"),
        ("If-Match" = Option<String>, Header, description = "Optional: cancel only if still at this version"),
    ),
    responses(
        (status = 200, description = "Cancelled (also when it already was)", body = FlightView),
        (status = 404, description = "`flight_not_found`", body = ErrorBody),
        (status = 412, description = "`version_mismatch`", body = ErrorBody),
    ))]
pub async fn cancel(
    State(node): State<Arc<Node>>,
    _: Admin,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let id = parse_flight_id(&id)?;
    let record = node.schedule.cancel(id, if_match(&headers)?).await?;
    Ok(flight_answer(&node, &record))
}

/// This airline's record of the segments on one of its flights: every seat held or sold,
/// with the passenger, the ticket, and the seller's booking it belongs to.
#[utoipa::path(get, path = "/admin/flights/{id}/segments", tag = "admin", security(("admin" = [])),
    params(("id" = String, Path, description = "Flight id")),
    responses(
        (status = 200, body = FlightSegmentList),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`flight_not_found` (not one of this airline's flights)", body = ErrorBody),
    ))]
pub async fn segments(
    State(node): State<Arc<Node>>,
    _: Admin,
    Path(id): Path<String>,
) -> Result<Json<FlightSegmentList>, ApiError> {
    let id = parse_flight_id(&id)?;
    let records = node.flight_segments(id).await?;
    Ok(Json(FlightSegmentList {
        flight: id.to_string(),
        segments: records.iter().map(FlightSegmentView::new).collect(),
    }))
}

/// The version in `If-Match`: `"3"`, `W/"3"` or `3`.
fn if_match(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let Some(value) = headers.get(IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    let text = text.strip_prefix("W/").unwrap_or(text);
    let text = text.trim_matches('"');
    text.parse().map(Some).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_if_match",
            "If-Match is the flight's version, like \"3\"",
        )
    })
}

fn flight_answer(node: &Node, record: &FlightRecord) -> Response {
    let etag = format!("\"{}\"", record.flight.version);
    ([(ETAG, etag)], Json(super::catalog::flight_view(node, record))).into_response()
}
