//! A node: one airline's services over its store, built from its configuration.
//!
//! Everything a request handler needs hangs off [`Node`], shared behind an `Arc`. Building a
//! node opens (or creates) its database, brings the reference data and — if configured — the
//! seeded schedule and users up to date, and settles its admin token. Its drivers — the
//! network, the commit protocol, the session sweeper — are built beside it ([`Drivers`]), each
//! from the handles it uses and never from the node, so that each can be started alone; serving
//! the node and starting them is [`crate::startup`]'s business.
//!
//! What is not configuration but a choice of the program that builds the node — its clock, its
//! randomness, whether blocking work runs on threads, how it reaches its peers — comes in
//! [`NodeOptions`]: the system's in production, seeded and simulated twins in the
//! deterministic simulator.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use passcom_core::{Airline, AirlineId, FlightId};
use tokio::sync::watch;

use crate::accounts::{Accounts, PasswordHasher, SessionSweeper};
use crate::api::views::Airports;
use crate::catalog::Catalog;
use crate::clock::{Clock, Entropy, SystemClock, SystemEntropy};
use crate::commit::{self, Commit};
use crate::config::{Backend, Config, Secret};
use crate::execution::Execution;
use crate::network::client::{PeerConnector, tcp_connector};
use crate::network::keys::AirlineKey;
use crate::network::{self, Network};
use crate::sales::{Sales, SalesContext};
use crate::schedule::Schedule;
use crate::seed;
use crate::store::postgres::PostgresStore;
use crate::store::sqlite::{SqliteOptions, SqliteStore};
use crate::store::{SegmentRecord, Store, StoreError, StoreResult};

/// How to build a node, beyond its configuration.
pub struct NodeOptions {
    /// Its time.
    pub clock: Arc<dyn Clock>,
    /// Its randomness: tokens, nonces, salts, references, keys.
    pub entropy: Arc<dyn Entropy>,
    /// Where its store and password hashing run.
    pub execution: Execution,
    /// How it reaches its peers; `None` for TCP.
    pub connector: Option<PeerConnector>,
}

impl NodeOptions {
    /// The given clock and entropy; threads and TCP.
    pub fn new(clock: Arc<dyn Clock>, entropy: Arc<dyn Entropy>) -> Self {
        Self { clock, entropy, execution: Execution::Threads, connector: None }
    }

    /// Production: the system's clock and entropy, threads, TCP.
    pub fn system() -> Self {
        Self::new(Arc::new(SystemClock), Arc::new(SystemEntropy))
    }
}

/// One airline's node.
pub struct Node {
    /// Its configuration.
    pub config: Config,
    /// The airline it is.
    pub airline: Airline,
    /// Everything it stores.
    pub store: Arc<dyn Store>,
    /// Its time.
    pub clock: Arc<dyn Clock>,
    /// Every airport, by code (reference data, fixed while running).
    pub airports: Arc<Airports>,
    /// Accounts and sessions.
    pub accounts: Arc<Accounts>,
    /// Purchases and cancellations.
    pub sales: Sales,
    /// Its own flights, as admins change them.
    pub schedule: Schedule,
    /// Every flight it knows, in memory.
    pub catalog: Arc<Catalog>,
    /// The other airlines.
    pub network: Arc<Network>,
    /// Purchases across airlines.
    pub commit: Arc<Commit>,
    /// Bearer token of the admin API.
    pub admin_token: Secret,
    /// Renders the Prometheus metrics.
    pub metrics: PrometheusHandle,
    /// When it started.
    pub started_at: Timestamp,
    /// Set to ask the node to stop gracefully.
    shutdown: watch::Sender<bool>,
}

/// A node's drivers, built with it and not started yet: what [`crate::startup`] starts. Each
/// holds what it uses, never the node.
pub struct Drivers {
    /// Heartbeats and replication.
    pub network: network::Parts,
    /// The two-phase commit.
    pub commit: commit::Parts,
    /// Expired sessions.
    pub sessions: SessionSweeper,
}

/// Opens the store the configuration names.
async fn open_store(
    config: &Config,
    airline: &Airline,
    execution: Execution,
) -> anyhow::Result<Arc<dyn Store>> {
    match config.storage.backend {
        Backend::Sqlite => {
            let sqlite = SqliteOptions {
                synchronous: config.storage.synchronous,
                execution,
                ..config.limits.sqlite()
            };
            Ok(Arc::new(SqliteStore::open(&config.database_path(), airline, &sqlite)?))
        }
        Backend::Postgres => {
            if execution == Execution::Inline {
                bail!("the PostgreSQL store runs on real threads only; the simulator uses SQLite");
            }
            let url = config.storage.url.as_ref().context("storage.url is not set")?;
            let store =
                PostgresStore::open(url.expose(), airline, &config.storage.postgres()).await?;
            Ok(Arc::new(store))
        }
    }
}

/// Name of the generated admin token's file in the data directory.
const ADMIN_TOKEN_FILE: &str = "admin-token";

impl Node {
    /// Builds the node `config` describes, as `options` say, and its drivers.
    pub async fn open(
        config: Config,
        options: NodeOptions,
    ) -> anyhow::Result<(Arc<Self>, Drivers)> {
        let NodeOptions { clock, entropy, execution, connector } = options;
        let airline = config.airline()?;
        let data_dir = &config.storage.data_dir;
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
        let store = open_store(&config, &airline, execution).await?;
        let airport_list = seed::reference_data(store.as_ref(), &airline).await?;
        let airports: Arc<Airports> =
            Arc::new(airport_list.iter().map(|a| (a.code, a.clone())).collect());
        let hasher = PasswordHasher::new(
            &config.passwords,
            config.limits.password_hashes_concurrent_max,
            entropy.clone(),
            execution,
        )?;
        let accounts = Arc::new(Accounts::new(
            store.clone(),
            clock.clone(),
            entropy.clone(),
            hasher,
            &config.limits,
        ));
        if config.seed.enabled {
            seed::seed(
                store.as_ref(),
                &accounts,
                &airline,
                &airport_list,
                &config.seed,
                clock.now(),
            )
            .await?;
        }
        // Replicas read every own flight again: one may have read seats held by a purchase
        // whose deferred begin a power cut took back (see `CommitStore::begin_purchase`).
        store.log_own_flights(clock.now()).await?;
        let catalog = Arc::new(Catalog::load(store.as_ref()).await?);
        let admin_token = match &config.admin.token {
            Some(token) => token.clone(),
            None => generated_admin_token(data_dir, entropy.as_ref())?,
        };
        let key = AirlineKey::load_or_create(&config.key_path(), entropy.as_ref())?;
        let connector =
            connector.unwrap_or_else(|| tcp_connector(config.network.request_timeout_ms));
        let (network, network_inbox) = Network::new(
            airline.clone(),
            store.clone(),
            key,
            config.network.clone(),
            connector,
            clock.clone(),
            entropy.clone(),
        )?;
        let network = Arc::new(network);
        let (commit, commit_inbox) =
            Commit::new(config.commit.clone(), store.clone(), clock.clone());
        let commit = Arc::new(commit);
        let drivers = Drivers {
            network: network::Parts {
                network: network.clone(),
                inbox: network_inbox,
                catalog: catalog.clone(),
            },
            commit: commit::Parts {
                commit: commit.clone(),
                inbox: commit_inbox,
                network: network.clone(),
                this: airline.id.clone(),
                tick_interval_ms: config.network.tick_interval_ms,
            },
            sessions: SessionSweeper {
                accounts: accounts.clone(),
                interval_ms: config.limits.session_sweep_interval_ms,
            },
        };
        let sales_context = SalesContext {
            clock: clock.clone(),
            entropy: entropy.clone(),
            catalog: catalog.clone(),
            rules: config.connections.clone(),
            network: network.clone(),
            commit: commit.clone(),
        };
        let node = Arc::new(Self {
            sales: Sales::new(store.clone(), airline.id.clone(), sales_context),
            schedule: Schedule::new(
                store.clone(),
                clock.clone(),
                airline.clone(),
                airports.clone(),
                catalog.clone(),
            ),
            started_at: clock.now(),
            metrics: metrics_handle(),
            catalog,
            network,
            commit,
            config,
            airline,
            store,
            clock,
            airports,
            accounts,
            admin_token,
            shutdown: watch::Sender::new(false),
        });
        Ok((node, drivers))
    }

    /// Asks the node to stop gracefully (the console's `shutdown`).
    pub fn request_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// Completes once the node was asked to stop.
    pub async fn shutdown_requested(&self) {
        let mut requested = self.shutdown.subscribe();
        let _ = requested.wait_for(|requested| *requested).await;
    }

    /// Whether `flight` is one of this airline's own flights.
    pub fn owns(&self, flight: FlightId) -> bool {
        self.catalog.get(flight).is_some_and(|known| known.airline == self.airline.id)
    }

    /// This airline's record of the segments on its own `flight`, once what it shows is on
    /// disk: a participant's commit is answered before its fsync (a deferred write), and the
    /// record must not show a sale that a power cut could take back.
    pub async fn flight_segments(&self, flight: FlightId) -> StoreResult<Vec<SegmentRecord>> {
        if !self.owns(flight) {
            return Err(StoreError::FlightNotFound(flight));
        }
        let records = self.store.flight_segments(flight).await?;
        self.store.sync().await?;
        Ok(records)
    }

    /// Whether airline `id` is reachable now (this node always is, to itself).
    pub fn is_online(&self, id: &AirlineId) -> bool {
        self.network.is_online(id)
    }
}

/// The admin token kept in the data directory, made on first start.
fn generated_admin_token(data_dir: &Path, entropy: &dyn Entropy) -> anyhow::Result<Secret> {
    let path = data_dir.join(ADMIN_TOKEN_FILE);
    if let Ok(token) = std::fs::read_to_string(&path) {
        return Ok(Secret::new(token.trim()));
    }
    let mut bytes = [0; 24];
    entropy.fill(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(file, "{token}")?;
    tracing::info!(path = %path.display(), "generated an admin token");
    Ok(Secret::new(token))
}

/// The process's metrics recorder: one for the whole process, however many nodes it runs.
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .install_recorder()
                .expect("no other metrics recorder is installed")
        })
        .clone()
}
