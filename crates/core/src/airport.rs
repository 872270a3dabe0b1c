//! Airports: where flights start and end, and the time zone their local times are shown in.

use std::fmt;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::ParseError;

/// An IATA airport code: three letters, upper case (`GRU`).
///
/// Parsing accepts either case and stores upper case, so `gru` and `GRU` are the same airport.
/// The code is `Copy` and three bytes long, which keeps the search engine's tables small.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AirportCode([u8; 3]);

impl AirportCode {
    /// Parses a three-letter IATA code.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let bytes = raw.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(ParseError::new(
                "invalid_airport_code",
                format!("{raw:?} is not an airport code: expected three letters, like GRU"),
            ));
        }
        Ok(Self([
            bytes[0].to_ascii_uppercase(),
            bytes[1].to_ascii_uppercase(),
            bytes[2].to_ascii_uppercase(),
        ]))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // The bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).expect("airport codes are ASCII")
    }
}

impl fmt::Display for AirportCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for AirportCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AirportCode({})", self.as_str())
    }
}

/// An airport, with what customers see of it and the time zone of its local times.
#[derive(Debug, Clone, PartialEq)]
pub struct Airport {
    /// IATA code.
    pub code: AirportCode,
    /// Airport name, as the airport itself writes it.
    pub name: String,
    /// City served.
    pub city: String,
    /// State (two-letter abbreviation in Brazil).
    pub state: String,
    /// Country.
    pub country: String,
    /// Latitude in degrees, north positive.
    pub latitude: f64,
    /// Longitude in degrees, east positive.
    pub longitude: f64,
    /// The IANA time zone of local times at this airport.
    pub time_zone: TimeZone,
}

/// Mean Earth radius used for great-circle distances.
const EARTH_RADIUS_KM: f64 = 6371.0;

impl Airport {
    /// The IANA name of the airport's time zone (`America/Manaus`).
    pub fn time_zone_name(&self) -> &str {
        self.time_zone.iana_name().unwrap_or("UTC")
    }

    /// Great-circle distance to `other` in kilometres (haversine formula).
    pub fn distance_km(&self, other: &Airport) -> f64 {
        let (lat1, lat2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.longitude - self.longitude).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// Looks up an IANA time zone by name in the time zone database bundled with the binary.
pub fn time_zone(name: &str) -> Result<TimeZone, ParseError> {
    TimeZone::get(name).map_err(|_| {
        ParseError::new("invalid_time_zone", format!("{name:?} is not an IANA time zone"))
    })
}

crate::parse::text_conversions!(AirportCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airport_codes_parse_in_either_case() {
        assert_eq!(AirportCode::parse("gru").unwrap().as_str(), "GRU");
        assert_eq!(AirportCode::parse("GRU").unwrap(), AirportCode::parse("gRu").unwrap());
    }

    #[test]
    fn airport_codes_refuse_anything_but_three_letters() {
        for raw in ["", "GR", "GRUU", "G1U", "GR ", "ÃBC"] {
            let error = AirportCode::parse(raw).unwrap_err();
            assert_eq!(error.code(), "invalid_airport_code", "{raw:?}");
        }
    }

    #[test]
    fn distance_between_sao_paulo_and_manaus_is_about_2700_km() {
        let airport = |lat, lon| Airport {
            code: AirportCode::parse("XXX").unwrap(),
            name: String::new(),
            city: String::new(),
            state: String::new(),
            country: String::new(),
            latitude: lat,
            longitude: lon,
            time_zone: TimeZone::UTC,
        };
        let gru = airport(-23.4356, -46.4731);
        let mao = airport(-3.0386, -60.0497);
        let km = gru.distance_km(&mao);
        assert!((2650.0..2750.0).contains(&km), "{km}");
    }
}
