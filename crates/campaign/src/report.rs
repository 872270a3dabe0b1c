//! The report: a summary on the terminal, the whole of it as JSON, and an SVG timeline of the
//! purchases by outcome with the fault windows shaded.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::checker::Violation;
use crate::history::{History, Millis, Observed};

/// Everything a campaign found.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The seed: the same one replays the same workload mix and fault schedule.
    pub seed: u64,
    /// The campaign's tag: its usernames, keys and passengers start with it.
    pub tag: String,
    /// How long the workload ran, in milliseconds.
    pub workload_ms: Millis,
    /// Purchases by final outcome.
    pub outcomes: BTreeMap<String, usize>,
    /// Purchases whose first answer was not decided (unknown or pending), settled afterwards.
    pub settled: usize,
    /// Commands of the nemesis that failed.
    pub nemesis_errors: Vec<String>,
    /// Every invariant found broken: none on a correct network.
    pub violations: Vec<Violation>,
    /// What was done.
    pub history: History,
    /// What was read back.
    pub observed: Observed,
}

impl Report {
    /// Purchases by final outcome.
    pub fn count_outcomes(history: &History) -> BTreeMap<String, usize> {
        let mut outcomes = BTreeMap::new();
        for purchase in &history.purchases {
            *outcomes.entry(purchase.outcome.word().to_owned()).or_insert(0) += 1;
        }
        outcomes
    }

    /// The summary for the terminal.
    pub fn summary(&self) -> String {
        let mut text = String::new();
        let history = &self.history;
        let _ = writeln!(
            text,
            "campaign {} (seed {}): {} ms of workload",
            self.tag, self.seed, self.workload_ms
        );
        let outcomes: Vec<String> =
            self.outcomes.iter().map(|(word, n)| format!("{n} {word}")).collect();
        let _ = writeln!(
            text,
            "  purchases {}: {}; {} settled after an undecided answer",
            history.purchases.len(),
            outcomes.join(", "),
            self.settled
        );
        let cancelled = history.cancels.iter().filter(|c| c.status == Some(200)).count();
        let _ =
            writeln!(text, "  cancellations {} ({cancelled} answered 200)", history.cancels.len());
        let _ = writeln!(
            text,
            "  searches {} ({} failed)",
            history.searches.made, history.searches.failed
        );
        let faults: Vec<String> = history
            .faults
            .iter()
            .map(|f| format!("{} {}–{} ms", f.fault, f.start, f.end))
            .collect();
        let _ = writeln!(text, "  faults {}: {}", faults.len(), faults.join("; "));
        let _ = writeln!(
            text,
            "  checked {} bookings and {} flights at their owners and every replica",
            self.observed.bookings.len(),
            self.observed.flights.len()
        );
        for error in &self.nemesis_errors {
            let _ = writeln!(text, "  nemesis error: {error}");
        }
        for violation in &self.violations {
            let _ = writeln!(text, "  VIOLATION {:?}: {}", violation.invariant, violation.detail);
        }
        let _ = writeln!(text, "  {} violations", self.violations.len());
        text
    }

    /// The timeline: one row per final outcome, a tick per purchase from its start to its first
    /// answer, the fault windows shaded and named.
    pub fn timeline_svg(&self) -> String {
        const WIDTH: f64 = 1000.0;
        const LEFT: f64 = 90.0;
        const ROW: f64 = 40.0;
        const TOP: f64 = 30.0;
        let rows = ["confirmed", "failed", "pending", "unknown"];
        let colours = ["#2e7d32", "#c62828", "#ef6c00", "#6a1b9a"];
        let end = self
            .history
            .purchases
            .iter()
            .map(|p| p.ended)
            .chain(self.history.faults.iter().map(|f| f.end))
            .max()
            .unwrap_or(1)
            .max(1);
        let x = |ms: Millis| LEFT + (WIDTH - LEFT - 10.0) * ms as f64 / end as f64;
        let height = TOP + ROW * rows.len() as f64 + 30.0;
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n\
             <title>campaign {} (seed {}): purchases by outcome, faults shaded</title>\n",
            self.tag, self.seed
        );
        for fault in &self.history.faults {
            let (from, to) = (x(fault.start), x(fault.end));
            let _ = writeln!(
                svg,
                "<rect x=\"{from:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#9e9e9e\" opacity=\"0.3\"/><text x=\"{from:.1}\" y=\"{:.1}\">{}</text>",
                TOP - 15.0,
                (to - from).max(1.0),
                ROW * rows.len() as f64 + 15.0,
                TOP - 18.0,
                fault.fault
            );
        }
        for (row, (word, colour)) in rows.iter().zip(colours).enumerate() {
            let y = TOP + ROW * row as f64 + ROW / 2.0;
            let _ = writeln!(svg, "<text x=\"4\" y=\"{:.1}\">{word}</text>", y + 4.0);
            for purchase in self.history.purchases.iter().filter(|p| p.outcome.word() == *word) {
                let _ = writeln!(
                    svg,
                    "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"8\" opacity=\"0.5\"><title>{} {} {}</title></line>",
                    x(purchase.started),
                    x(purchase.ended).max(x(purchase.started) + 1.0),
                    purchase.key,
                    purchase.seller,
                    purchase.flights.join(" ")
                );
            }
        }
        let _ = writeln!(
            svg,
            "<text x=\"{LEFT}\" y=\"{:.1}\">0 s</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{:.1} s</text>",
            height - 8.0,
            WIDTH - 10.0,
            height - 8.0,
            end as f64 / 1000.0
        );
        svg.push_str("</svg>\n");
        svg
    }
}
