//! Pull pages at the edges: exactly N, N+1 and 2N operations with page size N, pulled to the end with no
//! loss and no duplicate, and a pull limit below the page size.

mod common;

use std::collections::HashSet;

use common::TestServer;
use torgkoll_server::Limits;
use torgkoll_shared::Role;

const N: u32 = 7;

async fn pull_pages(total: usize) -> (usize, usize) {
    let srv = TestServer::start(Limits {
        page_size: N,
        ..Limits::default()
    })
    .await;
    let mut maker = srv.phone(Role::Cleaner, "maker").await;
    let reader = srv.phone(Role::Manager, "reader").await;
    let ops: Vec<_> = (0..total).map(|i| maker.clean(&format!("r{i}"))).collect();
    assert_eq!(maker.sync(&ops, 0).await.acked_through, total as u64);

    let (mut pos, mut got, mut rounds) = (0, Vec::new(), 0);
    loop {
        let r = reader.sync(&[], pos).await;
        rounds += 1;
        assert!(r.ops.len() <= N as usize);
        assert!(r.ops.windows(2).all(|w| w[0].pos < w[1].pos));
        assert!(r.ops.iter().all(|p| p.pos > pos));
        if r.more {
            assert_eq!(r.ops.len(), N as usize, "a page that says more is full");
            assert_eq!(r.pull_pos, r.ops.last().unwrap().pos);
        }
        pos = r.pull_pos;
        got.extend(r.ops.into_iter().map(|p| p.op.id));
        if !r.more {
            break;
        }
        assert!(rounds <= total, "the pull loop does not end");
    }
    let unique: HashSet<_> = got.iter().collect();
    assert_eq!(got.len(), total, "no loss");
    assert_eq!(unique.len(), total, "no duplicate");
    let sent: Vec<_> = ops.iter().map(|o| o.id).collect();
    assert_eq!(got, sent, "in commit order");
    // Past the end: an empty page that says no more, at the same position.
    let end = reader.sync(&[], pos).await;
    assert!(end.ops.is_empty() && !end.more);
    assert_eq!(end.pull_pos, pos);
    (got.len(), rounds)
}

#[tokio::test]
async fn exactly_one_page() {
    assert_eq!(pull_pages(N as usize).await, (N as usize, 1));
}

#[tokio::test]
async fn one_more_than_a_page() {
    assert_eq!(pull_pages(N as usize + 1).await, (N as usize + 1, 2));
}

#[tokio::test]
async fn exactly_two_pages() {
    assert_eq!(pull_pages(2 * N as usize).await, (2 * N as usize, 2));
}

#[tokio::test]
async fn an_empty_server_and_a_smaller_pull_limit() {
    let srv = TestServer::start(Limits {
        page_size: N,
        ..Limits::default()
    })
    .await;
    let mut a = srv.phone(Role::Guard, "A").await;
    let b = srv.phone(Role::Guard, "B").await;
    let empty = b.sync(&[], 0).await;
    assert_eq!((empty.ops.len(), empty.pull_pos, empty.more), (0, 0, false));

    let ops: Vec<_> = (0..5).map(|i| a.clean(&i.to_string())).collect();
    a.sync(&ops, 0).await;
    let r = b.sync_limit(&[], 0, Some(2)).await;
    assert_eq!((r.ops.len(), r.pull_pos, r.more), (2, 2, true));
    let r = b.sync_limit(&[], r.pull_pos, Some(100)).await;
    assert_eq!((r.ops.len(), r.pull_pos, r.more), (3, 5, false));
    // A phone that asks for nothing gets nothing and keeps its position.
    let r = b.sync_limit(&[], 0, Some(0)).await;
    assert_eq!((r.ops.len(), r.pull_pos), (0, 0));
    // A position beyond the server's end (say, a phone from another server) is kept.
    let r = b.sync(&[], 1_000).await;
    assert_eq!((r.ops.len(), r.pull_pos, r.more), (0, 1_000, false));
}
