//! Membership: which airlines this node talks to, and whether each one answers.
//!
//! This is a state machine with no sockets and no clock. The node feeds it [`Event`]s — time
//! passing, peers joining and leaving, heartbeat answers — and carries out the [`Action`]s it
//! returns: send a heartbeat, record a change of status. The same code runs in the server, in
//! the scripted scenarios of `tests/scenarios/membership` and, later, in the simulator.
//!
//! # Protocol
//!
//! Every `interval_ms` the node sends each peer a heartbeat (`Action::SendHeartbeat`, numbered
//! so that a late answer to an old one is recognised). A peer that answers is *online*; a peer
//! that does not answer within `timeout_ms`, or whose heartbeat fails outright (connection
//! refused), is *offline* at once — one miss is enough, because selling a seat of an airline
//! that may be gone would only fail later and slower. An offline peer keeps being sent
//! heartbeats at the same interval and is online again with its first answer: recovery needs
//! no operator.
//!
//! A peer's answer carries the head of its catalog change log (`log_head`), which replication
//! uses to notice that its replica is behind ([`Action::LogHeadSeen`]).
//!
//! A newly joined peer is offline until its first answer, and is sent a heartbeat at once.
//!
//! A peer that *contacts* this node (its own signed heartbeat arrives) while this node thinks it
//! offline is sent a heartbeat at once, instead of at the next interval: it is evidently back,
//! and the sooner this node knows, the sooner it sells that airline's seats again. Only the
//! answer to this node's own heartbeat changes the status.
//!
//! # Caveats
//!
//! - Status is this node's view only: two nodes may disagree about a third while a link is
//!   broken one way.
//! - One slow answer (over `timeout_ms`) marks a peer offline even if it is merely slow; the next
//!   answer brings it back. Purchases asked of it in between are refused with
//!   `airline_unavailable` rather than waited on.
//! - Heartbeats are not acknowledged twice: an answer that arrives after its timeout is ignored
//!   (the next heartbeat decides).

use std::collections::BTreeMap;
use std::fmt;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::AirlineId;

/// Heartbeat timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    /// Time between two heartbeats to one peer, milliseconds.
    pub interval_ms: u64,
    /// Time a heartbeat may take to be answered, milliseconds.
    pub timeout_ms: u64,
}

impl Default for Timing {
    fn default() -> Self {
        Self { interval_ms: 5000, timeout_ms: 3000 }
    }
}

/// Whether a peer answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Its last heartbeat was answered in time.
    Online,
    /// Its last heartbeat was not, or none was answered yet.
    Offline,
}

impl Status {
    /// `online` or `offline`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Online => "online",
            Status::Offline => "offline",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// What this node knows of one peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// Where it answers.
    pub url: String,
    /// Online or offline.
    pub status: Status,
    /// When it last changed status (or joined).
    pub since: Timestamp,
    /// When it last answered a heartbeat.
    pub last_heartbeat: Option<Timestamp>,
    /// The head of its catalog change log, as of its last answer.
    pub log_head: Option<u64>,
    next_heartbeat: Timestamp,
    outstanding: Option<Outstanding>,
}

/// A heartbeat sent and not answered yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Outstanding {
    number: u64,
    deadline: Timestamp,
}

/// Something that happened, for the state machine to take into account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Time is now `now`.
    Tick {
        /// Now.
        now: Timestamp,
    },
    /// A peer was added (from configuration or `addconn`), or its address changed.
    Joined {
        /// The peer.
        peer: AirlineId,
        /// Its base URL.
        url: String,
        /// Now.
        now: Timestamp,
    },
    /// A peer contacted this node (its heartbeat arrived).
    Contacted {
        /// The peer.
        peer: AirlineId,
        /// Now.
        now: Timestamp,
    },
    /// A peer was removed (`rmconn`).
    Left {
        /// The peer.
        peer: AirlineId,
    },
    /// Heartbeat `number` was answered.
    Answered {
        /// The peer.
        peer: AirlineId,
        /// The heartbeat's number.
        number: u64,
        /// The head of its catalog log.
        log_head: u64,
        /// Now.
        now: Timestamp,
    },
    /// Heartbeat `number` failed before any answer (refused, reset, bad answer).
    Failed {
        /// The peer.
        peer: AirlineId,
        /// The heartbeat's number.
        number: u64,
        /// Now.
        now: Timestamp,
    },
}

/// What the node must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send heartbeat `number` to `peer` at `url`; report `Answered` or `Failed`.
    SendHeartbeat {
        /// The peer.
        peer: AirlineId,
        /// Its base URL.
        url: String,
        /// The heartbeat's number.
        number: u64,
    },
    /// `peer` changed status at `at`.
    StatusChanged {
        /// The peer.
        peer: AirlineId,
        /// Its status now.
        status: Status,
        /// When.
        at: Timestamp,
    },
    /// `peer` says the head of its catalog log is `head`.
    LogHeadSeen {
        /// The peer.
        peer: AirlineId,
        /// The head.
        head: u64,
    },
}

/// The membership of one node.
#[derive(Debug, Clone)]
pub struct Membership {
    timing: Timing,
    peers: BTreeMap<AirlineId, Peer>,
    next_number: u64,
}

impl Membership {
    /// No peers yet.
    pub fn new(timing: Timing) -> Self {
        Self { timing, peers: BTreeMap::new(), next_number: 1 }
    }

    /// Every peer, by id.
    pub fn peers(&self) -> &BTreeMap<AirlineId, Peer> {
        &self.peers
    }

    /// Whether `peer` is online now.
    pub fn is_online(&self, peer: &AirlineId) -> bool {
        self.peers.get(peer).is_some_and(|p| p.status == Status::Online)
    }

    /// When the next tick has something to do: the earliest heartbeat due or deadline.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        self.peers
            .values()
            .map(|peer| match peer.outstanding {
                Some(outstanding) => outstanding.deadline,
                None => peer.next_heartbeat,
            })
            .min()
    }

    /// Takes `event` into account; returns what to do.
    pub fn step(&mut self, event: Event) -> Vec<Action> {
        match event {
            Event::Tick { now } => self.tick(now),
            Event::Joined { peer, url, now } => self.join(peer, url, now),
            Event::Contacted { peer, now } => self.contacted(&peer, now),
            Event::Left { peer } => {
                self.peers.remove(&peer);
                Vec::new()
            }
            Event::Answered { peer, number, log_head, now } => {
                self.answered(peer, number, log_head, now)
            }
            Event::Failed { peer, number, now } => self.failed(peer, number, now),
        }
    }

    fn join(&mut self, id: AirlineId, url: String, now: Timestamp) -> Vec<Action> {
        match self.peers.get_mut(&id) {
            Some(peer) => peer.url = url,
            None => {
                let peer = Peer {
                    url,
                    status: Status::Offline,
                    since: now,
                    last_heartbeat: None,
                    log_head: None,
                    next_heartbeat: now,
                    outstanding: None,
                };
                self.peers.insert(id, peer);
            }
        }
        self.tick(now)
    }

    fn tick(&mut self, now: Timestamp) -> Vec<Action> {
        let mut actions = Vec::new();
        let ids: Vec<AirlineId> = self.peers.keys().cloned().collect();
        for id in ids {
            let expired = self.peers[&id].outstanding.is_some_and(|o| o.deadline <= now);
            if expired {
                actions.extend(self.mark(&id, Status::Offline, now));
                self.peer(&id).outstanding = None;
            }
            let peer = &self.peers[&id];
            if peer.outstanding.is_none() && peer.next_heartbeat <= now {
                actions.push(self.send(&id, now));
            }
        }
        actions
    }

    fn send(&mut self, id: &AirlineId, now: Timestamp) -> Action {
        let number = self.next_number;
        self.next_number += 1;
        let (interval, timeout) = (millis(self.timing.interval_ms), millis(self.timing.timeout_ms));
        let peer = self.peer(id);
        peer.outstanding = Some(Outstanding { number, deadline: now + timeout });
        peer.next_heartbeat = now + interval;
        Action::SendHeartbeat { peer: id.clone(), url: peer.url.clone(), number }
    }

    fn contacted(&mut self, id: &AirlineId, now: Timestamp) -> Vec<Action> {
        match self.peers.get(id) {
            Some(peer) if peer.status == Status::Offline && peer.outstanding.is_none() => {
                vec![self.send(id, now)]
            }
            _ => Vec::new(),
        }
    }

    fn answered(
        &mut self,
        id: AirlineId,
        number: u64,
        log_head: u64,
        now: Timestamp,
    ) -> Vec<Action> {
        if !self.is_outstanding(&id, number) {
            return Vec::new();
        }
        let peer = self.peer(&id);
        peer.outstanding = None;
        peer.last_heartbeat = Some(now);
        peer.log_head = Some(log_head);
        let mut actions = self.mark(&id, Status::Online, now);
        actions.push(Action::LogHeadSeen { peer: id, head: log_head });
        actions
    }

    fn failed(&mut self, id: AirlineId, number: u64, now: Timestamp) -> Vec<Action> {
        if !self.is_outstanding(&id, number) {
            return Vec::new();
        }
        self.peer(&id).outstanding = None;
        self.mark(&id, Status::Offline, now)
    }

    fn is_outstanding(&self, id: &AirlineId, number: u64) -> bool {
        self.peers.get(id).and_then(|peer| peer.outstanding).is_some_and(|o| o.number == number)
    }

    /// Sets `id`'s status; an action if it changed.
    fn mark(&mut self, id: &AirlineId, status: Status, now: Timestamp) -> Vec<Action> {
        let peer = self.peer(id);
        if peer.status == status {
            return Vec::new();
        }
        peer.status = status;
        peer.since = now;
        vec![Action::StatusChanged { peer: id.clone(), status, at: now }]
    }

    fn peer(&mut self, id: &AirlineId) -> &mut Peer {
        self.peers.get_mut(id).expect("only known peers are stepped")
    }
}

fn millis(ms: u64) -> SignedDuration {
    SignedDuration::from_millis(ms as i64)
}
