//! Airlines: who owns flights, sells trips and issues tickets.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// An airline's id in the network: lower-case letters, digits and dashes, starting with a
/// letter, at most 32 characters (`rumos`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AirlineId(String);

/// Longest airline id.
const AIRLINE_ID_CHARS_MAX: usize = 32;

impl AirlineId {
    /// Parses an airline id; upper-case letters are folded to lower case.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let id = raw.to_ascii_lowercase();
        let well_formed = !id.is_empty()
            && id.len() <= AIRLINE_ID_CHARS_MAX
            && id.starts_with(|c: char| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            return Err(ParseError::new(
                "invalid_airline_id",
                format!(
                    "{raw:?} is not an airline id: expected lower-case letters, digits and dashes, like rumos"
                ),
            ));
        }
        Ok(Self(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AirlineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for AirlineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AirlineId({})", self.0)
    }
}

/// An airline's two-character designator, the prefix of its flight numbers (`RU`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Designator([u8; 2]);

impl Designator {
    /// Parses a designator: two letters or digits, at least one a letter; stored upper case.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let bytes = raw.as_bytes();
        let well_formed = bytes.len() == 2
            && bytes.iter().all(u8::is_ascii_alphanumeric)
            && bytes.iter().any(u8::is_ascii_alphabetic);
        if !well_formed {
            return Err(ParseError::new(
                "invalid_designator",
                format!("{raw:?} is not an airline designator: expected two characters, like RU"),
            ));
        }
        Ok(Self([bytes[0].to_ascii_uppercase(), bytes[1].to_ascii_uppercase()]))
    }

    /// The designator as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("designators are ASCII")
    }
}

impl fmt::Display for Designator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for Designator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Designator({})", self.as_str())
    }
}

/// The three-digit number that starts every ticket an airline issues (its accounting code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct TicketPrefix(u16);

impl TicketPrefix {
    /// Parses a prefix: a number from 100 to 999, so that tickets always have 13 digits.
    pub fn new(prefix: u16) -> Result<Self, ParseError> {
        if !(100..=999).contains(&prefix) {
            return Err(ParseError::new(
                "invalid_ticket_prefix",
                format!("{prefix} is not a ticket prefix: expected a number from 100 to 999"),
            ));
        }
        Ok(Self(prefix))
    }

    /// The prefix as a number.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for TicketPrefix {
    type Error = ParseError;
    fn try_from(prefix: u16) -> Result<Self, ParseError> {
        Self::new(prefix)
    }
}

impl From<TicketPrefix> for u16 {
    fn from(prefix: TicketPrefix) -> u16 {
        prefix.0
    }
}

/// An airline of the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Airline {
    /// Network id (`giro`).
    pub id: AirlineId,
    /// Name customers see (`Giro`).
    pub name: String,
    /// Flight-number prefix (`GI`).
    pub designator: Designator,
    /// Brand colour, `#rrggbb`.
    pub colour: String,
    /// First three digits of its tickets.
    pub ticket_prefix: TicketPrefix,
}

/// Checks a brand colour: `#` and six hexadecimal digits, stored lower case.
pub fn parse_colour(raw: &str) -> Result<String, ParseError> {
    let well_formed =
        raw.len() == 7 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !well_formed {
        return Err(ParseError::new(
            "invalid_colour",
            format!("{raw:?} is not a colour: expected #rrggbb"),
        ));
    }
    Ok(raw.to_ascii_lowercase())
}

crate::parse::text_conversions!(AirlineId);

crate::parse::text_conversions!(Designator);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airline_ids_are_lower_case_slugs() {
        assert_eq!(AirlineId::parse("Rumos").unwrap().as_str(), "rumos");
        assert!(AirlineId::parse("air-2").is_ok());
        for raw in ["", "2air", "ai r", "ai_r", &"a".repeat(33)] {
            assert_eq!(AirlineId::parse(raw).unwrap_err().code(), "invalid_airline_id");
        }
    }

    #[test]
    fn designators_are_two_characters_with_a_letter() {
        assert_eq!(Designator::parse("gi").unwrap().as_str(), "GI");
        assert!(Designator::parse("G3").is_ok());
        for raw in ["G", "GIR", "33", "G-"] {
            assert!(Designator::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn ticket_prefixes_have_three_digits() {
        assert!(TicketPrefix::new(957).is_ok());
        assert!(TicketPrefix::new(99).is_err());
        assert!(TicketPrefix::new(1000).is_err());
    }

    #[test]
    fn colours_are_hex_triplets() {
        assert_eq!(parse_colour("#C62828").unwrap(), "#c62828");
        assert!(parse_colour("c62828").is_err());
        assert!(parse_colour("#c6282z").is_err());
    }
}
