//! A sync request built from the outbox as stored ([`encode_outbox`]): the bodies copied, not parsed
//! and encoded again.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;
use serde_json::value::RawValue;
use torgkoll_shared::Hlc;
use torgkoll_shared::protocol::PROTOCOL_VERSION;
use uuid::Uuid;

use super::SyncError;
use super::client::{APP_VERSION, GZIP_LEVEL};
use crate::store::OutboxOp;

/// [`encode_request`](super::encode_request) for operations read as they go on the wire ([`Store::outbox_wire`]): each body is
/// copied as the operation log stores it, not parsed and encoded again. The bytes are those
/// `encode_request` makes of the same operations (tested in `store/outbox_tests.rs`): [`RawOp`] and
/// [`RawRequest`] are `WireOp` and `SyncRequest` field for field, with the same serde attributes.
///
/// [`Store::outbox_wire`]: crate::store::Store::outbox_wire
pub fn encode_outbox(
    ops: &[OutboxOp],
    pull_after: u64,
    pull_limit: Option<u32>,
    phone_ms: Option<i64>,
    pending: Option<u64>,
) -> Result<Vec<u8>, SyncError> {
    let req = RawRequest {
        v: PROTOCOL_VERSION,
        ops: ops.iter().map(RawOp::of).collect(),
        pull_after,
        pull_limit,
        phone_ms,
        pending,
        app: Some(APP_VERSION),
    };
    let json = serde_json::to_vec(&req)
        .map_err(|e| SyncError::BadResponse(format!("encoding the request: {e}")))?;
    let mut gz = GzEncoder::new(
        Vec::with_capacity(json.len() / 4),
        Compression::new(GZIP_LEVEL),
    );
    // The flush (a sync flush: five bytes) is `encode_request`'s, kept so that the bytes are its.
    gz.write_all(&json)
        .and_then(|_| gz.flush())
        .and_then(|_| gz.finish())
        .map_err(|e| SyncError::BadResponse(format!("compressing the request: {e}")))
}

/// `WireOp` with its body as stored.
#[derive(Serialize)]
struct RawOp<'a> {
    id: Uuid,
    seq: u64,
    hlc: Hlc,
    wall: i64,
    body: &'a RawValue,
}

impl<'a> RawOp<'a> {
    fn of(op: &'a OutboxOp) -> Self {
        RawOp {
            id: op.id,
            seq: op.seq,
            hlc: op.hlc,
            wall: op.wall_ms,
            body: &op.body,
        }
    }
}

/// `SyncRequest` with [`RawOp`]s.
#[derive(Serialize)]
struct RawRequest<'a> {
    v: u32,
    ops: Vec<RawOp<'a>>,
    pull_after: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pull_limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pending: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    app: Option<&'a str>,
}
