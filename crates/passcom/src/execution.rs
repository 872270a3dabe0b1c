//! Where the node's blocking work runs: on threads of its own, or inline on the calling task.
//!
//! Two kinds of work would stall the async tasks that serve requests: SQLite calls and password
//! hashing. In production they run on threads — the store's writer thread and reader pool,
//! tokio's blocking threads for hashes — so a slow one never holds up the others.
//!
//! The deterministic simulator cannot have threads: the operating system decides when a thread
//! runs, so the same seed would not replay the same way. There the node is built with
//! [`Execution::Inline`], and the same code runs synchronously on the task that asked for it.
//! Nothing else changes: the store still runs every write in its own savepoint inside a
//! transaction and calls the same after-commit hook, only with one write per transaction, and
//! the hasher computes the same hashes. Inline is for the simulator (and the store's
//! conformance suite, which runs against both): a node serving real traffic inline would
//! stall every request behind each fsync and each hash.

/// Where blocking work runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Execution {
    /// On threads: the store's writer thread, its reader pool and checkpointer, tokio's
    /// blocking threads for password hashes. Production.
    #[default]
    Threads,
    /// Synchronously, on the task that asks for it, with no thread of its own: for the
    /// deterministic simulator.
    Inline,
}

impl Execution {
    /// Runs `work` where this execution says: on a blocking thread, or here and now. `None`
    /// if the blocking thread panicked or was cancelled.
    pub async fn run<R, F>(self, work: F) -> Option<R>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        match self {
            Execution::Threads => tokio::task::spawn_blocking(work).await.ok(),
            Execution::Inline => Some(work()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn both_executions_run_the_work() {
        assert_eq!(Execution::Threads.run(|| 6 * 7).await, Some(42));
        assert_eq!(Execution::Inline.run(|| 6 * 7).await, Some(42));
    }
}
