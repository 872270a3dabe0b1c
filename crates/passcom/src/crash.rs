//! Crash points: named places in the commit protocol where the real-process fault tests kill
//! the node, exactly as `kill -9` would, to prove that what it had made durable is enough.
//!
//! Only builds with the `failpoints` feature have them (the tests' builds); elsewhere
//! [`point`] is nothing at all. A point fires when the process was started with
//! `FAILPOINTS=<name>=return` (the `fail` crate's syntax): the process sends itself SIGKILL,
//! so no destructor runs and nothing more is written or sent.
//!
//! | point | where |
//! |---|---|
//! | `coordinator-before-decision` | every vote is in; the decision is not recorded |
//! | `coordinator-after-decision` | the decision is durable; nobody has heard it |
//! | `participant-after-prepare` | the seats are held and PREPARED recorded; the vote is not sent |
//! | `participant-before-decision` | a decision arrived; it is not applied |

/// Reads the crash points configured in the environment; call once at start.
#[cfg(feature = "failpoints")]
pub fn configure() {
    // The scenario is never torn down: the points stay configured for the process's life.
    std::mem::forget(fail::FailScenario::setup());
}

/// Without the `failpoints` feature there is nothing to configure.
#[cfg(not(feature = "failpoints"))]
pub fn configure() {}

/// Dies here if crash point `name` is configured.
#[cfg(feature = "failpoints")]
pub fn point(name: &str) {
    fail::eval(name, |_| {
        tracing::warn!(point = name, "crash point reached: killing the process");
        let _ =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
    });
}

/// Without the `failpoints` feature, crash points do nothing.
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn point(_name: &str) {}
