//! Helpers for the review tests: timed operations, a manager's GET, every stored operation as a manager
//! pulls it, and headless Chromium.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use reqwest::header::AUTHORIZATION;
use torgkoll_shared::calendar::Date;
use torgkoll_shared::protocol::WireOp;
use torgkoll_shared::{Hlc, OpBody, Operation};

use crate::common::Phone;

/// An instant on a local (Stockholm) day.
pub fn at(date: Date, hour: i64, minute: i64) -> i64 {
    date.bounds_ms().0 + hour * 3_600_000 + minute * 60_000
}

/// The phone's next operation, made at `t_ms`.
pub fn op_at(phone: &mut Phone, t_ms: i64, body: OpBody) -> WireOp {
    phone.seq += 1;
    WireOp {
        id: uuid::Uuid::now_v7(),
        seq: phone.seq,
        hlc: Hlc::new(t_ms as u64, phone.seq as u16),
        wall: t_ms,
        body,
    }
}

/// `GET url` with the phone's token (or none).
pub async fn get(url: &str, phone: Option<&Phone>) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(url);
    if let Some(p) = phone {
        req = req.header(AUTHORIZATION, format!("Bearer {}", p.token));
    }
    req.send().await.unwrap()
}

/// `GET base+path` with the phone's token, which must be refused with 400 `bad_query`; the message.
pub async fn bad_query(base: &str, path: &str, phone: &Phone) -> String {
    let (status, body) =
        crate::common::error_of(get(&format!("{base}{path}"), Some(phone)).await).await;
    assert_eq!(
        (status.as_u16(), body.error.as_str()),
        (400, "bad_query"),
        "{path}"
    );
    body.message
}

/// Every operation other devices stored, as this (manager) phone pulls it, with the server's clock
/// corrections.
pub async fn pulled_ops(phone: &Phone) -> Vec<Operation> {
    let (pulled, _, _) = phone.pull_all(0).await;
    pulled.iter().map(|p| p.operation()).collect()
}

/// Chromium, which CI installs: a missing browser fails the test, it does not skip it.
pub fn chromium() -> PathBuf {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "headless Chromium is required for this test and was not found \
                 (install Debian's `chromium` package or set CHROMIUM=/path/to/chromium)"
            )
        })
}

/// Runs headless Chromium on a local file with `extra` arguments; a hang is stopped after two minutes.
pub fn run_chromium(page: &Path, extra: &[String]) -> Output {
    let profile = tempfile::tempdir().unwrap();
    // Output goes to files: a full pipe would stall the browser while we wait for it.
    let (out_path, err_path) = (profile.path().join("stdout"), profile.path().join("stderr"));
    // The browser keeps the real clock when the tests run under libfaketime (scripts/faketime-tests.sh):
    // its launcher script and helper processes are not all named in FAKETIME_SKIP_CMDS.
    let mut child = Command::new(chromium())
        .env_remove("LD_PRELOAD")
        .env_remove("FAKETIME")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    }
}

/// Decodes a PNG: (width, height, RGBA pixels).
pub fn decode_png(path: &Path) -> (u32, u32, Vec<[u8; 4]>) {
    let file = std::fs::File::open(path).unwrap();
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("a real PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let pixels = match info.color_type {
        png::ColorType::Rgba => bytes
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect(),
        png::ColorType::Rgb => bytes
            .chunks_exact(3)
            .map(|c| [c[0], c[1], c[2], 255])
            .collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (info.width, info.height, pixels)
}
