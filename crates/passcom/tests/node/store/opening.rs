//! Opening a PostgreSQL store: the clear errors at start (a bad URL, an unreachable server, a
//! schema newer than the binary — nothing written), and migrations run once when several nodes
//! start at once.

use std::sync::Arc;

use futures::future::join_all;
use passcom::store::postgres::{OpenError, PostgresOptions, PostgresStore};

use crate::postgres::{TestDatabase, connect};

async fn open(url: &str) -> Result<PostgresStore, OpenError> {
    PostgresStore::open(url, &super::suite::owner(), &PostgresOptions::default()).await
}

#[tokio::test]
async fn a_url_that_is_not_postgresql_is_refused() {
    for url in ["mysql://root@127.0.0.1/rumos", "postgres://127.0.0.1:port/rumos", "rumos"] {
        let opened = open(url).await;
        assert!(matches!(opened, Err(OpenError::BadUrl(_))), "{url}: {:?}", opened.err());
    }
}

#[tokio::test]
async fn an_unreachable_server_is_said_to_be_so() {
    // A loopback port nobody listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let opened = open(&format!("postgres://postgres@127.0.0.1:{port}/rumos")).await;
    let error = opened.err().expect("nothing listens there");
    assert!(matches!(error, OpenError::Unreachable(_)), "{error:?}");
    assert!(error.to_string().starts_with("cannot reach the PostgreSQL server"), "{error}");
}

#[tokio::test]
async fn a_schema_newer_than_the_binary_is_refused_and_nothing_is_written() {
    let Some(database) = TestDatabase::create("a newer schema").await else { return };
    let client = connect(&database.url).await;
    client
        .batch_execute(
            "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, applied_at timestamptz NOT NULL);
             INSERT INTO schema_migrations VALUES (1, now()), (2, now()), (99, now());",
        )
        .await
        .unwrap();
    let error = open(&database.url).await.err().expect("a newer schema is refused");
    assert!(matches!(error, OpenError::SchemaNewer { database: 99, .. }), "{error:?}");
    assert!(error.to_string().contains("nothing was written"), "{error}");
    let tables: i64 = client
        .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 1, "no table but schema_migrations");
    let versions: i64 =
        client.query_one("SELECT count(*) FROM schema_migrations", &[]).await.unwrap().get(0);
    assert_eq!(versions, 3, "no migration recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_starting_at_once_migrate_the_database_once() {
    let Some(database) = TestDatabase::create("nodes starting at once").await else { return };
    let url = Arc::new(database.url.clone());
    let opening = (0..6).map(|_| {
        let url = url.clone();
        tokio::spawn(async move { open(&url).await.map(drop) })
    });
    for opened in join_all(opening).await {
        opened.unwrap().unwrap();
    }
    let client = connect(&database.url).await;
    let versions: Vec<i64> = client
        .query("SELECT version FROM schema_migrations ORDER BY version", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(versions, vec![1], "one migration, recorded once");
}
