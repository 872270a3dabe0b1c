//! The HTTP API, all of it: the customer API under `/api/v1` ([`customer`]), the admin API under
//! `/api/v1/admin` ([`admin`]), the peer API under `/peer/v1` ([`peer`], signed between
//! airlines), the OpenAPI document and its interactive docs, liveness and metrics (to the admin
//! token). The protocol
//! modules ([`crate::commit`], [`crate::network`]) have no HTTP in them: the peer handlers here
//! deliver what peers send to them.
//!
//! Handlers are thin: parse the request into domain values (failing with a precise code and
//! the field at fault), call one service, shape the answer. Cross-cutting concerns are layers
//! around every route: the body limit (413), the request time budget (503 `request_timeout`), a
//! panic guard (500, logged), request metrics, and JSON answers for unknown routes and methods.

mod admin;
mod answers;
mod customer;
mod error;
pub(crate) mod extract;
mod paging;
pub mod peer;
pub mod views;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

pub use error::{ApiError, ErrorBody};

use self::customer::{accounts, bookings, catalog, network, search};
use crate::node::Node;
use crate::throttle::Throttles;

/// The OpenAPI document's fixed parts; paths come from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "PassCom",
        description = "Ticket sales of one airline of the PassCom network. Times are local to their airport (RFC 3339 with offset), money is integer cents of BRL, errors are `{\"error\": {\"code\", \"message\"}}` with a stable code.",
        license(name = "MIT OR Apache-2.0")
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerSchemes),
    tags(
        (name = "accounts", description = "Registration, login, sessions"),
        (name = "catalog", description = "Airports, airlines, flights, seat maps"),
        (name = "search", description = "Itineraries across the network's airlines"),
        (name = "bookings", description = "Buying, reading and cancelling trips"),
        (name = "admin", description = "The airline's own schedule (admin token)"),
        (name = "network", description = "The airlines of the network and their state"),
    )
)]
struct ApiDoc;

/// Declares the two bearer schemes: customers' session tokens and the admin token.
struct BearerSchemes;

impl Modify for BearerSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer =
            || SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build());
        components.add_security_scheme("bearer", bearer());
        components.add_security_scheme("admin", bearer());
    }
}

/// The customer and admin routes under `/api/v1`, with their OpenAPI document.
fn api_v1() -> OpenApiRouter<Arc<Node>> {
    let routes = OpenApiRouter::new()
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::me))
        .routes(routes!(catalog::airports))
        .routes(routes!(catalog::airlines))
        .routes(routes!(catalog::flights))
        .routes(routes!(catalog::flight))
        .routes(routes!(catalog::seats))
        .routes(routes!(network::network))
        .routes(routes!(network::about))
        .routes(routes!(catalog::routes))
        .routes(routes!(search::itineraries))
        .routes(routes!(bookings::create, bookings::list))
        .routes(routes!(bookings::get))
        .routes(routes!(bookings::cancel))
        .routes(routes!(admin::create))
        .routes(routes!(admin::edit, admin::cancel))
        .routes(routes!(admin::segments));
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", routes)
}

/// The OpenAPI document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = api_v1().into_openapi();
    answers::add(&mut document);
    document
}

/// The whole HTTP surface of a node.
pub fn router(node: Arc<Node>) -> Router {
    let (api, mut openapi) = api_v1().split_for_parts();
    answers::add(&mut openapi);
    let limits = &node.config.limits;
    let timeout = Duration::from_millis(limits.request_timeout_ms);
    Router::new()
        .merge(api)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", openapi))
        .nest("/peer/v1", peer::routes(node.clone()))
        .route("/healthz", axum::routing::get(healthz))
        .route("/metrics", axum::routing::get(metrics))
        .fallback(crate::web::app(unknown_route))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limits.request_body_bytes_max))
        .layer(Extension(Arc::new(Throttles::new(limits))))
        .layer(middleware::from_fn_with_state(timeout, time_budget))
        .layer(middleware::from_fn(record_metrics))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("a handler panicked").into_response()
        }))
        .layer(TraceLayer::new_for_http())
        .with_state(node)
}

/// Liveness: the process answers.
async fn healthz() -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

/// Prometheus metrics, to the admin token only: they tell an outsider how busy the node is and
/// where its time goes, and rendering them costs. A scraper sends the token as a bearer token
/// (Prometheus: `authorization: {credentials: …}`), which needs no second listener to bind,
/// configure and keep off the network.
async fn metrics(_: extract::Admin, State(node): State<Arc<Node>>) -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], node.metrics.render())
}

async fn unknown_route() -> ApiError {
    ApiError::not_found("not_found", "there is nothing at this path")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this path does not take that method",
    )
}

/// Answers 503 `request_timeout` when a request runs past its time budget.
async fn time_budget(State(budget): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(budget, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "request_timeout",
            "the request took longer than this server allows; try again",
        )
        .into_response(),
    }
}

/// Counts requests and their durations by method, route and status. Every label has a bounded
/// set of values, whatever clients send: a method outside HTTP's own is `other`, a path no route
/// matches is `unmatched` (60,000 requests with invented methods had grown the metrics to 71 MB).
async fn record_metrics(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method.to_owned()), ("route", route), ("status", status)];
    metrics::counter!("passcom_http_requests_total", &labels).increment(1);
    metrics::histogram!("passcom_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The metric label of a request's method: one of HTTP's own, or `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}
