//! The network's storage: peers, the change log of own flights, and replicas' positions.
//!
//! The change log numbers every change to this airline's flights; replicas of other airlines'
//! catalogs are applied with the position they reached, in the same write, so that after a
//! restart each catches up from where it was. The positions per airline are the network's
//! version vector.

use std::collections::BTreeMap;

use async_trait::async_trait;
use jiff::Timestamp;
use passcom_core::AirlineId;
use passcom_core::replication::Batch;
use tokio::sync::watch;

use super::StoreResult;

/// An airline this node talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerRecord {
    /// The peer's airline.
    pub airline: AirlineId,
    /// Its base URL.
    pub url: String,
    /// Its Ed25519 public key (base64), when pinned through `addconn` rather than configuration.
    pub public_key: Option<String>,
    /// Removed with `rmconn`: kept, marked, so that configuration does not bring it back.
    pub removed: bool,
}

/// Peers, the change log and replicas.
#[async_trait]
pub trait NetworkStore: Send + Sync + 'static {
    /// Appends every own flight departing after `after` to the change log, so that every
    /// replica reads each of them again; returns how many. A node does this as it starts: a
    /// replica may have read a flight while a deferred write held seats on it, and a power cut
    /// may have taken that write back.
    async fn log_own_flights(&self, after: Timestamp) -> StoreResult<usize>;
    /// The last entry of the change log of own flights (0 if none).
    async fn log_head(&self) -> StoreResult<u64>;
    /// The head of the change log, updated after every write that grows it.
    fn log_head_changes(&self) -> watch::Receiver<u64>;
    /// Own flights changed after log entry `after`, covering at most `limit` entries; or a
    /// snapshot of every own flight (`after` = 0) if the log no longer keeps what follows `after`.
    async fn log_batch(&self, after: u64, limit: u64) -> StoreResult<Batch>;
    /// Deletes all but the last `keep` log entries; returns how many it deleted.
    async fn prune_log(&self, keep: u64) -> StoreResult<usize>;
    /// Applies a batch of `owner`'s flights to this node's replica of its catalog and records the
    /// replica's new position, in one write; `ForeignFlight` if the batch carries a flight that is
    /// not `owner`'s to publish. The segments this node sold on a flight the batch shows
    /// cancelled are marked `flight_cancelled` in the same write.
    async fn apply_replica(&self, owner: AirlineId, batch: Batch, at: Timestamp)
    -> StoreResult<()>;
    /// The position of every replica, by owner.
    async fn replica_positions(&self) -> StoreResult<BTreeMap<AirlineId, u64>>;
    /// Every peer, removed ones included.
    async fn peers(&self) -> StoreResult<Vec<PeerRecord>>;
    /// Adds, updates or (with `removed`) removes a peer.
    async fn put_peer(&self, peer: PeerRecord, at: Timestamp) -> StoreResult<()>;
}
