//! `backup` and `restore`: a consistent copy of a running server's database and photos, and putting one
//! back (docs/PROTOCOL.md, "Restore").
//!
//! The database is copied with `VACUUM INTO` on a read-only connection: in WAL mode that is one read
//! transaction, so it sees one committed state while the server goes on writing (writers never wait for
//! a WAL reader), and it writes a compact, self-contained file with no `-wal` beside it. The online backup
//! API would need rusqlite's `backup` feature and, stepped in pages, restarts whenever the server commits.
//!
//! Photos are copied after the database. They are content-addressed and a finished photo's file is never
//! changed, only added (or removed by retention), so every photo the database copy refers to is already on
//! disk when the copy is made and is copied too; a photo that finished later is copied as well, which is
//! harmless (nothing refers to it until its phone re-sends the operation, see "Restore"). `partial/` is
//! skipped: an upload under way resumes from the server's `received`, which is then 0.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use clap::Args;
use rusqlite::{Connection, OpenFlags};

use crate::cli::{CliError, DbArg, PhotosDirArg};
use crate::photos::files::default_dir;

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub photos: PhotosDirArg,
    /// The backup file to write (must not exist); the photos go to `<FILE>.photos/`.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `backup` (its photos are read from `<FILE>.photos/`).
    #[arg(long)]
    pub from: PathBuf,
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub photos: PhotosDirArg,
    /// Replace an existing database (never one a running server holds).
    #[arg(long)]
    pub force: bool,
}

/// What a backup or restore copied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Copied {
    pub ops: u64,
    pub devices: u64,
    pub photos: u64,
    pub db_bytes: u64,
    pub photo_bytes: u64,
    /// After a restore: new operations get positions after this one.
    pub positions_after: u64,
}

impl std::fmt::Display for Copied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} operations, {} devices, {} photos; {} database bytes, {} photo bytes",
            self.ops, self.devices, self.photos, self.db_bytes, self.photo_bytes
        )
    }
}

/// The lock file a running server holds beside its database (`<db>.lock`).
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the database's lock for as long as the returned file lives: `serve` holds it while it runs,
/// `restore` while it replaces the files. The operating system lets go of it when the process ends,
/// however it ends.
pub fn lock_db(db: &Path) -> Result<File, CliError> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(db))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(CliError::Usage(format!(
            "{} is held by a running server; stop it first",
            db.display()
        ))),
        Err(fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

fn photos_of(db: &Path, dir: Option<&Path>) -> PathBuf {
    dir.map_or_else(|| default_dir(db), Path::to_path_buf)
}

fn counts(conn: &Connection) -> Result<(u64, u64), CliError> {
    let n = |sql: &str| -> Result<u64, CliError> {
        let v: i64 = conn
            .query_row(sql, [], |r| r.get(0))
            .map_err(|e| CliError::Usage(format!("not a Torgkoll server database: {e}")))?;
        Ok(v as u64)
    };
    Ok((
        n("SELECT COUNT(*) FROM ops")?,
        n("SELECT COUNT(*) FROM devices")?,
    ))
}

fn sql_err(e: rusqlite::Error) -> CliError {
    CliError::Store(e.into())
}

/// Copies the database (online) and then its photos; see the module's notes for why in that order.
pub fn backup(db: &Path, photos_dir: Option<&Path>, out: &Path) -> Result<Copied, CliError> {
    if !db.exists() {
        return Err(CliError::Usage(format!("no database at {}", db.display())));
    }
    if out.exists() {
        return Err(CliError::Usage(format!(
            "{} exists; choose a new file",
            out.display()
        )));
    }
    let tmp = with_suffix(out, ".partial");
    let _ = fs::remove_file(&tmp);
    {
        let src =
            Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql_err)?;
        src.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(sql_err)?;
        counts(&src)?;
        let target = tmp
            .to_str()
            .ok_or_else(|| CliError::Usage("the backup path must be UTF-8".into()))?;
        src.execute("VACUUM INTO ?1", [target]).map_err(sql_err)?;
    }
    File::open(&tmp)?.sync_all()?;
    fs::rename(&tmp, out)?;
    let copy =
        Connection::open_with_flags(out, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql_err)?;
    let (ops, devices) = counts(&copy)?;
    let (photos, photo_bytes) = copy_photos(&photos_of(db, photos_dir), &default_dir(out))?;
    Ok(Copied {
        ops,
        devices,
        photos,
        db_bytes: fs::metadata(out)?.len(),
        photo_bytes,
        positions_after: 0,
    })
}

/// Puts a backup in place of the database (refusing while a server holds it, and an existing database
/// without `force`), then adds the backup's photos to the photos directory.
pub fn restore(
    from: &Path,
    db: &Path,
    photos_dir: Option<&Path>,
    force: bool,
) -> Result<Copied, CliError> {
    let (ops, devices) = {
        let src =
            Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql_err)?;
        counts(&src)?
    };
    let _lock = lock_db(db)?;
    if db.exists() && !force {
        return Err(CliError::Usage(format!(
            "{} exists; give --force to replace it",
            db.display()
        )));
    }
    // The positions the replaced database handed out, read before its files go.
    let old_head = db.exists().then(|| head_of(db)).flatten();
    let tmp = with_suffix(db, ".restoring");
    let db_bytes = fs::copy(from, &tmp)?;
    File::open(&tmp)?.sync_all()?;
    // The old database's write-ahead log must not be replayed onto the restored file.
    for suffix in ["-wal", "-shm"] {
        match fs::remove_file(with_suffix(db, suffix)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    fs::rename(&tmp, db)?;
    let next_after = continue_positions(db, old_head)?;
    let (photos, photo_bytes) = copy_photos(&default_dir(from), &photos_of(db, photos_dir))?;
    Ok(Copied {
        ops,
        devices,
        photos,
        db_bytes,
        photo_bytes,
        positions_after: next_after,
    })
}

/// How far positions jump after a restore when the replaced database cannot say how far it got: more
/// operations than one site stores in its lifetime.
pub const POSITION_JUMP: u64 = 1 << 32;

/// The highest position a database ever handed out (`None` if it cannot be read).
fn head_of(db: &Path) -> Option<u64> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    conn.query_row(
        "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'ops'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .ok()
    .map(|v| v as u64)
}

/// Makes the restored database hand out positions after every one the lost server may have handed out
/// (phones pull after the position they last saw, which may lie beyond the backup's): after the replaced
/// database's when it could be read, else [`POSITION_JUMP`] past the backup's. Answers the new start.
fn continue_positions(db: &Path, old_head: Option<u64>) -> Result<u64, CliError> {
    let conn = Connection::open(db).map_err(sql_err)?;
    let backup_head = head_of(db).unwrap_or(0);
    let after = match old_head {
        Some(old) => old.max(backup_head),
        None => backup_head + POSITION_JUMP,
    };
    let n = conn
        .execute(
            "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'ops'",
            [after as i64],
        )
        .map_err(sql_err)?;
    if n == 0 {
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) VALUES ('ops', ?1)",
            [after as i64],
        )
        .map_err(sql_err)?;
    }
    Ok(after)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies the finished photos (`*.jpg`) and thumbnails (`thumbs/*.jpg`) of `src` into `dst`, leaving out
/// `partial/` and files `dst` already has (the same name is the same content). Each file is written under
/// a temporary name and renamed, so `dst` never holds half a photo. Answers the photos and bytes copied.
pub fn copy_photos(src: &Path, dst: &Path) -> Result<(u64, u64), CliError> {
    let mut photos = 0;
    let mut bytes = 0;
    for (sub, is_photo) in [("", true), ("thumbs", false)] {
        let from = src.join(sub);
        let entries = match fs::read_dir(&from) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e.into()),
        };
        let to = dst.join(sub);
        fs::create_dir_all(&to)?;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let is_jpg = Path::new(&name).extension().is_some_and(|e| e == "jpg");
            if !entry.file_type()?.is_file() || !is_jpg || to.join(&name).exists() {
                continue;
            }
            let tmp = to.join(format!("{}.copying", name.to_string_lossy()));
            let n = fs::copy(entry.path(), &tmp)?;
            File::open(&tmp)?.sync_all()?;
            fs::rename(&tmp, to.join(&name))?;
            if is_photo {
                photos += 1;
                bytes += n;
            }
        }
    }
    Ok((photos, bytes))
}

/// `torgkoll-server backup`.
pub fn backup_command(a: BackupArgs) -> Result<(), CliError> {
    crate::cli::sqlite_only(&a.db.db, "backup")?;
    let c = backup(&a.db.db, a.photos.photos_dir.as_deref(), &a.out)?;
    println!(
        "backed up {} to {}: {c}",
        a.db.db.display(),
        a.out.display()
    );
    Ok(())
}

/// `torgkoll-server restore`.
pub fn restore_command(a: RestoreArgs) -> Result<(), CliError> {
    crate::cli::sqlite_only(&a.db.db, "restore")?;
    let c = restore(&a.from, &a.db.db, a.photos.photos_dir.as_deref(), a.force)?;
    println!(
        "restored {} from {}: {c}; new positions after {}",
        a.db.db.display(),
        a.from.display(),
        c.positions_after
    );
    Ok(())
}
