//! `serve --tls-cert --tls-key`: both or neither, and PEM files that cannot serve fail the start with a
//! message naming the file, before the server says it listens.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use torgkoll_server::cli::Cli;

const BIN: &str = env!("CARGO_BIN_EXE_torgkoll-server");

#[test]
fn the_certificate_and_its_key_come_together() {
    let parse = |extra: &[&str]| {
        let mut args = vec!["torgkoll-server", "serve", "--db", "x.sqlite"];
        args.extend_from_slice(extra);
        Cli::try_parse_from(args)
    };
    assert!(parse(&[]).is_ok());
    assert!(parse(&["--tls-cert", "c.pem", "--tls-key", "k.pem"]).is_ok());
    assert!(parse(&["--tls-cert", "c.pem"]).is_err());
    assert!(parse(&["--tls-key", "k.pem"]).is_err());
}

/// Starts `serve` and returns its exit status and stderr; a server that keeps running fails the test.
fn start(dir: &std::path::Path, cert: &std::path::Path, key: &std::path::Path) -> (bool, String) {
    let err_path = dir.join("err");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.join("server.sqlite"))
        .arg("--tls-cert")
        .arg(cert)
        .arg("--tls-key")
        .arg(key)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started with {}", cert.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.success(),
        std::fs::read_to_string(&err_path).unwrap(),
    )
}

#[test]
fn unreadable_or_mismatched_pem_files_fail_the_start_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str| {
        let c = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let (cert, key) = (
            dir.path().join(format!("{name}.crt")),
            dir.path().join(format!("{name}.key")),
        );
        std::fs::write(&cert, c.cert.pem()).unwrap();
        std::fs::write(&key, c.signing_key.serialize_pem()).unwrap();
        (cert, key)
    };
    let (cert_a, _) = write("a");
    let (_, key_b) = write("b");
    let (ok, err) = start(dir.path(), &cert_a, &key_b);
    assert!(!ok);
    assert!(err.contains("cannot be used together"), "{err}");
    let (ok, err) = start(dir.path(), &dir.path().join("missing.crt"), &key_b);
    assert!(!ok);
    assert!(err.contains("cannot read the TLS certificate"), "{err}");
    assert!(err.contains("missing.crt"), "{err}");
}
