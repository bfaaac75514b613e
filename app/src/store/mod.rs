//! The phone's offline store: an append-only operation log, an outbox of what the server has not yet
//! acknowledged, and a materialized current state for the map, in one SQLite file (WAL).
//!
//! Every write is one transaction: when [`Store::record`] returns, the operation is committed and
//! survives the app being killed. The UI may say "saved" only after that.

mod alerts;
mod exports;
mod handovers;
mod materialize;
mod materialize_rows;
mod outbox;
mod photo_files;
mod photos;
mod queries;
mod record;
mod schema;
mod shift;
mod sync;
mod track;

use std::path::Path;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};
use thiserror::Error;
use torgkoll_shared::{Invalid, Role, Site};
use uuid::Uuid;

pub use alerts::{ALERT_WINDOW_MS, Alert, AlertKind};
pub use exports::save_document;
pub use handovers::HandoverView;
pub use outbox::OutboxOp;
pub use photos::{OutgoingPhoto, PhotoCounts, PhotoView, Upload};
pub use queries::{FieldFilter, HistoryEntry, Refusal, ReportView, RunView, SyncState, ZoneCount};
pub use shift::{DEFAULT_ORDER, QUIET_MS, Shift};
pub use sync::{ApplyOutcome, SyncStatus};
pub use track::{GOOD_FIX_SETTING, good_fix_accuracy_m};

/// What went wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the phone's database failed: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{0}")]
    Invalid(#[from] Invalid),
    #[error("this phone is not enrolled yet")]
    NotEnrolled,
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error("no shift is running")]
    NoShift,
    /// Enrollment answered with another device id while this phone's queue waits under its own.
    #[error(
        "the server gave another device id; {pending} operations of this phone ({device}) are not sent yet \
         and would be orphaned: ask for a code for this device (enroll --device {device})"
    )]
    WouldOrphan { device: Uuid, pending: u64 },
    #[error("the photo could not be kept: {0}")]
    Photo(String),
    /// A newer app wrote this database (a migration this one does not know); nothing was changed.
    #[error(
        "this phone's data was saved by a newer version of the app (schema {found}, this app knows \
         {known}): update the app; nothing was changed"
    )]
    TooNew { found: u32, known: u32 },
    #[error("the phone's database could not be updated: {0}")]
    Migration(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who this phone is to the server: what enrollment gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub device: Uuid,
    pub token: String,
    pub role: Role,
    pub name: String,
    pub server: String,
}

/// How durable a commit is. `Normal` (the phone's default, as on Android for WAL databases) writes every
/// commit to the WAL before returning, so it survives the app being killed at any moment; `Full` also
/// fsyncs the WAL on every commit, so it survives the OS crashing or power loss, at a few ms per tap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    Full,
    Normal,
}

/// The phone's store.
pub struct Store {
    conn: Connection,
    site: Arc<Site>,
    identity: Option<Identity>,
    /// Where photos are kept (`photos/` beside the database file); `None` for an in-memory store.
    photos_dir: Option<std::path::PathBuf>,
    /// Declared after `conn`: dropped after it, so the last checkpoint sees every commit.
    _checkpointer: Option<torgkoll_migrate::Checkpointer>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("identity", &self.identity.as_ref().map(|i| i.device))
            .finish()
    }
}

/// The file name of the database inside the data directory.
pub const DB_FILE: &str = "torgkoll.sqlite";

impl Store {
    /// Opens (creating if needed) the database at `path`, in WAL mode, migrated to the newest schema.
    pub fn open(path: &Path, site: Arc<Site>) -> Result<Store> {
        Self::open_with(path, site, Durability::Normal)
    }

    pub fn open_with(path: &Path, site: Arc<Site>, durability: Durability) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let sync = if durability == Durability::Full {
            "FULL"
        } else {
            "NORMAL"
        };
        conn.pragma_update(None, "synchronous", sync)?;
        // After a big pull the WAL is cut back to this size once checkpointed, instead of keeping its peak.
        conn.pragma_update(None, "journal_size_limit", 4 * 1024 * 1024)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = Self::init(conn, site)?;
        store.photos_dir = Some(photo_files::dir_beside(path));
        store.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // A passive checkpoint once a second, off the tap path (`torgkoll_migrate::Checkpointer`).
        store._checkpointer = Some(torgkoll_migrate::Checkpointer::start(
            path,
            std::time::Duration::from_secs(1),
            std::time::Duration::ZERO,
        )?);
        Ok(store)
    }

    /// An in-memory store, for tests.
    pub fn open_in_memory(site: Arc<Site>) -> Result<Store> {
        Self::init(Connection::open_in_memory()?, site)
    }

    fn init(mut conn: Connection, site: Arc<Site>) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Applying a pulled page alone keeps some twenty statements prepared (rusqlite's default is 16).
        conn.set_prepared_statement_cache_capacity(64);
        schema::migrate(&mut conn)?;
        let mut store = Store {
            conn,
            site,
            identity: None,
            photos_dir: None,
            _checkpointer: None,
        };
        store.identity = store.load_identity()?;
        if get_meta(&store.conn, "rebuild")?.is_some() {
            let me = store.identity.as_ref().map(|i| i.device);
            let tx = store.conn.transaction()?;
            materialize::rebuild_all(&tx, &store.site, me)?;
            tx.execute("DELETE FROM meta WHERE key = 'rebuild'", [])?;
            tx.commit()?;
        }
        Ok(store)
    }

    pub fn site(&self) -> &Arc<Site> {
        &self.site
    }

    /// Switches to another site plan (the server's, downloaded after enrolling or at a sync): what is
    /// recorded from now on is validated against it, and the materialized state (zones of reports and
    /// runs) is rebuilt with it in one transaction, so the map never shows zones of the old plan.
    pub fn set_site(&mut self, site: Arc<Site>) -> Result<()> {
        let me = self.identity.as_ref().map(|i| i.device);
        let tx = self.conn.transaction()?;
        materialize::rebuild_all(&tx, &site, me)?;
        tx.commit()?;
        self.site = site;
        Ok(())
    }

    /// Who this phone is, once enrolled.
    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }

    /// Saves what enrollment gave this phone. Operations already recorded keep their device id.
    /// Re-enrolling the same device (a new token and maybe server, after a rotation or a revocation)
    /// keeps everything: the queue continues at the next `seq`. Another device id is refused while
    /// operations wait in the outbox (they belong to the old id and `seq`, and nobody could send them);
    /// with an empty outbox the new device's operations start again at `seq` 1.
    pub fn set_identity(&mut self, id: Identity) -> Result<()> {
        let tx = self.conn.transaction()?;
        if let Some(old) = self.identity.as_ref().filter(|old| old.device != id.device) {
            let pending: i64 = tx.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?;
            if pending > 0 {
                return Err(StoreError::WouldOrphan {
                    device: old.device,
                    pending: pending as u64,
                });
            }
            set_meta(&tx, "last_seq", "0")?;
        }
        for (k, v) in [
            ("device", id.device.to_string()),
            ("token", id.token.clone()),
            ("role", id.role.code().to_owned()),
            ("name", id.name.clone()),
            ("server", id.server.clone()),
        ] {
            set_meta(&tx, k, &v)?;
        }
        tx.commit()?;
        self.identity = Some(id);
        Ok(())
    }

    fn load_identity(&self) -> Result<Option<Identity>> {
        let get = |k| get_meta(&self.conn, k);
        let (Some(device), Some(token), Some(role)) = (get("device")?, get("token")?, get("role")?)
        else {
            return Ok(None);
        };
        Ok(Some(Identity {
            device: device
                .parse()
                .map_err(|_| StoreError::Corrupt("device id".into()))?,
            token,
            role: Role::from_code(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
            name: get("name")?.unwrap_or_default(),
            server: get("server")?.unwrap_or_default(),
        }))
    }

    /// A setting kept with the data (the language, say).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        get_meta(&self.conn, &format!("setting.{key}"))
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        set_meta(&self.conn, &format!("setting.{key}"), value)
    }
}

pub(crate) fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub(crate) fn meta_u64(conn: &Connection, key: &str) -> Result<u64> {
    Ok(get_meta(conn, key)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

#[cfg(test)]
mod alert_tests;
#[cfg(test)]
mod identity_tests;
#[cfg(test)]
mod outbox_tests;
#[cfg(test)]
mod photo_tests;
#[cfg(test)]
mod pull_tests;
#[cfg(test)]
mod restore_tests;
#[cfg(test)]
mod shift_tests;
#[cfg(test)]
mod site_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
