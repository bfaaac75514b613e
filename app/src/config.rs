//! How the app is started: the command line and environment, resolved into a [`Launch`].
//!
//! `torgkoll [--data-dir DIR] [--server URL] [--enroll-code CODE] [--demo [--demo-role ROLE]]
//! [--replay-track FILE [--replay-speed N]] [--photo-pick FILE]`, with the environment variables
//! `TORGKOLL_DATA_DIR`, `TORGKOLL_SERVER`, `TORGKOLL_ENROLL_CODE`, `TORGKOLL_REPLAY_TRACK` and
//! `TORGKOLL_PHOTO_PICK` as defaults.

use std::path::PathBuf;

use clap::Parser;
use torgkoll_shared::Role;

/// Torgkoll, the field app for Sergels torg.
#[derive(Clone, Debug, Parser, PartialEq)]
#[command(name = "torgkoll", version, about)]
pub struct Args {
    /// Where the phone's database lives (default: the platform's app-data directory).
    #[arg(long, env = "TORGKOLL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// The sync server's address, e.g. http://127.0.0.1:8080 (fills in the first-start screen).
    #[arg(long, env = "TORGKOLL_SERVER")]
    pub server: Option<String>,
    /// A one-time enrollment code: with --server, the app enrolls at start without asking.
    #[arg(long, env = "TORGKOLL_ENROLL_CODE")]
    pub enroll_code: Option<String>,
    /// Seed a realistic day of reports into a fresh data directory (for trying the app and screenshots).
    #[arg(long)]
    pub demo: bool,
    /// The role of the demo phone: cleaner, guard or manager.
    #[arg(long, default_value = "cleaner", value_parser = parse_role)]
    pub demo_role: Role,
    /// Play a recorded track (GeoJSON, see docs/REPLAY.md) as the phone's position, instead of the
    /// platform's positioning.
    #[arg(long, env = "TORGKOLL_REPLAY_TRACK")]
    pub replay_track: Option<PathBuf>,
    /// How many times faster than real time the track plays.
    #[arg(long, default_value_t = 1.0, value_parser = parse_speed)]
    pub replay_speed: f64,
    /// "Lägg till foto" takes this picture without asking (window tests, screenshots, demos), instead
    /// of the camera or the file dialog.
    #[arg(long, env = "TORGKOLL_PHOTO_PICK")]
    pub photo_pick: Option<PathBuf>,
}

fn parse_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.1..=1000.0).contains(&v) => Ok(v),
        _ => Err(format!("'{s}' is not a speed from 0.1 to 1000")),
    }
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::from_code(s).ok_or_else(|| format!("unknown role '{s}': use cleaner, guard or manager"))
}

/// What the app starts with, after defaults are applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Launch {
    pub data_dir: PathBuf,
    pub server: Option<String>,
    pub enroll_code: Option<String>,
    pub demo: Option<Role>,
    pub replay_track: Option<PathBuf>,
    pub replay_speed: f64,
    pub photo_pick: Option<PathBuf>,
}

impl Args {
    /// Applies the platform's defaults.
    pub fn resolve(self) -> Launch {
        let clean = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Launch {
            data_dir: self
                .data_dir
                .unwrap_or_else(crate::platform::default_data_dir),
            server: clean(self.server).map(|s| s.trim_end_matches('/').to_owned()),
            enroll_code: clean(self.enroll_code),
            demo: self.demo.then_some(self.demo_role),
            replay_track: self.replay_track,
            replay_speed: self.replay_speed,
            photo_pick: self.photo_pick,
        }
    }
}

impl Launch {
    /// The database file inside the data directory.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join(crate::store::DB_FILE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_and_defaults_fill_in() {
        let a = Args::try_parse_from([
            "torgkoll",
            "--data-dir",
            "/tmp/x",
            "--server",
            "http://127.0.0.1:9/ ",
            "--enroll-code",
            " ",
            "--demo",
            "--demo-role",
            "guard",
        ])
        .unwrap()
        .resolve();
        assert_eq!(a.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(a.server.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(a.enroll_code, None);
        assert_eq!(a.demo, Some(Role::Guard));
        assert!(a.db_path().ends_with(crate::store::DB_FILE));
        assert!(Args::try_parse_from(["torgkoll", "--demo-role", "boss"]).is_err());
        assert!(Args::try_parse_from(["torgkoll", "--replay-speed", "0"]).is_err());
        let r = Args::try_parse_from([
            "torgkoll",
            "--replay-track",
            "t.geojson",
            "--replay-speed",
            "8",
        ])
        .unwrap()
        .resolve();
        assert_eq!(
            (r.replay_track, r.replay_speed),
            (Some(PathBuf::from("t.geojson")), 8.0)
        );
    }
}
