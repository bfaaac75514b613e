//! What the store keeps of webhooks and their deliveries, and what an operator types to add one
//! (checked here, in one place, before anything is stored).

use torgkoll_shared::partner::PartnerEvent;
use uuid::Uuid;

/// A webhook as the operator asks for it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<PartnerEvent>,
    /// The key of the HMAC signature; the partner holds the same.
    pub secret: String,
    /// The site whose events it gets (`None`: the default site the server serves).
    pub site: Option<String>,
}

impl std::fmt::Debug for NewWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewWebhook")
            .field("url", &self.url)
            .field("events", &self.events)
            .field("site", &self.site)
            .finish_non_exhaustive()
    }
}

impl NewWebhook {
    /// Checks what an operator typed: an http or https URL with a host, known event names (comma
    /// separated, at least one), a secret that is not empty.
    pub fn parse(url: &str, events: &str, secret: &str) -> Result<NewWebhook, String> {
        let url = url.trim();
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("the URL '{url}': {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https")
            || parsed.host_str().is_none_or(str::is_empty)
        {
            return Err(format!("the URL '{url}' is not an http or https address"));
        }
        let mut list = Vec::new();
        for name in events.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let e = PartnerEvent::from_code(name).ok_or_else(|| {
                let known: Vec<&str> = PartnerEvent::ALL.iter().map(|e| e.code()).collect();
                format!("unknown event '{name}' (known: {})", known.join(", "))
            })?;
            if !list.contains(&e) {
                list.push(e);
            }
        }
        if list.is_empty() {
            return Err("give at least one event".into());
        }
        if secret.trim().is_empty() {
            return Err("the secret must not be empty".into());
        }
        Ok(NewWebhook {
            url: parsed.to_string(),
            events: list,
            secret: secret.to_string(),
            site: None,
        })
    }
}

/// A stored webhook (its secret stays in the store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<PartnerEvent>,
    pub created_ms: i64,
    /// Its site (`''`: the default site, until the server gives it that site's id).
    pub site: String,
}

/// A delivery that gave up after 24 hours of retries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedDelivery {
    pub id: Uuid,
    pub event: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_ms: i64,
    pub last_ms: Option<i64>,
}

/// A webhook with what became of its deliveries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookListing {
    pub hook: Webhook,
    pub pending: u32,
    pub delivered: u32,
    pub failed: Vec<FailedDelivery>,
}

/// A delivery whose next attempt is due: the same id and body bytes on every attempt.
#[derive(Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub id: Uuid,
    pub hook: i64,
    pub url: String,
    pub secret: String,
    pub event: String,
    pub body: Vec<u8>,
    pub created_ms: i64,
    /// Attempts made before this one.
    pub attempts: u32,
}

impl std::fmt::Debug for DueDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueDelivery")
            .field("id", &self.id)
            .field("hook", &self.hook)
            .field("url", &self.url)
            .field("event", &self.event)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// What an attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx answer: never sent again.
    Delivered,
    /// Anything else; tried again at `next_ms`.
    Retry { next_ms: i64, error: String },
    /// Anything else, and the 24 hours are over.
    Failed { error: String },
}

/// What one scan for level-1 events did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// Deliveries enqueued.
    pub enqueued: usize,
    /// Whether operations are left after the scanned batch.
    pub more: bool,
}
