//! Screenshots of photos (`scripts/screenshots.sh photo-cleaner photo-manager`): a cleaner reports
//! graffiti and adds a photo with the scripted picker (`60-photo-on-report.png`), and the manager's
//! review shows a cleaner's photo, pulled with its thumbnail (`61-review-photo.png`).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use image::{ImageFormat, Rgb, RgbImage};
use torgkoll_app::platform::{Clock, ManualClock, ScriptedPick};
use torgkoll_app::store::Store;
use torgkoll_app::ui::Services;
use torgkoll_shared::photo::{prepare, thumbnail};
use torgkoll_shared::protocol::{PROTOCOL_VERSION, PulledOp, SyncResponse, WireOp};
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{CleaningCategory, CleaningReport, Hlc, OpBody, Operation, Role};
use uuid::Uuid;

use crate::driver::{click, sleep_ms, wait_for};

/// The cleaner's phone whose report and photo the manager's phone pulls.
const CLEANER: Uuid = Uuid::from_u128(0xC1EA_0001);

/// The report whose photo the manager's review shows.
static REPORT: OnceLock<uuid::Uuid> = OnceLock::new();

/// A picture of a wall with graffiti on it: concrete, and three thick painted strokes.
fn graffiti(path: &Path) {
    let (w, h) = (2000u32, 1500u32);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let grain = ((x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 13) % 24;
        let base = 150 + grain as u8;
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let strokes = [
            (0.45 + 0.18 * (fx * 9.0).sin(), Rgb([200, 30, 60])),
            (0.62 + 0.12 * (fx * 5.0 + 1.0).cos(), Rgb([30, 90, 200])),
            (0.30 + 0.10 * (fx * 13.0).sin(), Rgb([20, 20, 20])),
        ];
        for (centre, colour) in strokes {
            if (fy - centre).abs() < 0.035 && (0.12..0.88).contains(&fx) {
                return colour;
            }
        }
        Rgb([base, base, base - 6])
    });
    img.save_with_format(path, ImageFormat::Jpeg)
        .expect("a picture");
}

/// The demo day for `role`, with a photo picker that takes the graffiti picture; the manager's phone
/// also holds a cleaner's graffiti report with its photo, as a pull brings them.
pub fn photo_services(db: &Path, role: Role, clock: Arc<ManualClock>) -> Services {
    let picture = db.with_file_name("graffiti.jpg");
    graffiti(&picture);
    let mut store = Store::open(db, Arc::new(plattan())).expect("store");
    torgkoll_app::ui::demo::seed(&mut store, role, clock.now_ms()).expect("demo");
    if role == Role::Manager {
        let now = clock.now_ms();
        let prepared = prepare(&std::fs::read(&picture).expect("picture")).expect("prepared");
        let at = plattan().frame.from_view(geo::Coord { x: 0.0, y: 0.0 });
        let report = OpBody::Clean(CleaningReport {
            category: CleaningCategory::Klotter,
            amount: None,
            note: None,
            at,
            acc: None,
        });
        let report = pull(&mut store, 1, now - 20 * 60_000, report, now);
        let photo = OpBody::Photo {
            report,
            photo: prepared.reference.clone(),
        };
        pull(&mut store, 2, now - 19 * 60_000, photo, now);
        let hash = &prepared.reference.hash;
        let thumb = thumbnail(&prepared.bytes).expect("thumbnail");
        store
            .save_photo_file(hash, &thumb, true)
            .expect("thumbnail kept");
        REPORT.set(report).expect("once");
    }
    Services::new(store, clock).with_photos(Arc::new(ScriptedPick(picture)))
}

/// Delivers the cleaner's operation number `seq`, made at `t`, as a pull delivers it; returns its id.
fn pull(store: &mut Store, seq: u64, t: i64, body: OpBody, now: i64) -> Uuid {
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, (t / 1000) as u64, 0);
    let op = Operation {
        id: Uuid::new_v7(ts),
        device: CLEANER,
        seq,
        hlc: Hlc::new(t as u64, seq as u16),
        wall_ms: t,
        role: Role::Cleaner,
        body,
        fix: None,
    };
    let pos = store.pull_pos().expect("pull position") + 1;
    let resp = SyncResponse {
        v: PROTOCOL_VERSION,
        acked_through: 0,
        rejected: vec![],
        fixed: vec![],
        pull_pos: pos,
        ops: vec![PulledOp {
            pos,
            dev: CLEANER,
            role: Role::Cleaner,
            recv: t + 1_000,
            op: WireOp::from_op(&op),
            fix: None,
        }],
        more: false,
        photos_wanted: vec![],
        server_ms: now,
    };
    store.apply_sync(&resp, now, now).expect("pulled");
    op.id
}

pub async fn take(which: &str) -> Result<(), String> {
    click("handover-read").await;
    if which == "shots-photo-cleaner" {
        click("cat-klotter").await;
        crate::driver::tap_map(0.40, 0.45).await;
        wait_for("saved", "document.getElementById('add-details')").await;
        click("add-details").await;
        wait_for("the sheet", "document.getElementById('photo-add')").await;
        click("photo-add").await;
        wait_for("the photo", "document.getElementById('photo-0-state')").await;
        wait_for("the toast gone", "!document.getElementById('toast')").await;
        crate::driver::js(
            "const s = document.getElementById('details-sheet'); s.scrollTop = s.scrollHeight; return true;",
        )
        .await;
        crate::shots::shot("60-photo-on-report").await?;
    } else {
        let report = REPORT.get().ok_or("no report seeded")?;
        click("tab-review").await;
        let row = format!("rv-row-{report}");
        wait_for("the row", &format!("document.getElementById('{row}')")).await;
        click(&row).await;
        wait_for("the photo", "document.querySelector('#photos img')").await;
        sleep_ms(300).await;
        crate::shots::shot("61-review-photo").await?;
    }
    Ok(())
}
