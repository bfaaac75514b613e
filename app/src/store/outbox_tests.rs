//! The outbox read as it goes on the wire (`outbox_wire`, `encode_outbox`) makes the very bytes the
//! parsed operations make (`outbox_batch`, `encode_request`): every body kind of the golden files, and
//! notes and coordinates that exercise JSON's escapes and float formatting.

use std::io::Read;
use std::sync::Arc;

use torgkoll_shared::protocol::WireOp;
use torgkoll_shared::test_support::plattan;
use torgkoll_shared::{OpBody, Operation, Role};
use uuid::Uuid;

use super::Store;
use super::record::insert_op;
use crate::sync::{encode_outbox, encode_request};

const GOLDEN: [&str; 2] = [
    include_str!("../../../shared/tests/golden/ops-v1.jsonl"),
    include_str!("../../../shared/tests/golden/ops-v1-shift.jsonl"),
];

/// Notes that need escaping, and coordinates with many digits.
const ODD: [&str; 4] = [
    r#"{"t":"clean","cat":"fimpar","note":"\"citat\" \\ snedstreck\n ny rad \t tab \u0001 ✓ 🧹","at":[18.064123456789012,59.33212345678901],"acc":0.1}"#,
    r#"{"t":"clean","cat":"fimpar","amt":"mycket","note":"</script> & <b>","at":[18.0641,59.3321],"acc":1e-7}"#,
    r#"{"t":"clean","cat":"fimpar","at":[18.06,59.33],"acc":123456789.5}"#,
    r#"{"t":"clean","cat":"fimpar","note":"","at":[18.1,59.3]}"#,
];

/// A store whose outbox holds every golden body and the odd ones, renumbered as this device's.
fn store_with_outbox() -> (Store, Vec<Operation>) {
    let s = Store::open_in_memory(Arc::new(plattan())).unwrap();
    let me = Uuid::now_v7();
    let mut bodies: Vec<OpBody> = GOLDEN
        .iter()
        .flat_map(|f| f.lines().filter(|l| !l.trim().is_empty()))
        .map(|l| serde_json::from_str::<WireOp>(l).unwrap().body)
        .collect();
    bodies.extend(
        ODD.iter()
            .map(|b| serde_json::from_str::<OpBody>(b).unwrap()),
    );
    let mut ops = Vec::new();
    for (i, body) in bodies.into_iter().enumerate() {
        let seq = i as u64 + 1;
        let op = Operation {
            id: Uuid::now_v7(),
            device: me,
            seq,
            hlc: torgkoll_shared::Hlc(115_605_504_000_000_000 + seq * 65_536),
            wall_ms: 1_764_000_000_000 + seq as i64 * 997,
            role: Role::Manager,
            body,
            fix: None,
        };
        assert!(insert_op(&s.conn, &op, true, None, None).unwrap());
        s.conn
            .execute(
                "INSERT INTO outbox (seq, op_id) VALUES (?1, ?2)",
                rusqlite::params![seq as i64, op.id],
            )
            .unwrap();
        ops.push(op);
    }
    (s, ops)
}

fn gunzip(gz: &[u8]) -> String {
    let mut json = String::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut json)
        .unwrap();
    json
}

#[test]
fn the_raw_outbox_encodes_to_the_same_bytes_as_the_parsed_operations() {
    let (s, ops) = store_with_outbox();
    assert!(ops.len() >= 15, "every golden body and the odd ones");
    assert_eq!(s.outbox_batch(100).unwrap(), ops);
    let wire = s.outbox_wire(0, 100).unwrap();
    assert_eq!(wire.len(), ops.len());
    let cases = [
        (0, None, None, None),
        (41, Some(5_000), Some(1_764_000_000_009), Some(3)),
        (u64::MAX, Some(u32::MAX), Some(-1), Some(0)),
    ];
    for (after, limit, phone_ms, pending) in cases {
        let old = encode_request(&ops, after, limit, phone_ms, pending).unwrap();
        let new = encode_outbox(&wire, after, limit, phone_ms, pending).unwrap();
        assert_eq!(gunzip(&new), gunzip(&old), "the JSON, {after} {limit:?}");
        assert_eq!(new, old, "the gzip bytes, {after} {limit:?}");
    }
    // No operations: a pull.
    assert_eq!(
        gunzip(&encode_outbox(&[], 7, Some(10), Some(5), Some(0)).unwrap()),
        gunzip(&encode_request(&[], 7, Some(10), Some(5), Some(0)).unwrap())
    );
}

#[test]
fn the_raw_outbox_reads_after_a_sequence_number_in_order() {
    let (s, ops) = store_with_outbox();
    let seqs = |after, limit| -> Vec<u64> {
        s.outbox_wire(after, limit)
            .unwrap()
            .iter()
            .map(|o| o.seq)
            .collect()
    };
    assert_eq!(seqs(0, 3), [1, 2, 3]);
    assert_eq!(seqs(3, 2), [4, 5]);
    assert_eq!(seqs(ops.len() as u64, 10), Vec::<u64>::new());
    let after: Vec<u64> = s
        .outbox_after(3, 2)
        .unwrap()
        .iter()
        .map(|o| o.seq)
        .collect();
    assert_eq!(seqs(3, 2), after);
    // Acknowledged operations leave the outbox, and so the wire reading.
    s.conn
        .execute("DELETE FROM outbox WHERE seq <= 4", [])
        .unwrap();
    assert_eq!(seqs(0, 2), [5, 6]);
    let first = &s.outbox_wire(0, 1).unwrap()[0];
    assert_eq!((first.id, first.hlc), (ops[4].id, ops[4].hlc));
    assert_eq!(
        first.body.get(),
        serde_json::to_string(&ops[4].body).unwrap()
    );
}

/// What a request says still waits after its batch: the same whether the batches before it were
/// acknowledged yet or not (the pipelined sync reads a batch before the answer to the one before it is
/// applied).
#[test]
fn what_waits_after_a_batch_does_not_depend_on_earlier_acks() {
    let (s, ops) = store_with_outbox();
    let n = ops.len() as u64;
    assert_eq!(s.pending_after(0).unwrap(), n);
    assert_eq!(s.pending_after(3).unwrap(), n - 3);
    s.conn
        .execute("DELETE FROM outbox WHERE seq <= 2", [])
        .unwrap();
    assert_eq!(s.pending_after(3).unwrap(), n - 3);
    assert_eq!(s.pending_after(0).unwrap(), n - 2);
    assert_eq!(s.pending_after(n).unwrap(), 0);
}
