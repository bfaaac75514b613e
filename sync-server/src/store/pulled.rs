//! A pulled operation as the server sends it: the columns of its row and its body as stored, the JSON
//! text the push wrote (`serde_json::to_string(&op.body)`), passed through as a [`RawValue`] rather than
//! decoded and encoded again. It serializes byte for byte as [`PulledOp`] does (a test below holds that
//! to the golden files), so the wire format is unchanged; the phone reads it as a [`SyncResponse`].

use serde::Serialize;
use serde_json::value::RawValue;
use torgkoll_shared::protocol::{OwnFix, PulledOp, Rejection, SyncResponse};
use torgkoll_shared::{Hlc, Role, TimeFix};
use uuid::Uuid;

use super::{Result, StoreError};

/// [`torgkoll_shared::protocol::WireOp`] with its body as stored.
#[derive(Clone, Debug, Serialize)]
pub struct RawWireOp {
    pub id: Uuid,
    pub seq: u64,
    pub hlc: Hlc,
    pub wall: i64,
    pub body: Box<RawValue>,
}

/// [`PulledOp`] with its body as stored.
#[derive(Clone, Debug, Serialize)]
pub struct RawPulled {
    pub pos: u64,
    pub dev: Uuid,
    pub role: Role,
    pub recv: i64,
    pub op: RawWireOp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<TimeFix>,
}

impl PartialEq for RawPulled {
    fn eq(&self, other: &Self) -> bool {
        self.pos == other.pos
            && self.dev == other.dev
            && self.role == other.role
            && self.recv == other.recv
            && self.op.id == other.op.id
            && self.op.seq == other.op.seq
            && self.op.hlc == other.op.hlc
            && self.op.wall == other.op.wall
            && self.op.body.get() == other.op.body.get()
            && self.fix == other.fix
    }
}

/// A stored body as it goes out: checked to be one JSON value (never sent broken), not decoded.
pub(super) fn stored_body(text: String) -> Result<Box<RawValue>> {
    RawValue::from_string(text)
        .map_err(|e| StoreError::Corrupt(format!("an operation's stored body: {e}")))
}

impl RawPulled {
    /// The operation decoded, as the phone reads it.
    pub fn decode(&self) -> serde_json::Result<PulledOp> {
        serde_json::from_str(&serde_json::to_string(self)?)
    }
}

/// [`SyncResponse`] with its pulled operations as stored: what `POST /v1/sync` answers.
#[derive(Debug, Serialize)]
pub struct SyncAnswer {
    pub v: u32,
    pub acked_through: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Rejection>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<OwnFix>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ops: Vec<RawPulled>,
    pub pull_pos: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub photos_wanted: Vec<String>,
    pub server_ms: i64,
}

/// The answer as the phone's type, for tests.
impl TryFrom<&SyncAnswer> for SyncResponse {
    type Error = serde_json::Error;
    fn try_from(a: &SyncAnswer) -> serde_json::Result<SyncResponse> {
        serde_json::from_str(&serde_json::to_string(a)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use torgkoll_shared::protocol::WireOp;

    const GOLDEN: &str = "../shared/tests/golden";

    fn raw_of(p: &PulledOp) -> RawPulled {
        RawPulled {
            pos: p.pos,
            dev: p.dev,
            role: p.role,
            recv: p.recv,
            op: RawWireOp {
                id: p.op.id,
                seq: p.op.seq,
                hlc: p.op.hlc,
                wall: p.op.wall,
                // As the push stores it.
                body: stored_body(serde_json::to_string(&p.op.body).unwrap()).unwrap(),
            },
            fix: p.fix,
        }
    }

    fn answer_of(r: &SyncResponse) -> SyncAnswer {
        SyncAnswer {
            v: r.v,
            acked_through: r.acked_through,
            rejected: r.rejected.clone(),
            fixed: r.fixed.clone(),
            ops: r.ops.iter().map(raw_of).collect(),
            pull_pos: r.pull_pos,
            more: r.more,
            photos_wanted: r.photos_wanted.clone(),
            server_ms: r.server_ms,
        }
    }

    #[test]
    fn answers_from_stored_bodies_are_byte_for_byte_the_decoded_ones() {
        let mut seen_ops = 0;
        for name in ["sync-response-v1.json", "sync-response-v1-clock.json"] {
            let text = std::fs::read_to_string(format!("{GOLDEN}/{name}")).unwrap();
            let mut resp: SyncResponse = serde_json::from_str(&text).unwrap();
            // Every body of the golden operation files, pulled.
            for file in [
                "ops-v1.jsonl",
                "ops-v1-shift.jsonl",
                "photo-v1.jsonl",
                "take-v1.jsonl",
            ] {
                let lines = std::fs::read_to_string(format!("{GOLDEN}/{file}")).unwrap();
                // (photo-v1.jsonl holds upload answers too: only the lines that are operations.)
                let wire = lines
                    .lines()
                    .filter_map(|l| serde_json::from_str::<WireOp>(l).ok());
                for (i, op) in wire.enumerate() {
                    let mut p = resp.ops[0].clone();
                    p.pos += i as u64 + 1;
                    p.fix = (i % 2 == 0).then_some(TimeFix {
                        at: op.wall + 5,
                        hlc: op.hlc,
                    });
                    p.op = op;
                    resp.ops.push(p);
                }
            }
            seen_ops += resp.ops.len();
            for more in [false, true] {
                resp.more = more;
                let a = answer_of(&resp);
                assert_eq!(
                    serde_json::to_string(&a).unwrap(),
                    serde_json::to_string(&resp).unwrap()
                );
                assert_eq!(SyncResponse::try_from(&a).unwrap(), resp);
                assert_eq!(a.ops[1].decode().unwrap(), resp.ops[1]);
            }
            // And with nothing pulled, asking for photos again or not.
            resp.ops.clear();
            for wanted in [vec![], vec!["ab".repeat(32), "cd".repeat(32)]] {
                resp.photos_wanted = wanted;
                assert_eq!(
                    serde_json::to_string(&answer_of(&resp)).unwrap(),
                    serde_json::to_string(&resp).unwrap()
                );
            }
        }
        let text = std::fs::read_to_string(format!("{GOLDEN}/sync-response-v1-photos-wanted.json"));
        let resp: SyncResponse = serde_json::from_str(&text.unwrap()).unwrap();
        assert_eq!(
            serde_json::to_string_pretty(&answer_of(&resp)).unwrap(),
            serde_json::to_string_pretty(&resp).unwrap()
        );
        assert!(seen_ops > 20, "the golden files hold operations");
    }

    #[test]
    fn a_broken_stored_body_is_an_error_not_broken_json() {
        assert!(stored_body("{\"t\":\"clean\"".into()).is_err());
        assert!(stored_body("{\"t\":\"clean\"} x".into()).is_err());
        assert_eq!(stored_body("{\"t\":1}".into()).unwrap().get(), "{\"t\":1}");
    }
}
