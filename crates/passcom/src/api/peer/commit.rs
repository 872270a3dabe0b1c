//! The commit protocol's part of the peer API: what a seller asks of this airline as the owner
//! of legs, and what participants in doubt ask each other.
//!
//! | call | what |
//! |---|---|
//! | `POST /peer/v1/txns` | a bundle: hold these seats for my purchases, these are decided; answer each |
//! | `GET /peer/v1/txns/{txn}` | what do you know of this transaction? |
//! | `POST /peer/v1/txns/{txn}/release` | my booking was cancelled: release the seats I bought |
//!
//! A bundle's messages are handled as if each had come alone, all at once — so their writes
//! share the store's next batch — and each gets its own reply: a prepare its vote, a decision
//! its acknowledgement once applied durably, or either the reason it was refused.
//!
//! These routes sit behind the peer API's signature check, so the caller is known: only a
//! transaction's coordinator may prepare it or tell its decision, and only the seller may
//! release what it bought.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Router};
use futures_util::future::join_all;
use passcom_core::AirlineId;
use passcom_core::commit::{Outcome, Prepare, TxnId, Vote};

use super::Caller;
use crate::api::ApiError;
use crate::api::extract::{Json, Path};
use crate::commit::wire::{
    Answered, BUNDLE_MESSAGES_MAX, Bundle, BundleAnswer, DecisionMessage, ReleaseAnswer, Reply,
    StatusAnswer,
};
use crate::node::Node;
use crate::store::DecidedBy;

/// The commit protocol's routes, under `/peer/v1`.
pub fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/txns", post(bundle))
        .route("/txns/{txn}", get(status))
        .route("/txns/{txn}/release", post(release))
}

fn txn_id(raw: &str) -> Result<TxnId, ApiError> {
    TxnId::parse(raw).map_err(|error| ApiError::bad_parameter("txn", error))
}

fn refused(code: &'static str, message: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

async fn bundle(
    State(node): State<Arc<Node>>,
    Extension(Caller(caller)): Extension<Caller>,
    Json(bundle): Json<Bundle>,
) -> Result<Json<BundleAnswer>, ApiError> {
    if bundle.len() > BUNDLE_MESSAGES_MAX {
        return Err(refused(
            "bundle_too_large",
            format!("a bundle carries at most {BUNDLE_MESSAGES_MAX} messages"),
        ));
    }
    let votes = join_all(bundle.prepares.into_iter().map(|p| vote(&node, &caller, p)));
    let acknowledgements =
        join_all(bundle.decisions.into_iter().map(|d| acknowledge(&node, &caller, d)));
    let (votes, acknowledgements) = tokio::join!(votes, acknowledgements);
    Ok(Json(BundleAnswer { votes, acknowledgements }))
}

/// Prepares one transaction of a bundle: its vote.
async fn vote(node: &Node, caller: &AirlineId, prepare: Prepare) -> Reply<Vote> {
    let txn = prepare.txn.clone();
    let vote = match check_prepare(node, caller, &prepare) {
        Ok(()) => node.commit.participate(prepare).await.map_err(ApiError::from),
        Err(error) => Err(error),
    };
    reply(txn, vote)
}

/// Applies one decision of a bundle: its acknowledgement once durable.
async fn acknowledge(
    node: &Node,
    caller: &AirlineId,
    DecisionMessage { txn, outcome }: DecisionMessage,
) -> Reply<Outcome> {
    let by = DecidedBy::Coordinator(caller.clone());
    let applied = node.commit.apply(txn.clone(), outcome, by).await;
    reply(txn, applied.map(|()| outcome).map_err(ApiError::from))
}

fn reply<T>(txn: TxnId, result: Result<T, ApiError>) -> Reply<T> {
    let answer = match result {
        Ok(done) => Answered::Done(done),
        Err(error) => {
            Answered::Refused { code: error.code().to_owned(), message: error.message().to_owned() }
        }
    };
    Reply { txn, answer }
}

/// A prepare must come from its coordinator and ask for what a purchase may ask.
fn check_prepare(node: &Node, caller: &AirlineId, prepare: &Prepare) -> Result<(), ApiError> {
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
