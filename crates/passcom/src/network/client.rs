//! The one client PassCom nodes use to talk to each other.
//!
//! A small wrapper over hyper-util's pooled HTTP/1 client: every call is signed with this
//! airline's key (see [`super::signing`]), bounded by a timeout, and its answer's signature is
//! checked against the peer's pinned key before the answer is believed. The client is generic
//! over its connector: plain TCP in production; the deterministic simulator gives it a simulated
//! network instead.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::rt::TokioExecutor;
use passcom_core::AirlineId;
use serde::Serialize;
use serde::de::DeserializeOwned;

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

/// Signs, sends, times out and checks calls to peers.
pub struct PeerClient<C = HttpConnector> {
    http: Client<C, Full<Bytes>>,
    airline: AirlineId,
    key: Arc<AirlineKey>,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    timeout_ms: u64,
}

impl PeerClient<HttpConnector> {
    /// A client over TCP.
    pub fn new(
        airline: AirlineId,
        key: Arc<AirlineKey>,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        timeout_ms: u64,
    ) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(Duration::from_millis(timeout_ms)));
        Self::with_connector(connector, airline, key, clock, entropy, timeout_ms)
    }
}

impl<C: Connect + Clone + Send + Sync + 'static> PeerClient<C> {
    /// A client over `connector`.
    pub fn with_connector(
        connector: C,
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
        let message = SignedRequest {
            method: method.as_str(),
            path_and_query,
            sender: &self.airline,
            receiver: &peer.airline,
            timestamp_ms,
            nonce: &nonce,
            body: &body,
        }
        .message();
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
            .body(Full::new(body))
            .map_err(|error| PeerError::BadAnswer(error.to_string()))
    }
}
