//! The network between airlines: who this node talks to, whether they answer, and the copies
//! of their catalogs.
//!
//! The protocols themselves are state machines in `passcom_core` ([`membership`],
//! [`replication`]) with no sockets and no clock. This module is their driver: one task per node
//! ([`run`]) owns the machines, feeds them time from a ticker and events from its inbox, and
//! carries out what they return — heartbeats, pulls and pushes are spawned as calls through the
//! signed [`client`] and report back to the inbox; replicated batches are applied to the store
//! by the task itself, one after another, because their order matters. The peer API
//! ([`crate::api::peer`]) delivers what peers send: pushed batches go through the same inbox.
//!
//! What the rest of the node needs to know — whether an airline is online, where it is, the
//! replication positions — is published by the driver in a shared view after every event.
//!
//! [`membership`]: passcom_core::membership
//! [`replication`]: passcom_core::replication

pub mod client;
pub mod keys;
pub mod signing;
pub mod wire;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use jiff::Timestamp;
use passcom_core::membership::{self, Membership, Status, Timing};
use passcom_core::replication::{
    Batch, Limits, Publisher, PublisherAction, PublisherEvent, Replica, ReplicaAction, ReplicaEvent,
};
use passcom_core::{Airline, AirlineId};
use tokio::sync::{mpsc, oneshot};

use self::client::{PeerAddress, PeerClient, PeerConnector};
use self::keys::{AirlineKey, PublicKey};
use self::signing::ReplayGuard;
use self::wire::{CatalogAnswer, Heartbeat, HeartbeatAnswer, PushAnswer};
use crate::catalog::Catalog;
use crate::clock::{Clock, Entropy};
use crate::config::NetworkConfig;
use crate::stop::{Stop, stopped};
use crate::store::{PeerRecord, Store, StoreError};

/// Events waiting for the driver, at most.
const INBOX_EVENTS_MAX: usize = 4096;

/// What the node knows of one peer, as the driver last published it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerView {
    /// The peer's airline.
    pub airline: AirlineId,
    /// Its base URL.
    pub url: String,
    /// Online or offline.
    pub status: Status,
    /// Since when.
    pub since: Timestamp,
    /// Its last answer to a heartbeat.
    pub last_heartbeat: Option<Timestamp>,
    /// The head of its change log, as last heard.
    pub log_head: u64,
    /// How far this node's replica of its catalog is.
    pub replica_position: u64,
    /// When this node last applied a batch of its catalog.
    pub last_applied_at: Option<Timestamp>,
}

/// Why changing the peers failed.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    /// No public key is pinned for that airline, and none was given.
    #[error("no public key is pinned for {0}; give it (base64, from `passcom keygen`)")]
    NoKey(AirlineId),
    /// A given value is malformed.
    #[error("{0}")]
    Invalid(String),
    /// That airline is this node.
    #[error("{0} is this node")]
    Itself(AirlineId),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Something for the driver to take into account.
enum Event {
    Join { peer: AirlineId, url: String },
    Leave { peer: AirlineId },
    HeartbeatAnswered { peer: AirlineId, number: u64, answer: HeartbeatAnswer },
    HeartbeatFailed { peer: AirlineId, number: u64 },
    HeardFrom { peer: AirlineId, log_head: u64 },
    Pulled { owner: AirlineId, since: u64, answer: CatalogAnswer },
    PullFailed { owner: AirlineId, since: u64 },
    Acknowledged { peer: AirlineId, position: u64 },
    PushFailed { peer: AirlineId },
    Pushed { owner: AirlineId, batch: Batch, reply: oneshot::Sender<Result<u64, StoreError>> },
}

/// The network side of a node: the handle the rest of the node uses.
pub struct Network {
    this: Airline,
    store: Arc<dyn Store>,
    key: Arc<AirlineKey>,
    pub(crate) config: NetworkConfig,
    client: PeerClient,
    guard: ReplayGuard,
    clock: Arc<dyn Clock>,
    /// Pinned keys: from configuration, and from `addconn`.
    keys: RwLock<BTreeMap<AirlineId, PublicKey>>,
    view: RwLock<BTreeMap<AirlineId, PeerView>>,
    inbox: mpsc::Sender<Event>,
}

/// The receiving end of the driver's inbox: what [`Network`]'s callers send, for [`start`].
pub struct Inbox(mpsc::Receiver<Event>);

impl Network {
    /// The network side of airline `this`, over its `store`, signing with `key`, reaching peers
    /// through `connector`; and the inbox its driver will read.
    pub fn new(
        this: Airline,
        store: Arc<dyn Store>,
        key: AirlineKey,
        config: NetworkConfig,
        connector: PeerConnector,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
    ) -> anyhow::Result<(Self, Inbox)> {
        let key = Arc::new(key);
        let mut keys = BTreeMap::new();
        for peer in &config.peers {
            if let Some(text) = &peer.public_key {
                let key = PublicKey::parse(text)
                    .map_err(|e| anyhow::anyhow!("network.peers {}: {e}", peer.airline))?;
                keys.insert(peer.airline.clone(), key);
            }
        }
        let client = PeerClient::new(
            connector,
            this.id.clone(),
            key.clone(),
            clock.clone(),
            entropy,
            config.request_timeout_ms,
        );
        let (inbox, receiver) = mpsc::channel(INBOX_EVENTS_MAX);
        let network = Self {
            guard: ReplayGuard::new(config.clock_skew_ms_max, clock.now()),
            this,
            store,
            key,
            config,
            client,
            clock,
            keys: RwLock::new(keys),
            view: RwLock::new(BTreeMap::new()),
            inbox,
        };
        Ok((network, Inbox(receiver)))
    }

    /// This airline's public key, for peers to pin.
    pub fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }

    /// Whether `airline` is online now (this node always is, to itself).
    pub fn is_online(&self, airline: &AirlineId) -> bool {
        *airline == self.this.id
            || self.read_view().get(airline).is_some_and(|peer| peer.status == Status::Online)
    }

    /// Every peer, as the driver last published them.
    pub fn peers(&self) -> Vec<PeerView> {
        self.read_view().values().cloned().collect()
    }

    /// The pinned key of `airline`.
    pub fn key_of(&self, airline: &AirlineId) -> Option<PublicKey> {
        self.keys.read().expect("the keys lock is never poisoned").get(airline).copied()
    }

    /// How to reach `airline`, if it is a peer with a pinned key.
    pub fn address_of(&self, airline: &AirlineId) -> Option<PeerAddress> {
        let url = self.read_view().get(airline)?.url.clone();
        Some(PeerAddress { airline: airline.clone(), url, key: self.key_of(airline)? })
    }

    /// The signed client.
    pub fn client(&self) -> &PeerClient {
        &self.client
    }

    /// The replay guard of the peer API.
    pub fn guard(&self) -> &ReplayGuard {
        &self.guard
    }

    /// This airline.
    pub fn this(&self) -> &Airline {
        &self.this
    }

    /// Signs `message` with this airline's key.
    pub fn sign(&self, message: &[u8]) -> String {
        self.key.sign(message)
    }

    /// Adds `airline` at `url` as a peer (or moves it), pinning `key` if given; persisted.
    pub async fn add_peer(
        &self,
        airline: AirlineId,
        url: String,
        key: Option<String>,
    ) -> Result<(), NetworkError> {
        if airline == self.this.id {
            return Err(NetworkError::Itself(airline));
        }
        check_url(&url)?;
        let given = key
            .as_deref()
            .map(PublicKey::parse)
            .transpose()
            .map_err(|e| NetworkError::Invalid(format!("public key: {e}")))?;
        let key = given
            .or_else(|| self.key_of(&airline))
            .ok_or_else(|| NetworkError::NoKey(airline.clone()))?;
        let record = PeerRecord {
            airline: airline.clone(),
            url: url.clone(),
            public_key: Some(key.to_string()),
            removed: false,
        };
        self.store.put_peer(record, self.clock.now()).await?;
        self.keys.write().expect("the keys lock is never poisoned").insert(airline.clone(), key);
        self.send(Event::Join { peer: airline, url }).await;
        Ok(())
    }

    /// Removes `airline` from the peers; persisted. Whether it was one.
    pub async fn remove_peer(&self, airline: AirlineId) -> Result<bool, NetworkError> {
        let Some(peer) = self.read_view().get(&airline).cloned() else { return Ok(false) };
        let record =
            PeerRecord { airline: airline.clone(), url: peer.url, public_key: None, removed: true };
        self.store.put_peer(record, self.clock.now()).await?;
        self.send(Event::Leave { peer: airline }).await;
        Ok(true)
    }

    /// A peer's heartbeat arrived: it is alive, and its log head is `log_head`.
    pub async fn heard_from(&self, peer: AirlineId, log_head: u64) {
        self.send(Event::HeardFrom { peer, log_head }).await;
    }

    /// A peer pushed `batch` of its catalog; answers the replica's position once applied.
    pub async fn pushed(&self, owner: AirlineId, batch: Batch) -> Result<u64, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(Event::Pushed { owner, batch, reply }).await;
        answer.await.map_err(|_| StoreError::Internal("the network has stopped".into()))?
    }

    async fn send(&self, event: Event) {
        // The driver only stops with the node; an event sent during shutdown is moot.
        let _ = self.inbox.send(event).await;
    }

    fn read_view(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<AirlineId, PeerView>> {
        self.view.read().expect("the view lock is never poisoned")
    }
}

/// Checks that a peer URL is `http://host:port` with nothing after.
fn check_url(url: &str) -> Result<(), NetworkError> {
    let uri: hyper::Uri =
        url.parse().map_err(|_| NetworkError::Invalid(format!("{url:?} is not a URL")))?;
    let plain = uri.scheme_str() == Some("http")
        && uri.authority().is_some()
        && matches!(uri.path(), "" | "/")
        && uri.query().is_none();
    if !plain {
        return Err(NetworkError::Invalid(format!(
            "{url:?} is not a peer URL: expected http://host:port"
        )));
    }
    Ok(())
}

/// What the network driver is built from.
pub struct Parts {
    /// The handle it serves: this airline, its store, clock, keys and signed client, the view
    /// it publishes, and its inbox's sending end, for the calls it spawns to report back.
    pub network: Arc<Network>,
    /// Its inbox.
    pub inbox: Inbox,
    /// The catalog it puts replicated flights (and this airline's own, from its log) in.
    pub catalog: Arc<Catalog>,
}

/// The network of a node, its peers joined, ready to run.
pub struct Started(Driver);

/// Joins the peers of the network (from configuration and from earlier `addconn`s) and
/// publishes them, so that the node knows its peers from the moment it serves;
/// [`Started::run`] then runs the protocols.
pub async fn start(parts: Parts) -> anyhow::Result<Started> {
    let Parts { network, inbox, catalog } = parts;
    Ok(Started(Driver::start(network, catalog, inbox.0).await?))
}

impl Started {
    /// Runs the network until `stop` says to stop.
    pub async fn run(self, stop: Stop) {
        run(self.0, stop).await;
    }
}

async fn run(mut driver: Driver, mut stop: Stop) {
    let network = driver.network.clone();
    let config = network.config.clone();
    let mut ticker = tokio::time::interval(Duration::from_millis(config.tick_interval_ms.max(1)));
    let mut prune =
        tokio::time::interval(Duration::from_millis(config.log_prune_interval_ms.max(1)));
    let mut heads = network.store.log_head_changes();
    loop {
        let push_wait = driver.push_wait();
        // Biased, so that the same events are taken in the same order (tokio otherwise starts
        // from a random branch, which the deterministic simulator could not replay). The
        // timers and the log head come before the inbox: each is ready at most once per
        // period or commit, so none can starve the inbox, and a busy inbox cannot delay them.
        tokio::select! {
            biased;
            () = stopped(&mut stop) => return,
            _ = ticker.tick() => driver.tick().await,
            Ok(()) = heads.changed() => {
                let head = *heads.borrow_and_update();
                driver.appended(head);
            }
            () = sleep_for(push_wait) => driver.push_due(),
            _ = prune.tick() => {
                if let Err(error) = network.store.prune_log(config.log_entries_kept).await {
                    tracing::warn!(%error, "cannot prune the change log");
                }
            }
            Some(event) = driver.inbox.recv() => driver.handle(event).await,
        }
    }
}

/// Sleeps for `wait`; forever when there is nothing to wait for.
async fn sleep_for(wait: Option<Duration>) {
    match wait {
        Some(wait) => tokio::time::sleep(wait).await,
        None => std::future::pending().await,
    }
}

/// The state machines of one node and what drives them.
struct Driver {
    network: Arc<Network>,
    catalog: Arc<Catalog>,
    inbox: mpsc::Receiver<Event>,
    membership: Membership,
    replicas: BTreeMap<AirlineId, Replica>,
    publishers: BTreeMap<AirlineId, Publisher>,
    last_applied: BTreeMap<AirlineId, Timestamp>,
    /// Peers' airlines as recorded in the store.
    airlines: BTreeMap<AirlineId, Airline>,
    limits: Limits,
    head: u64,
    /// How far the catalog has followed this node's own log.
    followed: u64,
}

impl Driver {
    async fn start(
        network: Arc<Network>,
        catalog: Arc<Catalog>,
        inbox: mpsc::Receiver<Event>,
    ) -> Result<Self, StoreError> {
        let config = &network.config;
        let timing = Timing {
            interval_ms: config.heartbeat_interval_ms,
            timeout_ms: config.heartbeat_timeout_ms,
        };
        let limits = Limits {
            request_timeout_ms: config.request_timeout_ms,
            retry_ms: config.replication_retry_ms,
            batch_entries_max: config.replication_batch_entries_max,
            push_interval_ms: config.replication_push_interval_ms,
        };
        let head = network.store.log_head().await?;
        let mut driver = Self {
            inbox,
            membership: Membership::new(timing),
            replicas: BTreeMap::new(),
            publishers: BTreeMap::new(),
            last_applied: BTreeMap::new(),
            airlines: BTreeMap::new(),
            limits,
            head,
            followed: head,
            network,
            catalog,
        };
        driver.airlines =
            driver.network.store.airlines().await?.into_iter().map(|a| (a.id.clone(), a)).collect();
        let positions = driver.network.store.replica_positions().await?;
        for (owner, position) in positions {
            driver.replicas.insert(owner, Replica::new(position, limits));
        }
        for (peer, url) in driver.initial_peers().await? {
            driver.join(peer, url).await;
        }
        Ok(driver)
    }

    /// The peers to start with: configured ones (unless removed with `rmconn`) and added ones.
    async fn initial_peers(&self) -> Result<Vec<(AirlineId, String)>, StoreError> {
        let stored = self.network.store.peers().await?;
        let mut peers: BTreeMap<AirlineId, String> = BTreeMap::new();
        for peer in &self.network.config.peers {
            peers.insert(peer.airline.clone(), peer.url.clone());
        }
        let mut keys = self.network.keys.write().expect("the keys lock is never poisoned");
        for peer in stored {
            if peer.removed {
                peers.remove(&peer.airline);
                continue;
            }
            if let Some(key) =
                peer.public_key.as_deref().and_then(|text| PublicKey::parse(text).ok())
            {
                keys.entry(peer.airline.clone()).or_insert(key);
            }
            peers.insert(peer.airline, peer.url);
        }
        Ok(peers.into_iter().collect())
    }

    fn now(&self) -> Timestamp {
        self.network.clock.now()
    }

    async fn handle(&mut self, event: Event) {
        let now = self.now();
        match event {
            Event::Join { peer, url } => self.join(peer, url).await,
            Event::Leave { peer } => {
                self.membership.step(membership::Event::Left { peer: peer.clone() });
                self.publishers.remove(&peer);
            }
            Event::HeartbeatAnswered { peer, number, answer } => {
                self.learn_airline(&peer, answer.airline).await;
                let event =
                    membership::Event::Answered { peer, number, log_head: answer.log_head, now };
                self.membership_step(event).await;
            }
            Event::HeartbeatFailed { peer, number } => {
                self.membership_step(membership::Event::Failed { peer, number, now }).await;
            }
            Event::HeardFrom { peer, log_head } => {
                self.membership_step(membership::Event::Contacted { peer: peer.clone(), now })
                    .await;
                let _ =
                    self.replica_step(&peer, ReplicaEvent::HeadSeen { head: log_head, now }).await;
            }
            Event::Pulled { owner, since, answer } => {
                let event =
                    ReplicaEvent::Pulled { since, batch: answer.batch, head: answer.head, now };
                let _ = self.replica_step(&owner, event).await;
            }
            Event::PullFailed { owner, since } => {
                let _ = self.replica_step(&owner, ReplicaEvent::PullFailed { since, now }).await;
            }
            Event::Acknowledged { peer, position } => {
                self.publisher_step(&peer, PublisherEvent::Acknowledged { position, now })
            }
            Event::PushFailed { peer } => {
                self.publisher_step(&peer, PublisherEvent::PushFailed { now })
            }
            Event::Pushed { owner, batch, reply } => {
                let applied = self.replica_step(&owner, ReplicaEvent::Pushed { batch, now }).await;
                let position =
                    applied.map(|()| self.replicas.get(&owner).map_or(0, Replica::position));
                let _ = reply.send(position);
            }
        }
        self.publish_view();
    }

    async fn tick(&mut self) {
        let now = self.now();
        self.membership_step(membership::Event::Tick { now }).await;
        let owners: Vec<AirlineId> = self.replicas.keys().cloned().collect();
        for owner in owners {
            // Errors are logged where they happen; the tick goes on for the others.
            let _ = self.replica_step(&owner, ReplicaEvent::Tick { now }).await;
        }
        let peers: Vec<AirlineId> = self.publishers.keys().cloned().collect();
        for peer in peers {
            self.publisher_step(&peer, PublisherEvent::Tick { now });
        }
        self.follow_own_log().await;
        self.publish_view();
    }

    /// How long until a publisher waiting out its push interval is due, if one is.
    fn push_wait(&self) -> Option<Duration> {
        let due = self.publishers.values().filter_map(Publisher::due).min()?;
        let wait = due.duration_since(self.now());
        Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
    }

    /// Publishers waiting out their push interval may be due: push what they have.
    fn push_due(&mut self) {
        let now = self.now();
        let peers: Vec<AirlineId> = self.publishers.keys().cloned().collect();
        for peer in peers {
            self.publisher_step(&peer, PublisherEvent::Tick { now });
        }
    }

    /// The local log grew: push to peers.
    fn appended(&mut self, head: u64) {
        self.head = self.head.max(head);
        let now = self.now();
        let peers: Vec<AirlineId> = self.publishers.keys().cloned().collect();
        for peer in peers {
            self.publisher_step(&peer, PublisherEvent::Appended { head: self.head, now });
        }
    }

    async fn join(&mut self, peer: AirlineId, url: String) {
        let now = self.now();
        self.replicas.entry(peer.clone()).or_insert_with(|| Replica::new(0, self.limits));
        self.publishers
            .entry(peer.clone())
            .or_insert_with(|| Publisher::new(self.head, self.limits));
        self.membership_step(membership::Event::Joined { peer, url, now }).await;
        self.publish_view();
    }

    async fn membership_step(&mut self, event: membership::Event) {
        let now = self.now();
        for action in self.membership.step(event) {
            match action {
                membership::Action::SendHeartbeat { peer, url, number } => {
                    self.send_heartbeat(peer, url, number)
                }
                membership::Action::StatusChanged { peer, status, .. } => {
                    tracing::info!(%peer, %status, "peer status changed");
                    let online = status == Status::Online;
                    self.publisher_step(&peer, PublisherEvent::PeerStatus { online, now });
                }
                membership::Action::LogHeadSeen { peer, head } => {
                    let _ = self.replica_step(&peer, ReplicaEvent::HeadSeen { head, now }).await;
                }
            }
        }
    }

    /// Steps `owner`'s replica and carries out its actions. A batch the store refuses is logged
    /// by [`Driver::apply`]; only a push has someone to tell, so other callers drop the error.
    async fn replica_step(
        &mut self,
        owner: &AirlineId,
        event: ReplicaEvent,
    ) -> Result<(), StoreError> {
        let Some(replica) = self.replicas.get_mut(owner) else { return Ok(()) };
        let actions = replica.step(event);
        for action in actions {
            match action {
                ReplicaAction::Apply { batch } => self.apply(owner, batch).await?,
                ReplicaAction::Pull { since, limit } => self.pull(owner.clone(), since, limit),
            }
        }
        Ok(())
    }

    /// Stores a batch of `owner`'s flights and puts them in the catalog. If the store refuses
    /// it, the replica goes back to the position the store has.
    async fn apply(&mut self, owner: &AirlineId, batch: Batch) -> Result<(), StoreError> {
        let flights = batch.flights.clone();
        match self.network.store.apply_replica(owner.clone(), batch, self.now()).await {
            Ok(()) => {
                for state in flights {
                    self.catalog.put_state(state);
                }
                self.last_applied.insert(owner.clone(), self.now());
                Ok(())
            }
            Err(error) => {
                tracing::warn!(%owner, %error, "a replicated batch was refused");
                let position =
                    self.network.store.replica_positions().await?.get(owner).copied().unwrap_or(0);
                self.replicas.insert(owner.clone(), Replica::new(position, self.limits));
                Err(error)
            }
        }
    }

    fn publisher_step(&mut self, peer: &AirlineId, event: PublisherEvent) {
        let Some(publisher) = self.publishers.get_mut(peer) else { return };
        for PublisherAction::Push { after, up_to } in publisher.step(event) {
            self.push(peer.clone(), after, up_to);
        }
    }

    /// Brings the catalog's copy of this node's own flights up to its log.
    async fn follow_own_log(&mut self) {
        if self.followed >= self.head {
            return;
        }
        let limit = self.limits.batch_entries_max;
        match self.network.store.log_batch(self.followed, limit).await {
            Ok(batch) => {
                self.followed = batch.up_to;
                for state in batch.flights {
                    self.catalog.put_state(state);
                }
            }
            Err(error) => tracing::warn!(%error, "cannot follow the change log"),
        }
    }

    /// Records what a peer says of itself, when it changed: its name, designator, colour.
    async fn learn_airline(&mut self, peer: &AirlineId, airline: Airline) {
        if airline.id != *peer {
            tracing::warn!(%peer, claimed = %airline.id, "a peer answered in another airline's name");
            return;
        }
        if self.airlines.get(peer) == Some(&airline) {
            return;
        }
        match self.network.store.put_airline(airline.clone()).await {
            Ok(()) => {
                self.airlines.insert(peer.clone(), airline);
            }
            Err(error) => tracing::warn!(%peer, %error, "cannot record a peer's airline"),
        }
    }

    fn send_heartbeat(&self, peer: AirlineId, url: String, number: u64) {
        let network = self.network.clone();
        tokio::spawn(async move {
            let event = match heartbeat(&network, &peer, url).await {
                Ok(answer) => Event::HeartbeatAnswered { peer, number, answer },
                Err(error) => {
                    tracing::debug!(%peer, %error, "heartbeat failed");
                    Event::HeartbeatFailed { peer, number }
                }
            };
            network.send(event).await;
        });
    }

    fn pull(&self, owner: AirlineId, since: u64, limit: u64) {
        let network = self.network.clone();
        tokio::spawn(async move {
            let answer = match network.address_of(&owner) {
                Some(address) => network
                    .client
                    .get::<CatalogAnswer>(
                        &address,
                        &format!("/peer/v1/catalog?after={since}&limit={limit}"),
                    )
                    .await
                    .map_err(|e| e.to_string()),
                None => Err("not a peer".to_owned()),
            };
            let event = match answer {
                Ok(answer) => Event::Pulled { owner, since, answer },
                Err(error) => {
                    tracing::debug!(%owner, %error, "pull failed");
                    Event::PullFailed { owner, since }
                }
            };
            network.send(event).await;
        });
    }

    fn push(&self, peer: AirlineId, after: u64, up_to: u64) {
        let network = self.network.clone();
        tokio::spawn(async move {
            let pushed = async {
                let address = network.address_of(&peer).ok_or("not a peer")?;
                let batch = network
                    .store
                    .log_batch(after, up_to - after)
                    .await
                    .map_err(|e| e.to_string())?;
                let answer: PushAnswer = network
                    .client
                    .post(&address, "/peer/v1/catalog", &batch)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok::<_, String>(answer.position)
            };
            let event = match pushed.await {
                Ok(position) => Event::Acknowledged { peer, position },
                Err(error) => {
                    tracing::debug!(%peer, %error, "push failed");
                    Event::PushFailed { peer }
                }
            };
            network.send(event).await;
        });
    }

    /// Publishes what the rest of the node may read about peers.
    fn publish_view(&self) {
        let view = self
            .membership
            .peers()
            .iter()
            .map(|(id, peer)| {
                let replica = self.replicas.get(id);
                let view = PeerView {
                    airline: id.clone(),
                    url: peer.url.clone(),
                    status: peer.status,
                    since: peer.since,
                    last_heartbeat: peer.last_heartbeat,
                    log_head: replica.map_or(0, Replica::head).max(peer.log_head.unwrap_or(0)),
                    replica_position: replica.map_or(0, Replica::position),
                    last_applied_at: self.last_applied.get(id).copied(),
                };
                (id.clone(), view)
            })
            .collect();
        *self.network.view.write().expect("the view lock is never poisoned") = view;
    }
}

/// Sends one heartbeat to `peer` at `url`.
async fn heartbeat(
    network: &Network,
    peer: &AirlineId,
    url: String,
) -> Result<HeartbeatAnswer, String> {
    let key = network.key_of(peer).ok_or_else(|| format!("no key pinned for {peer}"))?;
    let address = PeerAddress { airline: peer.clone(), url, key };
    let log_head = network.store.log_head().await.map_err(|e| e.to_string())?;
    let heartbeat = Heartbeat { airline: network.this.clone(), log_head };
    network.client.post(&address, "/peer/v1/heartbeat", &heartbeat).await.map_err(|e| e.to_string())
}
