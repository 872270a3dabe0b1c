//! The SQLite store: the embedded default.
//!
//! One database file per node, in WAL mode with `synchronous=FULL`. Writes go through one
//! writer thread that commits them in batches ([`writer`]); reads go to a pool of read-only
//! connections ([`readers`]). The SQL lives in one module per part of the model.
//!
//! For the deterministic simulator the same store runs inline ([`Execution::Inline`]): no
//! thread at all, each write a batch of one on its caller's task, and SQLite's own automatic
//! checkpoints instead of the checkpointer thread.

mod accounts;
mod bookings;
mod catalog;
mod checkpointer;
mod codec;
mod commit;
mod network;
mod readers;
mod schema;
mod seats;
mod writer;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use jiff::Timestamp;
use passcom_core::commit::{Outcome, Prepare, Status, Vote};
use passcom_core::replication::Batch;
use passcom_core::{
    Airline, AirlineId, Airport, Booking, BookingReference, BookingStatus, Flight, FlightId,
    Username,
};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use self::checkpointer::Checkpointer;
use self::commit::Announce;
use self::readers::Readers;
use self::writer::{AfterCommit, Disk, Writer, internal};
use super::rules::{HoldRequest, Owner};
use super::{
    AccountStore, Begun, CatalogStore, CommitStore, Coordination, Customer, CustomerId, DecidedBy,
    Decision, FlightPosition, FlightQuery, FlightRecord, InDoubt, NetworkStore, NewCustomer, Order,
    Page, PeerRecord, Purchased, Release, SalesStore, SeatMap, SegmentRecord, Session, StoreError,
    StoreResult, TxnId, TxnSummary,
};
use crate::execution::Execution;

/// Tuning of the SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    /// Most writes committed together.
    pub write_batch_max: usize,
    /// Most writes waiting for the writer.
    pub write_queue_max: usize,
    /// Size of the reader pool.
    pub readers_max: u32,
    /// How often the WAL is checkpointed into the database.
    pub checkpoint_interval_ms: u64,
    /// WAL pages past which the writer's own commit checkpoints too, so that the log starts
    /// over (see `schema::configure_writer`).
    pub log_pages_max: u32,
    /// When a commit is durable.
    pub synchronous: Synchronous,
    /// Threads (production) or inline (the deterministic simulator).
    pub execution: Execution,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            write_batch_max: 512,
            write_queue_max: 8192,
            readers_max: 8,
            checkpoint_interval_ms: 100,
            log_pages_max: 64 * 1024,
            synchronous: Synchronous::default(),
            execution: Execution::default(),
        }
    }
}

/// When a forced write is durable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    /// Every forced write is fsynced before it is answered: it survives power loss. The
    /// default.
    #[default]
    Full,
    /// Writes are fsynced at checkpoints only: a write survives the process being killed
    /// (`kill -9`) but the last ones can be lost with the machine's power. For tests and the
    /// simulator, which model the first and not the second; never for an airline's data.
    Normal,
}

/// A node's store in one SQLite database file.
pub struct SqliteStore {
    owner: Owner,
    writer: Writer,
    readers: Readers,
    /// The head of the change log once on disk (see `writer`).
    log_head: watch::Receiver<u64>,
    /// None inline: SQLite checkpoints by itself there.
    _checkpointer: Option<Checkpointer>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` for `owner`'s node, and brings its
    /// schema up to date.
    pub fn open(path: &Path, owner: &Airline, options: &SqliteOptions) -> StoreResult<Self> {
        let mut connection = Connection::open(path).map_err(internal)?;
        schema::configure_writer(&connection, options).map_err(internal)?;
        schema::migrate(&mut connection).map_err(internal)?;
        let readers = Readers::open(path, options.readers_max, options.execution)?;
        let checkpointer = match options.execution {
            Execution::Threads => {
                let interval = Duration::from_millis(options.checkpoint_interval_ms.max(1));
                Some(Checkpointer::start(path, interval).map_err(internal)?)
            }
            Execution::Inline => None,
        };
        let head = network::log_head(&connection).map_err(internal)?;
        let (publish_head, log_head) = watch::channel(head);
        let publish_head = Arc::new(publish_head);
        let after_commit: AfterCommit = Box::new(move |connection: &Connection| {
            let head = network::log_head(connection);
            let publish_head = publish_head.clone();
            Box::new(move || match head {
                Ok(head) => {
                    publish_head.send_if_modified(|published| {
                        let newer = head > *published;
                        *published = (*published).max(head);
                        newer
                    });
                }
                Err(error) => tracing::warn!(%error, "cannot read the head of the change log"),
            })
        });
        let disk = disk(path, options.synchronous)?;
        let writer = match options.execution {
            Execution::Threads => Writer::start(
                connection,
                disk,
                options.write_batch_max,
                options.write_queue_max,
                after_commit,
            ),
            Execution::Inline => Writer::inline(connection, disk, after_commit),
        };
        let owner = Owner { airline: owner.id.clone(), ticket_prefix: owner.ticket_prefix };
        Ok(Self { owner, writer, readers, log_head, _checkpointer: checkpointer })
    }
}

/// Where forced writes go: the write-ahead log of the database at `path`, fsynced; or, with
/// `synchronous = "normal"`, nowhere before a checkpoint.
fn disk(path: &Path, synchronous: Synchronous) -> StoreResult<Disk> {
    if synchronous == Synchronous::Normal {
        return Ok(Disk::Cached);
    }
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    // The writer has read the database in WAL mode, so the log exists; SQLite keeps the same
    // file while it is open, resetting it in place after checkpoints.
    let wal = std::fs::File::open(PathBuf::from(wal)).map_err(|error| {
        StoreError::Internal(format!("cannot open the write-ahead log: {error}"))
    })?;
    Ok(Disk::Synced(wal))
}

/// Holds and sells every seat of `order` and records its booking, in one write.
fn purchase(connection: &Connection, owner: &Owner, order: Order) -> StoreResult<Purchased> {
    if let Some(booking) = replay(connection, &order)? {
        return Ok(Purchased::Replayed(booking));
    }
    let mut held = Vec::new();
    for leg in &order.legs {
        let request = HoldRequest {
            txn: &order.txn,
            seller: &owner.airline,
            flight: leg.flight.id,
            passengers: &order.passengers,
            seats: leg.seats.as_deref(),
            sold_to: Some(order.reference),
            at: order.at,
        };
        held.extend(seats::hold(connection, owner, &request)?);
        network::log_change(connection, leg.flight.id)?;
    }
    bookings::insert(connection, &order, &held).map(Purchased::Created)
}

/// The booking an earlier purchase with the order's idempotency key made, as it stands now;
/// `IdempotencyKeyReused` if that purchase asked for something else.
fn replay(connection: &Connection, order: &Order) -> StoreResult<Option<Booking>> {
    let Some(idempotency) = &order.idempotency else { return Ok(None) };
    let earlier = bookings::find_by_idempotency_key(connection, order.customer, &idempotency.key)
        .map_err(internal)?;
    let Some((booking, digest)) = earlier else { return Ok(None) };
    if digest != idempotency.request_digest {
        return Err(StoreError::IdempotencyKeyReused);
    }
    bookings::load(connection, booking).map(Some).map_err(internal)
}

/// Cancels the customer's booking: releases its seats here and records the releases to make
/// at the other airlines whose flights it has.
fn cancel_booking(
    connection: &Connection,
    owner: &Owner,
    customer: CustomerId,
    reference: BookingReference,
    at: Timestamp,
) -> StoreResult<Booking> {
    let id = bookings::find(connection, customer, reference)
        .map_err(internal)?
        .ok_or(StoreError::BookingNotFound(reference))?;
    let booking = bookings::load(connection, id).map_err(internal)?;
    match booking.status {
        BookingStatus::Cancelled | BookingStatus::Failed => return Ok(booking),
        BookingStatus::Pending => return Err(StoreError::BookingPending(reference)),
        BookingStatus::Confirmed => {}
    }
    let departed = booking.segments.iter().find(|segment| segment.departure <= at);
    if let Some(segment) = departed {
        return Err(StoreError::FlightDeparted(segment.flight));
    }
    let txn = bookings::txn(connection, id).map_err(internal)?;
    for flight in seats::flights_of_txn(connection, &txn)? {
        network::log_change(connection, flight)?;
    }
    seats::release(connection, &txn)?;
    let elsewhere: BTreeSet<AirlineId> = booking
        .segments
        .iter()
        .filter(|segment| segment.airline != owner.airline)
        .map(|segment| segment.airline.clone())
        .collect();
    let elsewhere: Vec<AirlineId> = elsewhere.into_iter().collect();
    commit::request_releases(connection, &txn, id, &elsewhere, at)?;
    bookings::mark_cancelled(connection, id, at)?;
    bookings::load(connection, id).map_err(internal)
}

#[async_trait]
impl CatalogStore for SqliteStore {
    async fn put_airports(&self, airports: Vec<Airport>) -> StoreResult<()> {
        self.writer.write(move |c| catalog::put_airports(c, &airports)).await
    }

    async fn airports(&self) -> StoreResult<Vec<Airport>> {
        self.readers.read(catalog::airports).await
    }

    async fn put_airline(&self, airline: Airline) -> StoreResult<()> {
        self.writer.write(move |c| catalog::put_airline(c, &airline)).await
    }

    async fn airlines(&self) -> StoreResult<Vec<Airline>> {
        self.readers.read(catalog::airlines).await
    }

    async fn add_missing_flights(&self, flights: Vec<Flight>) -> StoreResult<usize> {
        self.writer
            .write(move |c| {
                let mut added = 0;
                for flight in &flights {
                    added += usize::from(catalog::insert_flight(c, flight, true)?);
                }
                Ok(added)
            })
            .await
    }

    async fn create_flight(&self, flight: Flight) -> StoreResult<FlightRecord> {
        self.writer
            .write(move |c| {
                catalog::insert_flight(c, &flight, false)?;
                catalog::existing_flight(c, flight.id)
            })
            .await
    }

    async fn update_flight(
        &self,
        flight: Flight,
        expected_version: u64,
    ) -> StoreResult<FlightRecord> {
        self.writer.write(move |c| catalog::update_flight(c, &flight, expected_version)).await
    }

    async fn cancel_flight(
        &self,
        id: FlightId,
        expected_version: Option<u64>,
        at: Timestamp,
    ) -> StoreResult<FlightRecord> {
        let owner = self.owner.airline.clone();
        self.writer
            .write(move |c| {
                let cancelled = catalog::cancel_flight(c, id, expected_version)?;
                bookings::mark_flight_cancelled(c, &owner, id, at)?;
                Ok(cancelled)
            })
            .await
    }

    async fn flight(&self, id: FlightId) -> StoreResult<Option<FlightRecord>> {
        self.readers.read(move |c| catalog::flight(c, id)).await
    }

    async fn flights_by_id(&self, ids: Vec<FlightId>) -> StoreResult<Vec<FlightRecord>> {
        self.readers.read(move |c| catalog::flights_by_id(c, &ids)).await
    }

    async fn flights(&self, query: FlightQuery) -> StoreResult<Page<FlightRecord, FlightPosition>> {
        self.readers.read(move |c| catalog::flights(c, &query)).await
    }

    async fn seat_map(&self, id: FlightId) -> StoreResult<Option<SeatMap>> {
        self.readers.read(move |c| catalog::seat_map(c, id)).await
    }
}

#[async_trait]
impl SalesStore for SqliteStore {
    async fn purchase(&self, order: Order) -> StoreResult<Purchased> {
        let owner = self.owner.clone();
        self.writer.write(move |c| purchase(c, &owner, order)).await
    }

    async fn booking_by_idempotency_key(
        &self,
        customer: CustomerId,
        key: String,
    ) -> StoreResult<Option<(Booking, [u8; 32])>> {
        self.readers
            .read(move |c| {
                let Some((id, digest)) = bookings::find_by_idempotency_key(c, customer, &key)?
                else {
                    return Ok(None);
                };
                Ok(Some((bookings::load(c, id)?, digest)))
            })
            .await
    }

    async fn booking(
        &self,
        customer: CustomerId,
        reference: BookingReference,
    ) -> StoreResult<Option<Booking>> {
        self.readers
            .read(move |c| {
                bookings::find(c, customer, reference)?.map(|id| bookings::load(c, id)).transpose()
            })
            .await
    }

    async fn bookings(
        &self,
        customer: CustomerId,
        after: Option<i64>,
        limit: usize,
    ) -> StoreResult<Page<Booking, i64>> {
        self.readers.read(move |c| bookings::list(c, customer, after, limit)).await
    }

    async fn cancel_booking(
        &self,
        customer: CustomerId,
        reference: BookingReference,
        at: Timestamp,
    ) -> StoreResult<Booking> {
        let owner = self.owner.clone();
        self.writer.write(move |c| cancel_booking(c, &owner, customer, reference, at)).await
    }

    async fn flight_segments(&self, flight: FlightId) -> StoreResult<Vec<SegmentRecord>> {
        self.readers.read_store(move |c| commit::segments(c, flight)).await
    }

    async fn sync(&self) -> StoreResult<()> {
        // A forced write of nothing: it is answered after an fsync of the log, which covers
        // every write committed before it, deferred ones included.
        self.writer.write(|_| Ok(())).await
    }
}

#[async_trait]
impl CommitStore for SqliteStore {
    async fn begin_purchase(
        &self,
        order: Order,
        participants: Vec<AirlineId>,
    ) -> StoreResult<Begun> {
        let owner = self.owner.clone();
        self.writer.write_deferred(move |c| commit::begin(c, &owner, &order, &participants)).await
    }

    async fn record_decision(
        &self,
        txn: TxnId,
        decision: Decision,
        tell: Vec<AirlineId>,
        at: Timestamp,
    ) -> StoreResult<Booking> {
        let owner = self.owner.clone();
        self.writer
            .write(move |c| commit::record_decision(c, &owner, &txn, &decision, &tell, at))
            .await
    }

    async fn acknowledge(&self, participant: AirlineId, txns: Vec<TxnId>) -> StoreResult<()> {
        self.writer
            .write_deferred(move |c| {
                txns.iter().try_for_each(|txn| commit::acknowledge(c, txn, &participant))
            })
            .await
    }

    async fn unfinished_coordinations(&self) -> StoreResult<Vec<Coordination>> {
        self.readers.read_store(commit::unfinished).await
    }

    async fn prepare(&self, prepare: Prepare, at: Timestamp) -> StoreResult<Vote> {
        let owner = self.owner.clone();
        self.writer.write(move |c| commit::prepare(c, &owner, &prepare, at, Announce::Now)).await
    }

    async fn decide(
        &self,
        txn: TxnId,
        outcome: Outcome,
        by: DecidedBy,
        at: Timestamp,
    ) -> StoreResult<()> {
        // A commit is deferred: lost to a power cut, the transaction is prepared here again,
        // in doubt, and asking its coordinator — which keeps its records — brings the commit
        // back. An abort releases seats, which the change log records: always forced.
        let write = move |c: &rusqlite::Connection| commit::decide(c, &txn, outcome, by, at);
        match outcome {
            Outcome::Committed => self.writer.write_deferred(write).await,
            Outcome::Aborted => self.writer.write(write).await,
        }
    }

    async fn txn_status(&self, txn: TxnId, at: Timestamp) -> StoreResult<Status> {
        self.writer.write(move |c| commit::status(c, &txn, at)).await
    }

    async fn in_doubt(&self) -> StoreResult<Vec<InDoubt>> {
        self.readers.read_store(commit::in_doubt).await
    }

    async fn txn_summaries(&self) -> StoreResult<Vec<TxnSummary>> {
        self.readers.read_store(commit::summaries).await
    }

    async fn resolve_txn(&self, txn: TxnId, outcome: Outcome, at: Timestamp) -> StoreResult<()> {
        self.writer.write(move |c| commit::resolve(c, &txn, outcome, at)).await
    }

    async fn pending_releases(&self) -> StoreResult<Vec<Release>> {
        self.readers.read_store(commit::pending_releases).await
    }

    async fn released(&self, txn: TxnId, airline: AirlineId, at: Timestamp) -> StoreResult<()> {
        self.writer.write(move |c| commit::released(c, &txn, &airline, at)).await
    }

    async fn release_for(&self, txn: TxnId, seller: AirlineId) -> StoreResult<()> {
        self.writer.write(move |c| commit::release_for(c, &txn, &seller)).await
    }
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_customer(&self, customer: NewCustomer) -> StoreResult<Customer> {
        self.writer.write(move |c| accounts::create(c, &customer)).await
    }

    async fn credentials(&self, username: Username) -> StoreResult<Option<(Customer, String)>> {
        self.readers.read(move |c| accounts::credentials(c, &username)).await
    }

    async fn create_session(
        &self,
        token_hash: [u8; 32],
        customer: CustomerId,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.writer.write(move |c| accounts::create_session(c, &token_hash, customer, at)).await
    }

    async fn session(&self, token_hash: [u8; 32]) -> StoreResult<Option<Session>> {
        self.readers.read(move |c| accounts::session(c, &token_hash)).await
    }

    async fn touch_session(&self, token_hash: [u8; 32], at: Timestamp) -> StoreResult<()> {
        self.writer.write(move |c| accounts::touch_session(c, &token_hash, at)).await
    }

    async fn delete_session(&self, token_hash: [u8; 32]) -> StoreResult<()> {
        self.writer.write(move |c| accounts::delete_session(c, &token_hash)).await
    }

    async fn delete_idle_sessions(&self, idle_since: Timestamp) -> StoreResult<usize> {
        self.writer.write(move |c| accounts::delete_idle_sessions(c, idle_since)).await
    }
}

#[async_trait]
impl NetworkStore for SqliteStore {
    async fn log_own_flights(&self, after: Timestamp) -> StoreResult<usize> {
        let owner = self.owner.airline.clone();
        self.writer.write(move |c| network::log_own_flights(c, &owner, after)).await
    }

    async fn log_head(&self) -> StoreResult<u64> {
        Ok(*self.log_head.borrow())
    }

    fn log_head_changes(&self) -> watch::Receiver<u64> {
        self.log_head.clone()
    }

    async fn log_batch(&self, after: u64, limit: u64) -> StoreResult<Batch> {
        let owner = self.owner.airline.clone();
        // No further than the head on disk: a batch must never carry numbers a power cut could
        // take back (see `writer`).
        let head = *self.log_head.borrow();
        self.readers.read(move |c| network::log_batch(c, &owner, after, limit, head)).await
    }

    async fn prune_log(&self, keep: u64) -> StoreResult<usize> {
        self.writer.write(move |c| network::prune_log(c, keep)).await
    }

    async fn apply_replica(
        &self,
        owner: AirlineId,
        batch: Batch,
        at: Timestamp,
    ) -> StoreResult<()> {
        let this_airline = self.owner.airline.clone();
        self.writer
            .write_deferred(move |c| network::apply_replica(c, &this_airline, &owner, &batch, at))
            .await
    }

    async fn replica_positions(&self) -> StoreResult<BTreeMap<AirlineId, u64>> {
        self.readers.read(network::replica_positions).await
    }

    async fn peers(&self) -> StoreResult<Vec<PeerRecord>> {
        self.readers.read(network::peers).await
    }

    async fn put_peer(&self, peer: PeerRecord, at: Timestamp) -> StoreResult<()> {
        self.writer.write(move |c| network::put_peer(c, &peer, at)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes of one WAL frame: its header and a page.
    const FRAME_BYTES: u64 = 24 + schema::PAGE_BYTES as u64;

    /// The log's bound under test, in pages: 1 MiB.
    const LOG_PAGES_MAX: u32 = 1024;

    /// Under a steady stream of writes the WAL still starts over, instead of growing as long as
    /// the load lasts: the checkpointer thread beside a busy writer never catches up with the
    /// last commit, and the writer's own checkpoint copies what it left.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_log_starts_over_under_a_steady_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        let owner = passcom_core::reference::reference_airlines()[0].airline();
        let options = SqliteOptions { log_pages_max: LOG_PAGES_MAX, ..SqliteOptions::default() };
        let store = Arc::new(SqliteStore::open(&path, &owner, &options).unwrap());
        let log = dir.path().join("store.sqlite3-wal");
        let writers: Vec<_> = (0..8).map(|_| tokio::spawn(write_pages(store.clone()))).collect();
        let mut largest = 0;
        while writers.iter().any(|writer| !writer.is_finished()) {
            largest = largest.max(std::fs::metadata(&log).map_or(0, |m| m.len()));
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let bound = 4 * u64::from(LOG_PAGES_MAX) * FRAME_BYTES;
        assert!(largest < bound, "the log grew to {largest} bytes (bound {bound})");
    }

    /// 300 commits of nine pages each; from eight writers, 21 MiB of log if it never started
    /// over.
    async fn write_pages(store: Arc<SqliteStore>) {
        for _ in 0..300 {
            let insert = |connection: &Connection| {
                connection
                    .execute(
                        "INSERT INTO audit (at, action, detail) VALUES (0, 'test', hex(zeroblob(4000)))",
                        [],
                    )
                    .map_err(internal)
            };
            store.writer.write_deferred(insert).await.unwrap();
        }
    }
}
