//! What every store must do, one module per concern of [`passcom::store`]. Each test is a
//! function given a fresh, empty store; each concern's macro declares its tests for a backend
//! (see `super`).
//!
//! The concerns come in the order a new backend can be written and checked in: catalog,
//! accounts, sales, network, commit. The tests of each use the concerns before it to set up
//! (a purchase needs a flight and a customer) and nothing after it, so a backend that has
//! implemented the first three traits runs the first three suites.

pub mod accounts;
pub mod catalog;
pub mod commit;
pub mod network;
pub mod sales;

use jiff::{SignedDuration, Timestamp};
use passcom::store::{
    AccountStore, CatalogStore, CustomerId, NewCustomer, Order, OrderLeg, Purchased, TxnId,
};
use passcom_core::reference::{airports, reference_airlines};
use passcom_core::replication::{Batch, FlightState};
use passcom_core::{
    Airline, BookingReference, Cabin, CustomerName, Flight, FlightId, FlightNumber, FlightStatus,
    Money, PassengerName, SeatNumber, Username,
};

/// Declares one `#[tokio::test]` per test of a concern, in a module named after it, each on a
/// store from the invoking module's function `$open` (which answers a value whose `store`
/// field derefs to the store, or an `Option` of one: `None` skips the test, as a backend on a
/// server does when no server is configured outside CI).
macro_rules! each_test {
    ($open:ident, $concern:ident => $($test:ident),* $(,)?) => {
        mod $concern {
            $(
                #[tokio::test]
                async fn $test() {
                    let opened = super::$open().await;
                    let Some(fixture) = crate::store::suite::Opened::fixture(opened) else {
                        return;
                    };
                    crate::store::suite::$concern::$test(&*fixture.store).await;
                }
            )*
        }
    };
}
pub(crate) use each_test;

/// What a backend's open function answers: its fixture, or `Option` of one.
pub trait Opened {
    /// The fixture.
    type Fixture;
    /// The fixture, if the test is to run.
    fn fixture(self) -> Option<Self::Fixture>;
}

impl<T> Opened for Option<T> {
    type Fixture = T;
    fn fixture(self) -> Option<T> {
        self
    }
}

/// Declares every concern's tests for a backend (see [`each_test`]).
macro_rules! conformance_suite {
    ($open:ident) => {
        crate::store::suite::catalog::catalog_suite!($open);
        crate::store::suite::accounts::accounts_suite!($open);
        crate::store::suite::sales::sales_suite!($open);
        crate::store::suite::network::network_suite!($open);
        crate::store::suite::commit::commit_suite!($open);
    };
}
pub(crate) use conformance_suite;

/// The airline whose store is under test: Rumos.
pub fn owner() -> Airline {
    reference_airlines()[0].airline()
}

pub(crate) fn now() -> Timestamp {
    Timestamp::now()
}

/// A flight of `airline` (Rumos unless said) numbered `number`, GRU → GIG, `hours` from now.
pub(crate) fn flight_of(airline: &Airline, number: u16, hours: i64, cabin: Cabin) -> Flight {
    let departure = now() + SignedDuration::from_hours(hours);
    let departure = Timestamp::from_second(departure.as_second() / 60 * 60).unwrap();
    let date =
        departure.to_zoned_datetime(jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap()).date();
    Flight {
        id: FlightId::new(airline.designator, FlightNumber::new(number).unwrap(), date),
        airline: airline.id.clone(),
        origin: "GRU".parse().unwrap(),
        destination: "GIG".parse().unwrap(),
        departure,
        arrival: departure + SignedDuration::from_mins(55),
        cabin,
        price: Money::fare(25_000).unwrap(),
        status: FlightStatus::Scheduled,
        version: 1,
    }
}

fn flight(number: u16, hours: i64) -> Flight {
    flight_of(&owner(), number, hours, Cabin::standard())
}

/// A store with the reference airports, its airline and `flights`.
async fn prepared(store: &(impl CatalogStore + ?Sized), flights: &[Flight]) {
    store.put_airports(airports()).await.unwrap();
    store.put_airline(owner()).await.unwrap();
    for flight in flights {
        store.create_flight(flight.clone()).await.unwrap();
    }
}

pub(crate) async fn customer(store: &(impl AccountStore + ?Sized), username: &str) -> CustomerId {
    let new = NewCustomer {
        username: Username::parse(username).unwrap(),
        name: CustomerName::parse("Test Customer").unwrap(),
        password_hash: "$argon2id$not-a-real-hash".into(),
        created_at: now(),
    };
    store.create_customer(new).await.unwrap().id
}

pub(crate) fn passengers(names: &[&str]) -> Vec<PassengerName> {
    names.iter().map(|name| PassengerName::parse(name).unwrap()).collect()
}

fn seats(raw: &[&str]) -> Option<Vec<SeatNumber>> {
    Some(raw.iter().map(|seat| SeatNumber::parse(seat).unwrap()).collect())
}

/// An order by `customer` of `legs` (flight and optional seats) for `names`.
pub(crate) fn order(
    customer: CustomerId,
    reference: &str,
    legs: Vec<(Flight, Option<Vec<SeatNumber>>)>,
    names: &[&str],
) -> Order {
    Order {
        txn: TxnId::parse(&hex::encode(reference)).unwrap(),
        reference: BookingReference::parse(reference).unwrap(),
        customer,
        idempotency: None,
        passengers: passengers(names),
        legs: legs.into_iter().map(|(flight, seats)| OrderLeg { flight, seats }).collect(),
        at: now(),
    }
}

async fn seats_available(store: &(impl CatalogStore + ?Sized), id: FlightId) -> u32 {
    store.flight(id).await.unwrap().unwrap().seats_available
}

fn created(purchased: Purchased) -> passcom_core::Booking {
    match purchased {
        Purchased::Created(booking) => booking,
        Purchased::Replayed(booking) => {
            panic!("expected a new booking, got a replay of {}", booking.reference)
        }
    }
}

/// A batch `(after, up_to]` carrying `flights`, 100 seats free each.
pub(crate) fn batch(after: u64, up_to: u64, flights: &[Flight]) -> Batch {
    let flights = flights
        .iter()
        .map(|flight| FlightState { flight: flight.clone(), seats_available: 100 })
        .collect();
    Batch { after, up_to, flights }
}
