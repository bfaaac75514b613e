//! Feeds arbitrary bytes to the decoder `POST /v1/sync` uses, as plain JSON and as a gzip body. It must
//! never panic, never inflate past its limit, and what it accepts must be consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use torgkoll_server::decode::{DecodeError, decode_sync_body};

const LIMIT: usize = 1 << 20;
const MAX_OPS: usize = 64;

fuzz_target!(|data: &[u8]| {
    for gzipped in [false, true] {
        match decode_sync_body(data, gzipped, LIMIT, MAX_OPS) {
            Ok(req) => {
                assert!(req.ops.len() <= MAX_OPS);
                for op in &req.ops {
                    assert!(op.seq >= 1);
                    if let Ok(w) = &op.op {
                        assert_eq!((w.seq, w.id), (op.seq, op.id));
                    }
                }
            }
            Err(DecodeError::TooLarge { limit }) => assert_eq!(limit, LIMIT),
            Err(_) => {}
        }
    }
});
