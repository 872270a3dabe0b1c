//! What a customer asks search for, checked once where it enters.

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use crate::airport::AirportCode;
use crate::{ParseError, time};

/// Most passengers one search (and one booking) may carry.
pub const PASSENGERS_MAX: u32 = 9;

/// The local times of day, at the origin, between which the first flight may depart; both
/// ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepartureWindow {
    from: Time,
    until: Time,
}

impl DepartureWindow {
    /// Departures from `from` until `until`, local times, both included; `until` before
    /// `from` is `invalid_window`.
    pub fn new(from: Time, until: Time) -> Result<Self, ParseError> {
        if until < from {
            return Err(ParseError::new(
                "invalid_window",
                format!("a departure window ends after it starts, not at {until} before {from}"),
            ));
        }
        Ok(Self { from, until })
    }

    /// Parses the ends of a window as the API receives them, `HH:MM` (or `HH:MM:SS`); a
    /// missing start is midnight and a missing end is the end of the day. No ends at all is
    /// no window.
    pub fn parse(from: Option<&str>, until: Option<&str>) -> Result<Option<Self>, ParseError> {
        if from.is_none() && until.is_none() {
            return Ok(None);
        }
        let from = from.map(parse_time_of_day).transpose()?.unwrap_or(Time::midnight());
        let until = until.map(parse_time_of_day).transpose()?.unwrap_or(Time::MAX);
        Self::new(from, until).map(Some)
    }

    /// The earliest local departure time.
    pub fn from(&self) -> Time {
        self.from
    }

    /// The latest local departure time.
    pub fn until(&self) -> Time {
        self.until
    }

    /// Whether local time `at` is inside the window.
    pub fn contains(&self, at: Time) -> bool {
        (self.from..=self.until).contains(&at)
    }
}

fn parse_time_of_day(raw: &str) -> Result<Time, ParseError> {
    let shaped = matches!(raw.len(), 5 | 8) && raw.as_bytes()[2] == b':';
    let time = if shaped { raw.parse::<Time>().ok() } else { None };
    time.ok_or_else(|| {
        ParseError::new(
            "invalid_window",
            format!("{raw:?} is not a time of day: expected HH:MM, like 08:00"),
        )
    })
}

/// One search: from where to where, on which local date at the origin, for how many
/// passengers, and optionally within which hours the first flight departs.
///
/// Made only by [`Query::new`], so a query that exists is valid. The airports and the date
/// are the caller's to check against what it knows (that the airports exist, that the date is
/// not past); this checks what can be checked without knowing anything else.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    origin: AirportCode,
    destination: AirportCode,
    date: Date,
    origin_time_zone: TimeZone,
    passengers: u32,
    window: Option<DepartureWindow>,
}

impl Query {
    /// A search from `origin` (whose time zone is `origin_time_zone`) to `destination`, first
    /// flight departing on local date `date` at the origin, inside `window` if there is one,
    /// for `passengers` people.
    ///
    /// Errors: `same_origin_and_destination`; `invalid_passengers` (0 or more than
    /// [`PASSENGERS_MAX`]).
    pub fn new(
        origin: AirportCode,
        destination: AirportCode,
        date: Date,
        origin_time_zone: TimeZone,
        passengers: u32,
        window: Option<DepartureWindow>,
    ) -> Result<Self, ParseError> {
        if origin == destination {
            return Err(ParseError::new(
                "same_origin_and_destination",
                format!("a trip from {origin} goes somewhere else"),
            ));
        }
        if !(1..=PASSENGERS_MAX).contains(&passengers) {
            return Err(ParseError::new(
                "invalid_passengers",
                format!("a search is for 1 to {PASSENGERS_MAX} passengers, not {passengers}"),
            ));
        }
        Ok(Self { origin, destination, date, origin_time_zone, passengers, window })
    }

    /// Where the trip starts.
    pub fn origin(&self) -> AirportCode {
        self.origin
    }

    /// Where the trip ends.
    pub fn destination(&self) -> AirportCode {
        self.destination
    }

    /// The local date at the origin on which the first flight departs.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The origin's time zone.
    pub fn origin_time_zone(&self) -> &TimeZone {
        &self.origin_time_zone
    }

    /// How many people travel.
    pub fn passengers(&self) -> u32 {
        self.passengers
    }

    /// The hours within which the first flight departs, if limited.
    pub fn window(&self) -> Option<DepartureWindow> {
        self.window
    }

    /// Whether a first flight departing at `departure` suits the query: on its date, inside
    /// its window.
    pub fn departs_in_time(&self, departure: Timestamp) -> bool {
        let local = self.origin_time_zone.to_datetime(departure);
        local.date() == self.date && self.window.is_none_or(|window| window.contains(local.time()))
    }

    /// The latest instant an itinerary may arrive: `arrival_hours_max` hours after local
    /// midnight at the origin at the start of the query's date.
    pub fn latest_arrival(&self, options: &SearchOptions) -> Timestamp {
        let midnight = self.local_instant(Time::midnight());
        midnight
            .saturating_add(time::minutes(options.arrival_hours_max.saturating_mul(60)))
            .unwrap_or(Timestamp::MAX)
    }

    /// The instant of local time `at` on the query's date at the origin (the later one when
    /// the clock skips it, the earlier one when it shows it twice).
    pub(super) fn local_instant(&self, at: Time) -> Timestamp {
        self.origin_time_zone.to_timestamp(self.date.to_datetime(at)).unwrap_or(Timestamp::MAX)
    }
}

/// The limits of a search, with their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// Most itineraries one answer lists.
    pub results_max: usize,
    /// Latest arrival of an itinerary, in hours after local midnight at the origin at the
    /// start of the departure date: 48 is "by the end of the next day", about.
    pub arrival_hours_max: i64,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self { results_max: 20, arrival_hours_max: 48 }
    }
}
