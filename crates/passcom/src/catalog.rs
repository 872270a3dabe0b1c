//! The catalog: every flight this node knows — its own and its replicas of other airlines' —
//! with free seats, in memory, arranged for itinerary search.
//!
//! The store is the record; the catalog is its in-memory copy for what must not wait on a
//! database read: searching itineraries, checking a purchase's itinerary, listing what the
//! network sells. It is one [`SearchIndex`], so the flights a customer can search are exactly
//! the flights the node knows. It is loaded from the store at start; changes reach it after the
//! store has accepted them — schedule edits directly, seat counts of own flights by following
//! the change log, other airlines' flights as replication applies them. It is never ahead of the
//! record. Nothing is *sold* on the catalog's word: a hold re-checks the flight inside its own
//! write, at the owner.
//!
//! Two updates of one flight can arrive out of order (an edit put directly, and an older state
//! read from the log just before it); a flight is only ever replaced by one of the same or a
//! later version, so the catalog never goes back. Searches take the read lock and run in
//! parallel; an update waits for them only as long as one search takes (well under a
//! millisecond, see docs/benchmarks.md).

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use passcom_core::itinerary::ConnectionRules;
use passcom_core::replication::FlightState;
use passcom_core::search::{Itinerary, Query, SearchIndex, SearchOptions};
use passcom_core::{AirlineId, Flight, FlightId};

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

/// Every known flight, searchable.
#[derive(Default)]
pub struct Catalog {
    index: RwLock<SearchIndex>,
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
        self.read().get(id).map(|(flight, _)| flight.clone())
    }

    /// The flight with id `id` and its free seats.
    pub fn entry(&self, id: FlightId) -> Option<CatalogFlight> {
        self.read().get(id).map(|(flight, seats_available)| CatalogFlight {
            flight: flight.clone(),
            seats_available,
        })
    }

    /// Records `flight` as the store now has it, keeping its seat count.
    pub fn put(&self, flight: Flight) {
        let mut index = self.write();
        let seats_available =
            index.get(flight.id).map_or(flight.cabin.capacity(), |(_, seats)| seats);
        replace_if_newer(&mut index, flight, seats_available);
    }

    /// Records a flight and its free seats as the store (or its owner) now has them.
    pub fn put_state(&self, state: FlightState) {
        replace_if_newer(&mut self.write(), state.flight, state.seats_available);
    }

    /// Every flight for which `keep` holds.
    pub fn matching(&self, keep: impl Fn(&Flight) -> bool) -> Vec<CatalogFlight> {
        let index = self.read();
        let kept = index.flights().filter(|(flight, _)| keep(flight));
        kept.map(|(flight, seats_available)| CatalogFlight {
            flight: flight.clone(),
            seats_available,
        })
        .collect()
    }

    /// How many flights are `owner`'s, and how many are other airlines'.
    pub fn counts(&self, owner: &AirlineId) -> (usize, usize) {
        let index = self.read();
        let own = index.flights().filter(|(flight, _)| flight.airline == *owner).count();
        (own, index.len() - own)
    }

    /// The Pareto-best itineraries for `query` (see `passcom_core::search`).
    pub fn search(
        &self,
        query: &Query,
        rules: &ConnectionRules,
        is_offline: impl Fn(&AirlineId) -> bool,
        options: &SearchOptions,
    ) -> Vec<Itinerary> {
        self.read().search(query, rules, is_offline, options)
    }

    /// How many flights it holds.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    fn read(&self) -> RwLockReadGuard<'_, SearchIndex> {
        self.index.read().expect("the catalog lock is never poisoned")
    }

    fn write(&self) -> RwLockWriteGuard<'_, SearchIndex> {
        self.index.write().expect("the catalog lock is never poisoned")
    }
}

/// Puts `flight` in the index unless it holds a later version; a change of seats only is the
/// index's cheap update.
fn replace_if_newer(index: &mut SearchIndex, flight: Flight, seats_available: u32) {
    match index.get(flight.id) {
        Some((held, _)) if held.version > flight.version => {}
        Some((held, _)) if **held == flight => {
            index.set_seats_available(flight.id, seats_available);
        }
        _ => index.upsert(flight, seats_available),
    }
}
