//! The fleet's photos (`--photos N`): each phone attaches N generated photos to its own reports while
//! offline; after the operations have converged, every phone sends its photos (the app's resumable
//! upload, through the same proxy and its cuts) and fetches the thumbnails of the photos it shows. Then
//! the server's photo directory is audited: every photo once, named by its hash, nothing half-stored,
//! no file that no phone made, and no more re-sent than one chunk per cut.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use tokio::task::JoinSet;
use torgkoll_app::sync::PhotoSummary;
use torgkoll_app::sync::plan::Backoff;
use torgkoll_shared::photo::{UPLOAD_CHUNK_BYTES, hash_hex};
use torgkoll_shared::{OpBody, Operation};

use crate::phone::Phone;
use crate::proxy::Proxy;
use crate::{Res, photos};

/// What the photo phase found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhotoAudit {
    /// Distinct photos the phones attached.
    pub made: usize,
    /// Of those, how many the server holds whole and verified.
    pub on_server: usize,
    /// Bytes of the photos on the server.
    pub bytes: u64,
    /// Files on the server that no phone made, or whose content is not their name.
    pub orphans: usize,
    /// Uploads left half done on the server.
    pub partial: usize,
    /// Photos a phone gave up on.
    pub failed: usize,
    /// Bytes sent more than once (cut chunks), and the cuts in the photo phase.
    pub resent: u64,
    pub cuts: u64,
    pub secs: f64,
}

impl PhotoAudit {
    pub fn ok(&self) -> bool {
        self.on_server == self.made
            && self.orphans == 0
            && self.partial == 0
            && self.failed == 0
            && self.resent <= self.cuts * UPLOAD_CHUNK_BYTES as u64
    }
}

/// Attaches `n` photos to `n` of the phone's own reports (generated from `seed`); returns each photo's
/// hash and size.
pub fn attach(p: &Phone, own: &[Operation], n: usize, seed: u64) -> Res<BTreeMap<String, u64>> {
    let reports: Vec<_> = own
        .iter()
        .filter(|o| {
            matches!(
                o.body,
                OpBody::Clean(_) | OpBody::Disturbance(_) | OpBody::CleanRequest { .. }
            )
        })
        .map(|o| o.id)
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut made = BTreeMap::new();
    for k in 0..n {
        let Some(report) = reports.choose(&mut rng) else {
            break;
        };
        let photo = photos::photo(seed.wrapping_mul(31).wrapping_add(k as u64))?;
        // Now and then the person picks the same picture twice: stored and sent once.
        if rng.random_bool(0.1) {
            p.attach_photo(*report, &photo)?;
        }
        p.attach_photo(*report, &photo)?;
        made.insert(
            photo.reference.hash.clone(),
            u64::from(photo.reference.bytes),
        );
    }
    Ok(made)
}

fn add(total: &mut PhotoSummary, s: &PhotoSummary) {
    total.sent += s.sent;
    total.bytes_sent += s.bytes_sent;
    total.bytes_attempted += s.bytes_attempted;
    total.failed += s.failed;
}

/// One phone until its photos are on the server and it has the thumbnails of every photo it shows:
/// sync (the operations first), send, fetch, again after cuts, with backoff.
async fn drain_phone(p: &Phone, deadline: Instant) -> Result<PhotoSummary, String> {
    let backoff = Backoff {
        base: Duration::from_millis(50),
        cap: Duration::from_secs(1),
    };
    let mut total = PhotoSummary::default();
    let mut attempt = 0;
    loop {
        let mut pass = PhotoSummary::default();
        let r = async {
            p.sync().await?;
            p.send_photos_into(&mut pass).await?;
            p.fetch_thumbnails().await
        }
        .await;
        add(&mut total, &pass);
        match r {
            Ok(_) => {
                let (pending, thumbs) = p.photos_outstanding().map_err(|e| e.to_string())?;
                if pending == 0 && thumbs == 0 {
                    return Ok(total);
                }
                if Instant::now() > deadline {
                    return Err(format!(
                        "{}: {pending} photos unsent, {thumbs} thumbnails missing",
                        p.name
                    ));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) if e.is_retryable() && Instant::now() < deadline => {
                tokio::time::sleep(backoff.delay(attempt, rand::random())).await;
                attempt += 1;
            }
            Err(e) => return Err(format!("{}: {e}", p.name)),
        }
    }
}

/// Every phone drains its photos at once; returns the sum of what they did.
pub async fn drain(phones: &[Arc<Phone>], deadline: Instant) -> Res<PhotoSummary> {
    let mut set = JoinSet::new();
    for p in phones {
        let p = p.clone();
        set.spawn(async move { drain_phone(&p, deadline).await });
    }
    let mut total = PhotoSummary::default();
    while let Some(r) = set.join_next().await {
        add(&mut total, &r??);
    }
    Ok(total)
}

/// Compares the server's photo directory with what the phones made.
pub fn audit(dir: &Path, made: &BTreeMap<String, u64>, sent: &PhotoSummary) -> Res<PhotoAudit> {
    let mut a = PhotoAudit {
        made: made.len(),
        failed: sent.failed,
        ..PhotoAudit::default()
    };
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !path.is_file() {
            continue;
        }
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let bytes = std::fs::read(&path)?;
        if made.contains_key(name) && hash_hex(&bytes) == name {
            a.on_server += 1;
            a.bytes += bytes.len() as u64;
        } else {
            a.orphans += 1;
        }
    }
    let partial = dir.join("partial");
    if partial.is_dir() {
        a.partial = std::fs::read_dir(partial)?.count();
    }
    a.resent = sent.bytes_attempted.saturating_sub(made.values().sum());
    Ok(a)
}

/// The photo phase after the operations converged: every phone drains its photos through `proxy`, then
/// the server's photo directory (beside `db`) is audited.
pub async fn phase(
    proxy: &Proxy,
    phones: &[Arc<Phone>],
    db: &Path,
    made: &BTreeMap<String, u64>,
    deadline: Instant,
    say: &(dyn Fn(&str) + Sync),
) -> Res<PhotoAudit> {
    let before = proxy.stats();
    let t = Instant::now();
    let sent = drain(phones, deadline).await?;
    let mut dir = db.as_os_str().to_owned();
    dir.push(".photos");
    let mut a = audit(Path::new(&dir), made, &sent)?;
    a.secs = t.elapsed().as_secs_f64();
    a.cuts = proxy.stats().cuts - before.cuts;
    say(&format!(
        "photo phase: {:.2} s, {} photos, {} B, {} cuts, {} B re-sent",
        a.secs, a.on_server, a.bytes, a.cuts, a.resent
    ));
    Ok(a)
}
