//! The records of the two-phase commit: the coordinator's and the participant's.
//!
//! Every operation is one write and idempotent by the record's state, so a message repeated,
//! reordered or retried changes nothing twice (see `passcom_core::commit`).

use jiff::Timestamp;
use passcom_core::commit::{Outcome, Prepare, RefusalReason, Status, Vote};
use passcom_core::{
    AirlineId, Booking, BookingReference, FlightId, PassengerName, SeatNumber, TicketNumber,
};
use rusqlite::{Connection, OptionalExtension, params};

use super::bookings;
use super::codec::{instant, millis, parsed};
use super::network::log_change;
use super::seats;
use super::writer::{in_savepoint, internal};
use crate::store::rules::{self, HoldRequest, Owner, own_part, refusal};
use crate::store::{
    Begun, Coordination, DecidedBy, Decision, InDoubt, Order, Release, SegmentRecord, StoreError,
    StoreResult, TxnId, TxnSummary,
};

/// Begins a purchase across airlines: the pending booking and the `started` transaction with
/// its participants — and this airline's own legs prepared, if it has any — in one write. An
/// idempotency key seen before answers its booking.
///
/// The write is deferred (see [`super::writer::Durability`]): under presumed abort a
/// transaction whose begin a power cut takes back is aborted as if it had never been, and
/// nobody has heard of it yet — the customer is answered only after a forced write. So it
/// appends nothing to the change log, whose numbers peers hold: the holds on own legs are
/// logged with the decision.
pub(crate) fn begin(
    connection: &Connection,
    owner: &Owner,
    order: &Order,
    participants: &[AirlineId],
) -> StoreResult<Begun> {
    if let Some(booking) = super::replay(connection, order)? {
        return Ok(Begun::Replayed(booking));
    }
    let booking = bookings::insert_pending(connection, order, participants)?;
    connection
        .prepare_cached("INSERT INTO coordinator_txns (txn, booking, state, created_at) VALUES (?1, ?2, 'started', ?3)")
        .and_then(|mut insert| insert.execute(params![order.txn.as_str(), booking, millis(order.at)]))
        .map_err(internal)?;
    let mut insert = connection
        .prepare_cached("INSERT INTO coordinator_participants (txn, airline) VALUES (?1, ?2)")
        .map_err(internal)?;
    for airline in participants {
        insert.execute(params![order.txn.as_str(), airline.as_str()]).map_err(internal)?;
    }
    let vote = match participants.contains(&owner.airline) {
        true => {
            let own = own_part(owner, order, participants);
            Some(prepare(connection, owner, &own, order.at, Announce::WithDecision)?)
        }
        false => None,
    };
    let booking = bookings::load(connection, booking).map_err(internal)?;
    Ok(Begun::Created { booking, vote })
}

/// The booking (internal id) and state of a transaction this node coordinates.
fn coordinated(connection: &Connection, txn: &TxnId) -> StoreResult<Option<(i64, String)>> {
    connection
        .prepare_cached("SELECT booking, state FROM coordinator_txns WHERE txn = ?1")
        .and_then(|mut select| {
            select.query_row([txn.as_str()], |row| Ok((row.get(0)?, row.get(1)?))).optional()
        })
        .map_err(internal)
}

/// Records the decision of a transaction this node coordinates, with what it does to the
/// booking: a commit confirms it with the seats held, an abort marks it failed with its cause;
/// applies it to this airline's own legs, if it is a participant, which then needs no telling;
/// and records every participant not in `tell` as having nothing to hear. Deciding what is
/// decided already changes nothing. Returns the booking.
pub(crate) fn record_decision(
    connection: &Connection,
    owner: &Owner,
    txn: &TxnId,
    decision: &Decision,
    tell: &[AirlineId],
    at: Timestamp,
) -> StoreResult<Booking> {
    let (booking, state) = coordinated(connection, txn)?
        .ok_or_else(|| StoreError::Internal(format!("no transaction {txn} to decide")))?;
    if state == "started" {
        match decision {
            Decision::Commit { order, held } => {
                bookings::confirm(connection, booking, order, held, at)?
            }
            Decision::Abort { cause } => bookings::fail(connection, booking, cause, at)?,
        }
        let outcome = decision.outcome();
        connection
            .prepare_cached(
                "UPDATE coordinator_txns SET state = ?2, decided_at = ?3 WHERE txn = ?1",
            )
            .and_then(|mut update| {
                update.execute(params![txn.as_str(), outcome.as_str(), millis(at)])
            })
            .map_err(internal)?;
        for airline in participants_of(connection, txn)? {
            let applied_here = airline == owner.airline;
            if applied_here {
                // The holds on own legs, made in the begin's deferred write, are logged now
                // (an abort logs its release itself).
                if outcome == Outcome::Committed {
                    log_flights_of_txn(connection, txn)?;
                }
                let by = DecidedBy::Coordinator(owner.airline.clone());
                decide(connection, txn, outcome, by, at)?;
            }
            if applied_here || !tell.contains(&airline) {
                acknowledge(connection, txn, &airline)?;
            }
        }
    }
    bookings::load(connection, booking).map_err(internal)
}

/// The participants of `txn`, which this node coordinates.
fn participants_of(connection: &Connection, txn: &TxnId) -> StoreResult<Vec<AirlineId>> {
    connection
        .prepare_cached("SELECT airline FROM coordinator_participants WHERE txn = ?1")
        .and_then(|mut select| {
            select
                .query_map([txn.as_str()], |row| parsed(row, "airline", AirlineId::parse))?
                .collect()
        })
        .map_err(internal)
}

/// Records that `airline` acknowledged the decision of `txn`.
pub(crate) fn acknowledge(
    connection: &Connection,
    txn: &TxnId,
    airline: &AirlineId,
) -> StoreResult<()> {
    connection
        .prepare_cached(
            "UPDATE coordinator_participants SET acknowledged = 1 WHERE txn = ?1 AND airline = ?2",
        )
        .and_then(|mut update| update.execute(params![txn.as_str(), airline.as_str()]))
        .map_err(internal)?;
    Ok(())
}

/// The transactions this node coordinates that are not finished: undecided, or decided and
/// not acknowledged by every participant.
pub(crate) fn unfinished(connection: &Connection) -> StoreResult<Vec<Coordination>> {
    let txns: Vec<String> = connection
        .prepare_cached(
            "SELECT txn FROM coordinator_txns WHERE state = 'started'
             UNION SELECT txn FROM coordinator_participants WHERE acknowledged = 0
             ORDER BY txn",
        )
        .and_then(|mut select| select.query_map([], |row| row.get(0))?.collect())
        .map_err(internal)?;
    txns.iter()
        .map(|txn| {
            coordination(
                connection,
                &TxnId::parse(txn).map_err(|e| StoreError::Internal(e.to_string()))?,
            )
        })
        .filter_map(Result::transpose)
        .collect()
}

/// A transaction this node coordinates, as recorded.
pub(crate) fn coordination(
    connection: &Connection,
    txn: &TxnId,
) -> StoreResult<Option<Coordination>> {
    let row = connection
        .prepare_cached(
            "SELECT t.state, t.created_at, b.reference FROM coordinator_txns t JOIN bookings b ON b.id = t.booking
             WHERE t.txn = ?1",
        )
        .and_then(|mut select| {
            select
                .query_row([txn.as_str()], |row| {
                    Ok((row.get::<_, String>("state")?, instant(row, "created_at")?, parsed(row, "reference", BookingReference::parse)?))
                })
                .optional()
        })
        .map_err(internal)?;
    let Some((state, created_at, reference)) = row else { return Ok(None) };
    let participants: Vec<(AirlineId, bool)> = connection
        .prepare_cached("SELECT airline, acknowledged FROM coordinator_participants WHERE txn = ?1 ORDER BY airline")
        .and_then(|mut select| {
            select.query_map([txn.as_str()], |row| Ok((parsed(row, "airline", AirlineId::parse)?, row.get("acknowledged")?)))?.collect()
        })
        .map_err(internal)?;
    let decided = match state.as_str() {
        "committed" => Some(Outcome::Committed),
        "aborted" => Some(Outcome::Aborted),
        _ => None,
    };
    Ok(Some(Coordination {
        txn: txn.clone(),
        reference,
        participants: participants.iter().map(|(airline, _)| airline.clone()).collect(),
        waiting: participants
            .into_iter()
            .filter(|(_, acknowledged)| !acknowledged)
            .map(|(airline, _)| airline)
            .collect(),
        decided,
        created_at,
    }))
}

/// When the holds of a prepare are appended to the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Announce {
    /// In the prepare's own write: another airline's prepare, a forced write.
    Now,
    /// With the decision: this airline's own legs, prepared in the begin's deferred write.
    WithDecision,
}

/// Prepares `prepare` here: holds a seat per passenger on each leg and records PREPARED, or
/// votes no and holds nothing. A prepare seen before answers as the records say.
pub(crate) fn prepare(
    connection: &Connection,
    owner: &Owner,
    prepare: &Prepare,
    at: Timestamp,
    announce: Announce,
) -> StoreResult<Vote> {
    match participation_state(connection, &prepare.txn)?.as_deref() {
        Some("prepared" | "committed") => {
            return Ok(Vote::Yes { held: seats::of_txn(connection, &prepare.txn)? });
        }
        Some(_) => return Ok(Vote::No { reason: RefusalReason::Aborted, flight: None }),
        None => {}
    }
    let held = in_savepoint(connection, |connection| {
        let mut held = Vec::new();
        for leg in &prepare.legs {
            let request = HoldRequest {
                txn: &prepare.txn,
                seller: &prepare.coordinator,
                flight: leg.flight,
                passengers: &prepare.passengers,
                seats: leg.seats.as_deref(),
                sold_to: None,
                at,
            };
            held.extend(seats::hold(connection, owner, &request)?);
            if announce == Announce::Now {
                log_change(connection, leg.flight)?;
            }
        }
        Ok(held)
    });
    let held = match held {
        Ok(held) => held,
        Err(error) => return refusal(error),
    };
    let participants: Vec<&str> = prepare.participants.iter().map(AirlineId::as_str).collect();
    connection
        .prepare_cached(
            "INSERT INTO participant_txns (txn, coordinator, participants, reference, state, prepared_at)
             VALUES (?1, ?2, ?3, ?4, 'prepared', ?5)",
        )
        .and_then(|mut insert| {
            insert.execute(params![
                prepare.txn.as_str(),
                prepare.coordinator.as_str(),
                participants.join(","),
                prepare.reference.as_str(),
                millis(at)
            ])
        })
        .map_err(internal)?;
    Ok(Vote::Yes { held })
}

/// This node's record of its participation in a transaction.
struct Participation {
    state: String,
    coordinator: String,
}

/// This node's participation in `txn`, if it has one.
fn participation(connection: &Connection, txn: &TxnId) -> StoreResult<Option<Participation>> {
    connection
        .prepare_cached("SELECT state, coordinator FROM participant_txns WHERE txn = ?1")
        .and_then(|mut select| {
            select
                .query_row([txn.as_str()], |row| {
                    Ok(Participation { state: row.get(0)?, coordinator: row.get(1)? })
                })
                .optional()
        })
        .map_err(internal)
}

/// The state of this node's participation in `txn`, if it has one.
fn participation_state(connection: &Connection, txn: &TxnId) -> StoreResult<Option<String>> {
    Ok(participation(connection, txn)?.map(|record| record.state))
}

/// Applies the decision of `txn` here: a commit sells the held seats to the seller's booking,
/// an abort releases them (and records ABORTED for a transaction never seen, so a late prepare
/// is refused). `by` says who decided it here: `coordinator`, `inquiry` or `operator`.
pub(crate) fn decide(
    connection: &Connection,
    txn: &TxnId,
    outcome: Outcome,
    by: DecidedBy,
    at: Timestamp,
) -> StoreResult<()> {
    let record = participation(connection, txn)?;
    if let (DecidedBy::Coordinator(teller), Some(record)) = (&by, &record)
        && !record.coordinator.is_empty()
        && record.coordinator != teller.as_str()
    {
        return Err(StoreError::Conflict(format!(
            "{txn} is coordinated by {}, not {teller}",
            record.coordinator
        )));
    }
    match (record.as_ref().map(|r| r.state.as_str()), outcome) {
        (Some("committed"), Outcome::Committed) | (Some("aborted"), Outcome::Aborted) => Ok(()),
        (Some("prepared"), Outcome::Committed) => {
            let reference: String = connection
                .prepare_cached("SELECT reference FROM participant_txns WHERE txn = ?1")
                .and_then(|mut select| select.query_row([txn.as_str()], |row| row.get(0)))
                .map_err(internal)?;
            seats::sell(connection, txn, &reference)?;
            settle(connection, txn, outcome, &by, at)
        }
        (Some("prepared"), Outcome::Aborted) => {
            log_flights_of_txn(connection, txn)?;
            seats::release(connection, txn)?;
            settle(connection, txn, outcome, &by, at)
        }
        (None, Outcome::Aborted) => record_aborted(connection, txn, &by, at),
        (None, Outcome::Committed) => {
            Err(StoreError::Conflict(format!("{txn} was never prepared here")))
        }
        (Some(state), outcome) => {
            Err(StoreError::Conflict(format!("{txn} is {state} here; it cannot be {outcome}")))
        }
    }
}

/// Appends each flight on which `txn` holds or sold seats here to the change log.
fn log_flights_of_txn(connection: &Connection, txn: &TxnId) -> StoreResult<()> {
    seats::flights_of_txn(connection, txn)?.into_iter().try_for_each(|f| log_change(connection, f))
}

fn settle(
    connection: &Connection,
    txn: &TxnId,
    outcome: Outcome,
    by: &DecidedBy,
    at: Timestamp,
) -> StoreResult<()> {
    connection
        .prepare_cached(
            "UPDATE participant_txns SET state = ?2, decided_at = ?3, decided_by = ?4 WHERE txn = ?1",
        )
        .and_then(|mut update| {
            update.execute(params![txn.as_str(), outcome.as_str(), millis(at), by.as_str()])
        })
        .map_err(internal)?;
    Ok(())
}

/// Records ABORTED for a transaction this node never prepared (with its coordinator, when it
/// is the coordinator that says so), so that a late prepare is refused.
fn record_aborted(
    connection: &Connection,
    txn: &TxnId,
    by: &DecidedBy,
    at: Timestamp,
) -> StoreResult<()> {
    let coordinator = match by {
        DecidedBy::Coordinator(airline) => airline.as_str(),
        DecidedBy::Inquiry | DecidedBy::Operator => "",
    };
    connection
        .prepare_cached(
            "INSERT INTO participant_txns (txn, coordinator, participants, state, decided_at, decided_by)
             VALUES (?1, ?2, '', 'aborted', ?3, ?4) ON CONFLICT (txn) DO NOTHING",
        )
        .and_then(|mut insert| {
            insert.execute(params![txn.as_str(), coordinator, millis(at), by.as_str()])
        })
        .map_err(internal)?;
    Ok(())
}

/// What this node can tell of `txn` to a participant in doubt: as coordinator, its decision (or
/// that it is still deciding); as participant, its state. A transaction it never saw is
/// recorded ABORTED first, then answered so.
pub(crate) fn status(connection: &Connection, txn: &TxnId, at: Timestamp) -> StoreResult<Status> {
    if let Some((_, state)) = coordinated(connection, txn)? {
        return Ok(match state.as_str() {
            "committed" => Status::Committed,
            "aborted" => Status::Aborted,
            _ => Status::Undecided,
        });
    }
    match participation_state(connection, txn)?.as_deref() {
        Some("committed") => Ok(Status::Committed),
        Some("aborted") => Ok(Status::Aborted),
        Some(_) => Ok(Status::InDoubt),
        None => {
            record_aborted(connection, txn, &DecidedBy::Inquiry, at)?;
            Ok(Status::Aborted)
        }
    }
}

/// The transactions this node prepared and has no decision for.
pub(crate) fn in_doubt(connection: &Connection) -> StoreResult<Vec<InDoubt>> {
    connection
        .prepare_cached(
            "SELECT * FROM participant_txns
             WHERE state = 'prepared' AND txn NOT IN (SELECT txn FROM coordinator_txns)
             ORDER BY prepared_at",
        )
        .and_then(|mut select| {
            select
                .query_map([], |row| {
                    let participants: String = row.get("participants")?;
                    Ok(InDoubt {
                        txn: parsed(row, "txn", TxnId::parse)?,
                        coordinator: parsed(row, "coordinator", AirlineId::parse)?,
                        participants: participants
                            .split(',')
                            .filter_map(|id| AirlineId::parse(id).ok())
                            .collect(),
                        prepared_at: instant(row, "prepared_at")?,
                    })
                })?
                .collect()
        })
        .map_err(internal)
}

/// Every unfinished transaction, as coordinator and as participant, for operators.
pub(crate) fn summaries(connection: &Connection) -> StoreResult<Vec<TxnSummary>> {
    Ok(rules::summaries(unfinished(connection)?, in_doubt(connection)?))
}

/// Decides a transaction in doubt here by hand, with an audit record.
pub(crate) fn resolve(
    connection: &Connection,
    txn: &TxnId,
    outcome: Outcome,
    at: Timestamp,
) -> StoreResult<()> {
    if participation_state(connection, txn)?.as_deref() != Some("prepared") {
        return Err(StoreError::Conflict(format!("{txn} is not in doubt here")));
    }
    decide(connection, txn, outcome, DecidedBy::Operator, at)?;
    connection
        .prepare_cached("INSERT INTO audit (at, action, detail) VALUES (?1, 'resolve', ?2)")
        .and_then(|mut insert| {
            insert.execute(params![millis(at), format!("{txn} {outcome} by an operator")])
        })
        .map_err(internal)?;
    Ok(())
}

/// Records that the seats a cancelled booking holds at `airlines` are to be released there.
pub(crate) fn request_releases(
    connection: &Connection,
    txn: &TxnId,
    booking: i64,
    airlines: &[AirlineId],
    at: Timestamp,
) -> StoreResult<()> {
    let mut insert = connection
        .prepare_cached("INSERT INTO releases (txn, airline, booking, requested_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")
        .map_err(internal)?;
    for airline in airlines {
        insert
            .execute(params![txn.as_str(), airline.as_str(), booking, millis(at)])
            .map_err(internal)?;
    }
    Ok(())
}

/// Releases still to be done.
pub(crate) fn pending_releases(connection: &Connection) -> StoreResult<Vec<Release>> {
    connection
        .prepare_cached("SELECT * FROM releases ORDER BY requested_at")
        .and_then(|mut select| {
            select
                .query_map([], |row| {
                    Ok(Release {
                        txn: parsed(row, "txn", TxnId::parse)?,
                        airline: parsed(row, "airline", AirlineId::parse)?,
                    })
                })?
                .collect()
        })
        .map_err(internal)
}

/// Records that `airline` released the seats of `txn`.
pub(crate) fn released(
    connection: &Connection,
    txn: &TxnId,
    airline: &AirlineId,
    at: Timestamp,
) -> StoreResult<()> {
    let booking: Option<i64> = connection
        .query_row(
            "DELETE FROM releases WHERE txn = ?1 AND airline = ?2 RETURNING booking",
            params![txn.as_str(), airline.as_str()],
            |row| row.get(0),
        )
        .optional()
        .map_err(internal)?;
    if let Some(booking) = booking {
        bookings::append_history(
            connection,
            booking,
            at,
            "seats_released",
            &format!("seats released at {airline}"),
        )?;
    }
    Ok(())
}

/// Releases, as the owner, the seats `seller` sold in `txn` (the seller's booking was
/// cancelled); releasing twice changes nothing.
pub(crate) fn release_for(
    connection: &Connection,
    txn: &TxnId,
    seller: &AirlineId,
) -> StoreResult<()> {
    let sold_by_seller: bool = connection
        .query_row(
            "SELECT count(*) > 0 FROM seats WHERE txn = ?1 AND seller = ?2",
            params![txn.as_str(), seller.as_str()],
            |row| row.get(0),
        )
        .map_err(internal)?;
    let other_seller: bool = connection
        .query_row(
            "SELECT count(*) > 0 FROM seats WHERE txn = ?1 AND seller <> ?2",
            params![txn.as_str(), seller.as_str()],
            |row| row.get(0),
        )
        .map_err(internal)?;
    if other_seller {
        return Err(StoreError::Conflict(format!("{txn} was not sold by {seller}")));
    }
    if sold_by_seller {
        log_flights_of_txn(connection, txn)?;
        seats::release(connection, txn)?;
    }
    Ok(())
}

/// This airline's record of the segments it operates on `flight`: every seat held or sold.
pub(crate) fn segments(
    connection: &Connection,
    flight: FlightId,
) -> StoreResult<Vec<SegmentRecord>> {
    connection
        .prepare_cached("SELECT * FROM seats WHERE flight = ?1 ORDER BY seat")
        .and_then(|mut select| {
            select
                .query_map([flight.to_string()], |row| {
                    Ok(SegmentRecord {
                        seat: parsed(row, "seat", SeatNumber::parse)?,
                        state: row.get("state")?,
                        passenger: parsed(row, "passenger", PassengerName::parse)?,
                        ticket: parsed(row, "ticket", TicketNumber::parse)?,
                        seller: parsed(row, "seller", AirlineId::parse)?,
                        reference: row
                            .get::<_, Option<String>>("booking_reference")?
                            .and_then(|r| BookingReference::parse(&r).ok()),
                        txn: parsed(row, "txn", TxnId::parse)?,
                    })
                })?
                .collect()
        })
        .map_err(internal)
}
