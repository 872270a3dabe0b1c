//! One airline's PassCom node.
//!
//! Data flows one way: an HTTP request is parsed at the edge ([`api`]) into domain values
//! (`passcom_core`), handed to the service that owns the use case ([`accounts`], [`sales`],
//! [`schedule`]), which reads and writes through the [`store`]. The [`network`] talks to the
//! other airlines; the [`console`] serves the airline's operators. [`node`] builds the services
//! from a [`config`]; [`startup`] serves a node on a listener it is given, so tests run real
//! nodes on port 0, on listeners [`connections`] guards against floods and [`http_server`]
//! serves; [`cli`] is the `passcom` command line. The [`catalog`] keeps every known
//! flight in memory. Time and randomness come from
//! [`clock`], never from the system directly; [`execution`] says whether blocking work runs on
//! threads (production) or inline (the deterministic simulator). [`web`] serves the customers'
//! web app at `/`.

pub mod accounts;
pub mod api;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod commit;
pub mod config;
pub mod connections;
pub mod console;
pub mod crash;
pub mod execution;
pub mod http_server;
pub mod network;
pub mod node;
pub mod sales;
pub mod schedule;
pub mod seed;
pub mod startup;
pub mod stop;
pub mod store;
pub mod throttle;
pub mod web;
