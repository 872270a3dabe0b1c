//! Airports, airlines, flights and seat maps.

use std::collections::BTreeSet;

use reqwest::StatusCode;

use crate::helpers::{available_seats, spawn_node};

#[tokio::test]
async fn the_27_capitals_are_airports_with_their_time_zones() {
    let node = spawn_node("rumos").await;
    let answer = node.get("/api/v1/airports", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    let airports = answer.body["airports"].as_array().unwrap();
    assert_eq!(airports.len(), 27);
    let zone = |code: &str| {
        airports.iter().find(|a| a["code"] == code).unwrap()["timezone"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(zone("RBR"), "America/Rio_Branco");
    assert_eq!(zone("MAO"), "America/Manaus");
    assert_eq!(zone("MCP"), "America/Belem");
    assert_eq!(zone("GRU"), "America/Sao_Paulo");
    let mcz = airports.iter().find(|a| a["code"] == "MCZ").unwrap();
    assert_eq!(mcz["city"], "Maceió");
    assert_eq!(mcz["state"], "AL");
    assert!(mcz["latitude"].as_f64().unwrap() < -9.0);
}

#[tokio::test]
async fn the_airline_lists_itself_online() {
    let node = spawn_node("boreal").await;
    let answer = node.get("/api/v1/airlines", None).await;
    let airlines = answer.body["airlines"].as_array().unwrap();
    let boreal = airlines.iter().find(|a| a["id"] == "boreal").unwrap();
    assert_eq!(boreal["name"], "Boreal");
    assert_eq!(boreal["designator"], "BO");
    assert_eq!(boreal["colour"], "#1565c0");
    assert_eq!(boreal["status"], "online");
}

#[tokio::test]
async fn flights_filter_by_route_and_date_and_show_local_times() {
    let node = spawn_node("giro").await;
    let flights = node.flights("RBR", "MCZ", 1).await;
    let chain = flights
        .iter()
        .find(|f| f["flight_number"] == "GI1001")
        .expect("the original's Rio Branco–Maceió flight");
    assert_eq!(chain["airline"], "giro");
    assert_eq!(chain["id"], format!("GI1001-{}", node.date(1)));
    assert!(chain["departure"].as_str().unwrap().ends_with("T06:00:00-05:00"), "{chain}");
    assert!(chain["arrival"].as_str().unwrap().ends_with("-03:00"), "{chain}");
    assert_eq!(chain["price"], 32_000);
    assert_eq!(chain["seats_available"], 180);
    assert_eq!(chain["status"], "scheduled");
    for flight in &flights {
        assert_eq!(
            (flight["origin"].as_str(), flight["destination"].as_str()),
            (Some("RBR"), Some("MCZ"))
        );
    }
}

#[tokio::test]
async fn each_airline_seeds_only_its_own_flights() {
    let node = spawn_node("boreal").await;
    let answer = node.get("/api/v1/flights?limit=1000", None).await;
    let flights = answer.body["flights"].as_array().unwrap();
    assert!(flights.len() > 100);
    assert!(flights.iter().all(|f| f["airline"] == "boreal"));
}

#[tokio::test]
async fn pages_of_flights_cover_every_flight_once() {
    let node = spawn_node("rumos").await;
    let all = node.get("/api/v1/flights?limit=1000", None).await.body["flights"]
        .as_array()
        .unwrap()
        .len();
    let mut seen = BTreeSet::new();
    let mut path = "/api/v1/flights?limit=37".to_owned();
    loop {
        let page = node.get(&path, None).await;
        assert_eq!(page.status, StatusCode::OK);
        for flight in page.body["flights"].as_array().unwrap() {
            assert!(seen.insert(flight["id"].as_str().unwrap().to_owned()), "{flight} twice");
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/flights?limit=37&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), all);
}

#[tokio::test]
async fn flight_queries_refuse_bad_parameters_with_codes() {
    let node = spawn_node("rumos").await;
    let cases = [
        ("origin=XYZ", StatusCode::NOT_FOUND, "airport_not_found"),
        ("origin=G1U", StatusCode::BAD_REQUEST, "invalid_airport_code"),
        ("destination=toolong", StatusCode::BAD_REQUEST, "invalid_airport_code"),
        ("date=2026-02-30", StatusCode::BAD_REQUEST, "invalid_date"),
        ("date=tomorrow", StatusCode::BAD_REQUEST, "invalid_date"),
        ("limit=0", StatusCode::BAD_REQUEST, "invalid_limit"),
        ("limit=1001", StatusCode::BAD_REQUEST, "invalid_limit"),
        ("limit=many", StatusCode::BAD_REQUEST, "invalid_query"),
        ("cursor=garbage!", StatusCode::BAD_REQUEST, "invalid_cursor"),
        ("orign=GRU", StatusCode::BAD_REQUEST, "invalid_query"),
    ];
    for (query, status, code) in cases {
        let answer = node.get(&format!("/api/v1/flights?{query}"), None).await;
        assert_eq!((answer.status, answer.code()), (status, code), "{query}");
    }
}

#[tokio::test]
async fn one_flight_comes_with_its_version_as_etag() {
    let node = spawn_node("rumos").await;
    let id = node.flight_id("GRU", "GIG", 1).await;
    let answer = node.get(&format!("/api/v1/flights/{id}"), None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["id"], id.as_str());
    assert_eq!(answer.headers["etag"], "\"1\"");
    let unknown = node.get("/api/v1/flights/RU9999-2026-01-01", None).await;
    assert_eq!((unknown.status, unknown.code()), (StatusCode::NOT_FOUND, "flight_not_found"));
    let malformed = node.get("/api/v1/flights/not-a-flight", None).await;
    assert_eq!(
        (malformed.status, malformed.code()),
        (StatusCode::BAD_REQUEST, "invalid_flight_id")
    );
}

#[tokio::test]
async fn the_seat_map_shows_every_seat_and_takes_sales_into_account() {
    let node = spawn_node("rumos").await;
    let id = node.flight_id("GRU", "GIG", 1).await;
    let map = node.seat_map(&id).await;
    assert_eq!((map["rows"].as_u64(), map["letters"].as_str()), (Some(30), Some("ABCDEF")));
    assert_eq!(map["seats"].as_array().unwrap().len(), 180);
    assert_eq!(available_seats(&map).len(), 180);
    assert!(map["seats"][0].get("passenger").is_none(), "a seat map has no personal data");

    let token = node.customer("zeca").await;
    let booked = node.book(&token, &[&id], &["Zeca Pagodinho", "Maria Rita"]).await;
    assert_eq!(booked.status, StatusCode::CREATED);
    let map = node.seat_map(&id).await;
    assert_eq!(map["seats_available"], 178);
    let available = available_seats(&map);
    for segment in booked.body["segments"].as_array().unwrap() {
        assert!(!available.contains(&segment["seat"].as_str().unwrap().to_owned()));
    }
    let flight = node.get(&format!("/api/v1/flights/{id}"), None).await;
    assert_eq!(flight.body["seats_available"], 178);
}

#[tokio::test]
async fn a_node_says_which_airline_it_is() {
    let node = spawn_node("giro").await;
    let about = node.get("/api/v1/about", None).await;
    assert_eq!(about.status, StatusCode::OK);
    assert_eq!(
        (about.body["airline"]["id"].as_str(), about.body["airline"]["colour"].as_str()),
        (Some("giro"), Some("#2e7d32"))
    );
    assert!(about.body["version"].is_string());
}

#[tokio::test]
async fn routes_list_each_airline_route_once_with_its_flights() {
    let node = spawn_node("boreal").await;
    let answer = node.get("/api/v1/routes", None).await;
    let routes = answer.body["routes"].as_array().unwrap();
    let rec_ssa =
        routes.iter().find(|r| r["origin"] == "REC" && r["destination"] == "SSA").unwrap();
    assert_eq!(rec_ssa["airline"], "boreal");
    assert!(rec_ssa["flights"].as_u64().unwrap() >= 3, "three a day, some days ahead");
    let keys: BTreeSet<_> = routes
        .iter()
        .map(|r| {
            (
                r["origin"].clone().to_string(),
                r["destination"].to_string(),
                r["airline"].to_string(),
            )
        })
        .collect();
    assert_eq!(keys.len(), routes.len(), "each route once");
}
