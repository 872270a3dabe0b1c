//! The stop signal of a node's background work.
//!
//! Every driver and server task is handed a receiver of one watch channel, set once when the
//! node stops: a value, not the node, so that a task knows how to stop without knowing who
//! started it.

use tokio::sync::watch;

/// Says when to stop: `true` once the node is stopping.
pub type Stop = watch::Receiver<bool>;

/// Completes once `stop` says to stop (or its sender is gone).
pub async fn stopped(stop: &mut Stop) {
    let _ = stop.wait_for(|stop| *stop).await;
}
