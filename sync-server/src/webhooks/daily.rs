//! The lägesbild that makes itself: at the set time each day the previous day's report of each site is
//! written as `lagesbild-YYYY-MM-DD.html` and `.json` for the default site, `lagesbild-SITE-YYYY-MM-DD.*`
//! for the others (each to a temporary file, synced, then renamed, so a reader never sees half a file),
//! then the site's day is remembered and its summary enqueued for that site's partners in one
//! transaction. A crash between the two writes the files again at the next turn.

use std::io::Write;
use std::path::{Path, PathBuf};

use torgkoll_shared::Site;
use torgkoll_shared::analytics::html::render_html;
use torgkoll_shared::calendar::Date;
use torgkoll_shared::partner::lagesbild_payload;

use super::schedule::lagesbild_due;
use crate::cancel::Cancel;
use crate::store::{ServerStore, StoreError};

/// When and where the report is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyReport {
    /// Stockholm local time of day.
    pub at: (u8, u8),
    pub dir: PathBuf,
}

/// Writes `text` to `dir/name` through a temporary file and a rename.
fn write_atomically(dir: &Path, name: &str, text: &str) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, dir.join(name))
}

/// Makes the lägesbild of `site` (its operations, its plan) that is due at `now_ms`, if one is; the day
/// made and how many deliveries. `default` says whether it is the server's default site (its files keep
/// the names of the days before sites).
pub fn make_due(
    store: &dyn ServerStore,
    site: &Site,
    default: bool,
    daily: &DailyReport,
    now_ms: i64,
) -> Result<Option<(Date, usize)>, StoreError> {
    let last = store.last_lagesbild_day(&site.id)?;
    let Some(day) = lagesbild_due(now_ms, daily.at, last) else {
        return Ok(None);
    };
    let report = crate::review::lagesbild::build(store, site, day, now_ms, &Cancel::never())?;
    let files = |e: std::io::Error| StoreError::Files(format!("{}: {e}", daily.dir.display()));
    std::fs::create_dir_all(&daily.dir).map_err(files)?;
    let name = if default {
        format!("lagesbild-{day}")
    } else {
        format!("lagesbild-{}-{day}", site.id)
    };
    write_atomically(
        &daily.dir,
        &format!("{name}.html"),
        &render_html(site, &report),
    )
    .map_err(files)?;
    write_atomically(&daily.dir, &format!("{name}.json"), &report.to_json()).map_err(files)?;
    let body = serde_json::to_vec(&lagesbild_payload(&report, now_ms))
        .map_err(|e| StoreError::Corrupt(format!("the lägesbild summary: {e}")))?;
    let n = store.record_lagesbild(&site.id, day, &body, now_ms)?;
    tracing::info!(site = %site.id, %day, dir = %daily.dir.display(), deliveries = n, "lägesbild made");
    Ok(Some((day, n)))
}
