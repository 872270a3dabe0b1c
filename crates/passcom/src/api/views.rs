//! What the API answers: the JSON shapes of airports, airlines, flights, seat maps, bookings
//! and accounts, built from domain values.
//!
//! Times are shown in the local time of their airport with its offset; money is integer cents;
//! airlines and airports are referred to by id and code. These shapes are the public contract
//! (ARCHITECTURE §5): fields may be added, never renamed.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use passcom_core::{Airline, Airport, AirportCode, Booking, Segment, time};
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::{Customer, FlightRecord, SeatMap, SegmentRecord};

/// The airports a node knows, by code: the time zones every local time is shown in.
pub type Airports = BTreeMap<AirportCode, Airport>;

/// `at` in the local time of `airport`.
fn local(airports: &Airports, airport: AirportCode, at: Timestamp) -> String {
    let zone = airports.get(&airport).map(|a| a.time_zone.clone()).unwrap_or(TimeZone::UTC);
    time::rfc3339_local(at, &zone)
}

/// Days between the departure's local date and the arrival's local date (1 for "+1 day").
fn arrival_day_offset(
    airports: &Airports,
    origin: AirportCode,
    departure: Timestamp,
    destination: AirportCode,
    arrival: Timestamp,
) -> i32 {
    let zone =
        |code| airports.get(&code).map(|a: &Airport| a.time_zone.clone()).unwrap_or(TimeZone::UTC);
    time::days_later(departure, &zone(origin), arrival, &zone(destination))
}

/// An airport.
#[derive(Debug, Serialize, ToSchema)]
pub struct AirportView {
    /// IATA code.
    #[schema(example = "MCZ")]
    pub code: String,
    /// Name.
    pub name: String,
    /// City served.
    pub city: String,
    /// State.
    pub state: String,
    /// Country.
    pub country: String,
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
    /// IANA time zone of its local times.
    #[schema(example = "America/Maceio")]
    pub timezone: String,
}

impl From<&Airport> for AirportView {
    fn from(airport: &Airport) -> Self {
        Self {
            code: airport.code.to_string(),
            name: airport.name.clone(),
            city: airport.city.clone(),
            state: airport.state.clone(),
            country: airport.country.clone(),
            latitude: airport.latitude,
            longitude: airport.longitude,
            timezone: airport.time_zone_name().to_owned(),
        }
    }
}

/// Every airport.
#[derive(Debug, Serialize, ToSchema)]
pub struct AirportList {
    /// By code.
    pub airports: Vec<AirportView>,
}

/// An airline of the network.
#[derive(Debug, Serialize, ToSchema)]
pub struct AirlineView {
    /// Network id.
    #[schema(example = "giro")]
    pub id: String,
    /// Name.
    pub name: String,
    /// Flight-number prefix.
    pub designator: String,
    /// Brand colour.
    #[schema(example = "#2e7d32")]
    pub colour: String,
    /// `online` or `offline` (this node is always online to itself).
    pub status: String,
}

impl AirlineView {
    /// `airline` with its current status.
    pub fn new(airline: &Airline, online: bool) -> Self {
        Self {
            id: airline.id.to_string(),
            name: airline.name.clone(),
            designator: airline.designator.to_string(),
            colour: airline.colour.clone(),
            status: if online { "online" } else { "offline" }.to_owned(),
        }
    }
}

/// Every airline this node knows.
#[derive(Debug, Serialize, ToSchema)]
pub struct AirlineList {
    /// By id.
    pub airlines: Vec<AirlineView>,
}

/// A flight.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlightView {
    /// Network-wide id.
    #[schema(example = "GI1001-2026-12-01")]
    pub id: String,
    /// Designator and number.
    #[schema(example = "GI1001")]
    pub flight_number: String,
    /// Owner airline id.
    pub airline: String,
    /// Departure airport code.
    pub origin: String,
    /// Arrival airport code.
    pub destination: String,
    /// Local departure time at the origin, RFC 3339 with offset.
    #[schema(example = "2026-12-01T06:00:00-05:00")]
    pub departure: String,
    /// Local arrival time at the destination, RFC 3339 with offset.
    pub arrival: String,
    /// Minutes in the air, gate to gate.
    pub duration_minutes: i64,
    /// 1 when the flight lands the local day after it leaves ("+1 day").
    pub arrival_day_offset: i32,
    /// Fare per seat, cents of BRL.
    pub price: i64,
    /// Free seats now.
    pub seats_available: u32,
    /// Seats on the aircraft.
    pub capacity: u32,
    /// `scheduled` or `cancelled`.
    pub status: String,
    /// Version, for `If-Match` on edits.
    pub version: u64,
    /// Whether the flight's airline answers now: its seats can be sold only if it does.
    pub owner_online: bool,
}

impl FlightView {
    /// The view of `record`, in local times; `owner_online` says whether its airline answers.
    pub fn new(record: &FlightRecord, airports: &Airports, owner_online: bool) -> Self {
        let flight = &record.flight;
        Self {
            id: flight.id.to_string(),
            flight_number: format!("{}{}", flight.id.designator(), flight.id.number()),
            airline: flight.airline.to_string(),
            origin: flight.origin.to_string(),
            destination: flight.destination.to_string(),
            departure: local(airports, flight.origin, flight.departure),
            arrival: local(airports, flight.destination, flight.arrival),
            duration_minutes: flight.duration_minutes(),
            arrival_day_offset: arrival_day_offset(
                airports,
                flight.origin,
                flight.departure,
                flight.destination,
                flight.arrival,
            ),
            price: flight.price.cents(),
            seats_available: record.seats_available,
            capacity: flight.cabin.capacity(),
            status: flight.status.as_str().to_owned(),
            version: flight.version,
            owner_online,
        }
    }
}

/// A page of flights.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlightList {
    /// In departure order.
    pub flights: Vec<FlightView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// One seat of a seat map.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeatView {
    /// Seat number.
    #[schema(example = "12C")]
    pub seat: String,
    /// Whether it can be chosen.
    pub available: bool,
}

/// A flight's seat map, as its owner has it now. No personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeatMapView {
    /// The flight.
    pub flight: String,
    /// Number of rows.
    pub rows: u8,
    /// Seat letters of every row.
    #[schema(example = "ABCDEF")]
    pub letters: String,
    /// Every seat, row by row.
    pub seats: Vec<SeatView>,
    /// How many are free.
    pub seats_available: usize,
}

impl SeatMapView {
    /// The view of `map` for `flight`.
    pub fn new(flight: &str, map: &SeatMap) -> Self {
        let seats: Vec<SeatView> = map
            .cabin
            .seats()
            .map(|seat| SeatView { seat: seat.to_string(), available: !map.taken.contains(&seat) })
            .collect();
        Self {
            flight: flight.to_owned(),
            rows: map.cabin.rows(),
            letters: map.cabin.letters().to_owned(),
            seats_available: seats.iter().filter(|seat| seat.available).count(),
            seats,
        }
    }
}

/// A customer account.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerView {
    /// Id at this airline.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name.
    pub name: String,
    /// When the account was made.
    pub created_at: String,
}

impl From<&Customer> for CustomerView {
    fn from(customer: &Customer) -> Self {
        Self {
            id: customer.id.0,
            username: customer.username.to_string(),
            name: customer.name.as_str().to_owned(),
            created_at: customer.created_at.to_string(),
        }
    }
}

/// The logged-in customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    /// The account.
    #[serde(flatten)]
    pub customer: CustomerView,
    /// When the session expires if left unused.
    pub session_expires_at: String,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginView {
    /// Bearer token: send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// When it expires if left unused (each use extends it).
    pub expires_at: String,
}

/// A passenger of a booking.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassengerView {
    /// Name as on the tickets.
    pub name: String,
}

/// One passenger on one flight.
#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentView {
    /// Flight id.
    pub flight: String,
    /// Operating airline id.
    pub airline: String,
    /// Departure airport code.
    pub origin: String,
    /// Arrival airport code.
    pub destination: String,
    /// Local departure time.
    pub departure: String,
    /// Local arrival time.
    pub arrival: String,
    /// Passenger name.
    pub passenger: String,
    /// Seat.
    pub seat: String,
    /// 13-digit ticket number.
    #[schema(example = "8820000000042")]
    pub ticket_number: String,
    /// Fare paid, cents.
    pub price: i64,
    /// `confirmed`, `cancelled` or `flight_cancelled`.
    pub status: String,
}

impl SegmentView {
    fn new(segment: &Segment, booking: &Booking, airports: &Airports) -> Self {
        Self {
            flight: segment.flight.to_string(),
            airline: segment.airline.to_string(),
            origin: segment.origin.to_string(),
            destination: segment.destination.to_string(),
            departure: local(airports, segment.origin, segment.departure),
            arrival: local(airports, segment.destination, segment.arrival),
            passenger: booking
                .passengers
                .get(segment.passenger)
                .map(|p| p.to_string())
                .unwrap_or_default(),
            seat: segment.seat.to_string(),
            ticket_number: segment.ticket.to_string(),
            price: segment.price.cents(),
            status: segment.status.as_str().to_owned(),
        }
    }
}

/// One event in a booking's life.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryView {
    /// When (UTC).
    pub at: String,
    /// Stable code: `confirmed`, `cancelled`, `flight_cancelled`…
    pub event: String,
    /// What happened, for people.
    pub detail: String,
}

/// A booking.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingView {
    /// Six-character booking reference.
    #[schema(example = "K7M2QX")]
    pub reference: String,
    /// `confirmed`, `pending` (the purchase across airlines is not decided yet), `cancelled` or
    /// `failed` (nothing was bought; `failure` says why).
    pub status: String,
    /// Passengers.
    pub passengers: Vec<PassengerView>,
    /// Segments, flight by flight, passenger by passenger.
    pub segments: Vec<SegmentView>,
    /// Total for every passenger, cents.
    pub total_price: i64,
    /// Currency of every amount.
    pub currency: String,
    /// When it was made (UTC).
    pub created_at: String,
    /// Every change, oldest first.
    pub history: Vec<HistoryView>,
    /// Why the purchase failed: the error it was answered with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureView>,
}

/// Why a purchase failed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FailureView {
    /// The error code the purchase was answered with, such as `seat_unavailable`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// The flight concerned (a seat taken, a flight cancelled or departed), as in the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flight: Option<String>,
    /// The airline that could not be reached, as in the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub airline: Option<String>,
}

impl BookingView {
    /// The view of `booking`.
    pub fn new(booking: &Booking, airports: &Airports) -> Self {
        Self {
            reference: booking.reference.to_string(),
            status: booking.status.as_str().to_owned(),
            passengers: booking
                .passengers
                .iter()
                .map(|name| PassengerView { name: name.to_string() })
                .collect(),
            segments: booking
                .segments
                .iter()
                .map(|segment| SegmentView::new(segment, booking, airports))
                .collect(),
            total_price: booking.total_price.cents(),
            currency: "BRL".to_owned(),
            created_at: booking.created_at.to_string(),
            history: booking
                .history
                .iter()
                .map(|entry| HistoryView {
                    at: entry.at.to_string(),
                    event: entry.event.clone(),
                    detail: entry.detail.clone(),
                })
                .collect(),
            failure: booking.failure.as_ref().map(|cause| {
                let error = super::error::purchase_failed(cause);
                let detail = |key| error.detail(key).map(str::to_owned);
                FailureView {
                    code: error.code().to_owned(),
                    message: error.message().to_owned(),
                    flight: detail("flight"),
                    airline: detail("airline"),
                }
            }),
        }
    }
}

/// The operating airline's record of one seat on one of its flights.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlightSegmentView {
    /// The seat.
    pub seat: String,
    /// `sold`, or `held` while its purchase is being decided.
    pub state: String,
    /// The passenger's name.
    pub passenger: String,
    /// The ticket this airline issued.
    pub ticket_number: String,
    /// The airline that sold it.
    pub seller: String,
    /// The seller's booking reference, once sold.
    pub reference: Option<String>,
    /// The transaction that holds or sold it.
    pub txn: String,
}

impl FlightSegmentView {
    /// The view of `record`.
    pub fn new(record: &SegmentRecord) -> Self {
        Self {
            seat: record.seat.to_string(),
            state: record.state.clone(),
            passenger: record.passenger.to_string(),
            ticket_number: record.ticket.to_string(),
            seller: record.seller.to_string(),
            reference: record.reference.map(|reference| reference.to_string()),
            txn: record.txn.to_string(),
        }
    }
}

/// The segments on one flight.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlightSegmentList {
    /// The flight.
    pub flight: String,
    /// By seat.
    pub segments: Vec<FlightSegmentView>,
}

/// A page of bookings.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingList {
    /// Newest first.
    pub bookings: Vec<BookingView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}
