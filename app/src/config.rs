//! How the app is started: the command line and environment, resolved into a [`Launch`].
//!
//! `torgkoll [--data-dir DIR] [--server URL] [--enroll-code CODE | --enroll-link LINK]
//! [--demo [--demo-role ROLE]] [--replay-track FILE [--replay-speed N]] [--photo-pick FILE]
//! [--server-ca PEM]`, with the environment variables `TORGKOLL_DATA_DIR`, `TORGKOLL_SERVER`,
//! `TORGKOLL_ENROLL_CODE`, `TORGKOLL_ENROLL_LINK`, `TORGKOLL_REPLAY_TRACK`,
//! `TORGKOLL_PHOTO_PICK` and `TORGKOLL_SERVER_CA` as defaults.

use std::path::PathBuf;

use clap::Parser;
use torgkoll_shared::Role;
use torgkoll_shared::enroll_link::EnrollLink;

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
    /// An enrollment link (`torgkoll://enroll?server=...&code=...`, from `torgkoll-server enroll
    /// --server URL`): the server and the code in one; wins over --server and --enroll-code.
    #[arg(long, env = "TORGKOLL_ENROLL_LINK", value_parser = parse_link)]
    pub enroll_link: Option<EnrollLink>,
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
    /// Trust this certificate authority (PEM) for the server, besides the system's roots: for a site
    /// whose server has its own (or a self-signed) certificate. Kept in the phone's settings, so it is
    /// needed once.
    #[arg(long, env = "TORGKOLL_SERVER_CA")]
    pub server_ca: Option<PathBuf>,
}

fn parse_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.1..=1000.0).contains(&v) => Ok(v),
        _ => Err(format!("'{s}' is not a speed from 0.1 to 1000")),
    }
}

fn parse_link(s: &str) -> Result<EnrollLink, String> {
    EnrollLink::parse(s).map_err(|e| e.to_string())
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
    pub server_ca: Option<PathBuf>,
}

impl Args {
    /// Applies the platform's defaults.
    pub fn resolve(self) -> Launch {
        let clean = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let (server, enroll_code) = match self.enroll_link {
            Some(link) => (Some(link.server), Some(link.code)),
            None => (self.server, self.enroll_code),
        };
        Launch {
            data_dir: self
                .data_dir
                .unwrap_or_else(crate::platform::default_data_dir),
            server: clean(server).map(|s| s.trim_end_matches('/').to_owned()),
            enroll_code: clean(enroll_code),
            demo: self.demo.then_some(self.demo_role),
            replay_track: self.replay_track,
            replay_speed: self.replay_speed,
            photo_pick: self.photo_pick,
            server_ca: self.server_ca,
        }
    }
}

impl Launch {
    /// The database file inside the data directory.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join(crate::store::DB_FILE)
    }

    /// Keeps the `--server-ca` file's certificate in the phone's settings (checked first), then trusts
    /// whatever CA the settings hold in every HTTP client the app makes from now on.
    pub fn install_server_ca(&self, store: &crate::store::Store) -> Result<(), String> {
        use crate::sync::{SERVER_CA_SETTING, trust};
        if let Some(path) = &self.server_ca {
            let pem = std::fs::read_to_string(path)
                .map_err(|e| format!("--server-ca {}: {e}", path.display()))?;
            trust::parse_server_ca(&pem)
                .map_err(|e| format!("--server-ca {}: {e}", path.display()))?;
            store
                .set_setting(SERVER_CA_SETTING, &pem)
                .map_err(|e| e.to_string())?;
        }
        let pem = store
            .setting(SERVER_CA_SETTING)
            .map_err(|e| e.to_string())?;
        trust::trust_server_ca(pem.as_deref()).map_err(|e| e.to_string())
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
        assert_eq!(a.server_ca, None);
        let ca = Args::try_parse_from(["torgkoll", "--server-ca", "city-ca.pem"]).unwrap();
        assert_eq!(ca.resolve().server_ca, Some(PathBuf::from("city-ca.pem")));
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

    #[test]
    fn an_enroll_link_gives_the_server_and_the_code() {
        let link = "torgkoll://enroll?server=https%3A%2F%2Ftorg.example.se&code=F28VJ-Z1DHN";
        let a = Args::try_parse_from([
            "torgkoll",
            "--server",
            "http://old:1",
            "--enroll-link",
            link,
        ])
        .unwrap()
        .resolve();
        assert_eq!(
            (a.server.as_deref(), a.enroll_code.as_deref()),
            (Some("https://torg.example.se"), Some("F28VJ-Z1DHN"))
        );
        let bad = Args::try_parse_from(["torgkoll", "--enroll-link", "https://x?code=1"]);
        assert!(bad.unwrap_err().to_string().contains("torgkoll://enroll?"));
    }
}
