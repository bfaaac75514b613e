//! The review commands: `lagesbild`, `export`, `purge` and `demo`; `lagesbild` and `export` report on
//! one site ([`SiteChoice`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use torgkoll_shared::analytics::Retention;
use torgkoll_shared::analytics::weekly::IsoWeek;
use torgkoll_shared::calendar::Date;

use super::demo;
use super::export::{ExportFormat, ExportRequest};
use super::lagesbild::ReportFormat;
use super::site_choice::SiteChoice;
use super::{parse_date, parse_week};
use crate::cancel::Cancel;
use crate::cli::{CliError, DbArg, PhotosDirArg, SiteArg, load_site, open, open_with_photos};
use crate::clock::{Clock, SystemClock};
use crate::flag_bounds;

#[derive(Debug, Args)]
pub struct LagesbildArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub site: SiteChoice,
    /// The local day, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date, required_unless_present = "week", conflicts_with = "week")]
    pub date: Option<Date>,
    /// Instead of a day, the ISO week YYYY-Www against the four weeks before it.
    #[arg(long, value_parser = parse_week)]
    pub week: Option<IsoWeek>,
    #[arg(long, value_enum, default_value = "html")]
    pub format: ReportFormat,
    /// The report's data as JSON (the same as --format json).
    #[arg(long)]
    pub json: bool,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub site: SiteChoice,
    /// The first local day, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    pub from: Date,
    /// The last local day (included).
    #[arg(long, value_parser = parse_date)]
    pub to: Date,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Include free text (notes). Left out unless asked for.
    #[arg(long)]
    pub with_notes: bool,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub photos: PhotosDirArg,
    /// Remove free text older than this many days (1 to 3650).
    #[arg(long, allow_negative_numbers = true, env = "TORGKOLL_RETENTION_DAYS", value_parser = flag_bounds::retention_days(1))]
    pub retention_days: u32,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub site: SiteArg,
    /// The last (the report's) day, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    pub date: Date,
    /// How many days, ending on --date; 29 gives the day and the four weeks before ("the usual").
    #[arg(long, default_value_t = 29, value_parser = clap::value_parser!(u32).range(1..=800))]
    pub days: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Cleaning reports on an ordinary weekday (at most 10,000).
    #[arg(long, default_value_t = 140, value_parser = flag_bounds::per_day())]
    pub cleaning_per_day: u32,
    /// Disturbances on an ordinary weekday (at most 10,000).
    #[arg(long, default_value_t = 14, value_parser = flag_bounds::per_day())]
    pub disturbances_per_day: u32,
}

fn write_out(out: Option<&Path>, text: &str) -> Result<(), CliError> {
    match out {
        Some(p) => std::fs::write(p, text)?,
        None => {
            let mut o = std::io::stdout().lock();
            o.write_all(text.as_bytes())?;
            o.flush()?;
        }
    }
    Ok(())
}

pub fn lagesbild(a: LagesbildArgs) -> Result<(), CliError> {
    let site = a.site.load()?;
    let store = open(&a.db.db)?;
    let format = if a.json { ReportFormat::Json } else { a.format };
    let (now, cancel) = (SystemClock.now_ms(), Cancel::never());
    let text = match (a.week, a.date) {
        (Some(week), _) => super::weekly::render(&*store, &site, week, now, format, &cancel)?,
        (None, Some(date)) => super::lagesbild::render(&*store, &site, date, now, format, &cancel)?,
        (None, None) => return Err(CliError::Usage("give --date or --week".into())),
    };
    write_out(a.out.as_deref(), &text)
}

pub fn export(a: ExportArgs) -> Result<(), CliError> {
    let req = ExportRequest {
        from: a.from,
        to: a.to,
        format: a.format,
        with_notes: a.with_notes,
    };
    req.check().map_err(CliError::Usage)?;
    let site = a.site.load()?;
    let store = open(&a.db.db)?;
    write_out(
        a.out.as_deref(),
        &super::export::render(&*store, &site, &req, &Cancel::never())?,
    )
}

pub fn purge(a: PurgeArgs) -> Result<(), CliError> {
    let retention = Retention::new(a.retention_days)
        .ok_or_else(|| CliError::Usage("--retention-days must be at least 1".into()))?;
    let store = open_with_photos(&a.db.db, a.photos.photos_dir.as_deref())?;
    let out = super::retention::purge_now(
        &*store,
        // No server runs here to ask phones for photos.
        &Default::default(),
        retention,
        SystemClock.now_ms(),
    )?;
    eprintln!(
        "free text older than {} days removed from {} operations and {} rejected operations; files of {} photos removed",
        a.retention_days, out.ops, out.rejected, out.photos
    );
    Ok(())
}

pub fn demo(a: DemoArgs) -> Result<(), CliError> {
    let site = load_site(a.site.site.as_deref())?;
    let store = open(&a.db.db)?;
    let cfg = demo::config(
        a.seed,
        a.date,
        a.days,
        a.cleaning_per_day,
        a.disturbances_per_day,
    );
    let out = demo::seed(&*store, &site, &cfg, SystemClock.now_ms()).map_err(|e| match e {
        demo::DemoError::Store(s) => CliError::Store(s),
        other => CliError::Usage(other.to_string()),
    })?;
    eprintln!(
        "seeded {} days up to {}: {} operations, {} accepted, {} rejected",
        cfg.days, a.date, out.ops, out.accepted, out.rejected
    );
    Ok(())
}
