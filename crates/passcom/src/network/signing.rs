//! Signed requests between airlines: what is signed, and how a request is checked.
//!
//! Every request to `/peer/v1` carries its sender's airline id, a timestamp, a random nonce and
//! an Ed25519 signature over a canonical text of the request: method, path and query, sender,
//! *receiver*, timestamp, nonce and the SHA-256 of the body. Naming the receiver means a request
//! signed for Giro cannot be replayed to Boreal; hashing the body means nothing in it can be
//! changed. The body's hash travels in a header too, so the receiver checks the signature before
//! it reads any of the body: an unsigned or forged request is refused without its body being
//! read, whatever its size (it used to be read in full first, up to `peer_request_bytes_max`:
//! 30 unsigned 60 MB requests took a node from 569 MB to 1.7 GB). The receiver checks, in
//! order: the headers are there, the sender's key is pinned,
//! the timestamp is within `clock_skew_ms_max` of its clock and not older than its own start, the
//! nonce was not seen within that window, and the signature; then it reads the body (at most
//! `peer_request_bytes_max`) and checks it against the signed hash. Anything else is refused with 401
//! before any handler runs, so nothing changes.
//!
//! Answers are signed too, over the request's nonce, the status and the body's hash, so that a
//! sender knows an answer comes from the peer it asked and answers that request.
//!
//! Caveat: the replay guard remembers nonces in memory. Refusing requests signed before the node
//! started closes the gap a restart would open; a peer whose clock runs behind this node's sees
//! its first requests after this node starts refused, for up to the difference, and retries.

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::Timestamp;
use passcom_core::AirlineId;
use sha2::{Digest, Sha256};

/// Header naming the sending airline.
pub const AIRLINE: &str = "x-passcom-airline";
/// Header with the signing time, Unix milliseconds.
pub const TIMESTAMP: &str = "x-passcom-timestamp";
/// Header with the request's random nonce.
pub const NONCE: &str = "x-passcom-nonce";
/// Header with the signature, base64.
pub const SIGNATURE: &str = "x-passcom-signature";
/// Header with the SHA-256 of the body, hex: the signature covers it, so the receiver checks
/// the signature before it reads the body, and the body against it after.
pub const BODY_SHA256: &str = "x-passcom-body-sha256";

/// Longest nonce accepted.
const NONCE_CHARS_MAX: usize = 64;

/// The parts of a request that its signature covers.
pub struct SignedRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path and query.
    pub path_and_query: &'a str,
    /// The sending airline.
    pub sender: &'a AirlineId,
    /// The airline the request is for.
    pub receiver: &'a AirlineId,
    /// Unix milliseconds at signing.
    pub timestamp_ms: i64,
    /// Random, unique per request.
    pub nonce: &'a str,
    /// The body.
    pub body: &'a [u8],
}

impl SignedRequest<'_> {
    /// The canonical text that is signed.
    pub fn message(&self) -> Vec<u8> {
        self.message_over(&body_sha256(self.body))
    }

    /// The canonical text with `body_sha256` standing for the body, which is not read yet.
    pub fn message_over(&self, body_sha256: &str) -> Vec<u8> {
        format!(
            "PASSCOM-PEER-V1\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.method,
            self.path_and_query,
            self.sender,
            self.receiver,
            self.timestamp_ms,
            self.nonce,
            body_sha256
        )
        .into_bytes()
    }
}

/// The SHA-256 of `body`, hex, as [`BODY_SHA256`] carries it.
pub fn body_sha256(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// The canonical text of an answer: who answers, to which request, with what.
pub fn answer_message(responder: &AirlineId, nonce: &str, status: u16, body: &[u8]) -> Vec<u8> {
    format!(
        "PASSCOM-PEER-V1-ANSWER\n{responder}\n{nonce}\n{status}\n{}",
        hex::encode(Sha256::digest(body))
    )
    .into_bytes()
}

/// Why a peer request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The signing headers are missing or malformed.
    #[error("the request is not signed")]
    Unsigned,
    /// No key is pinned for the sender.
    #[error("the sending airline is not known here")]
    UnknownSender,
    /// The timestamp is outside the accepted window.
    #[error("the request is too old or from the future")]
    Stale,
    /// The nonce was seen already.
    #[error("the request was already received")]
    Replayed,
    /// The signature does not match.
    #[error("the signature does not match")]
    BadSignature,
}

impl Refusal {
    /// The stable error code.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Unsigned => "peer_request_unsigned",
            Refusal::UnknownSender => "peer_unknown",
            Refusal::Stale => "peer_request_stale",
            Refusal::Replayed => "peer_request_replayed",
            Refusal::BadSignature => "peer_signature_invalid",
        }
    }
}

/// Remembers the nonces of recent requests, to refuse them a second time.
///
/// A nonce is kept until its request's timestamp leaves the window; after that the timestamp
/// alone refuses the request. Expired nonces are dropped a quarter of a window at a time, not
/// on every request: under load the guard holds tens of thousands of nonces, and sweeping them
/// all per request showed in profiles.
pub struct ReplayGuard {
    window_ms: i64,
    started_at: Timestamp,
    seen: Mutex<Seen>,
}

/// The nonces a guard remembers, each with when it expires; and when to next drop the expired.
#[derive(Default)]
struct Seen {
    nonces: HashMap<(AirlineId, String), i64>,
    sweep_at_ms: i64,
}

impl ReplayGuard {
    /// A guard accepting timestamps within `window_ms` of now and not before `started_at`.
    pub fn new(window_ms: u64, started_at: Timestamp) -> Self {
        Self { window_ms: window_ms as i64, started_at, seen: Mutex::new(Seen::default()) }
    }

    /// Checks the timestamp and nonce of a request from `sender` at `now`, and remembers the
    /// nonce. Call only for requests whose signature verified, so that forged requests cannot
    /// fill its memory.
    pub fn admit(
        &self,
        sender: &AirlineId,
        nonce: &str,
        timestamp_ms: i64,
        now: Timestamp,
    ) -> Result<(), Refusal> {
        self.check_time(timestamp_ms, now)?;
        let now_ms = now.as_millisecond();
        let mut seen = self.seen.lock().expect("the replay guard lock is never poisoned");
        if now_ms >= seen.sweep_at_ms {
            seen.nonces.retain(|_, expires| *expires > now_ms);
            seen.sweep_at_ms = now_ms + (self.window_ms / 4).max(1);
        }
        let key = (sender.clone(), nonce.to_owned());
        if seen.nonces.contains_key(&key) {
            return Err(Refusal::Replayed);
        }
        seen.nonces.insert(key, timestamp_ms + self.window_ms);
        Ok(())
    }

    /// Checks that a timestamp is recent, not from the future and not before this node started.
    pub fn check_time(&self, timestamp_ms: i64, now: Timestamp) -> Result<(), Refusal> {
        let now_ms = now.as_millisecond();
        let recent = (now_ms - self.window_ms..=now_ms + self.window_ms).contains(&timestamp_ms);
        if !recent || timestamp_ms < self.started_at.as_millisecond() {
            return Err(Refusal::Stale);
        }
        Ok(())
    }
}

/// Whether `nonce` has the shape of one: 1 to 64 hexadecimal digits.
pub fn well_formed_nonce(nonce: &str) -> bool {
    !nonce.is_empty()
        && nonce.len() <= NONCE_CHARS_MAX
        && nonce.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(raw: &str) -> AirlineId {
        AirlineId::parse(raw).unwrap()
    }

    #[test]
    fn the_signed_text_covers_every_part() {
        let (rumos, giro, boreal) = (id("rumos"), id("giro"), id("boreal"));
        let request = SignedRequest {
            method: "POST",
            path_and_query: "/peer/v1/heartbeat",
            sender: &rumos,
            receiver: &giro,
            timestamp_ms: 1,
            nonce: "ab",
            body: b"{}",
        };
        let base = request.message();
        let to_boreal = SignedRequest { receiver: &boreal, ..request };
        assert_ne!(to_boreal.message(), base, "the receiver is signed");
        let other_body = SignedRequest { receiver: &giro, body: b"{ }", ..to_boreal };
        assert_ne!(other_body.message(), base, "the body is signed");
    }

    #[test]
    fn a_nonce_is_admitted_once_within_the_window() {
        let start: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let guard = ReplayGuard::new(30_000, start);
        let now = start + jiff::SignedDuration::from_secs(10);
        let ts = now.as_millisecond();
        assert_eq!(guard.admit(&id("giro"), "aa", ts, now), Ok(()));
        assert_eq!(guard.admit(&id("giro"), "aa", ts, now), Err(Refusal::Replayed));
        assert_eq!(guard.admit(&id("boreal"), "aa", ts, now), Ok(()), "nonces are per sender");
        assert_eq!(guard.admit(&id("giro"), "bb", ts - 31_000, now), Err(Refusal::Stale));
        assert_eq!(guard.admit(&id("giro"), "cc", ts + 31_000, now), Err(Refusal::Stale));
        let before_start = start.as_millisecond() - 1;
        assert_eq!(guard.admit(&id("giro"), "dd", before_start, now), Err(Refusal::Stale));
    }

    #[test]
    fn expired_nonces_are_dropped() {
        let start: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let guard = ReplayGuard::new(30_000, start);
        let remembered = || guard.seen.lock().unwrap().nonces.len();
        for second in 0..60 {
            let now = start + jiff::SignedDuration::from_secs(second);
            let nonce = format!("{second:x}");
            assert_eq!(guard.admit(&id("giro"), &nonce, now.as_millisecond(), now), Ok(()));
            assert!(remembered() <= 30 + 30 / 4 + 1, "at {second} s: {} nonces", remembered());
        }
        assert!(remembered() >= 30, "nonces still in the window are kept");
    }

    #[test]
    fn nonces_are_short_hex() {
        assert!(well_formed_nonce("0123abcdef"));
        assert!(!well_formed_nonce(""));
        assert!(!well_formed_nonce("xyz"));
        assert!(!well_formed_nonce(&"a".repeat(65)));
    }
}
