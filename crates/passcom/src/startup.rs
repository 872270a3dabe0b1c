//! Serving a node: its HTTP server and console on listeners it is given, and its background
//! tasks.
//!
//! [`serve`] takes already-bound listeners, so tests bind port 0 and learn the ports before the
//! node runs, and the deterministic simulator passes a listener of its simulated network (any
//! [`axum::serve::Listener`] will do); [`start`] does the binding for callers that only have a
//! config. Shutdown comes
//! from the caller's future or from the node itself (the console's `shutdown`): the servers stop
//! accepting, requests in flight get up to `shutdown_grace_ms` to finish, and the background
//! tasks — session sweeping, the network — stop with them. Both listeners are guarded
//! ([`crate::connections`]): connections capped per client and in all, closed when idle.

use std::fmt::Debug;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::serve::{Listener, ListenerExt as _};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::accounts::SessionSweeper;
use crate::config::Config;
use crate::connections::{ClientAddress, Guarded};
use crate::node::{Drivers, Node, NodeOptions};
use crate::stop::stopped;
use crate::{api, commit, console, http_server, network};

/// The sockets a node serves on.
pub struct Listeners<L = TcpListener> {
    /// Customer, admin and peer API.
    pub http: L,
    /// The admin console, if enabled.
    pub console: Option<TcpListener>,
}

/// Serves `node` on `listeners`, its `drivers` running, until `shutdown` completes or the node
/// asks to stop.
pub async fn serve<L>(
    node: Arc<Node>,
    drivers: Drivers,
    listeners: Listeners<L>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()>
where
    L: Listener,
    L::Addr: ClientAddress + Debug,
{
    let started = Started::start(drivers).await?;
    serve_started(node, started, listeners, shutdown).await
}

/// The node's protocol drivers, their unfinished work restored, ready to run.
struct Started {
    sessions: SessionSweeper,
    network: network::Started,
    commit: commit::Started,
}

impl Started {
    /// Starts the network (so the node knows its peers before it serves) and the commit
    /// driver (so that what a crash left unfinished is finished first).
    async fn start(drivers: Drivers) -> anyhow::Result<Self> {
        let Drivers { network, commit, sessions } = drivers;
        Ok(Self {
            network: network::start(network).await?,
            commit: commit::start(commit).await?,
            sessions,
        })
    }
}

/// [`serve`], once the node's network has started.
async fn serve_started<L>(
    node: Arc<Node>,
    started: Started,
    listeners: Listeners<L>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()>
where
    L: Listener,
    L::Addr: ClientAddress + Debug,
{
    let (stopping, stop) = watch::channel(false);
    let mut tasks = vec![
        tokio::spawn(started.sessions.run(stop.clone())),
        tokio::spawn(started.network.run(stop.clone())),
        tokio::spawn(started.commit.run(stop.clone())),
    ];
    if let Some(listener) = listeners.console {
        let limits = node.config.console.connection_limits();
        let listener = Guarded::new(listener, limits, console::REFUSAL);
        tasks.push(tokio::spawn(console::serve(node.clone(), listener)));
    }
    let http = &node.config.http;
    let grace = Duration::from_millis(node.config.limits.shutdown_grace_ms);
    let header_read_timeout = Duration::from_millis(http.header_read_timeout_ms);
    let listener = Guarded::new(listeners.http, http.connection_limits(), http_server::refusal());
    let mut stopping_seen = stop.clone();
    let asked = node.clone();
    let server = http_server::serve(listener, api::router(node), header_read_timeout, async move {
        tokio::select! {
            biased;
            () = shutdown => {}
            () = asked.shutdown_requested() => {}
        }
        let _ = stopping.send(true);
    });
    // Biased select!s here and below: the same order every time, for the simulator (see
    // `network::run`).
    let served = tokio::select! {
        biased;
        () = server => Ok(()),
        // Once shutdown begins, requests in flight get `grace` to finish.
        () = async { stopped(&mut stopping_seen).await; tokio::time::sleep(grace).await } => {
            tracing::warn!("requests still in flight after the shutdown grace period were dropped");
            Ok(())
        }
    };
    tasks.iter().for_each(JoinHandle::abort);
    served
}

/// A node serving in the background.
pub struct RunningNode {
    /// The node.
    pub node: Arc<Node>,
    /// Where its HTTP API listens.
    pub address: SocketAddr,
    /// Where its console listens, if enabled.
    pub console_address: Option<SocketAddr>,
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

    /// Waits until it stops by itself (asked from its console).
    pub async fn stopped(&mut self) -> anyhow::Result<()> {
        (&mut self.server).await.context("the server task failed")?
    }
}

/// Builds the node `config` describes with `options`, binds its addresses and serves it in the
/// background.
pub async fn start(config: Config, options: NodeOptions) -> anyhow::Result<RunningNode> {
    let listen = config.http.listen;
    let http =
        TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let console = match config.console.enabled {
        true => {
            let listen = config.console.listen;
            Some(
                TcpListener::bind(listen)
                    .await
                    .with_context(|| format!("cannot listen on {listen} (console)"))?,
            )
        }
        false => None,
    };
    let address = http.local_addr()?;
    let console_address = console.as_ref().map(TcpListener::local_addr).transpose()?;
    let (node, drivers) = Node::open(config, options).await?;
    let started = Started::start(drivers).await?;
    let (shutdown, stop) = tokio::sync::oneshot::channel();
    let server = tokio::spawn(serve_started(
        node.clone(),
        started,
        Listeners { http: http.tap_io(no_delay), console },
        async move {
            let _ = stop.await;
        },
    ));
    tracing::info!(airline = %node.airline.id, url = %format!("http://{address}"), console = ?console_address, "serving");
    Ok(RunningNode { node, address, console_address, shutdown, server })
}

/// Turns Nagle's algorithm off on an accepted connection: an answer goes out as soon as it is
/// written, instead of waiting for the peer to acknowledge what went before it.
fn no_delay(stream: &mut tokio::net::TcpStream) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "cannot turn Nagle's algorithm off");
    }
}
