//! The checkpointer: copies the WAL back into the database file, off the writer's path.
//!
//! In WAL mode every commit appends to the log; a checkpoint copies the logged pages into the
//! database and fsyncs it, so the log can start over. SQLite does that by default inside the
//! commit that crosses 1000 pages — on the writer, with every queued purchase waiting behind it.
//! Here a thread with its own connection runs a *passive* checkpoint every
//! `checkpoint_interval_ms`: it copies what no reader still needs, never blocks the writer or
//! the readers, and the next one picks up what it left. Beside a busy writer it never catches
//! up with the last commit, which is what lets the log start over; the writer's own automatic
//! checkpoint copies that last stretch (see `schema::configure_writer`).

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use rusqlite::Connection;

/// Stops the checkpointer when dropped (after one last checkpoint).
pub(crate) struct Checkpointer {
    _stop: mpsc::Sender<()>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path` every `interval`.
    pub(crate) fn start(path: &Path, interval: Duration) -> rusqlite::Result<Self> {
        let connection = Connection::open(path)?;
        connection.busy_timeout(Duration::from_secs(5))?;
        let (stop, stopped) = mpsc::channel();
        thread::Builder::new()
            .name("sqlite-checkpointer".into())
            .spawn(move || run(connection, stopped, interval))
            .expect("the checkpointer thread starts");
        Ok(Self { _stop: stop })
    }
}

fn run(connection: Connection, stopped: mpsc::Receiver<()>, interval: Duration) {
    loop {
        let last = match stopped.recv_timeout(interval) {
            Err(RecvTimeoutError::Timeout) => false,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => true,
        };
        if let Err(error) = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(%error, "checkpoint failed; the next one will retry");
        }
        if last {
            return;
        }
    }
}
