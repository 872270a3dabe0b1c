//! The messages of the commit protocol between airlines, as JSON. The prepare and the vote are
//! the protocol's own types ([`passcom_core::commit::Prepare`], [`passcom_core::commit::Vote`]).

use passcom_core::commit::{Outcome, Status, TxnId};
use serde::{Deserialize, Serialize};

/// `POST /peer/v1/txns/{txn}/decision`: the coordinator's decision.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionMessage {
    /// Committed or aborted.
    pub outcome: Outcome,
}

/// The participant's acknowledgement: the decision is durable there.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The transaction.
    pub txn: TxnId,
    /// The decision applied.
    pub outcome: Outcome,
}

/// `GET /peer/v1/txns/{txn}`: what the answering airline knows of the transaction.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusAnswer {
    /// The transaction.
    pub txn: TxnId,
    /// What it knows.
    pub status: Status,
}

/// `POST /peer/v1/txns/{txn}/release`: the answer once the owner has released the seats.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseAnswer {
    /// The transaction whose seats are free again.
    pub txn: TxnId,
}
