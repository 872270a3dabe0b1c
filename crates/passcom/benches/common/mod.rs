//! What the benchmarks that load real `passcom serve` processes share: starting nodes, making
//! customers, reading percentiles, and writing a section of `docs/benchmarks.md`.

#![allow(dead_code)] // each benchmark uses its own part

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use passcom::clock::SystemEntropy;
use passcom::network::keys::AirlineKey;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// A release `passcom serve` in its own process.
pub struct NodeProcess {
    _child: tokio::process::Child,
    pub url: String,
    /// Its process id.
    pub pid: u32,
}

impl NodeProcess {
    /// Starts `passcom serve --config config` and waits until it serves.
    pub async fn start(config: &Path) -> anyhow::Result<Self> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_passcom"))
            .args(["serve", "--config"])
            .arg(config)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let pid = child.id().context("the node has no process id")?;
        let mut lines = BufReader::new(child.stdout.take().context("no stdout")?).lines();
        while let Some(line) = lines.next_line().await? {
            if let Some((_, url)) = line.split_once(" serving on ") {
                return Ok(Self { _child: child, url: url.trim().to_owned(), pid });
            }
        }
        anyhow::bail!("the node exited before serving")
    }
}

/// The admin token of every node [`write_config`] configures.
pub const ADMIN_TOKEN: &str = "benchmark-admin-token";

/// The configuration of a benchmark node of `airline` in `dir`: `days` of schedule, fsync on,
/// cheap password hashing (accounts are not what is measured), room for a thousand buyers'
/// connections and registrations from loopback, and `more` TOML after.
pub fn write_config(dir: &Path, airline: &str, listen: &str, days: u32, more: &str) -> PathBuf {
    let config = dir.join(format!("{airline}.toml"));
    let text = format!(
        "[airline]\nid = \"{airline}\"\n[http]\nlisten = \"{listen}\"\nconnections_per_client_max = 4096\n[console]\nenabled = false\n\
         [storage]\ndata_dir = \"{}\"\n[admin]\ntoken = \"{ADMIN_TOKEN}\"\n\
         [seed]\ndays = {days}\noriginal_users = false\n[passwords]\nmemory_kib = 64\niterations = 1\n\
         [limits]\nregistrations_per_client_max = 100000\n{more}",
        dir.join(airline).display()
    );
    std::fs::write(&config, text).expect("the scratch directory is writable");
    config
}

/// Three airlines as processes on loopback, each pinning the others' keys; by airline.
pub async fn start_network(
    dir: &Path,
    airlines: &[&str],
    days: u32,
) -> anyhow::Result<BTreeMap<String, NodeProcess>> {
    let mut ports = BTreeMap::new();
    let mut keys = BTreeMap::new();
    for airline in airlines {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        ports.insert(*airline, port);
        std::fs::create_dir_all(dir.join(airline))?;
        let key = AirlineKey::generate(&SystemEntropy);
        key.write_new(&dir.join(airline).join("peer.key"))?;
        keys.insert(*airline, key.public_key().to_string());
    }
    let mut nodes = BTreeMap::new();
    for airline in airlines {
        let mut peers = String::new();
        for peer in airlines.iter().filter(|peer| *peer != airline) {
            peers.push_str(&format!(
                "[[network.peers]]\nairline = \"{peer}\"\nurl = \"http://127.0.0.1:{}\"\npublic_key = \"{}\"\n",
                ports[peer], keys[peer]
            ));
        }
        let listen = format!("127.0.0.1:{}", ports[airline]);
        let config = write_config(dir, airline, &listen, days, &peers);
        nodes.insert(airline.to_string(), NodeProcess::start(&config).await?);
    }
    Ok(nodes)
}

/// Registers `count` customers at `url` and logs them in; their tokens.
pub async fn customers(
    client: &reqwest::Client,
    url: &str,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let mut tokens = Vec::new();
    for i in 0..count {
        let username = format!("bench{i}");
        let password = "benchmark-password";
        client
            .post(format!("{url}/api/v1/auth/register"))
            .json(&json!({"username": username, "password": password, "name": "Bench"}))
            .send()
            .await?
            .error_for_status()?;
        let login: Value = client
            .post(format!("{url}/api/v1/auth/login"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await?
            .json()
            .await?;
        tokens.push(login["token"].as_str().context("no token")?.to_owned());
    }
    Ok(tokens)
}

/// What a purchase's answer was: its status and error code (`"201"`, `"409 seat_unavailable"`),
/// or why there was none.
pub async fn answer_kind(sent: reqwest::Result<reqwest::Response>) -> String {
    match sent {
        Ok(response) => {
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or_default();
            match body["error"]["code"].as_str() {
                Some(code) => format!("{status} {code}"),
                None => status.to_string(),
            }
        }
        Err(error) => format!("no answer ({error})"),
    }
}

/// Every flight `url` lists, as JSON.
pub async fn all_flights(client: &reqwest::Client, url: &str) -> anyhow::Result<Vec<Value>> {
    let mut flights = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_url = match &cursor {
            Some(cursor) => format!("{url}/api/v1/flights?limit=1000&cursor={cursor}"),
            None => format!("{url}/api/v1/flights?limit=1000"),
        };
        let page: Value = client.get(page_url).send().await?.json().await?;
        flights.extend(page["flights"].as_array().context("no flights")?.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return Ok(flights),
        }
    }
}

/// Every flight of the network, once every node lists every airline's flights.
pub async fn replicated_catalog(
    client: &reqwest::Client,
    nodes: &BTreeMap<String, NodeProcess>,
) -> anyhow::Result<Vec<Value>> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut counts = Vec::new();
        let mut flights = Vec::new();
        for node in nodes.values() {
            flights = all_flights(client, &node.url).await?;
            let airlines: std::collections::BTreeSet<&str> =
                flights.iter().filter_map(|f| f["airline"].as_str()).collect();
            counts.push((flights.len(), airlines.len()));
        }
        let everywhere = counts.iter().all(|count| *count == (counts[0].0, nodes.len()));
        if everywhere {
            return Ok(flights);
        }
        anyhow::ensure!(Instant::now() < deadline, "the catalogs did not converge: {counts:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The processor time process `pid` (`"self"` for this one) has used so far, every thread's,
/// in seconds: user and system time from `/proc/<pid>/stat`, which counts in Linux's fixed
/// `USER_HZ` of 100 ticks a second.
pub fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name, in parentheses, may hold spaces: count fields after its end.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let ticks = |index: usize| fields.get(index).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// The `p`-quantile of sorted `latencies`, in milliseconds.
pub fn percentile(latencies: &[Duration], p: f64) -> f64 {
    if latencies.is_empty() {
        return 0.0;
    }
    let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
    latencies[index].as_secs_f64() * 1000.0
}

/// Replaces the section between `<!-- name:start -->` and `<!-- name:end -->` in
/// `docs/benchmarks.md` with `markdown` (appending it if there is none).
pub fn write_section(name: &str, markdown: &str) -> anyhow::Result<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/benchmarks.md");
    let (start, end) = (format!("<!-- {name}:start -->"), format!("<!-- {name}:end -->"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let section = format!("{start}\n{markdown}\n{end}");
    let updated = match (text.find(&start), text.find(&end)) {
        (Some(from), Some(to)) => format!("{}{section}{}", &text[..from], &text[to + end.len()..]),
        _ => format!("{text}\n{section}\n"),
    };
    std::fs::write(&path, updated)?;
    Ok(path)
}

/// "Measured <date> on <CPU> (<n> cores)."
pub fn measured_on() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!(
        "Measured {} on {} ({cores} cores).",
        jiff::Timestamp::now().strftime("%Y-%m-%d"),
        model.unwrap_or_else(|| "an unknown CPU".into())
    )
}
