//! The airline's own schedule, as its admins change it: create, edit, cancel flights.
//!
//! Every change is checked against the domain's rules here — airports exist, the route and
//! times make sense, the flight is this airline's, its date (part of its id) stays the same —
//! and then stored with an optimistic lock: an edit names the version it was made against
//! (`If-Match`), and the store refuses it if the flight changed since. Cancelling a flight keeps
//! the bookings on it: their segments are marked `flight_cancelled` with a history entry, so
//! nobody's trip silently disappears.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use passcom_core::flight::check_route_and_times;
use passcom_core::{
    Airline, Airport, AirportCode, Cabin, Flight, FlightId, FlightNumber, FlightStatus, Money,
    ParseError, time,
};

use crate::catalog::Catalog;
use crate::clock::Clock;
use crate::store::{FlightRecord, Store, StoreError};

/// A flight to create.
#[derive(Debug, Clone)]
pub struct NewFlight {
    /// Number, without designator.
    pub number: FlightNumber,
    /// Departure airport.
    pub origin: AirportCode,
    /// Arrival airport.
    pub destination: AirportCode,
    /// Departure instant.
    pub departure: Timestamp,
    /// Arrival instant.
    pub arrival: Timestamp,
    /// Fare per seat.
    pub price: Money,
    /// Seat layout; the standard cabin if absent.
    pub cabin: Option<Cabin>,
}

/// Changes to a scheduled flight; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct FlightEdit {
    /// New departure instant (same local date).
    pub departure: Option<Timestamp>,
    /// New arrival instant.
    pub arrival: Option<Timestamp>,
    /// New fare for seats sold from now on.
    pub price: Option<Money>,
}

/// Why a schedule change failed.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// An airport is unknown.
    #[error("airport {0} not found")]
    AirportNotFound(AirportCode),
    /// The flight is not one of this airline's.
    #[error("flight {0} not found")]
    FlightNotFound(FlightId),
    /// The change breaks a rule.
    #[error(transparent)]
    Invalid(ParseError),
    /// The flight exists already.
    #[error("flight {0} exists already")]
    FlightExists(FlightId),
    /// The flight changed since the version given.
    #[error("flight {flight} is at version {current}")]
    VersionMismatch {
        /// The flight.
        flight: FlightId,
        /// Its version now.
        current: u64,
    },
    /// The flight is cancelled; it cannot be edited.
    #[error("flight {0} is cancelled")]
    FlightCancelled(FlightId),
    /// Storage failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ScheduleError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::FlightNotFound(flight) => ScheduleError::FlightNotFound(flight),
            StoreError::FlightExists(flight) => ScheduleError::FlightExists(flight),
            StoreError::FlightCancelled(flight) => ScheduleError::FlightCancelled(flight),
            StoreError::VersionMismatch { flight, current } => {
                ScheduleError::VersionMismatch { flight, current }
            }
            other => ScheduleError::Store(other),
        }
    }
}

/// The admin side of the airline's own flights.
pub struct Schedule {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    airline: Airline,
    airports: Arc<BTreeMap<AirportCode, Airport>>,
    catalog: Arc<Catalog>,
}

impl Schedule {
    /// The schedule of `airline`.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        airline: Airline,
        airports: Arc<BTreeMap<AirportCode, Airport>>,
        catalog: Arc<Catalog>,
    ) -> Self {
        Self { store, clock, airline, airports, catalog }
    }

    /// Publishes a new flight.
    pub async fn create(&self, new: NewFlight) -> Result<FlightRecord, ScheduleError> {
        let origin = self.airport(new.origin)?;
        self.airport(new.destination)?;
        check_route_and_times(new.origin, new.destination, new.departure, new.arrival)
            .map_err(ScheduleError::Invalid)?;
        self.check_future(new.departure)?;
        let date = time::local_date(new.departure, &origin.time_zone);
        let flight = Flight {
            id: FlightId::new(self.airline.designator, new.number, date),
            airline: self.airline.id.clone(),
            origin: new.origin,
            destination: new.destination,
            departure: new.departure,
            arrival: new.arrival,
            cabin: new.cabin.unwrap_or_else(Cabin::standard),
            price: new.price,
            status: FlightStatus::Scheduled,
            version: 1,
        };
        self.published(self.store.create_flight(flight).await?)
    }

    /// Changes a flight's times or fare, if it is still at `expected_version`.
    pub async fn edit(
        &self,
        id: FlightId,
        expected_version: u64,
        edit: FlightEdit,
    ) -> Result<FlightRecord, ScheduleError> {
        let current = self.own_flight(id).await?.flight;
        let mut flight = current.clone();
        flight.departure = edit.departure.unwrap_or(current.departure);
        flight.arrival = edit.arrival.unwrap_or(current.arrival);
        flight.price = edit.price.unwrap_or(current.price);
        check_route_and_times(flight.origin, flight.destination, flight.departure, flight.arrival)
            .map_err(ScheduleError::Invalid)?;
        if flight.departure != current.departure {
            self.check_future(flight.departure)?;
            let origin = self.airport(flight.origin)?;
            if time::local_date(flight.departure, &origin.time_zone) != id.date() {
                return Err(ScheduleError::Invalid(ParseError::new(
                    "flight_date_changed",
                    format!(
                        "{id} departs on {}; a departure on another date is another flight",
                        id.date()
                    ),
                )));
            }
        }
        self.published(self.store.update_flight(flight, expected_version).await?)
    }

    /// Cancels a flight (if at `expected_version`, when given).
    pub async fn cancel(
        &self,
        id: FlightId,
        expected_version: Option<u64>,
    ) -> Result<FlightRecord, ScheduleError> {
        self.own_flight(id).await?;
        self.published(self.store.cancel_flight(id, expected_version, self.clock.now()).await?)
    }

    /// Puts a change the store accepted into the catalog.
    fn published(&self, record: FlightRecord) -> Result<FlightRecord, ScheduleError> {
        self.catalog.put(record.flight.clone());
        Ok(record)
    }

    async fn own_flight(&self, id: FlightId) -> Result<FlightRecord, ScheduleError> {
        match self.store.flight(id).await? {
            Some(record) if record.flight.airline == self.airline.id => Ok(record),
            _ => Err(ScheduleError::FlightNotFound(id)),
        }
    }

    fn airport(&self, code: AirportCode) -> Result<&Airport, ScheduleError> {
        self.airports.get(&code).ok_or(ScheduleError::AirportNotFound(code))
    }

    fn check_future(&self, departure: Timestamp) -> Result<(), ScheduleError> {
        if departure <= self.clock.now() {
            return Err(ScheduleError::Invalid(ParseError::new(
                "departure_in_past",
                "a flight must depart in the future",
            )));
        }
        Ok(())
    }
}
