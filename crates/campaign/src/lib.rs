//! `passcom campaign`: a fault campaign an operator points at their own running PassCom
//! network, after Jepsen — a workload, a nemesis, a checker, a report.
//!
//! 1. The [`workload`] registers customers at every airline and, from the seed, searches, buys
//!    one-airline and cross-airline trips, cancels, and races several customers for one seat,
//!    bounded by a count of purchases and a time limit.
//! 2. Meanwhile the [`nemesis`] applies faults through the operator's commands (kill and
//!    restart a node, pause and resume it, cut and heal a link) on a schedule from the seed.
//! 3. Then everything is healed and [`settle`]d: every undecided answer is decided, through
//!    the same APIs a customer has.
//! 4. The [`checker`] judges the invariants of the design brief (§7) on what was done and what
//!    is read back; the [`report`] shows it on the terminal, as JSON and as an SVG timeline.
//!
//! The campaign reaches the network only through its public and admin HTTP APIs (the
//! [`api`] module), as any outside client would; nothing here knows a node's insides.
//!
//! Caveats: the seed fixes the workload's mix and the fault schedule, not the interleaving of
//! the answers (the workers run at once against real nodes), so a replay reproduces the
//! conditions of a failure, not always the failure.

pub mod api;
pub mod checker;
pub mod history;
pub mod nemesis;
pub mod network;
pub mod report;
pub mod settle;
pub mod workload;

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rand::SeedableRng as _;
use rand::rngs::StdRng;
use tokio::sync::watch;

use crate::api::Api;
use crate::history::{History, Outcome};
use crate::nemesis::Commands;
use crate::report::Report;
use crate::workload::{Catalog, Limits, Shared, Worker};

/// Runs a fault campaign against a running network: a seeded workload while a nemesis applies
/// faults, then a check of every invariant. Exits non-zero on any violation, printing the seed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The network file: `network.json` as `scripts/hosts` writes it, or what `passcom demo`
    /// printed (`passcom demo > demo.txt`).
    #[arg(long)]
    pub network: PathBuf,
    /// The seed of the workload's mix and the fault schedule (default: from the clock).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Purchases at most.
    #[arg(long, default_value_t = 300)]
    pub purchases: usize,
    /// Seconds of workload at most.
    #[arg(long, default_value_t = 60)]
    pub duration_s: u64,
    /// Workers buying at once, each with a customer at every airline.
    #[arg(long, default_value_t = 4)]
    pub workers: usize,
    /// Seconds at most to settle undecided outcomes and let replicas catch up.
    #[arg(long, default_value_t = 120)]
    pub settle_s: u64,
    /// The faults' commands: `none`, `hosts` (a `scripts/hosts run`), `serve` (separate
    /// `passcom serve` processes, see `--serve-dir`), or `custom` (only `--kill` … `--heal`).
    #[arg(long, default_value = "none")]
    pub nemesis: String,
    /// The `scripts/hosts` script, for `--nemesis hosts`.
    #[arg(long, default_value = "scripts/hosts")]
    pub hosts_script: PathBuf,
    /// For `--nemesis serve`: the directory with each airline's `ID.pid` and `ID.toml`.
    #[arg(long)]
    pub serve_dir: Option<PathBuf>,
    /// A shell command that kills airline `{a}` (replaces the nemesis's own).
    #[arg(long)]
    pub kill: Option<String>,
    /// A shell command that starts airline `{a}` again and returns once it answers.
    #[arg(long)]
    pub start: Option<String>,
    /// A shell command that pauses airline `{a}`.
    #[arg(long)]
    pub pause: Option<String>,
    /// A shell command that resumes airline `{a}`.
    #[arg(long)]
    pub resume: Option<String>,
    /// A shell command that cuts the link between airlines `{a}` and `{b}`.
    #[arg(long)]
    pub cut: Option<String>,
    /// A shell command that heals it.
    #[arg(long)]
    pub heal: Option<String>,
    /// Where the report goes: `report.json` and `timeline.svg`.
    #[arg(long, default_value = "campaign-report")]
    pub out: PathBuf,
}

impl Args {
    fn commands(&self) -> anyhow::Result<Commands> {
        let mut commands = match self.nemesis.as_str() {
            "none" | "custom" => Commands::default(),
            "hosts" => Commands::hosts(&self.hosts_script),
            "serve" => {
                let dir = self.serve_dir.as_deref().context("--nemesis serve needs --serve-dir")?;
                Commands::serve(dir, &std::env::current_exe()?)
            }
            other => anyhow::bail!("unknown nemesis {other}: none, hosts, serve or custom"),
        };
        let overrides = [
            (&mut commands.kill, &self.kill),
            (&mut commands.start, &self.start),
            (&mut commands.pause, &self.pause),
            (&mut commands.resume, &self.resume),
            (&mut commands.cut, &self.cut),
            (&mut commands.heal, &self.heal),
        ];
        for (command, given) in overrides {
            if given.is_some() {
                command.clone_from(given);
            }
        }
        Ok(commands)
    }
}

/// Runs the campaign of `args`, writes its report, and fails on any violation.
pub async fn main(args: Args) -> anyhow::Result<()> {
    let seed = args.seed.unwrap_or_else(seed_from_clock);
    let report = run(&args, seed).await?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot make {}", args.out.display()))?;
    write(&args.out.join("report.json"), &serde_json::to_string_pretty(&report)?)?;
    write(&args.out.join("timeline.svg"), &report.timeline_svg())?;
    print!("{}", report.summary());
    println!("  report in {}", args.out.display());
    anyhow::ensure!(
        report.nemesis_errors.is_empty(),
        "the nemesis failed {} times; replay with --seed {seed}",
        report.nemesis_errors.len()
    );
    anyhow::ensure!(
        report.violations.is_empty(),
        "{} violations; replay with --seed {seed}",
        report.violations.len()
    );
    Ok(())
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn seed_from_clock() -> u64 {
    jiff::Timestamp::now().as_nanosecond() as u64
}

/// The campaign itself: workload and nemesis at once, then settling and the check.
pub async fn run(args: &Args, seed: u64) -> anyhow::Result<Report> {
    let airlines = network::load(&args.network)?;
    let api = Api::new(&airlines)?;
    let commands = args.commands()?;
    let mut random = StdRng::seed_from_u64(seed);
    let catalog = Catalog::read(&api, &mut random).await?;
    let tag = format!("campaign-{}", workload::letters((seed_from_clock() % 11_881_376) as usize));
    let limits = Limits {
        purchases_max: args.purchases,
        duration: Duration::from_secs(args.duration_s),
        workers: args.workers.max(1),
    };
    let faults = nemesis::schedule(seed, &api.airlines(), &commands, limits.duration);
    let shared = Arc::new(Shared {
        api,
        catalog,
        tag: tag.clone(),
        start: Instant::now(),
        limits,
        purchases_started: Default::default(),
        races_started: Default::default(),
        history: Mutex::new(History::default()),
    });
    let mut workers = Vec::new();
    for number in 0..shared.limits.workers {
        workers.push(Worker::new(&shared, number, seed).await?);
    }
    eprintln!(
        "campaign {tag}: seed {seed}, {} workers, {} faults scheduled",
        workers.len(),
        faults.len()
    );

    let (stop, stopped) = watch::channel(false);
    let clock = Arc::clone(&shared);
    let nemesis =
        tokio::spawn(nemesis::run(faults, commands, stopped.clone(), move || clock.now()));
    let progress = tokio::spawn(progress(Arc::clone(&shared), stopped));
    let running = workers.into_iter().map(|worker| tokio::spawn(worker.run(Arc::clone(&shared))));
    let mut customers = Vec::new();
    for worker in futures_util::future::join_all(running).await {
        customers.extend(worker.context("a worker panicked")?.customers().iter().cloned());
    }
    let workload_ms = shared.now();
    let _ = stop.send(true);
    let applied = nemesis.await.context("the nemesis panicked")?;
    let _ = progress.await;

    let mut history = std::mem::take(&mut *shared.history.lock().expect("the workers are done"));
    history.faults = applied.windows;
    history.purchases.sort_by_key(|p| p.started);
    eprintln!("campaign {tag}: workload done; healing and settling (at most {} s)", args.settle_s);
    let bound = Duration::from_secs(args.settle_s);
    let observed =
        settle::settle(&shared.api, &mut history, &customers, &shared.catalog.flights, bound)
            .await?;
    let violations = checker::check(&history, &observed, &tag);
    let settled = history
        .purchases
        .iter()
        .filter(|p| !matches!(p.answered, Outcome::Confirmed { .. } | Outcome::Failed { .. }))
        .count();
    Ok(Report {
        seed,
        tag,
        workload_ms,
        outcomes: Report::count_outcomes(&history),
        settled,
        nemesis_errors: applied.errors,
        violations,
        history,
        observed,
    })
}

/// Prints a progress line every second until the workload stops: in place on a terminal, else
/// every fifth one on a line of its own.
async fn progress(shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    let terminal = std::io::stderr().is_terminal();
    let mut ticks = 0u64;
    loop {
        let stop = stopped.wait_for(|stopped| *stopped);
        if tokio::time::timeout(Duration::from_secs(1), stop).await.is_ok() {
            if terminal {
                eprintln!();
            }
            return;
        }
        ticks += 1;
        let line = progress_line(&shared);
        if terminal {
            eprint!("\r{line}\x1b[K");
        } else if ticks.is_multiple_of(5) {
            eprintln!("{line}");
        }
    }
}

fn progress_line(shared: &Shared) -> String {
    let history = shared.history.lock().expect("no worker panics holding it");
    let count = |word: &str| history.purchases.iter().filter(|p| p.answered.word() == word).count();
    format!(
        "[{:>3} s / {} s] purchases {}/{}: {} confirmed, {} failed, {} pending, {} unknown; {} cancels",
        shared.now() / 1000,
        shared.limits.duration.as_secs(),
        shared.purchases_started.load(Ordering::Relaxed),
        shared.limits.purchases_max,
        count("confirmed"),
        count("failed"),
        count("pending"),
        count("unknown"),
        history.cancels.len()
    )
}
