//! Scripted scenarios of a participant's durable records, with golden traces: what the real
//! store does with prepares and decisions that come repeated, reordered, late, or from the
//! wrong airline. (The participant's waiting and asking is a state machine, scripted in
//! `passcom-core`'s scenarios; holding and selling seats is the store's, scripted here.)
//!
//! Each file under `tests/scenarios/records/` runs against a fresh Rumos store with one flight
//! of four seats, RU100 tomorrow; Giro is the coordinator unless a command says otherwise.
//! `UPDATE_GOLDENFILES=1 cargo test -p passcom --test node records` regenerates the traces.

use std::error::Error;
use std::sync::Arc;

use goldenscript::{Command, Context, Runner};
use jiff::{SignedDuration, Timestamp};
use passcom::store::sqlite::{SqliteOptions, SqliteStore};
use passcom::store::{DecidedBy, Store};
use passcom_core::commit::{LegRequest, Outcome, Prepare, Status, TxnId, Vote};
use passcom_core::reference::{airports, reference_airlines};
use passcom_core::{
    AirlineId, BookingReference, Cabin, Flight, FlightId, FlightNumber, FlightStatus, Money,
    PassengerName, SeatNumber,
};
use tempfile::TempDir;

type Answer = Result<String, Box<dyn Error>>;

/// Runs scripts against one participant's store.
struct RecordsRunner {
    runtime: tokio::runtime::Runtime,
    store: Arc<dyn Store>,
    flight: FlightId,
    _dir: TempDir,
}

impl RecordsRunner {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let rumos = reference_airlines()[0].airline();
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&dir.path().join("rumos.sqlite3"), &rumos, &SqliteOptions::default())
                .unwrap(),
        );
        let departure = Timestamp::now() + SignedDuration::from_hours(24);
        let departure = Timestamp::from_second(departure.as_second() / 60 * 60).unwrap();
        let zone = jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap();
        let id = FlightId::new(
            rumos.designator,
            FlightNumber::new(100).unwrap(),
            departure.to_zoned_datetime(zone).date(),
        );
        let flight = Flight {
            id,
            airline: rumos.id.clone(),
            origin: "GRU".parse().unwrap(),
            destination: "GIG".parse().unwrap(),
            departure,
            arrival: departure + SignedDuration::from_mins(55),
            cabin: Cabin::new(2, "AB").unwrap(),
            price: Money::fare(25_000).unwrap(),
            status: FlightStatus::Scheduled,
            version: 1,
        };
        runtime.block_on(async {
            store.put_airports(airports()).await.unwrap();
            store.put_airline(rumos).await.unwrap();
            store.create_flight(flight).await.unwrap();
        });
        Self { runtime, store, flight: id, _dir: dir }
    }

    fn prepare(&self, command: &Command) -> Answer {
        let mut args = command.consume_args();
        let txn = TxnId::parse(args.next_pos().ok_or("prepare <txn>")?)?;
        let coordinator = AirlineId::parse(args.take_key("from").unwrap_or("giro"))?;
        let seats: Option<Vec<SeatNumber>> = args
            .take_key("seats")
            .map(|list| list.split(',').map(SeatNumber::parse).collect())
            .transpose()?;
        let count = seats.as_ref().map_or(1, Vec::len);
        let prepare = Prepare {
            txn,
            coordinator: coordinator.clone(),
            reference: BookingReference::parse("GGGGGG")?,
            participants: vec![AirlineId::parse("rumos")?, coordinator],
            passengers: (0..count)
                .map(|i| PassengerName::parse(&format!("Passenger {}", i + 1)))
                .collect::<Result<_, _>>()?,
            legs: vec![LegRequest { flight: self.flight, seats }],
        };
        let vote = self.runtime.block_on(self.store.prepare(prepare, Timestamp::now()))?;
        Ok(match vote {
            Vote::Yes { held } => {
                let seats: Vec<String> = held.iter().map(|seat| seat.seat.to_string()).collect();
                format!("vote yes: holds {}\n", seats.join(", "))
            }
            Vote::No { reason, flight } => {
                let on = flight.map_or(String::new(), |flight| format!(" on {}", number(flight)));
                format!("vote no: {}{on}\n", reason.as_str())
            }
        })
    }

    fn decide(&self, command: &Command) -> Answer {
        let mut args = command.consume_args();
        let txn = TxnId::parse(args.next_pos().ok_or("decide <txn> <outcome>")?)?;
        let outcome = match args.next_pos().ok_or("decide <txn> committed|aborted")? {
            "committed" => Outcome::Committed,
            "aborted" => Outcome::Aborted,
            other => return Err(format!("{other} is not an outcome").into()),
        };
        let by = DecidedBy::Coordinator(AirlineId::parse(args.take_key("by").unwrap_or("giro"))?);
        let decided = self.runtime.block_on(self.store.decide(txn, outcome, by, Timestamp::now()));
        Ok(match decided {
            Ok(()) => "applied\n".to_owned(),
            Err(error) => format!("refused: {error}\n"),
        })
    }

    fn status(&self, command: &Command) -> Answer {
        let txn = TxnId::parse(command.consume_args().next_pos().ok_or("status <txn>")?)?;
        let status = self.runtime.block_on(self.store.txn_status(txn, Timestamp::now()))?;
        let text = match status {
            Status::Committed => "committed",
            Status::Aborted => "aborted",
            Status::Undecided => "undecided",
            Status::InDoubt => "in doubt",
        };
        Ok(format!("{text}\n"))
    }

    fn seats(&self) -> Answer {
        let records = self.runtime.block_on(self.store.flight_segments(self.flight))?;
        let mut output = format!("{}: {} of 4 seats taken\n", number(self.flight), records.len());
        for record in records {
            let to = record.reference.map_or(String::new(), |r| format!(" to {r}"));
            output.push_str(&format!(
                "  {} {}{to} by {} ({})\n",
                record.seat, record.state, record.seller, record.txn
            ));
        }
        Ok(output)
    }
}

/// A flight by designator and number: stable in golden files, unlike its date.
fn number(flight: FlightId) -> String {
    format!("{}{}", flight.designator(), flight.number())
}

impl Runner for RecordsRunner {
    type Command = Command;

    fn run(&mut self, command: &Command, _: &Context) -> Answer {
        match command.name.as_str() {
            "prepare" => self.prepare(command),
            "decide" => self.decide(command),
            "status" => self.status(command),
            "seats" => self.seats(),
            name => Err(format!("unknown command {name}").into()),
        }
    }
}

#[test]
fn participant_records() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/records");
    let mut scripts: Vec<_> =
        std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    scripts.sort();
    assert!(!scripts.is_empty(), "{dir} has scenarios");
    for script in scripts {
        goldenscript::run(&mut RecordsRunner::new(), &script)
            .unwrap_or_else(|error| panic!("{}: {error}", script.display()));
    }
}
