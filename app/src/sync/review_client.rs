//! HTTP of the manager's review routes (docs/PROTOCOL.md, "Review"): who is out there
//! (`GET /v1/review/devices`), the day's lägesbild (`GET /v1/lagesbild`) and the exports
//! (`GET /v1/export`). A manager's token only; the server answers 403 to any other.

use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use torgkoll_shared::calendar::Date;
use torgkoll_shared::devices::DevicesResponse;

use super::client::{error_of, url};
use super::{SyncClient, SyncError};

/// The export formats the server makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportKind {
    /// `;`-separated, for Excel.
    Csv,
    /// WGS84 features, for QGIS.
    Geojson,
}

impl ExportKind {
    pub fn code(self) -> &'static str {
        match self {
            ExportKind::Csv => "csv",
            ExportKind::Geojson => "geojson",
        }
    }
}

/// A document the server renders for the manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewDoc {
    /// The printable lägesbild (HTML) of a local day.
    Lagesbild(Date),
    /// Reports and runs of local days `from` to `to` (both included).
    Export {
        from: Date,
        to: Date,
        kind: ExportKind,
    },
}

impl ReviewDoc {
    /// Its path and query on the server.
    pub fn path(self) -> String {
        match self {
            ReviewDoc::Lagesbild(date) => format!("/v1/lagesbild?date={date}"),
            ReviewDoc::Export { from, to, kind } => {
                format!("/v1/export?from={from}&to={to}&format={}", kind.code())
            }
        }
    }

    /// The file it is saved as (a plain name).
    pub fn file_name(self) -> String {
        match self {
            ReviewDoc::Lagesbild(date) => format!("lagesbild-{date}.html"),
            ReviewDoc::Export { from, to, kind } => {
                format!("torgkoll-{from}_{to}.{}", kind.code())
            }
        }
    }
}

impl SyncClient {
    async fn review_get(&self, path: &str) -> Result<reqwest::Response, SyncError> {
        let resp = self
            .http
            .get(url(&self.base, path))
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
            .send()
            .await?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let (status, body) = error_of(resp).await;
        Err(match status {
            // 403 is this phone's role, not its enrollment: it stays enrolled.
            StatusCode::UNAUTHORIZED => SyncError::BadToken {
                code: body.error,
                message: body.message,
            },
            s => SyncError::Server {
                status: s.as_u16(),
                code: body.error,
                message: body.message,
            },
        })
    }

    /// `GET /v1/review/devices`: every enrolled phone, its last contact and status.
    pub async fn review_devices(&self) -> Result<DevicesResponse, SyncError> {
        let body = self.review_get("/v1/review/devices").await?.bytes().await?;
        serde_json::from_slice(&body).map_err(|e| SyncError::BadResponse(e.to_string()))
    }

    /// The bytes of a document the server renders.
    pub async fn review_document(&self, doc: ReviewDoc) -> Result<Vec<u8>, SyncError> {
        Ok(self.review_get(&doc.path()).await?.bytes().await?.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_have_the_servers_paths_and_plain_names() {
        let d = Date::parse("2026-11-30").unwrap();
        let day = ReviewDoc::Lagesbild(d);
        assert_eq!(day.path(), "/v1/lagesbild?date=2026-11-30");
        assert_eq!(day.file_name(), "lagesbild-2026-11-30.html");
        let week = ReviewDoc::Export {
            from: d.add_days(-6),
            to: d,
            kind: ExportKind::Geojson,
        };
        assert_eq!(
            week.path(),
            "/v1/export?from=2026-11-24&to=2026-11-30&format=geojson"
        );
        assert_eq!(week.file_name(), "torgkoll-2026-11-24_2026-11-30.geojson");
    }
}
