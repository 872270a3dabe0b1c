//! What happened in a simulation, as the outside saw it: the trace, and the ledger of what
//! buyers were told.
//!
//! The trace is the story of one run — faults, buyers' calls and their answers, checks — each
//! line stamped with the simulated time. Two runs of one seed must write the same trace (the
//! determinism test compares them), and a failing seed prints it. The ledger keeps what the
//! invariants hold the nodes to: every booking a buyer was told is confirmed or failed, every
//! answer given for each idempotency key, every cancellation a buyer asked for.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The story of one run, shared by the harness and every simulated client.
#[derive(Clone, Default)]
pub struct Trace(Arc<Mutex<Vec<String>>>);

impl Trace {
    /// Records `line` at simulated time `at`.
    pub fn at(&self, at: Duration, line: impl AsRef<str>) {
        let line = format!("{:>7.3}s {}", at.as_secs_f64(), line.as_ref());
        self.0.lock().expect("never poisoned").push(line);
    }

    /// Records `line` now, from inside the simulation.
    pub fn now(&self, line: impl AsRef<str>) {
        self.at(turmoil::sim_elapsed().unwrap_or_default(), line);
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().expect("never poisoned").clone()
    }
}

/// An idempotency key as the seller knows it: seller, customer's username, key.
pub type KeyAt = (String, String, String);

/// A booking as its seller knows it: seller, reference.
pub type BookingAt = (String, String);

/// What buyers were told and asked.
#[derive(Default)]
pub struct Ledger {
    /// Every reference answered 201 for each idempotency key, in order.
    pub answers: BTreeMap<KeyAt, Vec<String>>,
    /// Bookings a buyer was told are confirmed, and the buyer.
    pub confirmed: BTreeMap<BookingAt, String>,
    /// Bookings a buyer was told failed as a whole, and the buyer with the cause.
    pub failed: BTreeMap<BookingAt, String>,
    /// Bookings a buyer asked to cancel (whether or not an answer came back).
    pub cancelling: BTreeSet<BookingAt>,
    /// Answers that must never be given, as buyers saw them.
    pub violations: Vec<String>,
    /// How many times any of the above changed: the checker skips a database that has not
    /// changed since its last check while the ledger has not either.
    pub changes: u64,
}

/// The ledger, shared by every buyer.
pub type SharedLedger = Arc<Mutex<Ledger>>;
