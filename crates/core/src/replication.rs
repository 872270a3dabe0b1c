//! Catalog replication: every node keeps a copy of every other airline's flights.
//!
//! Like membership, these are state machines with no sockets and no clock: the node feeds them
//! events and carries out the actions they return, in order.
//!
//! # Protocol
//!
//! Each airline appends every change to its own flights — created, edited, cancelled, seats
//! sold or released — to a *change log* numbered 1, 2, 3… in the same durable write as the
//! change. The log records *which* flight changed; entries travel in a [`Batch`] covering a range
//! `(after, up_to]` of the log and carrying each flight changed in that range once, *as it is
//! when the batch is read* (never older than at its entry). Applying a batch is an upsert of
//! whole flights, so applying one twice changes nothing. A replica's position is the `up_to` of
//! the last batch it applied; the positions of a node's replicas — one number per airline — are
//! the network's version vector.
//!
//! - **Push.** When its log grows, the owner pushes the new range to each online peer
//!   ([`Publisher`]): one push in flight per peer, later changes coalesced into the next push,
//!   and pushes to one peer at least `push_interval_ms` apart, so that under a stream of sales
//!   a push carries many changes instead of each change costing a signed call and a write at
//!   every peer. The replica answers with its position, which tells the owner where to
//!   continue.
//! - **Apply.** A [`Replica`] applies a batch only if it continues its position
//!   (`after ≤ position < up_to`); a batch ending at or before its position is stale and ignored;
//!   one starting after it leaves a gap, and makes it *pull*, as does a log head beyond its
//!   position (seen in a heartbeat answer).
//! - **Pull.** `since = position`: the owner answers the next range, up to `batch_entries_max`
//!   log entries; or, when `position` is older than the oldest entry it keeps, a *snapshot*: the
//!   batch `(0, head]` with every flight it has. The replica pulls range after range until it
//!   reaches the head it knows of.
//! - **Restart.** A replica starts from the position it persisted with its flights (the node
//!   stores both in one write), and the first heartbeat answer tells it how far behind it is.
//!
//! Why the replica converges on the owner's catalog: batches are read at the owner in log
//! order, so a batch reaching further was read later and carries states at least as new; and a
//! change made after a batch was read has a log number beyond its `up_to`, so the replica
//! applies it later. A late batch that overlaps what a replica has may briefly put an older
//! state back; the next range restores it.
//!
//! # Caveats
//!
//! - Replicated availability is a hint for search; only the owner decides a sale.
//! - A replica never forgets a flight: owners cancel flights, they do not delete them.
//! - A replica behind a partition serves stale flights, marked by its owner being offline.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::Flight;

/// A flight as replication carries it: the flight and its free seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlightState {
    /// The flight.
    pub flight: Flight,
    /// Its free seats.
    pub seats_available: u32,
}

/// The changes of a range of an owner's log: every flight changed after entry `after` up to
/// entry `up_to` included, each once, as it was when the batch was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The log entry the range starts after (0: a snapshot, from the beginning).
    pub after: u64,
    /// The last log entry the range covers.
    pub up_to: u64,
    /// The flights changed in the range.
    pub flights: Vec<FlightState>,
}

/// Replication timing and sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// How long a pull or push may take before it counts as failed, milliseconds.
    pub request_timeout_ms: u64,
    /// How long a replica waits before pulling again after a failed pull, milliseconds.
    pub retry_ms: u64,
    /// Most log entries one pull or push covers.
    pub batch_entries_max: u64,
    /// Least time between the starts of two pushes to one peer, milliseconds.
    pub push_interval_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_timeout_ms: 5000,
            retry_ms: 1000,
            batch_entries_max: 5000,
            push_interval_ms: 10,
        }
    }
}

/// What happened to a replica.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplicaEvent {
    /// Time is now `now`.
    Tick {
        /// Now.
        now: Timestamp,
    },
    /// The owner pushed `batch`.
    Pushed {
        /// The batch.
        batch: Batch,
        /// Now.
        now: Timestamp,
    },
    /// The owner's log head is `head` (from a heartbeat answer).
    HeadSeen {
        /// The head.
        head: u64,
        /// Now.
        now: Timestamp,
    },
    /// A pull since `since` was answered with `batch`; the owner's head is `head`.
    Pulled {
        /// What the pull asked from.
        since: u64,
        /// The answer: the next range, or a snapshot.
        batch: Batch,
        /// The owner's head.
        head: u64,
        /// Now.
        now: Timestamp,
    },
    /// A pull since `since` failed.
    PullFailed {
        /// What the pull asked from.
        since: u64,
        /// Now.
        now: Timestamp,
    },
}

/// What the node must do for a replica, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplicaAction {
    /// Store the batch's flights and the new position, `batch.up_to`, in one write.
    Apply {
        /// The batch.
        batch: Batch,
    },
    /// Ask the owner for what follows `since` (at most `limit` log entries).
    Pull {
        /// The replica's position.
        since: u64,
        /// Most log entries wanted.
        limit: u64,
    },
}

/// A pull in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PullInFlight {
    since: u64,
    deadline: Timestamp,
}

/// This node's copy of one owner's catalog.
#[derive(Debug, Clone)]
pub struct Replica {
    limits: Limits,
    position: u64,
    head: u64,
    pull: Option<PullInFlight>,
    retry_at: Option<Timestamp>,
}

impl Replica {
    /// A replica at `position`, as persisted.
    pub fn new(position: u64, limits: Limits) -> Self {
        Self { limits, position, head: position, pull: None, retry_at: None }
    }

    /// The last log entry applied.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// The owner's head, as last heard of.
    pub fn head(&self) -> u64 {
        self.head
    }

    /// Takes `event` into account; returns what to do, in order.
    pub fn step(&mut self, event: ReplicaEvent) -> Vec<ReplicaAction> {
        match event {
            ReplicaEvent::Tick { now } => self.tick(now),
            ReplicaEvent::Pushed { batch, now } => self.receive(batch, now),
            ReplicaEvent::HeadSeen { head, now } => {
                self.head = self.head.max(head);
                self.pull_if_behind(now)
            }
            ReplicaEvent::Pulled { since, batch, head, now } => {
                self.finish_pull(since);
                self.head = self.head.max(head);
                self.receive(batch, now)
            }
            ReplicaEvent::PullFailed { since, now } => {
                self.finish_pull(since);
                self.retry_at = Some(now + millis(self.limits.retry_ms));
                Vec::new()
            }
        }
    }

    fn tick(&mut self, now: Timestamp) -> Vec<ReplicaAction> {
        if self.pull.is_some_and(|pull| pull.deadline <= now) {
            self.pull = None;
            self.retry_at = Some(now);
        }
        self.pull_if_behind(now)
    }

    /// Applies a batch that continues the replica; ignores a stale one; pulls over a gap.
    fn receive(&mut self, batch: Batch, now: Timestamp) -> Vec<ReplicaAction> {
        self.head = self.head.max(batch.up_to);
        let mut actions = Vec::new();
        if batch.after <= self.position && self.position < batch.up_to {
            self.position = batch.up_to;
            actions.push(ReplicaAction::Apply { batch });
        }
        actions.extend(self.pull_if_behind(now));
        actions
    }

    fn pull_if_behind(&mut self, now: Timestamp) -> Vec<ReplicaAction> {
        let waiting = self.retry_at.is_some_and(|at| at > now);
        if self.position >= self.head || self.pull.is_some() || waiting {
            return Vec::new();
        }
        self.retry_at = None;
        let deadline = now + millis(self.limits.request_timeout_ms);
        self.pull = Some(PullInFlight { since: self.position, deadline });
        vec![ReplicaAction::Pull { since: self.position, limit: self.limits.batch_entries_max }]
    }

    fn finish_pull(&mut self, since: u64) {
        if self.pull.is_some_and(|pull| pull.since == since) {
            self.pull = None;
        }
    }
}

/// What happened to a publisher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublisherEvent {
    /// Time is now `now`.
    Tick {
        /// Now.
        now: Timestamp,
    },
    /// The local log's head is now `head`.
    Appended {
        /// The head.
        head: u64,
        /// Now.
        now: Timestamp,
    },
    /// The peer came online or went offline.
    PeerStatus {
        /// Whether it is online.
        online: bool,
        /// Now.
        now: Timestamp,
    },
    /// The push was answered: the peer's replica is at `position`.
    Acknowledged {
        /// The replica's position.
        position: u64,
        /// Now.
        now: Timestamp,
    },
    /// The push failed.
    PushFailed {
        /// Now.
        now: Timestamp,
    },
}

/// What the node must do for a publisher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublisherAction {
    /// Push the batch `(after, up_to]`; report the answer.
    Push {
        /// The last entry the peer is believed to have.
        after: u64,
        /// The last entry to push.
        up_to: u64,
    },
}

/// Pushes one owner's new log entries to one peer.
#[derive(Debug, Clone)]
pub struct Publisher {
    limits: Limits,
    head: u64,
    /// What the peer's replica has, as far as this owner knows.
    acknowledged: u64,
    online: bool,
    in_flight: Option<Timestamp>,
    /// When the last push started.
    pushed_at: Option<Timestamp>,
}

impl Publisher {
    /// A publisher for a log at `head`, to a peer not yet heard of.
    pub fn new(head: u64, limits: Limits) -> Self {
        // The peer's replica position is unknown until it answers a push. Assuming it has
        // everything up to now means a replica that is behind gets only new entries at first,
        // sees the gap, and pulls — which it would do after its next heartbeat anyway.
        Self { limits, head, acknowledged: head, online: false, in_flight: None, pushed_at: None }
    }

    /// Takes `event` into account; returns what to do.
    pub fn step(&mut self, event: PublisherEvent) -> Vec<PublisherAction> {
        match event {
            PublisherEvent::Tick { now } => {
                if self.in_flight.is_some_and(|deadline| deadline <= now) {
                    self.in_flight = None;
                }
                self.push(now)
            }
            PublisherEvent::Appended { head, now } => {
                self.head = self.head.max(head);
                self.push(now)
            }
            PublisherEvent::PeerStatus { online, now } => {
                self.online = online;
                self.push(now)
            }
            PublisherEvent::Acknowledged { position, now } => {
                self.in_flight = None;
                self.acknowledged = position;
                self.push(now)
            }
            PublisherEvent::PushFailed { .. } => {
                // The peer catches up by pulling; pushing resumes with the next change.
                self.in_flight = None;
                Vec::new()
            }
        }
    }

    /// When the publisher next has a push to make, if it is only waiting for
    /// `push_interval_ms` to pass: the node steps it with a `Tick` then.
    pub fn due(&self) -> Option<Timestamp> {
        match self.ready() {
            true => self.pushed_at.map(|at| at + millis(self.limits.push_interval_ms)),
            false => None,
        }
    }

    /// Whether there is something to push, and nothing to wait for but the push interval.
    fn ready(&self) -> bool {
        let behind = self.head.saturating_sub(self.acknowledged);
        // A replica far behind pulls pages (or a snapshot) itself; pushing is for what is new.
        self.online
            && self.in_flight.is_none()
            && behind > 0
            && behind <= self.limits.batch_entries_max
    }

    fn push(&mut self, now: Timestamp) -> Vec<PublisherAction> {
        if !self.ready() || self.due().is_some_and(|due| now < due) {
            return Vec::new();
        }
        self.pushed_at = Some(now);
        self.in_flight = Some(now + millis(self.limits.request_timeout_ms));
        vec![PublisherAction::Push { after: self.acknowledged, up_to: self.head }]
    }
}

fn millis(ms: u64) -> SignedDuration {
    SignedDuration::from_millis(ms as i64)
}
