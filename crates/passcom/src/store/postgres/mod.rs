//! The PostgreSQL store: how an airline grows past one process.
//!
//! The same model and the same promises as the SQLite store (every method atomic, a write that
//! returned `Ok` survives a crash), kept by a database server that the airline's operators
//! already replicate, back up and fail over. The SQL lives in one module per part of the model,
//! as in SQLite's store; what differs is how the promises are kept, because PostgreSQL runs
//! many transactions at once where SQLite has one writer. Each place where that matters:
//!
//! - **Transactions.** Every write is one `READ COMMITTED` transaction on a pooled connection
//!   ([`PostgresStore::write`]); every read one `REPEATABLE READ` read-only transaction, so that
//!   a booking and its segments come from one snapshot. Where a write reads something and
//!   decides on it, it locks what it read first, so that two writers cannot both decide on the
//!   same old state: the flight row (`FOR SHARE` by purchases and prepares, so that a flight
//!   cancelled meanwhile sells nothing; `FOR UPDATE` by edits, the optimistic lock's check), the
//!   booking row (cancelling, deciding, appending to its history), and a transaction advisory
//!   lock on the commit protocol's transaction id (prepare, decide, status, resolve and release
//!   of one transaction run one at a time, as the records' state machine assumes). A deadlock or
//!   serialization failure PostgreSQL reports is not an answer: the write runs again from the
//!   start, at most [`WRITE_ATTEMPTS_MAX`] times.
//! - **The seat's primary key decides double sales**, as in SQLite: a second claim on a seat
//!   fails the constraint. In PostgreSQL it may first wait for the transaction holding the first
//!   claim to end; then it fails (`SeatUnavailable`) or, if that transaction rolled back,
//!   succeeds. When the store chose the seats (no seats asked for) and another purchase took
//!   one meanwhile, the whole write runs again and chooses among the seats still free.
//! - **The idempotency key inside the purchase's transaction.** Two retries of one purchase may
//!   arrive at once; with one writer the second saw the first's booking and replayed it. Here
//!   the purchase takes a transaction advisory lock on (customer, key) before it looks for an
//!   earlier booking: the second waits for the first to commit, then finds and replays it.
//! - **The change log's numbers in commit order.** A replica reads "every entry after N", and
//!   must never miss one: but a sequence hands out numbers when they are asked for, not when the
//!   transaction commits, so a later number can commit first; a replica that read up to it would
//!   never see the earlier one. So writes never number entries: they append the flight that
//!   changed to `catalog_changes`, concurrently, in their own transaction. A *sequencer pass*
//!   ([`sequencer`]) then moves every committed change into `catalog_log`, numbering them, under
//!   a transaction advisory lock: one pass at a time, across every node on the database, so
//!   numbers become visible in the order they were given. A write that logged a change returns
//!   only after a pass that began after its commit has committed, so that — as with SQLite —
//!   the head has moved past a write's changes when the write returns.
//! - **The head published once durable.** PostgreSQL answers a commit once its WAL is flushed
//!   (`synchronous_commit` on, the server's default, which the store does not change), so every
//!   number a replica can read is durable; the head is read from the database, and
//!   [`NetworkStore::log_head_changes`] follows this node's sequencer passes.
//! - **No group commit and no deferred writes.** PostgreSQL commits concurrent transactions
//!   together by itself, so the store does not batch; every write is durable when it returns,
//!   the ones SQLite defers included, and `sync` has nothing left to do.
//! - **No inline execution.** The deterministic simulation runs on SQLite
//!   ([`crate::execution::Execution::Inline`]): a database server is a real process on real
//!   time and sockets. The store is tested by the conformance suite and by real nodes instead.
//!
//! Caveats, for the next steps (several nodes of one airline on one database): the head's watch
//! follows this node's passes only; another node's commits reach it with its own next pass.

mod accounts;
mod bookings;
mod catalog;
mod codec;
mod commit;
mod network;
mod schema;
mod seats;
mod sequencer;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use futures_util::future::BoxFuture;
use jiff::Timestamp;
use passcom_core::commit::{Outcome, Prepare, Status, Vote};
use passcom_core::replication::Batch;
use passcom_core::{
    Airline, AirlineId, Airport, Booking, BookingReference, Flight, FlightId, Username,
};
use tokio::sync::watch;
use tokio_postgres::types::ToSql;
use tokio_postgres::{IsolationLevel, NoTls, Row};

use self::codec::{database_failure, internal, is_retryable};
use self::sequencer::Sequencer;
use super::rules::Owner;
use super::{
    AccountStore, Begun, CatalogStore, CommitStore, Coordination, Customer, CustomerId, DecidedBy,
    Decision, FlightPosition, FlightQuery, FlightRecord, InDoubt, NetworkStore, NewCustomer, Order,
    Page, PeerRecord, Purchased, Release, SalesStore, SeatMap, SegmentRecord, Session, StoreError,
    StoreResult, TxnId, TxnSummary,
};

/// Most times a write runs when PostgreSQL breaks a deadlock or a serialization failure by
/// aborting it, or the seats it chose were taken meanwhile.
pub const WRITE_ATTEMPTS_MAX: u32 = 16;

/// Tuning of the PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// Connections the node keeps to the server, at most.
    pub connections_max: usize,
    /// How long opening a connection may take before the server counts as unreachable.
    pub connect_timeout_ms: u64,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        Self { connections_max: 16, connect_timeout_ms: 5_000 }
    }
}

/// Why a PostgreSQL store did not open. Each says what to fix; none leaves anything written.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The URL is not a PostgreSQL connection string.
    #[error("storage.url is not a PostgreSQL URL (postgres://user@host:port/database): {0}")]
    BadUrl(String),
    /// The server did not answer, or refused the connection.
    #[error("cannot reach the PostgreSQL server: {0}")]
    Unreachable(String),
    /// The database was migrated by a newer binary.
    #[error(
        "the database's schema is at version {database}, newer than this binary's {binary}: \
         run a passcom at least as new as the one that migrated it (nothing was written)"
    )]
    SchemaNewer {
        /// The database's version.
        database: i64,
        /// The latest this binary knows.
        binary: i64,
    },
    /// A migration failed; it was rolled back.
    #[error("migration {version} failed (rolled back): {error}")]
    Migration {
        /// Which one.
        version: i64,
        /// What PostgreSQL said.
        error: tokio_postgres::Error,
    },
    /// The database failed otherwise.
    #[error("PostgreSQL failed while opening the store: {0}")]
    Database(#[from] tokio_postgres::Error),
    /// The store failed otherwise.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A node's store in one PostgreSQL database.
pub struct PostgresStore {
    owner: Owner,
    pool: Pool,
    sequencer: Arc<Sequencer>,
}

impl PostgresStore {
    /// Connects to the database at `url` for `owner`'s node and brings its schema up to date,
    /// one node at a time.
    pub async fn open(
        url: &str,
        owner: &Airline,
        options: &PostgresOptions,
    ) -> Result<Self, OpenError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|error: tokio_postgres::Error| OpenError::BadUrl(error.to_string()))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_millis(options.connect_timeout_ms));
        }
        config.application_name(format!("passcom {}", owner.id));
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let pool = Pool::builder(manager)
            .max_size(options.connections_max.max(1))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|error| OpenError::BadUrl(error.to_string()))?;
        let mut client =
            pool.get().await.map_err(|error| OpenError::Unreachable(error.to_string()))?;
        schema::migrate(&mut client).await?;
        drop(client);
        let sequencer = Arc::new(Sequencer::new(pool.clone()));
        // Number what a node that died between a write's commit and its pass left behind.
        sequencer.number_committed().await?;
        let owner = Owner { airline: owner.id.clone(), ticket_prefix: owner.ticket_prefix };
        Ok(Self { owner, pool, sequencer })
    }

    /// Runs `body` as one write transaction with `args`, again from the start when PostgreSQL
    /// aborts it for a deadlock or a serialization failure, or it asks to ([`Failure::Retry`]);
    /// numbers its change-log entries before returning.
    async fn write<A, R, F>(&self, args: A, body: F) -> StoreResult<R>
    where
        A: Send + Sync,
        R: Send,
        F: for<'t> Fn(&'t Db<'t>, &'t A) -> BoxFuture<'t, PgResult<R>> + Send + Sync,
    {
        for _ in 0..WRITE_ATTEMPTS_MAX {
            let mut client = self.pool.get().await.map_err(internal)?;
            let (result, logged, broken) = {
                let db = Db::new(client.transaction().await.map_err(internal)?);
                let result = body(&db, &args).await;
                let logged = db.logged.load(Ordering::Relaxed);
                match result {
                    Ok(value) => {
                        let committed = db.tx.commit().await.map(|()| value);
                        (committed.map_err(Failure::from), logged, false)
                    }
                    Err(failure) => (Err(failure), false, db.tx.rollback().await.is_err()),
                }
            };
            match broken {
                // A failed rollback leaves the connection's transaction open: close it.
                true => drop(deadpool_postgres::Object::take(client)),
                // Back to the pool before the sequencer's pass, which needs one: writers
                // holding theirs while they wait for it would leave it none.
                false => drop(client),
            }
            match result {
                Ok(value) => {
                    if logged && let Err(error) = self.sequencer.number_committed().await {
                        // The write stands; the next pass numbers its changes.
                        tracing::warn!(%error, "cannot number the change log after a write");
                    }
                    return Ok(value);
                }
                Err(Failure::Retry) => continue,
                Err(Failure::Store(error)) => return Err(error),
            }
        }
        Err(StoreError::Internal(format!(
            "a write lost {WRITE_ATTEMPTS_MAX} races in a row to concurrent writes"
        )))
    }

    /// Runs `body` in one read-only snapshot.
    async fn read<A, R, F>(&self, args: A, body: F) -> StoreResult<R>
    where
        A: Send + Sync,
        R: Send,
        F: for<'t> Fn(&'t Db<'t>, &'t A) -> BoxFuture<'t, PgResult<R>> + Send + Sync,
    {
        let mut client = self.pool.get().await.map_err(internal)?;
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(internal)?;
        let db = Db::new(tx);
        let result = body(&db, &args).await;
        db.tx.commit().await.map_err(internal)?;
        result.map_err(Failure::into_store)
    }
}

/// Why a step of a transaction stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// What the store answers.
    Store(StoreError),
    /// The transaction lost a race it may win from the start: run it again.
    Retry,
}

impl Failure {
    fn into_store(self) -> StoreError {
        match self {
            Failure::Store(error) => error,
            Failure::Retry => StoreError::Internal("a read lost a race".into()),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Failure::Store(error)
    }
}

impl From<tokio_postgres::Error> for Failure {
    fn from(error: tokio_postgres::Error) -> Self {
        match is_retryable(&error) {
            true => Failure::Retry,
            false => Failure::Store(database_failure(&error)),
        }
    }
}

/// Results inside a transaction.
pub(crate) type PgResult<T> = Result<T, Failure>;

/// Parameters of a statement.
pub(crate) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// One transaction, with its statements prepared once per connection.
pub(crate) struct Db<'a> {
    tx: deadpool_postgres::Transaction<'a>,
    /// Whether it appended to the change log (and needs a sequencer pass once committed).
    logged: AtomicBool,
}

impl<'a> Db<'a> {
    fn new(tx: deadpool_postgres::Transaction<'a>) -> Self {
        Self { tx, logged: AtomicBool::new(false) }
    }

    /// Runs `sql`, returning how many rows it changed, or PostgreSQL's own error for the caller
    /// to classify (a unique violation is often an answer).
    pub(crate) async fn try_execute(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<u64, tokio_postgres::Error> {
        let statement = self.tx.prepare_cached(sql).await?;
        self.tx.execute(&statement, params).await
    }

    /// The one row of `sql`, or PostgreSQL's own error for the caller to classify.
    pub(crate) async fn try_one(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Row, tokio_postgres::Error> {
        let statement = self.tx.prepare_cached(sql).await?;
        self.tx.query_one(&statement, params).await
    }

    /// Runs `sql`, returning how many rows it changed.
    pub(crate) async fn execute(&self, sql: &str, params: Params<'_>) -> PgResult<u64> {
        Ok(self.try_execute(sql, params).await?)
    }

    /// Every row of `sql`.
    pub(crate) async fn rows(&self, sql: &str, params: Params<'_>) -> PgResult<Vec<Row>> {
        let statement = self.tx.prepare_cached(sql).await?;
        Ok(self.tx.query(&statement, params).await?)
    }

    /// The row of `sql`, if any.
    pub(crate) async fn optional(&self, sql: &str, params: Params<'_>) -> PgResult<Option<Row>> {
        let statement = self.tx.prepare_cached(sql).await?;
        Ok(self.tx.query_opt(&statement, params).await?)
    }

    /// The one row of `sql`.
    pub(crate) async fn one(&self, sql: &str, params: Params<'_>) -> PgResult<Row> {
        let statement = self.tx.prepare_cached(sql).await?;
        Ok(self.tx.query_one(&statement, params).await?)
    }

    /// Runs `sql`, a batch of statements without parameters (savepoints).
    pub(crate) async fn batch(&self, sql: &str) -> PgResult<()> {
        Ok(self.tx.batch_execute(sql).await?)
    }

    /// Notes that this transaction appended to the change log.
    pub(crate) fn note_logged(&self) {
        self.logged.store(true, Ordering::Relaxed);
    }

    /// Holds a transaction advisory lock on `key` until this transaction ends.
    pub(crate) async fn lock(&self, key: i64) -> PgResult<()> {
        self.execute("SELECT pg_advisory_xact_lock($1)", &[&key]).await.map(drop)
    }
}

/// An advisory lock key for `parts` within `space`: the first eight bytes of their SHA-256.
/// Two different keys may collide; then two unrelated writes wait for each other once, which
/// is harmless.
pub(crate) fn lock_key(space: &str, parts: &[&[u8]]) -> i64 {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(space.as_bytes());
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    let digest = hash.finalize();
    i64::from_be_bytes(digest[..8].try_into().expect("a SHA-256 has eight bytes"))
}

/// Boxes a transaction step for [`PostgresStore::write`] and [`PostgresStore::read`].
fn boxed<'t, R>(
    future: impl std::future::Future<Output = PgResult<R>> + Send + 't,
) -> BoxFuture<'t, PgResult<R>> {
    Box::pin(future)
}

#[async_trait]
impl CatalogStore for PostgresStore {
    async fn put_airports(&self, airports: Vec<Airport>) -> StoreResult<()> {
        self.write(airports, |db, airports| boxed(catalog::put_airports(db, airports))).await
    }

    async fn airports(&self) -> StoreResult<Vec<Airport>> {
        self.read((), |db, ()| boxed(catalog::airports(db))).await
    }

    async fn put_airline(&self, airline: Airline) -> StoreResult<()> {
        self.write(airline, |db, airline| boxed(catalog::put_airline(db, airline))).await
    }

    async fn airlines(&self) -> StoreResult<Vec<Airline>> {
        self.read((), |db, ()| boxed(catalog::airlines(db))).await
    }

    async fn add_missing_flights(&self, flights: Vec<Flight>) -> StoreResult<usize> {
        self.write(flights, |db, flights| boxed(catalog::add_missing_flights(db, flights))).await
    }

    async fn create_flight(&self, flight: Flight) -> StoreResult<FlightRecord> {
        self.write(flight, |db, flight| boxed(catalog::create_flight(db, flight))).await
    }

    async fn update_flight(
        &self,
        flight: Flight,
        expected_version: u64,
    ) -> StoreResult<FlightRecord> {
        self.write((flight, expected_version), |db, (flight, expected)| {
            boxed(catalog::update_flight(db, flight, *expected))
        })
        .await
    }

    async fn cancel_flight(
        &self,
        id: FlightId,
        expected_version: Option<u64>,
        at: Timestamp,
    ) -> StoreResult<FlightRecord> {
        let owner = self.owner.airline.clone();
        self.write((owner, id, expected_version, at), |db, (owner, id, expected, at)| {
            boxed(async move {
                let cancelled = catalog::cancel_flight(db, *id, *expected).await?;
                bookings::mark_flight_cancelled(db, owner, *id, *at).await?;
                Ok(cancelled)
            })
        })
        .await
    }

    async fn flight(&self, id: FlightId) -> StoreResult<Option<FlightRecord>> {
        self.read(id, |db, id| boxed(catalog::flight(db, *id))).await
    }

    async fn flights_by_id(&self, ids: Vec<FlightId>) -> StoreResult<Vec<FlightRecord>> {
        self.read(ids, |db, ids| boxed(catalog::flights_by_id(db, ids))).await
    }

    async fn flights(&self, query: FlightQuery) -> StoreResult<Page<FlightRecord, FlightPosition>> {
        self.read(query, |db, query| boxed(catalog::flights(db, query))).await
    }

    async fn seat_map(&self, id: FlightId) -> StoreResult<Option<SeatMap>> {
        self.read(id, |db, id| boxed(catalog::seat_map(db, *id))).await
    }
}

#[async_trait]
impl AccountStore for PostgresStore {
    async fn create_customer(&self, customer: NewCustomer) -> StoreResult<Customer> {
        self.write(customer, |db, customer| boxed(accounts::create(db, customer))).await
    }

    async fn credentials(&self, username: Username) -> StoreResult<Option<(Customer, String)>> {
        self.read(username, |db, username| boxed(accounts::credentials(db, username))).await
    }

    async fn create_session(
        &self,
        token_hash: [u8; 32],
        customer: CustomerId,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.write((token_hash, customer, at), |db, (token_hash, customer, at)| {
            boxed(accounts::create_session(db, token_hash, *customer, *at))
        })
        .await
    }

    async fn session(&self, token_hash: [u8; 32]) -> StoreResult<Option<Session>> {
        self.read(token_hash, |db, token_hash| boxed(accounts::session(db, token_hash))).await
    }

    async fn touch_session(&self, token_hash: [u8; 32], at: Timestamp) -> StoreResult<()> {
        self.write((token_hash, at), |db, (token_hash, at)| {
            boxed(accounts::touch_session(db, token_hash, *at))
        })
        .await
    }

    async fn delete_session(&self, token_hash: [u8; 32]) -> StoreResult<()> {
        self.write(token_hash, |db, token_hash| boxed(accounts::delete_session(db, token_hash)))
            .await
    }

    async fn delete_idle_sessions(&self, idle_since: Timestamp) -> StoreResult<usize> {
        self.write(idle_since, |db, idle_since| {
            boxed(accounts::delete_idle_sessions(db, *idle_since))
        })
        .await
    }
}

#[async_trait]
impl SalesStore for PostgresStore {
    async fn purchase(&self, order: Order) -> StoreResult<Purchased> {
        self.write((self.owner.clone(), order), |db, (owner, order)| {
            boxed(bookings::purchase(db, owner, order))
        })
        .await
    }

    async fn booking_by_idempotency_key(
        &self,
        customer: CustomerId,
        key: String,
    ) -> StoreResult<Option<(Booking, [u8; 32])>> {
        self.read((customer, key), |db, (customer, key)| {
            boxed(async move {
                let Some((id, digest)) =
                    bookings::find_by_idempotency_key(db, *customer, key).await?
                else {
                    return Ok(None);
                };
                Ok(Some((bookings::load(db, id).await?, digest)))
            })
        })
        .await
    }

    async fn booking(
        &self,
        customer: CustomerId,
        reference: BookingReference,
    ) -> StoreResult<Option<Booking>> {
        self.read((customer, reference), |db, (customer, reference)| {
            boxed(async move {
                match bookings::find(db, *customer, *reference).await? {
                    Some(id) => Ok(Some(bookings::load(db, id).await?)),
                    None => Ok(None),
                }
            })
        })
        .await
    }

    async fn bookings(
        &self,
        customer: CustomerId,
        after: Option<i64>,
        limit: usize,
    ) -> StoreResult<Page<Booking, i64>> {
        self.read((customer, after, limit), |db, (customer, after, limit)| {
            boxed(bookings::list(db, *customer, *after, *limit))
        })
        .await
    }

    async fn cancel_booking(
        &self,
        customer: CustomerId,
        reference: BookingReference,
        at: Timestamp,
    ) -> StoreResult<Booking> {
        self.write(
            (self.owner.clone(), customer, reference, at),
            |db, (owner, customer, reference, at)| {
                boxed(bookings::cancel(db, owner, *customer, *reference, *at))
            },
        )
        .await
    }

    async fn flight_segments(&self, flight: FlightId) -> StoreResult<Vec<SegmentRecord>> {
        self.read(flight, |db, flight| boxed(commit::segments(db, *flight))).await
    }

    async fn sync(&self) -> StoreResult<()> {
        // Every write was durable when it returned: PostgreSQL flushed its WAL at commit.
        Ok(())
    }
}

#[async_trait]
impl NetworkStore for PostgresStore {
    async fn log_own_flights(&self, after: Timestamp) -> StoreResult<usize> {
        self.write((self.owner.airline.clone(), after), |db, (owner, after)| {
            boxed(network::log_own_flights(db, owner, *after))
        })
        .await
    }

    async fn log_head(&self) -> StoreResult<u64> {
        self.read((), |db, ()| boxed(network::log_head(db))).await
    }

    fn log_head_changes(&self) -> watch::Receiver<u64> {
        self.sequencer.head_changes()
    }

    async fn log_batch(&self, after: u64, limit: u64) -> StoreResult<Batch> {
        self.read((self.owner.airline.clone(), after, limit), |db, (owner, after, limit)| {
            boxed(network::log_batch(db, owner, *after, *limit))
        })
        .await
    }

    async fn prune_log(&self, keep: u64) -> StoreResult<usize> {
        self.write(keep, |db, keep| boxed(network::prune_log(db, *keep))).await
    }

    async fn apply_replica(
        &self,
        owner: AirlineId,
        batch: Batch,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.write(
            (self.owner.airline.clone(), owner, batch, at),
            |db, (this_airline, owner, batch, at)| {
                boxed(network::apply_replica(db, this_airline, owner, batch, *at))
            },
        )
        .await
    }

    async fn replica_positions(&self) -> StoreResult<BTreeMap<AirlineId, u64>> {
        self.read((), |db, ()| boxed(network::replica_positions(db))).await
    }

    async fn peers(&self) -> StoreResult<Vec<PeerRecord>> {
        self.read((), |db, ()| boxed(network::peers(db))).await
    }

    async fn put_peer(&self, peer: PeerRecord, at: Timestamp) -> StoreResult<()> {
        self.write((peer, at), |db, (peer, at)| boxed(network::put_peer(db, peer, *at))).await
    }
}

#[async_trait]
impl CommitStore for PostgresStore {
    async fn begin_purchase(
        &self,
        order: Order,
        participants: Vec<AirlineId>,
    ) -> StoreResult<Begun> {
        self.write((self.owner.clone(), order, participants), |db, (owner, order, participants)| {
            boxed(commit::begin(db, owner, order, participants))
        })
        .await
    }

    async fn record_decision(
        &self,
        txn: TxnId,
        decision: Decision,
        tell: Vec<AirlineId>,
        at: Timestamp,
    ) -> StoreResult<Booking> {
        self.write(
            (self.owner.clone(), txn, decision, tell, at),
            |db, (owner, txn, decision, tell, at)| {
                boxed(commit::record_decision(db, owner, txn, decision, tell, *at))
            },
        )
        .await
    }

    async fn acknowledge(&self, participant: AirlineId, txns: Vec<TxnId>) -> StoreResult<()> {
        self.write((participant, txns), |db, (participant, txns)| {
            boxed(async move {
                for txn in txns {
                    commit::acknowledge(db, txn, participant).await?;
                }
                Ok(())
            })
        })
        .await
    }

    async fn unfinished_coordinations(&self) -> StoreResult<Vec<Coordination>> {
        self.read((), |db, ()| boxed(commit::unfinished(db))).await
    }

    async fn prepare(&self, prepare: Prepare, at: Timestamp) -> StoreResult<Vote> {
        self.write((self.owner.clone(), prepare, at), |db, (owner, prepare, at)| {
            boxed(commit::prepare(db, owner, prepare, *at, commit::Announce::Now))
        })
        .await
    }

    async fn decide(
        &self,
        txn: TxnId,
        outcome: Outcome,
        by: DecidedBy,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.write((txn, outcome, by, at), |db, (txn, outcome, by, at)| {
            boxed(commit::decide(db, txn, *outcome, by, *at))
        })
        .await
    }

    async fn txn_status(&self, txn: TxnId, at: Timestamp) -> StoreResult<Status> {
        self.write((txn, at), |db, (txn, at)| boxed(commit::status(db, txn, *at))).await
    }

    async fn in_doubt(&self) -> StoreResult<Vec<InDoubt>> {
        self.read((), |db, ()| boxed(commit::in_doubt(db))).await
    }

    async fn txn_summaries(&self) -> StoreResult<Vec<TxnSummary>> {
        self.read((), |db, ()| boxed(commit::summaries(db))).await
    }

    async fn resolve_txn(&self, txn: TxnId, outcome: Outcome, at: Timestamp) -> StoreResult<()> {
        self.write((txn, outcome, at), |db, (txn, outcome, at)| {
            boxed(commit::resolve(db, txn, *outcome, *at))
        })
        .await
    }

    async fn pending_releases(&self) -> StoreResult<Vec<Release>> {
        self.read((), |db, ()| boxed(commit::pending_releases(db))).await
    }

    async fn released(&self, txn: TxnId, airline: AirlineId, at: Timestamp) -> StoreResult<()> {
        self.write((txn, airline, at), |db, (txn, airline, at)| {
            boxed(commit::released(db, txn, airline, *at))
        })
        .await
    }

    async fn release_for(&self, txn: TxnId, seller: AirlineId) -> StoreResult<()> {
        self.write((txn, seller), |db, (txn, seller)| boxed(commit::release_for(db, txn, seller)))
            .await
    }
}
