//! The fault schedule: what goes wrong, and when, drawn from the seed before the run starts.
//!
//! Drawing the whole schedule first (rather than rolling dice as the run goes) makes it a
//! value: printed with a failing seed, it says what the run went through without reading the
//! trace. Every fault ends: each one is paired with its own repair a random while later, and
//! at the end of the fault window the world [`heal`]s whatever is still broken.
//!
//! The faults, in turmoil's terms:
//! - a *partition* of a link, both ways or one way: messages are dropped, so calls hang until
//!   their timeouts (`partition`, `partition_oneway`; ended by `repair`, `repair_oneway`);
//! - a *hold* of a link: messages wait, and are delivered late and out of order with respect
//!   to other links when it is released (`hold`, `release`);
//! - *loss* on a link: it fails at random moments (`set_link_fail_rate`), and a TCP stream that
//!   loses a segment stalls for good, so loss shows up as timeouts — and the clients' retries
//!   supply the duplicates;
//! - a *crash* of a node (`crash`: every task dropped at once, like `kill -9`, the database
//!   file left as it was) and its *restart* later (`bounce`), or an immediate *bounce*.
//!
//! A link carries one fault at a time (turmoil does not support a hold and a one-way partition
//! on one link together), and a node is crashed at most once at a time.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};

/// Something that goes wrong, or stops going wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Messages between `a` and `b` are dropped, both ways.
    Partition { a: String, b: String },
    /// Messages from `from` to `to` are dropped.
    PartitionOneway { from: String, to: String },
    /// The partition between `a` and `b` ends.
    Repair { a: String, b: String },
    /// The one-way partition from `from` to `to` ends.
    RepairOneway { from: String, to: String },
    /// Messages between `a` and `b` wait.
    Hold { a: String, b: String },
    /// Held messages between `a` and `b` are delivered, and new ones flow.
    Release { a: String, b: String },
    /// The link between `a` and `b` fails at random with probability `rate` per step.
    Lossy { a: String, b: String, rate: f64 },
    /// The link between `a` and `b` stops failing.
    Lossless { a: String, b: String },
    /// The node `host` dies.
    Crash { host: String },
    /// The crashed node `host` starts again.
    Restart { host: String },
    /// The node `host` dies and starts again at once.
    Bounce { host: String },
}

impl Fault {
    /// Applies the fault to the simulation.
    pub fn apply(&self, sim: &mut turmoil::Sim<'_>) {
        match self {
            Fault::Partition { a, b } => sim.partition(a.as_str(), b.as_str()),
            Fault::PartitionOneway { from, to } => sim.partition_oneway(from.as_str(), to.as_str()),
            Fault::Repair { a, b } => sim.repair(a.as_str(), b.as_str()),
            Fault::RepairOneway { from, to } => sim.repair_oneway(from.as_str(), to.as_str()),
            Fault::Hold { a, b } => sim.hold(a.as_str(), b.as_str()),
            Fault::Release { a, b } => sim.release(a.as_str(), b.as_str()),
            Fault::Lossy { a, b, rate } => sim.set_link_fail_rate(a.as_str(), b.as_str(), *rate),
            Fault::Lossless { a, b } => sim.set_link_fail_rate(a.as_str(), b.as_str(), 0.0),
            Fault::Crash { host } => sim.crash(host.as_str()),
            Fault::Restart { host } | Fault::Bounce { host } => sim.bounce(host.as_str()),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Partition { a, b } => write!(f, "partition {a} <-> {b}"),
            Fault::PartitionOneway { from, to } => write!(f, "partition {from} -> {to}"),
            Fault::Repair { a, b } => write!(f, "repair {a} <-> {b}"),
            Fault::RepairOneway { from, to } => write!(f, "repair {from} -> {to}"),
            Fault::Hold { a, b } => write!(f, "hold {a} <-> {b}"),
            Fault::Release { a, b } => write!(f, "release {a} <-> {b}"),
            Fault::Lossy { a, b, rate } => write!(f, "loss {rate:.2} {a} <-> {b}"),
            Fault::Lossless { a, b } => write!(f, "no loss {a} <-> {b}"),
            Fault::Crash { host } => write!(f, "crash {host}"),
            Fault::Restart { host } => write!(f, "restart {host}"),
            Fault::Bounce { host } => write!(f, "bounce {host}"),
        }
    }
}

/// A fault at a simulated time.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduled {
    /// When, since the start.
    pub at: Duration,
    /// What.
    pub fault: Fault,
}

/// How faulty a run is.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    /// Faults happen from here…
    pub from: Duration,
    /// …until here, when the world heals.
    pub until: Duration,
    /// Mean time between two faults starting.
    pub mean_gap: Duration,
    /// Longest a fault lasts.
    pub longest: Duration,
}

/// Every fault of a run, in time order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultSchedule {
    events: Vec<Scheduled>,
    next: usize,
}

impl FaultSchedule {
    /// The schedule of `seed` for a world of `nodes` and `clients`: faults on links between
    /// nodes, and between clients and nodes; crashes of nodes.
    pub fn generate(seed: u64, plan: &FaultPlan, nodes: &[&str], clients: &[String]) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut busy: BTreeMap<String, Duration> = BTreeMap::new();
        let mut events = Vec::new();
        let mut at = plan.from;
        loop {
            at += gap(&mut rng, plan.mean_gap);
            if at >= plan.until {
                break;
            }
            let lasts =
                Duration::from_millis(rng.random_range(50..=plan.longest.as_millis() as u64));
            let ends = (at + lasts).min(plan.until);
            let (subject, start, end) = draw(&mut rng, nodes, clients);
            if busy.get(&subject).is_some_and(|until| *until > at) {
                continue;
            }
            busy.insert(subject, ends);
            events.push(Scheduled { at, fault: start });
            if let Some(end) = end {
                events.push(Scheduled { at: ends, fault: end });
            }
        }
        events.sort_by_key(|event| event.at);
        Self { events, next: 0 }
    }

    /// The faults due by `now` that have not been applied yet.
    pub fn due(&mut self, now: Duration) -> Vec<Scheduled> {
        let due = self.events[self.next..].iter().take_while(|event| event.at <= now).count();
        self.next += due;
        self.events[self.next - due..self.next].to_vec()
    }
}

impl fmt::Display for FaultSchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for event in &self.events {
            writeln!(f, "  {:>7.3}s {}", event.at.as_secs_f64(), event.fault)?;
        }
        Ok(())
    }
}

/// The time until the next fault: exponential around `mean`, as independent events are.
fn gap(rng: &mut StdRng, mean: Duration) -> Duration {
    let uniform: f64 = rng.random_range(f64::EPSILON..1.0);
    mean.mul_f64(-uniform.ln())
}

/// A fault: what it affects (a link or a node), how it starts and how it ends.
fn draw(rng: &mut StdRng, nodes: &[&str], clients: &[String]) -> (String, Fault, Option<Fault>) {
    let node = |rng: &mut StdRng| nodes[rng.random_range(0..nodes.len())].to_owned();
    match rng.random_range(0..10) {
        0 | 1 => {
            let host = node(rng);
            (host.clone(), Fault::Crash { host: host.clone() }, Some(Fault::Restart { host }))
        }
        2 => {
            let host = node(rng);
            (host.clone(), Fault::Bounce { host }, None)
        }
        _ => {
            let (a, b) = link(rng, nodes, clients);
            let subject = format!("{a}|{b}");
            let (start, end) = link_fault(rng, a, b);
            (subject, start, Some(end))
        }
    }
}

/// A link: between two nodes more often than not, else between a client and a node.
fn link(rng: &mut StdRng, nodes: &[&str], clients: &[String]) -> (String, String) {
    let a = rng.random_range(0..nodes.len());
    if clients.is_empty() || rng.random_bool(0.6) {
        let b = (a + rng.random_range(1..nodes.len())) % nodes.len();
        let (a, b) = (a.min(b), a.max(b));
        return (nodes[a].to_owned(), nodes[b].to_owned());
    }
    (clients[rng.random_range(0..clients.len())].clone(), nodes[a].to_owned())
}

/// How a link fails, and how it comes back.
fn link_fault(rng: &mut StdRng, a: String, b: String) -> (Fault, Fault) {
    match rng.random_range(0..4) {
        0 => (Fault::Partition { a: a.clone(), b: b.clone() }, Fault::Repair { a, b }),
        1 => {
            let (from, to) = if rng.random_bool(0.5) { (a, b) } else { (b, a) };
            let start = Fault::PartitionOneway { from: from.clone(), to: to.clone() };
            (start, Fault::RepairOneway { from, to })
        }
        2 => (Fault::Hold { a: a.clone(), b: b.clone() }, Fault::Release { a, b }),
        _ => {
            let rate = rng.random_range(0.01..0.2);
            (Fault::Lossy { a: a.clone(), b: b.clone(), rate }, Fault::Lossless { a, b })
        }
    }
}

/// Ends every fault: every link repaired, released and lossless, every crashed node restarted.
pub fn heal(sim: &mut turmoil::Sim<'_>, nodes: &[&str], clients: &[String]) -> Vec<Fault> {
    let mut healed = Vec::new();
    let hosts: Vec<String> =
        nodes.iter().map(|node| node.to_string()).chain(clients.iter().cloned()).collect();
    for (index, a) in hosts.iter().enumerate() {
        for b in &hosts[index + 1..] {
            sim.repair(a.as_str(), b.as_str());
            sim.release(a.as_str(), b.as_str());
            sim.set_link_fail_rate(a.as_str(), b.as_str(), 0.0);
        }
    }
    for node in nodes {
        if !sim.is_host_running(*node) {
            sim.bounce(*node);
            healed.push(Fault::Restart { host: node.to_string() });
        }
    }
    healed
}
