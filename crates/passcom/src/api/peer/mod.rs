//! The peer API, `/peer/v1`: what airlines ask of each other.
//!
//! Every request is checked before any handler runs ([`authenticate`]): signed by a peer whose
//! key is pinned, recent, not seen before (see [`crate::network::signing`]), all before its body
//! is read. A refused request gets 401
//! with a stable code and changes nothing. Every answer, refusals included, is signed.
//!
//! | call | what |
//! |---|---|
//! | `POST /peer/v1/heartbeat` | I am alive; who I am; my log head. Answered in kind. |
//! | `GET /peer/v1/catalog?after=&limit=` | my changes after your position (or a snapshot) |
//! | `POST /peer/v1/catalog` | here are my latest changes; answer your position |
//! | `GET /peer/v1/flights/{id}/seats` | the seat map of one of my flights |
//! | `/peer/v1/txns/…` | the commit protocol (see [`commit`]) |

mod commit;

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{DefaultBodyLimit, OriginalUri, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use passcom_core::AirlineId;
use passcom_core::replication::Batch;

use crate::api::ApiError;
use crate::api::extract::{Json, Path, Query};
use crate::network::signing::{self, Refusal, SignedRequest};
use crate::network::wire::{
    CatalogAnswer, CatalogQuery, Heartbeat, HeartbeatAnswer, PushAnswer, SeatMapAnswer,
};
use crate::node::Node;
use crate::store::StoreError;

/// The airline that signed the request being handled.
#[derive(Debug, Clone)]
pub struct Caller(pub AirlineId);

/// The peer API's routes, each behind signature checking.
pub fn routes(node: Arc<Node>) -> Router<Arc<Node>> {
    let body_limit = node.network.config.peer_request_bytes_max;
    Router::new()
        .route("/heartbeat", post(heartbeat))
        .route("/catalog", get(catalog).post(push))
        .route("/flights/{id}/seats", get(seats))
        .merge(commit::routes())
        .layer(middleware::from_fn_with_state(node, authenticate))
        .layer(DefaultBodyLimit::max(body_limit))
}

/// Checks the request's signature, then reads its body and checks it against the signed hash;
/// signs the answer. Nothing of the body is read before the signature checks out.
async fn authenticate(State(node): State<Arc<Node>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let nonce = header(&parts, signing::NONCE)
        .filter(|nonce| signing::well_formed_nonce(nonce))
        .unwrap_or_default()
        .to_owned();
    let answer = match verified_body(&node, &parts, body).await {
        Err(refused) => refused,
        Ok((caller, body)) => {
            let mut request = Request::from_parts(parts, Body::from(body));
            request.extensions_mut().insert(Caller(caller));
            next.run(request).await
        }
    };
    sign(&node, &nonce, answer).await
}

/// The signer and the body of a genuine request, or the refusal of another.
async fn verified_body(
    node: &Node,
    parts: &Parts,
    body: Body,
) -> Result<(AirlineId, axum::body::Bytes), Response> {
    let refuse = |refusal: Refusal| {
        tracing::warn!(code = refusal.code(), uri = %parts.uri, "refused a peer request");
        ApiError::new(StatusCode::UNAUTHORIZED, refusal.code(), refusal.to_string()).into_response()
    };
    let (caller, body_sha256) = verify(node, parts).map_err(refuse)?;
    let body = to_bytes(body, node.network.config.peer_request_bytes_max).await.map_err(|_| {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the body is too large")
            .into_response()
    })?;
    if signing::body_sha256(&body) != body_sha256 {
        return Err(refuse(Refusal::BadSignature));
    }
    Ok((caller, body))
}

fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|value| value.to_str().ok())
}

/// Who signed the request, if it is to be believed, and the body's hash they signed.
fn verify(node: &Node, parts: &Parts) -> Result<(AirlineId, String), Refusal> {
    let sender = header(parts, signing::AIRLINE)
        .and_then(|id| AirlineId::parse(id).ok())
        .ok_or(Refusal::Unsigned)?;
    let timestamp_ms: i64 =
        header(parts, signing::TIMESTAMP).and_then(|t| t.parse().ok()).ok_or(Refusal::Unsigned)?;
    let nonce = header(parts, signing::NONCE)
        .filter(|n| signing::well_formed_nonce(n))
        .ok_or(Refusal::Unsigned)?;
    let signature = header(parts, signing::SIGNATURE).ok_or(Refusal::Unsigned)?;
    let body_sha256 = header(parts, signing::BODY_SHA256).ok_or(Refusal::Unsigned)?;
    let key = node.network.key_of(&sender).ok_or(Refusal::UnknownSender)?;
    let now = node.clock.now();
    node.network.guard().check_time(timestamp_ms, now)?;
    // Nested routers see their path with the prefix stripped; the signature covers all of it.
    let uri = parts.extensions.get::<OriginalUri>().map_or(&parts.uri, |original| &original.0);
    let path_and_query = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    let message = SignedRequest {
        method: parts.method.as_str(),
        path_and_query,
        sender: &sender,
        receiver: &node.airline.id,
        timestamp_ms,
        nonce,
        body: &[],
    }
    .message_over(body_sha256);
    if !key.verifies(&message, signature) {
        return Err(Refusal::BadSignature);
    }
    node.network.guard().admit(&sender, nonce, timestamp_ms, now)?;
    Ok((sender, body_sha256.to_owned()))
}

/// Adds this airline's signature of `answer`, bound to the request's `nonce`.
async fn sign(node: &Node, nonce: &str, answer: Response) -> Response {
    let (mut parts, body) = answer.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => return ApiError::internal(error).into_response(),
    };
    let message = signing::answer_message(&node.airline.id, nonce, parts.status.as_u16(), &body);
    if let Ok(signature) = HeaderValue::from_str(&node.network.sign(&message)) {
        parts.headers.insert(signing::SIGNATURE, signature);
    }
    Response::from_parts(parts, Body::from(body))
}

async fn heartbeat(
    State(node): State<Arc<Node>>,
    axum::Extension(Caller(caller)): axum::Extension<Caller>,
    Json(heartbeat): Json<Heartbeat>,
) -> Result<Json<HeartbeatAnswer>, ApiError> {
    if heartbeat.airline.id != caller {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "airline_mismatch",
            "a heartbeat speaks for its signer only",
        ));
    }
    node.network.heard_from(caller, heartbeat.log_head).await;
    let log_head = node.store.log_head().await?;
    Ok(Json(HeartbeatAnswer {
        airline: node.airline.clone(),
        log_head,
        started_at: node.started_at,
    }))
}

async fn catalog(
    State(node): State<Arc<Node>>,
    Query(query): Query<CatalogQuery>,
) -> Result<Json<CatalogAnswer>, ApiError> {
    let limit = query.limit.clamp(1, node.network.config.replication_batch_entries_max);
    let batch = node.store.log_batch(query.after, limit).await?;
    let head = node.store.log_head().await?.max(batch.up_to);
    Ok(Json(CatalogAnswer { batch, head }))
}

async fn push(
    State(node): State<Arc<Node>>,
    axum::Extension(Caller(caller)): axum::Extension<Caller>,
    Json(batch): Json<Batch>,
) -> Result<Json<PushAnswer>, ApiError> {
    match node.network.pushed(caller, batch).await {
        Ok(position) => Ok(Json(PushAnswer { position })),
        Err(StoreError::ForeignFlight(reason)) => {
            Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "foreign_flight", reason))
        }
        Err(error) => Err(error.into()),
    }
}

async fn seats(
    State(node): State<Arc<Node>>,
    Path(id): Path<String>,
) -> Result<Json<SeatMapAnswer>, ApiError> {
    let id = crate::api::customer::catalog::parse_flight_id(&id)?;
    let map = if node.owns(id) { node.store.seat_map(id).await? } else { None };
    let map = map.ok_or(ApiError::from(StoreError::FlightNotFound(id)))?;
    Ok(Json(SeatMapAnswer {
        rows: map.cabin.rows(),
        letters: map.cabin.letters().to_owned(),
        taken: map.taken.iter().map(ToString::to_string).collect(),
    }))
}
