//! The admin console: a line protocol over TCP for the airline's operators.
//!
//! `nc 127.0.0.1 7770` or `passcom console 127.0.0.1:7770`. The node greets with a banner; every
//! answer ends with a prompt (`rumos> `, no newline), so a client knows when an answer is
//! complete. Nothing but `help`, `auth` and `quit` works before `auth <admin token>`; three
//! wrong tokens close the connection, and so does not authenticating within
//! `console.auth_timeout_ms` (idle connections that never authenticate would otherwise fill
//! `connections_max` and lock the operators out). An unknown command gets a message and the connection stays
//! open. The console listens on a loopback address unless configured otherwise
//! (`console.allow_remote`), because the admin token travels in clear text.
//!
//! Commands:
//!
//! | command | what |
//! |---|---|
//! | `help` | the commands |
//! | `auth <token>` | authenticate with the node's admin token |
//! | `info` | the airline, version, uptime, addresses, key, log head, flights, peers |
//! | `peers` | each peer: address, status and since when, last heartbeat |
//! | `replication` | each replica: position, owner's head, lag, last applied |
//! | `addconn <airline> <url> [public-key]` | add (or move) a peer, pinning its key; persisted |
//! | `rmconn <airline>` | remove a peer; persisted |
//! | `flights [airline] [date]` | flights known here, with free seats and whether their owner answers |
//! | `segments <flight>` | this airline's record of the seats on one of its flights: seller, booking, passenger, ticket |
//! | `txns` | unfinished transactions, as coordinator and as participant, with their state and age |
//! | `resolve <txn> commit\|abort` | decide a transaction in doubt by hand (its coordinator is gone for good); audited |
//! | `quit` | close this connection |
//! | `shutdown` | stop the node gracefully |

use std::fmt::Write as _;
use std::sync::Arc;

use axum::serve::Listener;
use passcom_core::commit::{Outcome, TxnId};
use passcom_core::{AirlineId, FlightId, time};
use subtle::ConstantTimeEq;
use tokio::io::{
    AsyncBufReadExt as _, AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, BufReader,
};
use tokio::time::{Duration, Instant};

use crate::node::Node;
use crate::store::StoreError;

/// Wrong tokens before the connection is closed.
const AUTH_ATTEMPTS_MAX: u32 = 3;

const HELP: &str = "\
commands:
  help                                   this list
  auth <token>                           authenticate with the admin token (first)
  info                                   this node: airline, uptime, addresses, log head, peers
  peers                                  peers: address, status, since, last heartbeat
  replication                            replicas: position, owner's head, lag
  addconn <airline> <url> [public-key]   add or move a peer, pinning its key
  rmconn <airline>                       remove a peer
  flights [airline] [YYYY-MM-DD]         flights known here (at most 50)
  segments <flight>                      seats held or sold on one of our flights
  txns                                   unfinished transactions: state and age
  resolve <txn> commit|abort             decide a transaction in doubt by hand (audited)
  quit                                   close this connection
  shutdown                               stop the node gracefully";

/// What a connection over the console's caps is told before it is closed.
pub const REFUSAL: &[u8] = b"too many consoles are open; try again later\n";

/// Serves the console of `node` on `listener` until the node stops. The listener caps the
/// consoles open at once (`console.connections_max`) and closes idle ones.
pub async fn serve<L: Listener>(node: Arc<Node>, mut listener: L) {
    loop {
        let (stream, _) = listener.accept().await;
        let node = node.clone();
        tokio::spawn(async move {
            if let Err(error) = session(&node, stream).await {
                tracing::debug!(%error, "console connection ended");
            }
        });
    }
}

/// What a command does to the connection.
enum Next {
    Continue,
    Close,
}

/// One console connection: it must authenticate within `console.auth_timeout_ms`.
async fn session<S>(node: &Node, stream: S) -> std::io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let auth_deadline = Instant::now() + Duration::from_millis(node.config.console.auth_timeout_ms);
    let (reader, mut writer) = tokio::io::split(stream);
    let mut lines = BufReader::new(reader);
    let prompt = format!("{}> ", node.airline.id);
    let banner = format!(
        "PassCom {} console — {} ({}). Type help. Authenticate first: auth <token>\n{prompt}",
        env!("CARGO_PKG_VERSION"),
        node.airline.name,
        node.airline.id
    );
    writer.write_all(banner.as_bytes()).await?;
    let mut authenticated = false;
    let mut failures = 0;
    let mut line = Vec::new();
    loop {
        line.clear();
        let limit = node.config.console.line_bytes_max as u64 + 1;
        let mut bounded = (&mut lines).take(limit);
        let read = bounded.read_until(b'\n', &mut line);
        let read = match authenticated {
            true => read.await?,
            false => match tokio::time::timeout_at(auth_deadline, read).await {
                Ok(read) => read?,
                Err(_) => {
                    writer.write_all(b"\nerror: not authenticated in time; closing\n").await?;
                    return Ok(());
                }
            },
        };
        if read == 0 {
            return Ok(());
        }
        if line.len() as u64 >= limit && !line.ends_with(b"\n") {
            writer.write_all(b"error: line too long\n").await?;
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line).trim().to_owned();
        let (answer, next) = answer(node, &text, &mut authenticated, &mut failures).await;
        if !answer.is_empty() {
            writer.write_all(answer.as_bytes()).await?;
            writer.write_all(b"\n").await?;
        }
        if let Next::Close = next {
            return Ok(());
        }
        writer.write_all(prompt.as_bytes()).await?;
    }
}

/// The answer to one command line.
async fn answer(
    node: &Node,
    line: &str,
    authenticated: &mut bool,
    failures: &mut u32,
) -> (String, Next) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some((&command, args)) = words.split_first() else {
        return (String::new(), Next::Continue);
    };
    match (command, *authenticated) {
        ("help", _) => (HELP.to_owned(), Next::Continue),
        ("quit" | "exit", _) => ("bye".to_owned(), Next::Close),
        ("auth", _) => authenticate(node, args, authenticated, failures),
        (_, false) => ("error: authenticate first: auth <token>".to_owned(), Next::Continue),
        ("info", true) => (info(node).await, Next::Continue),
        ("peers", true) => (peers(node), Next::Continue),
        ("replication", true) => (replication(node), Next::Continue),
        ("addconn", true) => (addconn(node, args).await, Next::Continue),
        ("rmconn", true) => (rmconn(node, args).await, Next::Continue),
        ("flights", true) => (flights(node, args), Next::Continue),
        ("segments", true) => (segments(node, args).await, Next::Continue),
        ("txns", true) => (txns(node).await, Next::Continue),
        ("resolve", true) => (resolve(node, args).await, Next::Continue),
        ("shutdown", true) => {
            tracing::info!("shutdown requested from the console");
            node.request_shutdown();
            ("shutting down".to_owned(), Next::Close)
        }
        (other, true) => (format!("error: unknown command {other:?}; type help"), Next::Continue),
    }
}

fn authenticate(
    node: &Node,
    args: &[&str],
    authenticated: &mut bool,
    failures: &mut u32,
) -> (String, Next) {
    let [token] = args else { return ("error: usage: auth <token>".to_owned(), Next::Continue) };
    let matches: bool = token.as_bytes().ct_eq(node.admin_token.expose().as_bytes()).into();
    if matches {
        *authenticated = true;
        return ("ok: authenticated".to_owned(), Next::Continue);
    }
    *failures += 1;
    if *failures >= AUTH_ATTEMPTS_MAX {
        return ("error: wrong token; closing".to_owned(), Next::Close);
    }
    ("error: wrong token".to_owned(), Next::Continue)
}

async fn info(node: &Node) -> String {
    let now = node.clock.now();
    let uptime = now.duration_since(node.started_at);
    let log_head = node
        .store
        .log_head()
        .await
        .map_or_else(|error| format!("unknown ({error})"), |head| head.to_string());
    let (own, others) = node.catalog.counts(&node.airline.id);
    let peers = node.network.peers();
    let online = peers.iter().filter(|peer| node.is_online(&peer.airline)).count();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "airline      {} ({}), designator {}",
        node.airline.name, node.airline.id, node.airline.designator
    );
    let _ = writeln!(text, "version      {}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(text, "started      {} (up {}s)", node.started_at, uptime.as_secs());
    let _ = writeln!(text, "http         {}", node.config.http.listen);
    let _ = writeln!(text, "public key   {}", node.network.public_key());
    let _ = writeln!(text, "log head     {log_head}");
    let _ = writeln!(text, "flights      {own} own, {others} replicated");
    let _ = write!(text, "peers        {} ({online} online)", peers.len());
    for peer in &peers {
        let _ = write!(text, "\n  {:<10} {:<8} {}", peer.airline, peer.status, peer.url);
    }
    text
}

fn peers(node: &Node) -> String {
    let peers = node.network.peers();
    if peers.is_empty() {
        return "no peers".to_owned();
    }
    let mut text = format!(
        "{:<10} {:<8} {:<26} {:<30} {}",
        "airline", "status", "since", "last heartbeat", "url"
    );
    for peer in peers {
        let last = peer.last_heartbeat.map_or("never".to_owned(), |at| at.to_string());
        let _ = write!(
            text,
            "\n{:<10} {:<8} {:<26} {:<30} {}",
            peer.airline,
            peer.status,
            peer.since.to_string(),
            last,
            peer.url
        );
    }
    text
}

fn replication(node: &Node) -> String {
    let peers = node.network.peers();
    if peers.is_empty() {
        return "no replicas".to_owned();
    }
    let mut text = format!(
        "{:<10} {:>10} {:>10} {:>8}  {}",
        "owner", "position", "head", "lag", "last applied"
    );
    for peer in peers {
        let lag = peer.log_head.saturating_sub(peer.replica_position);
        let last = peer.last_applied_at.map_or("never".to_owned(), |at| at.to_string());
        let _ = write!(
            text,
            "\n{:<10} {:>10} {:>10} {:>8}  {last}",
            peer.airline, peer.replica_position, peer.log_head, lag
        );
    }
    text
}

async fn addconn(node: &Node, args: &[&str]) -> String {
    let (airline, url, key) = match args {
        [airline, url] => (airline, url, None),
        [airline, url, key] => (airline, url, Some(key.to_string())),
        _ => return "error: usage: addconn <airline> <url> [public-key]".to_owned(),
    };
    let airline = match AirlineId::parse(airline) {
        Ok(airline) => airline,
        Err(error) => return format!("error: {}", error.message()),
    };
    match node.network.add_peer(airline.clone(), url.to_string(), key).await {
        Ok(()) => format!("ok: {airline} at {url}; heartbeats start now"),
        Err(error) => format!("error: {error}"),
    }
}

async fn rmconn(node: &Node, args: &[&str]) -> String {
    let [airline] = args else { return "error: usage: rmconn <airline>".to_owned() };
    let airline = match AirlineId::parse(airline) {
        Ok(airline) => airline,
        Err(error) => return format!("error: {}", error.message()),
    };
    match node.network.remove_peer(airline.clone()).await {
        Ok(true) => format!("ok: {airline} removed"),
        Ok(false) => format!("error: {airline} is not a peer"),
        Err(error) => format!("error: {error}"),
    }
}

/// Most flights `flights` lists.
const FLIGHTS_LISTED_MAX: usize = 50;

fn flights(node: &Node, args: &[&str]) -> String {
    let mut airline = None;
    let mut date = None;
    for arg in args {
        match (time::parse_date(arg), AirlineId::parse(arg)) {
            (Ok(parsed), _) => date = Some(parsed),
            (_, Ok(parsed)) => airline = Some(parsed),
            _ => return format!("error: {arg:?} is neither an airline nor a date (YYYY-MM-DD)"),
        }
    }
    let mut listed = node.catalog.matching(|flight| {
        airline.as_ref().is_none_or(|a| flight.airline == *a)
            && date.is_none_or(|d| flight.id.date() == d)
    });
    listed.sort_by_key(|entry| (entry.flight.departure, entry.flight.id));
    let total = listed.len();
    let mut text = format!("{total} flights");
    for entry in listed.iter().take(FLIGHTS_LISTED_MAX) {
        let flight = &entry.flight;
        let zone = node
            .airports
            .get(&flight.origin)
            .map(|a| a.time_zone.clone())
            .unwrap_or(jiff::tz::TimeZone::UTC);
        let owner = if node.is_online(&flight.airline) { "online" } else { "offline" };
        let _ = write!(
            text,
            "\n{:<18} {}-{} {} {:>3} free {:<9} {:<7} {owner}",
            flight.id.to_string(),
            flight.origin,
            flight.destination,
            time::rfc3339_local(flight.departure, &zone),
            entry.seats_available,
            flight.status.as_str(),
            flight.airline.as_str(),
        );
    }
    if total > FLIGHTS_LISTED_MAX {
        let _ = write!(
            text,
            "\n… {} more; narrow with an airline and a date",
            total - FLIGHTS_LISTED_MAX
        );
    }
    text
}

async fn segments(node: &Node, args: &[&str]) -> String {
    let [flight] = args else { return "error: usage: segments <flight>".to_owned() };
    let flight = match FlightId::parse(flight) {
        Ok(flight) => flight,
        Err(error) => return format!("error: {}", error.message()),
    };
    let records = match node.flight_segments(flight).await {
        Ok(records) => records,
        Err(StoreError::FlightNotFound(_)) => {
            return format!("error: {flight} is not one of our flights");
        }
        Err(error) => return format!("error: {error}"),
    };
    let mut text = format!("{flight}: {} seats held or sold", records.len());
    for record in records {
        let reference = record.reference.map_or("-".to_owned(), |r| r.to_string());
        let _ = write!(
            text,
            "\n{:<4} {:<5} {:<13} {:<8} {:<7} {}",
            record.seat.to_string(),
            record.state,
            record.ticket.to_string(),
            record.seller.as_str(),
            reference,
            record.passenger
        );
    }
    text
}

async fn txns(node: &Node) -> String {
    let summaries = match node.store.txn_summaries().await {
        Ok(summaries) => summaries,
        Err(error) => return format!("error: {error}"),
    };
    if summaries.is_empty() {
        return "no unfinished transactions".to_owned();
    }
    let now = node.clock.now();
    let mut text = format!("{} unfinished", summaries.len());
    for summary in summaries {
        let age = now.duration_since(summary.since).as_secs();
        let _ = write!(text, "\n{:<32} {:>6}s  {}", summary.txn, age, summary.state);
    }
    text
}

async fn resolve(node: &Node, args: &[&str]) -> String {
    let usage = "error: usage: resolve <txn> commit|abort";
    let [txn, decision] = args else { return usage.to_owned() };
    let outcome = match *decision {
        "commit" => Outcome::Committed,
        "abort" => Outcome::Aborted,
        _ => return usage.to_owned(),
    };
    let txn = match TxnId::parse(txn) {
        Ok(txn) => txn,
        Err(error) => return format!("error: {}", error.message()),
    };
    tracing::warn!(%txn, %outcome, "an operator resolves a transaction in doubt");
    match node.commit.resolve(txn.clone(), outcome).await {
        Ok(()) => format!("ok: {txn} {outcome} here (recorded in the audit log)"),
        Err(error) => format!("error: {error}"),
    }
}
