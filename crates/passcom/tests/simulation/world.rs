//! The simulated world: three airline nodes on turmoil hosts, their data on disk, the clock.
//!
//! Each airline runs the real node — `Node::open` and `startup::serve`, its config read from
//! the repository's `config/<airline>.toml` — with only what must differ in a simulation
//! changed: host names for addresses, a data directory of the seed's own, keys pinned to each
//! other, a short seeded schedule without the original system's users, cheap password hashes, `synchronous = "normal"` (a crash
//! here is `kill -9`, never a power cut) and the node's seams set to their simulated twins:
//! a clock that reads turmoil's time, seeded entropy, inline execution, turmoil's network.
//!
//! A host's software is a closure that turmoil calls again on every restart (`bounce`): it
//! opens the same database file, so what a node committed before a crash is what it finds.
//! Each start draws its entropy from a new stream (seed, airline, incarnation), so a restarted
//! node does not repeat the tokens and nonces of its previous life, yet replays exactly.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, SystemTime};

use figment::Figment;
use figment::providers::{Format as _, Serialized, Toml};
use jiff::Timestamp;
use passcom::clock::{Clock, SeededEntropy};
use passcom::config::{Config, PeerConfig, Secret};
use passcom::execution::Execution;
use passcom::network::keys::AirlineKey;
use passcom::node::{Node, NodeOptions};
use passcom::startup::{self, Listeners};
use passcom::store::sqlite::Synchronous;
use passcom_core::AirlineId;
use tempfile::TempDir;

use crate::net::{SimListener, sim_connector};

/// The airlines and their HTTP ports (the reference deployment's).
pub const AIRLINES: [(&str, u16); 3] = [("rumos", 7777), ("giro", 8888), ("boreal", 9999)];

/// The admin token of every simulated node.
pub const ADMIN_TOKEN: &str = "simulation-admin-token-0123456789";

/// When every simulation starts: a fixed instant, so that schedules and dates replay.
pub const EPOCH: &str = "2026-12-01T12:00:00Z";

/// Days of generated schedule each airline publishes.
const SEED_DAYS: u32 = 1;

/// The simulation's clock: the fixed epoch plus turmoil's elapsed time of the host reading it.
#[derive(Debug, Default)]
pub struct SimClock;

impl Clock for SimClock {
    fn now(&self) -> Timestamp {
        let since_epoch = turmoil::since_epoch().expect("the clock is read inside the simulation");
        Timestamp::from_nanosecond(since_epoch.as_nanos() as i128)
            .expect("simulated time stays in range")
    }
}

/// The epoch as turmoil wants it.
pub fn epoch() -> SystemTime {
    let epoch: Timestamp = EPOCH.parse().expect("the epoch parses");
    SystemTime::UNIX_EPOCH + Duration::from_millis(epoch.as_millisecond() as u64)
}

/// One airline of the world.
pub struct Airline {
    /// Its id, also its host name.
    pub id: &'static str,
    /// Its HTTP port.
    pub port: u16,
    /// Its configuration.
    pub config: Config,
    /// The node running now, if one is (a crash drops it; the handle does not keep it alive).
    pub live: Arc<Mutex<Weak<Node>>>,
    /// How many times its software has started.
    pub starts: Arc<AtomicU64>,
}

impl Airline {
    /// Its database file.
    pub fn database(&self) -> PathBuf {
        self.config.database_path()
    }

    /// The node running now, if any.
    pub fn node(&self) -> Option<Arc<Node>> {
        self.live.lock().expect("never poisoned").upgrade()
    }
}

/// The URL of `host` on `port`.
pub fn url(host: &str, port: u16) -> String {
    format!("http://{host}:{port}")
}

/// The three airlines of one seed, their data in a directory of their own.
pub struct World {
    /// The airlines, in [`AIRLINES`] order.
    pub airlines: Vec<Airline>,
    _dir: TempDir,
}

impl World {
    /// The world of `seed`: configs read from the repository, keys made and pinned.
    pub fn new(seed: u64) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let keys: Vec<String> = AIRLINES
            .iter()
            .enumerate()
            .map(|(index, (id, _))| {
                let data_dir = dir.path().join(id);
                std::fs::create_dir_all(&data_dir).expect("the data directory is made");
                let entropy = SeededEntropy::new(stream(seed, index as u64, u64::MAX));
                let key = AirlineKey::generate(&entropy);
                key.write_new(&data_dir.join("peer.key")).expect("the key is written");
                key.public_key().to_string()
            })
            .collect();
        let airlines = AIRLINES
            .iter()
            .map(|&(id, port)| Airline {
                id,
                port,
                config: config(id, &dir.path().join(id), &keys),
                live: Arc::default(),
                starts: Arc::default(),
            })
            .collect();
        Self { airlines, _dir: dir }
    }

    /// Registers every airline's node as a turmoil host.
    pub fn install(&self, sim: &mut turmoil::Sim<'_>, seed: u64) {
        for (index, airline) in self.airlines.iter().enumerate() {
            let (config, live, starts) =
                (airline.config.clone(), airline.live.clone(), airline.starts.clone());
            let port = airline.port;
            sim.host(airline.id, move || {
                let incarnation = starts.fetch_add(1, Ordering::SeqCst);
                let entropy = SeededEntropy::new(stream(seed, index as u64, incarnation));
                run_node(config.clone(), port, entropy, live.clone())
            });
        }
    }
}

/// One life of a node: open it, then serve until crashed.
async fn run_node(
    config: Config,
    port: u16,
    entropy: SeededEntropy,
    live: Arc<Mutex<Weak<Node>>>,
) -> turmoil::Result {
    let options = NodeOptions {
        clock: Arc::new(SimClock),
        entropy: Arc::new(entropy),
        execution: Execution::Inline,
        connector: Some(sim_connector()),
    };
    let http = SimListener::bind(port).await?;
    let (node, drivers) = Node::open(config, options).await?;
    *live.lock().expect("never poisoned") = Arc::downgrade(&node);
    startup::serve(node, drivers, Listeners { http, console: None }, std::future::pending())
        .await?;
    Ok(())
}

/// `airline`'s configuration: the repository's file over the defaults — not the environment,
/// which is the developer's and would change the run (`PASSCOM_SIM_SEED` is no config key) —
/// with what a simulation needs changed.
fn config(airline: &str, data_dir: &Path, keys: &[String]) -> Config {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../config/{airline}.toml"));
    let defaults = Config::for_airline(AirlineId::parse(airline).expect("a valid airline id"));
    let mut config: Config = Figment::from(Serialized::defaults(defaults))
        .merge(Toml::file_exact(&file))
        .extract()
        .expect("the repository's config loads");
    config.storage.data_dir = data_dir.to_owned();
    config.storage.synchronous = Synchronous::Normal;
    config.admin.token = Some(Secret::new(ADMIN_TOKEN));
    config.console.enabled = false;
    config.seed.days = SEED_DAYS;
    // Buyers make their own accounts; ten imported ones would only cost hashes at each start.
    config.seed.original_users = false;
    config.passwords.memory_kib = 64;
    config.passwords.iterations = 1;
    config.check().expect("the simulation's config is valid");
    config.network.peers = AIRLINES
        .iter()
        .zip(keys)
        .filter(|((id, _), _)| *id != airline)
        .map(|(&(id, port), key)| PeerConfig {
            airline: AirlineId::parse(id).expect("a valid airline id"),
            url: url(id, port),
            public_key: Some(key.clone()),
        })
        .collect();
    config
}

/// A seed for one stream of randomness: `seed`'s, for `part` of the world, in `life`.
pub fn stream(seed: u64, part: u64, life: u64) -> u64 {
    splitmix(splitmix(splitmix(seed) ^ part) ^ life)
}

/// SplitMix64's finaliser: spreads nearby inputs far apart.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}
