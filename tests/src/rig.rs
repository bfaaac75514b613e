//! A test rig: a fresh server process on its own database in a temporary directory, phones enrolled on
//! it (directly or through a proxy), and a device that made nothing for auditing what the server holds.

use std::sync::Arc;

use torgkoll_app::sync::SyncClient;
use torgkoll_shared::protocol::PulledOp;
use torgkoll_shared::{Role, Site};

use crate::Res;
use crate::audit::pull_all;
use crate::phone::Phone;
use crate::server::{ServerProc, server_bin};

#[derive(Debug)]
pub struct Rig {
    pub dir: tempfile::TempDir,
    pub server: ServerProc,
    pub site: Arc<Site>,
}

impl Rig {
    /// Starts a fresh server (with the given pull page size, or the server's default).
    pub fn start(page_size: Option<u32>) -> Res<Rig> {
        let dir = tempfile::tempdir()?;
        let server =
            ServerProc::start(&server_bin()?, &dir.path().join("server.sqlite"), page_size)?;
        Ok(Rig {
            dir,
            server,
            site: Arc::new(torgkoll_shared::test_support::plattan()),
        })
    }

    /// Enrolls a phone; it syncs with `sync_url` (a proxy), or straight with the server.
    pub async fn phone(&self, role: Role, name: &str, sync_url: Option<&str>) -> Res<Phone> {
        let code = self.server.enroll_code(role, name)?;
        let pdir = self.dir.path().join(name);
        std::fs::create_dir_all(&pdir)?;
        let url = self.server.url();
        Phone::enroll(
            &pdir,
            self.site.clone(),
            &url,
            sync_url.unwrap_or(&url),
            &code,
        )
        .await
    }

    /// Everything the server hands out, as seen by a fresh manager device.
    pub async fn server_ops(&self) -> Res<Vec<PulledOp>> {
        let code = self.server.enroll_code(Role::Manager, "audit")?;
        let e = torgkoll_app::sync::enroll(&self.server.url(), &code).await?;
        Ok(pull_all(&SyncClient::new(&self.server.url(), &e.token)).await?)
    }
}
