//! The nemesis: faults applied to the network through commands the operator configures, on a
//! schedule drawn from the seed, each healed before the next. A fault is one of
//! - `kill A`, healed by `start A` (a crash and a restart: what survives is what was durable);
//! - `pause A`, healed by `resume A` (a node that stops answering without closing anything);
//! - `cut A B`, healed by `heal A B` (a partition between two airlines, both directions).
//!
//! A command is a shell line where `{a}` and `{b}` stand for airline ids. Ready-made sets:
//! `hosts` steers a `scripts/hosts run` (every fault), `serve` signals separate
//! `passcom serve` processes whose pid files and configs sit in one directory (no link to cut).

use std::path::Path;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};
use tokio::sync::watch;

use crate::history::{FaultWindow, Millis};

/// The commands of each fault and its heal; a fault without both is never scheduled.
#[derive(Clone, Debug, Default)]
pub struct Commands {
    /// Kills airline `{a}`'s node at once (SIGKILL).
    pub kill: Option<String>,
    /// Starts airline `{a}`'s node again, returning once it answers.
    pub start: Option<String>,
    /// Freezes airline `{a}`'s node (SIGSTOP).
    pub pause: Option<String>,
    /// Unfreezes it (SIGCONT).
    pub resume: Option<String>,
    /// Cuts the link between `{a}` and `{b}`.
    pub cut: Option<String>,
    /// Heals it.
    pub heal: Option<String>,
}

impl Commands {
    /// The commands for the hosts of a `scripts/hosts run`, through `script`.
    pub fn hosts(script: &Path) -> Self {
        let script = script.display();
        let command = |verb: &str, args: &str| Some(format!("{script} {verb} {args}"));
        Self {
            kill: command("kill", "{a}"),
            start: command("start", "{a}"),
            pause: command("pause", "{a}"),
            resume: command("resume", "{a}"),
            cut: command("cut", "{a} {b}"),
            heal: command("heal", "{a} {b}"),
        }
    }

    /// The commands for separate `passcom serve` processes: `dir/{a}.pid` holds airline `{a}`'s
    /// process id and `dir/{a}.toml` its config; `passcom` is the binary that restarts it.
    pub fn serve(dir: &Path, passcom: &Path) -> Self {
        let (dir, passcom) = (dir.display(), passcom.display());
        let signal = |name: &str| Some(format!("kill -{name} \"$(cat '{dir}/{{a}}.pid')\""));
        let start = format!(
            "nohup '{passcom}' serve --config '{dir}/{{a}}.toml' >> '{dir}/{{a}}.log' 2>&1 & \
             echo $! > '{dir}/{{a}}.pid'"
        );
        Self {
            kill: signal("KILL"),
            start: Some(start),
            pause: signal("STOP"),
            resume: signal("CONT"),
            cut: None,
            heal: None,
        }
    }

    /// Faults these commands can apply and heal.
    fn kinds(&self) -> Vec<Kind> {
        let both =
            |apply: &Option<String>, heal: &Option<String>| apply.is_some() && heal.is_some();
        let mut kinds = Vec::new();
        if both(&self.kill, &self.start) {
            kinds.push(Kind::Kill);
        }
        if both(&self.pause, &self.resume) {
            kinds.push(Kind::Pause);
        }
        if both(&self.cut, &self.heal) {
            kinds.push(Kind::Cut);
        }
        kinds
    }
}

#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Kind {
    Kill,
    Pause,
    Cut,
}

/// One fault of the schedule.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Fault {
    /// When it is applied.
    pub at: Millis,
    /// How long it lasts.
    pub hold: Millis,
    kind: Kind,
    a: String,
    b: String,
}

impl Fault {
    /// Like `kill giro` or `cut rumos boreal`.
    pub fn name(&self) -> String {
        match self.kind {
            Kind::Kill => format!("kill {}", self.a),
            Kind::Pause => format!("pause {}", self.a),
            Kind::Cut => format!("cut {} {}", self.a, self.b),
        }
    }

    fn commands<'c>(&self, commands: &'c Commands) -> (&'c Option<String>, &'c Option<String>) {
        match self.kind {
            Kind::Kill => (&commands.kill, &commands.start),
            Kind::Pause => (&commands.pause, &commands.resume),
            Kind::Cut => (&commands.cut, &commands.heal),
        }
    }

    fn line(&self, template: &str) -> String {
        template.replace("{a}", &self.a).replace("{b}", &self.b)
    }
}

/// Time before the first fault, so that the workload starts on a whole network.
const FIRST_FAULT_MS: Millis = 2_000;
/// How long a fault lasts: at least, at most.
const HOLD_MS: std::ops::Range<Millis> = 3_000..8_000;
/// Time between a heal and the next fault.
const GAP_MS: std::ops::Range<Millis> = 2_000..5_000;

/// The faults for `airlines` within `duration`, drawn from `seed`: the same seed, the same
/// schedule.
pub fn schedule(
    seed: u64,
    airlines: &[String],
    commands: &Commands,
    duration: Duration,
) -> Vec<Fault> {
    let kinds = commands.kinds();
    let mut random = StdRng::seed_from_u64(seed);
    let end = duration.as_millis() as Millis;
    let mut faults = Vec::new();
    let mut at = FIRST_FAULT_MS + random.random_range(0..1_000);
    while !kinds.is_empty() && airlines.len() >= 2 && at + HOLD_MS.start < end {
        let kind = kinds[random.random_range(0..kinds.len())];
        let a = random.random_range(0..airlines.len());
        let b = (a + random.random_range(1..airlines.len())) % airlines.len();
        let hold = random.random_range(HOLD_MS).min(end - at);
        faults.push(Fault { at, hold, kind, a: airlines[a].clone(), b: airlines[b].clone() });
        at += hold + random.random_range(GAP_MS);
    }
    faults
}

/// What the nemesis did: the fault windows, and the commands that failed.
#[derive(Debug, Default)]
pub struct Applied {
    /// Every fault applied, with its heal.
    pub windows: Vec<FaultWindow>,
    /// Every command that failed, with its output.
    pub errors: Vec<String>,
}

/// Applies `faults` on time until they are done or `stop` turns true; the fault in force then
/// is healed at once. `now` gives the campaign's clock.
pub async fn run(
    faults: Vec<Fault>,
    commands: Commands,
    mut stop: watch::Receiver<bool>,
    now: impl Fn() -> Millis,
) -> Applied {
    let mut applied = Applied::default();
    for fault in faults {
        let wait = fault.at.saturating_sub(now());
        if stopped_within(&mut stop, wait).await {
            break;
        }
        let (apply, heal) = fault.commands(&commands);
        let (apply, heal) = (apply.as_deref().unwrap_or("true"), heal.as_deref().unwrap_or("true"));
        let start = now();
        if let Err(error) = shell(&fault.line(apply)).await {
            applied.errors.push(error);
        }
        stopped_within(&mut stop, fault.hold).await;
        if let Err(error) = shell(&fault.line(heal)).await {
            applied.errors.push(error);
        }
        applied.windows.push(FaultWindow { fault: fault.name(), start, end: now() });
    }
    applied
}

/// Waits `ms`, or less if `stop` turns true; whether it did.
async fn stopped_within(stop: &mut watch::Receiver<bool>, ms: Millis) -> bool {
    let stopped = stop.wait_for(|stopped| *stopped);
    tokio::time::timeout(Duration::from_millis(ms), stopped).await.is_ok()
}

/// Longest a nemesis command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(90);

/// Runs `line` in `sh`; its output on failure.
async fn shell(line: &str) -> Result<(), String> {
    let mut command = tokio::process::Command::new("sh");
    command.arg("-c").arg(line).kill_on_drop(true);
    let output = tokio::time::timeout(COMMAND_TIMEOUT, command.output()).await;
    match output {
        Ok(Ok(output)) if output.status.success() => Ok(()),
        Ok(Ok(output)) => Err(format!(
            "`{line}` exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Ok(Err(error)) => Err(format!("`{line}` did not run: {error}")),
        Err(_) => Err(format!("`{line}` ran longer than {COMMAND_TIMEOUT:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn airlines() -> Vec<String> {
        ["rumos", "giro", "boreal"].map(String::from).to_vec()
    }

    #[test]
    fn a_seed_gives_one_schedule_within_the_run() {
        let commands = Commands::hosts(Path::new("scripts/hosts"));
        let duration = Duration::from_secs(60);
        let schedule = schedule(7, &airlines(), &commands, duration);
        assert_eq!(schedule, super::schedule(7, &airlines(), &commands, duration));
        assert_ne!(schedule, super::schedule(8, &airlines(), &commands, duration));
        assert!(schedule.len() >= 4, "{schedule:?}");
        assert!(schedule.iter().all(|f| f.at + f.hold <= 60_000 && f.a != f.b));
        for pair in schedule.windows(2) {
            assert!(pair[0].at + pair[0].hold < pair[1].at, "one fault at a time: {pair:?}");
        }
    }

    #[test]
    fn only_faults_with_both_commands_are_scheduled() {
        let commands = Commands::serve(Path::new("/srv"), Path::new("passcom"));
        let schedule = schedule(1, &airlines(), &commands, Duration::from_secs(120));
        assert!(schedule.iter().all(|f| f.kind != Kind::Cut));
        assert!(schedule.iter().any(|f| f.kind == Kind::Kill));
        let none = schedule_of(Commands::default());
        assert!(none.is_empty());
    }

    fn schedule_of(commands: Commands) -> Vec<Fault> {
        schedule(1, &airlines(), &commands, Duration::from_secs(60))
    }
}
