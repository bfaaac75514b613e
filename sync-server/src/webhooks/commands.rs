//! `torgkoll-server webhook add|list|remove`: the operator's hand on the partners' webhooks.

use std::io::Write;

use super::model::NewWebhook;
use crate::cli::{CliError, DbArg, open, when};
use crate::clock::{Clock, SystemClock};
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct WebhookArgs {
    #[command(subcommand)]
    pub command: WebhookCommand,
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Add a webhook; prints its id.
    Add {
        #[command(flatten)]
        db: DbArg,
        /// Where to POST, http:// or https://.
        #[arg(long)]
        url: String,
        /// What to send, comma separated: level1, lagesbild.
        #[arg(long)]
        events: String,
        /// The key of the `X-Torgkoll-Signature` HMAC; give the partner the same.
        #[arg(long, env = "TORGKOLL_WEBHOOK_SECRET", hide_env_values = true)]
        secret: String,
        /// The site whose events it gets (its `site_id`); default: the site `serve` gives devices that
        /// name none.
        #[arg(long, value_name = "ID")]
        site: Option<String>,
    },
    /// List the webhooks, their events, and their failed deliveries.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Remove a webhook and its deliveries.
    Remove {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        id: i64,
    },
}

pub fn run(a: WebhookArgs) -> Result<(), CliError> {
    match a.command {
        WebhookCommand::Add {
            db,
            url,
            events,
            secret,
            site,
        } => {
            let mut hook = NewWebhook::parse(&url, &events, &secret).map_err(CliError::Usage)?;
            if let Some(s) = site.as_deref().map(str::trim) {
                if s.is_empty() {
                    return Err(CliError::Usage("--site needs a site id".into()));
                }
                hook.site = Some(s.to_owned());
            }
            let id = open(&db.db)?.add_webhook(&hook, SystemClock.now_ms())?;
            let of = hook.site.as_deref().unwrap_or("the default site");
            eprintln!("webhook {id} for {events} of {of} to {}", hook.url);
            println!("{id}");
            Ok(())
        }
        WebhookCommand::List { db } => {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "id\turl\tevents\tadded\tpending\tdelivered\tfailed\tsite"
            )?;
            for l in open(&db.db)?.webhooks()? {
                let events: Vec<&str> = l.hook.events.iter().map(|e| e.code()).collect();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    l.hook.id,
                    l.hook.url,
                    events.join(","),
                    when(l.hook.created_ms),
                    l.pending,
                    l.delivered,
                    l.failed.len(),
                    if l.hook.site.is_empty() {
                        "(default)"
                    } else {
                        &l.hook.site
                    },
                )?;
                for f in &l.failed {
                    writeln!(
                        out,
                        "  failed\t{}\t{}\tattempts {}\tcreated {}\tlast {}\t{}",
                        f.id,
                        f.event,
                        f.attempts,
                        when(f.created_ms),
                        f.last_ms.map_or_else(|| "-".to_string(), when),
                        f.last_error.as_deref().unwrap_or("-"),
                    )?;
                }
            }
            Ok(())
        }
        WebhookCommand::Remove { db, id } => {
            if open(&db.db)?.remove_webhook(id)? {
                eprintln!("webhook {id} removed");
                Ok(())
            } else {
                Err(CliError::Usage(format!("no webhook {id}")))
            }
        }
    }
}
