//! The node's configuration: one typed struct, defaults in code, a TOML file over them, and
//! environment variables over that.
//!
//! `PASSCOM_<SECTION>__<KEY>` overrides a key: `PASSCOM_HTTP__LISTEN=127.0.0.1:7001`,
//! `PASSCOM_ADMIN__TOKEN=…`. Every limit is named with its unit last and lives in [`Limits`],
//! so tests can shrink any of them. Secrets (the admin token) never appear in `Debug` output.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use passcom_core::AirportCode;
use passcom_core::airline::parse_colour;
use passcom_core::commit::Timing;
use passcom_core::itinerary::ConnectionRules;
use passcom_core::reference::reference_airline;
use passcom_core::{Airline, AirlineId, Designator, TicketPrefix};
use serde::{Deserialize, Serialize};

use crate::connections::ConnectionLimits;
use crate::store::postgres::PostgresOptions;
use crate::store::sqlite::{SqliteOptions, Synchronous};

/// Everything a node is told.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Which airline this node is.
    pub airline: AirlineConfig,
    /// Where it listens.
    #[serde(default)]
    pub http: HttpConfig,
    /// Where it keeps its data.
    #[serde(default)]
    pub storage: StorageConfig,
    /// The admin API's credentials.
    #[serde(default)]
    pub admin: AdminConfig,
    /// What it seeds on first start.
    #[serde(default)]
    pub seed: SeedConfig,
    /// Minimum connection times and the legs limit of itineraries.
    #[serde(default)]
    pub connections: ConnectionRules,
    /// Every named limit.
    #[serde(default)]
    pub limits: Limits,
    /// Cost of password hashing.
    #[serde(default)]
    pub passwords: PasswordHashing,
    /// The other airlines and how to talk to them.
    #[serde(default)]
    pub network: NetworkConfig,
    /// The admin console.
    #[serde(default)]
    pub console: ConsoleConfig,
    /// Purchases across airlines: the two-phase commit's timing.
    #[serde(default)]
    pub commit: CommitConfig,
}

/// The timing of purchases across airlines (see `passcom_core::commit`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommitConfig {
    /// Longest the seller waits for every vote before aborting.
    pub prepare_timeout_ms: u64,
    /// First wait before telling a decision again, asking again, or retrying a release.
    pub retry_min_ms: u64,
    /// Longest wait between two such tries.
    pub retry_max_ms: u64,
    /// How long a prepared participant waits for the decision before it asks.
    pub decision_wait_ms: u64,
    /// Questions to the coordinator before asking the other participants too.
    pub coordinator_inquiries_max: u32,
    /// How long a purchase request waits for its outcome before answering `202 pending`.
    pub purchase_wait_ms: u64,
    /// Calls carrying prepares and decisions in flight to one participant at once; what comes
    /// meanwhile waits and goes together in the next.
    pub peer_calls_max: usize,
}

impl Default for CommitConfig {
    fn default() -> Self {
        let timing = Timing::default();
        Self {
            prepare_timeout_ms: timing.prepare_timeout_ms,
            retry_min_ms: timing.retry_min_ms,
            retry_max_ms: timing.retry_max_ms,
            decision_wait_ms: timing.decision_wait_ms,
            coordinator_inquiries_max: timing.coordinator_inquiries_max,
            purchase_wait_ms: 5000,
            peer_calls_max: 4,
        }
    }
}

impl CommitConfig {
    /// The protocol's share of it.
    pub fn timing(&self) -> Timing {
        Timing {
            prepare_timeout_ms: self.prepare_timeout_ms,
            retry_min_ms: self.retry_min_ms,
            retry_max_ms: self.retry_max_ms,
            decision_wait_ms: self.decision_wait_ms,
            coordinator_inquiries_max: self.coordinator_inquiries_max,
        }
    }
}

/// The network between airlines: this node's key, its peers, and the protocols' timing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkConfig {
    /// This airline's Ed25519 key file; `<data_dir>/peer.key` when absent (made if missing).
    pub key_file: Option<PathBuf>,
    /// The airlines to talk to. More can be added at runtime (`addconn`).
    pub peers: Vec<PeerConfig>,
    /// A folder of peers' public keys, one `<airline>.pub` each (as `passcom keygen
    /// --public-out` writes them), read at start for every peer whose `public_key` is left out:
    /// how a deployment that makes the keys itself pins them (`compose.yaml`).
    pub peer_keys_dir: Option<PathBuf>,
    /// Time between two heartbeats to one peer.
    pub heartbeat_interval_ms: u64,
    /// Time a heartbeat may take to be answered; a peer that misses one is offline.
    pub heartbeat_timeout_ms: u64,
    /// Time any other call to a peer may take.
    pub request_timeout_ms: u64,
    /// How far a signed request's timestamp may be from this node's clock.
    pub clock_skew_ms_max: u64,
    /// Largest body of a request from a peer (a pushed batch carries whole flights).
    pub peer_request_bytes_max: usize,
    /// Most change-log entries one replication push or pull covers. A batch carries each flight
    /// once, so its size is bounded by the owner's flights whatever this is.
    pub replication_batch_entries_max: u64,
    /// Wait before pulling again after a failed pull.
    pub replication_retry_ms: u64,
    /// Least time between two pushes of catalog changes to one peer: changes made meanwhile
    /// travel together.
    pub replication_push_interval_ms: u64,
    /// Change-log entries kept for replicas to pull; older ones are served as a snapshot.
    pub log_entries_kept: u64,
    /// How often old change-log entries are deleted.
    pub log_prune_interval_ms: u64,
    /// How often the protocols' timers are checked.
    pub tick_interval_ms: u64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            key_file: None,
            peers: Vec::new(),
            peer_keys_dir: None,
            heartbeat_interval_ms: 5000,
            heartbeat_timeout_ms: 3000,
            request_timeout_ms: 5000,
            clock_skew_ms_max: 30_000,
            peer_request_bytes_max: 64 * 1024 * 1024,
            replication_batch_entries_max: 100_000,
            replication_retry_ms: 1000,
            replication_push_interval_ms: 50,
            log_entries_kept: 1_000_000,
            log_prune_interval_ms: 60_000,
            tick_interval_ms: 50,
        }
    }
}

impl NetworkConfig {
    /// Fills in the keys of peers that have none from `peer_keys_dir`. A missing file is an
    /// error: a peer without a key is never reached, and that should not pass unnoticed.
    fn read_peer_keys(&mut self) -> anyhow::Result<()> {
        let Some(dir) = &self.peer_keys_dir else { return Ok(()) };
        for peer in self.peers.iter_mut().filter(|peer| peer.public_key.is_none()) {
            let path = dir.join(format!("{}.pub", peer.airline));
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!(
                    "network.peer_keys_dir: cannot read {}'s key {}",
                    peer.airline,
                    path.display()
                )
            })?;
            peer.public_key = Some(text.trim().to_owned());
        }
        Ok(())
    }
}

/// A peer named in configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerConfig {
    /// Its airline id.
    pub airline: AirlineId,
    /// Its base URL.
    pub url: String,
    /// Its Ed25519 public key, base64 (from `passcom keygen`): requests signed by anyone else
    /// in its name are refused. When absent, read from `network.peer_keys_dir` if that is set.
    pub public_key: Option<String>,
}

/// The admin console.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleConfig {
    /// Whether to serve it.
    pub enabled: bool,
    /// Where it listens: loopback only, unless `allow_remote`.
    pub listen: SocketAddr,
    /// Whether it may listen on a non-loopback address.
    pub allow_remote: bool,
    /// Longest command line.
    pub line_bytes_max: usize,
    /// Consoles connected at once.
    pub connections_max: usize,
    /// Consoles connected at once from one client address.
    pub connections_per_client_max: usize,
    /// A connection must authenticate within this long of opening, or is closed.
    pub auth_timeout_ms: u64,
    /// An authenticated console that sends nothing for this long is closed.
    pub idle_timeout_ms: u64,
}

impl ConsoleConfig {
    /// The caps and idle timeout of the console's listener.
    pub fn connection_limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            total_max: self.connections_max.max(1),
            per_client_max: self.connections_per_client_max.max(1),
            idle_timeout: Duration::from_millis(self.idle_timeout_ms),
        }
    }
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: SocketAddr::from(([127, 0, 0, 1], 7770)),
            allow_remote: false,
            line_bytes_max: 4096,
            connections_max: 16,
            connections_per_client_max: 8,
            auth_timeout_ms: 5000,
            idle_timeout_ms: 30 * 60 * 1000,
        }
    }
}

/// The airline of this node. For the reference airlines (rumos, giro, boreal) only the id is
/// needed; the rest defaults to theirs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirlineConfig {
    /// Network id.
    pub id: AirlineId,
    /// Name customers see.
    pub name: Option<String>,
    /// Flight-number prefix.
    pub designator: Option<Designator>,
    /// Brand colour, `#rrggbb`.
    pub colour: Option<String>,
    /// First three digits of its tickets.
    pub ticket_prefix: Option<TicketPrefix>,
}

/// Network listeners.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Address of the customer, admin and peer HTTP API.
    pub listen: SocketAddr,
    /// Connections open at once, from every client; keep it well below the process's file
    /// limit (`ulimit -n`).
    pub connections_max: usize,
    /// Connections open at once from one client address (customers behind one NAT share one).
    pub connections_per_client_max: usize,
    /// Longest a client may take to send a request's head, counted from when the server waits
    /// for it: also how long a kept-alive connection may wait between two requests.
    pub header_read_timeout_ms: u64,
    /// A connection that neither sends nor takes a byte for this long is closed.
    pub idle_timeout_ms: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 7777)),
            connections_max: 8192,
            connections_per_client_max: 512,
            header_read_timeout_ms: 10_000,
            idle_timeout_ms: 60_000,
        }
    }
}

impl HttpConfig {
    /// The caps and idle timeout of the HTTP listener.
    pub fn connection_limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            total_max: self.connections_max,
            per_client_max: self.connections_per_client_max,
            idle_timeout: Duration::from_millis(self.idle_timeout_ms),
        }
    }
}

/// Storage: which database, where, and how durable.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// Which database keeps the airline's data.
    pub backend: Backend,
    /// Directory of the node's generated secrets, and of the SQLite database.
    pub data_dir: PathBuf,
    /// SQLite: when a commit is durable: `full` (fsync every commit: survives power loss) or
    /// `normal` (survives the process being killed, not power loss; for tests and the
    /// simulator). PostgreSQL: as the server is configured.
    pub synchronous: Synchronous,
    /// PostgreSQL: the database's URL, `postgres://user[:password]@host:port/database` (also
    /// `PASSCOM_STORAGE__URL`). A secret: it may hold a password.
    pub url: Option<Secret>,
    /// PostgreSQL: connections the node keeps to the server, at most.
    pub connections_max: usize,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            backend: Backend::default(),
            data_dir: PathBuf::from("data"),
            synchronous: Synchronous::default(),
            url: None,
            connections_max: PostgresOptions::default().connections_max,
        }
    }
}

impl StorageConfig {
    /// The PostgreSQL store's options.
    pub fn postgres(&self) -> PostgresOptions {
        PostgresOptions { connections_max: self.connections_max, ..PostgresOptions::default() }
    }
}

/// Which database keeps an airline's data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// One SQLite file in the data directory, for one process: the embedded default.
    #[default]
    Sqlite,
    /// A PostgreSQL database at `storage.url`, which several nodes of the airline may share.
    Postgres,
}

/// Admin credentials.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    /// Bearer token of the admin API. When absent, the node generates one on first start and
    /// keeps it in `<data_dir>/admin-token`.
    pub token: Option<Secret>,
}

/// A secret string: shown as `<redacted>` by `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Shortest admin token accepted from configuration.
pub const ADMIN_TOKEN_CHARS_MIN: usize = 16;

/// What a new node's database starts with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeedConfig {
    /// Whether to seed at all.
    pub enabled: bool,
    /// How many days of schedule to keep published ahead (counting today).
    pub days: u32,
    /// Whether to import the original system's ten users.
    pub original_users: bool,
    /// The hub of an airline outside the reference network, whose schedule is then round
    /// trips from it to the nearest capitals; without one such an airline seeds no schedule.
    /// (The reference airlines fly their own plans.)
    pub hub: Option<AirportCode>,
}

impl Default for SeedConfig {
    fn default() -> Self {
        Self { enabled: true, days: 60, original_users: true, hub: None }
    }
}

/// Every limit of the node, unit last.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest request body.
    pub request_body_bytes_max: usize,
    /// Longest a request may take before it is answered `request_timeout`.
    pub request_timeout_ms: u64,
    /// Most passengers in one booking.
    pub passengers_max: usize,
    /// Most itineraries one search answers (the best trade-offs are kept first).
    pub search_results_max: usize,
    /// How long after the start of the searched date an itinerary may arrive, hours.
    pub search_arrival_hours_max: i64,
    /// Page size when a listing gives no `limit`.
    pub page_size_default: usize,
    /// Largest `limit` a listing accepts.
    pub page_size_max: usize,
    /// A session unused for this long has expired.
    pub session_idle_timeout_ms: u64,
    /// A session's last use is written at most this often.
    pub session_touch_interval_ms: u64,
    /// How often expired sessions are deleted.
    pub session_sweep_interval_ms: u64,
    /// Most sessions kept in memory (the rest are read from the database when used).
    pub session_cache_entries_max: usize,
    /// Longest `Idempotency-Key`.
    pub idempotency_key_bytes_max: usize,
    /// Most writes committed in one batch.
    pub write_batch_max: usize,
    /// Most writes waiting for the writer.
    pub write_queue_max: usize,
    /// Size of the database reader pool.
    pub readers_max: u32,
    /// How often the database's write-ahead log is checkpointed.
    pub checkpoint_interval_ms: u64,
    /// Most password hashes computed at once (each takes ~19 MiB and tens of milliseconds).
    pub password_hashes_concurrent_max: usize,
    /// How long a graceful shutdown waits for requests in flight.
    pub shutdown_grace_ms: u64,
    /// Failed logins naming one account per throttle window, then 429 until the window ends.
    pub login_failures_per_account_max: u32,
    /// Failed logins from one client address per throttle window, then 429.
    pub login_failures_per_client_max: u32,
    /// Registrations from one client address per throttle window, then 429.
    pub registrations_per_client_max: u32,
    /// The window the login and registration throttles count over.
    pub throttle_window_ms: u64,
    /// Accounts and addresses each throttle keeps counts for at once.
    pub throttle_entries_max: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_body_bytes_max: 64 * 1024,
            request_timeout_ms: 30_000,
            passengers_max: 9,
            search_results_max: 20,
            search_arrival_hours_max: 48,
            page_size_default: 100,
            page_size_max: 1000,
            session_idle_timeout_ms: 30 * 60 * 1000,
            session_touch_interval_ms: 60 * 1000,
            session_sweep_interval_ms: 10 * 60 * 1000,
            session_cache_entries_max: 100_000,
            idempotency_key_bytes_max: 255,
            write_batch_max: 512,
            write_queue_max: 8192,
            readers_max: 8,
            checkpoint_interval_ms: 100,
            password_hashes_concurrent_max: 2,
            shutdown_grace_ms: 10_000,
            login_failures_per_account_max: 10,
            login_failures_per_client_max: 50,
            registrations_per_client_max: 30,
            throttle_window_ms: 15 * 60 * 1000,
            throttle_entries_max: 100_000,
        }
    }
}

impl Limits {
    /// The SQLite store's share of the limits.
    pub fn sqlite(&self) -> SqliteOptions {
        SqliteOptions {
            write_batch_max: self.write_batch_max,
            write_queue_max: self.write_queue_max,
            readers_max: self.readers_max,
            checkpoint_interval_ms: self.checkpoint_interval_ms,
            ..SqliteOptions::default()
        }
    }
}

/// Argon2id cost. The defaults are OWASP's minimum (19 MiB, 2 passes, 1 lane); tests lower
/// them to run fast.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordHashing {
    /// Memory per hash, KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for PasswordHashing {
    fn default() -> Self {
        Self { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 }
    }
}

impl Config {
    /// The defaults for airline `id`.
    pub fn for_airline(id: AirlineId) -> Self {
        Self {
            airline: AirlineConfig {
                id,
                name: None,
                designator: None,
                colour: None,
                ticket_prefix: None,
            },
            http: HttpConfig::default(),
            storage: StorageConfig::default(),
            admin: AdminConfig::default(),
            seed: SeedConfig::default(),
            connections: ConnectionRules::default(),
            limits: Limits::default(),
            passwords: PasswordHashing::default(),
            network: NetworkConfig::default(),
            console: ConsoleConfig::default(),
            commit: CommitConfig::default(),
        }
    }

    /// Loads `path` (if given) over the defaults, then `PASSCOM_…` variables over that, then
    /// the peers' keys from `network.peer_keys_dir`.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::new();
        if let Some(path) = path {
            if !path.exists() {
                bail!("no config file at {}", path.display());
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        let partial: Self = figment
            .clone()
            .merge(Env::prefixed("PASSCOM_").split("__"))
            .extract()
            .context("invalid configuration")?;
        // Defaults are merged under what was given, now that the airline id is known.
        let mut config: Self =
            Figment::from(Serialized::defaults(Self::for_airline(partial.airline.id.clone())))
                .merge(figment)
                .merge(Env::prefixed("PASSCOM_").split("__"))
                .extract()
                .context("invalid configuration")?;
        config.network.read_peer_keys()?;
        config.check()?;
        Ok(config)
    }

    /// Checks what types cannot: tokens long enough, limits that leave the node usable.
    pub fn check(&self) -> anyhow::Result<()> {
        self.airline()?;
        if let Some(token) = &self.admin.token
            && token.expose().chars().count() < ADMIN_TOKEN_CHARS_MIN
        {
            bail!("admin.token must have at least {ADMIN_TOKEN_CHARS_MIN} characters");
        }
        let storage = &self.storage;
        if storage.backend == Backend::Postgres && storage.url.is_none() {
            bail!("storage.backend is \"postgres\": set storage.url (or PASSCOM_STORAGE__URL)");
        }
        if storage.connections_max == 0 {
            bail!("storage.connections_max must be positive");
        }
        let limits = &self.limits;
        if limits.passengers_max == 0
            || limits.page_size_default == 0
            || limits.page_size_max < limits.page_size_default
        {
            bail!(
                "limits: passengers_max and page_size_default must be positive, page_size_max at least page_size_default"
            );
        }
        if self.connections.legs_max == 0 {
            bail!("connections.legs_max must be positive");
        }
        if !self.console.allow_remote && !self.console.listen.ip().is_loopback() {
            bail!(
                "console.listen is not a loopback address; set console.allow_remote to serve it there"
            );
        }
        let network = &self.network;
        if network.heartbeat_timeout_ms == 0
            || network.heartbeat_interval_ms == 0
            || network.log_entries_kept == 0
        {
            bail!(
                "network: heartbeat_interval_ms, heartbeat_timeout_ms and log_entries_kept must be positive"
            );
        }
        Ok(())
    }

    /// The airline this node is, with the reference airline's details filling what the config
    /// leaves out.
    pub fn airline(&self) -> anyhow::Result<Airline> {
        let given = &self.airline;
        let reference = reference_airline(&given.id).map(|plan| plan.airline());
        let missing = |what: &str| {
            anyhow::anyhow!(
                "airline.{what} is required for an airline outside the reference network"
            )
        };
        let colour = match (&given.colour, &reference) {
            (Some(colour), _) => {
                parse_colour(colour).map_err(|e| anyhow::anyhow!("airline.colour: {e}"))?
            }
            (None, Some(reference)) => reference.colour.clone(),
            (None, None) => return Err(missing("colour")),
        };
        Ok(Airline {
            id: given.id.clone(),
            name: given
                .name
                .clone()
                .or_else(|| reference.as_ref().map(|r| r.name.clone()))
                .ok_or_else(|| missing("name"))?,
            designator: given
                .designator
                .or(reference.as_ref().map(|r| r.designator))
                .ok_or_else(|| missing("designator"))?,
            colour,
            ticket_prefix: given
                .ticket_prefix
                .or(reference.as_ref().map(|r| r.ticket_prefix))
                .ok_or_else(|| missing("ticket_prefix"))?,
        })
    }

    /// Path of the node's database.
    pub fn database_path(&self) -> PathBuf {
        self.storage.data_dir.join("passcom.sqlite3")
    }

    /// Path of the node's key file.
    pub fn key_path(&self) -> PathBuf {
        self.network.key_file.clone().unwrap_or_else(|| self.storage.data_dir.join("peer.key"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_airline_needs_only_its_id() {
        let config = Config::for_airline(AirlineId::parse("giro").unwrap());
        let airline = config.airline().unwrap();
        assert_eq!(airline.name, "Giro");
        assert_eq!(airline.designator.as_str(), "GI");
        config.check().unwrap();
    }

    #[test]
    fn another_airline_must_say_who_it_is() {
        let config = Config::for_airline(AirlineId::parse("azul").unwrap());
        assert!(config.airline().is_err());
    }

    #[test]
    fn secrets_are_not_shown() {
        let mut config = Config::for_airline(AirlineId::parse("rumos").unwrap());
        config.admin.token = Some(Secret::new("a-very-secret-admin-token"));
        assert!(!format!("{config:?}").contains("very-secret"));
    }

    #[test]
    #[allow(clippy::result_large_err, reason = "figment's Jail fixes the closure's error type")]
    fn files_and_environment_override_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("node.toml");
        std::fs::write(&path, "[airline]\nid = \"boreal\"\n[limits]\npassengers_max = 4\n")
            .unwrap();
        figment::Jail::expect_with(|jail| {
            jail.set_env("PASSCOM_HTTP__LISTEN", "127.0.0.1:9001");
            let config = Config::load(Some(&path)).unwrap();
            assert_eq!(config.airline.id.as_str(), "boreal");
            assert_eq!(config.limits.passengers_max, 4);
            assert_eq!(config.limits.page_size_max, 1000);
            assert_eq!(config.http.listen.port(), 9001);
            Ok(())
        });
    }

    #[test]
    fn a_postgres_backend_needs_a_url() {
        let mut config = Config::for_airline(AirlineId::parse("rumos").unwrap());
        config.storage.backend = Backend::Postgres;
        assert!(config.check().is_err());
        config.storage.url = Some(Secret::new("postgres://passcom:hunter2@127.0.0.1/rumos"));
        config.check().unwrap();
        assert!(!format!("{config:?}").contains("hunter2"), "the URL's password is not shown");
    }

    #[test]
    fn peers_keys_are_read_from_the_keys_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("node.toml");
        let peers = "[[network.peers]]\nairline = \"giro\"\nurl = \"http://giro:8888\"\n\
             [[network.peers]]\nairline = \"boreal\"\nurl = \"http://boreal:9999\"\npublic_key = \"given\"\n";
        let keys = dir.path().join("keys");
        std::fs::write(
            &path,
            format!("[airline]\nid = \"rumos\"\n[network]\npeer_keys_dir = {keys:?}\n{peers}"),
        )
        .unwrap();
        let missing = Config::load(Some(&path)).unwrap_err();
        assert!(format!("{missing:#}").contains("giro.pub"), "{missing:#}");
        std::fs::create_dir(&keys).unwrap();
        std::fs::write(keys.join("giro.pub"), "giro-key\n").unwrap();
        std::fs::write(keys.join("boreal.pub"), "not-this-one\n").unwrap();
        let config = Config::load(Some(&path)).unwrap();
        let pinned: Vec<_> =
            config.network.peers.iter().map(|peer| peer.public_key.as_deref()).collect();
        assert_eq!(pinned, [Some("giro-key"), Some("given")]);
    }

    #[test]
    fn unknown_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("node.toml");
        std::fs::write(&path, "[airline]\nid = \"boreal\"\n[limits]\npasengers_max = 4\n").unwrap();
        assert!(Config::load(Some(&path)).is_err());
    }
}
