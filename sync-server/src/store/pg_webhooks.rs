//! Webhooks on PostgreSQL: the hooks (each of one site), their deliveries, the cursor over `ops.pos`
//! that finds level-1 events (of every site), and the last day whose lägesbild was made, per site. As on SQLite, every enqueue commits in the
//! transaction that moves what it came from (the cursor, locked `FOR UPDATE`; the day).

use postgres::{Client, Transaction};
use torgkoll_shared::calendar::Date;
use torgkoll_shared::partner::{PartnerEvent, first_level1, level1_payload, may_make_level1};
use torgkoll_shared::{OpBody, apply_to_report};
use uuid::Uuid;

use super::pg_review::op_from_row;
use super::{Result, StoreError};
use crate::sites::Sites;
use crate::webhooks::model::{
    DueDelivery, FailedDelivery, NewWebhook, Outcome, Scan, Webhook, WebhookListing,
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
fn enqueue(
    tx: &mut Transaction<'_>,
    site: &str,
    event: PartnerEvent,
    body: &[u8],
    now_ms: i64,
) -> Result<usize> {
    let hooks: Vec<i64> = tx
        .query(
            "SELECT id FROM webhooks
             WHERE site = $2 AND ',' || events || ',' LIKE '%,' || $1 || ',%' ORDER BY id",
            &[&event.code(), &site],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
    for hook in &hooks {
        tx.execute(
            "INSERT INTO webhook_deliveries (id, hook, event, body, created_ms, state, next_ms)
             VALUES ($1, $2, $3, $4, $5, 'pending', $5)",
            &[&Uuid::new_v4(), hook, &event.code(), &body, &now_ms],
        )?;
    }
    Ok(hooks.len())
}

pub(super) fn insert_webhook(c: &mut Client, hook: &NewWebhook, now_ms: i64) -> Result<i64> {
    Ok(c.query_one(
        "INSERT INTO webhooks (url, events, secret, created_ms, site) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
        &[
            &hook.url,
            &events_text(&hook.events),
            &hook.secret,
            &now_ms,
            &hook.site.as_deref().unwrap_or(""),
        ],
    )?
    .try_get(0)?)
}

pub(super) fn list_webhooks(c: &mut Client) -> Result<Vec<WebhookListing>> {
    let hooks = c.query(
        "SELECT id, url, events, created_ms,
            (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.hook = w.id AND state = 'pending'),
            (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.hook = w.id AND state = 'delivered'),
            site
         FROM webhooks w ORDER BY id",
        &[],
    )?;
    let mut out = Vec::with_capacity(hooks.len());
    for h in &hooks {
        let id: i64 = h.try_get(0)?;
        let failed = c
            .query(
                "SELECT id, event, attempts, last_error, created_ms, last_ms FROM webhook_deliveries
                 WHERE hook = $1 AND state = 'failed' ORDER BY created_ms, id",
                &[&id],
            )?
            .iter()
            .map(|r| {
                Ok(FailedDelivery {
                    id: r.try_get(0)?,
                    event: r.try_get(1)?,
                    attempts: r.try_get::<_, i64>(2)? as u32,
                    last_error: r.try_get(3)?,
                    created_ms: r.try_get(4)?,
                    last_ms: r.try_get(5)?,
                })
            })
            .collect::<Result<_>>()?;
        out.push(WebhookListing {
            hook: Webhook {
                id,
                url: h.try_get(1)?,
                events: events_from(h.try_get(2)?)?,
                created_ms: h.try_get(3)?,
                site: h.try_get(6)?,
            },
            pending: h.try_get::<_, i64>(4)? as u32,
            delivered: h.try_get::<_, i64>(5)? as u32,
            failed,
        });
    }
    Ok(out)
}

pub(super) fn delete_webhook(c: &mut Client, id: i64) -> Result<bool> {
    let mut tx = c.transaction()?;
    tx.execute("DELETE FROM webhook_deliveries WHERE hook = $1", &[&id])?;
    let n = tx.execute("DELETE FROM webhooks WHERE id = $1", &[&id])?;
    tx.commit()?;
    Ok(n == 1)
}

/// Scans up to `batch` operations after the cursor; each that first made its report level 1 (by its
/// site's plan) is enqueued for every webhook of its site subscribed to `level1`, in the transaction
/// that moves the cursor.
pub(super) fn scan_level1(c: &mut Client, sites: &Sites, now_ms: i64, batch: u32) -> Result<Scan> {
    let mut tx = c.transaction()?;
    tx.execute(
        "UPDATE webhooks SET site = $1 WHERE site = ''",
        &[&sites.default_id()],
    )?;
    let cursor: i64 = tx
        .query_one(
            "SELECT pos FROM webhook_cursor WHERE id = 1 FOR UPDATE",
            &[],
        )?
        .try_get(0)?;
    let rows = tx.query(
        "SELECT pos, kind, target, op_id, at_ms, body, site FROM ops WHERE pos > $1
         ORDER BY pos LIMIT $2",
        &[&cursor, &i64::from(batch)],
    )?;
    let mut scan = Scan {
        enqueued: 0,
        more: rows.len() as u64 >= u64::from(batch),
    };
    for row in &rows {
        let (pos, kind): (i64, &str) = (row.try_get(0)?, row.try_get(1)?);
        if !matches!(kind, "disturbance" | "amend") {
            continue;
        }
        let site_id: &str = row.try_get(6)?;
        let Some(site) = sites.get(site_id) else {
            tracing::warn!(pos, site = %site_id, "a level-1 candidate of a site not served is passed over");
            continue;
        };
        let body: OpBody = serde_json::from_str(row.try_get(5)?)
            .map_err(|e| StoreError::Corrupt(format!("operation at {pos}: {e}")))?;
        if !may_make_level1(&body) {
            continue;
        }
        let target: Option<Uuid> = row.try_get(2)?;
        let report = target.unwrap_or(row.try_get(3)?);
        let ops = tx
            .query(
                "SELECT op_id, device, seq, hlc, wall_ms, role, body, at_ms, clock FROM ops
                 WHERE (op_id = $1 OR target = $1) AND pos <= $2 AND site = $3 ORDER BY pos",
                &[&report, &pos, &site_id],
            )?
            .iter()
            .map(op_from_row)
            .collect::<Result<Vec<_>>>()?;
        // The report's own operation comes first by position: it was stored before any change.
        if ops.first().map(|o| o.id) != Some(report) || first_level1(&ops) != Some(ops.len() - 1) {
            continue;
        }
        let mut folded = torgkoll_shared::Report::new(report);
        ops.iter().for_each(|o| apply_to_report(&mut folded, o));
        let Some(payload) = level1_payload(&site.site, &folded, row.try_get(4)?, now_ms) else {
            continue;
        };
        let bytes = serde_json::to_vec(&payload)
            .map_err(|e| StoreError::Corrupt(format!("a level-1 payload: {e}")))?;
        scan.enqueued += enqueue(&mut tx, site_id, PartnerEvent::Level1, &bytes, now_ms)?;
    }
    if let Some(last) = rows.last() {
        let last: i64 = last.try_get(0)?;
        tx.execute("UPDATE webhook_cursor SET pos = $1 WHERE id = 1", &[&last])?;
    }
    tx.commit()?;
    Ok(scan)
}

pub(super) fn lagesbild_day(c: &mut Client, site: &str) -> Result<Option<Date>> {
    let day: Option<String> = c
        .query_opt("SELECT day FROM lagesbild_days WHERE site = $1", &[&site])?
        .map(|r| r.try_get(0))
        .transpose()?;
    day.map(|d| {
        Date::parse(&d).ok_or_else(|| StoreError::Corrupt(format!("the lägesbild day '{d}'")))
    })
    .transpose()
}

pub(super) fn lagesbild_made(
    c: &mut Client,
    site: &str,
    day: Date,
    body: &[u8],
    now_ms: i64,
) -> Result<usize> {
    let mut tx = c.transaction()?;
    tx.execute(
        "INSERT INTO lagesbild_days (site, day, made_ms) VALUES ($1, $2, $3)
         ON CONFLICT (site) DO UPDATE SET day = excluded.day, made_ms = excluded.made_ms",
        &[&site, &day.to_string(), &now_ms],
    )?;
    let n = enqueue(&mut tx, site, PartnerEvent::Lagesbild, body, now_ms)?;
    tx.commit()?;
    Ok(n)
}

pub(super) fn deliveries_due(c: &mut Client, now_ms: i64, limit: u32) -> Result<Vec<DueDelivery>> {
    c.query(
        "SELECT d.id, d.hook, w.url, w.secret, d.event, d.body, d.created_ms, d.attempts
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.hook
         WHERE d.state = 'pending' AND d.next_ms <= $1 ORDER BY d.next_ms, d.id LIMIT $2",
        &[&now_ms, &i64::from(limit)],
    )?
    .iter()
    .map(|r| {
        Ok(DueDelivery {
            id: r.try_get(0)?,
            hook: r.try_get(1)?,
            url: r.try_get(2)?,
            secret: r.try_get(3)?,
            event: r.try_get(4)?,
            body: r.try_get(5)?,
            created_ms: r.try_get(6)?,
            attempts: r.try_get::<_, i64>(7)? as u32,
        })
    })
    .collect()
}

pub(super) fn record_outcome(
    c: &mut Client,
    id: Uuid,
    now_ms: i64,
    outcome: &Outcome,
) -> Result<()> {
    let (state, next, error) = match outcome {
        Outcome::Delivered => ("delivered", None, None),
        Outcome::Retry { next_ms, error } => ("pending", Some(*next_ms), Some(error.as_str())),
        Outcome::Failed { error } => ("failed", None, Some(error.as_str())),
    };
    // Only a pending delivery changes: once delivered or failed it stays so.
    c.execute(
        "UPDATE webhook_deliveries SET state = $2, next_ms = $3, last_error = $4,
            last_ms = $5, attempts = attempts + 1
         WHERE id = $1 AND state = 'pending'",
        &[&id, &state, &next, &error, &now_ms],
    )?;
    Ok(())
}
