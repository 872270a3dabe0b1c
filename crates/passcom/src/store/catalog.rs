//! The catalog's storage: airports, airlines and flights, with how many seats each has free.
//!
//! Own flights and replicated ones sit side by side here: a flight's `airline` says whose it
//! is. Replicas are written through [`NetworkStore::apply_replica`](super::NetworkStore), not
//! through this trait, which is the owner's and the seed's.

use std::collections::BTreeSet;

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use passcom_core::{Airline, Airport, AirportCode, Cabin, Flight, FlightId, SeatNumber};

use super::{Page, StoreResult};

/// A flight as this node knows it, with how many seats are free now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlightRecord {
    /// The flight.
    pub flight: Flight,
    /// Seats neither held nor sold.
    pub seats_available: u32,
}

/// Which flights to list: every filter is optional; results come in departure order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlightQuery {
    /// Only flights leaving from here.
    pub origin: Option<AirportCode>,
    /// Only flights arriving here.
    pub destination: Option<AirportCode>,
    /// Only flights on this local date at their origin.
    pub date: Option<Date>,
    /// Only flights after this position (from the previous page).
    pub after: Option<FlightPosition>,
    /// At most this many.
    pub limit: usize,
}

/// A flight's place in the listing order: departure, then id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FlightPosition {
    /// Departure instant.
    pub departure: Timestamp,
    /// Flight id, to order flights leaving at the same instant.
    pub id: FlightId,
}

/// A flight's seat layout and which seats are taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatMap {
    /// The layout.
    pub cabin: Cabin,
    /// Seats held or sold.
    pub taken: BTreeSet<SeatNumber>,
}

/// Airports, airlines and flights.
#[async_trait]
pub trait CatalogStore: Send + Sync + 'static {
    /// Inserts or updates the airports (reference data).
    async fn put_airports(&self, airports: Vec<Airport>) -> StoreResult<()>;
    /// Every airport, by code.
    async fn airports(&self) -> StoreResult<Vec<Airport>>;
    /// Inserts or updates an airline of the network.
    async fn put_airline(&self, airline: Airline) -> StoreResult<()>;
    /// Every airline this node knows, by id.
    async fn airlines(&self) -> StoreResult<Vec<Airline>>;

    /// Inserts the flights whose ids are not stored yet; returns how many were new.
    async fn add_missing_flights(&self, flights: Vec<Flight>) -> StoreResult<usize>;
    /// Inserts one new flight; `FlightExists` if the id is taken.
    async fn create_flight(&self, flight: Flight) -> StoreResult<FlightRecord>;
    /// Replaces a scheduled flight's times and fare with those of `flight` if the stored one is
    /// at `expected_version` (the optimistic lock of edits); bumps the version.
    async fn update_flight(
        &self,
        flight: Flight,
        expected_version: u64,
    ) -> StoreResult<FlightRecord>;
    /// Cancels a flight (if at `expected_version`, when given): nothing more is sold on it, and
    /// the segments booked on it are marked `flight_cancelled` with a history entry.
    async fn cancel_flight(
        &self,
        id: FlightId,
        expected_version: Option<u64>,
        at: Timestamp,
    ) -> StoreResult<FlightRecord>;
    /// One flight.
    async fn flight(&self, id: FlightId) -> StoreResult<Option<FlightRecord>>;
    /// Several flights by id; missing ones are left out.
    async fn flights_by_id(&self, ids: Vec<FlightId>) -> StoreResult<Vec<FlightRecord>>;
    /// A page of flights.
    async fn flights(&self, query: FlightQuery) -> StoreResult<Page<FlightRecord, FlightPosition>>;
    /// A flight's seat map.
    async fn seat_map(&self, id: FlightId) -> StoreResult<Option<SeatMap>>;
}
