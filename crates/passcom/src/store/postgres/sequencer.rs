//! The sequencer: numbers the change log in commit order.
//!
//! Writes append the own flights they changed to `catalog_changes`, unnumbered, concurrently. A
//! pass moves every committed change into `catalog_log` in one transaction, under a
//! transaction advisory lock ([`SEQUENCER_LOCK`]) that every node of the airline shares: passes
//! run one at a time, each numbering after the last one committed, so a replica reading
//! "after N" can never find a number below N committed later (see the module doc of [`super`]).
//!
//! Passes are shared: a write that committed asks for a pass *begun after its commit*; if one
//! such pass has finished while it waited for the local lock, its changes are numbered already
//! and it asks for nothing more. Under load one pass covers many writes.

use std::sync::atomic::{AtomicU64, Ordering};

use deadpool_postgres::Pool;
use tokio::sync::{Mutex, watch};

use super::codec::internal;
use crate::store::{StoreError, StoreResult};

/// Key of the advisory lock a pass holds ("PassCom change log").
pub(crate) const SEQUENCER_LOCK: i64 = 0x5041_5353_434f_4d32;

/// Numbers this node's committed changes and publishes the head.
pub(crate) struct Sequencer {
    pool: Pool,
    /// One pass at a time from this node (others wait on the database's lock).
    running: Mutex<()>,
    /// Passes begun, numbered from 1.
    begun: AtomicU64,
    /// The last pass finished.
    finished: AtomicU64,
    head: watch::Sender<u64>,
}

impl Sequencer {
    pub(crate) fn new(pool: Pool) -> Self {
        Self {
            pool,
            running: Mutex::new(()),
            begun: AtomicU64::new(0),
            finished: AtomicU64::new(0),
            head: watch::Sender::new(0),
        }
    }

    /// The head of the change log as this node's passes left it.
    pub(crate) fn head_changes(&self) -> watch::Receiver<u64> {
        self.head.subscribe()
    }

    /// Returns once every change committed before the call is numbered.
    pub(crate) async fn number_committed(&self) -> StoreResult<()> {
        let seen = self.begun.load(Ordering::SeqCst);
        let _running = self.running.lock().await;
        if self.finished.load(Ordering::SeqCst) > seen {
            return Ok(());
        }
        let pass = self.begun.fetch_add(1, Ordering::SeqCst) + 1;
        let head = self.pass().await?;
        self.finished.store(pass, Ordering::SeqCst);
        self.head.send_if_modified(|published| {
            let newer = head > *published;
            *published = (*published).max(head);
            newer
        });
        Ok(())
    }

    /// One pass: moves every committed change into the log; returns the log's head.
    async fn pass(&self) -> StoreResult<u64> {
        let mut client = self.pool.get().await.map_err(internal)?;
        let tx = client.transaction().await.map_err(internal)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SEQUENCER_LOCK])
            .await
            .map_err(internal)?;
        // Under READ COMMITTED this statement's snapshot is taken after the lock: it sees every
        // change committed before, and every number handed out by passes before it.
        let move_changes = tx
            .prepare_cached(
                "WITH moved AS (DELETE FROM catalog_changes RETURNING id, flight)
                 INSERT INTO catalog_log (flight) SELECT flight FROM moved ORDER BY id",
            )
            .await
            .map_err(internal)?;
        tx.execute(&move_changes, &[]).await.map_err(internal)?;
        let head: i64 = tx
            .query_one("SELECT coalesce(max(seq), 0) FROM catalog_log", &[])
            .await
            .and_then(|row| row.try_get(0))
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        u64::try_from(head).map_err(|_| StoreError::Internal(format!("log head {head}")))
    }
}
