//! Bookings: what a customer bought, and the numbers that name it.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::airline::{AirlineId, TicketPrefix};
use crate::airport::AirportCode;
use crate::commit::AbortCause;
use crate::flight::FlightId;
use crate::money::Money;
use crate::seat::SeatNumber;
use crate::{ParseError, parse};

/// The characters of booking references: upper-case letters and digits without the ones people
/// confuse (`0`/`O`, `1`/`I`). Thirty-two of them, so five random bits choose one.
const REFERENCE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters in a booking reference.
const REFERENCE_CHARS: usize = 6;

/// A booking reference, like an airline's record locator: six characters (`K7M2QX`), unique at
/// the selling airline.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BookingReference([u8; REFERENCE_CHARS]);

impl BookingReference {
    /// Parses a reference; lower case is folded to upper case.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let upper = raw.to_ascii_uppercase();
        let bytes = upper.as_bytes();
        if bytes.len() != REFERENCE_CHARS || !bytes.iter().all(|b| REFERENCE_ALPHABET.contains(b)) {
            return Err(ParseError::new(
                "invalid_booking_reference",
                format!(
                    "{raw:?} is not a booking reference: expected six letters and digits, like K7M2QX"
                ),
            ));
        }
        let mut reference = [0; REFERENCE_CHARS];
        reference.copy_from_slice(bytes);
        Ok(Self(reference))
    }

    /// The reference drawn by `random`: its low 30 bits choose the six characters.
    pub fn from_random(random: u64) -> Self {
        let mut reference = [0; REFERENCE_CHARS];
        for (i, slot) in reference.iter_mut().enumerate() {
            *slot = REFERENCE_ALPHABET[((random >> (5 * i)) & 31) as usize];
        }
        Self(reference)
    }

    /// The reference as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("references are ASCII")
    }
}

impl fmt::Display for BookingReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for BookingReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BookingReference({})", self.as_str())
    }
}

/// A ticket number: thirteen digits, the issuing airline's three-digit prefix then a ten-digit
/// serial (`9021000000042`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TicketNumber(u64);

/// One more than the highest ticket serial: serials have ten digits.
pub const TICKET_SERIALS: u64 = 10_000_000_000;

impl TicketNumber {
    /// The ticket with serial `serial` (below [`TICKET_SERIALS`]) issued by the airline with
    /// prefix `prefix`.
    pub fn issue(prefix: TicketPrefix, serial: u64) -> Result<Self, ParseError> {
        if serial >= TICKET_SERIALS {
            return Err(ParseError::new(
                "ticket_serials_exhausted",
                "the airline has issued every ticket serial it has",
            ));
        }
        Ok(Self(u64::from(prefix.get()) * TICKET_SERIALS + serial))
    }

    /// Parses thirteen digits.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let well_formed =
            raw.len() == 13 && raw.bytes().all(|b| b.is_ascii_digit()) && !raw.starts_with('0');
        if !well_formed {
            return Err(ParseError::new(
                "invalid_ticket_number",
                format!("{raw:?} is not a ticket number: expected thirteen digits"),
            ));
        }
        Ok(Self(raw.parse().expect("thirteen digits fit in u64")))
    }

    /// The issuing airline's prefix.
    pub fn prefix(self) -> u16 {
        (self.0 / TICKET_SERIALS) as u16
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}", self.0)
    }
}

impl fmt::Debug for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ticket({self})")
    }
}

/// A passenger's name as it goes on the ticket: 1 to 64 characters after trimming, no control
/// characters, at least one letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PassengerName(String);

/// Longest passenger name, in characters.
pub const PASSENGER_NAME_CHARS_MAX: usize = 64;

impl PassengerName {
    /// Parses a passenger name; inner white space is collapsed.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let name = parse::clean_text(
            raw,
            PASSENGER_NAME_CHARS_MAX,
            "invalid_passenger_name",
            "a passenger name",
        )?;
        if !name.chars().any(char::is_alphabetic) {
            return Err(ParseError::new(
                "invalid_passenger_name",
                "a passenger name must contain letters",
            ));
        }
        Ok(Self(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PassengerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// The purchase is in doubt: the commit protocol has not told the seller its outcome yet.
    Pending,
    /// Every segment is sold at its owner.
    Confirmed,
    /// The customer cancelled; no seat is held for it.
    Cancelled,
    /// The purchase failed: nothing was bought, and no seat is held for it.
    Failed,
}

impl BookingStatus {
    /// The status as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Pending => "pending",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::Failed => "failed",
        }
    }

    /// Parses a stored status.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw {
            "pending" => Ok(BookingStatus::Pending),
            "confirmed" => Ok(BookingStatus::Confirmed),
            "cancelled" => Ok(BookingStatus::Cancelled),
            "failed" => Ok(BookingStatus::Failed),
            _ => Err(ParseError::new(
                "invalid_booking_status",
                format!("{raw:?} is not a booking status"),
            )),
        }
    }
}

/// Where one segment of a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentStatus {
    /// The seat is sold to the passenger.
    Confirmed,
    /// The booking was cancelled and the seat released.
    Cancelled,
    /// The operating airline cancelled the flight.
    FlightCancelled,
}

impl SegmentStatus {
    /// The status as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentStatus::Confirmed => "confirmed",
            SegmentStatus::Cancelled => "cancelled",
            SegmentStatus::FlightCancelled => "flight_cancelled",
        }
    }

    /// Parses a stored status.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw {
            "confirmed" => Ok(SegmentStatus::Confirmed),
            "cancelled" => Ok(SegmentStatus::Cancelled),
            "flight_cancelled" => Ok(SegmentStatus::FlightCancelled),
            _ => Err(ParseError::new(
                "invalid_segment_status",
                format!("{raw:?} is not a segment status"),
            )),
        }
    }
}

/// What a customer bought at the selling airline: passengers, segments, price and history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// Six-character reference, unique at the seller.
    pub reference: BookingReference,
    /// Where the booking stands.
    pub status: BookingStatus,
    /// Passengers, in the order the customer gave them.
    pub passengers: Vec<PassengerName>,
    /// One segment per passenger per flight, flight by flight.
    pub segments: Vec<Segment>,
    /// What the whole trip costs, every passenger included.
    pub total_price: Money,
    /// When it was made.
    pub created_at: Timestamp,
    /// Every change of state, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Why the purchase failed, when it did.
    pub failure: Option<AbortCause>,
}

/// One passenger on one flight of a booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The flight.
    pub flight: FlightId,
    /// Its operating airline (the owner).
    pub airline: AirlineId,
    /// Where it leaves from, as booked.
    pub origin: AirportCode,
    /// Where it arrives, as booked.
    pub destination: AirportCode,
    /// Departure, as booked.
    pub departure: Timestamp,
    /// Arrival, as booked.
    pub arrival: Timestamp,
    /// Index of the passenger in the booking's list.
    pub passenger: usize,
    /// The seat.
    pub seat: SeatNumber,
    /// The ticket the owner issued.
    pub ticket: TicketNumber,
    /// Fare paid for this seat.
    pub price: Money,
    /// Where this segment stands.
    pub status: SegmentStatus,
}

/// One change in a booking's life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// When it happened.
    pub at: Timestamp,
    /// What happened, as a stable snake_case code (`confirmed`, `cancelled`, `flight_cancelled`).
    pub event: String,
    /// Why, or what changed, for people.
    pub detail: String,
}

crate::parse::text_conversions!(BookingReference);

crate::parse::text_conversions!(TicketNumber);

crate::parse::text_conversions!(PassengerName);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_use_an_unambiguous_alphabet() {
        assert_eq!(BookingReference::parse("k7m2qx").unwrap().as_str(), "K7M2QX");
        for raw in ["K7M2Q", "K7M2QXX", "K7M2Q0", "K7M2QI", "K7M2Q-"] {
            assert_eq!(
                BookingReference::parse(raw).unwrap_err().code(),
                "invalid_booking_reference"
            );
        }
    }

    #[test]
    fn random_references_parse_back() {
        for random in [0, 1, u64::MAX, 0x1234_5678_9abc] {
            let reference = BookingReference::from_random(random);
            assert_eq!(BookingReference::parse(reference.as_str()).unwrap(), reference);
        }
    }

    #[test]
    fn tickets_have_thirteen_digits_starting_with_the_prefix() {
        let prefix = TicketPrefix::new(902).unwrap();
        let ticket = TicketNumber::issue(prefix, 42).unwrap();
        assert_eq!(ticket.to_string(), "9020000000042");
        assert_eq!(ticket.prefix(), 902);
        assert_eq!(TicketNumber::parse("9020000000042").unwrap(), ticket);
        assert!(TicketNumber::issue(prefix, TICKET_SERIALS).is_err());
        assert!(TicketNumber::parse("902000000004").is_err());
    }

    #[test]
    fn passenger_names_need_letters() {
        assert_eq!(PassengerName::parse("  José  da Silva ").unwrap().as_str(), "José da Silva");
        assert!(PassengerName::parse("1234").is_err());
        assert!(PassengerName::parse("").is_err());
        assert!(PassengerName::parse("O'Brien-Souza").is_ok());
    }
}
