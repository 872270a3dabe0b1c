//! The PostgreSQL schema and its migrations.
//!
//! The same model as SQLite's schema (`store::sqlite::schema`), in PostgreSQL's types:
//! `timestamptz` instants, `boolean` flags, `bytea` digests, identity columns, and a sequence
//! for ticket serials. Two tables differ in shape because PostgreSQL commits concurrently (see
//! the module doc of [`super`]): `catalog_changes`, where writes note which own flight changed,
//! and `catalog_log`, which only the sequencer numbers.
//!
//! Text is compared byte by byte (`COLLATE "C"`), as SQLite compares it, whatever the
//! database's locale: listings come in the same order from both stores, and the keys' indexes
//! need no locale to compare.
//!
//! Migrations are numbered by their place in [`MIGRATIONS`]; `schema_migrations` records each
//! one applied. Several nodes of one airline may start at once against one database, so the
//! whole check-and-migrate runs under a session-level advisory lock ([`MIGRATION_LOCK`]): one
//! node migrates, the others wait and then find nothing to do. A database whose schema is newer
//! than this binary knows is refused before anything is written. Migrations are only ever
//! appended, never edited.

use deadpool_postgres::Object;

use super::OpenError;

/// Key of the advisory lock held while the schema is checked and migrated ("PassCom schema").
pub(crate) const MIGRATION_LOCK: i64 = 0x5041_5353_434f_4d31;

/// Every migration, in order.
const MIGRATIONS: &[&str] = &[
    // 1: the one-airline node, the network between airlines and purchases across them: the
    // SQLite schema's four migrations as they stand.
    r#"
    CREATE TABLE airports (
        code      text COLLATE "C" PRIMARY KEY,
        name      text COLLATE "C" NOT NULL,
        city      text COLLATE "C" NOT NULL,
        state     text COLLATE "C" NOT NULL,
        country   text COLLATE "C" NOT NULL,
        latitude  double precision NOT NULL,
        longitude double precision NOT NULL,
        time_zone text COLLATE "C" NOT NULL
    );

    CREATE TABLE airlines (
        id            text COLLATE "C" PRIMARY KEY,
        name          text COLLATE "C" NOT NULL,
        designator    text COLLATE "C" NOT NULL UNIQUE,
        colour        text COLLATE "C" NOT NULL,
        ticket_prefix integer NOT NULL
    );

    -- local_date is the departure's date at the origin. Replicated flights carry their owner's
    -- count of free seats (replica_seats_available); own flights count theirs.
    CREATE TABLE flights (
        id                      text COLLATE "C" PRIMARY KEY,
        airline                 text COLLATE "C" NOT NULL,
        local_date              date NOT NULL,
        origin                  text COLLATE "C" NOT NULL REFERENCES airports(code),
        destination             text COLLATE "C" NOT NULL REFERENCES airports(code),
        departure               timestamptz NOT NULL,
        arrival                 timestamptz NOT NULL,
        cabin_rows              integer NOT NULL,
        cabin_letters           text COLLATE "C" NOT NULL,
        price                   bigint NOT NULL CHECK (price > 0),
        status                  text COLLATE "C" NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
        version                 bigint NOT NULL,
        replica_seats_available bigint,
        CHECK (arrival > departure),
        CHECK (origin <> destination)
    );
    CREATE INDEX flights_by_departure ON flights (departure, id);
    CREATE INDEX flights_by_origin_date ON flights (origin, local_date);
    CREATE INDEX flights_by_airline ON flights (airline);

    -- A row exists only while a seat is held or sold: no row, free seat. The primary key is
    -- what makes a second hold or sale of one seat impossible.
    CREATE TABLE seats (
        flight            text COLLATE "C" NOT NULL REFERENCES flights(id),
        seat              text COLLATE "C" NOT NULL,
        state             text COLLATE "C" NOT NULL CHECK (state IN ('held', 'sold')),
        txn               text COLLATE "C" NOT NULL,
        seller            text COLLATE "C" NOT NULL,
        booking_reference text COLLATE "C",
        passenger         text COLLATE "C" NOT NULL,
        passenger_index   integer NOT NULL,
        ticket            text COLLATE "C" NOT NULL UNIQUE,
        PRIMARY KEY (flight, seat),
        CHECK ((state = 'sold') = (booking_reference IS NOT NULL))
    );
    CREATE INDEX seats_by_txn ON seats (txn);

    -- Ticket serials: a sequence hands them out without a lock held to the commit, so that
    -- purchases do not queue behind one counter row. A rolled-back purchase leaves a gap.
    CREATE SEQUENCE ticket_serials;

    CREATE TABLE customers (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username      text COLLATE "C" NOT NULL UNIQUE,
        name          text COLLATE "C" NOT NULL,
        password_hash text COLLATE "C" NOT NULL,
        created_at    timestamptz NOT NULL
    );

    CREATE TABLE sessions (
        token_hash   bytea PRIMARY KEY,
        customer     bigint NOT NULL REFERENCES customers(id),
        created_at   timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);

    CREATE TABLE bookings (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        reference       text COLLATE "C" NOT NULL UNIQUE,
        txn             text COLLATE "C" NOT NULL,
        customer        bigint NOT NULL REFERENCES customers(id),
        status          text COLLATE "C" NOT NULL
                        CHECK (status IN ('pending', 'confirmed', 'cancelled', 'failed')),
        total_price     bigint NOT NULL,
        created_at      timestamptz NOT NULL,
        idempotency_key text COLLATE "C",
        request_digest  bytea,
        failure         text COLLATE "C"
    );
    CREATE INDEX bookings_by_customer ON bookings (customer, id);
    CREATE UNIQUE INDEX bookings_by_idempotency_key ON bookings (customer, idempotency_key)
        WHERE idempotency_key IS NOT NULL;

    CREATE TABLE booking_passengers (
        booking  bigint NOT NULL REFERENCES bookings(id),
        position integer NOT NULL,
        name     text COLLATE "C" NOT NULL,
        PRIMARY KEY (booking, position)
    );

    CREATE TABLE booking_segments (
        booking     bigint NOT NULL REFERENCES bookings(id),
        position    integer NOT NULL,
        flight      text COLLATE "C" NOT NULL,
        airline     text COLLATE "C" NOT NULL,
        origin      text COLLATE "C" NOT NULL,
        destination text COLLATE "C" NOT NULL,
        departure   timestamptz NOT NULL,
        arrival     timestamptz NOT NULL,
        passenger   integer NOT NULL,
        seat        text COLLATE "C" NOT NULL,
        ticket      text COLLATE "C" NOT NULL,
        price       bigint NOT NULL,
        status      text COLLATE "C" NOT NULL
                    CHECK (status IN ('confirmed', 'cancelled', 'flight_cancelled')),
        PRIMARY KEY (booking, position)
    );
    CREATE INDEX booking_segments_by_flight ON booking_segments (flight);

    CREATE TABLE booking_history (
        booking  bigint NOT NULL REFERENCES bookings(id),
        position integer NOT NULL,
        at       timestamptz NOT NULL,
        event    text COLLATE "C" NOT NULL,
        detail   text COLLATE "C" NOT NULL,
        PRIMARY KEY (booking, position)
    );

    -- Which own flight a committed write changed, not yet numbered: every write appends here,
    -- concurrently; the sequencer moves the rows into catalog_log one pass at a time.
    CREATE TABLE catalog_changes (
        id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        flight text COLLATE "C" NOT NULL
    );

    -- Every change to this airline's own flights, in the order replicas read it. Numbers come
    -- from the identity's sequence, only ever inside the sequencer's pass, under its lock: they
    -- are never reused and become visible in order.
    CREATE TABLE catalog_log (
        seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        flight text COLLATE "C" NOT NULL
    );

    -- How far this node's copy of each other airline's catalog is.
    CREATE TABLE replica_positions (
        airline  text COLLATE "C" PRIMARY KEY,
        position bigint NOT NULL
    );

    -- The airlines this node talks to: from its configuration and from `addconn`. A removed
    -- peer stays, marked, so that restarting with the same configuration does not bring it back.
    CREATE TABLE peers (
        airline    text COLLATE "C" PRIMARY KEY,
        url        text COLLATE "C" NOT NULL,
        public_key text COLLATE "C",
        removed    boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL
    );

    -- The transactions this node coordinates (as the seller). `started` until decided; kept
    -- after, to answer participants that ask.
    CREATE TABLE coordinator_txns (
        txn        text COLLATE "C" PRIMARY KEY,
        booking    bigint NOT NULL REFERENCES bookings(id),
        state      text COLLATE "C" NOT NULL CHECK (state IN ('started', 'committed', 'aborted')),
        created_at timestamptz NOT NULL,
        decided_at timestamptz
    );
    CREATE INDEX coordinator_txns_by_state ON coordinator_txns (state);

    -- Who takes part in each, and whether it acknowledged the decision.
    CREATE TABLE coordinator_participants (
        txn          text COLLATE "C" NOT NULL REFERENCES coordinator_txns(txn),
        airline      text COLLATE "C" NOT NULL,
        acknowledged boolean NOT NULL DEFAULT false,
        PRIMARY KEY (txn, airline)
    );
    CREATE INDEX coordinator_participants_waiting ON coordinator_participants (acknowledged, txn);

    -- The transactions this node takes part in (as an owner). No row for a no-vote: presumed
    -- abort; an `aborted` row for a transaction asked about or aborted before it was seen, so
    -- that a late prepare is refused.
    CREATE TABLE participant_txns (
        txn          text COLLATE "C" PRIMARY KEY,
        coordinator  text COLLATE "C" NOT NULL,
        participants text COLLATE "C" NOT NULL,
        reference    text COLLATE "C",
        state        text COLLATE "C" NOT NULL CHECK (state IN ('prepared', 'committed', 'aborted')),
        prepared_at  timestamptz,
        decided_at   timestamptz,
        decided_by   text COLLATE "C"
    );
    CREATE INDEX participant_txns_by_state ON participant_txns (state);

    -- Seats a cancelled booking still holds at other airlines, to be released there.
    CREATE TABLE releases (
        txn          text COLLATE "C" NOT NULL,
        airline      text COLLATE "C" NOT NULL,
        booking      bigint NOT NULL REFERENCES bookings(id),
        requested_at timestamptz NOT NULL,
        PRIMARY KEY (txn, airline)
    );

    -- What operators did by hand.
    CREATE TABLE audit (
        id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at     timestamptz NOT NULL,
        action text COLLATE "C" NOT NULL,
        detail text COLLATE "C" NOT NULL
    );
    "#,
];

/// The schema version this binary writes: how many migrations it knows.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to the latest schema, one node at a time; refuses one newer than this
/// binary, writing nothing.
pub(crate) async fn migrate(client: &mut Object) -> Result<(), OpenError> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).await?;
    let migrated = migrate_locked(client).await;
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).await;
    migrated?;
    unlocked?;
    Ok(())
}

async fn migrate_locked(client: &mut Object) -> Result<(), OpenError> {
    let applied = applied(client).await?;
    if applied > latest() {
        return Err(OpenError::SchemaNewer { database: applied, binary: latest() });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let version = index as i64 + 1;
        let transaction = client.transaction().await?;
        transaction
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                     version    bigint PRIMARY KEY,
                     applied_at timestamptz NOT NULL
                 )",
            )
            .await?;
        transaction
            .batch_execute(migration)
            .await
            .map_err(|error| OpenError::Migration { version, error })?;
        transaction
            .execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())",
                &[&version],
            )
            .await?;
        transaction.commit().await?;
    }
    Ok(())
}

/// How many migrations the database has (none without the table that records them).
async fn applied(client: &Object) -> Result<i64, OpenError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
        .await?
        .try_get(0)?;
    if !exists {
        return Ok(0);
    }
    let row =
        client.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[]).await?;
    Ok(row.try_get(0)?)
}
