//! A TCP proxy that puts distance between two test hosts.
//!
//! The tests that run airlines on separate hosts (`scripts/hosts`) give each airline its own
//! network namespace. Real airlines are tens of milliseconds apart, but this machine's kernel has
//! no `netem` to delay packets, so every link between two hosts goes through this proxy instead:
//! a node reaches each peer at a port of the proxy on its own host, and the proxy carries the
//! bytes on to the peer's host, each chunk half a round trip late (give or take the jitter) in
//! each direction. Chunks of one connection keep their order, as TCP's bytes do: a chunk is never
//! delivered before the one read ahead of it.
//!
//! A link can be *cut*: a partition, as the network would make it. Nothing crosses a cut link.
//! Connections open when it was cut, and connections opened while it is cut, stall — their bytes
//! sit unread, as if the packets were dropped — and are closed when the link heals, as the
//! sockets of a real partition would by then have timed out; new connections after the heal
//! cross again. So a peer sees what distance and partitions really look like to it: late
//! answers and timeouts, not refused connections.
//!
//! The proxy is steered through its control port, a line protocol on the host's loopback (see
//! [`Control`]), so a test or an operator's nemesis can cut, heal and re-time links while it runs.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

/// How a link behaves now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// The round trip it adds: each direction carries bytes half of it late.
    pub rtt_ms: u64,
    /// Each chunk's delay in each direction varies by up to this much, either way.
    pub jitter_ms: u64,
}

impl Timing {
    /// How late one chunk crosses in one direction.
    fn one_way_delay(&self) -> Duration {
        let base = self.rtt_ms as f64 / 2.0;
        let jitter = self.jitter_ms as f64;
        let delay = if jitter > 0.0 { base + rand::random_range(-jitter..=jitter) } else { base };
        Duration::from_secs_f64(delay.max(0.0) / 1000.0)
    }
}

/// A link's state: its timing, and whether it is cut. `cuts` counts the cuts so far, so that a
/// connection knows whether a cut came since it opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct State {
    timing: Timing,
    cut: bool,
    cuts: u64,
}

/// One link: a port on this host that carries connections to a peer's host.
pub struct Link {
    /// What the control port calls it (usually the peer's airline).
    pub name: String,
    /// Where it is reached, on this host.
    pub listen: SocketAddr,
    /// Where it leads.
    pub target: SocketAddr,
    state: watch::Sender<State>,
}

/// The largest chunk read at once.
const CHUNK_BYTES_MAX: usize = 64 * 1024;

/// Chunks read ahead of the one being delivered, per direction of a connection: past them the
/// sender waits, as TCP's window would make it.
const CHUNKS_IN_FLIGHT_MAX: usize = 64;

impl Link {
    /// A link that carries connections from `listen` to `target` as `timing` says.
    pub fn new(name: String, listen: SocketAddr, target: SocketAddr, timing: Timing) -> Self {
        let state = watch::Sender::new(State { timing, cut: false, cuts: 0 });
        Self { name, listen, target, state }
    }

    /// Cuts the link (nothing crosses until it heals). Cutting a cut link changes nothing.
    pub fn cut(&self) {
        self.state.send_if_modified(|state| {
            let was_cut = std::mem::replace(&mut state.cut, true);
            state.cuts += u64::from(!was_cut);
            !was_cut
        });
    }

    /// Heals the link: connections that a cut stalled close, new ones cross.
    pub fn heal(&self) {
        self.state.send_if_modified(|state| std::mem::replace(&mut state.cut, false));
    }

    /// Re-times the link, for connections open now and to come.
    pub fn set_timing(&self, timing: Timing) {
        self.state.send_modify(|state| state.timing = timing);
    }

    /// One line saying how the link is now.
    pub fn describe(&self) -> String {
        let state = *self.state.borrow();
        format!(
            "{} {} -> {} rtt_ms={} jitter_ms={} {}",
            self.name,
            self.listen,
            self.target,
            state.timing.rtt_ms,
            state.timing.jitter_ms,
            if state.cut { "cut" } else { "up" }
        )
    }

    /// Carries every connection that `listener` accepts, until the process ends.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) {
        loop {
            match listener.accept().await {
                Ok((client, _)) => {
                    tokio::spawn(self.clone().carry(client));
                }
                Err(error) => {
                    eprintln!("latency-proxy: {}: accept failed: {error}", self.name);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    /// Carries one connection both ways until either side closes it or a cut stalls it.
    async fn carry(self: Arc<Self>, client: TcpStream) {
        let mut state = self.state.subscribe();
        let cuts = state.borrow_and_update().cuts;
        let mut crossing = std::pin::pin!(async {
            let Ok(server) = TcpStream::connect(self.target).await else { return };
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            let (client_reads, client_writes) = client.into_split();
            let (server_reads, server_writes) = server.into_split();
            let _ = tokio::join!(
                self.delay(client_reads, server_writes),
                self.delay(server_reads, client_writes)
            );
        });
        tokio::select! {
            () = &mut crossing => return,
            _ = state.wait_for(|now| now.cut || now.cuts != cuts) => {}
        }
        // Stalled: the connection's future, and with it both sockets, is held without being
        // polled, so nothing is read or written, until the link heals; returning then drops it,
        // which closes both.
        let _ = state.wait_for(|now| !now.cut).await;
    }

    /// Carries one direction: every chunk read from `from` is written to `to` one way's delay
    /// after it was read, in order.
    async fn delay(&self, mut from: OwnedReadHalf, mut to: OwnedWriteHalf) -> std::io::Result<()> {
        let (chunks, mut due) = mpsc::channel::<(Instant, Vec<u8>)>(CHUNKS_IN_FLIGHT_MAX);
        let reading = async move {
            let mut last_due = Instant::now();
            loop {
                let mut chunk = vec![0; CHUNK_BYTES_MAX];
                let read = from.read(&mut chunk).await?;
                if read == 0 {
                    return Ok::<_, std::io::Error>(());
                }
                chunk.truncate(read);
                let timing = self.state.borrow().timing;
                last_due = last_due.max(Instant::now() + timing.one_way_delay());
                if chunks.send((last_due, chunk)).await.is_err() {
                    return Ok(());
                }
            }
        };
        let writing = async move {
            while let Some((at, chunk)) = due.recv().await {
                tokio::time::sleep_until(at).await;
                to.write_all(&chunk).await?;
            }
            to.shutdown().await
        };
        let (read, written) = tokio::join!(reading, writing);
        read.and(written)
    }
}

/// The control port: one command a line, each answered by lines ending with `ok` or
/// `error: …`. A link is named, or `*` for every link.
///
/// ```text
/// status                      one line per link
/// cut NAME|*                  nothing crosses
/// heal NAME|*                 stalled connections close, new ones cross
/// delay NAME|* RTT_MS [JITTER_MS]
/// ```
pub struct Control {
    links: BTreeMap<String, Arc<Link>>,
}

impl Control {
    /// Steers `links`.
    pub fn new(links: impl IntoIterator<Item = Arc<Link>>) -> Self {
        Self { links: links.into_iter().map(|link| (link.name.clone(), link)).collect() }
    }

    /// Answers every connection that `listener` accepts.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(self.clone().answer(stream));
        }
    }

    async fn answer(self: Arc<Self>, stream: TcpStream) {
        let (reads, mut writes) = stream.into_split();
        let mut lines = BufReader::new(reads).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let answer = match self.run(&line) {
                Ok(text) => format!("{text}ok\n"),
                Err(error) => format!("error: {error}\n"),
            };
            if writes.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
        }
    }

    /// Carries out one command line; the text before the final `ok`.
    pub fn run(&self, line: &str) -> Result<String, String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["status"] => Ok(self.links.values().map(|link| link.describe() + "\n").collect()),
            ["cut", name] => self.each(name, |link| link.cut()),
            ["heal", name] => self.each(name, |link| link.heal()),
            ["delay", name, rtt] => self.delay(name, rtt, "0"),
            ["delay", name, rtt, jitter] => self.delay(name, rtt, jitter),
            _ => Err(format!("unknown command {line:?}; try status, cut, heal, delay")),
        }
    }

    fn delay(&self, name: &str, rtt: &str, jitter: &str) -> Result<String, String> {
        let parse =
            |text: &str| text.parse::<u64>().map_err(|_| format!("not milliseconds: {text}"));
        let timing = Timing { rtt_ms: parse(rtt)?, jitter_ms: parse(jitter)? };
        self.each(name, |link| link.set_timing(timing))
    }

    fn each(&self, name: &str, apply: impl Fn(&Link)) -> Result<String, String> {
        let chosen: Vec<&Arc<Link>> = match name {
            "*" => self.links.values().collect(),
            name => vec![self.links.get(name).ok_or_else(|| format!("no link {name}"))?],
        };
        chosen.into_iter().for_each(|link| apply(link));
        Ok(String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An echo server on loopback; its address.
    async fn echo_server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let (mut reads, mut writes) = stream.into_split();
                    let _ = tokio::io::copy(&mut reads, &mut writes).await;
                });
            }
        });
        address
    }

    /// A link to an echo server, serving; the link.
    async fn link_to_echo(rtt_ms: u64) -> Arc<Link> {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let timing = Timing { rtt_ms, jitter_ms: 0 };
        let link = Arc::new(Link::new(
            "echo".into(),
            listener.local_addr().unwrap(),
            echo_server().await,
            timing,
        ));
        tokio::spawn(link.clone().serve(listener));
        link
    }

    /// Sends `message` through `link` and reads the echo, within `wait`.
    async fn round_trip(link: &Link, message: &[u8], wait: Duration) -> Option<Vec<u8>> {
        let mut stream = TcpStream::connect(link.listen).await.unwrap();
        stream.write_all(message).await.unwrap();
        let mut echo = vec![0; message.len()];
        match tokio::time::timeout(wait, stream.read_exact(&mut echo)).await {
            Ok(Ok(_)) => Some(echo),
            _ => None,
        }
    }

    #[tokio::test]
    async fn a_round_trip_takes_at_least_the_links_rtt_and_keeps_the_bytes_in_order() {
        let link = link_to_echo(120).await;
        let message: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let started = Instant::now();
        let echo = round_trip(&link, &message, Duration::from_secs(10)).await;
        assert!(started.elapsed() >= Duration::from_millis(120), "{:?}", started.elapsed());
        assert_eq!(echo.as_deref(), Some(&message[..]));
    }

    #[tokio::test]
    async fn nothing_crosses_a_cut_link_and_a_healed_one_carries_new_connections() {
        let link = link_to_echo(0).await;
        let mut before = TcpStream::connect(link.listen).await.unwrap();
        before.write_all(b"ping").await.unwrap();
        before.read_exact(&mut [0; 4]).await.unwrap();
        link.cut();
        assert_eq!(round_trip(&link, b"lost", Duration::from_millis(300)).await, None);
        before.write_all(b"also lost").await.unwrap();
        let mut echo = [0; 9];
        let stalled = tokio::time::timeout(Duration::from_millis(300), before.read(&mut echo));
        assert!(stalled.await.is_err(), "a connection open at the cut stalls");
        link.heal();
        let closed = tokio::time::timeout(Duration::from_secs(5), before.read(&mut echo)).await;
        assert!(matches!(closed, Ok(Ok(0)) | Ok(Err(_))), "the heal closes it: {closed:?}");
        let again = round_trip(&link, b"pong", Duration::from_secs(5)).await;
        assert_eq!(again.as_deref(), Some(&b"pong"[..]));
    }

    #[tokio::test]
    async fn the_control_port_cuts_heals_and_retimes_links_by_name() {
        let link = link_to_echo(0).await;
        let control = Control::new([link.clone()]);
        assert_eq!(control.run("delay echo 40 5"), Ok(String::new()));
        assert_eq!(control.run("cut *"), Ok(String::new()));
        let status = control.run("status").unwrap();
        assert!(status.starts_with("echo ") && status.contains("rtt_ms=40 jitter_ms=5 cut"));
        assert_eq!(control.run("heal echo"), Ok(String::new()));
        assert!(control.run("status").unwrap().ends_with("up\n"));
        assert!(control.run("cut nowhere").unwrap_err().contains("no link nowhere"));
        assert!(control.run("delay echo fast").unwrap_err().contains("not milliseconds"));
        assert!(control.run("explode").is_err());
    }
}
