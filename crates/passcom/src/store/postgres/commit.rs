//! The records of the two-phase commit: the coordinator's and the participant's.
//!
//! Every operation is one transaction and idempotent by the record's state, as in SQLite's
//! store (`store::sqlite::commit`). Where SQLite's one writer ran the operations on one
//! transaction id one after another, here each takes a transaction advisory lock on the id
//! first ([`lock_txn`]): a prepare repeated while the first is still running waits for it, then
//! finds it prepared and answers the same vote.

use jiff::Timestamp;
use passcom_core::commit::{Outcome, Prepare, RefusalReason, Status, Vote};
use passcom_core::{
    AirlineId, Booking, BookingReference, FlightId, PassengerName, SeatNumber, TicketNumber,
};

use super::bookings;
use super::codec::{get, instant, instant_at, parsed};
use super::network::log_change;
use super::seats;
use super::{Db, Failure, PgResult, lock_key};
use crate::store::rules::{self, HoldRequest, Owner, own_part};
use crate::store::{
    Begun, Coordination, DecidedBy, Decision, InDoubt, Order, Release, SegmentRecord, StoreError,
    TxnId, TxnSummary,
};

/// Locks the commit protocol's transaction `txn` until this database transaction ends.
async fn lock_txn(db: &Db<'_>, txn: &TxnId) -> PgResult<()> {
    db.lock(lock_key("txn", &[txn.as_str().as_bytes()])).await
}

/// Begins a purchase across airlines: the pending booking and the `started` transaction with
/// its participants — and this airline's own legs prepared, if it has any — in one write. An
/// idempotency key seen before answers its booking. The holds on own legs are logged with the
/// decision, as in SQLite's store.
pub(crate) async fn begin(
    db: &Db<'_>,
    owner: &Owner,
    order: &Order,
    participants: &[AirlineId],
) -> PgResult<Begun> {
    if let Some(booking) = bookings::replay(db, order).await? {
        return Ok(Begun::Replayed(booking));
    }
    lock_txn(db, &order.txn).await?;
    let booking = bookings::insert_pending(db, order, participants).await?;
    db.execute(
        "INSERT INTO coordinator_txns (txn, booking, state, created_at) VALUES ($1, $2, 'started', $3)",
        &[&order.txn.as_str(), &booking, &instant(order.at)],
    )
    .await?;
    for airline in participants {
        db.execute(
            "INSERT INTO coordinator_participants (txn, airline) VALUES ($1, $2)",
            &[&order.txn.as_str(), &airline.as_str()],
        )
        .await?;
    }
    let vote = match participants.contains(&owner.airline) {
        true => {
            let own = own_part(owner, order, participants);
            Some(prepare(db, owner, &own, order.at, Announce::WithDecision).await?)
        }
        false => None,
    };
    let booking = bookings::load(db, booking).await?;
    Ok(Begun::Created { booking, vote })
}

/// The booking (internal id) and state of a transaction this node coordinates.
async fn coordinated(db: &Db<'_>, txn: &TxnId) -> PgResult<Option<(i64, String)>> {
    let row = db
        .optional("SELECT booking, state FROM coordinator_txns WHERE txn = $1", &[&txn.as_str()])
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((get(&row, "booking")?, get(&row, "state")?)))
}

/// Records the decision of a transaction this node coordinates, with what it does to the
/// booking; applies it to this airline's own legs, if it is a participant; records every
/// participant not in `tell` as having nothing to hear. Deciding what is decided already
/// changes nothing. Returns the booking.
pub(crate) async fn record_decision(
    db: &Db<'_>,
    owner: &Owner,
    txn: &TxnId,
    decision: &Decision,
    tell: &[AirlineId],
    at: Timestamp,
) -> PgResult<Booking> {
    lock_txn(db, txn).await?;
    let (booking, state) = coordinated(db, txn)
        .await?
        .ok_or_else(|| StoreError::Internal(format!("no transaction {txn} to decide")))?;
    if state == "started" {
        match decision {
            Decision::Commit { order, held } => {
                bookings::confirm(db, booking, order, held, at).await?
            }
            Decision::Abort { cause } => bookings::fail(db, booking, cause, at).await?,
        }
        let outcome = decision.outcome();
        db.execute(
            "UPDATE coordinator_txns SET state = $2, decided_at = $3 WHERE txn = $1",
            &[&txn.as_str(), &outcome.as_str(), &instant(at)],
        )
        .await?;
        for airline in participants_of(db, txn).await? {
            let applied_here = airline == owner.airline;
            if applied_here {
                // The holds on own legs, made in the begin, are logged now (an abort logs its
                // release itself).
                if outcome == Outcome::Committed {
                    log_flights_of_txn(db, txn).await?;
                }
                let by = DecidedBy::Coordinator(owner.airline.clone());
                decide_locked(db, txn, outcome, &by, at).await?;
            }
            if applied_here || !tell.contains(&airline) {
                acknowledge(db, txn, &airline).await?;
            }
        }
    }
    bookings::load(db, booking).await
}

/// The participants of `txn`, which this node coordinates.
async fn participants_of(db: &Db<'_>, txn: &TxnId) -> PgResult<Vec<AirlineId>> {
    let rows = db
        .rows(
            "SELECT airline FROM coordinator_participants WHERE txn = $1 ORDER BY airline",
            &[&txn.as_str()],
        )
        .await?;
    Ok(rows.iter().map(|row| parsed(row, "airline", AirlineId::parse)).collect::<Result<_, _>>()?)
}

/// Records that `airline` acknowledged the decision of `txn`.
pub(crate) async fn acknowledge(db: &Db<'_>, txn: &TxnId, airline: &AirlineId) -> PgResult<()> {
    db.execute(
        "UPDATE coordinator_participants SET acknowledged = true WHERE txn = $1 AND airline = $2",
        &[&txn.as_str(), &airline.as_str()],
    )
    .await?;
    Ok(())
}

/// The transactions this node coordinates that are not finished: undecided, or decided and
/// not acknowledged by every participant.
pub(crate) async fn unfinished(db: &Db<'_>) -> PgResult<Vec<Coordination>> {
    let rows = db
        .rows(
            "SELECT txn FROM coordinator_txns WHERE state = 'started'
             UNION SELECT txn FROM coordinator_participants WHERE NOT acknowledged
             ORDER BY txn",
            &[],
        )
        .await?;
    let mut unfinished = Vec::with_capacity(rows.len());
    for row in &rows {
        let txn = parsed(row, "txn", TxnId::parse)?;
        unfinished.extend(coordination(db, &txn).await?);
    }
    Ok(unfinished)
}

/// A transaction this node coordinates, as recorded.
async fn coordination(db: &Db<'_>, txn: &TxnId) -> PgResult<Option<Coordination>> {
    let row = db
        .optional(
            "SELECT t.state, t.created_at, b.reference
             FROM coordinator_txns t JOIN bookings b ON b.id = t.booking
             WHERE t.txn = $1",
            &[&txn.as_str()],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let state: String = get(&row, "state")?;
    let participants = db
        .rows(
            "SELECT airline, acknowledged FROM coordinator_participants WHERE txn = $1
             ORDER BY airline",
            &[&txn.as_str()],
        )
        .await?;
    let participants: Vec<(AirlineId, bool)> = participants
        .iter()
        .map(|row| Ok((parsed(row, "airline", AirlineId::parse)?, get(row, "acknowledged")?)))
        .collect::<Result<_, StoreError>>()?;
    let decided = match state.as_str() {
        "committed" => Some(Outcome::Committed),
        "aborted" => Some(Outcome::Aborted),
        _ => None,
    };
    Ok(Some(Coordination {
        txn: txn.clone(),
        reference: parsed(&row, "reference", BookingReference::parse)?,
        participants: participants.iter().map(|(airline, _)| airline.clone()).collect(),
        waiting: participants
            .into_iter()
            .filter(|(_, acknowledged)| !acknowledged)
            .map(|(airline, _)| airline)
            .collect(),
        decided,
        created_at: instant_at(&row, "created_at")?,
    }))
}

/// When the holds of a prepare are appended to the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Announce {
    /// In the prepare's own write: another airline's prepare.
    Now,
    /// With the decision: this airline's own legs, prepared in the begin.
    WithDecision,
}

/// Prepares `prepare` here: holds a seat per passenger on each leg and records PREPARED, or
/// votes no and holds nothing. A prepare seen before answers as the records say.
pub(crate) async fn prepare(
    db: &Db<'_>,
    owner: &Owner,
    prepare: &Prepare,
    at: Timestamp,
    announce: Announce,
) -> PgResult<Vote> {
    lock_txn(db, &prepare.txn).await?;
    match participation(db, &prepare.txn).await?.map(|record| record.state).as_deref() {
        Some("prepared" | "committed") => {
            return Ok(Vote::Yes { held: seats::of_txn(db, &prepare.txn).await? });
        }
        Some(_) => return Ok(Vote::No { reason: RefusalReason::Aborted, flight: None }),
        None => {}
    }
    // A refused hold aborts the statement that failed; the savepoint keeps the rest of the
    // transaction (a begin's pending booking) going.
    db.batch("SAVEPOINT hold").await?;
    let held = match hold_legs(db, owner, prepare, at, announce).await {
        Ok(held) => {
            db.batch("RELEASE SAVEPOINT hold").await?;
            held
        }
        Err(failure) => {
            db.batch("ROLLBACK TO SAVEPOINT hold; RELEASE SAVEPOINT hold").await?;
            return refusal(failure);
        }
    };
    let participants: Vec<&str> = prepare.participants.iter().map(AirlineId::as_str).collect();
    db.execute(
        "INSERT INTO participant_txns (txn, coordinator, participants, reference, state, prepared_at)
         VALUES ($1, $2, $3, $4, 'prepared', $5)",
        &[
            &prepare.txn.as_str(),
            &prepare.coordinator.as_str(),
            &participants.join(","),
            &prepare.reference.as_str(),
            &instant(at),
        ],
    )
    .await?;
    Ok(Vote::Yes { held })
}

/// Holds a seat per passenger on every leg of `prepare`.
async fn hold_legs(
    db: &Db<'_>,
    owner: &Owner,
    prepare: &Prepare,
    at: Timestamp,
    announce: Announce,
) -> PgResult<Vec<passcom_core::commit::HeldSeat>> {
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
        held.extend(seats::hold(db, owner, &request).await?);
        if announce == Announce::Now {
            log_change(db, leg.flight).await?;
        }
    }
    Ok(held)
}

/// The no-vote a failed hold becomes; a store failure stays an error, and a lost race runs
/// the write again.
fn refusal(failure: Failure) -> PgResult<Vote> {
    match failure {
        Failure::Store(error) => Ok(rules::refusal(error)?),
        Failure::Retry => Err(Failure::Retry),
    }
}

/// This node's record of its participation in a transaction.
struct Participation {
    state: String,
    coordinator: String,
    reference: Option<String>,
}

/// This node's participation in `txn`, if it has one.
async fn participation(db: &Db<'_>, txn: &TxnId) -> PgResult<Option<Participation>> {
    let row = db
        .optional(
            "SELECT state, coordinator, reference FROM participant_txns WHERE txn = $1",
            &[&txn.as_str()],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Participation {
        state: get(&row, "state")?,
        coordinator: get(&row, "coordinator")?,
        reference: get(&row, "reference")?,
    }))
}

/// Applies the decision of `txn` here: a commit sells the held seats to the seller's booking,
/// an abort releases them (and records ABORTED for a transaction never seen, so a late prepare
/// is refused).
pub(crate) async fn decide(
    db: &Db<'_>,
    txn: &TxnId,
    outcome: Outcome,
    by: &DecidedBy,
    at: Timestamp,
) -> PgResult<()> {
    lock_txn(db, txn).await?;
    decide_locked(db, txn, outcome, by, at).await
}

/// [`decide`], with the transaction locked already.
async fn decide_locked(
    db: &Db<'_>,
    txn: &TxnId,
    outcome: Outcome,
    by: &DecidedBy,
    at: Timestamp,
) -> PgResult<()> {
    let record = participation(db, txn).await?;
    if let (DecidedBy::Coordinator(teller), Some(record)) = (by, &record)
        && !record.coordinator.is_empty()
        && record.coordinator != teller.as_str()
    {
        return Err(StoreError::Conflict(format!(
            "{txn} is coordinated by {}, not {teller}",
            record.coordinator
        ))
        .into());
    }
    match (record.as_ref().map(|r| r.state.as_str()), outcome) {
        (Some("committed"), Outcome::Committed) | (Some("aborted"), Outcome::Aborted) => Ok(()),
        (Some("prepared"), Outcome::Committed) => {
            let reference = record.and_then(|r| r.reference).unwrap_or_default();
            seats::sell(db, txn, &reference).await?;
            settle(db, txn, outcome, by, at).await
        }
        (Some("prepared"), Outcome::Aborted) => {
            log_flights_of_txn(db, txn).await?;
            seats::release(db, txn).await?;
            settle(db, txn, outcome, by, at).await
        }
        (None, Outcome::Aborted) => record_aborted(db, txn, by, at).await,
        (None, Outcome::Committed) => {
            Err(StoreError::Conflict(format!("{txn} was never prepared here")).into())
        }
        (Some(state), outcome) => {
            Err(StoreError::Conflict(format!("{txn} is {state} here; it cannot be {outcome}"))
                .into())
        }
    }
}

/// Appends each flight on which `txn` holds or sold seats here to the change log.
async fn log_flights_of_txn(db: &Db<'_>, txn: &TxnId) -> PgResult<()> {
    for flight in seats::flights_of_txn(db, txn).await? {
        log_change(db, flight).await?;
    }
    Ok(())
}

async fn settle(
    db: &Db<'_>,
    txn: &TxnId,
    outcome: Outcome,
    by: &DecidedBy,
    at: Timestamp,
) -> PgResult<()> {
    db.execute(
        "UPDATE participant_txns SET state = $2, decided_at = $3, decided_by = $4 WHERE txn = $1",
        &[&txn.as_str(), &outcome.as_str(), &instant(at), &by.as_str()],
    )
    .await?;
    Ok(())
}

/// Records ABORTED for a transaction this node never prepared (with its coordinator, when it
/// is the coordinator that says so), so that a late prepare is refused.
async fn record_aborted(db: &Db<'_>, txn: &TxnId, by: &DecidedBy, at: Timestamp) -> PgResult<()> {
    let coordinator = match by {
        DecidedBy::Coordinator(airline) => airline.as_str(),
        DecidedBy::Inquiry | DecidedBy::Operator => "",
    };
    db.execute(
        "INSERT INTO participant_txns (txn, coordinator, participants, state, decided_at, decided_by)
         VALUES ($1, $2, '', 'aborted', $3, $4) ON CONFLICT (txn) DO NOTHING",
        &[&txn.as_str(), &coordinator, &instant(at), &by.as_str()],
    )
    .await?;
    Ok(())
}

/// What this node can tell of `txn` to a participant in doubt: as coordinator, its decision (or
/// that it is still deciding); as participant, its state. A transaction it never saw is
/// recorded ABORTED first, then answered so.
pub(crate) async fn status(db: &Db<'_>, txn: &TxnId, at: Timestamp) -> PgResult<Status> {
    lock_txn(db, txn).await?;
    if let Some((_, state)) = coordinated(db, txn).await? {
        return Ok(match state.as_str() {
            "committed" => Status::Committed,
            "aborted" => Status::Aborted,
            _ => Status::Undecided,
        });
    }
    match participation(db, txn).await?.map(|record| record.state).as_deref() {
        Some("committed") => Ok(Status::Committed),
        Some("aborted") => Ok(Status::Aborted),
        Some(_) => Ok(Status::InDoubt),
        None => {
            record_aborted(db, txn, &DecidedBy::Inquiry, at).await?;
            Ok(Status::Aborted)
        }
    }
}

/// The transactions this node prepared and has no decision for.
pub(crate) async fn in_doubt(db: &Db<'_>) -> PgResult<Vec<InDoubt>> {
    let rows = db
        .rows(
            "SELECT * FROM participant_txns
             WHERE state = 'prepared' AND txn NOT IN (SELECT txn FROM coordinator_txns)
             ORDER BY prepared_at",
            &[],
        )
        .await?;
    let in_doubt = |row: &tokio_postgres::Row| -> Result<InDoubt, StoreError> {
        let participants: String = get(row, "participants")?;
        Ok(InDoubt {
            txn: parsed(row, "txn", TxnId::parse)?,
            coordinator: parsed(row, "coordinator", AirlineId::parse)?,
            participants: participants
                .split(',')
                .filter_map(|id| AirlineId::parse(id).ok())
                .collect(),
            prepared_at: instant_at(row, "prepared_at")?,
        })
    };
    Ok(rows.iter().map(in_doubt).collect::<Result<_, _>>()?)
}

/// Every unfinished transaction, as coordinator and as participant, for operators.
pub(crate) async fn summaries(db: &Db<'_>) -> PgResult<Vec<TxnSummary>> {
    Ok(rules::summaries(unfinished(db).await?, in_doubt(db).await?))
}

/// Decides a transaction in doubt here by hand, with an audit record.
pub(crate) async fn resolve(
    db: &Db<'_>,
    txn: &TxnId,
    outcome: Outcome,
    at: Timestamp,
) -> PgResult<()> {
    lock_txn(db, txn).await?;
    if participation(db, txn).await?.map(|record| record.state).as_deref() != Some("prepared") {
        return Err(StoreError::Conflict(format!("{txn} is not in doubt here")).into());
    }
    decide_locked(db, txn, outcome, &DecidedBy::Operator, at).await?;
    db.execute(
        "INSERT INTO audit (at, action, detail) VALUES ($1, 'resolve', $2)",
        &[&instant(at), &format!("{txn} {outcome} by an operator")],
    )
    .await?;
    Ok(())
}

/// Records that the seats a cancelled booking holds at `airlines` are to be released there.
pub(crate) async fn request_releases(
    db: &Db<'_>,
    txn: &TxnId,
    booking: i64,
    airlines: &[AirlineId],
    at: Timestamp,
) -> PgResult<()> {
    for airline in airlines {
        db.execute(
            "INSERT INTO releases (txn, airline, booking, requested_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            &[&txn.as_str(), &airline.as_str(), &booking, &instant(at)],
        )
        .await?;
    }
    Ok(())
}

/// Releases still to be done.
pub(crate) async fn pending_releases(db: &Db<'_>) -> PgResult<Vec<Release>> {
    let rows = db.rows("SELECT * FROM releases ORDER BY requested_at, txn, airline", &[]).await?;
    let release = |row: &tokio_postgres::Row| -> Result<Release, StoreError> {
        Ok(Release {
            txn: parsed(row, "txn", TxnId::parse)?,
            airline: parsed(row, "airline", AirlineId::parse)?,
        })
    };
    Ok(rows.iter().map(release).collect::<Result<_, _>>()?)
}

/// Records that `airline` released the seats of `txn`.
pub(crate) async fn released(
    db: &Db<'_>,
    txn: &TxnId,
    airline: &AirlineId,
    at: Timestamp,
) -> PgResult<()> {
    let row = db
        .optional(
            "DELETE FROM releases WHERE txn = $1 AND airline = $2 RETURNING booking",
            &[&txn.as_str(), &airline.as_str()],
        )
        .await?;
    if let Some(row) = row {
        let detail = format!("seats released at {airline}");
        bookings::append_history(db, get(&row, "booking")?, at, "seats_released", &detail).await?;
    }
    Ok(())
}

/// Releases, as the owner, the seats `seller` sold in `txn` (the seller's booking was
/// cancelled); releasing twice changes nothing.
pub(crate) async fn release_for(db: &Db<'_>, txn: &TxnId, seller: &AirlineId) -> PgResult<()> {
    lock_txn(db, txn).await?;
    let row = db
        .one(
            "SELECT count(*) FILTER (WHERE seller = $2) > 0 AS by_seller,
                    count(*) FILTER (WHERE seller <> $2) > 0 AS by_other
             FROM seats WHERE txn = $1",
            &[&txn.as_str(), &seller.as_str()],
        )
        .await?;
    let (by_seller, by_other): (bool, bool) = (get(&row, "by_seller")?, get(&row, "by_other")?);
    if by_other {
        return Err(StoreError::Conflict(format!("{txn} was not sold by {seller}")).into());
    }
    if by_seller {
        log_flights_of_txn(db, txn).await?;
        seats::release(db, txn).await?;
    }
    Ok(())
}

/// This airline's record of the segments it operates on `flight`: every seat held or sold.
pub(crate) async fn segments(db: &Db<'_>, flight: FlightId) -> PgResult<Vec<SegmentRecord>> {
    let rows = db
        .rows("SELECT * FROM seats WHERE flight = $1 ORDER BY seat", &[&flight.to_string()])
        .await?;
    let record = |row: &tokio_postgres::Row| -> Result<SegmentRecord, StoreError> {
        let reference: Option<String> = get(row, "booking_reference")?;
        Ok(SegmentRecord {
            seat: parsed(row, "seat", SeatNumber::parse)?,
            state: get(row, "state")?,
            passenger: parsed(row, "passenger", PassengerName::parse)?,
            ticket: parsed(row, "ticket", TicketNumber::parse)?,
            seller: parsed(row, "seller", AirlineId::parse)?,
            reference: reference.and_then(|r| BookingReference::parse(&r).ok()),
            txn: parsed(row, "txn", TxnId::parse)?,
        })
    };
    Ok(rows.iter().map(record).collect::<Result<_, _>>()?)
}
