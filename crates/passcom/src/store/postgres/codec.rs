//! Moving values between PostgreSQL columns and domain types, and PostgreSQL's errors into the
//! store's.
//!
//! Instants are `timestamptz`, stored to the millisecond as SQLite stores them, so that a value
//! reads back exactly as the store handed it out (a booking built before writing equals the one
//! read after). Domain values are stored as their canonical text and parsed again on the way
//! out: a row that was tampered with surfaces as an error, not as an invalid value inside the
//! program.

use std::error::Error;

use bytes::BytesMut;
use jiff::Timestamp;
use passcom_core::ParseError;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

use crate::store::StoreError;

/// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01 UTC).
const POSTGRES_EPOCH_MICROS: i64 = 946_684_800 * 1_000_000;

/// An instant as a `timestamptz`, to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Instant(pub(crate) Timestamp);

impl ToSql for Instant {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        let micros = self.0.as_millisecond() * 1000 - POSTGRES_EPOCH_MICROS;
        out.extend_from_slice(&micros.to_be_bytes());
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMPTZ
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Instant {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        let micros = i64::from_be_bytes(raw.try_into()?) + POSTGRES_EPOCH_MICROS;
        Ok(Instant(Timestamp::from_microsecond(micros)?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMPTZ
    }
}

/// `at` as a column value.
pub(crate) fn instant(at: Timestamp) -> Instant {
    Instant(at)
}

/// Reads an instant column.
pub(crate) fn instant_at(row: &Row, column: &str) -> Result<Timestamp, StoreError> {
    let at: Instant = row.try_get(column).map_err(internal)?;
    Ok(at.0)
}

/// Reads a column of any type that maps directly.
pub(crate) fn get<'a, T: FromSql<'a>>(row: &'a Row, column: &str) -> Result<T, StoreError> {
    row.try_get(column).map_err(internal)
}

/// Reads a text column and parses it with `parse`.
pub(crate) fn parsed<T>(
    row: &Row,
    column: &str,
    parse: impl FnOnce(&str) -> Result<T, ParseError>,
) -> Result<T, StoreError> {
    let text: &str = row.try_get(column).map_err(internal)?;
    parse(text).map_err(|error| StoreError::Internal(format!("column {column}: {error}")))
}

/// A database failure: our fault, not the caller's.
pub(crate) fn internal(error: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(error.to_string())
}

/// A PostgreSQL failure as the store reports it, with the server's own words when it said
/// something (the driver's `Display` alone says only "db error").
pub(crate) fn database_failure(error: &tokio_postgres::Error) -> StoreError {
    match error.as_db_error() {
        Some(db) => {
            StoreError::Internal(format!("PostgreSQL {}: {}", db.code().code(), db.message()))
        }
        None => StoreError::Internal(error.to_string()),
    }
}

/// Whether `error` is a broken unique or primary-key constraint: someone else has that seat,
/// that username, that reference. Every such case becomes a domain error through this check.
pub(crate) fn is_unique_violation(error: &tokio_postgres::Error) -> bool {
    error.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// Whether `error` says that the transaction lost a race it may win when run again: a deadlock
/// PostgreSQL broke by aborting it, or a serialization failure.
pub(crate) fn is_retryable(error: &tokio_postgres::Error) -> bool {
    matches!(error.code(), Some(code) if *code == SqlState::T_R_DEADLOCK_DETECTED
        || *code == SqlState::T_R_SERIALIZATION_FAILURE)
}
