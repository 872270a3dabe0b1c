//! The database schema and its migrations.
//!
//! Migrations are numbered by their place in [`MIGRATIONS`]; `PRAGMA user_version` records how
//! many have run. A node opening a database runs the ones it has not, each in its own
//! transaction, so an interrupted upgrade resumes where it stopped. Migrations are only ever
//! appended, never edited.

use rusqlite::Connection;

use super::SqliteOptions;
use crate::execution::Execution;

/// Every migration, in order.
const MIGRATIONS: &[&str] = &[
    // 1: the one-airline node.
    r#"
    CREATE TABLE airports (
        code      TEXT PRIMARY KEY,
        name      TEXT NOT NULL,
        city      TEXT NOT NULL,
        state     TEXT NOT NULL,
        country   TEXT NOT NULL,
        latitude  REAL NOT NULL,
        longitude REAL NOT NULL,
        time_zone TEXT NOT NULL
    ) STRICT;

    CREATE TABLE airlines (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        designator    TEXT NOT NULL UNIQUE,
        colour        TEXT NOT NULL,
        ticket_prefix INTEGER NOT NULL
    ) STRICT;

    -- Times are Unix milliseconds (UTC); local_date is the departure's date at the origin.
    CREATE TABLE flights (
        id            TEXT PRIMARY KEY,
        airline       TEXT NOT NULL,
        local_date    TEXT NOT NULL,
        origin        TEXT NOT NULL REFERENCES airports(code),
        destination   TEXT NOT NULL REFERENCES airports(code),
        departure     INTEGER NOT NULL,
        arrival       INTEGER NOT NULL,
        cabin_rows    INTEGER NOT NULL,
        cabin_letters TEXT NOT NULL,
        price         INTEGER NOT NULL CHECK (price > 0),
        status        TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
        version       INTEGER NOT NULL,
        CHECK (arrival > departure),
        CHECK (origin <> destination)
    ) STRICT;
    CREATE INDEX flights_by_departure ON flights (departure, id);
    CREATE INDEX flights_by_origin_date ON flights (origin, local_date);

    -- A row exists only while a seat is held or sold: no row, free seat. The primary key is
    -- what makes a second hold or sale of one seat impossible.
    CREATE TABLE seats (
        flight            TEXT NOT NULL REFERENCES flights(id),
        seat              TEXT NOT NULL,
        state             TEXT NOT NULL CHECK (state IN ('held', 'sold')),
        txn               TEXT NOT NULL,
        seller            TEXT NOT NULL,
        booking_reference TEXT,
        passenger         TEXT NOT NULL,
        ticket            TEXT NOT NULL UNIQUE,
        PRIMARY KEY (flight, seat),
        CHECK ((state = 'sold') = (booking_reference IS NOT NULL))
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX seats_by_txn ON seats (txn);

    CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE customers (
        id            INTEGER PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,
        name          TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at    INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE sessions (
        token_hash   BLOB PRIMARY KEY,
        customer     INTEGER NOT NULL REFERENCES customers(id),
        created_at   INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);

    CREATE TABLE bookings (
        id              INTEGER PRIMARY KEY,
        reference       TEXT NOT NULL UNIQUE,
        txn             TEXT NOT NULL,
        customer        INTEGER NOT NULL REFERENCES customers(id),
        status          TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled')),
        total_price     INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        idempotency_key TEXT,
        request_digest  BLOB
    ) STRICT;
    CREATE INDEX bookings_by_customer ON bookings (customer, id);
    CREATE UNIQUE INDEX bookings_by_idempotency_key ON bookings (customer, idempotency_key)
        WHERE idempotency_key IS NOT NULL;

    CREATE TABLE booking_passengers (
        booking  INTEGER NOT NULL REFERENCES bookings(id),
        position INTEGER NOT NULL,
        name     TEXT NOT NULL,
        PRIMARY KEY (booking, position)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE booking_segments (
        booking     INTEGER NOT NULL REFERENCES bookings(id),
        position    INTEGER NOT NULL,
        flight      TEXT NOT NULL,
        airline     TEXT NOT NULL,
        origin      TEXT NOT NULL,
        destination TEXT NOT NULL,
        departure   INTEGER NOT NULL,
        arrival     INTEGER NOT NULL,
        passenger   INTEGER NOT NULL,
        seat        TEXT NOT NULL,
        ticket      TEXT NOT NULL,
        price       INTEGER NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled', 'flight_cancelled')),
        PRIMARY KEY (booking, position)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE booking_history (
        booking  INTEGER NOT NULL REFERENCES bookings(id),
        position INTEGER NOT NULL,
        at       INTEGER NOT NULL,
        event    TEXT NOT NULL,
        detail   TEXT NOT NULL,
        PRIMARY KEY (booking, position)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 2: the network between airlines.
    r#"
    -- Every change to this airline's own flights, in order: which flight changed. Replication
    -- reads the flight as it is when it reads the entry. AUTOINCREMENT: numbers are never
    -- reused, even after old entries are pruned.
    CREATE TABLE catalog_log (
        seq    INTEGER PRIMARY KEY AUTOINCREMENT,
        flight TEXT NOT NULL
    ) STRICT;

    -- Replicated flights carry their owner's count of free seats; own flights count theirs.
    ALTER TABLE flights ADD COLUMN replica_seats_available INTEGER;
    CREATE INDEX flights_by_airline ON flights (airline);

    -- How far this node's copy of each other airline's catalog is.
    CREATE TABLE replica_positions (
        airline  TEXT PRIMARY KEY,
        position INTEGER NOT NULL
    ) STRICT;

    -- The airlines this node talks to: from its configuration and from `addconn`. A removed
    -- peer stays, marked, so that restarting with the same configuration does not bring it back.
    CREATE TABLE peers (
        airline    TEXT PRIMARY KEY,
        url        TEXT NOT NULL,
        public_key TEXT,
        removed    INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
    ) STRICT;
    "#,
    // 3: purchases across airlines (two-phase commit).
    r#"
    -- A failed purchase is its own status, with why. SQLite cannot change a CHECK constraint,
    -- so the table is rebuilt (foreign keys are off while migrations run; see `migrate`).
    CREATE TABLE bookings_v3 (
        id              INTEGER PRIMARY KEY,
        reference       TEXT NOT NULL UNIQUE,
        txn             TEXT NOT NULL,
        customer        INTEGER NOT NULL REFERENCES customers(id),
        status          TEXT NOT NULL
                        CHECK (status IN ('pending', 'confirmed', 'cancelled', 'failed')),
        total_price     INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        idempotency_key TEXT,
        request_digest  BLOB,
        failure         TEXT
    ) STRICT;
    INSERT INTO bookings_v3 (id, reference, txn, customer, status, total_price, created_at,
            idempotency_key, request_digest)
        SELECT id, reference, txn, customer, status, total_price, created_at, idempotency_key,
            request_digest
        FROM bookings;
    DROP TABLE bookings;
    ALTER TABLE bookings_v3 RENAME TO bookings;
    CREATE INDEX bookings_by_customer ON bookings (customer, id);
    CREATE UNIQUE INDEX bookings_by_idempotency_key ON bookings (customer, idempotency_key)
        WHERE idempotency_key IS NOT NULL;

    -- The seller's segments by flight: to mark them when another airline cancels the flight.
    CREATE INDEX booking_segments_by_flight ON booking_segments (flight);

    -- A seat's passenger by position in the order (names may repeat), to answer a repeated
    -- prepare with the very same vote.
    ALTER TABLE seats ADD COLUMN passenger_index INTEGER;

    -- The transactions this node coordinates (as the seller). `started` until decided; kept
    -- after, to answer participants that ask.
    CREATE TABLE coordinator_txns (
        txn        TEXT PRIMARY KEY,
        booking    INTEGER NOT NULL REFERENCES bookings(id),
        state      TEXT NOT NULL CHECK (state IN ('started', 'committed', 'aborted')),
        created_at INTEGER NOT NULL,
        decided_at INTEGER
    ) STRICT;
    CREATE INDEX coordinator_txns_by_state ON coordinator_txns (state);

    -- Who takes part in each, and whether it acknowledged the decision.
    CREATE TABLE coordinator_participants (
        txn          TEXT NOT NULL REFERENCES coordinator_txns(txn),
        airline      TEXT NOT NULL,
        acknowledged INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (txn, airline)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX coordinator_participants_waiting ON coordinator_participants (acknowledged, txn);

    -- The transactions this node takes part in (as an owner). No row for a no-vote: presumed
    -- abort; an `aborted` row for a transaction asked about or aborted before it was seen, so
    -- that a late prepare is refused.
    CREATE TABLE participant_txns (
        txn          TEXT PRIMARY KEY,
        coordinator  TEXT NOT NULL,
        participants TEXT NOT NULL,
        reference    TEXT,
        state        TEXT NOT NULL CHECK (state IN ('prepared', 'committed', 'aborted')),
        prepared_at  INTEGER,
        decided_at   INTEGER,
        decided_by   TEXT
    ) STRICT;
    CREATE INDEX participant_txns_by_state ON participant_txns (state);

    -- Seats a cancelled booking still holds at other airlines, to be released there.
    CREATE TABLE releases (
        txn          TEXT NOT NULL,
        airline      TEXT NOT NULL,
        booking      INTEGER NOT NULL REFERENCES bookings(id),
        requested_at INTEGER NOT NULL,
        PRIMARY KEY (txn, airline)
    ) STRICT, WITHOUT ROWID;

    -- What operators did by hand.
    CREATE TABLE audit (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    ) STRICT;
    "#,
    // 4: CHECKs of a status that cost no temporary table.
    r#"
    -- SQLite evaluates `x IN ('a', 'b', 'c')` — three values or more — through a temporary
    -- b-tree it builds for every row written and drops after: a pager and page cache of its
    -- own each time: about 2,800 a second at each node under the two-airline load.
    -- Comparisons in turn cost nothing of the kind. SQLite cannot change a CHECK constraint, so
    -- the four tables whose status has three values or more are rebuilt, their indexes with
    -- them (foreign keys are off while migrations run; see `migrate`).
    CREATE TABLE bookings_v4 (
        id              INTEGER PRIMARY KEY,
        reference       TEXT NOT NULL UNIQUE,
        txn             TEXT NOT NULL,
        customer        INTEGER NOT NULL REFERENCES customers(id),
        status          TEXT NOT NULL CHECK (status = 'pending' OR status = 'confirmed'
                            OR status = 'cancelled' OR status = 'failed'),
        total_price     INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        idempotency_key TEXT,
        request_digest  BLOB,
        failure         TEXT
    ) STRICT;
    INSERT INTO bookings_v4 (id, reference, txn, customer, status, total_price, created_at,
            idempotency_key, request_digest, failure)
        SELECT id, reference, txn, customer, status, total_price, created_at, idempotency_key,
            request_digest, failure
        FROM bookings;
    DROP TABLE bookings;
    ALTER TABLE bookings_v4 RENAME TO bookings;
    CREATE INDEX bookings_by_customer ON bookings (customer, id);
    CREATE UNIQUE INDEX bookings_by_idempotency_key ON bookings (customer, idempotency_key)
        WHERE idempotency_key IS NOT NULL;

    CREATE TABLE booking_segments_v4 (
        booking     INTEGER NOT NULL REFERENCES bookings(id),
        position    INTEGER NOT NULL,
        flight      TEXT NOT NULL,
        airline     TEXT NOT NULL,
        origin      TEXT NOT NULL,
        destination TEXT NOT NULL,
        departure   INTEGER NOT NULL,
        arrival     INTEGER NOT NULL,
        passenger   INTEGER NOT NULL,
        seat        TEXT NOT NULL,
        ticket      TEXT NOT NULL,
        price       INTEGER NOT NULL,
        status      TEXT NOT NULL CHECK (status = 'confirmed' OR status = 'cancelled'
                        OR status = 'flight_cancelled'),
        PRIMARY KEY (booking, position)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO booking_segments_v4 (booking, position, flight, airline, origin, destination,
            departure, arrival, passenger, seat, ticket, price, status)
        SELECT booking, position, flight, airline, origin, destination, departure, arrival,
            passenger, seat, ticket, price, status
        FROM booking_segments;
    DROP TABLE booking_segments;
    ALTER TABLE booking_segments_v4 RENAME TO booking_segments;
    CREATE INDEX booking_segments_by_flight ON booking_segments (flight);

    CREATE TABLE coordinator_txns_v4 (
        txn        TEXT PRIMARY KEY,
        booking    INTEGER NOT NULL REFERENCES bookings(id),
        state      TEXT NOT NULL CHECK (state = 'started' OR state = 'committed'
                       OR state = 'aborted'),
        created_at INTEGER NOT NULL,
        decided_at INTEGER
    ) STRICT;
    INSERT INTO coordinator_txns_v4 (txn, booking, state, created_at, decided_at)
        SELECT txn, booking, state, created_at, decided_at FROM coordinator_txns;
    DROP TABLE coordinator_txns;
    ALTER TABLE coordinator_txns_v4 RENAME TO coordinator_txns;
    CREATE INDEX coordinator_txns_by_state ON coordinator_txns (state);

    CREATE TABLE participant_txns_v4 (
        txn          TEXT PRIMARY KEY,
        coordinator  TEXT NOT NULL,
        participants TEXT NOT NULL,
        reference    TEXT,
        state        TEXT NOT NULL CHECK (state = 'prepared' OR state = 'committed'
                         OR state = 'aborted'),
        prepared_at  INTEGER,
        decided_at   INTEGER,
        decided_by   TEXT
    ) STRICT;
    INSERT INTO participant_txns_v4 (txn, coordinator, participants, reference, state,
            prepared_at, decided_at, decided_by)
        SELECT txn, coordinator, participants, reference, state, prepared_at, decided_at,
            decided_by
        FROM participant_txns;
    DROP TABLE participant_txns;
    ALTER TABLE participant_txns_v4 RENAME TO participant_txns;
    CREATE INDEX participant_txns_by_state ON participant_txns (state);
    "#,
];

/// How any connection compiles and keeps its statements.
///
/// Every statement of the store is prepared once per connection and kept in rusqlite's cache
/// (`prepare_cached`). That cache keeps 16 statements by default, fewer than a purchase and the
/// writes around it use: under the two-airline load the writer was evicting and compiling
/// statements again on almost every write (SQLite's parser was a tenth of its profile). The
/// cache holds [`STATEMENTS_CACHED_MAX`], more than the store has.
///
/// The bundled SQLite is built with STAT4, under which the planner may look at a bound value
/// and mark the statement to be compiled again whenever that binding changes. Our statements
/// are cached and run with new values every time, so they were being recompiled on nearly every
/// step (profiling showed it as the writer's largest single cost). With the query planner
/// stability guarantee (QPSG) a statement keeps the plan it was prepared with, which for these
/// indexed point lookups is always the right one.
pub(crate) fn configure_statements(connection: &Connection) -> rusqlite::Result<()> {
    connection.set_prepared_statement_cache_capacity(STATEMENTS_CACHED_MAX);
    connection.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// Statements a connection keeps compiled: above the number the store has (about 70).
const STATEMENTS_CACHED_MAX: usize = 256;

/// Database page size. A purchase touches a few pages at random (the seat's leaf, picked by
/// flight; the booking reference's leaf) and every page it dirties is written whole to the WAL
/// at commit. With 1 KiB pages instead of SQLite's default 4 KiB the purchase benchmark ran
/// about 15% faster (two interleaved runs each: 5,869 and 6,002 against 5,428 and 4,903
/// purchases/s).
pub(crate) const PAGE_BYTES: i64 = 1024;

/// Size the WAL file is truncated back to after a checkpoint resets it.
const WAL_BYTES_KEPT_MAX: i64 = 128 * 1024 * 1024;

/// WAL pages after which an inline store's commit checkpoints (SQLite's default).
const INLINE_CHECKPOINT_PAGES: i64 = 1000;

/// Page cache of the writer connection, KiB.
const WRITER_CACHE_KIB: i64 = 64 * 1024;

/// Brings the database up to the latest schema.
///
/// Foreign keys are off while migrations run, so that a migration can rebuild a table others
/// refer to (SQLite's documented procedure for changes `ALTER TABLE` cannot make); each
/// migration checks them before it commits instead.
pub(crate) fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let applied: usize = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if applied >= MIGRATIONS.len() {
        return Ok(());
    }
    let enforced: bool = connection.pragma_query_value(None, "foreign_keys", |row| row.get(0))?;
    connection.pragma_update(None, "foreign_keys", false)?;
    let migrated = run_migrations(connection, applied);
    connection.pragma_update(None, "foreign_keys", enforced)?;
    migrated
}

fn run_migrations(connection: &mut Connection, applied: usize) -> rusqlite::Result<()> {
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(applied) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration)?;
        let violations: i64 =
            transaction
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| row.get(0))?;
        if violations > 0 {
            let constraint = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY);
            let message =
                format!("migration {} leaves {violations} broken foreign keys", index + 1);
            return Err(rusqlite::Error::SqliteFailure(constraint, Some(message)));
        }
        transaction.pragma_update(None, "user_version", index + 1)?;
        transaction.commit()?;
    }
    Ok(())
}

/// The pragmas of the read-write connection: small pages (see [`PAGE_BYTES`]), WAL so that
/// readers never block the writer, and `synchronous=NORMAL`: a commit writes the log without
/// an fsync, and the writer's syncer fsyncs it before a forced write is answered (see
/// `writer`), so that such a write survives power loss, not only a crash.
///
/// Every write runs in a savepoint inside its batch's transaction, and SQLite keeps what a
/// savepoint may have to undo in a sub-journal — by default a temporary *file*, written page by
/// page. Profiling showed that file costing a sixth of the writer's time; in memory it costs a
/// copy. The page cache is raised so that a large batch's dirty pages are not spilled to the
/// WAL before its commit.
///
/// Checkpoints: the checkpointer thread copies the WAL into the database, so that no write
/// waits behind that. But the log starts over only when a checkpoint has caught up with its
/// last commit, which one running beside a busy writer never does: under a steady load the WAL
/// grew without end, each commit appending new blocks. So the writer's own automatic
/// checkpoint is on too, past `log_pages_max` pages (64 MiB by default): it copies what the
/// checkpointer has not yet, and the next write starts the log over. Inline, with no
/// checkpointer, SQLite's default applies.
pub(crate) fn configure_writer(
    connection: &Connection,
    options: &SqliteOptions,
) -> rusqlite::Result<()> {
    configure_statements(connection)?;
    // Set before the first table exists; a no-op on an existing database.
    connection.pragma_update(None, "page_size", PAGE_BYTES)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    // Commits never fsync inside SQLite: the writer's syncer does, off the write lock (see
    // `writer`). The log stays consistent either way; durability is the syncer's.
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "temp_store", "MEMORY")?;
    connection.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
    let autocheckpoint = match options.execution {
        Execution::Threads => i64::from(options.log_pages_max),
        Execution::Inline => INLINE_CHECKPOINT_PAGES,
    };
    connection.pragma_update(None, "wal_autocheckpoint", autocheckpoint)?;
    connection.pragma_update(None, "journal_size_limit", WAL_BYTES_KEPT_MAX)?;
    connection.pragma_update(None, "foreign_keys", true)?;
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The opcodes SQLite would run for `sql`.
    fn opcodes(connection: &Connection, sql: &str) -> Vec<String> {
        let mut explain = connection.prepare(&format!("EXPLAIN {sql}")).unwrap();
        let mut rows = explain.raw_query();
        let mut opcodes = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            opcodes.push(row.get::<_, String>(1).unwrap());
        }
        opcodes
    }

    #[test]
    fn writing_a_status_builds_no_temporary_table() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection).unwrap();
        for sql in [
            "UPDATE bookings SET status = ?2 WHERE id = ?1",
            "UPDATE booking_segments SET status = ?2 WHERE booking = ?1",
            "UPDATE coordinator_txns SET state = ?2 WHERE txn = ?1",
            "UPDATE participant_txns SET state = ?2 WHERE txn = ?1",
            "UPDATE seats SET state = ?2 WHERE txn = ?1",
            "UPDATE flights SET status = ?2 WHERE id = ?1",
            "INSERT INTO counters (name, value) VALUES ('ticket_serial', ?1)
             ON CONFLICT (name) DO UPDATE SET value = value + ?1",
        ] {
            assert!(!opcodes(&connection, sql).iter().any(|op| op == "OpenEphemeral"), "{sql}");
        }
    }

    #[test]
    fn migration_4_keeps_every_row_and_every_status_check() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection.pragma_update(None, "foreign_keys", false).unwrap();
        run_migrations_up_to(&mut connection, 3);
        connection
            .execute_batch(
                "INSERT INTO customers VALUES (1, 'ana', 'Ana', 'hash', 0);
                 INSERT INTO bookings (id, reference, txn, customer, status, total_price,
                     created_at, failure) VALUES (7, 'K7M2QX', 't1', 1, 'failed', 100, 0, 'no');
                 INSERT INTO booking_segments VALUES
                     (7, 0, 'GI1001-2026-12-01', 'giro', 'RBR', 'MCZ', 0, 1, 0, '1A', 'T1', 100,
                      'cancelled');
                 INSERT INTO coordinator_txns VALUES ('t1', 7, 'aborted', 0, 1);
                 INSERT INTO participant_txns VALUES ('t2', 'boreal', 'giro', 'ABCDEF',
                     'prepared', 0, NULL, NULL);",
            )
            .unwrap();
        migrate(&mut connection).unwrap();

        let row = |sql: &str| connection.query_row(sql, [], |row| row.get::<_, String>(0)).unwrap();
        assert_eq!(row("SELECT reference || status || failure FROM bookings"), "K7M2QXfailedno");
        assert_eq!(row("SELECT seat || status FROM booking_segments"), "1Acancelled");
        assert_eq!(row("SELECT txn || state FROM coordinator_txns"), "t1aborted");
        assert_eq!(row("SELECT txn || state FROM participant_txns"), "t2prepared");
        for wrong in [
            "UPDATE bookings SET status = 'lost'",
            "UPDATE booking_segments SET status = 'lost'",
            "UPDATE coordinator_txns SET state = 'lost'",
            "UPDATE participant_txns SET state = 'lost'",
        ] {
            assert!(connection.execute(wrong, []).is_err(), "{wrong} is refused");
        }
    }

    /// Runs the first `count` migrations only: a database as an older node left it.
    fn run_migrations_up_to(connection: &mut Connection, count: usize) {
        for migration in &MIGRATIONS[..count] {
            connection.execute_batch(migration).unwrap();
        }
        connection.pragma_update(None, "user_version", count).unwrap();
    }
}
