//! Moving values between SQLite columns and domain types.
//!
//! Instants are stored as Unix milliseconds; domain values as their canonical text. Reading a
//! value back parses it again, so a row that was tampered with surfaces as a conversion error
//! instead of an invalid value inside the program.

use jiff::Timestamp;
use passcom_core::ParseError;
use rusqlite::types::Type;
use rusqlite::{ErrorCode, Row};

/// An instant as stored.
pub(crate) fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

/// Reads an instant column.
pub(crate) fn instant(row: &Row<'_>, column: &str) -> rusqlite::Result<Timestamp> {
    let millis: i64 = row.get(column)?;
    Timestamp::from_millisecond(millis)
        .map_err(|error| conversion(row, column, Type::Integer, error))
}

/// Reads a text column and parses it with `parse`.
pub(crate) fn parsed<T>(
    row: &Row<'_>,
    column: &str,
    parse: impl FnOnce(&str) -> Result<T, ParseError>,
) -> rusqlite::Result<T> {
    let text: String = row.get(column)?;
    parse(&text).map_err(|error| conversion(row, column, Type::Text, error))
}

fn conversion(
    row: &Row<'_>,
    column: &str,
    kind: Type,
    error: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    let index = row.as_ref().column_index(column).unwrap_or_default();
    rusqlite::Error::FromSqlConversionFailure(index, kind, Box::new(error))
}

/// Whether `error` is a broken unique or primary-key constraint: someone else has that seat,
/// that username, that reference. Every such case becomes a domain error through this check.
pub(crate) fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.code == ErrorCode::ConstraintViolation
                && matches!(failure.extended_code, rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
    )
}
