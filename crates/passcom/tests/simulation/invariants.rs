//! The invariants of the design brief (§7), checked against what the nodes have on disk.
//!
//! The checker reads each node's SQLite file directly, through a connection of its own, between
//! two steps of the simulation: nothing runs then (the node's store is inline, and turmoil runs
//! one host at a time on this thread), so each read sees exactly what the node has committed —
//! also while the node is crashed, which is when a lost booking would show. Reading the file
//! rather than asking the API keeps the checks out of the faults' way, and makes them cheap
//! enough to run after every step.
//!
//! Each invariant is a function of its own, named after what it holds true; [`Checker::step`]
//! runs those that hold at every moment, [`Checker::healed`] adds those that hold once the
//! network has healed and settled. The invariants across airlines — a seller's booking against
//! its owners' seats, a coordinator's decision against its participants' — read two databases
//! at once: [`cross_airline_bookings_are_sold_at_their_owners`], [`transactions_end_alike`].

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::path::Path;

use passcom_core::FlightId;
use rusqlite::{Connection, OpenFlags, OptionalExtension as _, params};

use crate::ledger::Ledger;
use crate::world::World;

/// Whether the network has healed and the nodes have settled: what may be under way before
/// (a decision on its way to a participant, a release not yet delivered) must be done after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Faults may be under way.
    No,
    /// Healed and settled.
    Yes,
}

/// Each airline's database, by airline.
type Databases<'a> = BTreeMap<&'static str, &'a Connection>;

/// A broken invariant: which, and how.
pub type Violation = String;

/// The result of a check.
pub type Checked = Result<(), Violation>;

/// Reads the nodes' databases and checks them.
#[derive(Default)]
pub struct Checker {
    connections: BTreeMap<&'static str, Connection>,
    /// Per database, its `data_version` and the ledger's changes when it last passed.
    passed: BTreeMap<&'static str, (u64, u64)>,
    /// How many times the invariants were checked.
    pub checks: usize,
}

impl Checker {
    /// The invariants that hold at every moment, faults or not.
    pub fn step(&mut self, world: &World, ledger: &Ledger) -> Checked {
        self.checks += 1;
        buyers_saw_nothing_wrong(ledger)?;
        let mut changed = false;
        for airline in &world.airlines {
            let Some(db) = connection(&mut self.connections, airline.id, &airline.database())
            else {
                continue;
            };
            // SQLite's `data_version` changes when another connection commits: a database
            // that has not, against a ledger that has not, passes as it passed before.
            let version: u64 =
                sql(airline.id, db.query_row("PRAGMA data_version", [], |row| row.get(0)))?;
            let state = (version, ledger.changes);
            if self.passed.get(airline.id) == Some(&state) {
                continue;
            }
            seats_add_up(db, airline.id)?;
            sold_seats_belong_to_confirmed_bookings(db, airline.id)?;
            confirmed_bookings_are_kept(db, airline.id, ledger)?;
            failed_bookings_stay_failed(db, airline.id, ledger)?;
            one_key_makes_one_booking(db, airline.id, ledger)?;
            self.passed.insert(airline.id, state);
            changed = true;
        }
        match changed {
            true => self.across_airlines(world, Settled::No),
            false => Ok(()),
        }
    }

    /// The invariants that compare airlines' databases, once every one exists.
    fn across_airlines(&mut self, world: &World, settled: Settled) -> Checked {
        for airline in &world.airlines {
            if self.connection(airline.id, &airline.database()).is_none() {
                return Ok(());
            }
        }
        let databases: Databases<'_> =
            self.connections.iter().map(|(airline, db)| (*airline, db)).collect();
        cross_airline_bookings_are_sold_at_their_owners(&databases, settled)?;
        transactions_end_alike(&databases, settled)
    }

    /// Every invariant, once the network has healed and the nodes have had time to settle.
    pub fn healed(&mut self, world: &World, ledger: &Ledger) -> Checked {
        self.step(world, ledger)?;
        for airline in &world.airlines {
            let db = self.connection(airline.id, &airline.database());
            let db = db.ok_or_else(|| format!("{}: no database after healing", airline.id))?;
            database_is_sound(db, airline.id)?;
            nothing_stays_held(db, airline.id)?;
        }
        replicas_equal_their_owners(self, world)?;
        catalogs_match_their_stores(self, world)?;
        self.across_airlines(world, Settled::Yes)
    }

    /// One line per database saying what it holds, for the determinism test.
    pub fn digests(&mut self, world: &World) -> Vec<String> {
        let mut lines = Vec::new();
        for airline in &world.airlines {
            let digest = self
                .connection(airline.id, &airline.database())
                .map_or_else(|| "no database".to_owned(), digest);
            lines.push(format!("digest {}: {digest}", airline.id));
        }
        lines
    }

    /// The checker's connection to `airline`'s database, once the node has created it.
    fn connection(&mut self, airline: &'static str, path: &Path) -> Option<&Connection> {
        connection(&mut self.connections, airline, path)
    }
}

/// The connection to `airline`'s database in `connections`, opened if the node has made it.
fn connection<'a>(
    connections: &'a mut BTreeMap<&'static str, Connection>,
    airline: &'static str,
    path: &Path,
) -> Option<&'a Connection> {
    if !connections.contains_key(airline) {
        connections.insert(airline, open(path)?);
    }
    connections.get(airline)
}

/// Number of migrations whose tables the checks read.
const SCHEMA_VERSION_MIN: u32 = 2;

/// A query-only connection to a node's database, if the node has made its schema.
fn open(path: &Path) -> Option<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags).ok()?;
    connection.pragma_update(None, "query_only", true).ok()?;
    let version: u32 =
        connection.pragma_query_value(None, "user_version", |row| row.get(0)).ok()?;
    (version >= SCHEMA_VERSION_MIN).then_some(connection)
}

/// A query that should not fail; if it does, that is a violation too.
fn sql<T>(airline: &str, result: rusqlite::Result<T>) -> Result<T, Violation> {
    result.map_err(|error| format!("{airline}: reading the database failed: {error}"))
}

/// Rows of `query` with `parameters`, each mapped by `row`.
fn rows<T>(
    db: &Connection,
    airline: &str,
    query: &str,
    parameters: impl rusqlite::Params,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, Violation> {
    let mut statement = sql(airline, db.prepare_cached(query))?;
    let mapped = sql(airline, statement.query_map(parameters, row))?;
    sql(airline, mapped.collect())
}

/// The first row of `query` (with the airline as its parameter), its columns joined.
fn first_row(db: &Connection, airline: &str, query: &str) -> Result<Option<String>, Violation> {
    let row = db.query_row(query, [airline], |row| {
        let columns = (0..row.as_ref().column_count()).map(|i| row.get_ref(i).map(shown));
        columns.collect::<rusqlite::Result<Vec<String>>>().map(|columns| columns.join(" "))
    });
    sql(airline, row.optional())
}

/// A column's value as a person reads it.
fn shown(value: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => "null".to_owned(),
        ValueRef::Integer(number) => number.to_string(),
        ValueRef::Real(number) => number.to_string(),
        ValueRef::Text(text) | ValueRef::Blob(text) => String::from_utf8_lossy(text).into_owned(),
    }
}

/// Buyers were never answered what no correct node answers (a 201 that is not confirmed, a
/// reused-key refusal for an identical retry, a 4xx to a valid request).
fn buyers_saw_nothing_wrong(ledger: &Ledger) -> Checked {
    match ledger.violations.first() {
        Some(violation) => Err(format!("a buyer was answered wrongly: {violation}")),
        None => Ok(()),
    }
}

/// (1) For every own flight, free + held + sold = capacity: the seats taken never exceed the
/// cabin, and every taken seat is a seat of the cabin. A seat is held or sold at most once (the
/// primary key), by one transaction.
fn seats_add_up(db: &Connection, airline: &str) -> Checked {
    let query = "SELECT f.id, f.cabin_rows, f.cabin_letters, s.seat
                 FROM seats s JOIN flights f ON f.id = s.flight
                 WHERE f.airline = ?1 ORDER BY f.id, s.seat";
    let taken = rows(db, airline, query, [airline], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, u32>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut per_flight: BTreeMap<&str, usize> = BTreeMap::new();
    for (flight, cabin_rows, letters, seat) in &taken {
        if !seat_in_cabin(seat, *cabin_rows, letters) {
            return Err(format!("(1) {airline}: seat {seat} of {flight} is not in its cabin"));
        }
        *per_flight.entry(flight).or_default() += 1;
        let capacity = *cabin_rows as usize * letters.chars().count();
        if per_flight[flight.as_str()] > capacity {
            return Err(format!("(1) {airline}: {flight} has more seats taken than {capacity}"));
        }
    }
    let foreign =
        "SELECT count(*) FROM seats s JOIN flights f ON f.id = s.flight WHERE f.airline <> ?1";
    let foreign: u64 = sql(airline, db.query_row(foreign, [airline], |row| row.get(0)))?;
    if foreign > 0 {
        return Err(format!(
            "(1) {airline}: holds or sells {foreign} seats of other airlines' flights"
        ));
    }
    Ok(())
}

/// Whether `seat` (like `1A`) is one of a cabin of `rows` rows of `letters`.
fn seat_in_cabin(seat: &str, rows: u32, letters: &str) -> bool {
    let split = seat.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(seat.len());
    let (row, letter) = seat.split_at(split);
    let row_ok = row.parse::<u32>().is_ok_and(|row| (1..=rows).contains(&row));
    row_ok && letter.len() == 1 && letters.contains(letter)
}

/// (2), at one airline: a seat it sold is a segment of a confirmed booking of its own, and a
/// confirmed segment on one of its flights is a seat it sold to that booking. (Across airlines
/// the segment and the seat are at different nodes: see
/// [`cross_airline_bookings_are_sold_at_their_owners`].)
fn sold_seats_belong_to_confirmed_bookings(db: &Connection, airline: &str) -> Checked {
    let orphans = "SELECT s.flight, s.seat, s.booking_reference FROM seats s
                   WHERE s.state = 'sold' AND s.seller = ?1 AND NOT EXISTS (
                     SELECT 1 FROM bookings b JOIN booking_segments g ON g.booking = b.id
                     WHERE b.reference = s.booking_reference AND b.status = 'confirmed'
                       AND g.flight = s.flight AND g.seat = s.seat AND g.status = 'confirmed')
                   LIMIT 1";
    let orphan = first_row(db, airline, orphans)?;
    if let Some(seat) = orphan {
        return Err(format!("(2) {airline}: seat {seat} is sold to no confirmed booking"));
    }
    let unsold = "SELECT b.reference, g.flight, g.seat FROM bookings b
                  JOIN booking_segments g ON g.booking = b.id
                  WHERE b.status = 'confirmed' AND g.status = 'confirmed' AND g.airline = ?1
                    AND NOT EXISTS (
                      SELECT 1 FROM seats s WHERE s.flight = g.flight AND s.seat = g.seat
                        AND s.state = 'sold' AND s.booking_reference = b.reference)
                  LIMIT 1";
    let unsold = first_row(db, airline, unsold)?;
    match unsold {
        Some(segment) => {
            Err(format!("(2) {airline}: confirmed segment {segment} has no sold seat"))
        }
        None => Ok(()),
    }
}

/// (4) Every booking a buyer was told is confirmed is still there, confirmed — or cancelled,
/// if that buyer asked — at its seller, across crashes and restarts.
fn confirmed_bookings_are_kept(db: &Connection, airline: &str, ledger: &Ledger) -> Checked {
    for ((seller, reference), buyer) in &ledger.confirmed {
        if seller != airline {
            continue;
        }
        let status = booking_status(db, airline, reference)?;
        let cancelling = ledger.cancelling.contains(&(seller.clone(), reference.clone()));
        match status.as_deref() {
            Some("confirmed") => {}
            Some("cancelled") if cancelling => {}
            other => {
                return Err(format!(
                    "(4) {airline}: booking {reference}, confirmed to {buyer}, is {other:?}"
                ));
            }
        }
    }
    Ok(())
}

/// The status of booking `reference` at `airline`, if it has it.
fn booking_status(
    db: &Connection,
    airline: &str,
    reference: &str,
) -> Result<Option<String>, Violation> {
    let query = "SELECT status FROM bookings WHERE reference = ?1";
    sql(airline, db.query_row(query, [reference], |row| row.get(0)).optional())
}

/// (4), for failures: every booking a buyer was told failed — nothing bought on any leg —
/// stays failed at its seller.
fn failed_bookings_stay_failed(db: &Connection, airline: &str, ledger: &Ledger) -> Checked {
    for ((seller, reference), told) in &ledger.failed {
        if seller != airline {
            continue;
        }
        let status = booking_status(db, airline, reference)?;
        if status.as_deref() != Some("failed") {
            return Err(format!(
                "(4) {airline}: booking {reference}, told failed to {told}, is {status:?}"
            ));
        }
    }
    Ok(())
}

/// (5) One idempotency key makes at most one booking, and every answer given for it named
/// that booking.
fn one_key_makes_one_booking(db: &Connection, airline: &str, ledger: &Ledger) -> Checked {
    let query = "SELECT b.reference FROM bookings b JOIN customers c ON c.id = b.customer
                 WHERE c.username = ?1 AND b.idempotency_key = ?2";
    for ((seller, username, key), answers) in &ledger.answers {
        if seller != airline {
            continue;
        }
        let stored =
            rows(db, airline, query, params![username, key], |row| row.get::<_, String>(0))?;
        if stored.len() > 1 {
            return Err(format!(
                "(5) {airline}: key {key} made {} bookings: {stored:?}",
                stored.len()
            ));
        }
        if answers.iter().any(|answer| Some(answer) != stored.first()) {
            return Err(format!(
                "(5) {airline}: key {key} was answered {answers:?}, stored {stored:?}"
            ));
        }
    }
    Ok(())
}

/// The database file is intact (SQLite's own structural check).
fn database_is_sound(db: &Connection, airline: &str) -> Checked {
    let verdict: String = sql(airline, db.query_row("PRAGMA quick_check", [], |row| row.get(0)))?;
    match verdict.as_str() {
        "ok" => Ok(()),
        other => Err(format!("{airline}: the database is damaged: {other}")),
    }
}

/// (3), in part: once faults heal, no seat stays held. A one-phase purchase never leaves one;
/// a prepared participant of the two-phase commit must resolve its holds.
fn nothing_stays_held(db: &Connection, airline: &str) -> Checked {
    let held: u64 = sql(
        airline,
        db.query_row("SELECT count(*) FROM seats WHERE state = 'held'", [], |row| row.get(0)),
    )?;
    match held {
        0 => Ok(()),
        held => Err(format!("(3) {airline}: {held} seats still held after healing")),
    }
}

/// A flight as its owner publishes it: id, departure, arrival, price, status, version, seats
/// available.
type Published = (String, i64, i64, i64, String, i64, i64);

/// Own flights of `owner` as `owner` publishes them.
fn owned(db: &Connection, owner: &str) -> Result<Vec<Published>, Violation> {
    let query = "SELECT id, departure, arrival, price, status, version,
                        cabin_rows * length(cabin_letters) - (SELECT count(*) FROM seats s WHERE s.flight = f.id)
                 FROM flights f WHERE airline = ?1 ORDER BY id";
    rows(db, owner, query, [owner], published)
}

/// `owner`'s flights as the replica in `db` has them.
fn replicated(db: &Connection, replica: &str, owner: &str) -> Result<Vec<Published>, Violation> {
    let query = "SELECT id, departure, arrival, price, status, version, replica_seats_available
                 FROM flights WHERE airline = ?1 ORDER BY id";
    rows(db, replica, query, [owner], published)
}

fn published(row: &rusqlite::Row<'_>) -> rusqlite::Result<Published> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?))
}

/// (6) After healing, every replica of an airline's catalog equals the owner's: the same
/// flights, times, prices, statuses, versions and seats available.
fn replicas_equal_their_owners(checker: &mut Checker, world: &World) -> Checked {
    let mut catalogs: BTreeMap<&str, Vec<Published>> = BTreeMap::new();
    for owner in &world.airlines {
        let db = checker.connection(owner.id, &owner.database()).expect("checked before");
        catalogs.insert(owner.id, owned(db, owner.id)?);
    }
    for replica in &world.airlines {
        let db = checker.connection(replica.id, &replica.database()).expect("checked before");
        for owner in world.airlines.iter().filter(|owner| owner.id != replica.id) {
            let copy = replicated(db, replica.id, owner.id)?;
            let original = &catalogs[owner.id];
            if copy != *original {
                return Err(format!(
                    "(6) {}'s replica of {} differs from it: {}",
                    replica.id,
                    owner.id,
                    first_difference(original, &copy)
                ));
            }
        }
    }
    Ok(())
}

/// The first flight on which two catalogs differ.
fn first_difference(original: &[Published], copy: &[Published]) -> String {
    let found = original.iter().zip(copy).find(|(a, b)| a != b);
    match found {
        Some((a, b)) => format!("owner has {a:?}, replica {b:?}"),
        None => format!("owner has {} flights, replica {}", original.len(), copy.len()),
    }
}

/// (1) and (6), as customers see them: after healing, the catalog each node searches and
/// sells from (in memory) has every flight of its store, at the same version, fare and seats
/// available.
fn catalogs_match_their_stores(checker: &mut Checker, world: &World) -> Checked {
    for airline in &world.airlines {
        let node =
            airline.node().ok_or_else(|| format!("{}: not running after healing", airline.id))?;
        let db = checker.connection(airline.id, &airline.database()).expect("checked before");
        let mut flights = owned(db, airline.id)?;
        for other in world.airlines.iter().filter(|other| other.id != airline.id) {
            flights.extend(replicated(db, airline.id, other.id)?);
        }
        for (id, _, _, price, _, version, seats) in flights {
            let flight_id = FlightId::parse(&id).expect("stored ids parse");
            let entry = node.catalog.entry(flight_id);
            let shown = entry.map(|e| {
                (e.flight.price.cents(), e.flight.version as i64, i64::from(e.seats_available))
            });
            if shown != Some((price, version, seats)) {
                return Err(format!(
                    "(6) {}: catalog shows {id} as (price, version, seats) {shown:?}, store has {:?}",
                    airline.id,
                    (price, version, seats)
                ));
            }
        }
    }
    Ok(())
}

/// A segment a seller sold on another airline's flight.
struct SoldSegment {
    reference: String,
    booking_status: String,
    owner: String,
    flight: String,
    seat: String,
    txn: Option<String>,
}

/// A seat as its owner has it: state, transaction, booking reference, seller.
type OwnedSeat = (String, String, Option<String>, String);

/// (2) across airlines: a seller's confirmed segment on another airline's flight is that
/// seat sold at its owner to the same booking — or, until the network settles, still held
/// by the purchase's transaction while the decision travels. Conversely, a seat an owner sold
/// for another seller is a segment of that seller's booking, confirmed — or cancelled while
/// the release travels. A failed purchase owns no seat anywhere.
fn cross_airline_bookings_are_sold_at_their_owners(
    databases: &Databases<'_>,
    settled: Settled,
) -> Checked {
    for (&seller, db) in databases {
        for segment in sold_segments(db, seller)? {
            let Some(owner) = databases.get(segment.owner.as_str()) else { continue };
            let seat = owned_seat(owner, &segment.owner, &segment.flight, &segment.seat)?;
            let sold_to_it = seat.as_ref().is_some_and(|(state, _, reference, sold_by)| {
                state == "sold"
                    && reference.as_deref() == Some(&segment.reference)
                    && sold_by == seller
            });
            let held_for_it = seat.as_ref().is_some_and(|(state, txn, _, _)| {
                state == "held" && Some(txn) == segment.txn.as_ref()
            });
            let fine = match (segment.booking_status.as_str(), settled) {
                ("confirmed", _) if sold_to_it => true,
                ("confirmed", Settled::No) => held_for_it,
                ("cancelled", Settled::No) => true,
                ("cancelled", Settled::Yes) => !sold_to_it,
                _ => false,
            };
            if !fine {
                return Err(format!(
                    "(2) {seller}'s {} booking {}: seat {} of {} at {} is {seat:?}",
                    segment.booking_status,
                    segment.reference,
                    segment.seat,
                    segment.flight,
                    segment.owner
                ));
            }
        }
        for (&owner, owner_db) in databases.iter().filter(|(owner, _)| **owner != seller) {
            seats_sold_for_seller_are_its_bookings(owner_db, owner, db, seller, settled)?;
        }
    }
    Ok(())
}

/// Segments `seller` sold on other airlines' flights, with their booking's status and
/// transaction.
fn sold_segments(db: &Connection, seller: &str) -> Result<Vec<SoldSegment>, Violation> {
    let query = "SELECT b.reference, b.status, g.airline, g.flight, g.seat, t.txn
                 FROM bookings b JOIN booking_segments g ON g.booking = b.id
                 LEFT JOIN coordinator_txns t ON t.booking = b.id
                 WHERE g.airline <> ?1 AND g.status <> 'flight_cancelled'
                 ORDER BY b.reference, g.flight, g.seat";
    rows(db, seller, query, [seller], |row| {
        Ok(SoldSegment {
            reference: row.get(0)?,
            booking_status: row.get(1)?,
            owner: row.get(2)?,
            flight: row.get(3)?,
            seat: row.get(4)?,
            txn: row.get(5)?,
        })
    })
}

/// Seat `seat` of `flight` as `owner` has it, if taken.
fn owned_seat(
    db: &Connection,
    owner: &str,
    flight: &str,
    seat: &str,
) -> Result<Option<OwnedSeat>, Violation> {
    let query =
        "SELECT state, txn, booking_reference, seller FROM seats WHERE flight = ?1 AND seat = ?2";
    let found = db.query_row(query, [flight, seat], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    });
    sql(owner, found.optional())
}

/// Every seat `owner` sold for `seller` is a segment of `seller`'s booking of that
/// reference, confirmed — or cancelled, until the release has reached the owner.
fn seats_sold_for_seller_are_its_bookings(
    owner_db: &Connection,
    owner: &str,
    seller_db: &Connection,
    seller: &str,
    settled: Settled,
) -> Checked {
    let sold = "SELECT flight, seat, booking_reference FROM seats
                WHERE state = 'sold' AND seller = ?1 ORDER BY flight, seat";
    let seats = rows(owner_db, owner, sold, [seller], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?))
    })?;
    let booking = "SELECT b.status FROM bookings b JOIN booking_segments g ON g.booking = b.id
                   WHERE b.reference = ?1 AND g.flight = ?2 AND g.seat = ?3";
    for (flight, seat, reference) in seats {
        let status: Option<String> = sql(
            seller,
            seller_db.query_row(booking, [&reference, &flight, &seat], |row| row.get(0)).optional(),
        )?;
        let fine = matches!(
            (status.as_deref(), settled),
            (Some("confirmed"), _) | (Some("cancelled"), Settled::No)
        );
        if !fine {
            return Err(format!(
                "(2) {owner} sold seat {seat} of {flight} to {seller}'s booking {reference}, \
                 which {seller} has as {status:?}"
            ));
        }
    }
    Ok(())
}

/// (3) Every transaction ends the same at every participant: a participant commits only
/// what its coordinator decided to commit, and aborts nothing its coordinator committed.
/// Once settled, nothing stays prepared, undecided or pending, and every participant of a
/// committed transaction has committed it.
fn transactions_end_alike(databases: &Databases<'_>, settled: Settled) -> Checked {
    for (&participant, db) in databases {
        let query = "SELECT txn, coordinator, state FROM participant_txns ORDER BY txn";
        let records = rows(db, participant, query, [], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?))
        })?;
        for (txn, coordinator, state) in records {
            let decided = decision_of(databases, &txn, &coordinator)?;
            let fine = match (state.as_str(), decided.as_deref(), settled) {
                ("committed", Some("committed"), _) => true,
                ("aborted", Some("committed"), _) | ("committed", _, _) => false,
                ("aborted", _, _) => true,
                ("prepared", _, Settled::No) => true,
                _ => false,
            };
            if !fine {
                return Err(format!(
                    "(3) {participant} has {txn} {state}; its coordinator {coordinator} has it {decided:?}"
                ));
            }
        }
    }
    if settled == Settled::Yes {
        for (&coordinator, db) in databases {
            everything_is_decided(db, coordinator, databases)?;
        }
    }
    Ok(())
}

/// The coordinator's decision of `txn` as it has it, if it has: `coordinator`'s, or — for a
/// participant's record of a transaction it was only asked about (aborted, so that a late
/// prepare is refused), which names no coordinator — whichever airline coordinates it.
fn decision_of(
    databases: &Databases<'_>,
    txn: &str,
    coordinator: &str,
) -> Result<Option<String>, Violation> {
    let query = "SELECT state FROM coordinator_txns WHERE txn = ?1";
    for (&airline, db) in databases {
        if coordinator.is_empty() || coordinator == airline {
            let decided = sql(airline, db.query_row(query, [txn], |row| row.get(0)).optional())?;
            if decided.is_some() {
                return Ok(decided);
            }
        }
    }
    Ok(None)
}

/// (3), once settled: `coordinator` has no undecided transaction nor pending booking, and
/// every participant of each transaction it committed has committed it too.
fn everything_is_decided(db: &Connection, coordinator: &str, databases: &Databases<'_>) -> Checked {
    let undecided = "SELECT t.txn, b.reference, t.state, b.status FROM coordinator_txns t
                     JOIN bookings b ON b.id = t.booking
                     WHERE t.state = 'started' OR b.status = 'pending' LIMIT 1";
    let open = rows(db, coordinator, undecided, [], |row| {
        Ok(format!(
            "{} of {} ({}, {})",
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?
        ))
    })?;
    if let Some(open) = open.first() {
        return Err(format!("(3) {coordinator} still has {open} undecided after healing"));
    }
    let committed = "SELECT p.txn, p.airline FROM coordinator_participants p
                     JOIN coordinator_txns t ON t.txn = p.txn
                     WHERE t.state = 'committed' AND p.airline <> ?1 ORDER BY p.txn, p.airline";
    let participants = rows(db, coordinator, committed, [coordinator], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    let record = "SELECT state FROM participant_txns WHERE txn = ?1";
    for (txn, participant) in participants {
        let Some(participant_db) = databases.get(participant.as_str()) else { continue };
        let state: Option<String> = sql(
            &participant,
            participant_db.query_row(record, [&txn], |row| row.get(0)).optional(),
        )?;
        if state.as_deref() != Some("committed") {
            return Err(format!(
                "(3) {coordinator} committed {txn}; after healing {participant} has it {state:?}"
            ));
        }
    }
    Ok(())
}

/// What a database holds, summed up: its bookings, seats and flights, hashed.
fn digest(db: &Connection) -> String {
    let tables = [
        "SELECT reference, status, total_price FROM bookings ORDER BY reference",
        "SELECT flight, seat, state, booking_reference, ticket FROM seats ORDER BY flight, seat",
        "SELECT id, version, price, status, replica_seats_available FROM flights ORDER BY id",
    ];
    let mut hasher = DefaultHasher::new();
    let mut counts = Vec::new();
    for query in tables {
        let lines = rows(db, "digest", query, [], |row| {
            let values: Vec<String> = (0..row.as_ref().column_count())
                .map(|i| {
                    format!("{:?}", row.get_ref(i).map(|v| format!("{v:?}")).unwrap_or_default())
                })
                .collect();
            Ok(values.join("|"))
        })
        .unwrap_or_default();
        counts.push(lines.len());
        lines.hash(&mut hasher);
    }
    format!(
        "{} bookings, {} seats taken, {} flights, hash {:016x}",
        counts[0],
        counts[1],
        counts[2],
        hasher.finish()
    )
}
