//! `/network`: this node and its peers, as it sees them now.

use std::sync::Arc;

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::error::ApiError;
use crate::api::extract::Json;
use crate::api::views::AirlineView;
use crate::node::Node;

/// This node and its view of the network.
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkView {
    /// This airline's id.
    pub airline: String,
    /// When this node started (UTC).
    pub started_at: String,
    /// The head of this airline's change log.
    pub log_head: u64,
    /// This airline's public key, for peers to pin.
    pub public_key: String,
    /// The peers.
    pub peers: Vec<PeerStatusView>,
}

/// One peer as this node sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeerStatusView {
    /// Its airline id.
    pub airline: String,
    /// Its base URL.
    pub url: String,
    /// `online` or `offline`.
    pub status: String,
    /// Since when (UTC).
    pub since: String,
    /// Its last answer to a heartbeat (UTC), if any.
    pub last_heartbeat: Option<String>,
    /// This node's copy of its catalog.
    pub replication: ReplicationView,
}

/// Where this node's replica of a peer's catalog stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplicationView {
    /// The last entry of the peer's change log applied here.
    pub position: u64,
    /// The head of the peer's change log, as last heard.
    pub owner_head: u64,
    /// Entries this node is behind.
    pub lag_entries: u64,
    /// When a batch was last applied (UTC), if ever since start.
    pub last_applied_at: Option<String>,
}

/// Which airline this node is.
#[derive(Debug, Serialize, ToSchema)]
pub struct AboutView {
    /// The airline, as `/airlines` shows it.
    pub airline: AirlineView,
    /// PassCom's version.
    pub version: String,
}

/// Which airline this node is (for a web app to brand itself), and the software's version.
#[utoipa::path(get, path = "/about", tag = "network", responses((status = 200, body = AboutView)))]
pub async fn about(State(node): State<Arc<Node>>) -> Json<AboutView> {
    Json(AboutView {
        airline: AirlineView::new(&node.airline, true),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// This node, its peers, their status and the replication positions.
#[utoipa::path(get, path = "/network", tag = "network", responses((status = 200, body = NetworkView)))]
pub async fn network(State(node): State<Arc<Node>>) -> Result<Json<NetworkView>, ApiError> {
    let peers = node
        .network
        .peers()
        .into_iter()
        .map(|peer| PeerStatusView {
            airline: peer.airline.to_string(),
            url: peer.url,
            status: peer.status.to_string(),
            since: peer.since.to_string(),
            last_heartbeat: peer.last_heartbeat.map(|at| at.to_string()),
            replication: ReplicationView {
                position: peer.replica_position,
                owner_head: peer.log_head,
                lag_entries: peer.log_head.saturating_sub(peer.replica_position),
                last_applied_at: peer.last_applied_at.map(|at| at.to_string()),
            },
        })
        .collect();
    Ok(Json(NetworkView {
        airline: node.airline.id.to_string(),
        started_at: node.started_at.to_string(),
        log_head: node.store.log_head().await?,
        public_key: node.network.public_key().to_string(),
        peers,
    }))
}
