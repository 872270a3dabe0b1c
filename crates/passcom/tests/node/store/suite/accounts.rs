//! Accounts and sessions: unique usernames, credentials, sessions touched and swept.

use passcom::store::{AccountStore, NewCustomer, StoreError};

use super::*;

/// Declares the accounts tests for a backend (see [`super::each_test`]).
macro_rules! accounts_suite {
    ($open:ident) => {
        crate::store::suite::each_test!($open, accounts =>
            usernames_are_unique,
            sessions_are_created_touched_and_swept,
        );
    };
}
pub(crate) use accounts_suite;

pub async fn usernames_are_unique(store: &(impl AccountStore + ?Sized)) {
    let id = customer(store, "unique").await;
    let again = NewCustomer {
        username: Username::parse("unique").unwrap(),
        name: CustomerName::parse("Someone Else").unwrap(),
        password_hash: "x".into(),
        created_at: now(),
    };
    assert!(matches!(store.create_customer(again).await, Err(StoreError::UsernameTaken)));
    let (found, hash) =
        store.credentials(Username::parse("unique").unwrap()).await.unwrap().unwrap();
    assert_eq!((found.id, hash.as_str()), (id, "$argon2id$not-a-real-hash"));
    assert!(store.credentials(Username::parse("nobody").unwrap()).await.unwrap().is_none());
}

pub async fn sessions_are_created_touched_and_swept(store: &(impl AccountStore + ?Sized)) {
    let id = customer(store, "session").await;
    let start = now();
    store.create_session([1; 32], id, start).await.unwrap();
    store.create_session([2; 32], id, start).await.unwrap();
    let later = start + SignedDuration::from_mins(10);
    store.touch_session([1; 32], later).await.unwrap();
    let session = store.session([1; 32]).await.unwrap().unwrap();
    assert_eq!(
        (session.customer.id, session.last_seen_at),
        (id, Timestamp::from_millisecond(later.as_millisecond()).unwrap())
    );
    assert_eq!(store.delete_idle_sessions(start + SignedDuration::from_mins(5)).await.unwrap(), 1);
    assert!(store.session([2; 32]).await.unwrap().is_none());
    store.delete_session([1; 32]).await.unwrap();
    assert!(store.session([1; 32]).await.unwrap().is_none());
}
