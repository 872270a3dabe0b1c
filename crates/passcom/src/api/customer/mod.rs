//! The customer API under `/api/v1`: accounts, the catalog, itinerary search, bookings and the
//! network's state, one module per part. Each handler parses its request into domain values,
//! calls one service and shapes the answer with [`super::views`].

pub(super) mod accounts;
pub(super) mod bookings;
pub(super) mod catalog;
pub(super) mod network;
pub(super) mod search;
