//! An answer acknowledging less than this phone saw acknowledged before (the server was restored from an
//! older backup): the phone's own operations after it go back into the outbox in that answer's
//! transaction, a photo they attached is uploaded again, and an answer that only repeats that changes
//! nothing more. A photo the server asks for again (`photos_wanted`) goes back to pending upload.

use torgkoll_shared::photo::{Prepared, prepare};
use torgkoll_shared::protocol::{Rejection, SyncResponse};

use super::queries::own_state_sql;
use super::test_support::{enrolled_cleaner, klotter};
use super::*;

const NOW: i64 = 1_764_150_000_000;

fn picture(seed: u8) -> Prepared {
    let img = image::RgbImage::from_fn(320, 240, |x, y| {
        image::Rgb([x as u8, y as u8, seed.wrapping_mul(70)])
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    img.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
    prepare(jpeg.get_ref()).unwrap()
}

fn answer(acked: u64, rejected: Vec<Rejection>) -> SyncResponse {
    SyncResponse {
        v: 1,
        acked_through: acked,
        rejected,
        fixed: vec![],
        ops: vec![],
        pull_pos: 0,
        more: false,
        photos_wanted: vec![],
        server_ms: NOW,
    }
}

fn states(s: &Store) -> Vec<(u64, String)> {
    let mut stmt = s
        .conn
        .prepare(concat!(
            "SELECT seq, ",
            own_state_sql!(),
            " FROM oplog o WHERE local = 1 ORDER BY seq"
        ))
        .unwrap();
    stmt.query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_lower_acknowledgement_puts_the_lost_operations_back_into_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = enrolled_cleaner(dir.path());
    let report = |s: &mut Store, i: i64| klotter(s, NOW + i);
    // 1: a report, 2: its photo (both kept by the restored server), 3 and 4: reports, 5: a photo of 4.
    let first = report(&mut s, 0);
    let (kept, lost) = (picture(1), picture(2));
    assert_ne!(kept.reference.hash, lost.reference.hash);
    s.attach_photo(first.id, &kept, None, NOW + 1).unwrap();
    let refused = report(&mut s, 2);
    let fourth = report(&mut s, 3);
    s.attach_photo(fourth.id, &lost, None, NOW + 4).unwrap();
    let rejection = Rejection {
        seq: 3,
        id: refused.id,
        reason: "nej".into(),
        cause: None,
    };
    let out = s.apply_sync(&answer(5, vec![rejection]), NOW, NOW).unwrap();
    assert_eq!((out.acked, out.rejected, out.requeued), (5, 1, 0));
    s.set_photo_upload(&kept.reference.hash, Upload::Sent)
        .unwrap();
    s.set_photo_upload(&lost.reference.hash, Upload::Sent)
        .unwrap();
    assert_eq!(s.pending_count().unwrap(), 0);
    assert_eq!(s.photos_pending().unwrap(), 0);

    // The restored server holds only the first two.
    let out = s.apply_sync(&answer(2, vec![]), NOW, NOW).unwrap();
    assert_eq!(out.requeued, 3);
    let queued: Vec<u64> = s.outbox_batch(10).unwrap().iter().map(|o| o.seq).collect();
    assert_eq!(queued, [3, 4, 5]);
    let want: Vec<(u64, String)> = [
        (1, "sent"),
        (2, "sent"),
        (3, "rejected"),
        (4, "pending"),
        (5, "pending"),
    ]
    .into_iter()
    .map(|(n, st)| (n, st.to_string()))
    .collect();
    assert_eq!(states(&s), want);
    // Both photos are offered again: the server may have lost the file of one whose operation it kept.
    assert_eq!(s.photos_pending().unwrap(), 2);

    // The same answer again (they are queued already): nothing more to do.
    let out = s.apply_sync(&answer(2, vec![]), NOW, NOW).unwrap();
    assert_eq!(out.requeued, 0);
    assert_eq!(s.pending_count().unwrap(), 3);

    // The re-sent operations acknowledged: back where the phone was.
    let out = s.apply_sync(&answer(5, vec![]), NOW, NOW).unwrap();
    assert_eq!(out.requeued, 0);
    assert_eq!(s.pending_count().unwrap(), 0);
    assert_eq!(
        states(&s)[3..],
        [(4, "sent".to_string()), (5, "sent".to_string())]
    );
}

#[test]
fn photos_the_server_asks_for_again_go_back_to_pending_upload() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = enrolled_cleaner(dir.path());
    let report = klotter(&mut s, NOW);
    let (lost, kept, failed) = (picture(3), picture(4), picture(5));
    for (i, p) in [&lost, &kept, &failed].into_iter().enumerate() {
        s.attach_photo(report.id, p, None, NOW + 1 + i as i64)
            .unwrap();
    }
    s.apply_sync(&answer(4, vec![]), NOW, NOW).unwrap();
    for p in [&lost, &kept] {
        s.set_photo_upload(&p.reference.hash, Upload::Sent).unwrap();
    }
    s.set_photo_upload(&failed.reference.hash, Upload::Failed)
        .unwrap();
    assert_eq!(s.photos_pending().unwrap(), 0);

    // The server lost nothing the phone made (no operation is re-sent) but asks for one photo again, and
    // for one refused before and one this phone never had: only the first changes.
    let mut ask = answer(4, vec![]);
    ask.photos_wanted = vec![
        lost.reference.hash.clone(),
        failed.reference.hash.clone(),
        "ef".repeat(32),
    ];
    let out = s.apply_sync(&ask, NOW, NOW).unwrap();
    assert_eq!((out.requeued, out.photos_again), (0, 1));
    assert_eq!(s.pending_count().unwrap(), 0);
    let todo: Vec<String> = s
        .photos_to_send()
        .unwrap()
        .into_iter()
        .map(|p| p.hash)
        .collect();
    assert_eq!(todo, std::slice::from_ref(&lost.reference.hash));
    // Asked again while it is pending: nothing more.
    assert_eq!(s.apply_sync(&ask, NOW, NOW).unwrap().photos_again, 0);
}
