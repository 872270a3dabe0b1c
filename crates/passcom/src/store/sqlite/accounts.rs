//! Customer accounts and their sessions.

use jiff::Timestamp;
use passcom_core::{CustomerName, Username};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{instant, is_unique_violation, millis, parsed};
use super::writer::internal;
use crate::store::{Customer, CustomerId, NewCustomer, Session, StoreError, StoreResult};

fn customer_from_row(row: &Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: CustomerId(row.get("id")?),
        username: parsed(row, "username", Username::parse)?,
        name: parsed(row, "name", CustomerName::parse)?,
        created_at: instant(row, "created_at")?,
    })
}

pub(crate) fn create(connection: &Connection, customer: &NewCustomer) -> StoreResult<Customer> {
    connection
        .prepare_cached(
            "INSERT INTO customers (username, name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             RETURNING *",
        )
        .and_then(|mut insert| {
            insert.query_row(
                params![
                    customer.username.as_str(),
                    customer.name.as_str(),
                    customer.password_hash,
                    millis(customer.created_at)
                ],
                customer_from_row,
            )
        })
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::UsernameTaken,
            false => internal(error),
        })
}

pub(crate) fn credentials(
    connection: &Connection,
    username: &Username,
) -> rusqlite::Result<Option<(Customer, String)>> {
    connection
        .prepare_cached("SELECT * FROM customers WHERE username = ?1")?
        .query_row([username.as_str()], |row| {
            Ok((customer_from_row(row)?, row.get("password_hash")?))
        })
        .optional()
}

pub(crate) fn create_session(
    connection: &Connection,
    token_hash: &[u8; 32],
    customer: CustomerId,
    at: Timestamp,
) -> StoreResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO sessions (token_hash, customer, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
        )
        .and_then(|mut insert| insert.execute(params![token_hash.as_slice(), customer.0, millis(at)]))
        .map_err(internal)?;
    Ok(())
}

pub(crate) fn session(
    connection: &Connection,
    token_hash: &[u8; 32],
) -> rusqlite::Result<Option<Session>> {
    connection
        .prepare_cached(
            "SELECT c.*, s.created_at AS session_created_at, s.last_seen_at
             FROM sessions s JOIN customers c ON c.id = s.customer
             WHERE s.token_hash = ?1",
        )?
        .query_row([token_hash.as_slice()], |row| {
            Ok(Session {
                token_hash: *token_hash,
                customer: customer_from_row(row)?,
                created_at: instant(row, "session_created_at")?,
                last_seen_at: instant(row, "last_seen_at")?,
            })
        })
        .optional()
}

pub(crate) fn touch_session(
    connection: &Connection,
    token_hash: &[u8; 32],
    at: Timestamp,
) -> StoreResult<()> {
    connection
        .prepare_cached(
            "UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE token_hash = ?1",
        )
        .and_then(|mut update| update.execute(params![token_hash.as_slice(), millis(at)]))
        .map_err(internal)?;
    Ok(())
}

pub(crate) fn delete_session(connection: &Connection, token_hash: &[u8; 32]) -> StoreResult<()> {
    connection
        .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash.as_slice()])
        .map_err(internal)?;
    Ok(())
}

pub(crate) fn delete_idle_sessions(
    connection: &Connection,
    idle_since: Timestamp,
) -> StoreResult<usize> {
    connection
        .execute("DELETE FROM sessions WHERE last_seen_at < ?1", [millis(idle_since)])
        .map_err(internal)
}
