//! Who is out there: every enrolled phone with its last contact and the shared rule's status
//! ([`torgkoll_shared::devices`]), for `GET /v1/review/devices` and `torgkoll-server devices`.

use torgkoll_shared::devices::{DeviceInfo, DeviceStatus, DevicesResponse, sort_for_listing};

use crate::store::{DeviceSummary, Result, ServerStore};

/// One device as the manager sees it at `now_ms` (the server's clock).
pub fn info(s: &DeviceSummary, now_ms: i64) -> DeviceInfo {
    let d = &s.device;
    DeviceInfo {
        id: d.id,
        name: d.name.clone(),
        role: d.role,
        last_contact_ms: s.last_contact_ms,
        pending: s.pending,
        app: s.app.clone(),
        clock_offset_ms: s.clock_offset_ms,
        revoked: d.revoked_ms.is_some(),
        status: DeviceStatus::at(now_ms, s.last_contact_ms, d.revoked_ms.is_some()),
    }
}

/// Every device of site `site` at `now_ms`, silent ones first.
pub fn listing(store: &dyn ServerStore, site: &str, now_ms: i64) -> Result<DevicesResponse> {
    let mut devices: Vec<DeviceInfo> = store
        .devices(Some(site))?
        .iter()
        .map(|s| info(s, now_ms))
        .collect();
    sort_for_listing(&mut devices);
    Ok(DevicesResponse { now_ms, devices })
}

/// A last contact as the operator reads it: Stockholm local time and its age at `now_ms`, e.g.
/// "2026-11-30 23:14 (3 h 5 min ago)"; "-" for never.
pub fn contact_text(last_ms: Option<i64>, now_ms: i64) -> String {
    let Some(last) = last_ms else {
        return "-".into();
    };
    let date = torgkoll_shared::calendar::local_date(last);
    let time = torgkoll_shared::calendar::local_hhmm(last);
    format!(
        "{date} {time} ({} ago)",
        age_text(now_ms.saturating_sub(last))
    )
}

/// A duration as "40 s", "12 min", "3 h 5 min", "3 d 2 h".
pub fn age_text(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} d {} h", s / 86_400, s % 86_400 / 3600),
    }
}

/// The status column: SILENT stands out, the rest in lower case.
pub fn status_text(status: DeviceStatus) -> &'static str {
    match status {
        DeviceStatus::Silent => "SILENT",
        DeviceStatus::InContact => "in contact",
        DeviceStatus::Never => "never synced",
        DeviceStatus::Away => "away",
        DeviceStatus::Revoked => "revoked",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_reads_in_stockholm_time_with_its_age() {
        // 2026-11-30 22:14 UTC is 23:14 in Stockholm (CET).
        let last = 1_796_076_840_000;
        let now = last + 3 * 3_600_000 + 5 * 60_000;
        assert_eq!(
            contact_text(Some(last), now),
            "2026-11-30 23:14 (3 h 5 min ago)"
        );
        assert_eq!(contact_text(None, now), "-");
        assert_eq!(age_text(40_000), "40 s");
        assert_eq!(age_text(3 * 86_400_000 + 7_200_000), "3 d 2 h");
    }
}
