//! The network's storage: the change log of own flights, the replicas of other airlines'
//! flights with their positions, and the peers.
//!
//! Writes append changes unnumbered ([`log_change`]); the [`super::sequencer`] numbers them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use passcom_core::replication::{Batch, FlightState};
use passcom_core::{AirlineId, Designator, FlightId, FlightStatus};

use super::bookings;
use super::catalog::{FLIGHT_COLUMNS, flight_record_from_row};
use super::codec::{get, instant, internal, parsed};
use super::{Db, PgResult};
use crate::store::rules::check_owned;
use crate::store::{PeerRecord, StoreError};

/// Records that own flight `flight` changed, for the sequencer to number once committed.
pub(crate) async fn log_change(db: &Db<'_>, flight: FlightId) -> PgResult<()> {
    db.execute("INSERT INTO catalog_changes (flight) VALUES ($1)", &[&flight.to_string()]).await?;
    db.note_logged();
    Ok(())
}

/// Appends every own flight departing after `after` to the change log; how many.
pub(crate) async fn log_own_flights(
    db: &Db<'_>,
    owner: &AirlineId,
    after: Timestamp,
) -> PgResult<usize> {
    let logged = db
        .execute(
            "INSERT INTO catalog_changes (flight)
             SELECT id FROM flights WHERE airline = $1 AND departure > $2 ORDER BY id",
            &[&owner.as_str(), &instant(after)],
        )
        .await?;
    db.note_logged();
    Ok(logged as usize)
}

/// A log position as stored.
fn position(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

/// A stored log position.
fn from_position(seq: i64) -> PgResult<u64> {
    Ok(u64::try_from(seq).map_err(internal)?)
}

/// The last numbered entry of the change log, 0 if there is none.
pub(crate) async fn log_head(db: &Db<'_>) -> PgResult<u64> {
    let row = db.one("SELECT coalesce(max(seq), 0) AS head FROM catalog_log", &[]).await?;
    from_position(get(&row, "head")?)
}

/// The batch of own flights changed after entry `after`, covering at most `limit` entries and
/// none past the head; or a snapshot of every own flight up to the head when the log no longer
/// keeps the entries after `after`.
pub(crate) async fn log_batch(
    db: &Db<'_>,
    owner: &AirlineId,
    after: u64,
    limit: u64,
) -> PgResult<Batch> {
    let row = db
        .one("SELECT min(seq) AS oldest, coalesce(max(seq), 0) AS head FROM catalog_log", &[])
        .await?;
    let oldest: Option<i64> = get(&row, "oldest")?;
    let head = from_position(get(&row, "head")?)?;
    if oldest.is_some_and(|oldest| position(after) + 1 < oldest) {
        return snapshot(db, owner, head).await;
    }
    let up_to = head.min(after.saturating_add(limit));
    let sql = format!(
        "SELECT {FLIGHT_COLUMNS} FROM flights f
         WHERE f.id IN (SELECT flight FROM catalog_log WHERE seq > $1 AND seq <= $2)
         ORDER BY f.id"
    );
    let rows = db.rows(&sql, &[&position(after), &position(up_to)]).await?;
    let flights = rows.iter().map(state_from_row).collect::<Result<_, _>>()?;
    Ok(Batch { after, up_to: up_to.max(after), flights })
}

/// Every own flight, as of log entry `head`.
async fn snapshot(db: &Db<'_>, owner: &AirlineId, head: u64) -> PgResult<Batch> {
    let sql = format!("SELECT {FLIGHT_COLUMNS} FROM flights f WHERE f.airline = $1 ORDER BY f.id");
    let rows = db.rows(&sql, &[&owner.as_str()]).await?;
    let flights = rows.iter().map(state_from_row).collect::<Result<_, _>>()?;
    Ok(Batch { after: 0, up_to: head, flights })
}

fn state_from_row(row: &tokio_postgres::Row) -> Result<FlightState, StoreError> {
    let record = flight_record_from_row(row)?;
    Ok(FlightState { flight: record.flight, seats_available: record.seats_available })
}

/// Deletes the log's entries but the last `keep`; returns how many.
pub(crate) async fn prune_log(db: &Db<'_>, keep: u64) -> PgResult<usize> {
    let head = log_head(db).await?;
    let below = head.saturating_sub(keep.max(1));
    let deleted =
        db.execute("DELETE FROM catalog_log WHERE seq <= $1", &[&position(below)]).await?;
    Ok(deleted as usize)
}

/// Applies a batch of `owner`'s flights to its replica and records the replica's position.
pub(crate) async fn apply_replica(
    db: &Db<'_>,
    this_airline: &AirlineId,
    owner: &AirlineId,
    batch: &Batch,
    at: Timestamp,
) -> PgResult<()> {
    if owner == this_airline {
        return Err(
            StoreError::ForeignFlight(format!("{owner} cannot replicate its own catalog")).into()
        );
    }
    let designator = designator_of(db, owner).await?;
    for state in &batch.flights {
        check_owned(&state.flight, owner, designator)?;
        upsert_replica(db, state).await?;
        if state.flight.status == FlightStatus::Cancelled {
            bookings::mark_replica_flight_cancelled(db, state.flight.id, at).await?;
        }
    }
    db.execute(
        "INSERT INTO replica_positions (airline, position) VALUES ($1, $2)
         ON CONFLICT (airline) DO UPDATE
             SET position = greatest(replica_positions.position, excluded.position)",
        &[&owner.as_str(), &position(batch.up_to)],
    )
    .await?;
    Ok(())
}

/// The designator of `airline`, if this node has heard of it.
async fn designator_of(db: &Db<'_>, airline: &AirlineId) -> PgResult<Option<Designator>> {
    let row =
        db.optional("SELECT designator FROM airlines WHERE id = $1", &[&airline.as_str()]).await?;
    Ok(row.map(|row| parsed(&row, "designator", Designator::parse)).transpose()?)
}

/// Inserts or updates a replicated flight. The update only touches a row of the same owner, so
/// that no peer can overwrite another airline's flight, this node's own least of all.
async fn upsert_replica(db: &Db<'_>, state: &FlightState) -> PgResult<()> {
    let flight = &state.flight;
    let changed = db
        .execute(
            "INSERT INTO flights (id, airline, local_date, origin, destination, departure, arrival,
                 cabin_rows, cabin_letters, price, status, version, replica_seats_available)
             VALUES ($1, $2, CAST($3::text AS date), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (id) DO UPDATE SET origin = excluded.origin,
                 destination = excluded.destination,
                 departure = excluded.departure, arrival = excluded.arrival,
                 cabin_rows = excluded.cabin_rows, cabin_letters = excluded.cabin_letters,
                 price = excluded.price, status = excluded.status, version = excluded.version,
                 replica_seats_available = excluded.replica_seats_available
             WHERE flights.airline = excluded.airline",
            &[
                &flight.id.to_string(),
                &flight.airline.as_str(),
                &flight.id.date().to_string(),
                &flight.origin.as_str(),
                &flight.destination.as_str(),
                &instant(flight.departure),
                &instant(flight.arrival),
                &i32::from(flight.cabin.rows()),
                &flight.cabin.letters(),
                &flight.price.cents(),
                &flight.status.as_str(),
                &i64::try_from(flight.version).unwrap_or(i64::MAX),
                &i64::from(state.seats_available),
            ],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::ForeignFlight(format!(
            "{} belongs to another airline here",
            flight.id
        ))
        .into());
    }
    Ok(())
}

/// Every replica's position, by owner.
pub(crate) async fn replica_positions(db: &Db<'_>) -> PgResult<BTreeMap<AirlineId, u64>> {
    let rows = db.rows("SELECT airline, position FROM replica_positions", &[]).await?;
    let mut positions = BTreeMap::new();
    for row in &rows {
        positions.insert(
            parsed(row, "airline", AirlineId::parse)?,
            from_position(get(row, "position")?)?,
        );
    }
    Ok(positions)
}

/// Every peer, removed ones included.
pub(crate) async fn peers(db: &Db<'_>) -> PgResult<Vec<PeerRecord>> {
    let rows = db.rows("SELECT * FROM peers ORDER BY airline", &[]).await?;
    let peer = |row: &tokio_postgres::Row| -> Result<PeerRecord, StoreError> {
        Ok(PeerRecord {
            airline: parsed(row, "airline", AirlineId::parse)?,
            url: get(row, "url")?,
            public_key: get(row, "public_key")?,
            removed: get(row, "removed")?,
        })
    };
    Ok(rows.iter().map(peer).collect::<Result<_, _>>()?)
}

/// Adds or updates a peer (and un-removes it).
pub(crate) async fn put_peer(db: &Db<'_>, peer: &PeerRecord, at: Timestamp) -> PgResult<()> {
    db.execute(
        "INSERT INTO peers (airline, url, public_key, removed, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (airline) DO UPDATE SET url = excluded.url,
             public_key = coalesce(excluded.public_key, peers.public_key),
             removed = excluded.removed, updated_at = excluded.updated_at",
        &[&peer.airline.as_str(), &peer.url, &peer.public_key, &peer.removed, &instant(at)],
    )
    .await?;
    Ok(())
}
