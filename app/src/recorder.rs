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
            filter: TrackFilter::resume(FilterSettings::for_machine(kind), last_gps),
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
mod tests {
    use std::sync::Arc;

    use geo::Coord;
    use torgkoll_shared::OpBody;
    use torgkoll_shared::test_support::plattan;

    use super::*;
    use crate::store::Identity;

    const T0: i64 = 1_764_000_000_000;

    fn phone(path: &std::path::Path) -> Store {
        let mut s = Store::open(path, Arc::new(plattan())).unwrap();
        if s.identity().is_none() {
            s.set_identity(Identity {
                device: Uuid::now_v7(),
                token: "t".into(),
                role: torgkoll_shared::Role::Cleaner,
                name: "test".into(),
                server: String::new(),
            })
            .unwrap();
        }
        s
    }

    /// A machine walking east along the middle of Plattan norra at 1 m/s, one fix a second, 3 m accuracy.
    fn walk(site: &torgkoll_shared::Site, from_s: i64, to_s: i64) -> Vec<Fix> {
        let z = site.zone("Z3").unwrap();
        let c = geo::Centroid::centroid(&z.polygon).unwrap();
        (from_s..to_s)
            .map(|s| Fix {
                at: site.frame.from_local(Coord {
                    x: c.x() - 20.0 + s as f64,
                    y: c.y(),
                }),
                accuracy_m: 3.0,
                t: T0 + s * 1_000,
            })
            .collect()
    }

    fn start(store: &mut Store) -> Run {
        store
            .record(
                OpBody::RunStart {
                    kind: MachineKind::Skurmaskin,
                    machine: "Skurmaskin 1".into(),
                    started: T0,
                },
                T0,
            )
            .unwrap();
        store.active_run().unwrap().unwrap()
    }

    fn sent_points(store: &Store) -> Vec<i64> {
        let mut ts: Vec<i64> = store
            .active_run()
            .unwrap()
            .map(|r| r.path().iter().map(|p| p.t).collect())
            .unwrap_or_default();
        ts.sort_unstable();
        ts
    }

    #[test]
    fn a_killed_run_resumes_and_loses_and_repeats_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("phone.sqlite");
        let site = plattan();
        let fixes = walk(&site, 0, 40);
        let first = {
            let mut store = phone(&path);
            let run = start(&mut store);
            let mut rec = Recorder::resume(&store, &run).unwrap();
            // 25 s of fixes: buffered, not yet due, then the app is killed.
            let t = rec.tick(&mut store, &fixes[..25], T0 + 25_000).unwrap();
            assert!(!t.flushed && t.kept > 5, "{t:?}");
            assert_eq!(store.buffered_points(run.id).unwrap().len(), t.kept);
            run.id
        };
        let mut store = phone(&path);
        let run = store
            .active_run()
            .unwrap()
            .expect("still running after the kill");
        assert_eq!(run.id, first);
        let mut rec = Recorder::resume(&store, &run).unwrap();
        let before = rec.buffered();
        assert!(before > 5);
        assert_eq!(rec.last_offered_ms(), T0 + 24_000);
        // The source hands everything it still has: what came before the kill is not taken twice.
        let t = rec.tick(&mut store, &fixes, T0 + 40_000).unwrap();
        assert!(t.flushed, "the oldest point is 30 s old: {t:?}");
        assert_eq!(t.offered, 15);
        let sent = sent_points(&store);
        assert_eq!(sent.len(), before + t.kept);
        assert!(sent.windows(2).all(|w| w[1] - w[0] >= MIN_INTERVAL_MS));
        assert!(store.buffered_points(run.id).unwrap().is_empty());
    }

    #[test]
    fn chunks_go_every_fifty_points_or_thirty_seconds() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = phone(&dir.path().join("phone.sqlite"));
        let site = plattan();
        let run = start(&mut store);
        let mut rec = Recorder::resume(&store, &run).unwrap();
        // Fast fixes (a replay at 20x stamps them a second apart), all handed in at once.
        let fixes = walk(&site, 0, 120);
        let mut chunks = 0;
        for f in fixes.chunks(10) {
            let now = f.last().unwrap().t;
            if rec.tick(&mut store, f, now).unwrap().flushed {
                chunks += 1;
                assert!(rec.buffered() == 0);
            }
            assert!(rec.buffered() < CHUNK_POINTS);
        }
        assert!(chunks >= 3, "{chunks} chunks");
        let ops = store.all_ops().unwrap();
        for o in ops {
            if let OpBody::RunPoints { points, .. } = o.body {
                assert!(points.len() <= CHUNK_POINTS);
                let span = points.last().unwrap().t - points[0].t;
                assert!(span < CHUNK_EVERY_MS + 10_000, "{span} ms in one chunk");
            }
        }
    }

    #[test]
    fn after_ten_still_minutes_it_asks_and_still_running_waits_ten_more() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = phone(&dir.path().join("phone.sqlite"));
        let site = plattan();
        let run = start(&mut store);
        let mut rec = Recorder::resume(&store, &run).unwrap();
        rec.tick(&mut store, &walk(&site, 0, 30), T0 + 30_000)
            .unwrap();
        // Parked at the last spot: the same fix every second for 12 minutes.
        let last = walk(&site, 29, 30)[0];
        let parked: Vec<Fix> = (31..31 + 720)
            .map(|s| Fix {
                t: T0 + s * 1_000,
                ..last
            })
            .collect();
        let mut asked_at = None;
        for f in parked.chunks(60) {
            let now = f.last().unwrap().t;
            let t = rec.tick(&mut store, f, now).unwrap();
            assert_eq!(t.kept, 0, "a parked machine adds nothing");
            if asked_at.is_none() && rec.idle(now) {
                asked_at = Some(now);
            }
        }
        let asked = asked_at.expect("it asks");
        assert!((asked - (T0 + 29_000) - IDLE_ASK_MS).abs() <= 60_000);
        rec.snooze(asked);
        assert!(!rec.idle(asked + IDLE_ASK_MS - 1));
        assert!(rec.idle(asked + IDLE_ASK_MS));
    }

    #[test]
    fn a_fix_far_off_the_site_is_never_sent() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = phone(&dir.path().join("phone.sqlite"));
        let site = plattan();
        let run = start(&mut store);
        let mut rec = Recorder::resume(&store, &run).unwrap();
        let mut fixes = walk(&site, 0, 10);
        fixes[5].at = east_of(&site, fixes[5].at, 500.0);
        let t = rec.tick(&mut store, &fixes, T0 + 10_000).unwrap();
        rec.flush(&mut store, T0 + 10_000).unwrap();
        assert!(t.kept >= 3);
        assert_eq!(store.pending_count().unwrap(), 2, "the start and one chunk");
    }

    fn east_of(
        site: &torgkoll_shared::Site,
        p: torgkoll_shared::GeoPoint,
        m: f64,
    ) -> torgkoll_shared::GeoPoint {
        let c = site.frame.to_local(p);
        site.frame.from_local(Coord { x: c.x + m, y: c.y })
    }
}
