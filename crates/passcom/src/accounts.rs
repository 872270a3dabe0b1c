//! Customer accounts: registration, login, sessions, logout.
//!
//! Passwords are hashed with argon2id (OWASP's minimum cost by default) on blocking threads,
//! at most `password_hashes_concurrent_max` at once, so a burst of logins cannot take every
//! core or unbounded memory (inline instead, in the deterministic simulator: see
//! [`Execution`]). Salts come from the node's [`Entropy`], like every other random value. A login for an unknown username still verifies a password — against
//! a decoy hash made at start-up — so that both failures take the same time and give the same
//! answer.
//!
//! A session token is 32 random bytes (base64url), shown to the customer once; the store keeps
//! only its SHA-256. A session expires after `session_idle_timeout_ms` without use. Its last use
//! is written at most every `session_touch_interval_ms`, so an active customer costs one write
//! a minute rather than one per request; expiry can therefore come up to one interval early.
//!
//! Live sessions are cached in memory, so authenticating a request reads no database: this node
//! is the only one that writes its sessions, so the cache can only be stale by what this node
//! did itself, and every deletion (logout, expiry, sweep) goes through it. One race remains — a
//! request that misses the cache, reads the session, and puts it back after a logout deleted it
//! — and a revocation counter closes it: a read may only fill the cache if no session was
//! deleted since the read began.
//!
//! Expired sessions are deleted by a driver of their own, the [`SessionSweeper`], built from the
//! account service alone.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use passcom_core::{CustomerName, Password, Username};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::clock::{Clock, Entropy};
use crate::config::{Limits, PasswordHashing};
use crate::execution::Execution;
use crate::stop::{Stop, stopped};
use crate::store::{Customer, NewCustomer, Session, Store, StoreError};

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Another account has that username.
    #[error("username taken")]
    UsernameTaken,
    /// Unknown username or wrong password (deliberately not told apart).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// No valid session token.
    #[error("not authenticated")]
    Unauthenticated,
    /// The session expired after being idle.
    #[error("session expired")]
    SessionExpired,
    /// Storage or hashing failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Bytes of a password's salt (argon2's recommended length).
const SALT_BYTES: usize = 16;

/// Argon2id hashing with bounded concurrency.
pub struct PasswordHasher {
    params: Params,
    permits: Semaphore,
    decoy_hash: String,
    entropy: Arc<dyn Entropy>,
    execution: Execution,
}

impl PasswordHasher {
    /// A hasher of cost `cost`, computing at most `concurrent_max` hashes at once where
    /// `execution` says, with salts from `entropy`.
    pub fn new(
        cost: &PasswordHashing,
        concurrent_max: usize,
        entropy: Arc<dyn Entropy>,
        execution: Execution,
    ) -> anyhow::Result<Self> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|error| anyhow::anyhow!("invalid password hashing cost: {error}"))?;
        let decoy_hash = hash_now(&params, "a password no account has", &salt(entropy.as_ref()))?;
        let permits = Semaphore::new(concurrent_max.max(1));
        Ok(Self { params, permits, decoy_hash, entropy, execution })
    }

    /// The PHC string of `password`'s hash, with a fresh random salt.
    pub async fn hash(&self, password: &Password) -> Result<String, StoreError> {
        let _permit = self.permits.acquire().await.expect("the semaphore is never closed");
        let (params, password) = (self.params.clone(), password.expose().to_owned());
        let salt = salt(self.entropy.as_ref());
        self.execution
            .run(move || hash_now(&params, &password, &salt))
            .await
            .ok_or_else(|| StoreError::Internal("password hashing was interrupted".into()))?
            .map_err(|error| StoreError::Internal(error.to_string()))
    }

    /// Whether `password` matches `hash`; with no hash (unknown user) it checks the decoy and
    /// answers `false`, taking the same time.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let _permit = self.permits.acquire().await.expect("the semaphore is never closed");
        let known = hash.is_some();
        let hash = hash.unwrap_or(&self.decoy_hash).to_owned();
        let password = password.to_owned();
        let matches = self
            .execution
            .run(move || {
                Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok()
            })
            .await
            .unwrap_or(false);
        known && matches
    }
}

/// A fresh salt.
fn salt(entropy: &dyn Entropy) -> [u8; SALT_BYTES] {
    let mut salt = [0; SALT_BYTES];
    entropy.fill(&mut salt);
    salt
}

fn hash_now(params: &Params, password: &str, salt: &[u8]) -> anyhow::Result<String> {
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let hash = argon2
        .hash_password_with_salt(password.as_bytes(), salt)
        .map_err(|error| anyhow::anyhow!("password hashing failed: {error}"))?;
    Ok(hash.to_string())
}

/// A session token as the customer holds it.
pub struct IssuedSession {
    /// The bearer token, shown once.
    pub token: String,
    /// When it expires if left unused.
    pub expires_at: Timestamp,
}

/// Live sessions by token hash, in memory.
struct SessionCache {
    sessions: Mutex<HashMap<[u8; 32], Session>>,
    /// Bumped before every deletion of a session.
    revocations: AtomicU64,
    entries_max: usize,
}

impl SessionCache {
    fn new(entries_max: usize) -> Self {
        Self { sessions: Mutex::new(HashMap::new()), revocations: AtomicU64::new(0), entries_max }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Session>> {
        self.sessions.lock().expect("the session cache lock is never poisoned")
    }

    fn get(&self, hash: &[u8; 32]) -> Option<Session> {
        self.lock().get(hash).cloned()
    }

    /// The revocation count to pass to [`SessionCache::fill`] after reading the store.
    fn epoch(&self) -> u64 {
        self.revocations.load(Ordering::SeqCst)
    }

    /// Caches `session`, read from the store since `epoch`, unless a session was deleted since.
    fn fill(&self, session: &Session, epoch: u64) {
        let mut sessions = self.lock();
        if self.epoch() != epoch {
            return;
        }
        if sessions.len() >= self.entries_max {
            // A cache, not the record: dropping it all costs one read per live session.
            sessions.clear();
        }
        sessions.insert(session.token_hash, session.clone());
    }

    fn touched(&self, hash: &[u8; 32], at: Timestamp) {
        if let Some(session) = self.lock().get_mut(hash) {
            session.last_seen_at = at;
        }
    }

    /// Announces a deletion; call before deleting from the store, then [`SessionCache::forget`].
    fn revoke(&self) {
        self.revocations.fetch_add(1, Ordering::SeqCst);
    }

    fn forget(&self, keep: impl Fn(&Session) -> bool) {
        self.lock().retain(|_, session| keep(session));
    }
}

/// Registration, login and sessions.
pub struct Accounts {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    hasher: PasswordHasher,
    sessions: SessionCache,
    idle_timeout: SignedDuration,
    touch_interval: SignedDuration,
}

impl Accounts {
    /// The account service over `store`.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        hasher: PasswordHasher,
        limits: &Limits,
    ) -> Self {
        Self {
            store,
            clock,
            entropy,
            hasher,
            sessions: SessionCache::new(limits.session_cache_entries_max),
            idle_timeout: SignedDuration::from_millis(limits.session_idle_timeout_ms as i64),
            touch_interval: SignedDuration::from_millis(limits.session_touch_interval_ms as i64),
        }
    }

    /// Creates an account.
    pub async fn register(
        &self,
        username: Username,
        password: &Password,
        name: CustomerName,
    ) -> Result<Customer, AccountError> {
        let password_hash = self.hasher.hash(password).await?;
        let customer = NewCustomer { username, name, password_hash, created_at: self.clock.now() };
        self.store.create_customer(customer).await.map_err(|error| match error {
            StoreError::UsernameTaken => AccountError::UsernameTaken,
            other => other.into(),
        })
    }

    /// Checks a username and password and opens a session. Anything wrong — unknown user,
    /// malformed username, wrong password — is `InvalidCredentials`, after the same work.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<IssuedSession, AccountError> {
        let account = match Username::parse(username) {
            Ok(username) => self.store.credentials(username).await?,
            Err(_) => None,
        };
        let hash = account.as_ref().map(|(_, hash)| hash.as_str());
        if !self.hasher.verify(password, hash).await {
            return Err(AccountError::InvalidCredentials);
        }
        let (customer, _) = account.expect("a verified password belongs to an account");
        let token = self.new_token();
        let now = self.clock.now();
        self.store.create_session(token_hash(&token), customer.id, now).await?;
        Ok(IssuedSession { token, expires_at: now + self.idle_timeout })
    }

    /// The live session of bearer `token`, marking it used.
    pub async fn authenticate(&self, token: &str) -> Result<Session, AccountError> {
        let hash = token_hash(token);
        let session = match self.sessions.get(&hash) {
            Some(session) => session,
            None => {
                let epoch = self.sessions.epoch();
                let session =
                    self.store.session(hash).await?.ok_or(AccountError::Unauthenticated)?;
                self.sessions.fill(&session, epoch);
                session
            }
        };
        let now = self.clock.now();
        if session.last_seen_at + self.idle_timeout <= now {
            self.end_session(hash).await?;
            return Err(AccountError::SessionExpired);
        }
        if session.last_seen_at + self.touch_interval <= now {
            self.store.touch_session(hash, now).await?;
            self.sessions.touched(&hash, now);
        }
        Ok(session)
    }

    /// Deletes a session from the store and the cache.
    async fn end_session(&self, hash: [u8; 32]) -> Result<(), AccountError> {
        self.sessions.revoke();
        self.store.delete_session(hash).await?;
        self.sessions.forget(|session| session.token_hash != hash);
        Ok(())
    }

    /// When `session` expires if left unused from now on.
    pub fn expires_at(&self) -> Timestamp {
        self.clock.now() + self.idle_timeout
    }

    /// Ends the session of bearer `token`.
    pub async fn logout(&self, token: &str) -> Result<(), AccountError> {
        self.end_session(token_hash(token)).await
    }

    /// Deletes every expired session; returns how many.
    pub async fn sweep_idle_sessions(&self) -> Result<usize, AccountError> {
        let idle_since = self.clock.now() - self.idle_timeout;
        self.sessions.revoke();
        let deleted = self.store.delete_idle_sessions(idle_since).await?;
        self.sessions.forget(|session| session.last_seen_at >= idle_since);
        Ok(deleted)
    }

    /// Hashes `password` for an account created outside registration (the seed).
    pub async fn hash_password(&self, password: &Password) -> Result<String, AccountError> {
        Ok(self.hasher.hash(password).await?)
    }

    fn new_token(&self) -> String {
        let mut bytes = [0; 32];
        self.entropy.fill(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    }
}

/// The SHA-256 of a bearer token: what the store keeps.
fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The session sweeper: deletes expired sessions every `interval_ms`.
pub struct SessionSweeper {
    /// The account service whose sessions it sweeps.
    pub accounts: Arc<Accounts>,
    /// How often.
    pub interval_ms: u64,
}

impl SessionSweeper {
    /// Sweeps until `stop` says to stop.
    pub async fn run(self, mut stop: Stop) {
        let mut every =
            tokio::time::interval(std::time::Duration::from_millis(self.interval_ms.max(1)));
        loop {
            tokio::select! {
                biased;
                () = stopped(&mut stop) => return,
                _ = every.tick() => {
                    if let Err(error) = self.accounts.sweep_idle_sessions().await {
                        tracing::warn!(%error, "could not delete expired sessions");
                    }
                }
            }
        }
    }
}
