//! `/bookings`: buy a trip, list and read one's bookings, cancel one.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use passcom_core::{BookingReference, FlightId, ParseError, PassengerName, SeatNumber};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::error::{ApiError, ErrorBody};
use crate::api::extract::{CurrentSession, Json, Path, Query};
use crate::api::paging::{decode_cursor, encode_cursor, page_size};
use crate::api::views::{BookingList, BookingView};
use crate::node::Node;
use crate::sales::{PurchaseRequest, Sale};

/// A trip to buy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingBody {
    /// Flight ids in travel order; connections must be feasible.
    #[schema(example = json!(["GI1001-2026-12-01", "BO1001-2026-12-01"]))]
    pub flights: Vec<String>,
    /// One to nine passengers (`limits.passengers_max`).
    #[schema(min_items = 1, max_items = 9)]
    pub passengers: Vec<PassengerBody>,
    /// Per flight, one seat per passenger (`[["12C", "12D"], …]`); absent to have seats chosen.
    pub seats: Option<Vec<Vec<String>>>,
}

/// A passenger.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassengerBody {
    /// Name as it goes on the ticket: letters, no control, invisible or direction-changing
    /// characters.
    #[schema(min_length = 1, max_length = 64)]
    pub name: String,
}

/// The `Idempotency-Key` header.
const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Set on the answer to a repeated request: the booking is the one made the first time.
const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// Buys a trip: every seat on every flight, or none.
#[utoipa::path(post, path = "/bookings", operation_id = "buy", tag = "bookings", request_body = BookingBody, security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key with the same body returns the same booking")),
    responses(
        (status = 201, description = "Confirmed on every flight", body = BookingView),
        (status = 202, description = "Outcome not known yet (`pending`): read the booking later", body = BookingView),
        (status = 401, description = "`unauthenticated`, `session_expired`", body = ErrorBody),
        (status = 404, description = "`flight_not_found` (with `reference` when an owner did not know the flight: the purchase failed as a whole)", body = ErrorBody),
        (status = 409, description = "`seat_unavailable` (naming the flight), `flight_cancelled`, `flight_departed`; with `reference` when a purchase across airlines failed as a whole (the booking is `failed`, nothing was bought on any flight, and this key answers the same again: a new attempt needs a new key)", body = ErrorBody),
        (status = 422, description = "`idempotency_key_reused`, `connection_too_short`, `flights_not_connected`, `seat_not_on_flight`, `too_many_passengers`…", body = ErrorBody),
        (status = 503, description = "`airline_unavailable` (naming the airline): known offline, nothing started — or, with `reference`, it stopped answering and the purchase failed as a whole; `purchase_interrupted` (with `reference`): the seller restarted before deciding", body = ErrorBody),
    ))]
pub async fn create(
    State(node): State<Arc<Node>>,
    CurrentSession(session): CurrentSession,
    headers: HeaderMap,
    Json(body): Json<BookingBody>,
) -> Result<impl IntoResponse, ApiError> {
    let key = idempotency_key(&headers, node.config.limits.idempotency_key_bytes_max)?;
    let request = parse_request(&node, body)?;
    let sale = node.sales.purchase(session.customer.id, request, key).await?;
    let (status, outcome, booking) = match sale {
        Sale::Confirmed(booking) => (StatusCode::CREATED, "confirmed", booking),
        Sale::Pending(booking) => (StatusCode::ACCEPTED, "pending", booking),
        Sale::Replayed(booking) => (StatusCode::CREATED, "replayed", booking),
    };
    metrics::counter!("passcom_purchases_total", "outcome" => outcome).increment(1);
    let location = HeaderValue::from_str(&format!("/api/v1/bookings/{}", booking.reference))
        .map_err(ApiError::internal)?;
    let mut headers = HeaderMap::new();
    headers.insert(LOCATION, location);
    if outcome == "replayed" {
        headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    Ok((status, headers, Json(BookingView::new(&booking, &node.airports))))
}

fn idempotency_key(headers: &HeaderMap, bytes_max: usize) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value.to_str().ok().filter(|key| {
        !key.is_empty() && key.len() <= bytes_max && key.bytes().all(|b| b.is_ascii_graphic())
    });
    key.map(|key| Some(key.to_owned())).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_idempotency_key",
            format!("Idempotency-Key is 1 to {bytes_max} visible ASCII characters"),
        )
    })
}

/// Parses the body into a purchase, naming the first field that is wrong.
fn parse_request(node: &Node, body: BookingBody) -> Result<PurchaseRequest, ApiError> {
    let legs_max = node.config.connections.legs_max;
    let passengers_max = node.config.limits.passengers_max;
    let count_error = |code, message: String, field| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message).with("field", field)
    };
    if body.flights.is_empty() {
        return Err(count_error(
            "no_flights",
            "a booking needs at least one flight".into(),
            "flights",
        ));
    }
    if body.flights.len() > legs_max {
        return Err(count_error(
            "too_many_flights",
            format!("a booking has at most {legs_max} flights"),
            "flights",
        ));
    }
    if body.passengers.is_empty() {
        return Err(count_error(
            "no_passengers",
            "a booking needs at least one passenger".into(),
            "passengers",
        ));
    }
    if body.passengers.len() > passengers_max {
        return Err(count_error(
            "too_many_passengers",
            format!("a booking has at most {passengers_max} passengers"),
            "passengers",
        ));
    }
    let flights = parse_each(&body.flights, |i| format!("flights[{i}]"), FlightId::parse)?;
    let names: Vec<&str> = body.passengers.iter().map(|p| p.name.as_str()).collect();
    let passengers = parse_each(&names, |i| format!("passengers[{i}].name"), PassengerName::parse)?;
    let seats = body
        .seats
        .map(|lists| {
            lists
                .iter()
                .enumerate()
                .map(|(i, list)| {
                    parse_each(list, |j| format!("seats[{i}][{j}]"), SeatNumber::parse)
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    Ok(PurchaseRequest { flights, passengers, seats })
}

fn parse_each<R: AsRef<str>, T>(
    raws: &[R],
    field: impl Fn(usize) -> String,
    parse: impl Fn(&str) -> Result<T, ParseError>,
) -> Result<Vec<T>, ApiError> {
    raws.iter()
        .enumerate()
        .map(|(i, raw)| parse(raw.as_ref()).map_err(|e| ApiError::invalid_field(field(i), e)))
        .collect()
}

/// Paging of the booking list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BookingParams {
    /// Page size, 1–1000 (default 100).
    limit: Option<usize>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// The customer's own bookings, newest first.
#[utoipa::path(get, path = "/bookings", tag = "bookings", params(BookingParams), security(("bearer" = [])),
    responses(
        (status = 200, body = BookingList),
        (status = 400, description = "`invalid_limit`, `invalid_cursor`", body = ErrorBody),
        (status = 401, description = "`unauthenticated`, `session_expired`", body = ErrorBody),
    ))]
pub async fn list(
    State(node): State<Arc<Node>>,
    CurrentSession(session): CurrentSession,
    Query(params): Query<BookingParams>,
) -> Result<Json<BookingList>, ApiError> {
    let limit = page_size(params.limit, &node.config.limits)?;
    let after = params
        .cursor
        .as_deref()
        .map(|cursor| decode_cursor(cursor, |text| text.parse::<i64>().ok()))
        .transpose()?;
    let page = node.sales.bookings(session.customer.id, after, limit).await?;
    Ok(Json(BookingList {
        bookings: page
            .items
            .iter()
            .map(|booking| BookingView::new(booking, &node.airports))
            .collect(),
        next_cursor: page.next.map(|position| encode_cursor(&position.to_string())),
    }))
}

/// One of the customer's bookings; anyone else's is `booking_not_found`.
#[utoipa::path(get, path = "/bookings/{reference}", tag = "bookings", security(("bearer" = [])),
    params(("reference" = String, Path, description = "Booking reference")),
    responses(
        (status = 200, body = BookingView),
        (status = 400, description = "`invalid_booking_reference`", body = ErrorBody),
        (status = 401, description = "`unauthenticated`, `session_expired`", body = ErrorBody),
        (status = 404, description = "`booking_not_found`", body = ErrorBody),
    ))]
pub async fn get(
    State(node): State<Arc<Node>>,
    CurrentSession(session): CurrentSession,
    Path(reference): Path<String>,
) -> Result<Json<BookingView>, ApiError> {
    let reference = parse_reference(&reference)?;
    let booking = node.sales.booking(session.customer.id, reference).await?;
    Ok(Json(BookingView::new(&booking, &node.airports)))
}

/// Cancels one of the customer's bookings and releases every seat; cancelling again changes
/// nothing.
#[utoipa::path(post, path = "/bookings/{reference}/cancel", operation_id = "cancel_booking", tag = "bookings", security(("bearer" = [])),
    params(("reference" = String, Path, description = "Booking reference")),
    responses(
        (status = 200, description = "Cancelled (again: unchanged); a `failed` booking has nothing to cancel and is answered as it is", body = BookingView),
        (status = 401, description = "`unauthenticated`, `session_expired`", body = ErrorBody),
        (status = 404, description = "`booking_not_found`", body = ErrorBody),
        (status = 409, description = "`flight_departed`: a flight of the booking has left; `booking_pending`: its purchase is not decided yet", body = ErrorBody),
    ))]
pub async fn cancel(
    State(node): State<Arc<Node>>,
    CurrentSession(session): CurrentSession,
    Path(reference): Path<String>,
) -> Result<Json<BookingView>, ApiError> {
    let reference = parse_reference(&reference)?;
    let booking = node.sales.cancel(session.customer.id, reference).await?;
    Ok(Json(BookingView::new(&booking, &node.airports)))
}

fn parse_reference(raw: &str) -> Result<BookingReference, ApiError> {
    BookingReference::parse(raw).map_err(|e| ApiError::bad_parameter("reference", e))
}
