//! API errors: one type, mapped to HTTP in one place.
//!
//! Every error answer has the same shape, `{"error": {"code": "…", "message": "…", …}}`, with a
//! stable snake_case `code` that clients switch on, a sentence for people, and details where
//! they help (`flight`, `airline`, `field`, `current_version`). Errors of the service layers map
//! here by what the caller can do: fix the request (4xx), or retry later (503). Our own failures
//! are logged in full and answered with a bare `internal_error`, never with their details.

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passcom_core::commit::{AbortCause, RefusalReason};
use passcom_core::{AirlineId, FlightId, ParseError};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::accounts::AccountError;
use crate::sales::SalesError;
use crate::schedule::ScheduleError;
use crate::store::StoreError;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: Cow<'static, str>,
    message: String,
    details: Map<String, Value>,
    /// Seconds to send as `Retry-After`, if any.
    retry_after_s: Option<u64>,
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, with a stable code.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code, such as `seat_unavailable`.
    #[schema(example = "seat_unavailable")]
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// The flight concerned, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flight: Option<String>,
    /// The airline concerned, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub airline: Option<String>,
    /// The request field that was wrong, like `passengers[1].name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A flight's version now, on a failed `If-Match`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<u64>,
}

impl ApiError {
    /// An error with `status`, `code` and `message`.
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            details: Map::new(),
            retry_after_s: None,
        }
    }

    /// 429 `too_many_attempts`: try again after `wait` (sent as `Retry-After`, whole seconds).
    pub fn too_many_attempts(what: &str, wait: std::time::Duration) -> Self {
        let seconds = wait.as_millis().div_ceil(1000) as u64;
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("too many {what}; try again in {seconds} s"),
        );
        error.retry_after_s = Some(seconds);
        error
    }

    /// Adds a detail (`flight`, `airline`, `field`, `current_version`).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }

    /// 400 from a value in the query string or path that did not parse.
    pub fn bad_parameter(field: &str, error: ParseError) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error.code(), error.message()).with("field", field)
    }

    /// 422 from a field of the body that did not parse.
    pub fn invalid_field(field: impl Into<String>, error: ParseError) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, error.code(), error.message())
            .with("field", field.into())
    }

    /// 422 for a request that is well formed but breaks a rule.
    pub fn unprocessable(error: ParseError) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, error.code(), error.message())
    }

    /// 401: no valid credentials.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    /// 404 for a route or resource that does not exist.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 500, logging what happened; the caller learns nothing of it.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "request failed on our side");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "something went wrong on our side; try again",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The sentence for people.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The text of detail `key` (see [`ApiError::with`]), if it has one.
    pub fn detail(&self, key: &str) -> Option<&str> {
        self.details.get(key).and_then(Value::as_str)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = Map::new();
        error.insert("code".into(), Value::from(self.code.into_owned()));
        error.insert("message".into(), Value::from(self.message));
        error.extend(self.details);
        let body = serde_json::json!({ "error": error });
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after_s {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Internal(reason) => ApiError::internal(reason),
            // Every other store error is a domain outcome that a service maps with more
            // context; one reaching here directly is still the caller's to see.
            StoreError::FlightNotFound(flight) => flight_not_found(flight),
            StoreError::BookingPending(reference) => SalesError::BookingPending(reference).into(),
            other => ApiError::new(StatusCode::CONFLICT, "conflict", other.to_string()),
        }
    }
}

fn flight_not_found(flight: FlightId) -> ApiError {
    ApiError::not_found("flight_not_found", format!("there is no flight {flight}"))
        .with("flight", flight.to_string())
}

impl From<AccountError> for ApiError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::UsernameTaken => ApiError::new(
                StatusCode::CONFLICT,
                "username_taken",
                "that username belongs to another account",
            ),
            AccountError::InvalidCredentials => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "wrong username or password",
            ),
            AccountError::Unauthenticated => {
                ApiError::unauthenticated("log in first: send Authorization: Bearer <token>")
            }
            AccountError::SessionExpired => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "session_expired",
                "your session expired; log in again",
            ),
            AccountError::Store(error) => error.into(),
        }
    }
}

impl From<SalesError> for ApiError {
    fn from(error: SalesError) -> Self {
        match error {
            SalesError::FlightNotFound(flight) => flight_not_found(flight),
            SalesError::FlightCancelled(flight) => flight_cancelled(flight),
            SalesError::FlightDeparted(flight) => flight_departed(flight),
            SalesError::SeatUnavailable { flight } => seat_unavailable(flight),
            SalesError::InvalidTrip(error) => ApiError::unprocessable(error),
            SalesError::IdempotencyKeyReused => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "this Idempotency-Key was used with a different request; use a new key for a new purchase",
            ),
            SalesError::BookingNotFound(reference) => {
                ApiError::not_found("booking_not_found", format!("you have no booking {reference}"))
            }
            SalesError::BookingPending(reference) => ApiError::new(
                StatusCode::CONFLICT,
                "booking_pending",
                format!("booking {reference} is still being bought; try again in a moment"),
            )
            .with("reference", reference.to_string()),
            SalesError::AirlineUnavailable(airline) => airline_unavailable(&airline),
            SalesError::PurchaseFailed { reference, cause } => {
                purchase_failed(&cause).with("reference", reference.to_string())
            }
            SalesError::Store(error) => error.into(),
        }
    }
}

/// The answer to a purchase across airlines that aborted: the same as the one-airline
/// purchase would give for the same cause.
pub(crate) fn purchase_failed(cause: &AbortCause) -> ApiError {
    match cause {
        AbortCause::Refused { participant, reason, flight } => match (reason, flight) {
            (RefusalReason::SeatUnavailable, Some(flight)) => seat_unavailable(*flight),
            (RefusalReason::FlightCancelled, Some(flight)) => flight_cancelled(*flight),
            (RefusalReason::FlightDeparted, Some(flight)) => flight_departed(*flight),
            (RefusalReason::FlightNotFound, Some(flight)) => flight_not_found(*flight),
            _ => airline_unavailable(participant),
        },
        AbortCause::Unreachable { participant } => airline_unavailable(participant),
        AbortCause::TimedOut { participants } => match participants.first() {
            Some(participant) => airline_unavailable(participant),
            None => purchase_interrupted(cause),
        },
        AbortCause::Restarted => purchase_interrupted(cause),
    }
}

fn seat_unavailable(flight: FlightId) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "seat_unavailable",
        format!("the seats asked for on {flight} are no longer available; choose again"),
    )
    .with("flight", flight.to_string())
}

fn flight_cancelled(flight: FlightId) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "flight_cancelled", format!("flight {flight} is cancelled"))
        .with("flight", flight.to_string())
}

fn flight_departed(flight: FlightId) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "flight_departed", format!("flight {flight} has departed"))
        .with("flight", flight.to_string())
}

fn airline_unavailable(airline: &AirlineId) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "airline_unavailable",
        format!("{airline} cannot be reached now; nothing was bought, try again later"),
    )
    .with("airline", airline.to_string())
}

fn purchase_interrupted(cause: &AbortCause) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "purchase_interrupted",
        format!("{cause}; nothing was bought, try again with a new Idempotency-Key"),
    )
}

impl From<ScheduleError> for ApiError {
    fn from(error: ScheduleError) -> Self {
        match error {
            ScheduleError::AirportNotFound(code) => {
                ApiError::not_found("airport_not_found", format!("there is no airport {code}"))
            }
            ScheduleError::FlightNotFound(flight) => flight_not_found(flight),
            ScheduleError::Invalid(error) => ApiError::unprocessable(error),
            ScheduleError::FlightExists(flight) => ApiError::new(
                StatusCode::CONFLICT,
                "flight_exists",
                format!("flight {flight} exists already"),
            )
            .with("flight", flight.to_string()),
            ScheduleError::VersionMismatch { flight, current } => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "version_mismatch",
                format!(
                    "flight {flight} changed since you read it; it is at version {current} now"
                ),
            )
            .with("flight", flight.to_string())
            .with("current_version", current),
            ScheduleError::FlightCancelled(flight) => ApiError::new(
                StatusCode::CONFLICT,
                "flight_cancelled",
                format!("flight {flight} is cancelled and cannot be edited"),
            )
            .with("flight", flight.to_string()),
            ScheduleError::Store(error) => error.into(),
        }
    }
}
