//! What the campaign did and saw: the history the workload and the nemesis write, and the state
//! the settling reads back at the end. The checker judges these two, and nothing else, so that
//! its tests can forge either.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Milliseconds since the campaign started.
pub type Millis = u64;

/// What the workload and the nemesis did, in order of their start.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct History {
    /// Every purchase tried.
    pub purchases: Vec<Purchase>,
    /// Every cancellation asked for.
    pub cancels: Vec<Cancel>,
    /// Every fault the nemesis applied, with when it was healed.
    pub faults: Vec<FaultWindow>,
    /// Searches made, and how many of them failed.
    pub searches: Searches,
}

/// What a purchase was for, in the workload.
#[derive(Clone, Copy, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseKind {
    /// Flights of one airline.
    OneAirline,
    /// A connection across two airlines.
    CrossAirline,
    /// One named seat, asked for by several customers at once.
    LastSeat,
}

/// One purchase: a customer of `seller` buying `flights` for one passenger under `key`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Purchase {
    /// Its idempotency key.
    pub key: String,
    /// The airline it was bought at (the customer's home airline).
    pub seller: String,
    /// The customer, by username.
    pub customer: String,
    /// The passenger's name.
    pub passenger: String,
    /// The flights, in order.
    pub flights: Vec<String>,
    /// The seat asked for on each flight, if any.
    pub seats: Option<Vec<String>>,
    /// Why the workload bought it.
    pub kind: PurchaseKind,
    /// When it was sent.
    pub started: Millis,
    /// When its first answer came (or the request gave up).
    pub ended: Millis,
    /// What its first answer said.
    pub answered: Outcome,
    /// What it turned out to be once settled (the same as `answered` when that was decided).
    pub outcome: Outcome,
    /// Every booking reference any answer for this key named.
    pub references: Vec<String>,
}

/// What a purchase came to.
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Outcome {
    /// 201: bought.
    Confirmed {
        /// The booking.
        reference: String,
    },
    /// 202: not decided yet.
    Pending {
        /// The booking to read later.
        reference: String,
    },
    /// A 4xx or 503: not bought (with the failed booking's reference when one was made).
    Failed {
        /// The error code.
        code: String,
        /// The failed booking, if the purchase got that far.
        reference: Option<String>,
    },
    /// No answer (a timeout, a reset connection, a 5xx without a code).
    Unknown {
        /// What went wrong.
        error: String,
    },
}

impl Outcome {
    /// A word for reports: `confirmed`, `pending`, `failed`, `unknown`.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Confirmed { .. } => "confirmed",
            Outcome::Pending { .. } => "pending",
            Outcome::Failed { .. } => "failed",
            Outcome::Unknown { .. } => "unknown",
        }
    }
}

/// One cancellation asked of the seller.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Cancel {
    /// The seller.
    pub seller: String,
    /// The booking.
    pub reference: String,
    /// When it was sent.
    pub at: Millis,
    /// The answer's status, if one came.
    pub status: Option<u16>,
}

/// One fault the nemesis applied, from `start` until it was healed at `end`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct FaultWindow {
    /// Like `kill giro` or `cut rumos boreal`.
    pub fault: String,
    /// When it was applied.
    pub start: Millis,
    /// When it was healed.
    pub end: Millis,
}

/// Searches the workload made.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Searches {
    /// How many.
    pub made: u64,
    /// How many got no answer or an error.
    pub failed: u64,
}

/// The network's state as read through its APIs once everything settled.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Observed {
    /// The campaign's customers' bookings, as each seller lists them, by [`booking_id`].
    pub bookings: BTreeMap<String, ObservedBooking>,
    /// Every flight the campaign bought on, by id.
    pub flights: BTreeMap<String, ObservedFlight>,
    /// Purchases still without a decided answer when settling gave up, by key.
    pub unsettled: Vec<String>,
}

/// A booking's id across the network: `seller/reference` (a reference is unique at its seller
/// only).
pub fn booking_id(seller: &str, reference: &str) -> String {
    format!("{seller}/{reference}")
}

/// A booking as its seller lists it to its customer.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ObservedBooking {
    /// `confirmed`, `pending`, `cancelled`, `failed`.
    pub status: String,
    /// Its segments: (flight, seat).
    pub segments: Vec<(String, String)>,
}

/// A flight as its owner and every replica show it.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ObservedFlight {
    /// The owner.
    pub owner: String,
    /// Seats on the owner's seat map.
    pub capacity: u32,
    /// Seats free on the owner's seat map.
    pub seats_free: u32,
    /// The owner's record of every seat held or sold.
    pub segments: Vec<OwnerSegment>,
    /// The flight as its owner lists it.
    pub owner_view: Option<FlightState>,
    /// The flight as each other airline lists it (its replica), by airline.
    pub replicas: BTreeMap<String, Option<FlightState>>,
}

/// The owner's record of one seat.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct OwnerSegment {
    /// The seat.
    pub seat: String,
    /// `sold` or `held`.
    pub state: String,
    /// The airline that sold it.
    pub seller: String,
    /// The seller's booking, once sold.
    pub reference: Option<String>,
    /// The passenger.
    pub passenger: String,
}

/// What a flight listing says of a flight: what replication carries.
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
pub struct FlightState {
    /// Seats available.
    pub seats_available: u32,
    /// The flight's version.
    pub version: u64,
    /// `scheduled` or `cancelled`.
    pub status: String,
}
