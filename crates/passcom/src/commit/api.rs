//! The commit protocol's part of the peer API: what a seller asks of this airline as the owner
//! of legs, and what participants in doubt ask each other.
//!
//! | call | what |
//! |---|---|
//! | `POST /peer/v1/txns/{txn}/prepare` | hold these seats for my purchase; answer your vote |
//! | `POST /peer/v1/txns/{txn}/decision` | the decision is `committed` / `aborted`; acknowledge once durable |
//! | `GET /peer/v1/txns/{txn}` | what do you know of this transaction? |
//! | `POST /peer/v1/txns/{txn}/release` | my booking was cancelled: release the seats I bought |
//!
//! These routes sit behind the peer API's signature check, so the caller is known: only a
//! transaction's coordinator may prepare it or tell its decision, and only the seller may
//! release what it bought.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Router};
use passcom_core::commit::{Prepare, TxnId, Vote};

use super::wire::{Acknowledgement, DecisionMessage, ReleaseAnswer, StatusAnswer};
use crate::api::ApiError;
use crate::api::extract::{Json, Path};
use crate::network::api::Caller;
use crate::node::Node;
use crate::store::DecidedBy;

/// The commit protocol's routes, under `/peer/v1`.
pub fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/txns/{txn}", get(status))
        .route("/txns/{txn}/prepare", post(prepare))
        .route("/txns/{txn}/decision", post(decision))
        .route("/txns/{txn}/release", post(release))
}

fn txn_id(raw: &str) -> Result<TxnId, ApiError> {
    TxnId::parse(raw).map_err(|error| ApiError::bad_parameter("txn", error))
}

fn refused(code: &'static str, message: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

async fn prepare(
    State(node): State<Arc<Node>>,
    Extension(Caller(caller)): Extension<Caller>,
    Path(txn): Path<String>,
    Json(prepare): Json<Prepare>,
) -> Result<Json<Vote>, ApiError> {
    let txn = txn_id(&txn)?;
    check_prepare(&node, &caller, &txn, &prepare)?;
    Ok(Json(node.commit.participate(prepare).await?))
}

/// A prepare must come from its coordinator, about the transaction its path names, and ask
/// for what a purchase may ask.
fn check_prepare(
    node: &Node,
    caller: &passcom_core::AirlineId,
    txn: &TxnId,
    prepare: &Prepare,
) -> Result<(), ApiError> {
    if prepare.txn != *txn {
        return Err(refused(
            "txn_mismatch",
            format!("the path names {txn}, the body {}", prepare.txn),
        ));
    }
    if prepare.coordinator != *caller {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "coordinator_mismatch",
            format!("{caller} cannot prepare a purchase coordinated by {}", prepare.coordinator),
        ));
    }
    let legs_max = node.config.connections.legs_max;
    let passengers_max = node.config.limits.passengers_max;
    if !prepare.participants.contains(&node.airline.id) || prepare.participants.len() > legs_max + 1
    {
        return Err(refused(
            "invalid_participants",
            format!(
                "the participants must include {} and number at most {}",
                node.airline.id,
                legs_max + 1
            ),
        ));
    }
    if prepare.legs.is_empty() || prepare.legs.len() > legs_max {
        return Err(refused("invalid_legs", format!("a prepare holds 1 to {legs_max} flights")));
    }
    if prepare.passengers.is_empty() || prepare.passengers.len() > passengers_max {
        return Err(refused(
            "invalid_passengers",
            format!("a purchase has 1 to {passengers_max} passengers"),
        ));
    }
    let seats_fit = prepare
        .legs
        .iter()
        .all(|leg| leg.seats.as_ref().is_none_or(|seats| seats.len() == prepare.passengers.len()));
    if !seats_fit {
        return Err(refused("seats_mismatch", "give one seat per passenger on each flight".into()));
    }
    Ok(())
}

async fn decision(
    State(node): State<Arc<Node>>,
    Extension(Caller(caller)): Extension<Caller>,
    Path(txn): Path<String>,
    Json(message): Json<DecisionMessage>,
) -> Result<Json<Acknowledgement>, ApiError> {
    let txn = txn_id(&txn)?;
    node.commit.apply(txn.clone(), message.outcome, DecidedBy::Coordinator(caller)).await?;
    Ok(Json(Acknowledgement { txn, outcome: message.outcome }))
}

async fn status(
    State(node): State<Arc<Node>>,
    Path(txn): Path<String>,
) -> Result<Json<StatusAnswer>, ApiError> {
    let txn = txn_id(&txn)?;
    let status = node.commit.status(txn.clone()).await?;
    Ok(Json(StatusAnswer { txn, status }))
}

async fn release(
    State(node): State<Arc<Node>>,
    Extension(Caller(caller)): Extension<Caller>,
    Path(txn): Path<String>,
) -> Result<Json<ReleaseAnswer>, ApiError> {
    let txn = txn_id(&txn)?;
    node.commit.release_for(txn.clone(), caller).await?;
    Ok(Json(ReleaseAnswer { txn }))
}
