//! The coordinator's messages waiting for their participants, and the calls that carry them.
//!
//! Every call between airlines is signed and checked both ways, and costs the participant a
//! write; under load a coordinator has several messages a millisecond for the same airline. So
//! the messages for one participant wait in its queue here and travel together, as a
//! [`Bundle`], in one call — the way the store's writer commits several writes with one fsync:
//!
//! - A **prepare** goes at once, since a customer waits for its vote; it takes along every
//!   message waiting for that airline.
//! - So does an **abort**: until it arrives, the participant's holds keep seats from other
//!   buyers.
//! - A **commit** may wait for company — the next prepare to the same airline, or at most the
//!   driver's next tick — because nobody waits for it: the customer was answered when it was
//!   recorded, and the seats are sold either way once it lands.
//! - At most `calls_max` calls per participant are in flight. What comes meanwhile waits for
//!   one of them to end and goes in the next; under load, bundles grow by themselves.
//!
//! The outbox only keeps the queues and decides what goes; the driver sends, reports each call's
//! end ([`Outbox::delivered`]), and says when a tick is ([`Outbox::everything`]). Nothing is lost
//! if a bundle is: the coordinator machine resends its decisions until they are acknowledged,
//! and a prepare without a vote is a no.

use std::collections::BTreeMap;

use passcom_core::AirlineId;
use passcom_core::commit::{Outcome, Prepare, TxnId};

use super::wire::{BUNDLE_MESSAGES_MAX, Bundle, DecisionMessage};

/// Every participant's queue.
#[derive(Debug)]
pub(crate) struct Outbox {
    calls_max: usize,
    queues: BTreeMap<AirlineId, Queue>,
}

/// What waits for one participant, and its calls in flight.
#[derive(Debug, Default)]
struct Queue {
    prepares: Vec<Prepare>,
    /// By transaction, so that a decision told again while it waits is sent once.
    decisions: BTreeMap<TxnId, Outcome>,
    in_flight: usize,
}

impl Queue {
    fn is_empty(&self) -> bool {
        self.prepares.is_empty() && self.decisions.is_empty()
    }

    /// Whether something waiting should not wait: a prepare or an abort.
    fn is_urgent(&self) -> bool {
        !self.prepares.is_empty() || self.decisions.values().any(|o| *o == Outcome::Aborted)
    }

    /// Takes a bundle of what waits: prepares first, at most [`BUNDLE_MESSAGES_MAX`] messages.
    fn take(&mut self) -> Bundle {
        let prepares_taken = self.prepares.len().min(BUNDLE_MESSAGES_MAX);
        let prepares: Vec<Prepare> = self.prepares.drain(..prepares_taken).collect();
        let room = BUNDLE_MESSAGES_MAX - prepares.len();
        let txns: Vec<TxnId> = self.decisions.keys().take(room).cloned().collect();
        let decisions = txns
            .into_iter()
            .filter_map(|txn| self.decisions.remove(&txn).map(|outcome| (txn, outcome)))
            .map(|(txn, outcome)| DecisionMessage { txn, outcome })
            .collect();
        Bundle { prepares, decisions }
    }
}

impl Outbox {
    /// Empty queues, at most `calls_max` calls in flight to each participant (at least one).
    pub(crate) fn new(calls_max: usize) -> Self {
        Self { calls_max: calls_max.max(1), queues: BTreeMap::new() }
    }

    /// Queues a prepare for `participant`.
    pub(crate) fn prepare(&mut self, participant: AirlineId, prepare: Prepare) {
        self.queues.entry(participant).or_default().prepares.push(prepare);
    }

    /// Queues the decision of `txn` for `participant`.
    pub(crate) fn decision(&mut self, participant: AirlineId, txn: TxnId, outcome: Outcome) {
        self.queues.entry(participant).or_default().decisions.insert(txn, outcome);
    }

    /// The bundles to send now: to each participant with a prepare or an abort waiting, while
    /// it has a call to spare.
    pub(crate) fn urgent(&mut self) -> Vec<(AirlineId, Bundle)> {
        self.take(Queue::is_urgent)
    }

    /// The bundles to send at a tick: to each participant with anything waiting, while it has a
    /// call to spare.
    pub(crate) fn everything(&mut self) -> Vec<(AirlineId, Bundle)> {
        self.take(|queue| !queue.is_empty())
    }

    /// A call to `participant` ended, answered or not.
    pub(crate) fn delivered(&mut self, participant: &AirlineId) {
        if let Some(queue) = self.queues.get_mut(participant) {
            queue.in_flight = queue.in_flight.saturating_sub(1);
        }
    }

    fn take(&mut self, due: impl Fn(&Queue) -> bool) -> Vec<(AirlineId, Bundle)> {
        let mut bundles = Vec::new();
        for (participant, queue) in &mut self.queues {
            while queue.in_flight < self.calls_max && due(queue) {
                queue.in_flight += 1;
                bundles.push((participant.clone(), queue.take()));
            }
        }
        bundles
    }
}

#[cfg(test)]
mod tests {
    use passcom_core::BookingReference;

    use super::*;

    fn airline(id: &str) -> AirlineId {
        AirlineId::parse(id).unwrap()
    }

    fn txn(id: &str) -> TxnId {
        TxnId::parse(id).unwrap()
    }

    fn prepare(id: &str) -> Prepare {
        Prepare {
            txn: txn(id),
            coordinator: airline("rumos"),
            reference: BookingReference::parse("AAAAAA").unwrap(),
            participants: vec![airline("giro")],
            passengers: Vec::new(),
            legs: Vec::new(),
        }
    }

    /// What each bundle carries, as `giro: prepare a1, commit b2`.
    fn shown(bundles: &[(AirlineId, Bundle)]) -> Vec<String> {
        bundles
            .iter()
            .map(|(participant, bundle)| {
                let prepares = bundle.prepares.iter().map(|p| format!("prepare {}", p.txn));
                let decisions = bundle.decisions.iter().map(|d| format!("{} {}", d.outcome, d.txn));
                let messages: Vec<String> = prepares.chain(decisions).collect();
                format!("{participant}: {}", messages.join(", "))
            })
            .collect()
    }

    #[test]
    fn a_prepare_goes_at_once_and_takes_the_waiting_decisions_along() {
        let mut outbox = Outbox::new(4);
        outbox.decision(airline("giro"), txn("a1"), Outcome::Committed);
        assert!(outbox.urgent().is_empty(), "a commit waits for company");
        outbox.prepare(airline("giro"), prepare("b2"));
        outbox.decision(airline("boreal"), txn("c3"), Outcome::Committed);
        assert_eq!(shown(&outbox.urgent()), ["giro: prepare b2, committed a1"]);
        assert_eq!(shown(&outbox.everything()), ["boreal: committed c3"], "or for the tick");
    }

    #[test]
    fn an_abort_goes_at_once() {
        let mut outbox = Outbox::new(4);
        outbox.decision(airline("giro"), txn("a1"), Outcome::Committed);
        outbox.decision(airline("giro"), txn("a2"), Outcome::Aborted);
        assert_eq!(shown(&outbox.urgent()), ["giro: committed a1, aborted a2"]);
        assert!(outbox.everything().is_empty());
    }

    #[test]
    fn a_decision_told_again_while_it_waits_goes_once() {
        let mut outbox = Outbox::new(4);
        outbox.decision(airline("giro"), txn("a1"), Outcome::Committed);
        outbox.decision(airline("giro"), txn("a1"), Outcome::Committed);
        assert_eq!(shown(&outbox.everything()), ["giro: committed a1"]);
    }

    #[test]
    fn calls_in_flight_are_bounded_and_what_waits_goes_in_the_next() {
        let mut outbox = Outbox::new(2);
        for id in ["a1", "a2"] {
            outbox.prepare(airline("giro"), prepare(id));
            assert_eq!(outbox.urgent().len(), 1);
        }
        outbox.prepare(airline("giro"), prepare("a3"));
        outbox.prepare(airline("giro"), prepare("a4"));
        outbox.prepare(airline("boreal"), prepare("b1"));
        assert_eq!(shown(&outbox.urgent()), ["boreal: prepare b1"], "giro has no call to spare");
        outbox.delivered(&airline("giro"));
        assert_eq!(shown(&outbox.urgent()), ["giro: prepare a3, prepare a4"]);
        assert!(outbox.urgent().is_empty());
    }

    #[test]
    fn a_bundle_carries_at_most_its_limit() {
        let mut outbox = Outbox::new(8);
        for serial in 0..BUNDLE_MESSAGES_MAX + 3 {
            outbox.decision(airline("giro"), txn(&format!("{serial:x}")), Outcome::Aborted);
        }
        let bundles = outbox.urgent();
        let sizes: Vec<usize> = bundles.iter().map(|(_, bundle)| bundle.len()).collect();
        assert_eq!(sizes, [BUNDLE_MESSAGES_MAX, 3]);
    }
}
