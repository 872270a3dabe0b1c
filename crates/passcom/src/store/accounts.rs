//! Accounts and sessions: customers of this airline, and who is logged in.

use async_trait::async_trait;
use jiff::Timestamp;
use passcom_core::{CustomerName, Username};

use super::StoreResult;

/// A customer's id at their home airline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(pub i64);

/// A customer account, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Id at this airline.
    pub id: CustomerId,
    /// Login name.
    pub username: Username,
    /// Name shown in the account.
    pub name: CustomerName,
    /// When the account was made.
    pub created_at: Timestamp,
}

/// A new account to store; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewCustomer {
    /// Login name.
    pub username: Username,
    /// Name shown in the account.
    pub name: CustomerName,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    /// When the account is made.
    pub created_at: Timestamp,
}

/// A logged-in session. Only the SHA-256 of the token is stored, so a copy of the database
/// opens no account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the bearer token.
    pub token_hash: [u8; 32],
    /// Whose session it is.
    pub customer: Customer,
    /// When the customer logged in.
    pub created_at: Timestamp,
    /// Last time the session was used (updated at most once per touch interval).
    pub last_seen_at: Timestamp,
}

/// Customer accounts and their sessions.
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Creates an account; `UsernameTaken` if the username is in use.
    async fn create_customer(&self, customer: NewCustomer) -> StoreResult<Customer>;
    /// The account and its password hash, to check a login.
    async fn credentials(&self, username: Username) -> StoreResult<Option<(Customer, String)>>;
    /// Records a new session.
    async fn create_session(
        &self,
        token_hash: [u8; 32],
        customer: CustomerId,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// The session with this token hash.
    async fn session(&self, token_hash: [u8; 32]) -> StoreResult<Option<Session>>;
    /// Marks the session used at `at`.
    async fn touch_session(&self, token_hash: [u8; 32], at: Timestamp) -> StoreResult<()>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: [u8; 32]) -> StoreResult<()>;
    /// Ends every session last used before `idle_since`; returns how many.
    async fn delete_idle_sessions(&self, idle_since: Timestamp) -> StoreResult<usize>;
}
