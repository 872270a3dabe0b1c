//! The `passcom` command line.

use std::io::IsTerminal as _;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use bytes::Bytes;
use clap::{Parser, Subcommand};
use http_body_util::Empty;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use passcom_core::AirlineId;
use passcom_core::reference::reference_airlines;
use tokio::io::AsyncWriteExt as _;
use tracing_subscriber::EnvFilter;

use crate::clock::SystemEntropy;
use crate::config::{Config, PeerConfig};
use crate::network::keys::AirlineKey;
use crate::node::NodeOptions;
use crate::startup::{self, RunningNode};

/// PassCom: ticket sales for a network of independent airlines.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs one airline's node.
    Serve {
        /// Its configuration file (see config/rumos.toml).
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Runs the reference network: Rumos, Giro and Boreal on 7777, 8888 and 9999, connected.
    Demo {
        /// Where the three airlines keep their data.
        #[arg(long, default_value = "data/demo")]
        data_dir: PathBuf,
    },
    /// Talks to a node's admin console (as `nc` would).
    Console {
        /// The console's address, like 127.0.0.1:7770.
        address: String,
    },
    /// Makes an airline key file and prints its public key, to pin in the peers' configs.
    Keygen {
        /// Where to write the key (it must not exist, unless `--keep`).
        #[arg(long, default_value = "peer.key")]
        out: PathBuf,
        /// Also writes the public key to this file (for `network.peer_keys_dir`).
        #[arg(long)]
        public_out: Option<PathBuf>,
        /// Keeps the key already at `--out`, if there is one, instead of refusing: for a
        /// deployment that makes the key on its first start only.
        #[arg(long)]
        keep: bool,
    },
    /// Exits 0 if the node of this configuration answers on its HTTP port (a container's
    /// health check).
    Healthcheck {
        /// The node's configuration file, as given to `serve`.
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Prints the OpenAPI document of the customer and admin API.
    Openapi,
    /// Runs a fault campaign against a running network: a seeded workload while a nemesis
    /// applies faults, then a check of every invariant (see docs/architecture.md).
    Campaign(Box<passcom_campaign::Args>),
}

/// Runs the command line; the exit code says how it went.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let outcome = match cli.command {
        Command::Serve { config } => block_on(serve(config)),
        Command::Demo { data_dir } => block_on(demo(data_dir)),
        Command::Console { address } => block_on(console(address)),
        Command::Keygen { out, public_out, keep } => keygen(&out, public_out.as_deref(), keep),
        Command::Healthcheck { config } => block_on(healthcheck(config)),
        Command::Openapi => print_openapi(),
        Command::Campaign(args) => block_on(passcom_campaign::main(*args)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("passcom: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, coloured only on a terminal: a container's log or a file gets plain text.
fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}

fn block_on(future: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(future)
}

async fn serve(config_path: PathBuf) -> anyhow::Result<()> {
    let config = Config::load(Some(&config_path))?;
    let mut running = startup::start(config, NodeOptions::system()).await?;
    println!("{} serving on {}", running.node.airline.name, running.url());
    if let Some(console) = running.console_address {
        println!("console on {console}");
    }
    tokio::select! {
        () = shutdown_signal() => {
            tracing::info!("shutting down");
            running.stop().await
        }
        stopped = running.stopped() => stopped,
    }
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM can be watched");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}

/// The reference network's ports: HTTP, console.
const DEMO_PORTS: [(&str, u16, u16); 3] =
    [("rumos", 7777, 7770), ("giro", 8888, 7771), ("boreal", 9999, 7772)];

/// The configurations of the three reference airlines, each pinning the others' keys.
fn demo_configs(data_dir: &Path) -> anyhow::Result<Vec<Config>> {
    let mut keys = Vec::new();
    for (airline, _, _) in DEMO_PORTS {
        let path = data_dir.join(airline).join("peer.key");
        keys.push(AirlineKey::load_or_create(&path, &SystemEntropy)?.public_key().to_string());
    }
    let configs = DEMO_PORTS.iter().map(|&(airline, http, console)| {
        let mut config =
            Config::for_airline(AirlineId::parse(airline).expect("reference ids are valid"));
        config.http.listen = ([127, 0, 0, 1], http).into();
        config.console.listen = ([127, 0, 0, 1], console).into();
        config.storage.data_dir = data_dir.join(airline);
        config.network.peers = DEMO_PORTS
            .iter()
            .zip(&keys)
            .filter(|((peer, _, _), _)| *peer != airline)
            .map(|(&(peer, port, _), key)| PeerConfig {
                airline: AirlineId::parse(peer).expect("reference ids are valid"),
                url: format!("http://127.0.0.1:{port}"),
                public_key: Some(key.clone()),
            })
            .collect();
        config
    });
    Ok(configs.collect())
}

async fn demo(data_dir: PathBuf) -> anyhow::Result<()> {
    debug_assert_eq!(reference_airlines().len(), DEMO_PORTS.len());
    let mut running: Vec<RunningNode> = Vec::new();
    for config in demo_configs(&data_dir)? {
        config.check()?;
        running.push(startup::start(config, NodeOptions::system()).await?);
    }
    println!("PassCom demo: three airlines, connected, data in {}\n", data_dir.display());
    for node in &running {
        println!(
            "  {:<7} {}  console {}  admin token {}",
            node.node.airline.name,
            node.url(),
            node.console_address.map_or("off".to_owned(), |a| a.to_string()),
            node.node.admin_token.expose()
        );
    }
    println!("\nAPI docs at /api/docs/ on each. Ctrl-C stops all three.");
    shutdown_signal().await;
    tracing::info!("shutting down the demo");
    for node in running {
        node.stop().await?;
    }
    Ok(())
}

/// Connects stdin and stdout to a console until either side closes.
async fn console(address: String) -> anyhow::Result<()> {
    let stream = tokio::net::TcpStream::connect(&address)
        .await
        .with_context(|| format!("cannot connect to {address}"))?;
    let (mut from_node, mut to_node) = stream.into_split();
    let typing = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut tokio::io::stdin(), &mut to_node).await;
        let _ = to_node.shutdown().await;
    });
    tokio::io::copy(&mut from_node, &mut tokio::io::stdout()).await?;
    typing.abort();
    Ok(())
}

fn keygen(out: &Path, public_out: Option<&Path>, keep: bool) -> anyhow::Result<()> {
    let key = if keep {
        AirlineKey::load_or_create(out, &SystemEntropy)?
    } else {
        let key = AirlineKey::generate(&SystemEntropy);
        key.write_new(out)?;
        key
    };
    let public_key = key.public_key().to_string();
    if let Some(path) = public_out {
        write_replacing(path, &format!("{public_key}\n"))?;
    }
    println!("{public_key}");
    eprintln!(
        "key in {}; pin the public key above in the peers' configs (network.peers.public_key)",
        out.display()
    );
    Ok(())
}

/// Writes `text` to `path` through a temporary file renamed over it, so that no reader ever
/// sees half of it.
fn write_replacing(path: &Path, text: &str) -> anyhow::Result<()> {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, text)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Longest a health check waits for the node's answer.
const HEALTHCHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// Asks the node of `config_path` for `/healthz` on its own HTTP port (loopback when it
/// listens on every address).
async fn healthcheck(config_path: PathBuf) -> anyhow::Result<()> {
    let config = Config::load(Some(&config_path))?;
    let mut address = config.http.listen;
    if address.ip().is_unspecified() {
        address.set_ip(if address.is_ipv4() {
            Ipv4Addr::LOCALHOST.into()
        } else {
            Ipv6Addr::LOCALHOST.into()
        });
    }
    let uri: hyper::Uri = format!("http://{address}/healthz").parse()?;
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let answer = tokio::time::timeout(HEALTHCHECK_TIMEOUT, client.get(uri.clone()))
        .await
        .with_context(|| format!("{uri} did not answer within {HEALTHCHECK_TIMEOUT:?}"))?
        .with_context(|| format!("cannot reach {uri}"))?;
    anyhow::ensure!(answer.status().is_success(), "{uri} answered {}", answer.status());
    Ok(())
}

fn print_openapi() -> anyhow::Result<()> {
    println!("{}", crate::api::openapi().to_pretty_json()?);
    Ok(())
}
