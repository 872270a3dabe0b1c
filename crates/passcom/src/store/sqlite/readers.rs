//! Readers: a pool of read-only connections, used from blocking threads.
//!
//! In WAL mode readers never wait for the writer and the writer never waits for readers; each
//! read sees the last committed state. Reads run on tokio's blocking threads so that a slow
//! query never stalls the tasks serving other requests.
//!
//! Inline (see [`Execution`]), one read-only connection, opened the same way, serves every
//! read on the caller's task, and there is no pool (r2d2 has a thread of its own).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::writer::internal;
use crate::execution::Execution;
use crate::store::{StoreError, StoreResult};

/// Opens read-only connections to one database file for the pool.
pub(crate) struct ReaderConnections {
    path: PathBuf,
}

impl r2d2::ManageConnection for ReaderConnections {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> Result<Connection, rusqlite::Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(&self.path, flags)?;
        connection.busy_timeout(Duration::from_secs(5))?;
        connection.pragma_update(None, "query_only", true)?;
        super::schema::configure_statements(&connection)?;
        Ok(connection)
    }

    fn is_valid(&self, connection: &mut Connection) -> Result<(), rusqlite::Error> {
        connection.execute_batch("")
    }

    fn has_broken(&self, _: &mut Connection) -> bool {
        false
    }
}

/// The readers.
#[derive(Clone)]
pub(crate) enum Readers {
    /// A pool, read from blocking threads.
    Pool(r2d2::Pool<ReaderConnections>),
    /// One connection, read from the caller's task.
    Inline(Arc<Mutex<Connection>>),
}

impl Readers {
    /// Up to `size` readers of the database at `path`, run as `execution` says.
    pub(crate) fn open(path: &Path, size: u32, execution: Execution) -> StoreResult<Self> {
        let connections = ReaderConnections { path: path.to_owned() };
        if execution == Execution::Inline {
            let connection = r2d2::ManageConnection::connect(&connections).map_err(internal)?;
            return Ok(Self::Inline(Arc::new(Mutex::new(connection))));
        }
        let pool = r2d2::Pool::builder()
            .max_size(size.max(1))
            .min_idle(Some(1))
            .build(connections)
            .map_err(|error| StoreError::Internal(format!("cannot open readers: {error}")))?;
        Ok(Self::Pool(pool))
    }

    /// Runs `read` on a pooled connection in a blocking thread, or inline.
    pub(crate) async fn read<R, F>(&self, read: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, rusqlite::Error> + Send + 'static,
    {
        let pool = match self {
            Self::Pool(pool) => pool.clone(),
            Self::Inline(connection) => {
                let connection = connection.lock().expect("the reader lock is never poisoned");
                return read(&connection).map_err(internal);
            }
        };
        tokio::task::spawn_blocking(move || {
            let connection = pool
                .get()
                .map_err(|error| StoreError::Internal(format!("no reader available: {error}")))?;
            read(&connection).map_err(internal)
        })
        .await
        .map_err(|error| StoreError::Internal(format!("a read failed: {error}")))?
    }

    /// [`Readers::read`] for reads that tell store errors themselves.
    pub(crate) async fn read_store<R, F>(&self, read: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        self.read(move |connection| Ok(read(connection))).await?
    }
}
