//! Clients that never finish a request are cut off instead of holding a connection and a task for ever:
//! the headers have `header_read_timeout`, the body `body_read_timeout` (500 ms here; 30 s and 10 minutes
//! by default). Raw TCP on 127.0.0.1, since an HTTP client always finishes what it starts. And a request
//! in flight when the server is told to stop is still answered.

mod common;

use std::time::Duration;

use common::{TestServer, request_json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use torgkoll_server::Limits;
use torgkoll_shared::Role;

const SHORT: Duration = Duration::from_millis(500);

/// Far longer than `SHORT` and shorter than the defaults: waiting fails only when the server never acts.
const GENEROUS: Duration = Duration::from_secs(20);

fn short_timeouts() -> Limits {
    Limits {
        header_read_timeout: SHORT,
        body_read_timeout: SHORT,
        ..Limits::default()
    }
}

async fn connect(srv: &TestServer) -> TcpStream {
    TcpStream::connect(srv.url.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Everything the server sends until it closes the connection.
async fn read_until_closed(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    match timeout(GENEROUS, s.read_to_end(&mut out)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Ok(Err(e)) => panic!("reading: {e}"),
        Err(_) => panic!(
            "the server kept the connection open for {GENEROUS:?}; it sent {:?}",
            String::from_utf8_lossy(&out)
        ),
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads until `want` has arrived; returns what was read.
async fn read_until(s: &mut TcpStream, want: &str) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    while !String::from_utf8_lossy(&out).contains(want) {
        let n = timeout(GENEROUS, s.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no {want:?} within {GENEROUS:?}"))
            .unwrap();
        assert!(
            n > 0,
            "closed before {want:?}: {:?}",
            String::from_utf8_lossy(&out)
        );
        out.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn post_head(path: &str, token: Option<&str>, len: usize, extra: &str) -> String {
    let auth = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"));
    format!(
        "POST {path} HTTP/1.1\r\nHost: test\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {len}\r\n{extra}\r\n"
    )
}

#[tokio::test]
async fn connections_that_never_finish_their_headers_are_closed() {
    let srv = TestServer::start(short_timeouts()).await;

    let mut half_a_line = connect(&srv).await;
    half_a_line
        .write_all(b"GET /v1/health HTTP/1.1\r\nHo")
        .await
        .unwrap();
    assert_eq!(read_until_closed(&mut half_a_line).await, "", "no answer");

    let mut silent = connect(&srv).await;
    assert_eq!(read_until_closed(&mut silent).await, "", "no answer");

    // After an answer, a kept-alive connection waits for the next headers just as long.
    let mut idle = connect(&srv).await;
    idle.write_all(b"GET /v1/health HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut idle).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(
        answer.ends_with(r#"{"protocol":1,"status":"ok"}"#),
        "{answer}"
    );

    let health = srv
        .client
        .get(format!("{}/v1/health", srv.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200, "the server still serves");
}

#[tokio::test]
async fn a_body_that_stalls_is_answered_408_and_nothing_is_stored() {
    let srv = TestServer::start(short_timeouts()).await;
    let mut phone = srv.phone(Role::Guard, "G").await;
    let ops = [phone.clean("ett"), phone.clean("två")];
    let body = request_json(&ops, 0, None);

    let mut s = connect(&srv).await;
    let head = post_head("/v1/sync", Some(&phone.token), body.len(), "");
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&body[..body.len() / 2]).await.unwrap();
    let answer = read_until_closed(&mut s).await;
    assert!(
        answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
        "{answer}"
    );
    assert!(answer.contains(r#""error":"timeout""#), "{answer}");
    assert_eq!(srv.count("ops"), 0);
    assert_eq!(srv.count("rejected"), 0);

    // A stalled enrollment uses no code.
    let code = srv.code(Role::Cleaner, "C", 24);
    let enroll = format!(r#"{{"code":"{code}"}}"#);
    let mut s = connect(&srv).await;
    s.write_all(post_head("/v1/enroll", None, enroll.len(), "").as_bytes())
        .await
        .unwrap();
    s.write_all(&enroll.as_bytes()[..8]).await.unwrap();
    let answer = read_until_closed(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert_eq!(srv.count("devices"), 1, "only the guard");

    // Sent whole, the same push and the same code go through.
    assert_eq!(phone.sync(&ops, 0).await.acked_through, 2);
    assert_eq!(srv.post_enroll(&code).await.status(), 200);
}

#[tokio::test]
async fn a_request_in_flight_when_the_server_stops_is_answered() {
    let mut srv = TestServer::start(Limits::default()).await;
    let code = srv.code(Role::Cleaner, "C", 24);
    let enroll = format!(r#"{{"code":"{code}"}}"#);
    let mut s = connect(&srv).await;
    let head = post_head("/v1/enroll", None, enroll.len(), "Expect: 100-continue\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    // `100 Continue` comes when the handler starts reading the body: the request is in flight.
    read_until(&mut s, "HTTP/1.1 100 Continue\r\n\r\n").await;

    let stopped = srv.stop();
    s.write_all(enroll.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut s).await;
    assert!(answer.contains("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains(r#""role":"cleaner""#), "{answer}");
    timeout(GENEROUS, stopped)
        .await
        .expect("the server stops once the request is answered")
        .unwrap()
        .unwrap();
    assert_eq!(srv.count("devices"), 1);
    assert!(
        TcpStream::connect(srv.url.trim_start_matches("http://"))
            .await
            .is_err(),
        "no longer listening"
    );
}
