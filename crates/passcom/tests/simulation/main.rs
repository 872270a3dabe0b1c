//! The deterministic simulation of PassCom: three airlines, buyers fighting over scarce seats,
//! and a seeded schedule of faults — partitions (both ways and one way), held and reordered
//! messages, lossy links, crashes and restarts — with the invariants checked after every step
//! and once the network has healed.
//!
//! Everything runs on one thread under turmoil: the nodes are the real thing (their config,
//! store, API, peer protocols), built with their simulated twins — turmoil's network and time,
//! seeded entropy, inline execution instead of threads — so that one seed is one exact run. A
//! failing seed prints itself, its fault schedule, the run's trace and the command that
//! replays it:
//!
//! ```text
//! PASSCOM_SIM_SEED=<seed> cargo test -p passcom --test simulation -- every_seed --nocapture
//! ```
//!
//! `PASSCOM_SIM_SEEDS=<n>` runs seeds `0..n` (default [`SEEDS_DEFAULT`]), two at a time.
//!
//! A run, in simulated time: the nodes start; each airline's operator publishes its scarce
//! flights; buyers sign up and buy, retrying with their idempotency keys; faults come and go
//! from [`Plan::faults`]`.from` until `.until`, when the world heals (every link repaired,
//! every crashed node restarted); buyers stop at [`Plan::clients_until`]; the run ends at
//! [`Plan::end`], after the nodes have had time to settle, with the checks that need a healed
//! network. The invariants are checked every [`Plan::check_every`] and after every fault.

mod buyers;
mod client;
mod faults;
mod invariants;
mod ledger;
mod net;
mod world;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::SeedableRng as _;
use rand::rngs::StdRng;

use crate::buyers::{Buyer, Kind, Shared};
use crate::faults::{FaultPlan, FaultSchedule};
use crate::invariants::Checker;
use crate::ledger::{Ledger, Trace};
use crate::world::{AIRLINES, World, stream};

/// Seeds run when `PASSCOM_SIM_SEEDS` is not set.
const SEEDS_DEFAULT: u64 = 1000;

/// Seeds simulated at once (each simulation is single-threaded and independent).
const WORKERS: usize = 2;

/// The shape of every run.
struct Plan {
    /// Simulated time per step.
    tick: Duration,
    /// Longest a message takes on a healthy link.
    latency_max: Duration,
    /// When faults happen.
    faults: FaultPlan,
    /// When clients stop.
    clients_until: Duration,
    /// When the run ends.
    end: Duration,
    /// How often the invariants are checked, at least.
    check_every: Duration,
    /// Buyers of each airline, and of which kind.
    buyers: &'static [Kind],
    /// Purchases each buyer tries.
    purchases: usize,
}

const PLAN: Plan = Plan {
    tick: Duration::from_millis(10),
    latency_max: Duration::from_millis(20),
    faults: FaultPlan {
        from: Duration::from_millis(1000),
        until: Duration::from_millis(9000),
        mean_gap: Duration::from_millis(600),
        longest: Duration::from_millis(3000),
    },
    clients_until: Duration::from_millis(12_000),
    end: Duration::from_millis(20_000),
    check_every: Duration::from_millis(500),
    buyers: &[Kind::Local, Kind::Local, Kind::Foreign, Kind::Trip],
    purchases: 3,
};

/// Parts of the world that draw their own randomness from the seed (see [`stream`]).
const FAULTS_STREAM: u64 = 100;
const CLIENTS_STREAM: u64 = 200;

/// What one run did.
struct Run {
    seed: u64,
    schedule: FaultSchedule,
    trace: Vec<String>,
    failure: Option<String>,
}

impl Run {
    /// Everything needed to understand and replay a failing run.
    fn report(&self) -> String {
        let mut report = format!(
            "seed {} failed: {}\n\nreplay it with:\n  PASSCOM_SIM_SEED={} cargo test -p passcom --test simulation -- every_seed --nocapture\n\nfault schedule:\n{}\ntrace:\n",
            self.seed,
            self.failure.as_deref().unwrap_or("(did not fail)"),
            self.seed,
            self.schedule
        );
        for line in &self.trace {
            report.push_str("  ");
            report.push_str(line);
            report.push('\n');
        }
        report
    }
}

/// Simulates `seed` from start to end.
fn simulate(seed: u64) -> Run {
    let world = World::new(seed);
    let trace = Trace::default();
    let ledger: Arc<Mutex<Ledger>> = Arc::default();
    let mut sim = turmoil::Builder::new()
        .rng_seed(seed)
        .epoch(world::epoch())
        .tick_duration(PLAN.tick)
        .simulation_duration(PLAN.end + Duration::from_secs(1))
        .min_message_latency(Duration::from_millis(1))
        .max_message_latency(PLAN.latency_max)
        .build();
    world.install(&mut sim, seed);
    let shared =
        Shared { trace: trace.clone(), ledger: ledger.clone(), deadline: PLAN.clients_until };
    let clients = install_clients(&mut sim, seed, &shared);
    let nodes: Vec<&str> = AIRLINES.iter().map(|(id, _)| *id).collect();
    let schedule =
        FaultSchedule::generate(stream(seed, FAULTS_STREAM, 0), &PLAN.faults, &nodes, &clients);
    let failure =
        drive(&mut sim, &world, schedule.clone(), &nodes, &clients, &trace, &ledger).err();
    if let Some(failure) = &failure {
        trace.at(sim.elapsed(), format!("FAILED: {failure}"));
    }
    Run { seed, schedule, trace: trace.lines(), failure }
}

/// Registers each airline's clients — its operator and its buyers, on one client host of
/// the airline's name with `clients-` before it — and returns the hosts' names.
fn install_clients(sim: &mut turmoil::Sim<'_>, seed: u64, shared: &Shared) -> Vec<String> {
    let mut hosts = Vec::new();
    for (index, &(airline, port)) in AIRLINES.iter().enumerate() {
        let operator_seed = stream(seed, CLIENTS_STREAM, index as u64);
        let mut clients: Vec<Pin<Box<dyn Future<Output = turmoil::Result>>>> =
            vec![Box::pin(buyers::operate(airline, port, operator_seed, shared.clone()))];
        for (number, &kind) in PLAN.buyers.iter().enumerate() {
            let buyer_stream = 1000 + (index * PLAN.buyers.len() + number) as u64;
            let rng = StdRng::seed_from_u64(stream(seed, CLIENTS_STREAM, buyer_stream));
            let name = format!("buyer-{airline}-{number}");
            let buyer = Buyer { name, home: (airline, port), kind, purchases: PLAN.purchases, rng };
            clients.push(Box::pin(buyer.run(shared.clone())));
        }
        let host = format!("clients-{airline}");
        // One host for all of an airline's clients: each host costs a runtime tick per step.
        sim.client(host.as_str(), async move {
            futures::future::join_all(clients).await.into_iter().collect::<turmoil::Result>()
        });
        hosts.push(host);
    }
    hosts
}

/// Steps the simulation to its end: faults as scheduled, healing, checks.
fn drive(
    sim: &mut turmoil::Sim<'_>,
    world: &World,
    mut schedule: FaultSchedule,
    nodes: &[&str],
    clients: &[String],
    trace: &Trace,
    ledger: &Mutex<Ledger>,
) -> Result<(), String> {
    let mut checker = Checker::default();
    let mut healed = false;
    let mut next_check = PLAN.check_every;
    while sim.elapsed() < PLAN.end {
        let now = sim.elapsed();
        let mut faulted = false;
        for event in schedule.due(now) {
            trace.at(now, event.fault.to_string());
            event.fault.apply(sim);
            faulted = true;
        }
        if !healed && now >= PLAN.faults.until {
            healed = true;
            for fault in faults::heal(sim, nodes, clients) {
                trace.at(now, fault.to_string());
            }
            trace.at(now, "healed: every link repaired, every node running");
        }
        sim.step().map_err(|error| format!("the simulation failed: {error}"))?;
        if faulted || sim.elapsed() >= next_check {
            next_check = sim.elapsed() + PLAN.check_every;
            checker.step(world, &ledger.lock().expect("never poisoned"))?;
        }
    }
    checker.healed(world, &ledger.lock().expect("never poisoned"))?;
    for line in checker.digests(world) {
        trace.at(sim.elapsed(), line);
    }
    trace.at(sim.elapsed(), format!("every invariant held, checked {} times", checker.checks));
    Ok(())
}

/// The seeds to run: the one in `PASSCOM_SIM_SEED`, else `0..PASSCOM_SIM_SEEDS`.
fn seeds() -> (Vec<u64>, bool) {
    let number = |name: &str| {
        std::env::var(name).ok().map(|value| {
            value
                .parse::<u64>()
                .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}"))
        })
    };
    match number("PASSCOM_SIM_SEED") {
        Some(seed) => (vec![seed], true),
        None => ((0..number("PASSCOM_SIM_SEEDS").unwrap_or(SEEDS_DEFAULT)).collect(), false),
    }
}

/// Runs `seeds` on [`WORKERS`] threads, stopping at the first failure; the failing runs.
fn run_all(seeds: &[u64]) -> Vec<Run> {
    let next = AtomicU64::new(0);
    let failed = AtomicBool::new(false);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                while !failed.load(Ordering::SeqCst) {
                    let index = next.fetch_add(1, Ordering::SeqCst) as usize;
                    let Some(&seed) = seeds.get(index) else { return };
                    let run = simulate(seed);
                    if run.failure.is_some() {
                        failed.store(true, Ordering::SeqCst);
                        failures.lock().expect("never poisoned").push(run);
                    }
                }
            });
        }
    });
    failures.into_inner().expect("never poisoned")
}

#[test]
fn every_seed_keeps_every_invariant() {
    let (seeds, replaying) = seeds();
    if replaying {
        let run = simulate(seeds[0]);
        println!("fault schedule:\n{}\ntrace:", run.schedule);
        run.trace.iter().for_each(|line| println!("  {line}"));
        assert!(run.failure.is_none(), "{}", run.report());
        return;
    }
    let started = Instant::now();
    let failures = run_all(&seeds);
    if let Some(first) = failures.iter().min_by_key(|run| run.seed) {
        let seeds: Vec<u64> = failures.iter().map(|run| run.seed).collect();
        panic!("failing seeds {seeds:?}; the first:\n{}", first.report());
    }
    println!("{} seeds passed in {:.1?}", seeds.len(), started.elapsed());
}

#[test]
fn a_seed_replays_exactly() {
    let first = simulate(7);
    let second = simulate(7);
    assert!(first.failure.is_none(), "{}", first.report());
    assert!(first.trace.len() > 50, "the run did something: {:?}", first.trace);
    if let Some((a, b)) = first.trace.iter().zip(&second.trace).find(|(a, b)| a != b) {
        panic!("seed 7 ran differently the second time:\n  first:  {a}\n  second: {b}");
    }
    assert_eq!(first.trace.len(), second.trace.len(), "seed 7 ran differently the second time");
}
