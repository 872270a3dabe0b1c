//! The single writer: one thread, one connection, group commit.
//!
//! SQLite allows one writer at a time. Rather than let request tasks queue on its lock (where a
//! purchase would wait on another's), every write is a *job* sent to one thread that owns the
//! only read-write connection. The thread takes every job waiting (up to `write_batch_max`),
//! runs each in its own savepoint inside one `BEGIN IMMEDIATE` transaction, commits once — one
//! fsync for the whole batch — and only then answers each job. A job that fails rolls back its
//! savepoint and nothing else; a commit that fails fails every job of the batch. So a caller
//! that got `Ok` knows its write is on disk, and throughput is no longer capped at one fsync per
//! write: under load, batches grow by themselves.
//!
//! The queue is bounded (`write_queue_max`): when the disk cannot keep up, senders wait for
//! room instead of growing memory without limit.
//!
//! Not every write has to reach the disk before it is answered. A write whose loss the
//! protocols already handle — a replica's copy of another airline's flights, which it pulls
//! again from the position that is lost with it; a coordinator's note that a participant
//! acknowledged, after which the decision is told again — is [`Durability::Deferred`]. A batch
//! of deferred writes only is committed with `synchronous=NORMAL`: in WAL mode, no fsync. It
//! survives the process being killed (it is in the operating system's cache) and reaches the
//! disk with the next forced commit — the log is appended in order, and one fsync covers every
//! frame before it — or the next checkpoint, at most `checkpoint_interval_ms` later. Only a
//! power cut in between loses it. Under load this takes the replicas' writes off the disk,
//! which the three airlines' nodes of one machine share.
//!
//! Inline (see [`Execution`](crate::execution::Execution)), there is no thread and no queue:
//! the caller runs its job itself, as a batch of one, through the same savepoint, commit and
//! after-commit hook, with the connection behind a mutex that no `await` ever holds.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::thread;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use tokio::sync::{mpsc, oneshot};

use super::Synchronous;
use crate::store::{StoreError, StoreResult};

/// Whether a write is answered only once it is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Durability {
    /// Answered once committed; on disk with the next forced commit or checkpoint. Only for
    /// writes whose loss to a power cut the protocols recover from.
    Deferred,
    /// Answered once on disk (as the store's [`Synchronous`] setting defines it).
    Forced,
}

/// What a job does once its batch is committed (or not): answer its caller.
type Completion = Box<dyn FnOnce(Result<(), &str>) + Send>;

/// A write waiting in the queue.
trait Job: Send {
    /// Runs the write inside the batch's transaction; returns how to answer once the batch is
    /// committed or not.
    fn run(self: Box<Self>, transaction: &Transaction<'_>) -> Completion;
    /// Answers the caller with `reason` without running the write.
    fn fail(self: Box<Self>, reason: &str);
    /// Whether its batch must be on disk before it is answered.
    fn durability(&self) -> Durability;
}

/// A write and the channel its result goes back on.
struct WriteJob<R, F> {
    write: F,
    durability: Durability,
    answer: oneshot::Sender<StoreResult<R>>,
}

impl<R, F> Job for WriteJob<R, F>
where
    R: Send + 'static,
    F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
{
    fn run(self: Box<Self>, transaction: &Transaction<'_>) -> Completion {
        let WriteJob { write, answer, .. } = *self;
        let result = in_savepoint(transaction, write);
        Box::new(move |committed| {
            let result = match committed {
                Ok(()) => result,
                Err(reason) => Err(StoreError::Internal(format!("commit failed: {reason}"))),
            };
            // The caller may have gone (request cancelled); the write stands regardless.
            let _ = answer.send(result);
        })
    }

    fn fail(self: Box<Self>, reason: &str) {
        let _ = self.answer.send(Err(StoreError::Internal(reason.to_owned())));
    }

    fn durability(&self) -> Durability {
        self.durability
    }
}

/// What the writer does after each batch it commits, with the connection (it reads what the
/// batch changed, e.g. the head of the change log).
pub(crate) type AfterCommit = Box<dyn FnMut(&Connection) + Send>;

/// The handle request tasks use to submit writes.
#[derive(Clone)]
pub(crate) struct Writer {
    route: Route,
}

/// Where a job goes.
#[derive(Clone)]
enum Route {
    /// To the writer thread's queue.
    Thread(mpsc::Sender<Box<dyn Job>>),
    /// Nowhere: the caller runs it on the connection, inline.
    Inline(Arc<Mutex<InlineWriter>>),
}

/// The writer's connection when there is no writer thread.
struct InlineWriter {
    connection: Connection,
    sync: SyncLevel,
    after_commit: AfterCommit,
}

/// The `synchronous` setting of the writer's connection: the store's for forced batches,
/// `NORMAL` for deferred ones; changed only when the next batch needs the other.
struct SyncLevel {
    forced: Synchronous,
    current: Synchronous,
}

impl SyncLevel {
    fn new(forced: Synchronous) -> Self {
        Self { forced, current: forced }
    }

    /// Sets the connection up for a batch of `durability`.
    fn prepare(&mut self, connection: &Connection, durability: Durability) -> rusqlite::Result<()> {
        let wanted = match durability {
            Durability::Forced => self.forced,
            Durability::Deferred => Synchronous::Normal,
        };
        if wanted != self.current {
            connection.pragma_update(None, "synchronous", wanted.pragma())?;
            self.current = wanted;
        }
        Ok(())
    }
}

impl Writer {
    /// Starts the writer thread on `connection`, whose `synchronous` setting is `forced`.
    pub(crate) fn start(
        connection: Connection,
        forced: Synchronous,
        batch_max: usize,
        queue_max: usize,
        after_commit: AfterCommit,
    ) -> Self {
        let (jobs, queue) = mpsc::channel(queue_max.max(1));
        let sync = SyncLevel::new(forced);
        thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(connection, sync, queue, batch_max.max(1), after_commit))
            .expect("the writer thread starts");
        Self { route: Route::Thread(jobs) }
    }

    /// A writer with no thread: each write runs on its caller's task, as a batch of one.
    pub(crate) fn inline(
        connection: Connection,
        forced: Synchronous,
        after_commit: AfterCommit,
    ) -> Self {
        let inline = InlineWriter { connection, sync: SyncLevel::new(forced), after_commit };
        Self { route: Route::Inline(Arc::new(Mutex::new(inline))) }
    }

    /// Runs `write` in the next batch and returns its result once the batch is on disk.
    pub(crate) async fn write<R, F>(&self, write: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.submit(Durability::Forced, write).await
    }

    /// Runs `write` in the next batch and returns its result once the batch is committed,
    /// perhaps before it is on disk (see [`Durability::Deferred`]).
    pub(crate) async fn write_deferred<R, F>(&self, write: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.submit(Durability::Deferred, write).await
    }

    async fn submit<R, F>(&self, durability: Durability, write: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Box<dyn Job> = Box::new(WriteJob { write, durability, answer });
        match &self.route {
            Route::Thread(jobs) => jobs
                .send(job)
                .await
                .map_err(|_| StoreError::Internal("the writer has stopped".into()))?,
            Route::Inline(inline) => {
                let InlineWriter { connection, sync, after_commit } =
                    &mut *inline.lock().expect("the inline writer lock is never poisoned");
                commit(connection, sync, vec![job], after_commit);
            }
        }
        answered.await.map_err(|_| StoreError::Internal("the writer dropped a job".into()))?
    }
}

/// Runs `write` in a savepoint: kept if it returns `Ok`, undone if it returns `Err` or panics.
///
/// The savepoint statements are prepared once and cached: a batch runs two per write, and
/// compiling them each time showed up in profiles.
pub(crate) fn in_savepoint<R>(
    connection: &Connection,
    write: impl FnOnce(&Connection) -> StoreResult<R>,
) -> StoreResult<R> {
    let run =
        |sql: &str| connection.prepare_cached(sql).and_then(|mut statement| statement.execute([]));
    run("SAVEPOINT write").map_err(internal)?;
    let result = catch_unwind(AssertUnwindSafe(|| write(connection)))
        .unwrap_or_else(|_| Err(StoreError::Internal("a write panicked".into())));
    if result.is_err() {
        run("ROLLBACK TO write").map_err(internal)?;
    }
    run("RELEASE write").map_err(internal)?;
    result
}

/// The writer thread: batch, commit, answer; until every handle is dropped.
fn run(
    mut connection: Connection,
    mut sync: SyncLevel,
    mut queue: mpsc::Receiver<Box<dyn Job>>,
    batch_max: usize,
    mut after_commit: AfterCommit,
) {
    let mut batch = Vec::with_capacity(batch_max);
    while queue.blocking_recv_many(&mut batch, batch_max) > 0 {
        commit(&mut connection, &mut sync, std::mem::take(&mut batch), &mut after_commit);
    }
}

/// Commits `jobs` as one batch (the thread's batch, or an inline writer's one job), forced to
/// disk if any of them must be.
fn commit(
    connection: &mut Connection,
    sync: &mut SyncLevel,
    jobs: Vec<Box<dyn Job>>,
    after_commit: &mut AfterCommit,
) {
    metrics::histogram!("passcom_store_write_batch_size").record(jobs.len() as f64);
    let durability = jobs.iter().map(|job| job.durability()).max();
    if let Err(error) = sync.prepare(connection, durability.unwrap_or(Durability::Forced)) {
        let reason = error.to_string();
        tracing::error!(%reason, "cannot set the durability of a write batch");
        jobs.into_iter().for_each(|job| job.fail(&reason));
        return;
    }
    commit_batch(connection, jobs.into_iter(), after_commit);
}

/// Commits `jobs` in one transaction, runs `after_commit`, then answers each job — in that
/// order, so that whoever sees a write's answer also sees what `after_commit` published.
fn commit_batch(
    connection: &mut Connection,
    jobs: impl Iterator<Item = Box<dyn Job>>,
    after_commit: &mut AfterCommit,
) {
    let transaction = match connection.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(transaction) => transaction,
        Err(error) => {
            let reason = error.to_string();
            tracing::error!(%reason, "cannot begin a write transaction");
            jobs.for_each(|job| job.fail(&reason));
            return;
        }
    };
    let completions: Vec<Completion> = jobs.map(|job| job.run(&transaction)).collect();
    let committed = transaction.commit().map_err(|error| error.to_string());
    if let Err(reason) = &committed {
        tracing::error!(%reason, "a write batch failed to commit");
    }
    let committed = committed.as_ref().map(|_| ()).map_err(String::as_str);
    after_commit(connection);
    for completion in completions {
        completion(committed);
    }
}

/// Maps a database error to an internal store error.
pub(crate) fn internal(error: rusqlite::Error) -> StoreError {
    StoreError::Internal(error.to_string())
}
