//! The network's storage: the change log of own flights, the replicas of other airlines'
//! flights with their positions, and the peers.

use std::collections::BTreeMap;

use jiff::Timestamp;
use passcom_core::replication::{Batch, FlightState};
use passcom_core::{AirlineId, Designator, FlightId, FlightStatus};
use rusqlite::{Connection, OptionalExtension, params};

use super::bookings;
use super::catalog::{FLIGHT_COLUMNS, flight_record_from_row};
use super::codec::{millis, parsed};
use super::writer::internal;
use crate::store::rules::check_owned;
use crate::store::{PeerRecord, StoreError, StoreResult};

/// Records that own flight `flight` changed.
pub(crate) fn log_change(connection: &Connection, flight: FlightId) -> StoreResult<()> {
    connection
        .prepare_cached("INSERT INTO catalog_log (flight) VALUES (?1)")
        .and_then(|mut insert| insert.execute([flight.to_string()]))
        .map_err(internal)?;
    Ok(())
}

/// Appends every own flight departing after `after` to the change log; how many.
pub(crate) fn log_own_flights(
    connection: &Connection,
    owner: &AirlineId,
    after: Timestamp,
) -> StoreResult<usize> {
    connection
        .prepare_cached(
            "INSERT INTO catalog_log (flight)
             SELECT id FROM flights WHERE airline = ?1 AND departure > ?2 ORDER BY id",
        )
        .and_then(|mut insert| insert.execute(params![owner.as_str(), millis(after)]))
        .map_err(internal)
}

/// The last entry of the change log, 0 if there is none.
pub(crate) fn log_head(connection: &Connection) -> rusqlite::Result<u64> {
    connection
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM catalog_log")?
        .query_row([], |row| row.get(0))
}

/// The batch of own flights changed after entry `after`, covering at most `limit` entries and
/// none past `head`; or a snapshot of every own flight up to `head` when the log no longer
/// keeps the entries after `after`.
pub(crate) fn log_batch(
    connection: &Connection,
    owner: &AirlineId,
    after: u64,
    limit: u64,
    head: u64,
) -> rusqlite::Result<Batch> {
    let oldest: Option<u64> = connection
        .prepare_cached("SELECT min(seq) FROM catalog_log")?
        .query_row([], |row| row.get(0))?;
    if oldest.is_some_and(|oldest| after + 1 < oldest) {
        return snapshot(connection, owner, head);
    }
    let up_to = head.min(after.saturating_add(limit));
    let sql = format!(
        "SELECT {FLIGHT_COLUMNS} FROM flights f
         WHERE f.id IN (SELECT flight FROM catalog_log WHERE seq > ?1 AND seq <= ?2)
         ORDER BY f.id"
    );
    let flights = connection
        .prepare_cached(&sql)?
        .query_map(params![after, up_to], state_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Batch { after, up_to: up_to.max(after), flights })
}

/// Every own flight, as of log entry `head`.
fn snapshot(connection: &Connection, owner: &AirlineId, head: u64) -> rusqlite::Result<Batch> {
    let sql = format!("SELECT {FLIGHT_COLUMNS} FROM flights f WHERE f.airline = ?1 ORDER BY f.id");
    let flights = connection
        .prepare_cached(&sql)?
        .query_map([owner.as_str()], state_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Batch { after: 0, up_to: head, flights })
}

fn state_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<FlightState> {
    let record = flight_record_from_row(row)?;
    Ok(FlightState { flight: record.flight, seats_available: record.seats_available })
}

/// Deletes the log's entries but the last `keep`; returns how many.
pub(crate) fn prune_log(connection: &Connection, keep: u64) -> StoreResult<usize> {
    let head = log_head(connection).map_err(internal)?;
    let below = head.saturating_sub(keep.max(1));
    connection.execute("DELETE FROM catalog_log WHERE seq <= ?1", [below]).map_err(internal)
}

/// Applies a batch of `owner`'s flights to its replica and records the replica's position.
pub(crate) fn apply_replica(
    connection: &Connection,
    this_airline: &AirlineId,
    owner: &AirlineId,
    batch: &Batch,
    at: Timestamp,
) -> StoreResult<()> {
    if owner == this_airline {
        return Err(StoreError::ForeignFlight(format!("{owner} cannot replicate its own catalog")));
    }
    let designator = designator_of(connection, owner)?;
    for state in &batch.flights {
        check_owned(&state.flight, owner, designator)?;
        upsert_replica(connection, state)?;
        if state.flight.status == FlightStatus::Cancelled {
            bookings::mark_replica_flight_cancelled(connection, state.flight.id, at)?;
        }
    }
    connection
        .prepare_cached(
            "INSERT INTO replica_positions (airline, position) VALUES (?1, ?2)
             ON CONFLICT (airline) DO UPDATE SET position = max(position, excluded.position)",
        )
        .and_then(|mut upsert| upsert.execute(params![owner.as_str(), batch.up_to]))
        .map_err(internal)?;
    Ok(())
}

/// The designator of `airline`, if this node has heard of it.
fn designator_of(connection: &Connection, airline: &AirlineId) -> StoreResult<Option<Designator>> {
    connection
        .prepare_cached("SELECT designator FROM airlines WHERE id = ?1")
        .and_then(|mut select| {
            select
                .query_row([airline.as_str()], |row| parsed(row, "designator", Designator::parse))
                .optional()
        })
        .map_err(internal)
}

/// Inserts or updates a replicated flight. The update only touches a row of the same owner, so
/// that no peer can overwrite another airline's flight, this node's own least of all.
fn upsert_replica(connection: &Connection, state: &FlightState) -> StoreResult<()> {
    let flight = &state.flight;
    let changed = connection
        .prepare_cached(
            "INSERT INTO flights (id, airline, local_date, origin, destination, departure, arrival,
                 cabin_rows, cabin_letters, price, status, version, replica_seats_available)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, destination = excluded.destination,
                 departure = excluded.departure, arrival = excluded.arrival,
                 cabin_rows = excluded.cabin_rows, cabin_letters = excluded.cabin_letters,
                 price = excluded.price, status = excluded.status, version = excluded.version,
                 replica_seats_available = excluded.replica_seats_available
             WHERE flights.airline = excluded.airline",
        )
        .and_then(|mut upsert| {
            upsert.execute(params![
                flight.id.to_string(),
                flight.airline.as_str(),
                flight.id.date().to_string(),
                flight.origin.as_str(),
                flight.destination.as_str(),
                millis(flight.departure),
                millis(flight.arrival),
                flight.cabin.rows(),
                flight.cabin.letters(),
                flight.price.cents(),
                flight.status.as_str(),
                flight.version,
                state.seats_available
            ])
        })
        .map_err(internal)?;
    if changed == 0 {
        return Err(StoreError::ForeignFlight(format!(
            "{} belongs to another airline here",
            flight.id
        )));
    }
    Ok(())
}

/// Every replica's position, by owner.
pub(crate) fn replica_positions(
    connection: &Connection,
) -> rusqlite::Result<BTreeMap<AirlineId, u64>> {
    connection
        .prepare_cached("SELECT airline, position FROM replica_positions")?
        .query_map([], |row| Ok((parsed(row, "airline", AirlineId::parse)?, row.get("position")?)))?
        .collect()
}

/// Every peer, removed ones included.
pub(crate) fn peers(connection: &Connection) -> rusqlite::Result<Vec<PeerRecord>> {
    connection
        .prepare_cached("SELECT * FROM peers ORDER BY airline")?
        .query_map([], |row| {
            Ok(PeerRecord {
                airline: parsed(row, "airline", AirlineId::parse)?,
                url: row.get("url")?,
                public_key: row.get("public_key")?,
                removed: row.get("removed")?,
            })
        })?
        .collect()
}

/// Adds or updates a peer (and un-removes it).
pub(crate) fn put_peer(
    connection: &Connection,
    peer: &PeerRecord,
    at: Timestamp,
) -> StoreResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO peers (airline, url, public_key, removed, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (airline) DO UPDATE SET url = excluded.url,
                 public_key = coalesce(excluded.public_key, peers.public_key),
                 removed = excluded.removed, updated_at = excluded.updated_at",
        )
        .and_then(|mut upsert| {
            upsert.execute(params![peer.airline.as_str(), peer.url, peer.public_key, peer.removed, millis(at)])
        })
        .map_err(internal)?;
    Ok(())
}
