//! A real `torgkoll-server` process on a loopback port: finding the binary, starting, killing (SIGKILL),
//! restarting on the same database, and enrolling devices through its command line.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use torgkoll_shared::Role;

use crate::Res;

const SERVER_BIN: &str = "torgkoll-server";

/// The `torgkoll-server` binary of the same build profile as the running executable.
///
/// A test binary lives in `target/<profile>/deps/`, the fleet binary in `target/<profile>/`; the server is
/// looked for in `target/<profile>/`. Cargo cannot hand one package's tests another package's binary, so
/// when it is missing this runs `cargo build -p torgkoll-server --bin torgkoll-server` (with `--release`
/// for the release profile) once. `TORGKOLL_SERVER_BIN` overrides the search.
pub fn server_bin() -> Res<PathBuf> {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BIN.get_or_init(|| find_or_build().map_err(|e| e.to_string()))
        .clone()
        .map_err(Into::into)
}

fn find_or_build() -> Res<PathBuf> {
    if let Some(p) = std::env::var_os("TORGKOLL_SERVER_BIN") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe()?;
    let mut dir = exe.parent().ok_or("the executable has no directory")?;
    if dir.file_name().is_some_and(|n| n == "deps") {
        dir = dir.parent().ok_or("deps has no parent")?;
    }
    let bin = dir.join(format!("{SERVER_BIN}{}", std::env::consts::EXE_SUFFIX));
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(["build", "-q", "-p", "torgkoll-server", "--bin", SERVER_BIN]);
    if dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    if !bin.exists() {
        let status = cmd.status()?;
        if !status.success() {
            return Err(format!("building {SERVER_BIN} failed: {status}").into());
        }
    }
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!("{} not found", bin.display()).into())
    }
}

/// A running server process; killed when dropped.
#[derive(Debug)]
pub struct ServerProc {
    child: Child,
    bin: PathBuf,
    /// What `--db` says: the SQLite file, or the URL of the PostgreSQL database.
    pub db: PathBuf,
    /// The path the log (and, on PostgreSQL, the photos directory) are named after.
    files: PathBuf,
    pub addr: std::net::SocketAddr,
    /// `http`, or `https` when started with `--tls-cert`.
    pub scheme: String,
    page_size: Option<u32>,
    /// More arguments for `serve`.
    extra: Vec<String>,
}

impl ServerProc {
    /// Starts `torgkoll-server serve --db DB --listen 127.0.0.1:0` and waits for its `listening on` line.
    ///
    /// With `TORGKOLL_TEST_STORE=postgres` ([`crate::pg`]) the server runs on a fresh PostgreSQL database
    /// instead of the file `db` (its photos where the file's would be, `<db>.photos`), and
    /// [`ServerProc::db`] is that database's URL.
    pub fn start(bin: &Path, db: &Path, page_size: Option<u32>) -> Res<ServerProc> {
        let url = Self::fresh_db_for(db)?;
        Self::start_on(
            bin,
            url.as_deref().unwrap_or(db),
            db,
            page_size,
            "127.0.0.1:0",
            &[],
        )
    }

    /// [`ServerProc::start`] with more arguments for `serve` (e.g. `--lagesbild-at`).
    pub fn start_with(bin: &Path, db: &Path, extra: &[String]) -> Res<ServerProc> {
        let url = Self::fresh_db_for(db)?;
        Self::start_on(
            bin,
            url.as_deref().unwrap_or(db),
            db,
            None,
            "127.0.0.1:0",
            extra,
        )
    }

    /// Starts the server on `db` (a file or a PostgreSQL URL) with its log, and on PostgreSQL its photos,
    /// named after `files` (`<files>.log`, `<files>.photos`).
    pub fn start_at(
        bin: &Path,
        db: &Path,
        files: &Path,
        page_size: Option<u32>,
    ) -> Res<ServerProc> {
        Self::start_on(bin, db, files, page_size, "127.0.0.1:0", &[])
    }

    /// A fresh PostgreSQL database to serve instead of the file `db`, when the tests want one.
    fn fresh_db_for(db: &Path) -> Res<Option<PathBuf>> {
        if !crate::pg::wanted() || crate::pg::is_url(db) {
            return Ok(None);
        }
        Ok(Some(PathBuf::from(crate::pg::fresh_db()?)))
    }

    fn start_on(
        bin: &Path,
        db: &Path,
        files: &Path,
        page_size: Option<u32>,
        listen: &str,
        extra: &[String],
    ) -> Res<ServerProc> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(files.with_extension("log"))?;
        let mut cmd = Command::new(bin);
        cmd.args(["serve", "--db"])
            .arg(db)
            .args(["--listen", listen]);
        if crate::pg::is_url(db) && !extra.iter().any(|a| a == "--photos-dir") {
            // Where a SQLite file's photos would be: `<file>.photos`.
            let mut photos = files.as_os_str().to_owned();
            photos.push(".photos");
            cmd.arg("--photos-dir").arg(photos);
        }
        if let Some(n) = page_size {
            cmd.args(["--page-size", &n.to_string()]);
        }
        cmd.args(extra);
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let first = match lines.next() {
            Some(line) => line?,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the server exited before listening; see {}",
                    files.with_extension("log").display()
                )
                .into());
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.by_ref() {});
        let (scheme, addr) = first
            .trim()
            .strip_prefix("listening on ")
            .and_then(|url| url.split_once("://"))
            .filter(|(scheme, _)| ["http", "https"].contains(scheme))
            .ok_or_else(|| format!("unexpected first line from the server: {first:?}"))?;
        let (scheme, addr) = (scheme.to_owned(), addr.parse()?);
        Ok(ServerProc {
            child,
            bin: bin.to_owned(),
            db: db.to_owned(),
            files: files.to_owned(),
            addr,
            scheme,
            page_size,
            extra: extra.to_vec(),
        })
    }

    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// SIGKILL: no chance to flush or shut down.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the server and starts it again on the same database (and the same port when it is free).
    pub fn restart(&mut self) -> Res<()> {
        self.kill();
        let (bin, db, page, extra) = (&self.bin, &self.db, self.page_size, &self.extra);
        let files = &self.files;
        let again = Self::start_on(bin, db, files, page, &self.addr.to_string(), extra)
            .or_else(|_| Self::start_on(bin, db, files, page, "127.0.0.1:0", extra))?;
        *self = again;
        Ok(())
    }

    /// A one-time enrollment code from `torgkoll-server enroll`.
    pub fn enroll_code(&self, role: Role, name: &str) -> Res<String> {
        enroll_code(&self.bin, &self.db, role, name)
    }
}

impl Drop for ServerProc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `torgkoll-server ARGS --db DB` and returns what it printed on stdout, trimmed.
pub fn server_cli(bin: &Path, db: &Path, args: &[&str]) -> Res<String> {
    let out = Command::new(bin)
        .args(args)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "{args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}

/// Runs `torgkoll-server enroll --db DB --role ROLE --name NAME` and returns the code it prints.
pub fn enroll_code(bin: &Path, db: &Path, role: Role, name: &str) -> Res<String> {
    let out = Command::new(bin)
        .args(["enroll", "--db"])
        .arg(db)
        .args(["--role", role.code(), "--name", name])
        .stdin(Stdio::null())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "enroll failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let code = String::from_utf8(out.stdout)?.trim().to_owned();
    if code.is_empty() || code.contains('\n') {
        return Err(format!("enroll printed {code:?}, not one code").into());
    }
    Ok(code)
}
