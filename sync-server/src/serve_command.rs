//! `torgkoll-server serve`: its flags and the start-up that turns them into a running server (the store
//! and its photos directory, the site plan, the listener, the limits and the retention purge). Every
//! number is bounded as it is parsed ([`crate::flag_bounds`]).

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use torgkoll_shared::analytics::Retention;

use crate::cli::{CliError, DbArg, PhotosDirArg, SiteArg, open_with_photos};
use crate::clock::SystemClock;
use crate::flag_bounds;
use crate::photos::wanted::WantedPhotos;
use crate::sites::Sites;
use crate::state::{AppState, Limits};
use crate::{serve_tls, shutdown_signal};

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub photos: PhotosDirArg,
    /// Address to listen on; port 0 picks a free port (printed on stdout).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub listen: String,
    #[command(flatten)]
    pub site: SiteArg,
    /// Serve every `*.geojson` site plan in this directory (each with its own `site_id`).
    #[arg(long, value_name = "DIR", conflicts_with = "site")]
    pub sites: Option<std::path::PathBuf>,
    /// With --sites: the site of devices that name none (required when DIR holds several sites).
    #[arg(long, value_name = "ID", requires = "sites")]
    pub default_site: Option<String>,
    /// The most operations in one answer.
    #[arg(long, default_value_t = Limits::DEFAULT_PAGE_SIZE,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub page_size: u32,
    /// The largest request body in bytes, compressed and inflated (1 KiB to 64 MiB).
    #[arg(long, default_value_t = Limits::DEFAULT_MAX_BODY_BYTES,
          value_parser = flag_bounds::body_bytes())]
    pub max_body_bytes: usize,
    /// How many syncs are served at once; more wait for a turn (default: two per core, at least 4).
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=4096))]
    pub max_syncs: Option<usize>,
    /// How long a sync waits for its turn (ms) before the answer is 503 `busy` with `Retry-After`.
    #[arg(long, default_value_t = Limits::DEFAULT_SYNC_WAIT.as_millis() as u64,
          value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub sync_wait_ms: u64,
    /// The most operations in one push (at most 1,000,000).
    #[arg(long, default_value_t = Limits::DEFAULT_MAX_OPS, value_parser = flag_bounds::max_ops())]
    pub max_ops: usize,
    /// Purge free text older than this many days (at most 3650); 0 or absent keeps it (a formal
    /// decision first).
    #[arg(long, allow_negative_numbers = true, env = "TORGKOLL_RETENTION_DAYS", value_parser = flag_bounds::retention_days(0))]
    pub retention_days: Option<u32>,
    /// Seconds a client may take to send a request's headers (1 to 600).
    #[arg(long, default_value_t = Limits::DEFAULT_HEADER_READ_TIMEOUT.as_secs(),
          value_parser = flag_bounds::header_timeout_secs())]
    pub header_timeout_secs: u64,
    /// Seconds a request's whole body may take to arrive (1 to 3600); 600 lets 8 MiB come at 14 KiB/s.
    #[arg(long, default_value_t = Limits::DEFAULT_BODY_READ_TIMEOUT.as_secs(),
          value_parser = flag_bounds::body_timeout_secs())]
    pub body_timeout_secs: u64,
    /// How often the purge runs, in hours, 0.01 to 720 (it also runs at start).
    #[arg(long, allow_negative_numbers = true, default_value_t = 6.0, value_parser = flag_bounds::purge_every_hours)]
    pub purge_every_hours: f64,
    /// Make the previous day's lägesbild each day at this Stockholm time (HH:MM), into --lagesbild-dir,
    /// and send it to the webhooks subscribed to `lagesbild`.
    #[arg(long, value_parser = parse_time_of_day, requires = "lagesbild_dir")]
    pub lagesbild_at: Option<(u8, u8)>,
    /// Where the daily lägesbild files go (`lagesbild-YYYY-MM-DD.html` and `.json`).
    #[arg(long, requires = "lagesbild_at")]
    pub lagesbild_dir: Option<std::path::PathBuf>,
    /// Serve HTTPS with this certificate chain (PEM, leaf first; e.g. Let's Encrypt's fullchain.pem).
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
}

fn parse_time_of_day(s: &str) -> Result<(u8, u8), String> {
    torgkoll_shared::calendar::parse_hhmm(s)
        .ok_or_else(|| format!("'{s}' is not a time of day (HH:MM)"))
}

/// The sites from `--sites DIR`, `--site FILE` or the built-in Plattan.
fn load_sites(a: &ServeArgs) -> Result<Sites, CliError> {
    let sites = match (&a.sites, &a.site.site) {
        (Some(dir), _) => Sites::load_dir(dir, a.default_site.as_deref()),
        (None, Some(file)) => Sites::load_file(file),
        (None, None) => Ok(Sites::builtin()),
    };
    sites.map_err(|e| CliError::Site {
        path: e.path,
        message: e.message,
    })
}

/// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
pub async fn serve_command(a: ServeArgs) -> Result<(), CliError> {
    let purge_every = flag_bounds::hours_duration(a.purge_every_hours)
        .ok_or_else(|| CliError::Usage("--purge-every-hours is out of range".into()))?;
    let sites = load_sites(&a)?;
    // Held until the server stops: `restore` refuses to replace a database a server holds.
    // (PostgreSQL has no file to hold; `restore` refuses a URL anyway.)
    let _db_lock = match crate::cli::postgres_url(&a.db.db) {
        Some(_) => None,
        None => Some(crate::backup::lock_db(&a.db.db)?),
    };
    let (path, photos) = (a.db.db.clone(), a.photos.photos_dir.clone());
    let store = tokio::task::spawn_blocking(move || open_with_photos(&path, photos.as_deref()))
        .await
        .map_err(|e| CliError::Usage(e.to_string()))??;
    // Rows from before sites (site '') belong to the site this server served then: the default.
    let (adopting, default) = (store.clone(), sites.default_id().to_owned());
    let adopted = tokio::task::spawn_blocking(move || adopting.adopt_default_site(&default))
        .await
        .map_err(|e| CliError::Usage(e.to_string()))??;
    if adopted > 0 {
        tracing::info!(rows = adopted, site = %sites.default_id(), "rows from before sites adopted into the default site");
    }
    // A photos directory that cannot be made fails the start, not the first upload.
    let photos_dir = store.photos_dir().to_path_buf();
    crate::photos::files::PhotoFiles::new(&photos_dir)
        .create_dirs()
        .map_err(|e| {
            CliError::Usage(format!(
                "the photos directory {}: {e}",
                photos_dir.display()
            ))
        })?;
    // Photos whose operations the database holds but whose files are missing (a restore from a
    // backup taken before they were uploaded): their phones are asked for them again.
    let finding = store.clone();
    let wanted_photos = tokio::task::spawn_blocking(move || WantedPhotos::find(&*finding))
        .await
        .map_err(|e| CliError::Usage(e.to_string()))??;
    if !wanted_photos.is_empty() {
        tracing::warn!(
            photos = wanted_photos.len(),
            "photos named by operations but missing from the photos directory: asking their phones for them again"
        );
    }
    // Unreadable or mismatched PEM files fail the start, not the first connection.
    let tls = match (&a.tls_cert, &a.tls_key) {
        (Some(cert), Some(key)) => {
            Some(crate::tls::load_acceptor(cert, key).map_err(|e| CliError::Usage(e.to_string()))?)
        }
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let listener = tokio::net::TcpListener::bind(&a.listen).await?;
    let addr = listener.local_addr()?;
    let state = AppState {
        store,
        sites,
        clock: Arc::new(SystemClock),
        limits: Limits {
            max_body_bytes: a.max_body_bytes,
            max_ops: a.max_ops,
            page_size: a.page_size,
            header_read_timeout: Duration::from_secs(a.header_timeout_secs),
            body_read_timeout: Duration::from_secs(a.body_timeout_secs),
            max_syncs: a.max_syncs.unwrap_or_else(crate::shed::default_max_syncs),
            sync_wait: Duration::from_millis(a.sync_wait_ms),
            turn_wait: Limits::DEFAULT_TURN_WAIT,
        },
        wake: Default::default(),
        wanted_photos,
        turns: Default::default(),
    };
    tracing::info!(%addr, db = %a.db.db.display(), photos = %photos_dir.display(), sites = ?state.sites.ids().collect::<Vec<_>>(), ?state.limits, "serving");
    crate::review::retention::start(
        state.store.clone(),
        state.wanted_photos.clone(),
        state.clock.clone(),
        a.retention_days.and_then(Retention::new),
        purge_every,
    );
    let daily = match (a.lagesbild_at, a.lagesbild_dir) {
        (Some(at), Some(dir)) => {
            std::fs::create_dir_all(&dir).map_err(|e| {
                CliError::Usage(format!("the lägesbild directory {}: {e}", dir.display()))
            })?;
            Some(crate::webhooks::DailyReport { at, dir })
        }
        _ => None,
    };
    crate::webhooks::start(
        state.store.clone(),
        state.sites.clone(),
        state.clock.clone(),
        daily,
    );
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {scheme}://{addr}")?;
    out.flush()?;
    drop(out);
    serve_tls(listener, state, tls, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}
