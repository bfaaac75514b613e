//! A demo for screenshots and the README: a few enrolled demo devices and the shared generator's
//! operations for a span of days, stored through the same validation and clock corrections as a push
//! (each device's operations in time order, several pushes per transaction). The devices are enrolled an
//! hour before the first operation, and each operation is received a moment after it was made, by phones
//! with right clocks, as if the crew had synced all along.

use std::sync::Arc;

use serde_json::value::to_raw_value;
use torgkoll_shared::analytics::demo::{self, DemoConfig};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::protocol::WireOp;
use torgkoll_shared::timefix::Receipt;
use torgkoll_shared::{Operation, Role, Site};
use uuid::Uuid;

use crate::decode::DecodedOp;
use crate::secret;
use crate::store::{PushBatch, ServerStore, StoreError};

/// The demo crew: the generator's device ids, with names.
pub const DEVICES: &[(Role, u8, &str)] = &[
    (Role::Manager, 1, "Demo platsansvarig"),
    (Role::Guard, 1, "Demo väktare 1"),
    (Role::Guard, 2, "Demo väktare 2"),
    (Role::Cleaner, 1, "Demo plock 1"),
    (Role::Cleaner, 2, "Demo plock 2"),
];

/// Operations per transaction while seeding.
const TX_OPS: usize = 20_000;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the database has demo devices already; seed a fresh database")]
    AlreadySeeded,
}

/// What seeding stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    pub ops: usize,
    pub accepted: usize,
    pub rejected: usize,
}

/// The generator's settings for `days` days ending on `last`.
pub fn config(
    seed: u64,
    last: Date,
    days: u32,
    cleaning_per_day: u32,
    disturbances_per_day: u32,
) -> DemoConfig {
    DemoConfig {
        seed,
        start: last.add_days(1 - i64::from(days.max(1))),
        days: days.max(1),
        cleaning_per_day,
        disturbances_per_day,
    }
}

/// How long after making an operation a demo phone's sync delivers it.
const SYNC_DELAY_MS: i64 = 1_500;

/// Enrolls the demo devices (with tokens nobody holds) and stores the generated operations made up to
/// `now_ms`.
pub fn seed(
    store: &dyn ServerStore,
    site: &Site,
    cfg: &DemoConfig,
    now_ms: i64,
) -> Result<Seeded, DemoError> {
    let mut ops = demo::generate(site, cfg);
    let shared = Arc::new(site.clone());
    ops.retain(|o| o.wall_ms <= now_ms);
    let enrolled = ops.iter().map(|o| o.wall_ms).min().unwrap_or(now_ms) - 3_600_000;
    let known = store.devices(None)?;
    for (role, n, name) in DEVICES {
        let id = demo::device(*role, *n);
        if known.iter().any(|d| d.device.id == id) {
            return Err(DemoError::AlreadySeeded);
        }
        let code = secret::hash(&secret::new_code());
        store.add_site_enroll_code(
            &code,
            *role,
            name,
            Some(&site.id),
            enrolled + 60_000,
            enrolled,
        )?;
        let token = secret::hash(&secret::new_token());
        store.redeem_enroll_code(&code, id, &token, &site.id, enrolled)?;
    }
    // Global time order keeps each device's sequence and puts every report before its changes.
    ops.sort_by_key(|o| (o.wall_ms, o.device, o.seq));
    let mut out = Seeded {
        ops: ops.len(),
        ..Seeded::default()
    };
    for chunk in ops.chunks(TX_OPS) {
        for o in store.push_batches(batches(chunk, &shared))? {
            out.accepted += o.accepted;
            out.rejected += o.rejected.len();
        }
    }
    tracing::info!(
        ops = out.ops,
        accepted = out.accepted,
        rejected = out.rejected,
        "demo seeded"
    );
    Ok(out)
}

/// Consecutive operations of one device, as one push each, received just after the last was made.
fn batches(ops: &[Operation], site: &Arc<Site>) -> Vec<PushBatch> {
    let mut out: Vec<PushBatch> = Vec::new();
    for op in ops {
        let recv = op.wall_ms + SYNC_DELAY_MS;
        let receipt = Receipt::new(recv, Some(recv));
        let wire = WireOp::from_op(op);
        let decoded = DecodedOp {
            seq: op.seq,
            id: op.id,
            raw: to_raw_value(&wire).expect("an operation encodes"),
            op: Ok(wire),
        };
        match out.last_mut() {
            Some(b) if b.device == op.device => {
                b.ops.push(decoded);
                b.receipt = receipt;
            }
            _ => out.push(PushBatch {
                device: op.device,
                role: op.role,
                ops: vec![decoded],
                receipt,
                site: Arc::clone(site),
                contact: None,
            }),
        }
    }
    out
}

/// The demo device of a role and number (for tests).
pub fn device_id(role: Role, n: u8) -> Uuid {
    demo::device(role, n)
}
