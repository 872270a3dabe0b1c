//! Serving a node: the HTTP server on a listener it is given, and the node's background tasks.
//!
//! [`serve`] takes an already-bound listener, so tests bind port 0 and learn the port before
//! the node runs; [`start`] does the binding for callers that only have a config. Shutdown is a
//! future the caller completes: the server stops accepting, finishes the requests in flight (up
//! to `shutdown_grace_ms`) and the background tasks stop with it.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api;
use crate::clock::{Clock, Entropy};
use crate::config::Config;
use crate::node::Node;

/// Serves `node` on `listener` until `shutdown` completes.
pub async fn serve(
    node: Arc<Node>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stopping, stop) = watch::channel(false);
    let sweeper = tokio::spawn(sweep_sessions(node.clone(), stop.clone()));
    let network = tokio::spawn(crate::network::run(node.clone(), stop.clone()));
    let grace = Duration::from_millis(node.config.limits.shutdown_grace_ms);
    let mut stopping_seen = stop.clone();
    let server = axum::serve(listener, api::router(node)).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stopping.send(true);
    });
    let served = tokio::select! {
        served = server => served.context("the HTTP server failed"),
        // Once shutdown begins, requests in flight get `grace` to finish.
        () = async { stopped(&mut stopping_seen).await; tokio::time::sleep(grace).await } => {
            tracing::warn!("requests still in flight after the shutdown grace period were dropped");
            Ok(())
        }
    };
    sweeper.abort();
    network.abort();
    served
}

/// Deletes expired sessions every `session_sweep_interval_ms` until told to stop.
async fn sweep_sessions(node: Arc<Node>, mut stop: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(Duration::from_millis(
        node.config.limits.session_sweep_interval_ms.max(1),
    ));
    loop {
        tokio::select! {
            _ = every.tick() => {
                if let Err(error) = node.accounts.sweep_idle_sessions().await {
                    tracing::warn!(%error, "could not delete expired sessions");
                }
            }
            () = stopped(&mut stop) => return,
        }
    }
}

/// Completes once `stop` says to stop.
pub(crate) async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// A node serving in the background.
pub struct RunningNode {
    /// The node.
    pub node: Arc<Node>,
    /// Where it listens.
    pub address: SocketAddr,
    shutdown: tokio::sync::oneshot::Sender<()>,
    server: JoinHandle<anyhow::Result<()>>,
}

impl RunningNode {
    /// Its base URL, like `http://127.0.0.1:7777`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops it gracefully and waits until it has.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(());
        self.server.await.context("the server task failed")?
    }
}

/// Builds the node `config` describes, binds its listen address and serves it in the background.
pub async fn start(
    config: Config,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
) -> anyhow::Result<RunningNode> {
    let listen = config.http.listen;
    let listener =
        TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    let node = Node::open(config, clock, entropy).await?;
    let (shutdown, stop) = tokio::sync::oneshot::channel();
    let server = tokio::spawn(serve(node.clone(), listener, async move {
        let _ = stop.await;
    }));
    tracing::info!(airline = %node.airline.id, url = %format!("http://{address}"), "serving");
    Ok(RunningNode { node, address, shutdown, server })
}
