//! A server that sheds load: a real loopback socket answering 503 with `Retry-After`, and what the phone
//! makes of it: a retryable `Busy` that waits at least as long as asked.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::SyncClient;
use super::error::{FailureKind, MAX_RETRY_AFTER, SyncError, parse_retry_after};

/// A server that answers every request with `head` (status line and headers) and a JSON error body.
async fn answering(head: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                // The request's head and small body arrive in the first reads; the answer need not wait.
                let _ = tokio::time::timeout(Duration::from_millis(200), sock.read(&mut buf)).await;
                let body = r#"{"error":"busy","message":"too many syncs at once"}"#;
                let answer = format!(
                    "{head}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(answer.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_503_with_retry_after_is_busy_retryable_and_honoured() {
    let url = answering("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7").await;
    let err = SyncClient::new(&url, "token")
        .round(&[], 0, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Busy { status: 503, retry_after } if retry_after == Duration::from_secs(7)),
        "{err:?}"
    );
    assert!(err.is_retryable() && !err.is_offline() && !err.needs_enrollment());
    assert_eq!(err.failure().kind, FailureKind::ServerDown);
    // The backoff's delay when that is longer, else the server's pause.
    assert_eq!(
        err.wait_before_retry(Duration::from_secs(1)),
        Duration::from_secs(7)
    );
    assert_eq!(
        err.wait_before_retry(Duration::from_secs(30)),
        Duration::from_secs(30)
    );
}

#[tokio::test]
async fn a_503_without_retry_after_stays_a_retryable_server_error() {
    let url = answering("HTTP/1.1 503 Service Unavailable").await;
    let err = SyncClient::new(&url, "token")
        .round(&[], 0, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Server { status: 503, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), None);
}

#[test]
fn retry_after_is_seconds_and_capped() {
    assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
    assert_eq!(parse_retry_after("86400"), Some(MAX_RETRY_AFTER));
    assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    assert_eq!(parse_retry_after("-1"), None);
}
