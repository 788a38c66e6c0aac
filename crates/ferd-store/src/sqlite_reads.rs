//! Short reads by key on SQLite, answered on the calling thread.
//!
//! Every call through sqlx's SQLite driver is a hand-off to the connection's own thread and back, which on a
//! virtual machine costs more than a lookup by key. The read every API request makes before it does anything else
//! (its token) is answered here instead, on a read-only connection of this module's own, in the
//! time of a page-cache lookup: in WAL mode a reader never waits for the writer. Nothing else should come here; a
//! read that scans or that could wait belongs in the pool.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::StoreError;

/// Connections kept open between reads (one per thread reading at the same moment, at most this many kept).
const KEPT: usize = 4;

/// Read-only connections to one SQLite database file.
pub(crate) struct SqliteReads {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

impl std::fmt::Debug for SqliteReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteReads")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteReads {
    pub(crate) fn new(path: &Path) -> SqliteReads {
        SqliteReads {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `read` on one of the connections (opened if none is free). A connection whose read failed is closed,
    /// not kept.
    pub(crate) fn read<T>(
        &self,
        read: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => self.open()?,
        };
        let out = read(&conn)?;
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < KEPT {
                idle.push(conn);
            }
        }
        Ok(out)
    }

    fn open(&self) -> Result<rusqlite::Connection, StoreError> {
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // A WAL reader waits only in rare moments (another connection recovering the log after a crash); never long.
        conn.busy_timeout(Duration::from_millis(200))?;
        Ok(conn)
    }
}
