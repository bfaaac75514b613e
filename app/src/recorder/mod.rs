//! A machine run that records its own track. While a run is on, the UI hands the recorder the position
//! source's new fixes about once a second; the recorder passes them through the phone's track filter
//! (`torgkoll_shared::track`: poor accuracy, a jump faster than the machine drives and standing still are
//! dropped), keeps at most one point a second, commits each kept point to the store's track buffer at
//! once, and sends the buffer as one `RunPoints` operation every 30 s or 50 points, so a long run syncs
//! while it goes on. Killed and started again, the app finds the run still on and the recorder resumes
//! from the last point the run has. No UI here: the end-to-end tests drive it headless.

use torgkoll_shared::track::{FilterSettings, TrackFilter, Verdict};
use torgkoll_shared::{MachineKind, Run, TrackPoint};
use uuid::Uuid;

use crate::platform::Fix;
use crate::store::{Result, Store};

/// A chunk goes out when the buffer holds this many points...
pub const CHUNK_POINTS: usize = 50;
/// ...or its oldest point is this old (ms).
pub const CHUNK_EVERY_MS: i64 = 30_000;
/// At most one point per this many ms is kept.
pub const MIN_INTERVAL_MS: i64 = 1_000;
/// After this long without movement (ms) the app asks whether the run is over.
pub const IDLE_ASK_MS: i64 = 10 * 60_000;

/// What one [`Recorder::tick`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tick {
    /// Fixes offered to the filter, and kept.
    pub offered: usize,
    pub kept: usize,
    /// A chunk was sent (a `RunPoints` operation recorded).
    pub flushed: bool,
}

/// Records one run of this phone.
#[derive(Clone, Debug)]
pub struct Recorder {
    pub run: Uuid,
    kind: MachineKind,
    started_ms: i64,
    filter: TrackFilter,
    /// The newest fix offered (kept or not): the next tick asks the source for what came after it.
    last_offered_ms: i64,
    /// The newest point the run has (sent, buffered or tapped).
    last_point_ms: Option<i64>,
    buffered: usize,
    oldest_buffered_ms: Option<i64>,
    /// "Still running" was answered at this time: the idle question waits another ten minutes.
    snoozed_ms: i64,
}

impl Recorder {
    /// Starts or resumes recording `run` (this phone's, running): the filter continues from the last
    /// point the run has, sent or still buffered.
    pub fn resume(store: &Store, run: &Run) -> Result<Recorder> {
        let kind = run.kind.unwrap_or(MachineKind::Fimpsug);
        let buffered = store.buffered_points(run.id)?;
        let last = run
            .path()
            .into_iter()
            .chain(buffered.iter().copied())
            .max_by_key(|p| p.t);
        let last_gps = run
            .path()
            .into_iter()
            .chain(buffered.iter().copied())
            .filter(|p| p.acc.is_some())
            .max_by_key(|p| p.t);
        let started_ms = run.started_ms.unwrap_or(0);
        Ok(Recorder {
            run: run.id,
            kind,
            started_ms,
            // The machine's cleaning width at this site.
            filter: TrackFilter::resume(
                FilterSettings::for_width(store.site().vocabulary.width_m(kind)),
                last_gps,
            ),
            last_offered_ms: last.map_or(started_ms.saturating_sub(1), |p| p.t),
            last_point_ms: last.map(|p| p.t),
            buffered: buffered.len(),
            oldest_buffered_ms: buffered.first().map(|p| p.t),
            snoozed_ms: i64::MIN,
        })
    }

    /// The time after which the source's fixes are new to this recorder.
    pub fn last_offered_ms(&self) -> i64 {
        self.last_offered_ms
    }

    /// Takes `fixes` (new ones, oldest first) through the filter into the buffer, and sends the buffer
    /// as a chunk when it is due. Each kept point is committed before the next is looked at.
    pub fn tick(&mut self, store: &mut Store, fixes: &[Fix], now_ms: i64) -> Result<Tick> {
        let mut tick = Tick::default();
        let after = self.last_offered_ms;
        for f in fixes.iter().filter(|f| f.t > after) {
            if f.t <= self.last_offered_ms {
                continue;
            }
            self.last_offered_ms = f.t;
            if self
                .last_point_ms
                .is_some_and(|t| f.t < t + MIN_INTERVAL_MS)
            {
                continue;
            }
            tick.offered += 1;
            let p = TrackPoint {
                at: f.at.rounded(),
                t: f.t,
                acc: Some(f.accuracy_m),
            };
            if self.filter.offer(store.site(), p) != Verdict::Keep {
                continue;
            }
            store.buffer_point(self.run, p)?;
            tick.kept += 1;
            self.buffered += 1;
            self.oldest_buffered_ms.get_or_insert(p.t);
            self.last_point_ms = self.last_point_ms.max(Some(p.t));
        }
        let due = self.buffered >= CHUNK_POINTS
            || self
                .oldest_buffered_ms
                .is_some_and(|t| now_ms.saturating_sub(t) >= CHUNK_EVERY_MS);
        if due {
            tick.flushed = self.flush(store, now_ms)?;
        }
        Ok(tick)
    }

    /// Sends what is buffered now (before a stop, or when the app goes to the background).
    pub fn flush(&mut self, store: &mut Store, now_ms: i64) -> Result<bool> {
        let sent = store.flush_track(self.run, now_ms)?.is_some();
        self.buffered = 0;
        self.oldest_buffered_ms = None;
        Ok(sent)
    }

    /// A point tapped on the map counts as movement.
    pub fn tapped(&mut self, t: i64) {
        self.last_point_ms = self.last_point_ms.max(Some(t));
    }

    /// Points kept and not yet sent.
    pub fn buffered(&self) -> usize {
        self.buffered
    }

    /// Whether to ask "is the run over?": no movement for ten minutes (since the start, the last point,
    /// or the last "still running").
    pub fn idle(&self, now_ms: i64) -> bool {
        let since = self
            .last_point_ms
            .unwrap_or(self.started_ms)
            .max(self.started_ms)
            .max(self.filter.last_moved_ms().unwrap_or(i64::MIN))
            .max(self.snoozed_ms);
        now_ms.saturating_sub(since) >= IDLE_ASK_MS
    }

    /// "Still running": ask again after another ten minutes without movement.
    pub fn snooze(&mut self, now_ms: i64) {
        self.snoozed_ms = now_ms;
    }

    pub fn kind(&self) -> MachineKind {
        self.kind
    }
}

#[cfg(test)]
mod tests;
