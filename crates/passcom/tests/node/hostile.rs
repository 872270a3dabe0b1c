//! Hostile clients, as an attacker would be, against a real node on loopback: connection
//! floods, half-sent requests, clients that stop reading, consoles that never authenticate.
//! Every test is bounded: a few dozen sockets, limits shrunk to fractions of a second, and a
//! timeout on every wait.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpSocket, TcpStream};

use crate::helpers::{ADMIN_TOKEN, spawn_node_with};

/// Longest any one wait of these tests.
const WAIT: Duration = Duration::from_secs(5);

/// A connection to `address` from the loopback address `from` (all of 127/8 is loopback).
async fn connect_from(from: &str, address: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(address).await.unwrap()
}

/// Everything the node sends until it closes the connection, or `None` if it has not closed
/// it within [`WAIT`].
async fn until_closed(stream: &mut TcpStream) -> Option<String> {
    let mut received = Vec::new();
    match tokio::time::timeout(WAIT, stream.read_to_end(&mut received)).await {
        Ok(_) => Some(String::from_utf8_lossy(&received).into_owned()),
        Err(_) => None,
    }
}

/// The status line of the answer to `GET /healthz` on `stream`.
async fn healthz(stream: &mut TcpStream) -> String {
    stream.write_all(b"GET /healthz HTTP/1.1\r\nhost: node\r\n\r\n").await.unwrap();
    let mut answer = vec![0; 1024];
    let read = tokio::time::timeout(WAIT, stream.read(&mut answer)).await.unwrap().unwrap();
    String::from_utf8_lossy(&answer[..read]).lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_flood_of_idle_connections_from_one_host_leaves_the_node_serving_others() {
    let node = spawn_node_with("rumos", |config| {
        config.http.connections_per_client_max = 16;
    })
    .await;
    let address = node.running.address;
    let mut flood = Vec::new();
    for _ in 0..16 {
        flood.push(connect_from("127.0.0.7", address).await);
    }
    // One over the share: told why, and closed at once.
    let mut over = connect_from("127.0.0.7", address).await;
    let refusal = until_closed(&mut over).await.expect("a connection over the cap is closed");
    assert!(refusal.starts_with("HTTP/1.1 503"), "{refusal}");
    assert!(refusal.contains("too_many_connections"), "{refusal}");
    // Another host is served meanwhile.
    let mut customer = connect_from("127.0.0.8", address).await;
    assert_eq!(healthz(&mut customer).await, "HTTP/1.1 200 OK");
    // The flooding host gets its share back as its connections close.
    flood.truncate(15);
    let mut again = None;
    for _ in 0..50 {
        let mut stream = connect_from("127.0.0.7", address).await;
        if healthz(&mut stream).await == "HTTP/1.1 200 OK" {
            again = Some(stream);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(again.is_some(), "a closed connection's place is given back");
    node.stop().await;
}

#[tokio::test]
async fn a_half_sent_request_head_is_cut_off_at_the_header_read_timeout() {
    let node = spawn_node_with("rumos", |config| {
        config.http.header_read_timeout_ms = 300;
    })
    .await;
    let mut slow = TcpStream::connect(node.running.address).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nhost: node\r\nx-slow: ").await.unwrap();
    assert!(until_closed(&mut slow).await.is_some(), "the half-sent request is closed");
    // An idle kept-alive connection too: the same timer runs between requests.
    let mut idle = TcpStream::connect(node.running.address).await.unwrap();
    assert_eq!(healthz(&mut idle).await, "HTTP/1.1 200 OK");
    assert!(until_closed(&mut idle).await.is_some(), "the idle connection is closed");
    node.stop().await;
}

#[tokio::test]
async fn a_body_that_stops_coming_is_cut_off_at_the_idle_timeout() {
    let node = spawn_node_with("rumos", |config| {
        config.http.idle_timeout_ms = 300;
        // Without the idle timeout, only the request's time budget would end it.
        config.limits.request_timeout_ms = 60_000;
    })
    .await;
    let mut stalled = TcpStream::connect(node.running.address).await.unwrap();
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nhost: node\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"user";
    stalled.write_all(head.as_bytes()).await.unwrap();
    let answer = until_closed(&mut stalled).await.expect("the stalled request is ended");
    assert!(!answer.starts_with("HTTP/1.1 5"), "no server error for a stalled body: {answer}");
    node.stop().await;
}

/// Opens a console and reads its banner.
async fn open_console(address: SocketAddr) -> (TcpStream, String) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let banner = up_to_prompt(&mut stream).await;
    (stream, banner)
}

/// What the console sends up to its next prompt, or until it closes the connection.
async fn up_to_prompt(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut byte = [0; 1];
    while !received.ends_with(b"> ") {
        let read = tokio::time::timeout(WAIT, stream.read(&mut byte)).await.unwrap().unwrap();
        if read == 0 {
            break;
        }
        received.push(byte[0]);
    }
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn consoles_that_never_authenticate_are_closed_and_do_not_lock_the_operator_out() {
    let node = spawn_node_with("rumos", |config| {
        config.console.connections_max = 4;
        config.console.connections_per_client_max = 4;
        config.console.auth_timeout_ms = 500;
    })
    .await;
    let address = node.running.console_address.unwrap();
    let mut squatters = Vec::new();
    for _ in 0..4 {
        squatters.push(open_console(address).await.0);
    }
    let (_, refused) = open_console(address).await;
    assert!(refused.contains("too many consoles are open"), "{refused}");
    for squatter in &mut squatters {
        let last_words = until_closed(squatter).await.expect("an unauthenticated console closes");
        assert!(last_words.contains("not authenticated in time"), "{last_words}");
    }
    let (mut operator, banner) = open_console(address).await;
    assert!(banner.contains("Authenticate first"), "{banner}");
    operator.write_all(format!("auth {ADMIN_TOKEN}\n").as_bytes()).await.unwrap();
    assert!(up_to_prompt(&mut operator).await.contains("ok: authenticated"));
    // Authenticated, the operator is not held to the deadline.
    tokio::time::sleep(Duration::from_millis(700)).await;
    operator.write_all(b"help\n").await.unwrap();
    assert!(up_to_prompt(&mut operator).await.contains("commands:"));
    node.stop().await;
}

#[tokio::test]
async fn an_unsigned_bulk_peer_request_is_refused_before_its_body_is_read() {
    let node = spawn_node_with("rumos", |_| {}).await;
    let forged = "x-passcom-airline: giro\r\nx-passcom-timestamp: 0\r\nx-passcom-nonce: 00\r\n\
                  x-passcom-signature: AAAA\r\nx-passcom-body-sha256: 00\r\n";
    for headers in ["", forged] {
        let mut bulk = TcpStream::connect(node.running.address).await.unwrap();
        // 60 MB announced, 64 KiB sent: the answer must not wait for the rest.
        let head = format!(
            "POST /peer/v1/heartbeat HTTP/1.1\r\nhost: node\r\ncontent-type: application/json\r\n\
             {headers}content-length: 60000000\r\n\r\n"
        );
        bulk.write_all(head.as_bytes()).await.unwrap();
        bulk.write_all(&[b' '; 64 * 1024]).await.unwrap();
        let mut answer = vec![0; 4096];
        let read = tokio::time::timeout(WAIT, bulk.read(&mut answer))
            .await
            .expect("refused without waiting for the body")
            .unwrap();
        let answer = String::from_utf8_lossy(&answer[..read]);
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    }
    node.stop().await;
}

#[tokio::test]
async fn invented_methods_and_paths_do_not_grow_the_metrics_and_only_the_admin_reads_them() {
    let node = spawn_node_with("rumos", |_| {}).await;
    for i in 0..40 {
        let method = reqwest::Method::from_bytes(format!("BOMB{i}").as_bytes()).unwrap();
        let path = format!("/nothing/here/{i}");
        node.client.request(method.clone(), node.url(&path)).send().await.unwrap();
        node.client.request(method, node.url("/api/v1/airports")).send().await.unwrap();
    }
    let outsider = node.get("/metrics", None).await;
    assert_eq!(outsider.status, reqwest::StatusCode::UNAUTHORIZED);
    let metrics = node.client.get(node.url("/metrics")).bearer_auth(ADMIN_TOKEN).send().await;
    let text = metrics.unwrap().text().await.unwrap();
    assert!(!text.contains("BOMB") && !text.contains("/nothing/here"), "{text}");
    let series = text.lines().filter(|line| line.starts_with("passcom_http_requests_total{"));
    let invented: Vec<&str> = series.filter(|line| line.contains("method=\"other\"")).collect();
    assert!(
        (1..=4).contains(&invented.len()),
        "80 invented requests fall into a few series: {invented:?}"
    );
    node.stop().await;
}

/// An HTTP client whose connections come from the loopback address `from`.
fn client_from(from: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(from.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn password_guessing_and_mass_registration_are_throttled_per_account_and_address() {
    let node = spawn_node_with("rumos", |config| {
        config.limits.login_failures_per_account_max = 3;
        config.limits.login_failures_per_client_max = 5;
        config.limits.registrations_per_client_max = 3;
        config.limits.throttle_window_ms = 60_000;
    })
    .await;
    let login = |client: &reqwest::Client, username: &str, password: &str| {
        let request = client
            .post(node.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": password}));
        async move { crate::helpers::answer(request.send().await.unwrap()).await }
    };
    node.customer("vitima").await;
    let (guesser, other_guesser) = (client_from("127.0.0.11"), client_from("127.0.0.12"));
    for guess in 0..3 {
        let refused = login(&guesser, "vitima", &format!("guess-{guess}")).await;
        assert_eq!(refused.code(), "invalid_credentials");
    }
    // The account has used up its share, from any address, right password or not.
    let held = login(&other_guesser, "VITIMA", "password-of-vitima").await;
    assert_eq!((held.status.as_u16(), held.code()), (429, "too_many_attempts"), "{held:?}");
    let retry_after: u64 = held.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    // One address guessing across accounts is held too; another address is not.
    for guess in 0..2 {
        assert_eq!(login(&guesser, &format!("ninguem{guess}"), "x").await.status.as_u16(), 401);
    }
    assert_eq!(login(&guesser, "outra", "x").await.status.as_u16(), 429);
    assert_eq!(login(&other_guesser, "outra", "x").await.status.as_u16(), 401);
    // Once the window has passed, the owner logs in.
    node.advance(jiff::SignedDuration::from_secs(61));
    assert_eq!(login(&other_guesser, "vitima", "password-of-vitima").await.status.as_u16(), 200);

    let registrar = client_from("127.0.0.13");
    let register = |i: u32| {
        let body = serde_json::json!({"username": format!("massa{i}"), "password": "password-123", "name": "Massa"});
        let request = registrar.post(node.url("/api/v1/auth/register")).json(&body);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    for i in 0..3 {
        assert_eq!(register(i).await, 201);
    }
    assert_eq!(register(3).await, 429, "registrations from one address are throttled");
    node.stop().await;
}

#[tokio::test]
async fn passenger_names_with_direction_overrides_or_invisible_characters_are_refused() {
    let node = spawn_node_with("rumos", |_| {}).await;
    let token = node.customer("viajante").await;
    let flight = node.flight_id("GRU", "GIG", 1).await;
    for name in ["Ana \u{202E}azuoS", "Ana\u{200B}Souza", "\u{2066}Ana Souza\u{2069}"] {
        let refused = node.book(&token, &[&flight], &[name]).await;
        assert_eq!(
            (refused.status.as_u16(), refused.code(), refused.body["error"]["field"].as_str()),
            (422, "invalid_passenger_name", Some("passengers[0].name")),
            "{name:?}: {refused:?}"
        );
    }
    assert_eq!(node.book(&token, &[&flight], &["Zoë Nuñez"]).await.status.as_u16(), 201);
    node.stop().await;
}

#[tokio::test]
async fn the_web_app_may_not_be_framed() {
    let node = spawn_node_with("rumos", |_| {}).await;
    let page = node.client.get(node.url("/")).send().await.unwrap();
    let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/dist/index.html");
    if built.exists() {
        let headers = page.headers();
        assert_eq!(headers["x-frame-options"], "DENY");
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"));
    }
    node.stop().await;
}

/// Bad requests for one operation: content type and body, or none.
fn bad_requests(has_body: bool, body_bytes_max: usize) -> Vec<(Option<&'static str>, Vec<u8>)> {
    if !has_body {
        return vec![(None, Vec::new())];
    }
    vec![
        (Some("application/json"), b"{\"unclosed".to_vec()),
        (Some("text/plain"), b"{}".to_vec()),
        (Some("application/json"), vec![b' '; body_bytes_max + 1]),
        (Some("application/json"), b"[1, 2]".to_vec()),
        (None, b"{}".to_vec()),
    ]
}

#[tokio::test]
async fn every_answer_to_bad_requests_is_in_the_openapi_document() {
    const BODY_BYTES_MAX: usize = 1024;
    let node = spawn_node_with("rumos", |config| {
        config.limits.request_body_bytes_max = BODY_BYTES_MAX;
    })
    .await;
    let token = node.customer("documentada").await;
    let document = node.get("/api/v1/openapi.json", None).await.body;
    let mut undocumented = Vec::new();
    let mut sent = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        // Every path parameter gets a value that parses as nothing.
        let concrete: String = path
            .split('/')
            .map(|part| if part.starts_with('{') { "x!" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for (method, operation) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<reqwest::Method>() else { continue };
            let security = operation["security"].to_string();
            let bearer = if security.contains("admin") {
                Some(ADMIN_TOKEN)
            } else if security.contains("bearer") {
                Some(token.as_str())
            } else {
                None
            };
            let has_body = !operation["requestBody"].is_null();
            for (content_type, body) in bad_requests(has_body, BODY_BYTES_MAX) {
                let mut request =
                    node.client.request(method.clone(), node.url(&format!("{concrete}?limit=-1")));
                if let Some(bearer) = bearer {
                    request = request.bearer_auth(bearer);
                }
                if let Some(content_type) = content_type {
                    request = request.header("content-type", content_type);
                }
                let answer = crate::helpers::answer(request.body(body).send().await.unwrap()).await;
                sent += 1;
                let status = answer.status.as_u16().to_string();
                if operation["responses"][&status].is_null() {
                    undocumented.push(format!("{method} {path}: {status} {}", answer.code()));
                }
            }
        }
    }
    assert!(sent > 40, "{sent} requests");
    assert!(
        undocumented.is_empty(),
        "answers the document does not list:\n{}",
        undocumented.join("\n")
    );
    node.stop().await;
}

#[tokio::test]
async fn the_documented_field_limits_are_the_ones_enforced() {
    let node = spawn_node_with("rumos", |_| {}).await;
    let document = node.get("/api/v1/openapi.json", None).await.body;
    let schemas = &document["components"]["schemas"];
    let limit = |schema: &str, field: &str, key: &str| {
        schemas[schema]["properties"][field][key]
            .as_u64()
            .unwrap_or_else(|| panic!("{schema}.{field} {key}")) as usize
    };
    let register = |username: String, password: String, name: String| {
        let body = serde_json::json!({"username": username, "password": password, "name": name});
        let request = node.client.post(node.url("/api/v1/auth/register")).json(&body);
        async move { crate::helpers::answer(request.send().await.unwrap()).await }
    };
    let (username_max, password_max, name_max) = (
        limit("RegisterBody", "username", "maxLength"),
        limit("RegisterBody", "password", "maxLength"),
        limit("RegisterBody", "name", "maxLength"),
    );
    let (user, pass, name) =
        ("u".repeat(username_max), "p".repeat(password_max), "N".repeat(name_max));
    assert_eq!(register(user.clone(), pass.clone(), name.clone()).await.status.as_u16(), 201);
    for (over, code) in [
        (register(format!("{user}u"), pass.clone(), name.clone()).await, "invalid_username"),
        (register("outro".into(), format!("{pass}p"), name.clone()).await, "invalid_password"),
        (register("outro".into(), pass.clone(), format!("{name}N")).await, "invalid_name"),
    ] {
        assert_eq!((over.status.as_u16(), over.code()), (422, code), "{over:?}");
    }
    let passengers_max =
        schemas["BookingBody"]["properties"]["passengers"]["maxItems"].as_u64().unwrap() as usize;
    let token = node.customer("limitada").await;
    let flight = node.flight_id("GRU", "GIG", 1).await;
    let names: Vec<String> =
        (0..=passengers_max).map(|i| format!("Passageiro {}", (b'A' + i as u8) as char)).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let over = node.book(&token, &[&flight], &names).await;
    assert_eq!(over.status.as_u16(), 422, "{over:?}");
    let name_max = limit("PassengerBody", "name", "maxLength");
    let long = node.book(&token, &[&flight], &[&"N".repeat(name_max + 1)]).await;
    assert_eq!(long.code(), "invalid_passenger_name");
    node.stop().await;
}
