//! Each driver of a node started alone, from the parts it is built from — a real store, a
//! clock, the network handle, its inbox and a stop signal — with no node around it.

use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use passcom::accounts::{Accounts, PasswordHasher, SessionSweeper};
use passcom::catalog::Catalog;
use passcom::clock::{Clock, Entropy, ManualClock, SeededEntropy};
use passcom::commit::{self, Commit};
use passcom::config::{Config, PeerConfig};
use passcom::execution::Execution;
use passcom::network::client::tcp_connector;
use passcom::network::keys::AirlineKey;
use passcom::network::{self, Network};
use passcom::seed;
use passcom::store::sqlite::{SqliteOptions, SqliteStore};
use passcom::store::{Begun, Store};
use passcom_core::reference::reference_airlines;
use passcom_core::{Airline, AirlineId, BookingStatus, Cabin};
use tempfile::TempDir;
use tokio::sync::watch;

use crate::store::suite::{batch, customer, flight_of, now, order};

/// How long a driver gets to do what a test waits for.
const WAIT_MS_MAX: u64 = 5000;

/// Rumos's parts: a store with the reference data, a clock, entropy and its configuration.
struct Rumos {
    airline: Airline,
    store: Arc<dyn Store>,
    clock: Arc<ManualClock>,
    entropy: Arc<dyn Entropy>,
    config: Config,
    _dir: TempDir,
}

impl Rumos {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let airline = reference_airlines()[0].airline();
        let store = SqliteStore::open(
            &dir.path().join("store.sqlite3"),
            &airline,
            &SqliteOptions::default(),
        )
        .unwrap();
        let store: Arc<dyn Store> = Arc::new(store);
        seed::reference_data(store.as_ref(), &airline).await.unwrap();
        store.put_airline(giro()).await.unwrap();
        Self {
            config: Config::for_airline(airline.id.clone()),
            clock: Arc::new(ManualClock::new(now())),
            entropy: Arc::new(SeededEntropy::new(16)),
            airline,
            store,
            _dir: dir,
        }
    }

    /// The network handle, with `peers`, and its inbox.
    fn network(&self, peers: Vec<PeerConfig>) -> (Arc<Network>, network::Inbox) {
        let config = passcom::config::NetworkConfig { peers, ..self.config.network.clone() };
        let (network, inbox) = Network::new(
            self.airline.clone(),
            self.store.clone(),
            AirlineKey::generate(self.entropy.as_ref()),
            config,
            tcp_connector(1000),
            self.clock.clone(),
            self.entropy.clone(),
        )
        .unwrap();
        (Arc::new(network), inbox)
    }
}

fn giro() -> Airline {
    reference_airlines()[1].airline()
}

/// Giro as a peer at a loopback port nobody listens on: its heartbeats fail, which these tests
/// do not look at.
fn giro_peer() -> PeerConfig {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let key = AirlineKey::generate(&SeededEntropy::new(2)).public_key();
    PeerConfig {
        airline: giro().id,
        url: format!("http://{closed}"),
        public_key: Some(key.to_string()),
    }
}

/// Waits until `done` says so, polling: the drivers work in tasks of their own and say nothing
/// when they are through, so there is nothing to await but the effect.
async fn eventually<F: Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(WAIT_MS_MAX);
    while !done().await {
        assert!(tokio::time::Instant::now() < deadline, "{what} within {WAIT_MS_MAX} ms");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn the_network_driver_alone_applies_a_pushed_batch_to_the_store_and_the_catalog() {
    let rumos = Rumos::new().await;
    let (network, inbox) = rumos.network(vec![giro_peer()]);
    let catalog = Arc::new(Catalog::load(rumos.store.as_ref()).await.unwrap());
    let parts = network::Parts { network: network.clone(), inbox, catalog: catalog.clone() };
    let started = network::start(parts).await.unwrap();
    let (stop, stopping) = watch::channel(false);
    let driver = tokio::spawn(started.run(stopping));

    let theirs = flight_of(&giro(), 700, 24, Cabin::standard());
    let position = network.pushed(giro().id, batch(0, 3, std::slice::from_ref(&theirs))).await;
    assert_eq!(position.unwrap(), 3);
    assert_eq!(catalog.get(theirs.id).as_deref(), Some(&theirs));
    let positions = rumos.store.replica_positions().await.unwrap();
    assert_eq!(positions.get(&giro().id), Some(&3));

    stop.send_replace(true);
    driver.await.unwrap();
}

#[tokio::test]
async fn the_commit_driver_alone_fails_a_purchase_a_restart_left_undecided() {
    let rumos = Rumos::new().await;
    let theirs = flight_of(&giro(), 710, 24, Cabin::standard());
    let store = rumos.store.clone();
    store
        .apply_replica(giro().id, batch(0, 1, std::slice::from_ref(&theirs)), now())
        .await
        .unwrap();
    let buyer = customer(store.as_ref(), "buyer").await;
    let purchase = order(buyer, "ABCDEF", vec![(theirs, None)], &["Ana"]);
    let reference = purchase.reference;
    let begun = store.begin_purchase(purchase, vec![giro().id]).await.unwrap();
    assert!(
        matches!(begun, Begun::Created { booking, .. } if booking.status == BookingStatus::Pending)
    );

    let (network, _network_inbox) = rumos.network(Vec::new());
    let clock: Arc<dyn Clock> = rumos.clock.clone();
    let (commit, inbox) = Commit::new(rumos.config.commit.clone(), store.clone(), clock);
    let this: AirlineId = rumos.airline.id.clone();
    let parts =
        commit::Parts { commit: Arc::new(commit), inbox, network, this, tick_interval_ms: 10 };
    let started = commit::start(parts).await.unwrap();
    let (stop, stopping) = watch::channel(false);
    let driver = tokio::spawn(started.run(stopping));

    eventually("the undecided purchase is recorded failed", || async {
        let booking = store.booking(buyer, reference).await.unwrap().unwrap();
        booking.status == BookingStatus::Failed
    })
    .await;

    stop.send_replace(true);
    driver.await.unwrap();
}

#[tokio::test]
async fn the_session_sweeper_alone_deletes_expired_sessions() {
    let rumos = Rumos::new().await;
    let limits = &rumos.config.limits;
    let hasher = PasswordHasher::new(
        &rumos.config.passwords,
        limits.password_hashes_concurrent_max,
        rumos.entropy.clone(),
        Execution::Threads,
    )
    .unwrap();
    let clock: Arc<dyn Clock> = rumos.clock.clone();
    let accounts = Accounts::new(rumos.store.clone(), clock, rumos.entropy.clone(), hasher, limits);
    let buyer = customer(rumos.store.as_ref(), "buyer").await;
    rumos.store.create_session([1; 32], buyer, rumos.clock.now()).await.unwrap();
    let idle_ms = i64::try_from(limits.session_idle_timeout_ms).unwrap();
    rumos.clock.advance(SignedDuration::from_millis(idle_ms + 1));

    let sweeper = SessionSweeper { accounts: Arc::new(accounts), interval_ms: 10 };
    let (stop, stopping) = watch::channel(false);
    let driver = tokio::spawn(sweeper.run(stopping));
    eventually("the expired session is deleted", || async {
        rumos.store.session([1; 32]).await.unwrap().is_none()
    })
    .await;

    stop.send_replace(true);
    driver.await.unwrap();
}
