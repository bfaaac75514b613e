//! What a fleet run found, and its summary line (the last line `torgkoll-fleet` prints).

use crate::audit::Audit;
use crate::fleet_live::LiveResult;
use crate::fleet_photos::PhotoAudit;
use crate::fleet_probe::ProbeResult;

/// The outcome, printed as the summary line.
#[derive(Clone, Debug, PartialEq)]
pub struct FleetResult {
    pub audit: Audit,
    pub converged: bool,
    pub secs: f64,
    pub bytes: u64,
    pub requests: u64,
    /// The photo phase, when phones made photos.
    pub photos: Option<PhotoAudit>,
    /// The live phase, when there was one (its line is printed before the summary).
    pub live: Option<LiveResult>,
    /// The push probe's times, when there was one (`--push-probe`; its operations are in the audit).
    pub probe: Option<ProbeResult>,
}

impl FleetResult {
    pub fn ok(&self) -> bool {
        self.audit.missing == 0
            && self.audit.duplicates == 0
            && self.converged
            && self.photos.as_ref().is_none_or(PhotoAudit::ok)
            && self.live.as_ref().is_none_or(|l| l.missed == 0)
    }
}

impl std::fmt::Display for FleetResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fleet: made={} on_server={} missing={} duplicates={} converged={} secs={:.2} bytes={} requests={}",
            self.audit.made,
            self.audit.on_server,
            self.audit.missing,
            self.audit.duplicates,
            if self.converged { "yes" } else { "no" },
            self.secs,
            self.bytes,
            self.requests
        )?;
        if let Some(p) = &self.photos {
            write!(
                f,
                " photos_made={} photos_on_server={} photo_bytes={} photo_orphans={} photo_resent={} photo_secs={:.2}",
                p.made,
                p.on_server,
                p.bytes,
                p.orphans + p.partial,
                p.resent,
                p.secs
            )?;
        }
        Ok(())
    }
}
