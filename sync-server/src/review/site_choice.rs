//! Which site a review command (`lagesbild`, `export`, `devices`) reports on. The commands run against
//! the database, not the running server, so they are told the sites as `serve` is: `--sites DIR` (with
//! `--default-site ID`), `--site FILE`, or the built-in Plattan; `--site ID` with `--sites` picks one of
//! DIR's sites. Without a choice the site is the one `serve` would give devices that name none.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use torgkoll_shared::Site;

use crate::cli::{CliError, load_site};
use crate::sites::Sites;

#[derive(Debug, Args)]
pub struct SiteChoice {
    /// With --sites: the id of the site to report on (default: the served default site). Without
    /// --sites: a site plan (GeoJSON) instead of the built-in Plattan.
    #[arg(long, value_name = "ID|FILE")]
    pub site: Option<String>,
    /// The directory of site plans `serve --sites` serves.
    #[arg(long, value_name = "DIR")]
    pub sites: Option<PathBuf>,
    /// With --sites: the site `serve --default-site` names (required when DIR holds several sites and
    /// --site names none).
    #[arg(long, value_name = "ID", requires = "sites")]
    pub default_site: Option<String>,
}

impl SiteChoice {
    /// The chosen site's plan; its id is the site whose operations and devices the command reads.
    pub fn load(&self) -> Result<Arc<Site>, CliError> {
        let Some(dir) = &self.sites else {
            return Ok(Arc::new(load_site(
                self.site.as_deref().map(PathBuf::from).as_deref(),
            )?));
        };
        let default = self.site.as_deref().or(self.default_site.as_deref());
        let sites = Sites::load_dir(dir, default).map_err(|e| CliError::Site {
            path: e.path,
            message: e.message,
        })?;
        Ok(sites.default_site())
    }
}
