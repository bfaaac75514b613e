//! `enroll` and `rotate`: one-time codes for a new device, or for an existing one (re-enrollment: the same
//! device id gets a new token, keeps its acknowledgements and, if revoked, is let back in). Only the code
//! goes to stdout (scripts read it); with `--server` the enrollment link
//! ([`torgkoll_shared::enroll_link`]) and its QR code go to stderr, and `--qr-svg FILE` writes the QR code
//! as SVG.

use std::path::PathBuf;

use clap::Args;
use qrcode::QrCode;
use qrcode::render::{svg, unicode};
use torgkoll_shared::Role;
use torgkoll_shared::enroll_link::EnrollLink;
use uuid::Uuid;

use crate::cli::{CliError, DbArg, RoleArg, open, when};
use crate::clock::{Clock, SystemClock};
use crate::{flag_bounds, secret};

#[derive(Debug, Args)]
pub struct EnrollArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The new device's role.
    #[arg(
        long,
        value_enum,
        required_unless_present = "device",
        conflicts_with = "device"
    )]
    pub role: Option<RoleArg>,
    /// A name for the new device or its holder, e.g. "Plock 1".
    #[arg(long, required_unless_present = "device", conflicts_with = "device")]
    pub name: Option<String>,
    /// Re-enroll this existing device (its id): the code gives the same device a new token.
    #[arg(long)]
    pub device: Option<Uuid>,
    /// The new device's site (a plan's `site_id` among `serve --sites`); without it, the default site
    /// of the server that redeems the code. A re-enrolled device keeps its site.
    #[arg(long, conflicts_with = "device")]
    pub site: Option<String>,
    #[command(flatten)]
    pub code: CodeArgs,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The device whose token is replaced (its id).
    #[arg(long)]
    pub device: Uuid,
    #[command(flatten)]
    pub code: CodeArgs,
}

#[derive(Debug, Args)]
pub struct CodeArgs {
    /// How many hours the code may be used: more than 0, at most 720 (30 days).
    #[arg(long, allow_negative_numbers = true, default_value_t = 24.0, value_parser = flag_bounds::valid_hours)]
    pub valid_hours: f64,
    /// The server's address as the phones reach it (e.g. `https://torg.example.se`): prints the enrollment
    /// link and its QR code on stderr.
    #[arg(long)]
    pub server: Option<String>,
    /// Also write the link's QR code as an SVG file (needs --server).
    #[arg(long, requires = "server")]
    pub qr_svg: Option<PathBuf>,
}

impl From<RotateArgs> for EnrollArgs {
    fn from(r: RotateArgs) -> EnrollArgs {
        EnrollArgs {
            db: r.db,
            role: None,
            name: None,
            device: Some(r.device),
            site: None,
            code: r.code,
        }
    }
}

/// Makes and stores a code, then prints it (and the link and QR code when asked).
pub fn enroll(a: EnrollArgs) -> Result<(), CliError> {
    let now = SystemClock.now_ms();
    let expires = flag_bounds::hours_duration(a.code.valid_hours)
        .and_then(|d| i64::try_from(d.as_millis()).ok())
        .and_then(|ms| now.checked_add(ms))
        .ok_or_else(|| CliError::Usage("--valid-hours is out of range".into()))?;
    let code = secret::new_code();
    let link = match &a.code.server {
        Some(server) => {
            let link = EnrollLink {
                server: server.trim().trim_end_matches('/').to_owned(),
                code: code.clone(),
            };
            EnrollLink::parse(&link.to_link())
                .map_err(|e| CliError::Usage(format!("--server {server}: {e}")))?;
            Some(link.to_link())
        }
        None => None,
    };
    let canon = secret::normalize_code(&code).expect("a fresh code is canonical");
    let hash = secret::hash(&canon);
    let store = open(&a.db.db)?;
    let site = match a.site.as_deref().map(str::trim) {
        Some("") => return Err(CliError::Usage("--site needs a site id".into())),
        site => site,
    };
    match (a.device, a.role, a.name) {
        (Some(id), _, _) => {
            let device = store
                .add_reenroll_code(&hash, id, expires, now)?
                .ok_or_else(|| CliError::Usage(format!("no device {id}: see `devices`")))?;
            eprintln!(
                "re-enrollment code for {id} ({} '{}'), valid until {}.",
                device.role,
                device.name,
                when(expires)
            );
            eprintln!(
                "Redeemed, it gives this same device a new token: its old token stops working, \
                 its operations and acknowledgements are kept."
            );
            if device.revoked_ms.is_some() {
                eprintln!(
                    "The device is revoked now; redeeming the code lets it back in (un-revokes it)."
                );
            }
        }
        (None, Some(role), Some(name)) => {
            let name = name.trim().to_string();
            if name.is_empty() || name.chars().count() > 80 {
                return Err(CliError::Usage(
                    "the name must be 1 to 80 characters".into(),
                ));
            }
            let role = Role::from(role);
            store.add_site_enroll_code(&hash, role, &name, site, expires, now)?;
            let at = site.map_or_else(|| "the default site".to_owned(), |s| format!("site '{s}'"));
            eprintln!(
                "enrollment code for {role} '{name}' of {at}, valid until {}:",
                when(expires)
            );
        }
        _ => {
            return Err(CliError::Usage(
                "give --role and --name, or --device".into(),
            ));
        }
    }
    if let Some(link) = link {
        let qr = QrCode::new(link.as_bytes())
            .map_err(|e| CliError::Usage(format!("the link as a QR code: {e}")))?;
        let text = qr
            .render::<unicode::Dense1x2>()
            .dark_color(unicode::Dense1x2::Light)
            .light_color(unicode::Dense1x2::Dark)
            .build();
        eprintln!(
            "enrollment link (paste it into the phone's code field, or scan):\n{link}\n{text}"
        );
        if let Some(path) = &a.code.qr_svg {
            let image = qr.render::<svg::Color>().min_dimensions(240, 240).build();
            std::fs::write(path, image)?;
            eprintln!("QR code written to {}", path.display());
        }
    }
    println!("{code}");
    Ok(())
}
