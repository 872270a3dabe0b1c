//! The messages of the commit protocol between airlines, as JSON. The prepare and the vote are
//! the protocol's own types ([`passcom_core::commit::Prepare`], [`passcom_core::commit::Vote`]).
//!
//! Prepares and decisions from a coordinator to one participant travel in *bundles*: one signed
//! call carries every message waiting for that airline (see [`super::outbox`]), and its answer
//! carries a reply to each — a vote for each prepare, an acknowledgement for each decision, or
//! the reason one was refused. Each message is handled as if it had come alone.

use passcom_core::commit::{Outcome, Prepare, Status, TxnId, Vote};
use serde::{Deserialize, Serialize};

/// Most messages one bundle carries: what a participant does for one call is bounded.
pub const BUNDLE_MESSAGES_MAX: usize = 256;

/// `POST /peer/v1/txns`: the messages of a coordinator for one participant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Hold seats for these transactions.
    pub prepares: Vec<Prepare>,
    /// These transactions are decided.
    pub decisions: Vec<DecisionMessage>,
}

impl Bundle {
    /// How many messages it carries.
    pub fn len(&self) -> usize {
        self.prepares.len() + self.decisions.len()
    }

    /// Whether it carries nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The coordinator's decision of a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionMessage {
    /// The transaction.
    pub txn: TxnId,
    /// Committed or aborted.
    pub outcome: Outcome,
}

/// The answer to a bundle: a reply to each of its messages, in their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleAnswer {
    /// One per prepare.
    pub votes: Vec<Reply<Vote>>,
    /// One per decision: an acknowledgement once the decision is applied here.
    pub acknowledgements: Vec<Reply<Outcome>>,
}

/// What a participant answers to one message of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply<T> {
    /// The transaction the message was about.
    pub txn: TxnId,
    /// Its vote or the decision it applied; or why the message was refused.
    pub answer: Answered<T>,
}

/// A message handled, or refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answered<T> {
    /// Handled: the vote, or the decision applied.
    Done(T),
    /// Refused, with the stable code and message the single call's error would carry.
    Refused {
        /// Stable code.
        code: String,
        /// What was wrong.
        message: String,
    },
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
