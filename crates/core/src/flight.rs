//! Flights: dated departures, each owned by one airline.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::airline::{AirlineId, Designator};
use crate::airport::AirportCode;
use crate::money::Money;
use crate::seat::Cabin;
use crate::{ParseError, time};

/// A flight number without its designator: 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct FlightNumber(u16);

/// Highest flight number.
pub const FLIGHT_NUMBER_MAX: u16 = 9999;

impl FlightNumber {
    /// A flight number from 1 to 9999.
    pub fn new(number: u16) -> Result<Self, ParseError> {
        if number == 0 || number > FLIGHT_NUMBER_MAX {
            return Err(ParseError::new(
                "invalid_flight_number",
                format!("a flight number is from 1 to {FLIGHT_NUMBER_MAX}, not {number}"),
            ));
        }
        Ok(Self(number))
    }

    /// The number.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for FlightNumber {
    type Error = ParseError;
    fn try_from(number: u16) -> Result<Self, ParseError> {
        Self::new(number)
    }
}

impl From<FlightNumber> for u16 {
    fn from(number: FlightNumber) -> u16 {
        number.0
    }
}

impl fmt::Display for FlightNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A flight's id, unique across the network: designator, number and the local date of
/// departure at the origin (`GI1203-2026-12-01`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FlightId {
    designator: Designator,
    number: FlightNumber,
    date: Date,
}

impl FlightId {
    /// The id of flight `designator``number` departing on local date `date`.
    pub fn new(designator: Designator, number: FlightNumber, date: Date) -> Self {
        Self { designator, number, date }
    }

    /// Parses `GI1203-2026-12-01`; the designator may be in either case.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let invalid = || {
            ParseError::new(
                "invalid_flight_id",
                format!(
                    "{raw:?} is not a flight id: expected designator, number and date, like GI1203-2026-12-01"
                ),
            )
        };
        let designator = raw.get(..2).ok_or_else(invalid)?;
        let rest = raw.get(2..).ok_or_else(invalid)?;
        let (number, date) = rest.split_once('-').ok_or_else(invalid)?;
        let digits_only = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
        if !digits_only || number.starts_with('0') || number.len() > 4 {
            return Err(invalid());
        }
        Ok(Self {
            designator: Designator::parse(designator).map_err(|_| invalid())?,
            number: FlightNumber::new(number.parse().map_err(|_| invalid())?)
                .map_err(|_| invalid())?,
            date: time::parse_date(date).map_err(|_| invalid())?,
        })
    }

    /// The operating airline's designator.
    pub fn designator(&self) -> Designator {
        self.designator
    }

    /// The flight number.
    pub fn number(&self) -> FlightNumber {
        self.number
    }

    /// The local date of departure at the origin.
    pub fn date(&self) -> Date {
        self.date
    }
}

impl fmt::Display for FlightId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}-{}", self.designator, self.number, self.date)
    }
}

impl fmt::Debug for FlightId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FlightId({self})")
    }
}

/// Whether a flight will fly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlightStatus {
    /// It flies as published.
    Scheduled,
    /// The airline cancelled it; nothing more is sold on it.
    Cancelled,
}

impl FlightStatus {
    /// The status as stored and shown (`scheduled`).
    pub fn as_str(self) -> &'static str {
        match self {
            FlightStatus::Scheduled => "scheduled",
            FlightStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a stored status.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw {
            "scheduled" => Ok(FlightStatus::Scheduled),
            "cancelled" => Ok(FlightStatus::Cancelled),
            _ => Err(ParseError::new(
                "invalid_flight_status",
                format!("{raw:?} is not a flight status"),
            )),
        }
    }
}

/// A dated departure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flight {
    /// Network-wide id.
    pub id: FlightId,
    /// The owner: the only airline that sells its seats.
    pub airline: AirlineId,
    /// Departure airport.
    pub origin: AirportCode,
    /// Arrival airport.
    pub destination: AirportCode,
    /// When it leaves the gate.
    pub departure: Timestamp,
    /// When it arrives at the gate.
    pub arrival: Timestamp,
    /// Seat layout.
    pub cabin: Cabin,
    /// Fare for one seat.
    pub price: Money,
    /// Scheduled or cancelled.
    pub status: FlightStatus,
    /// Bumped by every change the owner makes; the optimistic lock of edits.
    pub version: u64,
}

/// Longest time between departure and arrival a flight may have: 20 hours.
pub const BLOCK_MINUTES_MAX: i64 = 20 * 60;

/// Checks that a flight's route and times make sense: two different airports, an arrival
/// after the departure, and no more than [`BLOCK_MINUTES_MAX`] in the air.
pub fn check_route_and_times(
    origin: AirportCode,
    destination: AirportCode,
    departure: Timestamp,
    arrival: Timestamp,
) -> Result<(), ParseError> {
    if origin == destination {
        return Err(ParseError::new(
            "same_origin_and_destination",
            format!("a flight cannot depart from and arrive at {origin}"),
        ));
    }
    let block_minutes = time::minutes_between(departure, arrival);
    if block_minutes <= 0 {
        return Err(ParseError::new(
            "arrival_before_departure",
            "a flight must arrive after it departs",
        ));
    }
    if block_minutes > BLOCK_MINUTES_MAX {
        return Err(ParseError::new(
            "flight_too_long",
            format!("a flight lasts at most {BLOCK_MINUTES_MAX} minutes, not {block_minutes}"),
        ));
    }
    Ok(())
}

impl Flight {
    /// Minutes from departure to arrival.
    pub fn duration_minutes(&self) -> i64 {
        time::minutes_between(self.departure, self.arrival)
    }

    /// Whether seats on it may still be sold at instant `now`.
    pub fn is_sellable_at(&self, now: Timestamp) -> bool {
        self.status == FlightStatus::Scheduled && self.departure > now
    }
}

crate::parse::text_conversions!(FlightId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flight_ids_round_trip() {
        let id = FlightId::parse("GI1203-2026-12-01").unwrap();
        assert_eq!(id.to_string(), "GI1203-2026-12-01");
        assert_eq!(id.designator().as_str(), "GI");
        assert_eq!(id.number().get(), 1203);
        assert_eq!(id.date().to_string(), "2026-12-01");
        assert_eq!(FlightId::parse("gi7-2026-12-01").unwrap().to_string(), "GI7-2026-12-01");
    }

    #[test]
    fn flight_ids_refuse_malformed_text() {
        for raw in [
            "",
            "GI",
            "GI-2026-12-01",
            "GI0123-2026-12-01",
            "GI12345-2026-12-01",
            "GI12-2026-02-30",
            "GI12-20261201",
            "GI12 2026-12-01",
            "ÃI12-2026-12-01",
            "GI1a-2026-12-01",
        ] {
            assert_eq!(FlightId::parse(raw).unwrap_err().code(), "invalid_flight_id", "{raw:?}");
        }
    }

    #[test]
    fn route_and_times_are_checked() {
        let gru = AirportCode::parse("GRU").unwrap();
        let mao = AirportCode::parse("MAO").unwrap();
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let (dep, arr) = (t("2026-12-01T10:00:00Z"), t("2026-12-01T14:00:00Z"));
        assert!(check_route_and_times(gru, mao, dep, arr).is_ok());
        let code = |r: Result<(), ParseError>| r.unwrap_err().code();
        assert_eq!(code(check_route_and_times(gru, gru, dep, arr)), "same_origin_and_destination");
        assert_eq!(code(check_route_and_times(gru, mao, arr, dep)), "arrival_before_departure");
        assert_eq!(code(check_route_and_times(gru, mao, dep, dep)), "arrival_before_departure");
        let late = t("2026-12-02T10:00:00Z");
        assert_eq!(code(check_route_and_times(gru, mao, dep, late)), "flight_too_long");
    }

    #[test]
    fn flight_numbers_are_from_1_to_9999() {
        assert!(FlightNumber::new(0).is_err());
        assert!(FlightNumber::new(10_000).is_err());
        assert_eq!(FlightNumber::new(9999).unwrap().get(), 9999);
    }
}
