//! Customer accounts and their sessions.

use jiff::Timestamp;
use passcom_core::{CustomerName, Username};
use tokio_postgres::Row;

use super::codec::{get, instant, instant_at, is_unique_violation, parsed};
use super::{Db, Failure, PgResult};
use crate::store::{Customer, CustomerId, NewCustomer, Session, StoreError};

fn customer_from_row(row: &Row) -> Result<Customer, StoreError> {
    Ok(Customer {
        id: CustomerId(get(row, "id")?),
        username: parsed(row, "username", Username::parse)?,
        name: parsed(row, "name", CustomerName::parse)?,
        created_at: instant_at(row, "created_at")?,
    })
}

pub(crate) async fn create(db: &Db<'_>, customer: &NewCustomer) -> PgResult<Customer> {
    let row = db
        .try_one(
            "INSERT INTO customers (username, name, password_hash, created_at)
             VALUES ($1, $2, $3, $4) RETURNING *",
            &[
                &customer.username.as_str(),
                &customer.name.as_str(),
                &customer.password_hash,
                &instant(customer.created_at),
            ],
        )
        .await
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::UsernameTaken.into(),
            false => Failure::from(error),
        })?;
    Ok(customer_from_row(&row)?)
}

pub(crate) async fn credentials(
    db: &Db<'_>,
    username: &Username,
) -> PgResult<Option<(Customer, String)>> {
    let row =
        db.optional("SELECT * FROM customers WHERE username = $1", &[&username.as_str()]).await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((customer_from_row(&row)?, get(&row, "password_hash")?)))
}

pub(crate) async fn create_session(
    db: &Db<'_>,
    token_hash: &[u8; 32],
    customer: CustomerId,
    at: Timestamp,
) -> PgResult<()> {
    db.execute(
        "INSERT INTO sessions (token_hash, customer, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
        &[&token_hash.as_slice(), &customer.0, &instant(at)],
    )
    .await?;
    Ok(())
}

pub(crate) async fn session(db: &Db<'_>, token_hash: &[u8; 32]) -> PgResult<Option<Session>> {
    let row = db
        .optional(
            "SELECT c.*, s.created_at AS session_created_at, s.last_seen_at
             FROM sessions s JOIN customers c ON c.id = s.customer
             WHERE s.token_hash = $1",
            &[&token_hash.as_slice()],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Session {
        token_hash: *token_hash,
        customer: customer_from_row(&row)?,
        created_at: instant_at(&row, "session_created_at")?,
        last_seen_at: instant_at(&row, "last_seen_at")?,
    }))
}

pub(crate) async fn touch_session(
    db: &Db<'_>,
    token_hash: &[u8; 32],
    at: Timestamp,
) -> PgResult<()> {
    db.execute(
        "UPDATE sessions SET last_seen_at = greatest(last_seen_at, $2) WHERE token_hash = $1",
        &[&token_hash.as_slice(), &instant(at)],
    )
    .await?;
    Ok(())
}

pub(crate) async fn delete_session(db: &Db<'_>, token_hash: &[u8; 32]) -> PgResult<()> {
    db.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash.as_slice()]).await?;
    Ok(())
}

pub(crate) async fn delete_idle_sessions(db: &Db<'_>, idle_since: Timestamp) -> PgResult<usize> {
    let deleted =
        db.execute("DELETE FROM sessions WHERE last_seen_at < $1", &[&instant(idle_since)]).await?;
    Ok(deleted as usize)
}
