//! PassCom's domain: the things an airline sells and the rules between them.
//!
//! Everything here is plain data and pure functions: no sockets, no files, no clock, no
//! randomness. That includes the protocols between airlines ([`membership`], [`replication`]):
//! they are state machines that take events and return actions — and so is the two-phase commit
//! of purchases across airlines ([`commit`]), so the node, the scripted
//! scenario tests and the simulator run the same code; and itinerary [`search`], an index and an
//! algorithm over flights in memory.
//!
//! Values are parsed once, where they enter the system (`AirportCode::parse`,
//! `SeatNumber::parse`, `Money::from_cents`…), and everything downstream trusts them. A value
//! that exists is valid; that is the point of the newtypes.
//!
//! The words follow `docs/glossary.md`: a *flight* is one dated departure, a *seat* on it is
//! free, *held* by a transaction in progress or *sold* to a booking; a *booking* is what a
//! customer bought at the seller; a *segment* is one flight of a booking; a *ticket* is the
//! number issued for one passenger on one segment; an *itinerary* is a sequence of flights.

pub mod airline;
pub mod airport;
pub mod booking;
pub mod commit;
pub mod customer;
pub mod flight;
pub mod itinerary;
pub mod membership;
pub mod money;
pub mod parse;
pub mod reference;
pub mod replication;
pub mod search;
pub mod seat;
pub mod time;

pub use airline::{Airline, AirlineId, Designator, TicketPrefix};
pub use airport::{Airport, AirportCode};
pub use booking::{
    Booking, BookingReference, BookingStatus, HistoryEntry, PassengerName, Segment, SegmentStatus,
    TicketNumber,
};
pub use customer::{CustomerName, Password, Username};
pub use flight::{Flight, FlightId, FlightNumber, FlightStatus};
pub use money::Money;
pub use parse::ParseError;
pub use seat::{Cabin, SeatNumber};
