//! The admin console, over its TCP line protocol.

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::helpers::{ADMIN_TOKEN, TestNode, spawn_node};
use crate::network_helpers::{peer_status, spawn_network, wait_for};

/// A console connection.
struct Console {
    stream: TcpStream,
    prompt: String,
}

impl Console {
    /// Connects to `node`'s console and reads its banner.
    async fn open(node: &TestNode) -> (Self, String) {
        let stream = TcpStream::connect(node.running.console_address.unwrap()).await.unwrap();
        let mut console = Self { stream, prompt: format!("{}> ", node.airline()) };
        let banner = console.read_answer().await.expect("a banner");
        (console, banner)
    }

    /// Sends `line`; the answer, or `None` if the node closed the connection.
    async fn send(&mut self, line: &str) -> Option<String> {
        self.stream.write_all(format!("{line}\n").as_bytes()).await.unwrap();
        self.read_answer().await
    }

    /// Reads up to the next prompt; `None` if the connection closes first.
    async fn read_answer(&mut self) -> Option<String> {
        let mut answer = Vec::new();
        let mut byte = [0; 1];
        loop {
            let read = tokio::time::timeout(Duration::from_secs(10), self.stream.read(&mut byte))
                .await
                .unwrap()
                .unwrap();
            if read == 0 {
                return None;
            }
            answer.push(byte[0]);
            if answer.ends_with(self.prompt.as_bytes()) {
                answer.truncate(answer.len() - self.prompt.len());
                return Some(String::from_utf8(answer).unwrap());
            }
        }
    }

    /// Authenticates with the test admin token.
    async fn authenticated(node: &TestNode) -> Self {
        let (mut console, _) = Self::open(node).await;
        assert_eq!(
            console.send(&format!("auth {ADMIN_TOKEN}")).await.unwrap(),
            "ok: authenticated\n"
        );
        console
    }
}

#[tokio::test]
async fn the_console_wants_the_admin_token_before_anything() {
    let node = spawn_node("rumos").await;
    let (mut console, banner) = Console::open(&node).await;
    assert!(
        banner.contains("PassCom") && banner.contains("Rumos") && banner.contains("auth <token>"),
        "{banner}"
    );
    assert!(console.send("help").await.unwrap().contains("addconn <airline> <url>"));
    assert_eq!(console.send("info").await.unwrap(), "error: authenticate first: auth <token>\n");
    assert_eq!(console.send("auth wrong-token").await.unwrap(), "error: wrong token\n");
    assert_eq!(console.send(&format!("auth {ADMIN_TOKEN}")).await.unwrap(), "ok: authenticated\n");
    let info = console.send("info").await.unwrap();
    assert!(info.contains("Rumos (rumos), designator RU"), "{info}");
    assert!(info.contains(&node.running.node.network.public_key().to_string()), "{info}");
    assert_eq!(console.send("quit").await, None, "quit closes the connection");
}

#[tokio::test]
async fn three_wrong_tokens_close_the_connection() {
    let node = spawn_node("rumos").await;
    let (mut console, _) = Console::open(&node).await;
    assert!(console.send("auth a").await.is_some());
    assert!(console.send("auth b").await.is_some());
    assert_eq!(console.send("auth c").await, None);
}

#[tokio::test]
async fn an_unknown_command_is_answered_and_the_connection_stays_open() {
    let node = spawn_node("rumos").await;
    let mut console = Console::authenticated(&node).await;
    assert_eq!(
        console.send("fly-me-to-the-moon now").await.unwrap(),
        "error: unknown command \"fly-me-to-the-moon\"; type help\n"
    );
    assert_eq!(console.send("").await.unwrap(), "");
    let flights = console.send(&format!("flights rumos {}", node.date(1))).await.unwrap();
    assert!(flights.lines().next().unwrap().ends_with("flights"), "{flights}");
    assert!(flights.contains(&format!("RU1100-{}  GRU-GIG", node.date(1))), "{flights}");
    assert!(
        flights.trim_end().ends_with("more; narrow with an airline and a date"),
        "at most 50 are listed: {flights}"
    );
    assert!(console.send("flights nonsense!").await.unwrap().starts_with("error:"));
    assert_eq!(
        console.send("addconn").await.unwrap(),
        "error: usage: addconn <airline> <url> [public-key]\n"
    );
    let no_key = console.send("addconn azul http://127.0.0.1:9").await.unwrap();
    assert!(no_key.starts_with("error: no public key is pinned for azul"), "{no_key}");
    let bad_url = console.send("addconn azul ftp://x AAAA").await.unwrap();
    assert!(bad_url.starts_with("error:"), "{bad_url}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_are_watched_removed_and_added_from_the_console() {
    let network = spawn_network(&["rumos", "giro", "boreal"]).await;
    network.wait_all_online().await;
    let rumos = network.node("rumos");
    let mut console = Console::authenticated(rumos).await;
    let peers = console.send("peers").await.unwrap();
    assert!(
        peers.lines().any(|line| line.starts_with("giro") && line.contains("online")),
        "{peers}"
    );
    let replication = console.send("replication").await.unwrap();
    assert!(replication.lines().any(|line| line.starts_with("boreal")), "{replication}");

    let giro_url = rumos.get("/api/v1/network", None).await.body["peers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["airline"] == "giro")
        .unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(console.send("rmconn giro").await.unwrap(), "ok: giro removed\n");
    assert_eq!(peer_status(rumos, "giro").await, None, "giro is no longer a peer");
    assert_eq!(console.send("rmconn giro").await.unwrap(), "error: giro is not a peer\n");
    let added = console.send(&format!("addconn giro {giro_url}")).await.unwrap();
    assert!(added.starts_with("ok: giro at"), "its key stays pinned: {added}");
    wait_for("giro is online again", || async {
        peer_status(rumos, "giro").await.as_deref() == Some("online")
    })
    .await;
}

#[tokio::test]
async fn shutdown_stops_the_node() {
    let node = spawn_node("rumos").await;
    let mut console = Console::authenticated(&node).await;
    assert_eq!(console.send("shutdown").await, None);
    let url = node.url("/healthz");
    wait_for("the node stops answering", || {
        let client = node.client.clone();
        let url = url.clone();
        async move { client.get(&url).send().await.is_err() }
    })
    .await;
}
