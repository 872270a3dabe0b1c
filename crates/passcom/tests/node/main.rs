//! Integration tests of one airline's node: real servers on port 0 with temporary databases,
//! the storage conformance suite, and real processes killed with SIGKILL.

mod accounts;
mod admin;
mod bad_input;
mod bookings;
mod catalog;
mod commands;
mod console;
mod containers;
mod crashes;
mod drivers;
mod helpers;
mod hostile;
mod hosts;
mod idempotency;
mod last_seat;
mod network;
mod network_helpers;
mod ops;
mod peer_security;
mod postgres;
mod process;
mod purchases;
mod records;
mod search;
mod store;
mod web;
