//! The catalog: every flight this node knows, in memory.
//!
//! The store is the record; the catalog is its in-memory copy for what must not wait on a
//! database read: checking a purchase's itinerary now, searching itineraries later (issue 4),
//! holding other airlines' replicated flights (issue 3). It is loaded from the store at start
//! and every change the store accepts is put here after it commits, so it is never ahead of the
//! record and at most one write behind it. Nothing is *sold* on the catalog's word: a hold
//! re-checks the flight inside its own write, at the owner.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use passcom_core::{Flight, FlightId};

use crate::store::{FlightQuery, Store, StoreResult};

/// Flights read per page while loading.
const LOAD_PAGE_FLIGHTS: usize = 10_000;

/// Every known flight by id.
#[derive(Default)]
pub struct Catalog {
    flights: RwLock<HashMap<FlightId, Arc<Flight>>>,
}

impl Catalog {
    /// The catalog of everything `store` holds.
    pub async fn load(store: &dyn Store) -> StoreResult<Self> {
        let catalog = Self::default();
        let mut query = FlightQuery { limit: LOAD_PAGE_FLIGHTS, ..FlightQuery::default() };
        loop {
            let page = store.flights(query.clone()).await?;
            for record in page.items {
                catalog.put(record.flight);
            }
            match page.next {
                Some(position) => query.after = Some(position),
                None => return Ok(catalog),
            }
        }
    }

    /// The flight with id `id`.
    pub fn get(&self, id: FlightId) -> Option<Arc<Flight>> {
        self.read().get(&id).cloned()
    }

    /// Records `flight` as the store now has it.
    pub fn put(&self, flight: Flight) {
        let mut flights = self.flights.write().expect("the catalog lock is never poisoned");
        flights.insert(flight.id, Arc::new(flight));
    }

    /// How many flights it holds.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<FlightId, Arc<Flight>>> {
        self.flights.read().expect("the catalog lock is never poisoned")
    }
}
