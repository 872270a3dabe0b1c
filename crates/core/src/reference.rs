//! The reference network: the 27 Brazilian state capitals, the three airlines of the original
//! PassCom (Rumos, Giro, Boreal) and their generated schedules.
//!
//! Airport names, cities, states and coordinates are the original system's; we add each
//! airport's IATA code and IANA time zone (Brazil has four offsets among its capitals: Rio
//! Branco is UTC−5; Manaus, Porto Velho, Boa Vista, Cuiabá and Campo Grande UTC−4; the rest
//! UTC−3).
//!
//! Schedules are generated, deterministically, from a hub-and-spoke plan per airline: every
//! spoke is flown from the hub in the hub's departure banks, and the aircraft returns after a
//! turnaround. Block times come from great-circle distance, fares from distance and time of
//! day. On top of that each airline flies the original system's demo scenario: the chain Rio
//! Branco → Maceió → Manaus → Macapá across Giro, Boreal and Rumos, and three competing one-seat
//! Macapá → Salvador flights, at the original's fares.

use jiff::Timestamp;
use jiff::civil::{Date, Time};

use crate::airline::{Airline, AirlineId, Designator, TicketPrefix};
use crate::airport::{self, Airport, AirportCode};
use crate::flight::{Flight, FlightId, FlightNumber, FlightStatus};
use crate::money::Money;
use crate::seat::Cabin;

/// code, name, city, state, latitude, longitude, IANA time zone — in the original's order.
#[rustfmt::skip]
const CAPITALS: [(&str, &str, &str, &str, f64, f64, &str); 27] = [
    ("RBR", "Aeroporto Internacional de Rio Branco", "Rio Branco", "AC", -9.9767, -67.8166, "America/Rio_Branco"),
    ("MCZ", "Aeroporto Internacional de Maceió", "Maceió", "AL", -9.6658, -35.7353, "America/Maceio"),
    ("MAO", "Aeroporto Internacional de Manaus", "Manaus", "AM", -3.1190, -60.0217, "America/Manaus"),
    ("MCP", "Aeroporto Internacional de Macapá", "Macapá", "AP", 0.0341, -51.0705, "America/Belem"),
    ("SSA", "Aeroporto Internacional de Salvador", "Salvador", "BA", -12.9714, -38.5014, "America/Bahia"),
    ("FOR", "Aeroporto Internacional de Fortaleza", "Fortaleza", "CE", -3.7172, -38.5433, "America/Fortaleza"),
    ("BSB", "Aeroporto Internacional de Brasília", "Brasília", "DF", -15.7801, -47.9292, "America/Sao_Paulo"),
    ("VIX", "Aeroporto Internacional de Vitória", "Vitória", "ES", -20.3155, -40.3128, "America/Sao_Paulo"),
    ("GYN", "Aeroporto Internacional de Goiânia", "Goiânia", "GO", -16.6786, -49.2538, "America/Sao_Paulo"),
    ("SLZ", "Aeroporto Internacional de São Luís", "São Luís", "MA", -2.5489, -44.2828, "America/Fortaleza"),
    ("CNF", "Aeroporto Internacional de Belo Horizonte", "Belo Horizonte", "MG", -19.8157, -43.9542, "America/Sao_Paulo"),
    ("CGR", "Aeroporto Internacional de Campo Grande", "Campo Grande", "MS", -20.4428, -54.6475, "America/Campo_Grande"),
    ("CGB", "Aeroporto Internacional de Cuiabá", "Cuiabá", "MT", -15.5983, -56.0964, "America/Cuiaba"),
    ("BEL", "Aeroporto Internacional de Belém", "Belém", "PA", -1.4553, -48.5020, "America/Belem"),
    ("JPA", "Aeroporto Internacional de João Pessoa", "João Pessoa", "PB", -7.1155, -34.8610, "America/Fortaleza"),
    ("CWB", "Aeroporto Internacional de Curitiba", "Curitiba", "PR", -25.4284, -49.2733, "America/Sao_Paulo"),
    ("REC", "Aeroporto Internacional de Recife", "Recife", "PE", -8.0476, -34.8776, "America/Recife"),
    ("THE", "Aeroporto Internacional de Teresina", "Teresina", "PI", -5.0919, -42.8034, "America/Fortaleza"),
    ("GIG", "Aeroporto Internacional do Rio de Janeiro", "Rio de Janeiro", "RJ", -22.9068, -43.1729, "America/Sao_Paulo"),
    ("NAT", "Aeroporto Internacional de Natal", "Natal", "RN", -5.7945, -35.2110, "America/Fortaleza"),
    ("POA", "Aeroporto Internacional de Porto Alegre", "Porto Alegre", "RS", -30.0346, -51.2177, "America/Sao_Paulo"),
    ("PVH", "Aeroporto Internacional de Porto Velho", "Porto Velho", "RO", -8.7618, -63.9036, "America/Porto_Velho"),
    ("BVB", "Aeroporto Internacional de Boa Vista", "Boa Vista", "RR", 2.8231, -60.6754, "America/Boa_Vista"),
    ("FLN", "Aeroporto Internacional de Florianópolis", "Florianópolis", "SC", -27.5954, -48.5480, "America/Sao_Paulo"),
    ("GRU", "Aeroporto Internacional de São Paulo", "São Paulo", "SP", -23.5505, -46.6333, "America/Sao_Paulo"),
    ("AJU", "Aeroporto Internacional de Aracaju", "Aracaju", "SE", -10.9472, -37.0731, "America/Maceio"),
    ("PMW", "Aeroporto Internacional de Palmas", "Palmas", "TO", -10.1664, -48.3321, "America/Araguaina"),
];

/// The 27 state capitals of Brazil as airports.
pub fn airports() -> Vec<Airport> {
    CAPITALS
        .iter()
        .map(|&(code, name, city, state, latitude, longitude, zone)| Airport {
            code: AirportCode::parse(code).expect("reference codes are valid"),
            name: name.to_owned(),
            city: city.to_owned(),
            state: state.to_owned(),
            country: "Brasil".to_owned(),
            latitude,
            longitude,
            time_zone: airport::time_zone(zone).expect("reference time zones exist"),
        })
        .collect()
}

/// One route of a hub-and-spoke plan: the spoke and how many times a day it is flown.
type Spoke = (&'static str, usize);

/// A scenario flight of the original system, flown every day.
struct ScenarioFlight {
    number: u16,
    origin: &'static str,
    destination: &'static str,
    /// Local departure time at the origin, `HH:MM`.
    departs: &'static str,
    /// The original's fare, in whole reais.
    fare_reais: i64,
    /// Seats A–? in one row; the original's Macapá → Salvador flights had one seat.
    cabin: fn() -> Cabin,
}

/// An airline of the reference network with its plan.
pub struct ReferenceAirline {
    airline: (&'static str, &'static str, &'static str, &'static str, u16),
    hubs: &'static [(&'static str, &'static [Spoke])],
    scenario: &'static [ScenarioFlight],
}

fn one_seat() -> Cabin {
    Cabin::new(1, "A").expect("one seat is a cabin")
}

#[rustfmt::skip]
const RUMOS: ReferenceAirline = ReferenceAirline {
    airline: ("rumos", "Rumos", "RU", "#c62828", 771),
    hubs: &[
        (
            "GRU",
            &[
                ("GIG", 4), ("CNF", 3), ("CWB", 3), ("POA", 3), ("BSB", 3), ("FLN", 2), ("VIX", 2),
                ("CGR", 2), ("CGB", 2), ("GYN", 2), ("SSA", 2), ("REC", 2), ("FOR", 2), ("MAO", 2),
            ],
        ),
        ("MAO", &[("BVB", 2), ("PVH", 2), ("RBR", 1), ("BEL", 2), ("MCP", 1)]),
    ],
    scenario: &[
        ScenarioFlight { number: 1001, origin: "MAO", destination: "MCP", departs: "19:00", fare_reais: 350, cabin: Cabin::standard },
        ScenarioFlight { number: 1003, origin: "MCP", destination: "SSA", departs: "08:00", fare_reais: 200, cabin: one_seat },
    ],
};

#[rustfmt::skip]
const GIRO: ReferenceAirline = ReferenceAirline {
    airline: ("giro", "Giro", "GI", "#2e7d32", 882),
    hubs: &[(
        "BSB",
        &[
            ("GRU", 3), ("GIG", 3), ("CNF", 2), ("SSA", 2), ("REC", 2), ("FOR", 2), ("BEL", 2),
            ("MAO", 2), ("CGB", 2), ("CGR", 1), ("GYN", 2), ("PMW", 2), ("SLZ", 1), ("THE", 1),
            ("PVH", 1), ("RBR", 1), ("POA", 2), ("CWB", 2),
        ],
    )],
    scenario: &[
        ScenarioFlight { number: 1001, origin: "RBR", destination: "MCZ", departs: "06:00", fare_reais: 320, cabin: Cabin::standard },
        ScenarioFlight { number: 1003, origin: "MCP", destination: "SSA", departs: "09:00", fare_reais: 300, cabin: one_seat },
    ],
};

#[rustfmt::skip]
const BOREAL: ReferenceAirline = ReferenceAirline {
    airline: ("boreal", "Boreal", "BO", "#1565c0", 993),
    hubs: &[
        (
            "REC",
            &[
                ("SSA", 3), ("FOR", 3), ("NAT", 2), ("JPA", 2), ("MCZ", 2), ("AJU", 2), ("THE", 1),
                ("SLZ", 2), ("BEL", 2), ("GRU", 2), ("GIG", 2), ("BSB", 2),
            ],
        ),
        ("BEL", &[("MCP", 2), ("MAO", 2), ("SLZ", 1), ("PMW", 1)]),
    ],
    scenario: &[
        ScenarioFlight { number: 1001, origin: "MCZ", destination: "MAO", departs: "14:30", fare_reais: 280, cabin: Cabin::standard },
        ScenarioFlight { number: 1003, origin: "MCP", destination: "SSA", departs: "10:00", fare_reais: 500, cabin: one_seat },
    ],
};

/// The three airlines of the reference network.
pub fn reference_airlines() -> [&'static ReferenceAirline; 3] {
    [&RUMOS, &GIRO, &BOREAL]
}

/// The reference airline with id `id`, if there is one.
pub fn reference_airline(id: &AirlineId) -> Option<&'static ReferenceAirline> {
    reference_airlines().into_iter().find(|plan| plan.airline.0 == id.as_str())
}

/// Local departure times of the hub's banks; a route flown `n` times a day uses `n` of them,
/// spread over the day.
const BANKS: [&str; 6] = ["06:30", "09:40", "12:50", "15:20", "18:10", "21:00"];
/// Minutes an aircraft spends on the ground at a spoke before flying back.
const TURNAROUND_MINUTES: i64 = 50;
/// Minutes of taxi, climb and descent added to every flight's cruise time.
const BLOCK_OVERHEAD_MINUTES: f64 = 30.0;
/// Average cruise speed of the network's narrow-bodies.
const CRUISE_KM_PER_HOUR: f64 = 800.0;
/// Fares: a fixed part and a part per kilometre, in cents.
const FARE_BASE_CENTS: f64 = 14_900.0;
const FARE_CENTS_PER_KM: f64 = 30.0;
/// First number of the hub-and-spoke flights (the scenario uses 1001–1099).
const ROUTE_NUMBER_BASE: u16 = 1100;

impl ReferenceAirline {
    /// The airline itself.
    pub fn airline(&self) -> Airline {
        let (id, name, designator, colour, prefix) = self.airline;
        Airline {
            id: AirlineId::parse(id).expect("reference ids are valid"),
            name: name.to_owned(),
            designator: Designator::parse(designator).expect("reference designators are valid"),
            colour: colour.to_owned(),
            ticket_prefix: TicketPrefix::new(prefix).expect("reference prefixes are valid"),
        }
    }

    /// Every flight the airline operates on local date `date` (dates are those of the
    /// departures' origins), in flight-number order.
    pub fn schedule(&self, date: Date, airports: &[Airport]) -> Vec<Flight> {
        let planner = Planner { airline: self.airline(), airports, date };
        let mut flights: Vec<Flight> =
            self.scenario.iter().map(|leg| planner.scenario_flight(leg)).collect();
        let routes = self
            .hubs
            .iter()
            .flat_map(|(hub, spokes)| spokes.iter().map(move |spoke| (*hub, *spoke)));
        for (index, (hub, (spoke, per_day))) in routes.enumerate() {
            flights.extend(planner.route_flights(index as u16, hub, spoke, per_day));
        }
        flights.sort_by_key(|flight| flight.id);
        flights
    }
}

/// How many capitals an airline outside the reference network flies to from its hub: the
/// nearest ones.
const HUB_SPOKES: usize = 8;
/// Round trips a day on each of its routes.
const HUB_ROUTE_ROUNDS: usize = 2;

/// The flights on local date `date` of an airline outside the reference network (a network of
/// more airlines than the original's three, as in tests of ten): round trips from its one `hub`
/// to the nearest capitals, in the reference airlines' banks, block times and fares.
pub fn hub_schedule(
    airline: &Airline,
    hub: AirportCode,
    date: Date,
    airports: &[Airport],
) -> Vec<Flight> {
    let planner = Planner { airline: airline.clone(), airports, date };
    let hub = planner.airport(hub.as_str());
    let mut spokes: Vec<&Airport> = airports.iter().filter(|a| a.code != hub.code).collect();
    spokes.sort_by(|a, b| hub.distance_km(a).total_cmp(&hub.distance_km(b)));
    let mut flights: Vec<Flight> = spokes
        .iter()
        .take(HUB_SPOKES)
        .enumerate()
        .flat_map(|(index, spoke)| {
            planner.route_flights(
                index as u16,
                hub.code.as_str(),
                spoke.code.as_str(),
                HUB_ROUTE_ROUNDS,
            )
        })
        .collect();
    flights.sort_by_key(|flight| flight.id);
    flights
}

/// Builds one airline's flights for one date.
struct Planner<'a> {
    airline: Airline,
    airports: &'a [Airport],
    date: Date,
}

impl Planner<'_> {
    fn airport(&self, code: &str) -> &Airport {
        let code = AirportCode::parse(code).expect("plans name valid codes");
        self.airports.iter().find(|a| a.code == code).expect("plans name reference airports")
    }

    fn scenario_flight(&self, leg: &ScenarioFlight) -> Flight {
        let (origin, destination) = (self.airport(leg.origin), self.airport(leg.destination));
        let departure = self.local_instant(origin, self.date, leg.departs);
        let mut flight = self.flight(leg.number, origin, destination, departure, (leg.cabin)());
        flight.price = Money::fare(leg.fare_reais * 100).expect("the original's fares are valid");
        flight
    }

    /// The `per_day` round trips of route `index` (hub ⇄ spoke): out in the hub's banks, back
    /// after the turnaround at the spoke.
    fn route_flights(&self, index: u16, hub: &str, spoke: &str, per_day: usize) -> Vec<Flight> {
        let (hub, spoke) = (self.airport(hub), self.airport(spoke));
        // Routes of one hub leave a few minutes apart, so a bank is not one instant.
        let stagger = crate::time::minutes(i64::from(index % 6) * 5);
        let mut flights = Vec::with_capacity(2 * per_day);
        for (round, bank) in spread(per_day).enumerate() {
            let number = ROUTE_NUMBER_BASE + index * 20 + 2 * round as u16;
            let out_departure = self.local_instant(hub, self.date, BANKS[bank]) + stagger;
            let out = self.flight(number, hub, spoke, out_departure, Cabin::standard());
            let back_departure = out.arrival + crate::time::minutes(TURNAROUND_MINUTES);
            let back = self.flight(number + 1, spoke, hub, back_departure, Cabin::standard());
            // A return that would leave after midnight belongs to the next day's schedule.
            flights.push(out);
            if crate::time::local_date(back.departure, &spoke.time_zone) == self.date {
                flights.push(back);
            }
        }
        flights
    }

    fn flight(
        &self,
        number: u16,
        origin: &Airport,
        destination: &Airport,
        departure: Timestamp,
        cabin: Cabin,
    ) -> Flight {
        let km = origin.distance_km(destination);
        let block = block_minutes(km);
        let date = crate::time::local_date(departure, &origin.time_zone);
        Flight {
            id: FlightId::new(
                self.airline.designator,
                FlightNumber::new(number).expect("plans stay below 10000"),
                date,
            ),
            airline: self.airline.id.clone(),
            origin: origin.code,
            destination: destination.code,
            departure,
            arrival: departure + crate::time::minutes(block),
            cabin,
            price: fare(km, departure, &origin.time_zone),
            status: FlightStatus::Scheduled,
            version: 1,
        }
    }

    fn local_instant(&self, airport: &Airport, date: Date, hhmm: &str) -> Timestamp {
        let time: Time = hhmm.parse().expect("plans use HH:MM");
        date.to_datetime(time)
            .to_zoned_datetime(airport.time_zone.clone())
            .expect("Brazilian local times exist")
            .timestamp()
    }
}

/// Which `n` of the six banks a route uses: spread over the day.
fn spread(n: usize) -> impl Iterator<Item = usize> {
    let n = n.clamp(1, BANKS.len());
    (0..n).map(move |i| i * BANKS.len() / n)
}

/// Block time in whole minutes, rounded up to five.
fn block_minutes(km: f64) -> i64 {
    let minutes = BLOCK_OVERHEAD_MINUTES + km / CRUISE_KM_PER_HOUR * 60.0;
    ((minutes / 5.0).ceil() * 5.0) as i64
}

/// Fare from distance, cheaper early and late, dearer at the business peaks; rounded to whole
/// reais ending in ,90.
fn fare(km: f64, departure: Timestamp, zone: &jiff::tz::TimeZone) -> Money {
    let hour = departure.to_zoned_datetime(zone.clone()).hour();
    let factor = match hour {
        0..=6 | 21..=23 => 0.85,
        7..=8 | 17..=19 => 1.15,
        _ => 1.0,
    };
    let cents = (FARE_BASE_CENTS + km * FARE_CENTS_PER_KM) * factor;
    let whole_reais = (cents / 100.0).round() as i64;
    Money::fare(whole_reais * 100 - 10).expect("generated fares are in range")
}

/// A user of the original system: name, username, password (plain text in the original's seed;
/// hashed when imported).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OriginalUser {
    /// Full name.
    #[serde(rename = "Name")]
    pub name: String,
    /// Username.
    #[serde(rename = "Username")]
    pub username: String,
    /// Password, to be hashed on import.
    #[serde(rename = "Password")]
    pub password: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itinerary::{self, ConnectionRules};
    use std::collections::BTreeSet;

    fn date() -> Date {
        "2026-12-01".parse().unwrap()
    }

    #[test]
    fn there_are_27_capitals_each_with_its_time_zone() {
        let airports = airports();
        assert_eq!(airports.len(), 27);
        let codes: BTreeSet<_> = airports.iter().map(|a| a.code).collect();
        assert_eq!(codes.len(), 27);
        let offset = |code: &str| {
            let airport = airports.iter().find(|a| a.code.as_str() == code).unwrap();
            let at: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
            airport.time_zone.to_offset(at).seconds() / 3600
        };
        assert_eq!(offset("RBR"), -5);
        for code in ["MAO", "PVH", "BVB", "CGB", "CGR"] {
            assert_eq!(offset(code), -4, "{code}");
        }
        for code in ["GRU", "MCP", "BEL", "REC", "SSA", "PMW", "MCZ", "AJU", "FOR"] {
            assert_eq!(offset(code), -3, "{code}");
        }
    }

    #[test]
    fn schedules_are_deterministic_and_ids_unique() {
        let airports = airports();
        for plan in reference_airlines() {
            let first = plan.schedule(date(), &airports);
            assert_eq!(first, plan.schedule(date(), &airports));
            let ids: BTreeSet<_> = first.iter().map(|f| f.id).collect();
            assert_eq!(ids.len(), first.len());
            assert!(first.len() > 40, "{} flies {} flights", plan.airline().name, first.len());
            for flight in &first {
                assert_eq!(flight.id.date(), date(), "{}", flight.id);
                assert_eq!(flight.airline, plan.airline().id);
                crate::flight::check_route_and_times(
                    flight.origin,
                    flight.destination,
                    flight.departure,
                    flight.arrival,
                )
                .unwrap();
            }
        }
    }

    #[test]
    fn the_original_chain_connects_across_three_airlines() {
        let airports = airports();
        let all: Vec<Flight> =
            reference_airlines().iter().flat_map(|p| p.schedule(date(), &airports)).collect();
        let find = |id: &str| all.iter().find(|f| f.id.to_string() == id).unwrap();
        let chain =
            [find("GI1001-2026-12-01"), find("BO1001-2026-12-01"), find("RU1001-2026-12-01")];
        let route: Vec<_> =
            chain.iter().map(|f| (f.origin.as_str(), f.destination.as_str())).collect();
        assert_eq!(route, [("RBR", "MCZ"), ("MCZ", "MAO"), ("MAO", "MCP")]);
        itinerary::check(&chain, &ConnectionRules::default()).unwrap();
    }

    #[test]
    fn the_three_macapa_salvador_flights_have_one_seat_and_the_original_fares() {
        let airports = airports();
        let fares: Vec<_> = reference_airlines()
            .iter()
            .map(|plan| {
                let flights = plan.schedule(date(), &airports);
                let flight = flights.iter().find(|f| f.id.number().get() == 1003).unwrap();
                assert_eq!((flight.origin.as_str(), flight.destination.as_str()), ("MCP", "SSA"));
                assert_eq!(flight.cabin.capacity(), 1);
                flight.price.cents()
            })
            .collect();
        assert_eq!(fares, [20_000, 30_000, 50_000]);
    }

    #[test]
    fn an_airline_outside_the_reference_network_flies_from_its_hub_to_the_nearest_capitals() {
        let airports = airports();
        let airline = Airline {
            id: AirlineId::parse("aurora").unwrap(),
            name: "Aurora".into(),
            designator: Designator::parse("AU").unwrap(),
            colour: "#6a1b9a".into(),
            ticket_prefix: TicketPrefix::new(104).unwrap(),
        };
        let hub = AirportCode::parse("CWB").unwrap();
        let flights = hub_schedule(&airline, hub, date(), &airports);
        assert_eq!(flights, hub_schedule(&airline, hub, date(), &airports));
        let spokes: BTreeSet<_> = flights
            .iter()
            .map(|f| if f.origin == hub { f.destination } else { f.origin })
            .collect();
        assert_eq!(spokes.len(), HUB_SPOKES);
        let code = |code: &str| AirportCode::parse(code).unwrap();
        assert!(spokes.contains(&code("FLN")) && spokes.contains(&code("GRU")), "{spokes:?}");
        assert!(!spokes.contains(&code("BVB")), "the farthest capital is not a spoke");
        let ids: BTreeSet<_> = flights.iter().map(|f| f.id).collect();
        assert_eq!(ids.len(), flights.len());
        for flight in &flights {
            assert!(flight.origin == hub || flight.destination == hub, "{}", flight.id);
            assert_eq!(flight.airline, airline.id);
            assert_eq!(flight.id.date(), date());
        }
    }

    #[test]
    fn block_times_grow_with_distance() {
        assert_eq!(block_minutes(0.0), 30);
        assert_eq!(block_minutes(400.0), 60);
        assert!(block_minutes(2700.0) > 200);
    }
}
