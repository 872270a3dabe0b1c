//! Airports, airlines and flights.

use std::collections::BTreeSet;

use passcom_core::airline::parse_colour;
use passcom_core::{
    Airline, AirlineId, Airport, AirportCode, Cabin, Designator, Flight, FlightId, FlightStatus,
    Money, SeatNumber, TicketPrefix, airport,
};
use tokio_postgres::Row;

use super::codec::{get, instant, instant_at, internal, is_unique_violation, parsed};
use super::network::log_change;
use super::{Db, PgResult};
use crate::store::rules::check_version;
use crate::store::{FlightPosition, FlightQuery, FlightRecord, Page, SeatMap, StoreError};

pub(crate) async fn put_airports(db: &Db<'_>, airports: &[Airport]) -> PgResult<()> {
    for a in airports {
        db.execute(
            "INSERT INTO airports (code, name, city, state, country, latitude, longitude, time_zone)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (code) DO UPDATE SET name = $2, city = $3, state = $4, country = $5,
                 latitude = $6, longitude = $7, time_zone = $8",
            &[
                &a.code.as_str(),
                &a.name,
                &a.city,
                &a.state,
                &a.country,
                &a.latitude,
                &a.longitude,
                &a.time_zone_name(),
            ],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn airports(db: &Db<'_>) -> PgResult<Vec<Airport>> {
    let rows = db.rows("SELECT * FROM airports ORDER BY code", &[]).await?;
    Ok(rows.iter().map(airport_from_row).collect::<Result<_, _>>()?)
}

fn airport_from_row(row: &Row) -> Result<Airport, StoreError> {
    Ok(Airport {
        code: parsed(row, "code", AirportCode::parse)?,
        name: get(row, "name")?,
        city: get(row, "city")?,
        state: get(row, "state")?,
        country: get(row, "country")?,
        latitude: get(row, "latitude")?,
        longitude: get(row, "longitude")?,
        time_zone: parsed(row, "time_zone", airport::time_zone)?,
    })
}

pub(crate) async fn put_airline(db: &Db<'_>, airline: &Airline) -> PgResult<()> {
    db.execute(
        "INSERT INTO airlines (id, name, designator, colour, ticket_prefix)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = $2, designator = $3, colour = $4, ticket_prefix = $5",
        &[
            &airline.id.as_str(),
            &airline.name,
            &airline.designator.as_str(),
            &airline.colour,
            &i32::from(airline.ticket_prefix.get()),
        ],
    )
    .await?;
    Ok(())
}

pub(crate) async fn airlines(db: &Db<'_>) -> PgResult<Vec<Airline>> {
    let rows = db.rows("SELECT * FROM airlines ORDER BY id", &[]).await?;
    let airline = |row: &Row| -> Result<Airline, StoreError> {
        let prefix: i32 = get(row, "ticket_prefix")?;
        Ok(Airline {
            id: parsed(row, "id", AirlineId::parse)?,
            name: get(row, "name")?,
            designator: parsed(row, "designator", Designator::parse)?,
            colour: parsed(row, "colour", parse_colour)?,
            ticket_prefix: u16::try_from(prefix)
                .map_err(internal)
                .and_then(|prefix| TicketPrefix::new(prefix).map_err(internal))?,
        })
    };
    Ok(rows.iter().map(airline).collect::<Result<_, _>>()?)
}

/// Inserts the flights whose ids are not stored; how many were new.
pub(crate) async fn add_missing_flights(db: &Db<'_>, flights: &[Flight]) -> PgResult<usize> {
    let mut added = 0;
    for flight in flights {
        added += usize::from(insert_flight(db, flight, true).await?);
    }
    Ok(added)
}

pub(crate) async fn create_flight(db: &Db<'_>, flight: &Flight) -> PgResult<FlightRecord> {
    insert_flight(db, flight, false).await?;
    existing_flight(db, flight.id).await
}

/// Inserts `flight`; `Ok(false)` if its id exists and `ignore_existing` is set.
async fn insert_flight(db: &Db<'_>, flight: &Flight, ignore_existing: bool) -> PgResult<bool> {
    let conflict = if ignore_existing { "ON CONFLICT (id) DO NOTHING" } else { "" };
    let sql = format!(
        "INSERT INTO flights (id, airline, local_date, origin, destination, departure, arrival,
             cabin_rows, cabin_letters, price, status, version)
         VALUES ($1, $2, CAST($3::text AS date), $4, $5, $6, $7, $8, $9, $10, $11, $12) {conflict}"
    );
    let inserted = db
        .try_execute(
            &sql,
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
                &version(flight.version),
            ],
        )
        .await
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::FlightExists(flight.id).into(),
            false => super::Failure::from(error),
        })?;
    if inserted == 1 {
        log_change(db, flight.id).await?;
    }
    Ok(inserted == 1)
}

/// A version as stored.
fn version(version: u64) -> i64 {
    i64::try_from(version).unwrap_or(i64::MAX)
}

/// The columns of a flight listing, with seats available derived from the seat rows for own
/// flights (a stored counter could drift; a count over the primary key cannot) and as the owner
/// last published them for replicated ones.
pub(crate) const FLIGHT_COLUMNS: &str =
    "f.*, coalesce(f.replica_seats_available, f.cabin_rows * length(f.cabin_letters)
    - (SELECT count(*) FROM seats s WHERE s.flight = f.id)) AS seats_available";

fn flight_from_row(row: &Row) -> Result<Flight, StoreError> {
    let cabin_rows: i32 = get(row, "cabin_rows")?;
    let cabin_rows = u8::try_from(cabin_rows).map_err(internal)?;
    let version: i64 = get(row, "version")?;
    Ok(Flight {
        id: parsed(row, "id", FlightId::parse)?,
        airline: parsed(row, "airline", AirlineId::parse)?,
        origin: parsed(row, "origin", AirportCode::parse)?,
        destination: parsed(row, "destination", AirportCode::parse)?,
        departure: instant_at(row, "departure")?,
        arrival: instant_at(row, "arrival")?,
        cabin: parsed(row, "cabin_letters", |letters| Cabin::new(cabin_rows, letters))?,
        price: Money::from_cents(get(row, "price")?).unwrap_or_default(),
        status: parsed(row, "status", FlightStatus::parse)?,
        version: u64::try_from(version).map_err(internal)?,
    })
}

pub(crate) fn flight_record_from_row(row: &Row) -> Result<FlightRecord, StoreError> {
    let available: i64 = get(row, "seats_available")?;
    Ok(FlightRecord {
        flight: flight_from_row(row)?,
        seats_available: u32::try_from(available.max(0)).map_err(internal)?,
    })
}

/// The flight alone, without counting its seats, locked against edits until the transaction
/// ends (`FOR SHARE`): what a hold needs, so that a flight cancelled meanwhile sells nothing.
pub(crate) async fn flight_for_sale(db: &Db<'_>, id: FlightId) -> PgResult<Flight> {
    let row =
        db.optional("SELECT * FROM flights WHERE id = $1 FOR SHARE", &[&id.to_string()]).await?;
    let row = row.ok_or(StoreError::FlightNotFound(id))?;
    Ok(flight_from_row(&row)?)
}

pub(crate) async fn flight(db: &Db<'_>, id: FlightId) -> PgResult<Option<FlightRecord>> {
    let sql = format!("SELECT {FLIGHT_COLUMNS} FROM flights f WHERE f.id = $1");
    let row = db.optional(&sql, &[&id.to_string()]).await?;
    Ok(row.as_ref().map(flight_record_from_row).transpose()?)
}

pub(crate) async fn flights_by_id(db: &Db<'_>, ids: &[FlightId]) -> PgResult<Vec<FlightRecord>> {
    let mut records = Vec::with_capacity(ids.len());
    for id in ids {
        records.extend(flight(db, *id).await?);
    }
    Ok(records)
}

pub(crate) async fn flights(
    db: &Db<'_>,
    query: &FlightQuery,
) -> PgResult<Page<FlightRecord, FlightPosition>> {
    let sql = format!(
        "SELECT {FLIGHT_COLUMNS} FROM flights f
         WHERE ($1::text IS NULL OR f.origin = $1)
           AND ($2::text IS NULL OR f.destination = $2)
           AND ($3::text IS NULL OR f.local_date = CAST($3::text AS date))
           AND ($4::timestamptz IS NULL OR (f.departure, f.id) > ($4, $5::text))
         ORDER BY f.departure, f.id
         LIMIT $6"
    );
    let rows = db
        .rows(
            &sql,
            &[
                &query.origin.map(|code| code.to_string()),
                &query.destination.map(|code| code.to_string()),
                &query.date.map(|date| date.to_string()),
                &query.after.map(|after| instant(after.departure)),
                &query.after.map(|after| after.id.to_string()),
                &(query.limit as i64),
            ],
        )
        .await?;
    let items: Vec<FlightRecord> =
        rows.iter().map(flight_record_from_row).collect::<Result<_, _>>()?;
    let next = (items.len() == query.limit)
        .then(|| items.last())
        .flatten()
        .map(|last| FlightPosition { departure: last.flight.departure, id: last.flight.id });
    Ok(Page { items, next })
}

pub(crate) async fn taken_seats(db: &Db<'_>, id: FlightId) -> PgResult<BTreeSet<SeatNumber>> {
    let rows = db.rows("SELECT seat FROM seats WHERE flight = $1", &[&id.to_string()]).await?;
    Ok(rows.iter().map(|row| parsed(row, "seat", SeatNumber::parse)).collect::<Result<_, _>>()?)
}

pub(crate) async fn seat_map(db: &Db<'_>, id: FlightId) -> PgResult<Option<SeatMap>> {
    let Some(record) = flight(db, id).await? else {
        return Ok(None);
    };
    let taken = taken_seats(db, id).await?;
    Ok(Some(SeatMap { cabin: record.flight.cabin, taken }))
}

/// The flight as stored, or `FlightNotFound`.
pub(crate) async fn existing_flight(db: &Db<'_>, id: FlightId) -> PgResult<FlightRecord> {
    Ok(flight(db, id).await?.ok_or(StoreError::FlightNotFound(id))?)
}

/// The flight as stored, locked until the transaction ends: the edit that follows decides on
/// its version and status, and no other edit or sale may change them meanwhile.
async fn flight_to_edit(db: &Db<'_>, id: FlightId) -> PgResult<FlightRecord> {
    db.optional("SELECT 1 FROM flights WHERE id = $1 FOR UPDATE", &[&id.to_string()])
        .await?
        .ok_or(StoreError::FlightNotFound(id))?;
    existing_flight(db, id).await
}

pub(crate) async fn update_flight(
    db: &Db<'_>,
    flight: &Flight,
    expected_version: u64,
) -> PgResult<FlightRecord> {
    let current = flight_to_edit(db, flight.id).await?;
    check_version(&current, expected_version)?;
    if current.flight.status == FlightStatus::Cancelled {
        return Err(StoreError::FlightCancelled(flight.id).into());
    }
    db.execute(
        "UPDATE flights SET departure = $2, arrival = $3, price = $4, version = version + 1
         WHERE id = $1",
        &[
            &flight.id.to_string(),
            &instant(flight.departure),
            &instant(flight.arrival),
            &flight.price.cents(),
        ],
    )
    .await?;
    log_change(db, flight.id).await?;
    existing_flight(db, flight.id).await
}

pub(crate) async fn cancel_flight(
    db: &Db<'_>,
    id: FlightId,
    expected_version: Option<u64>,
) -> PgResult<FlightRecord> {
    let current = flight_to_edit(db, id).await?;
    if let Some(expected) = expected_version {
        check_version(&current, expected)?;
    }
    if current.flight.status == FlightStatus::Cancelled {
        return Ok(current);
    }
    db.execute(
        "UPDATE flights SET status = 'cancelled', version = version + 1 WHERE id = $1",
        &[&id.to_string()],
    )
    .await?;
    log_change(db, id).await?;
    existing_flight(db, id).await
}
