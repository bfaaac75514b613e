//! What the store's methods take and answer: devices, a push's outcome and batch, a pull's page, a
//! device's contact, a purge's outcome and a photo's record.

use std::sync::Arc;

use torgkoll_shared::photo::PhotoRef;
use torgkoll_shared::protocol::{OwnFix, Rejection};
use torgkoll_shared::timefix::Receipt;
use torgkoll_shared::{Domain, Role, Site};
use uuid::Uuid;

use super::RawPulled;
use crate::decode::DecodedOp;

/// An enrolled device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub enrolled_ms: i64,
    pub revoked_ms: Option<i64>,
    pub acked_through: u64,
    /// The id of the site it belongs to ([`crate::sites::Sites::of_device`]).
    pub site: String,
}

impl Device {
    /// A device enrolled now (`now_ms`) with a code: nothing acknowledged yet, not revoked.
    pub fn enrolled(id: Uuid, name: String, role: Role, site: String, now_ms: i64) -> Device {
        Device {
            id,
            name,
            role,
            enrolled_ms: now_ms,
            revoked_ms: None,
            acked_through: 0,
            site,
        }
    }
}

/// What a device's listing shows beside the device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSummary {
    pub device: Device,
    pub ops: u64,
    pub rejected: u64,
    /// The phone's clock minus the server's at its latest sync that said, and when that was measured.
    pub clock_offset_ms: Option<i64>,
    pub offset_measured_ms: Option<i64>,
    /// When the server last heard from it (its own clock), the outbox size and the app version it last
    /// said ([`ServerStore::touch_device`]).
    pub last_contact_ms: Option<i64>,
    pub pending: Option<u64>,
    pub app: Option<String>,
}

/// The outcome of storing one push.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PushOutcome {
    pub acked_through: u64,
    pub accepted: usize,
    /// Refused operations of this push, and earlier refusals of resent ones.
    pub rejected: Vec<Rejection>,
    /// The server's corrections of this push's accepted operations, and earlier ones of resent ones.
    pub fixed: Vec<OwnFix>,
    /// Operations already acknowledged before this push.
    pub skipped: usize,
    /// Whether processing stopped at a missing sequence number.
    pub gap: bool,
    /// The domains of the operations this push stored, for the wake-up channel.
    pub added: crate::wake::Added,
}

/// One page of other devices' operations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PullPage {
    /// In position order, each with its body as stored.
    pub ops: Vec<RawPulled>,
    pub pull_pos: u64,
    pub more: bool,
}

/// One device's push, for [`ServerStore::push_batches`].
#[derive(Debug)]
pub struct PushBatch {
    pub device: Uuid,
    pub role: Role,
    pub ops: Vec<DecodedOp>,
    pub receipt: Receipt,
    /// The device's site: the operations are validated against it and stored under its id. Batches of
    /// one transaction may be of different sites.
    pub site: Arc<Site>,
    /// What the sync said of its device, recorded in the push's transaction (as
    /// [`ServerStore::touch_device`] does alone): one commit per sync, not two.
    pub contact: Option<Contact>,
}

/// A device's contact with the server, for [`ServerStore::touch_device`] and
/// [`ServerStore::push_and_touch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// When, on the server's clock.
    pub now_ms: i64,
    /// The phone's outbox size, if it said (`None` keeps what it said before).
    pub pending: Option<u64>,
    /// The app version, if it said (`None` keeps what it said before).
    pub app: Option<String>,
}

/// What a retention purge changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PurgeOutcome {
    /// Accepted operations whose free text was removed.
    pub ops: u64,
    /// Rejected operations whose free text was removed.
    pub rejected: u64,
    /// Photos whose files were removed (see [`crate::photos::purge_expired`]).
    pub photos: u64,
}

/// One accepted operation attaching a photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoAttachment {
    /// The domain of the report it is attached to.
    pub domain: Domain,
    /// The device that made the operation (and so may upload the photo).
    pub device: Uuid,
    /// When the operation was made (corrected time).
    pub at_ms: i64,
    /// The photo as the operation declared it.
    pub photo: PhotoRef,
}

/// What the store knows of a photo.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhotoRecord {
    /// The accepted operations attaching it, oldest first; none for a photo no report names.
    pub attachments: Vec<PhotoAttachment>,
    /// Retention removed its files: it is unknown from then on.
    pub purged: bool,
}
