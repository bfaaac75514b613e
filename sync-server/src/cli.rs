//! The command line: `revoke` and `devices`; `enroll` and `rotate` are in [`crate::enroll_command`],
//! `serve` in [`crate::serve_command`], the review commands (`lagesbild`, `export`, `purge`, `demo`) in
//! [`crate::review::commands`], `webhook` in [`crate::webhooks::commands`], and the bounds of every
//! numeric flag in [`crate::flag_bounds`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use thiserror::Error;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use torgkoll_shared::{Role, Site};

use crate::clock::{Clock, SystemClock};
use crate::enroll_command::{self, EnrollArgs, RotateArgs};
use crate::flag_bounds;
use crate::review::commands::{self as review, DemoArgs, ExportArgs, LagesbildArgs, PurgeArgs};
use crate::serve_command::{ServeArgs, serve_command};
use crate::store::{Device, PgStore, ServerStore, SqliteStore, StoreError, is_postgres_url};

#[derive(Debug, Parser)]
#[command(name = "torgkoll-server", version, about = "Torgkoll's sync server")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct DbArg {
    /// The SQLite database file (created if missing), or a PostgreSQL database as a
    /// `postgres://user@host:port/dbname` URL (then --photos-dir is needed where photos are).
    #[arg(long, env = "TORGKOLL_DB", default_value = "torgkoll-server.sqlite")]
    pub db: PathBuf,
}

#[derive(Debug, Args)]
pub struct PhotosDirArg {
    /// The directory of the photo files, with `partial/` and `thumbs/` (default: the database's path with
    /// `.photos` appended).
    #[arg(long, env = "TORGKOLL_PHOTOS_DIR", value_parser = flag_bounds::photos_dir)]
    pub photos_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SiteArg {
    /// A site plan (GeoJSON) instead of the built-in Plattan.
    #[arg(long)]
    pub site: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the sync API.
    Serve(ServeArgs),
    /// Make a one-time enrollment code for a new device, or with --device for an existing one (it keeps
    /// its id and operations, gets a new token, and is un-revoked); prints only the code on stdout.
    Enroll(EnrollArgs),
    /// Replace a device's token: the same as `enroll --device ID` (a code the phone enters; nothing lost).
    Rotate(RotateArgs),
    /// Cut a device off: its token stops working at once.
    Revoke {
        #[command(flatten)]
        db: DbArg,
        /// The device id, or its name if no other device has it.
        device: String,
    },
    /// List the enrolled devices of one site: last contact, pending operations, app version, clock offset, and
    /// SILENT for a phone in use this shift that has not been heard from for over an hour.
    Devices {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        site: crate::review::site_choice::SiteChoice,
    },
    /// The daily situational report (lägesbild) for a day, as printable HTML or JSON.
    Lagesbild(LagesbildArgs),
    /// Reports (and machine runs) of a span of days as CSV for Excel or GeoJSON for QGIS.
    Export(ExportArgs),
    /// Remove free text older than the retention period now (`serve` does it by itself when set).
    Purge(PurgeArgs),
    /// Store a generated demo: enrolled demo devices and their operations, for screenshots.
    Demo(DemoArgs),
    /// The partners' webhooks: add, list (with failed deliveries), remove.
    Webhook(crate::webhooks::commands::WebhookArgs),
    /// A consistent copy of the database and its photos, safe while the server runs.
    Backup(crate::backup::BackupArgs),
    /// Put a backup back (never under a running server; an existing database only with --force).
    Restore(crate::backup::RestoreArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Cleaner,
    Guard,
    Manager,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Cleaner => Role::Cleaner,
            RoleArg::Guard => Role::Guard,
            RoleArg::Manager => Role::Manager,
        }
    }
}

#[derive(Debug, Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the site plan {}: {message}", path.display())]
    Site { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
}

/// The PostgreSQL URL `--db` names, if it names one rather than a SQLite file.
pub(crate) fn postgres_url(db: &Path) -> Option<&str> {
    db.to_str().filter(|s| is_postgres_url(s))
}

/// Refuses a PostgreSQL URL for a command that only works on a SQLite file.
pub(crate) fn sqlite_only(db: &Path, what: &str) -> Result<(), CliError> {
    match postgres_url(db) {
        Some(_) => Err(CliError::Usage(format!(
            "{what} works on a SQLite file only; for PostgreSQL use pg_dump and pg_restore \
             (see docs/PROTOCOL.md, \"Restore from a backup\")"
        ))),
        None => Ok(()),
    }
}

/// Opens the store `--db` names, for commands that do not touch photo files: the one place that picks
/// the implementation (a `postgres://` or `postgresql://` URL means PostgreSQL, anything else a SQLite
/// file).
pub(crate) fn open(db: &Path) -> Result<Arc<dyn ServerStore>, CliError> {
    if let Some(url) = postgres_url(db) {
        // No photo is read or written through this store.
        return Ok(Arc::new(PgStore::open(url, PathBuf::new())?));
    }
    Ok(Arc::new(SqliteStore::open(db)?))
}

/// Opens the store with its photos in `photos_dir`, or beside a SQLite file when none is given (a
/// PostgreSQL URL has no "beside": it needs the directory).
pub(crate) fn open_with_photos(
    db: &Path,
    photos_dir: Option<&Path>,
) -> Result<Arc<dyn ServerStore>, CliError> {
    if let Some(url) = postgres_url(db) {
        let dir = photos_dir.ok_or_else(|| {
            CliError::Usage("with a PostgreSQL --db, --photos-dir is required".into())
        })?;
        return Ok(Arc::new(PgStore::open(url, dir.to_path_buf())?));
    }
    let dir = photos_dir.map_or_else(|| crate::photos::files::default_dir(db), Path::to_path_buf);
    if dir == db {
        return Err(CliError::Usage(
            "--photos-dir must not be the database file".into(),
        ));
    }
    Ok(Arc::new(SqliteStore::open_with_photos(db, dir)?))
}

/// Finds a device by its id, or by its name (every device of that name).
fn find_device(store: &dyn ServerStore, id_or_name: &str) -> Result<Vec<Device>, CliError> {
    let id = uuid::Uuid::parse_str(id_or_name).ok();
    Ok(store
        .devices(None)?
        .into_iter()
        .map(|s| s.device)
        .filter(|d| id.map_or(d.name == id_or_name, |id| d.id == id))
        .collect())
}

pub(crate) fn load_site(path: Option<&Path>) -> Result<Site, CliError> {
    let (text, path) = match path {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| CliError::Site {
                path: p.to_path_buf(),
                message: e.to_string(),
            })?;
            (text, p.to_path_buf())
        }
        None => (
            torgkoll_shared::PLATTAN_GEOJSON.to_string(),
            "(built in)".into(),
        ),
    };
    Site::from_geojson(&text).map_err(|e| CliError::Site {
        path,
        message: e.to_string(),
    })
}

pub(crate) fn when(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}

/// A phone's clock offset as a person reads it: "+0 s", "-3 min 12 s (off)", "+1 d 0 h (off)".
fn offset_text(ms: i64) -> String {
    let sign = if ms < 0 { '-' } else { '+' };
    let s = ms.unsigned_abs() / 1000;
    let text = match s {
        0..60 => format!("{sign}{s} s"),
        60..3600 => format!("{sign}{} min {} s", s / 60, s % 60),
        3600..86_400 => format!("{sign}{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{sign}{} d {} h", s / 86_400, s % 86_400 / 3600),
    };
    if ms.unsigned_abs() > torgkoll_shared::timefix::CLOCK_TOLERANCE_MS as u64 {
        format!("{text} (off)")
    } else {
        text
    }
}

/// Runs a command that only works on the database off the async runtime.
async fn blocking_command(
    f: impl FnOnce() -> Result<(), CliError> + Send + 'static,
) -> Result<(), CliError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| CliError::Usage(e.to_string()))?
}

/// Runs one command to its end.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve(a) => serve_command(a).await,
        Command::Enroll(a) => blocking_command(move || enroll_command::enroll(a)).await,
        Command::Rotate(a) => blocking_command(move || enroll_command::enroll(a.into())).await,
        Command::Revoke { db, device } => {
            let store = open(&db.db)?;
            let found = find_device(&*store, &device)?;
            let [one] = found.as_slice() else {
                return Err(CliError::Usage(match found.len() {
                    0 => format!("no device '{device}'"),
                    n => format!("{n} devices are named '{device}'; give the id"),
                }));
            };
            if store.revoke(one.id, SystemClock.now_ms())? {
                eprintln!("revoked {} ({} '{}')", one.id, one.role, one.name);
            } else {
                eprintln!("{} was revoked already", one.id);
            }
            Ok(())
        }
        Command::Lagesbild(a) => blocking_command(move || review::lagesbild(a)).await,
        Command::Export(a) => blocking_command(move || review::export(a)).await,
        Command::Purge(a) => blocking_command(move || review::purge(a)).await,
        Command::Demo(a) => blocking_command(move || review::demo(a)).await,
        Command::Webhook(a) => blocking_command(move || crate::webhooks::commands::run(a)).await,
        Command::Backup(a) => blocking_command(move || crate::backup::backup_command(a)).await,
        Command::Restore(a) => blocking_command(move || crate::backup::restore_command(a)).await,
        Command::Devices { db, site } => {
            let site = site.load()?;
            let store = open(&db.db)?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "device\trole\tname\tenrolled\trevoked\tacked_through\tops\trejected\tclock_offset\toffset_measured\tlast_contact\tpending\tapp\tstatus"
            )?;
            let now = SystemClock.now_ms();
            for s in store.devices(Some(&site.id))? {
                let d = &s.device;
                let status = crate::review::devices::info(&s, now).status;
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    d.id,
                    d.role,
                    d.name,
                    when(d.enrolled_ms),
                    d.revoked_ms.map_or_else(|| "-".to_string(), when),
                    d.acked_through,
                    s.ops,
                    s.rejected,
                    s.clock_offset_ms
                        .map_or_else(|| "-".to_string(), offset_text),
                    s.offset_measured_ms.map_or_else(|| "-".to_string(), when),
                    crate::review::devices::contact_text(s.last_contact_ms, now),
                    s.pending.map_or_else(|| "-".to_string(), |n| n.to_string()),
                    s.app.as_deref().unwrap_or("-"),
                    crate::review::devices::status_text(status),
                )?;
            }
            Ok(())
        }
    }
}
