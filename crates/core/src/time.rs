//! Time: instants are UTC, dates and clock times are local to an airport.
//!
//! A flight departs and arrives at instants ([`Timestamp`]); people read them in the local time
//! of the airport, with its offset (`2026-12-01T08:15:00-03:00`). A flight's date is the local
//! date of its departure at the origin. Brazil spans four offsets (UTC−2 to UTC−5) and has had no
//! daylight saving time since 2019, but nothing here assumes that: offsets come from the IANA
//! database bundled with the binary.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::ParseError;

/// The local date of instant `at` in time zone `zone`.
pub fn local_date(at: Timestamp, zone: &TimeZone) -> Date {
    at.to_zoned_datetime(zone.clone()).date()
}

/// Instant `at` as RFC 3339 with the local offset of `zone` (`2026-12-01T08:15:00-03:00`).
pub fn rfc3339_local(at: Timestamp, zone: &TimeZone) -> String {
    at.display_with_offset(zone.to_offset(at)).to_string()
}

/// Parses a calendar date written `YYYY-MM-DD`; impossible dates (`2026-02-30`) are refused.
pub fn parse_date(raw: &str) -> Result<Date, ParseError> {
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let invalid = || {
        ParseError::new(
            "invalid_date",
            format!("{raw:?} is not a date: expected a real calendar date written YYYY-MM-DD"),
        )
    };
    if !shaped {
        return Err(invalid());
    }
    raw.parse::<Date>().map_err(|_| invalid())
}

/// Parses an instant written in RFC 3339 with an offset (`2026-12-01T08:15:00-03:00` or `…Z`).
pub fn parse_instant(raw: &str) -> Result<Timestamp, ParseError> {
    raw.parse::<Timestamp>().map_err(|_| {
        ParseError::new(
            "invalid_time",
            format!("{raw:?} is not a time: expected RFC 3339 with an offset, like 2026-12-01T08:15:00-03:00"),
        )
    })
}

/// Whole minutes from `from` to `to` (negative if `to` is earlier).
pub fn minutes_between(from: Timestamp, to: Timestamp) -> i64 {
    to.duration_since(from).as_secs() / 60
}

/// A duration of `minutes` minutes.
pub fn minutes(minutes: i64) -> SignedDuration {
    SignedDuration::from_mins(minutes)
}

/// How many calendar days after `from_zone`'s local date of `from` the local date of `to` in
/// `to_zone` falls: 1 for an arrival "+1 day".
pub fn days_later(from: Timestamp, from_zone: &TimeZone, to: Timestamp, to_zone: &TimeZone) -> i32 {
    let days = local_date(to, to_zone) - local_date(from, from_zone);
    days.get_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    #[test]
    fn local_times_carry_the_airport_offset() {
        let at: Timestamp = "2026-12-01T11:15:00Z".parse().unwrap();
        assert_eq!(rfc3339_local(at, &zone("America/Sao_Paulo")), "2026-12-01T08:15:00-03:00");
        assert_eq!(rfc3339_local(at, &zone("America/Manaus")), "2026-12-01T07:15:00-04:00");
        assert_eq!(rfc3339_local(at, &zone("America/Rio_Branco")), "2026-12-01T06:15:00-05:00");
    }

    #[test]
    fn the_local_date_can_differ_from_the_utc_date() {
        let at: Timestamp = "2026-12-02T02:30:00Z".parse().unwrap();
        assert_eq!(local_date(at, &zone("America/Sao_Paulo")).to_string(), "2026-12-01");
        assert_eq!(local_date(at, &TimeZone::UTC).to_string(), "2026-12-02");
    }

    #[test]
    fn dates_must_be_real_and_well_formed() {
        assert_eq!(parse_date("2026-12-01").unwrap().to_string(), "2026-12-01");
        assert!(parse_date("2028-02-29").is_ok());
        for raw in ["2026-02-30", "2026-13-01", "20261201", "2026-1-01", "01/12/2026", ""] {
            assert_eq!(parse_date(raw).unwrap_err().code(), "invalid_date", "{raw:?}");
        }
    }

    #[test]
    fn instants_need_an_offset() {
        assert!(parse_instant("2026-12-01T08:15:00-03:00").is_ok());
        assert!(parse_instant("2026-12-01T11:15:00Z").is_ok());
        assert_eq!(parse_instant("2026-12-01T08:15:00").unwrap_err().code(), "invalid_time");
    }

    #[test]
    fn an_evening_departure_west_arriving_after_midnight_east_is_one_day_later() {
        let departs: Timestamp = "2026-12-01T22:00:00-05:00".parse().unwrap(); // Rio Branco
        let arrives: Timestamp = "2026-12-02T02:30:00-03:00".parse().unwrap(); // Maceió
        let (rbr, mcz) = (zone("America/Rio_Branco"), zone("America/Maceio"));
        assert_eq!(days_later(departs, &rbr, arrives, &mcz), 1);
        assert_eq!(minutes_between(departs, arrives), 150);
    }
}
