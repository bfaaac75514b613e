//! The sync protocol, version 1: the wire types shared by the phone and the server.
//!
//! One endpoint does a whole sync round: `POST /v1/sync` carries the phone's unacknowledged operations and
//! its pull position, and answers with the acknowledgement, the rejections, and the next page of other
//! devices' operations. See `docs/PROTOCOL.md`. These shapes are frozen by golden tests: change them only
//! by adding a new version.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::hlc::Hlc;
use crate::op::{OpBody, Operation};
use crate::timefix::TimeFix;
use crate::validate::Invalid;
use crate::vocab::Role;

pub const PROTOCOL_VERSION: u32 = 1;

/// An operation as the phone sends it: device and role are the authenticated device's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireOp {
    pub id: Uuid,
    pub seq: u64,
    pub hlc: Hlc,
    pub wall: i64,
    pub body: OpBody,
}

impl WireOp {
    pub fn from_op(op: &Operation) -> Self {
        WireOp {
            id: op.id,
            seq: op.seq,
            hlc: op.hlc,
            wall: op.wall_ms,
            body: op.body.clone(),
        }
    }

    pub fn into_op(self, device: Uuid, role: Role) -> Operation {
        Operation {
            id: self.id,
            device,
            seq: self.seq,
            hlc: self.hlc,
            wall_ms: self.wall,
            role,
            body: self.body,
            fix: None,
        }
    }
}

/// The numbering of an operation, readable even when its body is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireOpHeader {
    pub id: Uuid,
    pub seq: u64,
}

/// Decodes one pushed operation. A body that cannot be read (an unknown category, say) is an error with a
/// reason; the header must still be readable so that the operation can be acknowledged as rejected.
pub fn decode_wire_op(
    raw: &RawValue,
) -> Result<Result<WireOp, (WireOpHeader, Invalid)>, serde_json::Error> {
    // The whole operation first: the header alone is read again only for one that does not read.
    match serde_json::from_str::<WireOp>(raw.get()) {
        Ok(op) => Ok(Ok(op)),
        Err(e) => {
            let header: WireOpHeader = serde_json::from_str(raw.get())?;
            Ok(Err((header, Invalid::Malformed(e.to_string()))))
        }
    }
}

/// `POST /v1/sync`: push and pull in one round trip.
#[derive(Debug, Serialize, Deserialize)]
pub struct SyncRequest {
    /// Protocol version; must be 1.
    pub v: u32,
    /// Unacknowledged operations in device sequence order, each a [`WireOp`].
    #[serde(default)]
    pub ops: Vec<Box<RawValue>>,
    /// Send operations after this global position (0 for all).
    #[serde(default)]
    pub pull_after: u64,
    /// The most operations the phone wants back in this answer (the server may send fewer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_limit: Option<u32>,
    /// The phone's wall clock when it sent this (ms since the epoch): the server measures the phone's
    /// clock offset from it. Optional; without it only impossible times are corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_ms: Option<i64>,
    /// The phone's own operations not yet acknowledged when it sent this (its outbox), for the manager's
    /// view of who is out there. Optional, and read leniently: a value that is not a count is none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub pending: Option<u64>,
    /// The app's version (`CARGO_PKG_VERSION`). Optional, read leniently; the server keeps at most 40
    /// printable characters and ignores anything else, never failing the sync over it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub app: Option<String>,
}

/// Reads an optional informative field leniently: a value of the wrong shape is none, not a refused
/// request.
fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(v.and_then(|v| serde_json::from_value(v).ok()))
}

/// One operation refused for good, with the reason to show on the report: in English, and as a stable
/// code with its details (`cause`) for the phone to say in its user's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rejection {
    pub seq: u64,
    pub id: Uuid,
    pub reason: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::invalid::lenient_cause"
    )]
    pub cause: Option<Invalid>,
}

/// Another device's operation, as pulled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulledOp {
    /// Global position on the server, in commit order.
    pub pos: u64,
    pub dev: Uuid,
    pub role: Role,
    /// When the server received it (ms since the epoch), beside the device's own wall time.
    pub recv: i64,
    pub op: WireOp,
    /// The server's correction of its time and clock, when it made one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<TimeFix>,
}

impl PulledOp {
    pub fn operation(&self) -> Operation {
        Operation {
            fix: self.fix,
            ..self.op.clone().into_op(self.dev, self.role)
        }
    }
}

/// The server's correction of one of the pushing phone's own operations (this push's, or an earlier
/// one's resent), so the phone folds it as every other phone does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnFix {
    pub seq: u64,
    #[serde(flatten)]
    pub fix: TimeFix,
}

/// The answer to a sync round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub v: u32,
    /// Every operation of this device up to this sequence number is stored (accepted or rejected).
    pub acked_through: u64,
    /// Operations in this request that were refused for good.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Rejection>,
    /// Operations in this request whose time the server corrected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<OwnFix>,
    /// Other devices' operations after `pull_after`, in position order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ops: Vec<PulledOp>,
    /// The position to pull after next time; store it with the pulled rows, in one transaction.
    pub pull_pos: u64,
    /// Whether more operations wait to be pulled.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
    /// Photos this device attached that the server lacks although it holds their operations (it was
    /// restored from a backup taken before they were uploaded, docs/PROTOCOL.md "Restore"): upload them
    /// again. At most [`PHOTOS_WANTED_MAX`] a round. Added to v1; older servers never send it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos_wanted: Vec<String>,
    /// The server's clock (ms since the epoch) when it answered.
    pub server_ms: i64,
}

/// The most photo hashes one sync answer asks for again ([`SyncResponse::photos_wanted`]).
pub const PHOTOS_WANTED_MAX: usize = 32;

/// `POST /v1/enroll`: a one-time code for a device id and a token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device: Uuid,
    pub token: String,
    pub role: Role,
    pub name: String,
    /// The id of the site plan this server serves.
    pub site_id: String,
}

/// The body of every error answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable code, e.g. `bad_token`, `too_large`, `malformed`.
    pub error: String,
    /// What went wrong, for a person.
    pub message: String,
}
