//! Pagination: `?limit=` and `?cursor=` on long lists, `next_cursor` in the answer.
//!
//! A cursor is opaque to clients: base64url of the position of the last item served. It is
//! decoded and checked like any other input; a tampered cursor is `invalid_cursor`, never a
//! crash.

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::error::ApiError;
use crate::config::Limits;

/// The page size for `limit`: the default when absent, 1 to `page_size_max` otherwise.
pub fn page_size(limit: Option<usize>, limits: &Limits) -> Result<usize, ApiError> {
    match limit {
        None => Ok(limits.page_size_default),
        Some(limit) if (1..=limits.page_size_max).contains(&limit) => Ok(limit),
        Some(limit) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_limit",
            format!("limit is from 1 to {}, not {limit}", limits.page_size_max),
        )
        .with("field", "limit")),
    }
}

/// The cursor for a position written as text.
pub fn encode_cursor(position: &str) -> String {
    URL_SAFE_NO_PAD.encode(position)
}

/// The position a cursor stands for, parsed by `parse`.
pub fn decode_cursor<T>(
    cursor: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| parse(&text))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_cursor",
                "cursor is not one this server gave out",
            )
            .with("field", "cursor")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let cursor = encode_cursor("1764590400000:GI1001-2026-12-01");
        let decoded = decode_cursor(&cursor, |text| Some(text.to_owned())).unwrap();
        assert_eq!(decoded, "1764590400000:GI1001-2026-12-01");
        assert!(decode_cursor("***", |text| Some(text.to_owned())).is_err());
        assert!(decode_cursor(&cursor, |_| None::<()>).is_err());
    }

    #[test]
    fn page_sizes_are_bounded() {
        let limits = Limits::default();
        assert_eq!(page_size(None, &limits).unwrap(), 100);
        assert_eq!(page_size(Some(1000), &limits).unwrap(), 1000);
        assert_eq!(page_size(Some(0), &limits).unwrap_err().status(), StatusCode::BAD_REQUEST);
        assert!(page_size(Some(1001), &limits).is_err());
    }
}
