//! `torgkoll-fleet --restore-mid`: a backup taken after the first syncs, more syncs, then the server
//! killed, restored from that backup and restarted on the same port, so the phones must give back what
//! the server lost (docs/PROTOCOL.md, "Restore from a backup").

use std::path::Path;
use std::process::Command;

use crate::Res;
use crate::server::ServerProc;

fn run(bin: &Path, args: &[&str], paths: &[(&str, &Path)]) -> Res<String> {
    let mut cmd = Command::new(bin);
    cmd.args(args);
    for (flag, p) in paths {
        cmd.arg(flag).arg(p);
    }
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(format!(
            "torgkoll-server {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}

/// `torgkoll-server backup --db DB --out OUT` on the running server; answers what it printed.
pub fn backup(bin: &Path, db: &Path, out: &Path) -> Res<String> {
    run(bin, &["backup"], &[("--db", db), ("--out", out)])
}

/// Kills the server, restores `backup` over its database and starts it again on the same port (the
/// proxy in front of it keeps its upstream); answers what `restore` printed.
pub fn restore_and_restart(bin: &Path, server: &mut ServerProc, backup: &Path) -> Res<String> {
    let addr = server.addr;
    server.kill();
    let said = run(
        bin,
        &["restore", "--force"],
        &[("--from", backup), ("--db", &server.db)],
    )?;
    server.restart()?;
    if server.addr != addr {
        return Err(format!("restarted on {}, not {addr}", server.addr).into());
    }
    Ok(said)
}
