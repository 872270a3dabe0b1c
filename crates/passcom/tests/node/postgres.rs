//! A database of its own for each test on PostgreSQL, in the cluster `./scripts/test` starts
//! (`scripts/lib/postgres.sh`), named by `POSTGRES_TEST_URL` — not `PASSCOM_…`: every
//! `PASSCOM_` variable is configuration to a node, and the test processes inherit it.
//!
//! Each test gets a fresh schema of that database, named at random and dropped when the test
//! ends (passed or failed): the store finds its tables through the connection's `search_path`,
//! set in the URL it is given.
//!
//! Without the variable a test on PostgreSQL cannot run. Under CI (`CI` set, as every CI
//! service and `.ci/run` set it) or with `POSTGRES_TEST_REQUIRED=1` that is a failure,
//! so that these tests can never pass by not running; elsewhere (a developer's `cargo test`
//! without a cluster) the test says it skipped and returns.

use std::time::Duration;

/// Where the test cluster is.
const URL_VARIABLE: &str = "POSTGRES_TEST_URL";

/// A schema of the test database for one test, dropped with it.
pub struct TestDatabase {
    /// The URL a store opens: the test database, with this schema first in its search path.
    pub url: String,
    server_url: String,
    schema: String,
}

impl TestDatabase {
    /// A fresh, empty schema; `None` (after saying so) when no cluster is configured outside
    /// CI.
    pub async fn create(test: &str) -> Option<Self> {
        let server_url = server_url(test)?;
        let schema = format!("test_{:016x}", rand::random::<u64>());
        let client = connect(&server_url).await;
        client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.unwrap();
        let separator = if server_url.contains('?') { '&' } else { '?' };
        let url = format!("{server_url}{separator}options=-csearch_path%3D{schema}");
        Some(Self { url, server_url, schema })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop runs outside any async context the test's runtime still drives: a thread of its
        // own, with a runtime of its own, removes the schema.
        let (url, schema) = (self.server_url.clone(), self.schema.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async move {
                let client = connect(&url).await;
                client.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).await
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the test schema {}: {dropped:?}", self.schema);
        }
    }
}

/// The test cluster's URL; `None` when it is not configured and may be skipped.
fn server_url(test: &str) -> Option<String> {
    if let Ok(url) = std::env::var(URL_VARIABLE) {
        return Some(url);
    }
    let required = std::env::var_os("CI").is_some()
        || std::env::var("POSTGRES_TEST_REQUIRED").is_ok_and(|value| value == "1");
    assert!(
        !required,
        "{test} needs PostgreSQL: {URL_VARIABLE} is not set (./scripts/test starts a cluster and \
         sets it; or source scripts/lib/postgres.sh and call postgres_start)"
    );
    eprintln!("skipped {test}: {URL_VARIABLE} is not set (./scripts/test sets it)");
    None
}

/// A plain connection to `url`, its driver on a task of the current runtime.
pub async fn connect(url: &str) -> tokio_postgres::Client {
    let connecting = tokio_postgres::connect(url, tokio_postgres::NoTls);
    let (client, connection) =
        tokio::time::timeout(Duration::from_secs(10), connecting).await.unwrap().unwrap();
    tokio::spawn(connection);
    client
}
