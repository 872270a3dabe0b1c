//! The HTTP server loop: hyper's HTTP/1 on any [`Listener`], with a header-read timeout, each
//! request told its client's address, and a graceful shutdown.
//!
//! This is `axum::serve` with one thing added, which `axum::serve` has no setting for: hyper's
//! header-read timer. A client must send each request's head within `header_read_timeout` of
//! the server starting to wait for it, so a half-sent request ("slowloris") holds its connection
//! that long at most. The timer starts as soon as the server waits, so it is also how long a
//! kept-alive connection may sit between two requests; clients reopen one when it is closed.
//! The idle timeout and the caps are the listener's ([`crate::connections`]).

use std::fmt::Debug;
use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::serve::Listener;
use bytes::Bytes;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::sync::watch;
use tower::ServiceExt as _;

use crate::connections::ClientAddress;

/// The address a request came from, in every request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client(pub std::net::IpAddr);

/// What a connection over the listener's caps is sent before it is closed: a complete HTTP
/// answer, 503 `too_many_connections`, so that a client over its share is told why.
pub fn refusal() -> Bytes {
    let body = serde_json::json!({"error": {
        "code": "too_many_connections",
        "message": "too many connections are open (from your address, or in all); close some, or try again later",
    }})
    .to_string();
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    Bytes::from(head + &body)
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the connections finish
/// what they are answering (the caller bounds how long).
pub async fn serve<L>(
    mut listener: L,
    router: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) where
    L: Listener,
    L::Addr: ClientAddress + Debug,
{
    // Shutdown drops `signal`'s only receiver, which every connection watches for; every
    // connection holds a receiver of `closing`, whose sender is closed once the last has ended.
    let (signal, signal_receiver) = watch::channel(());
    let (closing, closed) = watch::channel(());
    // The shutdown future runs as its own task, as in `axum::serve`. Polled in this loop's
    // `select!` instead, it made two simulator runs of one seed differ: seen, not understood.
    let mut shutdown = tokio::spawn(shutdown);
    // Turns every handler into a route once, rather than per request (as `axum::serve` does).
    let router = router.with_state(());
    loop {
        let (io, address) = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let client = Client(address.ip());
        let service = router.clone().map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(client);
            request
        });
        let (signal, closed) = (signal.clone(), closed.clone());
        tokio::spawn(async move {
            connection(io, service, header_read_timeout, signal).await;
            drop(closed);
        });
    }
    drop(signal_receiver);
    drop(closed);
    closing.closed().await;
}

/// Serves one connection until it ends, or gracefully once `signal` has no receiver left.
async fn connection<Io, S>(
    io: Io,
    service: S,
    header_read_timeout: Duration,
    signal: watch::Sender<()>,
) where
    Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    S: tower::Service<Request<Incoming>, Response = axum::response::Response> + Clone + Send,
    S: 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    let mut served = pin!(
        builder.serve_connection_with_upgrades(TokioIo::new(io), TowerToHyperService::new(service))
    );
    tokio::select! {
        biased;
        result = served.as_mut() => return log_end(result),
        () = signal.closed() => served.as_mut().graceful_shutdown(),
    }
    log_end(served.await);
}

fn log_end(result: Result<(), Box<dyn std::error::Error + Send + Sync>>) {
    if let Err(error) = result {
        tracing::debug!(%error, "an HTTP connection ended");
    }
}
