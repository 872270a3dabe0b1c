//! The messages of the peer API (`/peer/v1`), as JSON.

use jiff::Timestamp;
use passcom_core::Airline;
use passcom_core::replication::Batch;
use serde::{Deserialize, Serialize};

/// `POST /peer/v1/heartbeat`: I am alive, this is who I am and how far my log is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    /// The sender.
    pub airline: Airline,
    /// The head of its change log.
    pub log_head: u64,
}

/// The answer to a heartbeat: the same, from the receiver.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatAnswer {
    /// The receiver.
    pub airline: Airline,
    /// The head of its change log.
    pub log_head: u64,
    /// When it started.
    pub started_at: Timestamp,
}

/// `GET /peer/v1/catalog?after=&limit=`: the owner's changes after `after`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogQuery {
    /// The asking replica's position.
    pub after: u64,
    /// Most log entries wanted.
    pub limit: u64,
}

/// The answer: a batch (or a snapshot) and the owner's head.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogAnswer {
    /// The changes.
    pub batch: Batch,
    /// The owner's log head.
    pub head: u64,
}

/// The answer to `POST /peer/v1/catalog` (a pushed batch): where the replica is now.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushAnswer {
    /// The replica's position after the push.
    pub position: u64,
}

/// `GET /peer/v1/flights/{id}/seats`: a flight's seat map, from its owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeatMapAnswer {
    /// Rows of the cabin.
    pub rows: u8,
    /// Seat letters of a row.
    pub letters: String,
    /// Seats held or sold.
    pub taken: Vec<String>,
}
