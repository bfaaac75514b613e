//! Decoding a pushed sync request, before anything touches the store: gzip with a size limit, the JSON
//! envelope, the protocol version, and every operation's header. Anything wrong here refuses the whole
//! request and stores nothing. An operation whose header reads but whose body does not is kept as a
//! per-operation refusal, to be acknowledged as rejected. This is what the fuzz target feeds.

use std::io::Read;

use flate2::read::MultiGzDecoder;
use serde::Deserialize;
use serde_json::value::RawValue;
use thiserror::Error;
use torgkoll_shared::Invalid;
use torgkoll_shared::protocol::{PROTOCOL_VERSION, SyncRequest, WireOp, decode_wire_op};
use uuid::Uuid;

#[derive(Debug, Error, PartialEq)]
pub enum DecodeError {
    #[error("the body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("not valid gzip: {0}")]
    Gzip(String),
    #[error("not a valid sync request: {0}")]
    Json(String),
    #[error("protocol version {0} is not supported")]
    Version(u32),
    #[error("{count} operations in one request; at most {max} are allowed")]
    TooManyOps { count: usize, max: usize },
    #[error("operation {index} has no readable id and seq: {message}")]
    OpHeader { index: usize, message: String },
}

/// One pushed operation: its numbering, the text as sent (kept for rejected ones), and either the
/// operation or why its body could not be read.
#[derive(Debug)]
pub struct DecodedOp {
    pub seq: u64,
    pub id: Uuid,
    pub raw: Box<RawValue>,
    pub op: Result<WireOp, Invalid>,
}

/// A decoded sync request.
#[derive(Debug)]
pub struct DecodedSync {
    pub ops: Vec<DecodedOp>,
    pub pull_after: u64,
    pub pull_limit: Option<u32>,
    /// The phone's clock when it sent the request, if it said.
    pub phone_ms: Option<i64>,
    /// The phone's outbox size when it sent the request, if it said.
    pub pending: Option<u64>,
    /// The app version it said, if that was at most [`MAX_APP_CHARS`] printable characters.
    pub app: Option<String>,
}

/// The longest app version the server keeps.
pub const MAX_APP_CHARS: usize = 40;

/// The app version a phone said, if it is one to keep: 1 to [`MAX_APP_CHARS`] characters, none of them
/// a control character. Anything else is ignored (the sync goes on without it).
pub fn app_version(said: Option<String>) -> Option<String> {
    said.filter(|a| {
        !a.trim().is_empty()
            && a.chars().count() <= MAX_APP_CHARS
            && !a.chars().any(char::is_control)
    })
}

/// Inflates a gzip body, refusing to produce more than `limit` bytes (a small bomb stays small).
pub fn gunzip(bytes: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(limit));
    MultiGzDecoder::new(bytes)
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Gzip(e.to_string()))?;
    if out.len() > limit {
        return Err(DecodeError::TooLarge { limit });
    }
    Ok(out)
}

#[derive(Deserialize)]
struct Envelope {
    v: u32,
}

/// Decodes the JSON of a `POST /v1/sync` body.
pub fn decode_sync_request(json: &[u8], max_ops: usize) -> Result<DecodedSync, DecodeError> {
    // One pass over the body: the envelope alone is read only when the request does not read, to tell
    // another protocol version (whose shape may differ) from a malformed request.
    let req: SyncRequest = match serde_json::from_slice(json) {
        Ok(req) => req,
        Err(e) => {
            let env: Envelope =
                serde_json::from_slice(json).map_err(|e| DecodeError::Json(e.to_string()))?;
            if env.v != PROTOCOL_VERSION {
                return Err(DecodeError::Version(env.v));
            }
            return Err(DecodeError::Json(e.to_string()));
        }
    };
    if req.v != PROTOCOL_VERSION {
        return Err(DecodeError::Version(req.v));
    }
    if req.ops.len() > max_ops {
        return Err(DecodeError::TooManyOps {
            count: req.ops.len(),
            max: max_ops,
        });
    }
    let mut ops = Vec::with_capacity(req.ops.len());
    for (index, raw) in req.ops.into_iter().enumerate() {
        let decoded = decode_wire_op(&raw).map_err(|e| DecodeError::OpHeader {
            index,
            message: e.to_string(),
        })?;
        let (seq, id, op) = match decoded {
            Ok(w) => (w.seq, w.id, Ok(w)),
            Err((h, why)) => (h.seq, h.id, Err(why)),
        };
        if seq == 0 {
            return Err(DecodeError::OpHeader {
                index,
                message: "seq starts at 1".into(),
            });
        }
        ops.push(DecodedOp { seq, id, raw, op });
    }
    Ok(DecodedSync {
        ops,
        pull_after: req.pull_after,
        pull_limit: req.pull_limit,
        phone_ms: req.phone_ms,
        pending: req.pending,
        app: app_version(req.app),
    })
}

/// The whole decoding of a body as it arrives: gzip (when `gzipped`), then the request.
pub fn decode_sync_body(
    body: &[u8],
    gzipped: bool,
    limit: usize,
    max_ops: usize,
) -> Result<DecodedSync, DecodeError> {
    if body.len() > limit {
        return Err(DecodeError::TooLarge { limit });
    }
    if gzipped {
        decode_sync_request(&gunzip(body, limit)?, max_ops)
    } else {
        decode_sync_request(body, max_ops)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: &str = r#"{"id":"01930000-0000-7000-8000-000000000001","seq":1,"hlc":1,"wall":1,"body":{"t":"resolve","report":"01930000-0000-7000-8000-000000000002"}}"#;

    #[test]
    fn reads_ops_and_keeps_unreadable_bodies_as_refusals() {
        let bad = r#"{"id":"01930000-0000-7000-8000-000000000003","seq":2,"hlc":1,"wall":1,"body":{"t":"clean","cat":"guld","at":[18.06,59.33]}}"#;
        let json = format!(r#"{{"v":1,"ops":[{OP},{bad}],"pull_after":7}}"#);
        let d = decode_sync_request(json.as_bytes(), 10).unwrap();
        assert_eq!(d.pull_after, 7);
        assert!(d.ops[0].op.is_ok());
        assert_eq!(d.ops[1].seq, 2);
        assert!(matches!(d.ops[1].op, Err(Invalid::Malformed(_))));
    }

    #[test]
    fn refuses_whole_requests() {
        let no_header = r#"{"v":1,"ops":[{"seq":1}]}"#;
        assert!(matches!(
            decode_sync_request(no_header.as_bytes(), 10),
            Err(DecodeError::OpHeader { index: 0, .. })
        ));
        assert_eq!(
            decode_sync_request(br#"{"v":2}"#, 10).unwrap_err(),
            DecodeError::Version(2)
        );
        assert!(matches!(
            decode_sync_request(b"{\"v\":1,", 10),
            Err(DecodeError::Json(_))
        ));
        let two = format!(r#"{{"v":1,"ops":[{OP},{OP}]}}"#);
        assert_eq!(
            decode_sync_request(two.as_bytes(), 1).unwrap_err(),
            DecodeError::TooManyOps { count: 2, max: 1 }
        );
    }

    #[test]
    fn gzip_is_bounded() {
        use flate2::{Compression, write::GzEncoder};
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(&vec![b' '; 100_000]).unwrap();
        let bomb = enc.finish().unwrap();
        assert!(bomb.len() < 1_000);
        assert_eq!(
            gunzip(&bomb, 10_000).unwrap_err(),
            DecodeError::TooLarge { limit: 10_000 }
        );
        assert_eq!(gunzip(&bomb, 100_000).unwrap().len(), 100_000);
        assert!(matches!(
            gunzip(b"not gzip", 100),
            Err(DecodeError::Gzip(_))
        ));
    }

    #[test]
    fn a_bad_app_version_or_count_is_ignored_not_refused() {
        let read = |extra: &str| {
            decode_sync_request(format!(r#"{{"v":1{extra}}}"#).as_bytes(), 10).unwrap()
        };
        let ok = read(r#","pending":3,"app":"0.1.0""#);
        assert_eq!((ok.pending, ok.app.as_deref()), (Some(3), Some("0.1.0")));
        let long = "9".repeat(MAX_APP_CHARS + 1);
        for extra in [
            format!(r#","app":"{long}""#),
            r#","app":"0.1\u0000""#.to_string(),
            r#","app":"  ""#.to_string(),
            r#","app":17,"pending":-4"#.to_string(),
            r#","app":{"x":1},"pending":"many""#.to_string(),
        ] {
            let d = read(&extra);
            assert_eq!((d.pending, d.app), (None, None), "{extra}");
        }
        assert_eq!(
            read(&format!(r#","app":"{}""#, "ä".repeat(MAX_APP_CHARS)))
                .app
                .map(|a| a.chars().count()),
            Some(MAX_APP_CHARS)
        );
    }
}
