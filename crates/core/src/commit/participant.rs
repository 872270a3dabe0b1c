//! The participant in doubt: a prepared participant that has not heard the decision.
//!
//! Preparing, committing and aborting are single durable writes the node makes when the messages
//! arrive, each idempotent by the record's state; this machine only decides what a prepared
//! participant does while it waits. It never releases its holds on its own: it asks. First the
//! coordinator, with backoff; after `coordinator_inquiries_max` questions without a decision,
//! the other participants too (cooperative termination): any that knows the decision tells it,
//! and one that never saw the transaction records ABORTED before it answers (so it can no longer
//! have voted yes, and the coordinator cannot have committed). When an answer carries a decision,
//! the machine asks the node to apply it; the node reports `Decided` once it is durable.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use super::{Outcome, Status, Timing, TxnId};
use crate::AirlineId;

/// Something that happened to this participant's transactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParticipantEvent {
    /// This participant prepared `txn` (voted yes) and waits for the decision.
    Prepared {
        /// The transaction.
        txn: TxnId,
        /// Its coordinator.
        coordinator: AirlineId,
        /// Every participant.
        participants: Vec<AirlineId>,
        /// When to ask first if nothing comes (`now + decision_wait_ms`, or now after a restart).
        ask_at: Timestamp,
    },
    /// The decision of `txn` is applied, durably.
    Decided {
        /// The transaction.
        txn: TxnId,
    },
    /// `from` answered a question about `txn`.
    Answered {
        /// The transaction.
        txn: TxnId,
        /// Who answered.
        from: AirlineId,
        /// What it knows.
        status: Status,
        /// Now.
        now: Timestamp,
    },
    /// Applying the decision learned for `txn` failed; it is asked again at the next round.
    ApplyFailed {
        /// The transaction.
        txn: TxnId,
    },
    /// A question to `from` about `txn` got no answer.
    InquiryFailed {
        /// The transaction.
        txn: TxnId,
        /// Who was asked.
        from: AirlineId,
        /// Now.
        now: Timestamp,
    },
    /// Time is now `now`.
    Tick {
        /// Now.
        now: Timestamp,
    },
}

/// What the node must do for the participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParticipantAction {
    /// Ask `airline` what it knows of `txn`; report `Answered` or `InquiryFailed`.
    Ask {
        /// The transaction.
        txn: TxnId,
        /// Whom to ask.
        airline: AirlineId,
    },
    /// Apply the decision `outcome` of `txn` durably; report `Decided`.
    Apply {
        /// The transaction.
        txn: TxnId,
        /// The decision learned.
        outcome: Outcome,
    },
}

/// A transaction this participant prepared and has no decision for.
#[derive(Debug, Clone)]
struct InDoubt {
    coordinator: AirlineId,
    others: Vec<AirlineId>,
    ask_at: Timestamp,
    backoff_ms: Option<u64>,
    rounds: u32,
    /// A decision learned and being applied.
    applying: bool,
}

/// The in-doubt transactions of one node's participant.
#[derive(Debug, Clone)]
pub struct Participant {
    this: AirlineId,
    timing: Timing,
    in_doubt: BTreeMap<TxnId, InDoubt>,
}

impl Participant {
    /// The participant of airline `this`, nothing in doubt.
    pub fn new(this: AirlineId, timing: Timing) -> Self {
        Self { this, timing, in_doubt: BTreeMap::new() }
    }

    /// The transactions in doubt, oldest question first.
    pub fn in_doubt(&self) -> impl Iterator<Item = &TxnId> {
        self.in_doubt.keys()
    }

    /// Takes `event` into account; returns what to do.
    pub fn step(&mut self, event: ParticipantEvent) -> Vec<ParticipantAction> {
        match event {
            ParticipantEvent::Prepared { txn, coordinator, participants, ask_at } => {
                let others = participants
                    .into_iter()
                    .filter(|p| *p != self.this && *p != coordinator)
                    .collect();
                let entry = InDoubt {
                    coordinator,
                    others,
                    ask_at,
                    backoff_ms: None,
                    rounds: 0,
                    applying: false,
                };
                self.in_doubt.entry(txn).or_insert(entry);
                Vec::new()
            }
            ParticipantEvent::Decided { txn } => {
                self.in_doubt.remove(&txn);
                Vec::new()
            }
            ParticipantEvent::Answered { txn, from, status, now: _ } => {
                self.answered(txn, from, status)
            }
            ParticipantEvent::ApplyFailed { txn } => {
                if let Some(entry) = self.in_doubt.get_mut(&txn) {
                    entry.applying = false;
                }
                Vec::new()
            }
            // The next round asks again; nothing to do until then.
            ParticipantEvent::InquiryFailed { .. } => Vec::new(),
            ParticipantEvent::Tick { now } => self.tick(now),
        }
    }

    fn answered(&mut self, txn: TxnId, from: AirlineId, status: Status) -> Vec<ParticipantAction> {
        let Some(entry) = self.in_doubt.get_mut(&txn) else { return Vec::new() };
        let _ = from;
        match status.outcome() {
            Some(outcome) if !entry.applying => {
                entry.applying = true;
                vec![ParticipantAction::Apply { txn, outcome }]
            }
            _ => Vec::new(),
        }
    }

    fn tick(&mut self, now: Timestamp) -> Vec<ParticipantAction> {
        let mut actions = Vec::new();
        for (txn, entry) in &mut self.in_doubt {
            if entry.applying || entry.ask_at > now {
                continue;
            }
            let backoff_ms = self.timing.backoff(entry.backoff_ms);
            entry.backoff_ms = Some(backoff_ms);
            entry.ask_at = now + SignedDuration::from_millis(backoff_ms as i64);
            entry.rounds += 1;
            let mut asked = vec![entry.coordinator.clone()];
            if entry.rounds > self.timing.coordinator_inquiries_max {
                asked.extend(entry.others.iter().cloned());
            }
            // A question asked again while the first is unanswered is harmless: answers are
            // idempotent, and the first decision learned is the one applied.
            actions.extend(
                asked
                    .into_iter()
                    .map(|airline| ParticipantAction::Ask { txn: txn.clone(), airline }),
            );
        }
        actions
    }
}
