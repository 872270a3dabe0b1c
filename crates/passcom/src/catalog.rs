//! The catalog: every flight this node knows — its own and its replicas of other airlines' —
//! with free seats, in memory.
//!
//! The store is the record; the catalog is its in-memory copy for what must not wait on a
//! database read: checking a purchase's itinerary, searching itineraries, listing what the
//! network sells. It is loaded from the store at start; changes reach it after the store has
//! accepted them — schedule edits directly, seat counts of own flights by following the change
//! log, other airlines' flights as replication applies them. It is never ahead of the record.
//! Nothing is *sold* on the catalog's word: a hold re-checks the flight inside its own write, at
//! the owner.
//!
//! Two updates of one flight can arrive out of order (an edit put directly, and an older state
//! read from the log just before it); a flight is only ever replaced by one of the same or a
//! later version, so the catalog never goes back.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use passcom_core::replication::FlightState;
use passcom_core::{Flight, FlightId};

use crate::store::{FlightQuery, Store, StoreResult};

/// Flights read per page while loading.
const LOAD_PAGE_FLIGHTS: usize = 10_000;

/// A flight and its free seats, as this node last heard.
#[derive(Debug, Clone)]
pub struct CatalogFlight {
    /// The flight.
    pub flight: Arc<Flight>,
    /// Free seats (a hint for other airlines' flights).
    pub seats_available: u32,
}

/// Every known flight by id.
#[derive(Default)]
pub struct Catalog {
    flights: RwLock<HashMap<FlightId, CatalogFlight>>,
}

impl Catalog {
    /// The catalog of everything `store` holds.
    pub async fn load(store: &dyn Store) -> StoreResult<Self> {
        let catalog = Self::default();
        let mut query = FlightQuery { limit: LOAD_PAGE_FLIGHTS, ..FlightQuery::default() };
        loop {
            let page = store.flights(query.clone()).await?;
            for record in page.items {
                catalog.put_state(FlightState {
                    flight: record.flight,
                    seats_available: record.seats_available,
                });
            }
            match page.next {
                Some(position) => query.after = Some(position),
                None => return Ok(catalog),
            }
        }
    }

    /// The flight with id `id`.
    pub fn get(&self, id: FlightId) -> Option<Arc<Flight>> {
        self.read().get(&id).map(|entry| entry.flight.clone())
    }

    /// The flight with id `id` and its free seats.
    pub fn entry(&self, id: FlightId) -> Option<CatalogFlight> {
        self.read().get(&id).cloned()
    }

    /// Records `flight` as the store now has it, keeping its seat count.
    pub fn put(&self, flight: Flight) {
        let mut flights = self.write();
        let seats_available =
            flights.get(&flight.id).map_or(flight.cabin.capacity(), |entry| entry.seats_available);
        replace_if_newer(&mut flights, flight, seats_available);
    }

    /// Records a flight and its free seats as the store (or its owner) now has them.
    pub fn put_state(&self, state: FlightState) {
        replace_if_newer(&mut self.write(), state.flight, state.seats_available);
    }

    /// Every flight for which `keep` holds.
    pub fn matching(&self, keep: impl Fn(&Flight) -> bool) -> Vec<CatalogFlight> {
        self.read().values().filter(|entry| keep(&entry.flight)).cloned().collect()
    }

    /// How many flights are `owner`'s, and how many are other airlines'.
    pub fn counts(&self, owner: &passcom_core::AirlineId) -> (usize, usize) {
        let flights = self.read();
        let own = flights.values().filter(|entry| entry.flight.airline == *owner).count();
        (own, flights.len() - own)
    }

    /// How many flights it holds.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<FlightId, CatalogFlight>> {
        self.flights.read().expect("the catalog lock is never poisoned")
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<FlightId, CatalogFlight>> {
        self.flights.write().expect("the catalog lock is never poisoned")
    }
}

fn replace_if_newer(
    flights: &mut HashMap<FlightId, CatalogFlight>,
    flight: Flight,
    seats_available: u32,
) {
    match flights.get_mut(&flight.id) {
        Some(entry) if entry.flight.version > flight.version => {}
        Some(entry) => {
            entry.flight = Arc::new(flight);
            entry.seats_available = seats_available;
        }
        None => {
            flights.insert(flight.id, CatalogFlight { flight: Arc::new(flight), seats_available });
        }
    }
}
