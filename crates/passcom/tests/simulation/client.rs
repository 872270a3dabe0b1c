//! The HTTP client of the simulation's buyers and operators: JSON over the public API, on the
//! simulated network, every call bounded by a timeout.
//!
//! It is hyper-util's pooled client over the same connector the nodes use, so a buyer's
//! requests suffer the same partitions, delays and crashes as the nodes' own calls. A call
//! that gets no answer — refused, reset, stalled by a lost segment, timed out — is a
//! [`Reply::Lost`]: the buyer cannot know whether the node acted on it, which is exactly the
//! case idempotency keys are for.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, IF_MATCH};
use hyper::{Method, Request};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use passcom::network::client::PeerConnector;
use serde_json::Value;

use crate::net::sim_connector;

/// How long a buyer waits for an answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(2);

/// What came back from a call.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An answer: its status and JSON body (`Null` when empty).
    Answered(u16, Value),
    /// No answer: what went wrong.
    Lost(String),
}

impl Reply {
    /// The error code of an error answer.
    pub fn code(&self) -> Option<&str> {
        match self {
            Reply::Answered(_, body) => body["error"]["code"].as_str(),
            Reply::Lost(_) => None,
        }
    }

    /// A short description for the trace.
    pub fn summary(&self) -> String {
        match self {
            Reply::Answered(status, _) => match self.code() {
                Some(code) => format!("{status} {code}"),
                None => status.to_string(),
            },
            Reply::Lost(why) => format!("lost ({why})"),
        }
    }
}

/// A request: method, URL and what goes with it.
pub struct Call<'a> {
    method: Method,
    url: String,
    token: Option<&'a str>,
    idempotency_key: Option<&'a str>,
    if_match: Option<u64>,
    body: Option<Value>,
}

impl<'a> Call<'a> {
    /// `GET url`.
    pub fn get(url: String) -> Self {
        Self::new(Method::GET, url, None)
    }

    /// `POST url` with `body`.
    pub fn post(url: String, body: Value) -> Self {
        Self::new(Method::POST, url, Some(body))
    }

    /// `PUT url` with `body`.
    pub fn put(url: String, body: Value) -> Self {
        Self::new(Method::PUT, url, Some(body))
    }

    fn new(method: Method, url: String, body: Option<Value>) -> Self {
        Self { method, url, token: None, idempotency_key: None, if_match: None, body }
    }

    /// As the holder of bearer `token`.
    pub fn bearer(mut self, token: &'a str) -> Self {
        self.token = Some(token);
        self
    }

    /// With an `Idempotency-Key`.
    pub fn idempotency_key(mut self, key: &'a str) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// Only if the resource is still at `version`.
    pub fn if_match(mut self, version: u64) -> Self {
        self.if_match = Some(version);
        self
    }
}

/// A client on the simulated network.
pub struct Http {
    client: Client<PeerConnector, Full<Bytes>>,
}

impl Http {
    /// A client dialing through the simulated network.
    pub fn new() -> Self {
        Self { client: Client::builder(TokioExecutor::new()).build(sim_connector()) }
    }

    /// Sends `call` and waits for its answer, at most [`ANSWER_TIMEOUT`].
    pub async fn send(&self, call: Call<'_>) -> Reply {
        let request = match request(call) {
            Ok(request) => request,
            Err(error) => return Reply::Lost(format!("bad request: {error}")),
        };
        let exchange = async {
            let response = self.client.request(request).await.map_err(|e| e.to_string())?;
            let status = response.status().as_u16();
            let body = response.into_body().collect().await.map_err(|e| e.to_string())?;
            let body = serde_json::from_slice(&body.to_bytes()).unwrap_or(Value::Null);
            Ok::<_, String>(Reply::Answered(status, body))
        };
        match tokio::time::timeout(ANSWER_TIMEOUT, exchange).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(error)) => Reply::Lost(short(&error)),
            Err(_) => Reply::Lost("timeout".into()),
        }
    }
}

/// The first words of an error, enough for a trace line.
fn short(error: &str) -> String {
    error.chars().take(60).collect()
}

fn request(call: Call<'_>) -> Result<Request<Full<Bytes>>, hyper::http::Error> {
    let mut builder = Request::builder().method(call.method).uri(call.url);
    if let Some(token) = call.token {
        builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(key) = call.idempotency_key {
        builder = builder.header("idempotency-key", key);
    }
    if let Some(version) = call.if_match {
        builder = builder.header(IF_MATCH, format!("\"{version}\""));
    }
    let body = match call.body {
        Some(body) => {
            builder = builder.header(CONTENT_TYPE, "application/json");
            Bytes::from(body.to_string())
        }
        None => Bytes::new(),
    };
    builder.body(Full::new(body))
}
