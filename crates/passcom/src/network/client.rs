//! The one client PassCom nodes use to talk to each other.
//!
//! A small wrapper over hyper-util's pooled HTTP/1 client: every call is signed with this
//! airline's key (see [`super::signing`]), bounded by a timeout, and its answer's signature is
//! checked against the peer's pinned key before the answer is believed. Connections come from a
//! [`PeerConnector`]: plain TCP in production ([`tcp_connector`]); the deterministic simulator
//! gives the node one over its simulated network instead ([`connector`]), and nothing else in
//! the node knows the difference.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper::{Method, Request, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioExecutor;
use passcom_core::AirlineId;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower::ServiceExt as _;
use tower::util::BoxCloneSyncService;

use super::keys::{AirlineKey, PublicKey};
use super::signing::{self, SignedRequest};
use crate::clock::{Clock, Entropy};

/// Largest answer a peer may send.
const ANSWER_BYTES_MAX: usize = 64 * 1024 * 1024;

/// Why a call to a peer failed.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    /// It could not be reached (refused, reset, no route).
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// It did not answer in time.
    #[error("no answer within {0} ms")]
    Timeout(u64),
    /// It answered with an error.
    #[error("answered {status}: {body}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The error body.
        body: String,
    },
    /// Its answer was not what it should be: unsigned, badly signed or malformed.
    #[error("bad answer: {0}")]
    BadAnswer(String),
}

/// Where a peer is and how to recognise it.
#[derive(Debug, Clone)]
pub struct PeerAddress {
    /// Its airline.
    pub airline: AirlineId,
    /// Its base URL, like `http://127.0.0.1:8888`.
    pub url: String,
    /// Its pinned public key.
    pub key: PublicKey,
}

/// Whatever can fail while connecting.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Opens connections to peers, whatever carries them.
pub type PeerConnector = BoxCloneSyncService<Uri, PeerConnection, BoxError>;

/// A byte stream a connector opened.
trait Stream: Read + Write + Unpin + Send + 'static {}

impl<T: Read + Write + Unpin + Send + 'static> Stream for T {}

/// A connection to a peer, over TCP or the simulator's network.
pub struct PeerConnection(Box<dyn Stream>);

impl PeerConnection {
    /// Wraps an open stream.
    pub fn new(stream: impl Read + Write + Unpin + Send + 'static) -> Self {
        Self(Box::new(stream))
    }
}

impl Read for PeerConnection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl Write for PeerConnection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.0).poll_shutdown(cx)
    }
}

impl Connection for PeerConnection {
    fn connected(&self) -> Connected {
        // Nothing of the connection's metadata (proxy, ALPN, addresses) matters to peer calls.
        Connected::new()
    }
}

/// A connector made of `service`, which opens a stream to the URI it is given.
pub fn connector<S, T>(service: S) -> PeerConnector
where
    S: tower::Service<Uri, Response = T> + Clone + Send + Sync + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    T: Read + Write + Unpin + Send + 'static,
{
    BoxCloneSyncService::new(service.map_response(PeerConnection::new).map_err(Into::into))
}

/// The production connector: TCP, no Nagle delay, connecting within `timeout_ms`.
pub fn tcp_connector(timeout_ms: u64) -> PeerConnector {
    let mut http = HttpConnector::new();
    http.set_nodelay(true);
    http.set_connect_timeout(Some(Duration::from_millis(timeout_ms)));
    connector(http)
}

/// Signs, sends, times out and checks calls to peers.
pub struct PeerClient {
    http: Client<PeerConnector, Full<Bytes>>,
    airline: AirlineId,
    key: Arc<AirlineKey>,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    timeout_ms: u64,
}

impl PeerClient {
    /// A client over `connector`.
    pub fn new(
        connector: PeerConnector,
        airline: AirlineId,
        key: Arc<AirlineKey>,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        timeout_ms: u64,
    ) -> Self {
        let http = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(connector);
        Self { http, airline, key, clock, entropy, timeout_ms }
    }

    /// `GET path_and_query` at `peer`.
    pub async fn get<A: DeserializeOwned>(
        &self,
        peer: &PeerAddress,
        path_and_query: &str,
    ) -> Result<A, PeerError> {
        self.call(peer, Method::GET, path_and_query, Bytes::new()).await
    }

    /// `POST path_and_query` at `peer` with `body` as JSON.
    pub async fn post<A: DeserializeOwned>(
        &self,
        peer: &PeerAddress,
        path_and_query: &str,
        body: &impl Serialize,
    ) -> Result<A, PeerError> {
        let body =
            serde_json::to_vec(body).map_err(|error| PeerError::BadAnswer(error.to_string()))?;
        self.call(peer, Method::POST, path_and_query, Bytes::from(body)).await
    }

    async fn call<A: DeserializeOwned>(
        &self,
        peer: &PeerAddress,
        method: Method,
        path_and_query: &str,
        body: Bytes,
    ) -> Result<A, PeerError> {
        let request = self.signed(peer, method, path_and_query, body)?;
        let nonce = request.headers()[signing::NONCE].to_str().unwrap_or_default().to_owned();
        let exchange = async {
            let response = self
                .http
                .request(request)
                .await
                .map_err(|error| PeerError::Unreachable(error.to_string()))?;
            let status = response.status().as_u16();
            let signature = response
                .headers()
                .get(signing::SIGNATURE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = Limited::new(response.into_body(), ANSWER_BYTES_MAX)
                .collect()
                .await
                .map_err(|error| PeerError::Unreachable(error.to_string()))?
                .to_bytes();
            Ok::<_, PeerError>((status, signature, body))
        };
        let (status, signature, body) =
            tokio::time::timeout(Duration::from_millis(self.timeout_ms), exchange)
                .await
                .map_err(|_| PeerError::Timeout(self.timeout_ms))??;
        let signed = signing::answer_message(&peer.airline, &nonce, status, &body);
        if !signature.is_some_and(|signature| peer.key.verifies(&signed, &signature)) {
            return Err(PeerError::BadAnswer(format!(
                "the answer is not signed by {}",
                peer.airline
            )));
        }
        if !(200..300).contains(&status) {
            return Err(PeerError::Refused {
                status,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
        }
        serde_json::from_slice(&body).map_err(|error| PeerError::BadAnswer(error.to_string()))
    }

    fn signed(
        &self,
        peer: &PeerAddress,
        method: Method,
        path_and_query: &str,
        body: Bytes,
    ) -> Result<Request<Full<Bytes>>, PeerError> {
        let uri: Uri = format!("{}{path_and_query}", peer.url.trim_end_matches('/'))
            .parse()
            .map_err(|error| PeerError::Unreachable(format!("bad peer URL: {error}")))?;
        let mut nonce = [0; 16];
        self.entropy.fill(&mut nonce);
        let nonce = hex::encode(nonce);
        let timestamp_ms = self.clock.now().as_millisecond();
        let body_sha256 = signing::body_sha256(&body);
        let message = SignedRequest {
            method: method.as_str(),
            path_and_query,
            sender: &self.airline,
            receiver: &peer.airline,
            timestamp_ms,
            nonce: &nonce,
            body: &body,
        }
        .message_over(&body_sha256);
        let header = |value: &str| {
            HeaderValue::from_str(value).map_err(|error| PeerError::BadAnswer(error.to_string()))
        };
        Request::builder()
            .method(method)
            .uri(uri)
            .header(CONTENT_TYPE, "application/json")
            .header(signing::AIRLINE, header(self.airline.as_str())?)
            .header(signing::TIMESTAMP, header(&timestamp_ms.to_string())?)
            .header(signing::NONCE, header(&nonce)?)
            .header(signing::SIGNATURE, header(&self.key.sign(&message))?)
            .header(signing::BODY_SHA256, header(&body_sha256)?)
            .body(Full::new(body))
            .map_err(|error| PeerError::BadAnswer(error.to_string()))
    }
}
