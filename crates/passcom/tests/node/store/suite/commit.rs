//! The records of the two-phase commit: what every store must do as coordinator and as
//! participant. The store under test is Rumos; Giro and Boreal are the other airlines.

use passcom::store::{Begun, DecidedBy, Decision, HeldSeat, Store, StoreError};
use passcom_core::commit::{AbortCause, LegRequest, Outcome, Prepare, RefusalReason, Status, Vote};
use passcom_core::reference::reference_airlines;
use passcom_core::{Airline, BookingReference, BookingStatus, Cabin, Flight, SegmentStatus};

use super::*;

/// Declares the commit tests for a backend (see [`super::each_test`]).
macro_rules! commit_suite {
    ($open:ident) => {
        crate::store::suite::each_test!($open, commit =>
            a_prepare_holds_seats_and_answers_the_same_vote_again,
            a_prepare_repeated_at_once_answers_one_vote,
            a_refused_prepare_holds_nothing_and_refuses_again,
            a_commit_sells_the_held_seats_to_the_sellers_booking,
            an_abort_releases_and_a_late_prepare_is_refused,
            asking_about_an_unknown_transaction_records_it_aborted,
            an_operator_resolves_a_transaction_in_doubt,
            a_coordinated_purchase_is_pending_until_decided,
            a_failed_purchase_records_why,
            an_abort_before_anyone_was_asked_waits_for_nobody,
            a_begun_purchase_logs_its_own_holds_with_the_decision,
            every_own_flight_to_come_is_logged_again_on_request,
            cancelling_a_booking_across_airlines_records_releases,
            an_owner_releases_only_the_sellers_seats,
            a_flight_cancelled_by_its_owner_marks_the_sellers_segments,
        );
    };
}
pub(crate) use commit_suite;

fn giro() -> Airline {
    reference_airlines()[1].airline()
}

fn boreal() -> Airline {
    reference_airlines()[2].airline()
}

fn txn(raw: &str) -> TxnId {
    TxnId::parse(raw).unwrap()
}

/// Giro's prepare of `legs` of this store's flights, for `names`.
fn prepare_from_giro(
    id: &str,
    legs: &[(&Flight, Option<Vec<SeatNumber>>)],
    names: &[&str],
) -> Prepare {
    Prepare {
        txn: txn(id),
        coordinator: giro().id,
        reference: BookingReference::parse("GGGGGG").unwrap(),
        participants: vec![owner().id, giro().id, boreal().id],
        passengers: passengers(names),
        legs: legs
            .iter()
            .map(|(flight, seats)| LegRequest { flight: flight.id, seats: seats.clone() })
            .collect(),
    }
}

fn held(vote: Vote) -> Vec<HeldSeat> {
    match vote {
        Vote::Yes { held } => held,
        Vote::No { reason, flight } => panic!("expected a yes, got no: {reason:?} on {flight:?}"),
    }
}

pub async fn a_prepare_holds_seats_and_answers_the_same_vote_again(store: &dyn Store) {
    let (first, second) = (flight(300, 24), flight(301, 27));
    prepared(store, &[first.clone(), second.clone()]).await;
    let prepare = prepare_from_giro(
        "a1",
        &[(&first, seats(&["3A", "3B"])), (&second, None)],
        &["Ana", "Bia"],
    );

    let seats_held = held(store.prepare(prepare.clone(), now()).await.unwrap());
    assert_eq!(seats_held.len(), 4);
    assert_eq!(seats_available(store, first.id).await, 178);
    assert_eq!(seats_available(store, second.id).await, 178);
    let again = held(store.prepare(prepare, now()).await.unwrap());
    assert_eq!(again, seats_held, "a repeated prepare answers the same vote");
    assert_eq!(seats_available(store, first.id).await, 178, "and holds nothing more");

    let doubt = store.in_doubt().await.unwrap();
    assert_eq!(doubt.len(), 1);
    assert_eq!((doubt[0].txn.as_str(), &doubt[0].coordinator), ("a1", &giro().id));
    assert_eq!(doubt[0].participants.len(), 3);
    assert_eq!(store.txn_status(txn("a1"), now()).await.unwrap(), Status::InDoubt);
    let records = store.flight_segments(first.id).await.unwrap();
    assert_eq!(records.len(), 2);
    assert!(
        records.iter().all(|r| r.state == "held" && r.seller == giro().id && r.reference.is_none())
    );
}

pub async fn a_refused_prepare_holds_nothing_and_refuses_again(store: &dyn Store) {
    let (first, second) = (flight(302, 24), flight(303, 27));
    prepared(store, &[first.clone(), second.clone()]).await;
    let buyer = customer(store, "buyer").await;
    created(
        store
            .purchase(order(buyer, "BBBBBB", vec![(second.clone(), seats(&["1A"]))], &["X"]))
            .await
            .unwrap(),
    );
    let prepare = prepare_from_giro("b2", &[(&first, None), (&second, seats(&["1A"]))], &["Ana"]);

    let vote = store.prepare(prepare.clone(), now()).await.unwrap();
    assert_eq!(vote, Vote::No { reason: RefusalReason::SeatUnavailable, flight: Some(second.id) });
    assert_eq!(seats_available(store, first.id).await, 180, "the first leg's hold was undone");
    assert!(store.in_doubt().await.unwrap().is_empty(), "a no-vote is forgotten");

    let unknown = prepare_from_giro("b3", &[(&flight(399, 24), None)], &["Ana"]);
    let vote = store.prepare(unknown, now()).await.unwrap();
    assert!(matches!(vote, Vote::No { reason: RefusalReason::FlightNotFound, .. }));
}

pub async fn a_commit_sells_the_held_seats_to_the_sellers_booking(store: &dyn Store) {
    let leg = flight(304, 24);
    prepared(store, std::slice::from_ref(&leg)).await;
    let prepare = prepare_from_giro("c4", &[(&leg, seats(&["5C"]))], &["Ana"]);
    held(store.prepare(prepare, now()).await.unwrap());

    let impostor = DecidedBy::Coordinator(boreal().id);
    assert!(matches!(
        store.decide(txn("c4"), Outcome::Aborted, impostor, now()).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(seats_available(store, leg.id).await, 179, "only the coordinator decides");
    store
        .decide(txn("c4"), Outcome::Committed, DecidedBy::Coordinator(giro().id), now())
        .await
        .unwrap();
    store
        .decide(txn("c4"), Outcome::Committed, DecidedBy::Coordinator(giro().id), now())
        .await
        .unwrap();
    let records = store.flight_segments(leg.id).await.unwrap();
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!((record.state.as_str(), record.seat.to_string().as_str()), ("sold", "5C"));
    assert_eq!((record.passenger.as_str(), &record.seller), ("Ana", &giro().id));
    assert_eq!(record.reference, Some(BookingReference::parse("GGGGGG").unwrap()));
    assert_eq!(store.txn_status(txn("c4"), now()).await.unwrap(), Status::Committed);
    assert!(store.in_doubt().await.unwrap().is_empty());
    assert_eq!(seats_available(store, leg.id).await, 179);
    assert!(matches!(
        store.decide(txn("c4"), Outcome::Aborted, DecidedBy::Coordinator(giro().id), now()).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn an_abort_releases_and_a_late_prepare_is_refused(store: &dyn Store) {
    let leg = flight(305, 24);
    prepared(store, std::slice::from_ref(&leg)).await;
    held(store.prepare(prepare_from_giro("d5", &[(&leg, None)], &["Ana"]), now()).await.unwrap());
    store
        .decide(txn("d5"), Outcome::Aborted, DecidedBy::Coordinator(giro().id), now())
        .await
        .unwrap();
    assert_eq!(seats_available(store, leg.id).await, 180);
    assert_eq!(store.txn_status(txn("d5"), now()).await.unwrap(), Status::Aborted);
    let late = store.prepare(prepare_from_giro("d5", &[(&leg, None)], &["Ana"]), now()).await;
    assert!(matches!(late.unwrap(), Vote::No { reason: RefusalReason::Aborted, .. }));

    // An abort that arrives before its prepare (reordered) is recorded, and wins.
    store
        .decide(txn("d6"), Outcome::Aborted, DecidedBy::Coordinator(giro().id), now())
        .await
        .unwrap();
    let late = store.prepare(prepare_from_giro("d6", &[(&leg, None)], &["Ana"]), now()).await;
    assert!(matches!(late.unwrap(), Vote::No { reason: RefusalReason::Aborted, .. }));
    assert_eq!(seats_available(store, leg.id).await, 180);

    // A commit for a transaction never prepared here cannot be applied.
    assert!(matches!(
        store.decide(txn("d7"), Outcome::Committed, DecidedBy::Coordinator(giro().id), now()).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn asking_about_an_unknown_transaction_records_it_aborted(store: &dyn Store) {
    let leg = flight(306, 24);
    prepared(store, std::slice::from_ref(&leg)).await;
    assert_eq!(store.txn_status(txn("e6"), now()).await.unwrap(), Status::Aborted);
    let late = store.prepare(prepare_from_giro("e6", &[(&leg, None)], &["Ana"]), now()).await;
    assert!(matches!(late.unwrap(), Vote::No { reason: RefusalReason::Aborted, .. }));
}

pub async fn an_operator_resolves_a_transaction_in_doubt(store: &dyn Store) {
    let leg = flight(307, 24);
    prepared(store, std::slice::from_ref(&leg)).await;
    held(store.prepare(prepare_from_giro("f7", &[(&leg, None)], &["Ana"]), now()).await.unwrap());
    let summaries = store.txn_summaries().await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert!(summaries[0].state.contains("in doubt"), "{}", summaries[0].state);

    store.resolve_txn(txn("f7"), Outcome::Aborted, now()).await.unwrap();
    assert_eq!(seats_available(store, leg.id).await, 180);
    assert!(store.txn_summaries().await.unwrap().is_empty());
    assert!(matches!(
        store.resolve_txn(txn("f7"), Outcome::Committed, now()).await,
        Err(StoreError::Conflict(_))
    ));
}

/// A store that knows Giro's flight `theirs` (replicated) and its own `ours`.
async fn with_giro_flight(store: &dyn Store, ours: &Flight, theirs: &Flight) {
    prepared(store, std::slice::from_ref(ours)).await;
    store.put_airline(giro()).await.unwrap();
    store.apply_replica(giro().id, batch(0, 1, std::slice::from_ref(theirs)), now()).await.unwrap();
}

/// The seats Giro would vote for its legs of `order`: one per passenger on each, listed in
/// reverse travel order (votes arrive in any order).
fn giro_votes(order: &Order) -> Vec<HeldSeat> {
    let mut serial = 0;
    let mut held = Vec::new();
    for leg in order.legs.iter().rev().filter(|leg| leg.flight.airline == giro().id) {
        for passenger in (0..order.passengers.len()).rev() {
            serial += 1;
            held.push(HeldSeat {
                flight: leg.flight.id,
                passenger,
                seat: SeatNumber::parse(&format!("{}A", serial)).unwrap(),
                ticket: passcom_core::TicketNumber::issue(giro().ticket_prefix, serial).unwrap(),
            });
        }
    }
    held
}

/// A purchase begun now: its pending booking and this airline's vote on its own legs.
fn begun(begun: Begun) -> (passcom_core::Booking, Option<Vote>) {
    match begun {
        Begun::Created { booking, vote } => (booking, vote),
        Begun::Replayed(booking) => {
            panic!("expected a new purchase, got a replay of {}", booking.reference)
        }
    }
}

/// Begins `order` across Giro and this airline; the seats a commit confirms: Giro's votes,
/// then this airline's own, held in the same write as the transaction.
async fn begin_with_giro(store: &dyn Store, order: &Order) -> Vec<HeldSeat> {
    let participants = vec![giro().id, owner().id];
    let (_, vote) = begun(store.begin_purchase(order.clone(), participants).await.unwrap());
    let mut seats_held = giro_votes(order);
    seats_held.extend(held(vote.expect("this airline owns a leg of the trip")));
    seats_held
}

pub async fn a_coordinated_purchase_is_pending_until_decided(store: &dyn Store) {
    let (ours, theirs) = (flight(310, 24), flight_of(&giro(), 310, 27, Cabin::standard()));
    with_giro_flight(store, &ours, &theirs).await;
    let buyer = customer(store, "buyer").await;
    let mut order =
        order(buyer, "HHHHHH", vec![(ours.clone(), None), (theirs.clone(), None)], &["Ana", "Bia"]);
    order.idempotency =
        Some(passcom::store::Idempotency { key: "k".into(), request_digest: [7; 32] });
    let participants = vec![giro().id, owner().id];

    let (pending, own) =
        begun(store.begin_purchase(order.clone(), participants.clone()).await.unwrap());
    assert_eq!(pending.status, BookingStatus::Pending);
    assert_eq!(pending.history[0].event, "pending");
    assert!(matches!(
        store.cancel_booking(buyer, pending.reference, now()).await,
        Err(StoreError::BookingPending(_))
    ));
    let unfinished = store.unfinished_coordinations().await.unwrap();
    assert_eq!(unfinished.len(), 1);
    assert_eq!((unfinished[0].decided, unfinished[0].reference), (None, pending.reference));
    assert_eq!(store.txn_status(order.txn.clone(), now()).await.unwrap(), Status::Undecided);
    // This airline's own leg was prepared in the same write, and is not in doubt: the
    // coordinator's own decision settles it.
    let own = held(own.expect("this airline owns a leg of the trip"));
    assert_eq!(own.len(), 2);
    assert_eq!(seats_available(store, ours.id).await, 178);
    assert!(store.in_doubt().await.unwrap().is_empty());

    // Votes came in reverse order: the booking still lists them in travel order.
    let mut seats_held = giro_votes(&order);
    seats_held.extend(own);
    let decision = Decision::Commit { order: order.clone(), held: seats_held };
    let confirmed =
        store.record_decision(order.txn.clone(), decision, vec![giro().id], now()).await.unwrap();
    assert_eq!(confirmed.status, BookingStatus::Confirmed);
    let legs: Vec<_> = confirmed.segments.iter().map(|s| (s.flight, s.passenger)).collect();
    assert_eq!(legs, [(ours.id, 0), (ours.id, 1), (theirs.id, 0), (theirs.id, 1)]);
    assert_eq!(confirmed.segments[2].airline, giro().id);
    assert_eq!(confirmed.history.last().unwrap().event, "confirmed");
    assert_eq!(store.txn_status(order.txn.clone(), now()).await.unwrap(), Status::Committed);
    // The own leg was sold in the decision's write.
    let records = store.flight_segments(ours.id).await.unwrap();
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.state == "sold" && r.reference == Some(order.reference)));

    // Deciding again changes nothing; a replay of the key answers the booking as it stands.
    let abort = Decision::Abort { cause: AbortCause::Restarted };
    let again = store.record_decision(order.txn.clone(), abort, vec![], now()).await.unwrap();
    assert_eq!(again, confirmed);
    assert_eq!(seats_available(store, ours.id).await, 178);
    match store.begin_purchase(order.clone(), participants).await.unwrap() {
        Begun::Replayed(booking) => assert_eq!(booking, confirmed),
        Begun::Created { .. } => panic!("a replayed key began a second purchase"),
    }

    // Only Giro still has to hear the decision: this airline applied it with the record.
    let waiting = &store.unfinished_coordinations().await.unwrap()[0];
    assert_eq!(
        (waiting.decided, waiting.waiting.clone()),
        (Some(Outcome::Committed), vec![giro().id])
    );
    store.acknowledge(giro().id, vec![order.txn.clone()]).await.unwrap();
    assert!(store.unfinished_coordinations().await.unwrap().is_empty());
}

pub async fn a_failed_purchase_records_why(store: &dyn Store) {
    let (ours, theirs) = (flight(311, 24), flight_of(&giro(), 311, 27, Cabin::standard()));
    with_giro_flight(store, &ours, &theirs).await;
    let buyer = customer(store, "buyer").await;
    let order =
        order(buyer, "WWWWWW", vec![(ours.clone(), None), (theirs.clone(), None)], &["Ana"]);
    begin_with_giro(store, &order).await;
    assert_eq!(seats_available(store, ours.id).await, 179, "the own leg is held");
    let cause = AbortCause::Refused {
        participant: giro().id,
        reason: RefusalReason::SeatUnavailable,
        flight: Some(theirs.id),
    };
    let abort = Decision::Abort { cause: cause.clone() };
    let failed =
        store.record_decision(order.txn.clone(), abort, vec![giro().id], now()).await.unwrap();
    assert_eq!((failed.status, failed.failure), (BookingStatus::Failed, Some(cause)));
    assert!(failed.segments.is_empty());
    assert_eq!(seats_available(store, ours.id).await, 180, "and released with the abort");
    let last = failed.history.last().unwrap();
    assert_eq!(last.event, "purchase_failed");
    assert!(last.detail.contains(&theirs.id.to_string()), "{}", last.detail);
    assert_eq!(store.txn_status(order.txn.clone(), now()).await.unwrap(), Status::Aborted);
    // This airline applied the abort with the record; Giro, which was asked, waits for it
    // until it acknowledges (twice: acknowledging is idempotent).
    let waiting = &store.unfinished_coordinations().await.unwrap()[0].waiting;
    assert_eq!(waiting, &vec![giro().id]);
    store.acknowledge(giro().id, vec![order.txn.clone()]).await.unwrap();
    store.acknowledge(giro().id, vec![order.txn.clone()]).await.unwrap();
    assert!(store.unfinished_coordinations().await.unwrap().is_empty());
    let again = store.cancel_booking(buyer, failed.reference, now()).await.unwrap();
    assert_eq!(again.status, BookingStatus::Failed, "there is nothing to cancel");
}

pub async fn an_abort_before_anyone_was_asked_waits_for_nobody(store: &dyn Store) {
    let (ours, theirs) = (flight(315, 24), flight_of(&giro(), 315, 27, Cabin::standard()));
    with_giro_flight(store, &ours, &theirs).await;
    let buyer = customer(store, "buyer").await;
    created(
        store
            .purchase(order(buyer, "XXXXXX", vec![(ours.clone(), seats(&["2C"]))], &["X"]))
            .await
            .unwrap(),
    );
    let order = order(
        buyer,
        "YYYYYY",
        vec![(ours.clone(), seats(&["2C"])), (theirs.clone(), None)],
        &["Ana"],
    );
    let participants = vec![giro().id, owner().id];
    let (_, vote) = begun(store.begin_purchase(order.clone(), participants).await.unwrap());
    assert!(matches!(vote, Some(Vote::No { reason: RefusalReason::SeatUnavailable, .. })));
    let cause = AbortCause::Refused {
        participant: owner().id,
        reason: RefusalReason::SeatUnavailable,
        flight: Some(ours.id),
    };
    // The own seat was taken, so no prepare went to Giro: the record says it has nothing to
    // hear, and the transaction is finished as soon as it is decided.
    let failed = store
        .record_decision(order.txn.clone(), Decision::Abort { cause }, vec![], now())
        .await
        .unwrap();
    assert_eq!(failed.status, BookingStatus::Failed);
    assert!(store.unfinished_coordinations().await.unwrap().is_empty());
    assert_eq!(seats_available(store, ours.id).await, 179, "only the first buyer's seat");
}

pub async fn a_begun_purchase_logs_its_own_holds_with_the_decision(store: &dyn Store) {
    let (ours, theirs) = (flight(316, 24), flight_of(&giro(), 316, 27, Cabin::standard()));
    with_giro_flight(store, &ours, &theirs).await;
    let buyer = customer(store, "buyer").await;
    let order =
        order(buyer, "ZZZZZZ", vec![(ours.clone(), None), (theirs.clone(), None)], &["Ana"]);
    let head = store.log_head().await.unwrap();
    let seats_held = begin_with_giro(store, &order).await;
    // The begin may be lost to a power cut, and peers hold the log's numbers: it logs nothing.
    assert_eq!(store.log_head().await.unwrap(), head, "the begin appends nothing to the log");
    assert_eq!(seats_available(store, ours.id).await, 179, "though its hold is there");
    store.sync().await.unwrap();
    let decision = Decision::Commit { order: order.clone(), held: seats_held };
    store.record_decision(order.txn.clone(), decision, vec![giro().id], now()).await.unwrap();
    assert_eq!(store.log_head().await.unwrap(), head + 1, "the decision logs the own leg");
    let batch = store.log_batch(head, 10).await.unwrap();
    let logged: Vec<_> = batch.flights.iter().map(|f| (f.flight.id, f.seats_available)).collect();
    assert_eq!(logged, [(ours.id, 179)]);
}

pub async fn every_own_flight_to_come_is_logged_again_on_request(store: &dyn Store) {
    let (past, soon, later) = (flight(317, -2), flight(318, 3), flight(319, 30));
    let theirs = flight_of(&giro(), 317, 27, Cabin::standard());
    with_giro_flight(store, &soon, &theirs).await;
    store.create_flight(past).await.unwrap();
    store.create_flight(later.clone()).await.unwrap();
    let head = store.log_head().await.unwrap();
    assert_eq!(store.log_own_flights(now()).await.unwrap(), 2, "neither departed nor Giro's");
    assert_eq!(store.log_head().await.unwrap(), head + 2);
    let batch = store.log_batch(head, 10).await.unwrap();
    let ids: Vec<_> = batch.flights.iter().map(|f| f.flight.id).collect();
    assert_eq!(ids, [soon.id, later.id]);
}

pub async fn cancelling_a_booking_across_airlines_records_releases(store: &dyn Store) {
    let (ours, theirs) = (flight(312, 24), flight_of(&giro(), 312, 27, Cabin::standard()));
    with_giro_flight(store, &ours, &theirs).await;
    let buyer = customer(store, "buyer").await;
    let order =
        order(buyer, "JJJJJJ", vec![(ours.clone(), None), (theirs.clone(), None)], &["Ana"]);
    let seats_held = begin_with_giro(store, &order).await;
    let decision = Decision::Commit { order: order.clone(), held: seats_held };
    store.record_decision(order.txn.clone(), decision, vec![giro().id], now()).await.unwrap();
    assert_eq!(seats_available(store, ours.id).await, 179);

    let cancelled = store.cancel_booking(buyer, order.reference, now()).await.unwrap();
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(seats_available(store, ours.id).await, 180, "the own leg is released at once");
    let releases = store.pending_releases().await.unwrap();
    assert_eq!(releases.len(), 1);
    assert_eq!((&releases[0].txn, &releases[0].airline), (&order.txn, &giro().id));

    store.released(order.txn.clone(), giro().id, now()).await.unwrap();
    store.released(order.txn.clone(), giro().id, now()).await.unwrap();
    assert!(store.pending_releases().await.unwrap().is_empty());
    let booking = store.booking(buyer, order.reference).await.unwrap().unwrap();
    let events: Vec<&str> = booking.history.iter().map(|h| h.event.as_str()).collect();
    assert_eq!(events, ["pending", "confirmed", "cancelled", "seats_released"]);
}

pub async fn an_owner_releases_only_the_sellers_seats(store: &dyn Store) {
    let leg = flight(313, 24);
    prepared(store, std::slice::from_ref(&leg)).await;
    held(store.prepare(prepare_from_giro("a13", &[(&leg, None)], &["Ana"]), now()).await.unwrap());
    store
        .decide(txn("a13"), Outcome::Committed, DecidedBy::Coordinator(giro().id), now())
        .await
        .unwrap();

    assert!(matches!(
        store.release_for(txn("a13"), boreal().id).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(seats_available(store, leg.id).await, 179);
    store.release_for(txn("a13"), giro().id).await.unwrap();
    store.release_for(txn("a13"), giro().id).await.unwrap();
    assert_eq!(seats_available(store, leg.id).await, 180);
    assert!(store.flight_segments(leg.id).await.unwrap().is_empty());
}

pub async fn a_flight_cancelled_by_its_owner_marks_the_sellers_segments(store: &dyn Store) {
    let (ours, theirs) = (flight(314, 24), flight_of(&giro(), 314, 27, Cabin::standard()));
    with_giro_flight(store, &ours, &theirs).await;
    let buyer = customer(store, "buyer").await;
    let order =
        order(buyer, "KKKKKK", vec![(ours.clone(), None), (theirs.clone(), None)], &["Ana"]);
    let seats_held = begin_with_giro(store, &order).await;
    let decision = Decision::Commit { order: order.clone(), held: seats_held };
    store.record_decision(order.txn.clone(), decision, vec![giro().id], now()).await.unwrap();

    let mut cancelled = theirs.clone();
    cancelled.status = FlightStatus::Cancelled;
    cancelled.version = 2;
    store.apply_replica(giro().id, batch(1, 2, &[cancelled]), now()).await.unwrap();
    let booking = store.booking(buyer, order.reference).await.unwrap().unwrap();
    let statuses: Vec<_> = booking.segments.iter().map(|s| s.status).collect();
    assert_eq!(statuses, [SegmentStatus::Confirmed, SegmentStatus::FlightCancelled]);
    assert_eq!(booking.history.last().unwrap().event, "flight_cancelled");
}

/// A coordinator that times out on a prepare sends it again; both may arrive at once: they
/// hold the seats once and answer the same vote.
pub async fn a_prepare_repeated_at_once_answers_one_vote(store: &dyn Store) {
    let flight = flight(330, 24);
    prepared(store, std::slice::from_ref(&flight)).await;
    let prepare = prepare_from_giro("c1", &[(&flight, None)], &["Ana", "Bia"]);
    let votes = futures::future::join_all((0..6).map(|_| store.prepare(prepare.clone(), now())));
    let votes: Vec<Vec<HeldSeat>> =
        votes.await.into_iter().map(|vote| held(vote.unwrap())).collect();
    assert!(votes.iter().all(|vote| *vote == votes[0]), "one vote: {votes:?}");
    assert_eq!(seats_available(store, flight.id).await, 178, "the seats are held once");
}
