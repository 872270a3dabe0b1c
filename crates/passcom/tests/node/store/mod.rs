//! The storage conformance suite, run against every backend.
//!
//! Each test of [`suite`] takes a fresh, empty store. A backend joins with a module here that
//! invokes `suite::conformance_suite!` with a function opening one — or, while it is written,
//! one concern's macro at a time (`suite::catalog::catalog_suite!` and so on; see [`suite`]).
//! The SQLite store runs it twice: on its threads (production) and inline (the simulator's);
//! the PostgreSQL store once, each test on a schema of its own in the test cluster (see
//! `crate::postgres`).

mod opening;
pub(crate) mod suite;

use std::sync::Arc;

use passcom::execution::Execution;
use passcom::store::Store;
use passcom::store::sqlite::{SqliteOptions, SqliteStore};
use tempfile::TempDir;

/// An open store and whatever keeps it alive.
pub struct Fixture {
    pub store: Arc<dyn Store>,
    _dir: TempDir,
}

impl suite::Opened for Fixture {
    type Fixture = Self;
    fn fixture(self) -> Option<Self> {
        Some(self)
    }
}

mod sqlite {
    use super::*;

    async fn open() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let owner = super::suite::owner();
        let store =
            SqliteStore::open(&dir.path().join("store.sqlite3"), &owner, &SqliteOptions::default())
                .unwrap();
        Fixture { store: Arc::new(store), _dir: dir }
    }

    super::suite::conformance_suite!(open);
}

mod postgres {
    use passcom::store::postgres::{PostgresOptions, PostgresStore};

    use super::*;
    use crate::postgres::TestDatabase;

    /// A store on a fresh schema of the test cluster, dropped after the test.
    pub struct PostgresFixture {
        pub store: Arc<dyn Store>,
        _database: TestDatabase,
    }

    async fn open() -> Option<PostgresFixture> {
        let database = TestDatabase::create("the PostgreSQL conformance suite").await?;
        let owner = super::suite::owner();
        let store =
            PostgresStore::open(&database.url, &owner, &PostgresOptions::default()).await.unwrap();
        Some(PostgresFixture { store: Arc::new(store), _database: database })
    }

    super::suite::conformance_suite!(open);
}

mod sqlite_inline {
    use super::*;

    async fn open() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let owner = super::suite::owner();
        let options = SqliteOptions { execution: Execution::Inline, ..SqliteOptions::default() };
        let store = SqliteStore::open(&dir.path().join("store.sqlite3"), &owner, &options).unwrap();
        Fixture { store: Arc::new(store), _dir: dir }
    }

    super::suite::conformance_suite!(open);
}
