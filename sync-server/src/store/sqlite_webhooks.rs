//! Webhooks on SQLite (migrations 9 and 11): the hooks (each of one site), their deliveries, and the last
//! day whose lägesbild was made, per site (the scan for level-1 events is `sqlite_level1`). Every enqueue
//! commits in the transaction that moves what it came from (the cursor, the day), so a crash neither
//! loses an event nor doubles one.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::partner::PartnerEvent;
use uuid::Uuid;

use super::sqlite::SqliteStore;
use super::{Result, StoreError};
use crate::webhooks::model::{
    DueDelivery, FailedDelivery, NewWebhook, Outcome, Webhook, WebhookListing,
};

fn events_text(events: &[PartnerEvent]) -> String {
    let codes: Vec<&str> = events.iter().map(|e| e.code()).collect();
    codes.join(",")
}

fn events_from(text: &str) -> Result<Vec<PartnerEvent>> {
    text.split(',')
        .map(|c| {
            PartnerEvent::from_code(c)
                .ok_or_else(|| StoreError::Corrupt(format!("a webhook's event '{c}'")))
        })
        .collect()
}

/// One delivery per webhook of site `site` subscribed to `event`, due at once; returns how many.
pub(super) fn enqueue(
    tx: &Transaction<'_>,
    site: &str,
    event: PartnerEvent,
    body: &[u8],
    now_ms: i64,
) -> Result<usize> {
    let hooks: Vec<i64> = tx
        .prepare_cached(
            "SELECT id FROM webhooks
             WHERE site = ?2 AND ',' || events || ',' LIKE '%,' || ?1 || ',%' ORDER BY id",
        )?
        .query_map(params![event.code(), site], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO webhook_deliveries (id, hook, event, body, created_ms, state, next_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?5)",
    )?;
    for hook in &hooks {
        insert.execute(params![Uuid::new_v4(), hook, event.code(), body, now_ms])?;
    }
    Ok(hooks.len())
}

impl SqliteStore {
    pub(super) fn insert_webhook(&self, hook: &NewWebhook, now_ms: i64) -> Result<i64> {
        let conn = self.write()?;
        conn.execute(
            "INSERT INTO webhooks (url, events, secret, created_ms, site) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                hook.url,
                events_text(&hook.events),
                hook.secret,
                now_ms,
                hook.site.as_deref().unwrap_or("")
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    pub(super) fn list_webhooks(&self) -> Result<Vec<WebhookListing>> {
        let conn = self.read()?;
        type Row = (i64, String, String, i64, i64, i64, String);
        let hooks: Vec<Row> = conn
            .prepare(
                "SELECT id, url, events, created_ms,
                    (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.hook = w.id AND state = 'pending'),
                    (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.hook = w.id AND state = 'delivered'),
                    site
                 FROM webhooks w ORDER BY id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut failed = conn.prepare(
            "SELECT id, event, attempts, last_error, created_ms, last_ms FROM webhook_deliveries
             WHERE hook = ?1 AND state = 'failed' ORDER BY created_ms, id",
        )?;
        let mut out = Vec::with_capacity(hooks.len());
        for (id, url, events, created_ms, pending, delivered, site) in hooks {
            let failed = failed
                .query_map([id], |r| {
                    Ok(FailedDelivery {
                        id: r.get(0)?,
                        event: r.get(1)?,
                        attempts: r.get::<_, i64>(2)? as u32,
                        last_error: r.get(3)?,
                        created_ms: r.get(4)?,
                        last_ms: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            out.push(WebhookListing {
                hook: Webhook {
                    id,
                    url,
                    events: events_from(&events)?,
                    created_ms,
                    site,
                },
                pending: pending as u32,
                delivered: delivered as u32,
                failed,
            });
        }
        Ok(out)
    }

    pub(super) fn delete_webhook(&self, id: i64) -> Result<bool> {
        let mut conn = self.write()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM webhook_deliveries WHERE hook = ?1", [id])?;
        let n = tx.execute("DELETE FROM webhooks WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(n == 1)
    }

    pub(super) fn lagesbild_day(&self, site: &str) -> Result<Option<Date>> {
        let conn = self.read()?;
        let day: Option<String> = conn
            .query_row(
                "SELECT day FROM lagesbild_days WHERE site = ?1",
                [site],
                |r| r.get(0),
            )
            .optional()?;
        day.map(|d| {
            Date::parse(&d).ok_or_else(|| StoreError::Corrupt(format!("the lägesbild day '{d}'")))
        })
        .transpose()
    }

    pub(super) fn lagesbild_made(
        &self,
        site: &str,
        day: Date,
        body: &[u8],
        now_ms: i64,
    ) -> Result<usize> {
        let mut conn = self.write()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO lagesbild_days (site, day, made_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (site) DO UPDATE SET day = excluded.day, made_ms = excluded.made_ms",
            params![site, day.to_string(), now_ms],
        )?;
        let n = enqueue(&tx, site, PartnerEvent::Lagesbild, body, now_ms)?;
        tx.commit()?;
        Ok(n)
    }

    pub(super) fn deliveries_due(&self, now_ms: i64, limit: u32) -> Result<Vec<DueDelivery>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(
            "SELECT d.id, d.hook, w.url, w.secret, d.event, d.body, d.created_ms, d.attempts
             FROM webhook_deliveries d JOIN webhooks w ON w.id = d.hook
             WHERE d.state = 'pending' AND d.next_ms <= ?1 ORDER BY d.next_ms, d.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![now_ms, limit], |r| {
            Ok(DueDelivery {
                id: r.get(0)?,
                hook: r.get(1)?,
                url: r.get(2)?,
                secret: r.get(3)?,
                event: r.get(4)?,
                body: r.get(5)?,
                created_ms: r.get(6)?,
                attempts: r.get::<_, i64>(7)? as u32,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub(super) fn record_outcome(&self, id: Uuid, now_ms: i64, outcome: &Outcome) -> Result<()> {
        let (state, next, error) = match outcome {
            Outcome::Delivered => ("delivered", None, None),
            Outcome::Retry { next_ms, error } => ("pending", Some(*next_ms), Some(error.as_str())),
            Outcome::Failed { error } => ("failed", None, Some(error.as_str())),
        };
        // Only a pending delivery changes: once delivered or failed it stays so.
        self.write()?
            .prepare_cached(
                "UPDATE webhook_deliveries SET state = ?2, next_ms = ?3, last_error = ?4,
                    last_ms = ?5, attempts = attempts + 1
                 WHERE id = ?1 AND state = 'pending'",
            )?
            .execute(params![id, state, next, error, now_ms])?;
        Ok(())
    }
}
