//! The single writer: one thread, one connection, group commit — and the fsyncs off its path.
//!
//! SQLite allows one writer at a time. Rather than let request tasks queue on its lock (where a
//! purchase would wait on another's), every write is a *job* sent to one thread that owns the
//! only read-write connection. The thread takes every job waiting (up to `write_batch_max`),
//! runs each in its own savepoint inside one `BEGIN IMMEDIATE` transaction, and commits once. A
//! job that fails rolls back its savepoint and nothing else; a commit that fails fails every job
//! of the batch. Under load, batches grow by themselves.
//!
//! The queue is bounded (`write_queue_max`): when the disk cannot keep up, senders wait for
//! room instead of growing memory without limit.
//!
//! **Durability off the writer's path.** SQLite would fsync the write-ahead log inside each
//! commit (`synchronous=FULL`), holding the write lock meanwhile: every write — even one that
//! need not wait for the disk — queued behind the fsync of the batch before it, and measured,
//! that wait was most of a write's time. So the writer commits every batch without an fsync
//! (`synchronous=NORMAL`: in WAL mode, the frames are written and the commit is visible, in
//! the operating system's cache) and hands the batch's forced jobs to the *syncer*, a thread of
//! its own that fsyncs the log file and only then answers them. While it syncs, the writer goes
//! on with the next batches; the next fsync covers every batch committed meanwhile (the log is
//! one file, appended in order: an fsync covers every frame before it). A forced write's caller
//! still learns of it only once it is on disk.
//!
//! Not every write has to reach the disk before it is answered. A write whose loss to a power
//! cut the protocols recover from — a replica's copy of another airline's flights, pulled again
//! from the position lost with it; a coordinator's note that a participant acknowledged, after
//! which the decision is told again; a participant's commit, asked again; the begin of a
//! purchase, aborted by presumption — is [`Durability::Deferred`]: answered once committed. It
//! survives the process being killed and reaches the disk with the next fsync or checkpoint.
//!
//! **The change log's head** is published (to replication, heartbeats) only once on disk:
//! peers keep its numbers, and a number they learned must never be taken back by a power cut.
//! Deferred writes never append to the change log, so only batches with a forced write have a
//! head to publish, and the syncer publishes it after the fsync, before answering.
//!
//! An fsync that fails is fatal: the kernel may have dropped the pages it could not write, so
//! the node no longer knows what is on disk. The process aborts, and on restart SQLite
//! recovers what the log holds — never answering a write it cannot vouch for.
//!
//! Inline (see [`Execution`](crate::execution::Execution)), there is no thread and no queue:
//! the caller runs its job itself, as a batch of one, through the same savepoint, commit, sync
//! and publication, with the connection behind a mutex that no `await` ever holds.

use std::fs::File;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use tokio::sync::{mpsc, oneshot};

use crate::store::{StoreError, StoreResult};

/// Whether a write is answered only once it is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Durability {
    /// Answered once committed; on disk with the next fsync or checkpoint. Only for writes
    /// whose loss to a power cut the protocols recover from, and never one that appends to the
    /// change log.
    Deferred,
    /// Answered once on disk (as the store's [`Disk`] defines it).
    Forced,
}

impl Durability {
    /// `deferred` or `forced`, for metrics.
    fn as_str(self) -> &'static str {
        match self {
            Durability::Deferred => "deferred",
            Durability::Forced => "forced",
        }
    }
}

/// How forced writes reach the disk.
pub(crate) enum Disk {
    /// The write-ahead log's file is fsynced before a forced write is answered.
    Synced(File),
    /// Nothing is fsynced but by checkpoints (`synchronous = "normal"`: tests and the
    /// simulator, where a crash is `kill -9`, never a power cut).
    Cached,
}

impl Disk {
    /// Forces the log to disk, or aborts the process (see the module documentation).
    fn sync(&self) {
        let Disk::Synced(wal) = self else { return };
        if let Err(error) = wal.sync_data() {
            tracing::error!(%error, "the write-ahead log cannot be synced; stopping");
            std::process::abort();
        }
        metrics::counter!("passcom_store_syncs_total").increment(1);
    }
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

/// What to publish once a batch is on disk (the head of the change log).
pub(crate) type Publish = Box<dyn FnOnce() + Send>;

/// What the writer does after each batch with a forced write, with the connection: it reads
/// what the batch changed and returns what to publish once that is on disk.
pub(crate) type AfterCommit = Box<dyn FnMut(&Connection) -> Publish + Send>;

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
    disk: Disk,
    after_commit: AfterCommit,
}

impl Writer {
    /// Starts the writer thread on `connection` (set to `synchronous=NORMAL`), and the syncer
    /// thread when forced writes go to `disk`.
    pub(crate) fn start(
        connection: Connection,
        disk: Disk,
        batch_max: usize,
        queue_max: usize,
        after_commit: AfterCommit,
    ) -> Self {
        let (jobs, queue) = mpsc::channel(queue_max.max(1));
        let durable = Durable::start(disk);
        thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(connection, durable, queue, batch_max.max(1), after_commit))
            .expect("the writer thread starts");
        Self { route: Route::Thread(jobs) }
    }

    /// A writer with no thread: each write runs on its caller's task, as a batch of one.
    pub(crate) fn inline(connection: Connection, disk: Disk, after_commit: AfterCommit) -> Self {
        let inline = InlineWriter { connection, disk, after_commit };
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
        let started = Instant::now();
        let (answer, answered) = oneshot::channel();
        let job: Box<dyn Job> = Box::new(WriteJob { write, durability, answer });
        match &self.route {
            Route::Thread(jobs) => jobs
                .send(job)
                .await
                .map_err(|_| StoreError::Internal("the writer has stopped".into()))?,
            Route::Inline(inline) => {
                let InlineWriter { connection, disk, after_commit } =
                    &mut *inline.lock().expect("the inline writer lock is never poisoned");
                let batch = commit_batch(connection, vec![job], after_commit);
                batch.answer(|durable| {
                    disk.sync();
                    durable.answer();
                });
            }
        }
        let answer = answered.await;
        metrics::histogram!("passcom_store_write_seconds", "durability" => durability.as_str())
            .record(started.elapsed().as_secs_f64());
        answer.map_err(|_| StoreError::Internal("the writer dropped a job".into()))?
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

/// The writer thread: batch, commit, answer (or hand to the syncer); until every handle is
/// dropped.
fn run(
    mut connection: Connection,
    durable: Durable,
    mut queue: mpsc::Receiver<Box<dyn Job>>,
    batch_max: usize,
    mut after_commit: AfterCommit,
) {
    let mut jobs = Vec::with_capacity(batch_max);
    while queue.blocking_recv_many(&mut jobs, batch_max) > 0 {
        let batch = commit_batch(&mut connection, std::mem::take(&mut jobs), &mut after_commit);
        batch.answer(|forced| durable.answer(forced));
    }
}

/// A batch committed (or not), waiting to answer its jobs.
struct Batch {
    committed: Result<(), String>,
    deferred: Vec<Completion>,
    forced: Forced,
}

/// A batch's forced jobs, and what to publish once they are on disk.
#[derive(Default)]
struct Forced {
    publish: Option<Publish>,
    completions: Vec<Completion>,
}

impl Forced {
    /// Publishes, then answers: whoever hears of a write also sees what it published.
    fn answer(self) {
        if let Some(publish) = self.publish {
            publish();
        }
        for completion in self.completions {
            completion(Ok(()));
        }
    }
}

impl Batch {
    /// Answers its deferred jobs at once, and has `durable` answer its forced ones once on disk;
    /// a batch that failed to commit answers every job with the failure now.
    fn answer(self, durable: impl FnOnce(Forced)) {
        match &self.committed {
            Err(reason) => {
                let failed = self.deferred.into_iter().chain(self.forced.completions);
                failed.for_each(|completion| completion(Err(reason)));
            }
            Ok(()) => {
                self.deferred.into_iter().for_each(|completion| completion(Ok(())));
                if self.forced.publish.is_some() {
                    durable(self.forced);
                }
            }
        }
    }
}

/// Commits `jobs` in one transaction; for a batch with a forced job, runs `after_commit`.
fn commit_batch(
    connection: &mut Connection,
    jobs: Vec<Box<dyn Job>>,
    after_commit: &mut AfterCommit,
) -> Batch {
    metrics::histogram!("passcom_store_write_batch_size").record(jobs.len() as f64);
    let transaction = match connection.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(transaction) => transaction,
        Err(error) => {
            let reason = error.to_string();
            tracing::error!(%reason, "cannot begin a write transaction");
            jobs.into_iter().for_each(|job| job.fail(&reason));
            return Batch { committed: Ok(()), deferred: Vec::new(), forced: Forced::default() };
        }
    };
    let (mut deferred, mut forced) = (Vec::new(), Vec::new());
    for job in jobs {
        let durability = job.durability();
        let completion = job.run(&transaction);
        match durability {
            Durability::Deferred => deferred.push(completion),
            Durability::Forced => forced.push(completion),
        }
    }
    let committed = transaction.commit().map_err(|error| error.to_string());
    if let Err(reason) = &committed {
        tracing::error!(%reason, "a write batch failed to commit");
    }
    let publish = match (&committed, forced.is_empty()) {
        (Ok(()), false) => Some(after_commit(connection)),
        _ => None,
    };
    Batch { committed, deferred, forced: Forced { publish, completions: forced } }
}

/// Where the writer thread hands forced jobs: the syncer thread, or — with nothing to sync —
/// nowhere, answering them at once.
enum Durable {
    Syncer(std::sync::mpsc::Sender<Forced>),
    Cached,
}

impl Durable {
    fn start(disk: Disk) -> Self {
        match disk {
            Disk::Cached => Durable::Cached,
            disk @ Disk::Synced(_) => {
                let (forced, queue) = std::sync::mpsc::channel();
                thread::Builder::new()
                    .name("sqlite-syncer".into())
                    .spawn(move || sync_loop(&disk, &queue))
                    .expect("the syncer thread starts");
                Durable::Syncer(forced)
            }
        }
    }

    fn answer(&self, forced: Forced) {
        match self {
            // The syncer only stops once the writer, which owns this sender, has.
            Durable::Syncer(syncer) => syncer.send(forced).unwrap_or_else(|lost| lost.0.answer()),
            Durable::Cached => forced.answer(),
        }
    }
}

/// The syncer thread: takes every batch handed over meanwhile, fsyncs once for all of them,
/// then publishes and answers each in order; until the writer stops.
fn sync_loop(disk: &Disk, queue: &std::sync::mpsc::Receiver<Forced>) {
    while let Ok(first) = queue.recv() {
        let batches: Vec<Forced> = std::iter::once(first).chain(queue.try_iter()).collect();
        metrics::histogram!("passcom_store_batches_per_sync").record(batches.len() as f64);
        disk.sync();
        batches.into_iter().for_each(Forced::answer);
    }
}

/// Maps a database error to an internal store error.
pub(crate) fn internal(error: rusqlite::Error) -> StoreError {
    StoreError::Internal(error.to_string())
}
