//! Airports, airlines and flights.

use std::collections::BTreeSet;

use passcom_core::airline::parse_colour;
use passcom_core::{
    Airline, AirlineId, Airport, AirportCode, Cabin, Designator, Flight, FlightId, FlightStatus,
    Money, SeatNumber, TicketPrefix, airport,
};
use rusqlite::{Connection, OptionalExtension, Row, named_params, params};

use super::codec::{instant, is_unique_violation, millis, parsed};
use super::network::log_change;
use super::writer::internal;
use crate::store::rules::check_version;
use crate::store::{
    FlightPosition, FlightQuery, FlightRecord, Page, SeatMap, StoreError, StoreResult,
};

pub(crate) fn put_airports(connection: &Connection, airports: &[Airport]) -> StoreResult<()> {
    let mut insert = connection
        .prepare_cached(
            "INSERT INTO airports (code, name, city, state, country, latitude, longitude, time_zone)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (code) DO UPDATE SET name = ?2, city = ?3, state = ?4, country = ?5,
                 latitude = ?6, longitude = ?7, time_zone = ?8",
        )
        .map_err(internal)?;
    for a in airports {
        insert
            .execute(params![
                a.code.as_str(),
                a.name,
                a.city,
                a.state,
                a.country,
                a.latitude,
                a.longitude,
                a.time_zone_name()
            ])
            .map_err(internal)?;
    }
    Ok(())
}

pub(crate) fn airports(connection: &Connection) -> rusqlite::Result<Vec<Airport>> {
    let mut select = connection.prepare_cached("SELECT * FROM airports ORDER BY code")?;
    select.query_map([], airport_from_row)?.collect()
}

fn airport_from_row(row: &Row<'_>) -> rusqlite::Result<Airport> {
    Ok(Airport {
        code: parsed(row, "code", AirportCode::parse)?,
        name: row.get("name")?,
        city: row.get("city")?,
        state: row.get("state")?,
        country: row.get("country")?,
        latitude: row.get("latitude")?,
        longitude: row.get("longitude")?,
        time_zone: parsed(row, "time_zone", airport::time_zone)?,
    })
}

pub(crate) fn put_airline(connection: &Connection, airline: &Airline) -> StoreResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO airlines (id, name, designator, colour, ticket_prefix)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET name = ?2, designator = ?3, colour = ?4, ticket_prefix = ?5",
        )
        .and_then(|mut upsert| {
            upsert.execute(params![
                airline.id.as_str(),
                airline.name,
                airline.designator.as_str(),
                airline.colour,
                airline.ticket_prefix.get()
            ])
        })
        .map_err(internal)?;
    Ok(())
}

pub(crate) fn airlines(connection: &Connection) -> rusqlite::Result<Vec<Airline>> {
    let mut select = connection.prepare_cached("SELECT * FROM airlines ORDER BY id")?;
    select
        .query_map([], |row| {
            Ok(Airline {
                id: parsed(row, "id", AirlineId::parse)?,
                name: row.get("name")?,
                designator: parsed(row, "designator", Designator::parse)?,
                colour: parsed(row, "colour", parse_colour)?,
                ticket_prefix: {
                    let prefix: u16 = row.get("ticket_prefix")?;
                    TicketPrefix::new(prefix).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            0,
                            rusqlite::types::Type::Integer,
                            Box::new(e),
                        )
                    })?
                },
            })
        })?
        .collect()
}

/// Inserts `flight`; `Ok(false)` if its id exists and `ignore_existing` is set.
pub(crate) fn insert_flight(
    connection: &Connection,
    flight: &Flight,
    ignore_existing: bool,
) -> StoreResult<bool> {
    let conflict = if ignore_existing { "ON CONFLICT (id) DO NOTHING" } else { "" };
    let sql = format!(
        "INSERT INTO flights (id, airline, local_date, origin, destination, departure, arrival,
             cabin_rows, cabin_letters, price, status, version)
         VALUES (:id, :airline, :local_date, :origin, :destination, :departure, :arrival,
             :cabin_rows, :cabin_letters, :price, :status, :version) {conflict}"
    );
    let inserted = connection
        .prepare_cached(&sql)
        .and_then(|mut insert| {
            insert.execute(named_params! {
                ":id": flight.id.to_string(),
                ":airline": flight.airline.as_str(),
                ":local_date": flight.id.date().to_string(),
                ":origin": flight.origin.as_str(),
                ":destination": flight.destination.as_str(),
                ":departure": millis(flight.departure),
                ":arrival": millis(flight.arrival),
                ":cabin_rows": flight.cabin.rows(),
                ":cabin_letters": flight.cabin.letters(),
                ":price": flight.price.cents(),
                ":status": flight.status.as_str(),
                ":version": flight.version,
            })
        })
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::FlightExists(flight.id),
            false => internal(error),
        })?;
    if inserted == 1 {
        log_change(connection, flight.id)?;
    }
    Ok(inserted == 1)
}

/// The columns of a flight listing, with seats available derived from the seat rows for own
/// flights (a stored counter could drift; a count over the primary key cannot) and as the owner
/// last published them for replicated ones.
pub(crate) const FLIGHT_COLUMNS: &str =
    "f.*, coalesce(f.replica_seats_available, f.cabin_rows * length(f.cabin_letters)
    - (SELECT count(*) FROM seats s WHERE s.flight = f.id)) AS seats_available";

fn flight_from_row(row: &Row<'_>) -> rusqlite::Result<Flight> {
    let cabin_rows: u8 = row.get("cabin_rows")?;
    Ok(Flight {
        id: parsed(row, "id", FlightId::parse)?,
        airline: parsed(row, "airline", AirlineId::parse)?,
        origin: parsed(row, "origin", AirportCode::parse)?,
        destination: parsed(row, "destination", AirportCode::parse)?,
        departure: instant(row, "departure")?,
        arrival: instant(row, "arrival")?,
        cabin: parsed(row, "cabin_letters", |letters| Cabin::new(cabin_rows, letters))?,
        price: Money::from_cents(row.get("price")?).unwrap_or_default(),
        status: parsed(row, "status", FlightStatus::parse)?,
        version: row.get("version")?,
    })
}

pub(crate) fn flight_record_from_row(row: &Row<'_>) -> rusqlite::Result<FlightRecord> {
    Ok(FlightRecord { flight: flight_from_row(row)?, seats_available: row.get("seats_available")? })
}

/// The flight alone, without counting its seats: what a hold needs.
pub(crate) fn bare_flight(connection: &Connection, id: FlightId) -> StoreResult<Flight> {
    connection
        .prepare_cached("SELECT * FROM flights WHERE id = ?1")
        .and_then(|mut select| select.query_row([id.to_string()], flight_from_row).optional())
        .map_err(internal)?
        .ok_or(StoreError::FlightNotFound(id))
}

pub(crate) fn flight(
    connection: &Connection,
    id: FlightId,
) -> rusqlite::Result<Option<FlightRecord>> {
    let sql = format!("SELECT {FLIGHT_COLUMNS} FROM flights f WHERE f.id = ?1");
    let mut select = connection.prepare_cached(&sql)?;
    select.query_row([id.to_string()], flight_record_from_row).optional()
}

pub(crate) fn flights_by_id(
    connection: &Connection,
    ids: &[FlightId],
) -> rusqlite::Result<Vec<FlightRecord>> {
    ids.iter().filter_map(|id| flight(connection, *id).transpose()).collect()
}

pub(crate) fn flights(
    connection: &Connection,
    query: &FlightQuery,
) -> rusqlite::Result<Page<FlightRecord, FlightPosition>> {
    let sql = format!(
        "SELECT {FLIGHT_COLUMNS} FROM flights f
         WHERE (:origin IS NULL OR f.origin = :origin)
           AND (:destination IS NULL OR f.destination = :destination)
           AND (:date IS NULL OR f.local_date = :date)
           AND (:after_departure IS NULL OR (f.departure, f.id) > (:after_departure, :after_id))
         ORDER BY f.departure, f.id
         LIMIT :limit"
    );
    let mut select = connection.prepare_cached(&sql)?;
    let items: Vec<FlightRecord> = select
        .query_map(
            named_params! {
                ":origin": query.origin.map(|code| code.to_string()),
                ":destination": query.destination.map(|code| code.to_string()),
                ":date": query.date.map(|date| date.to_string()),
                ":after_departure": query.after.map(|after| millis(after.departure)),
                ":after_id": query.after.map(|after| after.id.to_string()),
                ":limit": query.limit as i64,
            },
            flight_record_from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let next = (items.len() == query.limit)
        .then(|| items.last())
        .flatten()
        .map(|last| FlightPosition { departure: last.flight.departure, id: last.flight.id });
    Ok(Page { items, next })
}

pub(crate) fn taken_seats(
    connection: &Connection,
    id: FlightId,
) -> rusqlite::Result<BTreeSet<SeatNumber>> {
    let mut select = connection.prepare_cached("SELECT seat FROM seats WHERE flight = ?1")?;
    select.query_map([id.to_string()], |row| parsed(row, "seat", SeatNumber::parse))?.collect()
}

pub(crate) fn seat_map(connection: &Connection, id: FlightId) -> rusqlite::Result<Option<SeatMap>> {
    let Some(record) = flight(connection, id)? else {
        return Ok(None);
    };
    let taken = taken_seats(connection, id)?;
    Ok(Some(SeatMap { cabin: record.flight.cabin, taken }))
}

/// The flight as stored, or `FlightNotFound`.
pub(crate) fn existing_flight(connection: &Connection, id: FlightId) -> StoreResult<FlightRecord> {
    flight(connection, id).map_err(internal)?.ok_or(StoreError::FlightNotFound(id))
}

pub(crate) fn update_flight(
    connection: &Connection,
    flight: &Flight,
    expected_version: u64,
) -> StoreResult<FlightRecord> {
    let current = existing_flight(connection, flight.id)?;
    check_version(&current, expected_version)?;
    if current.flight.status == FlightStatus::Cancelled {
        return Err(StoreError::FlightCancelled(flight.id));
    }
    connection
        .prepare_cached(
            "UPDATE flights SET departure = ?2, arrival = ?3, price = ?4, version = version + 1
             WHERE id = ?1",
        )
        .and_then(|mut update| {
            update.execute(params![
                flight.id.to_string(),
                millis(flight.departure),
                millis(flight.arrival),
                flight.price.cents()
            ])
        })
        .map_err(internal)?;
    log_change(connection, flight.id)?;
    existing_flight(connection, flight.id)
}

pub(crate) fn cancel_flight(
    connection: &Connection,
    id: FlightId,
    expected_version: Option<u64>,
) -> StoreResult<FlightRecord> {
    let current = existing_flight(connection, id)?;
    if let Some(expected) = expected_version {
        check_version(&current, expected)?;
    }
    if current.flight.status == FlightStatus::Cancelled {
        return Ok(current);
    }
    connection
        .execute(
            "UPDATE flights SET status = 'cancelled', version = version + 1 WHERE id = ?1",
            [id.to_string()],
        )
        .map_err(internal)?;
    log_change(connection, id)?;
    existing_flight(connection, id)
}
