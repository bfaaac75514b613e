//! One attempt of one delivery: a signed JSON POST, answered within 10 seconds. A 2xx answer delivers
//! it; anything else (another status, a redirect, a refused connection, a timeout) is a failed attempt.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, USER_AGENT};

use super::model::DueDelivery;
use super::sign::signature;

/// How long a partner may take to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The HTTP client of the deliveries: no redirects (a 3xx is not an acceptance), 10 s per attempt.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the TLS backend starts")
}

/// Sends the delivery once: `Ok` on a 2xx answer, else why not (without the URL, which may hold a
/// partner's token, and never the secret).
pub async fn attempt(client: &reqwest::Client, d: &DueDelivery) -> Result<u16, String> {
    let sent = client
        .post(&d.url)
        .header(CONTENT_TYPE, "application/json")
        .header(
            USER_AGENT,
            concat!("torgkoll-server/", env!("CARGO_PKG_VERSION")),
        )
        .header("X-Torgkoll-Event", &d.event)
        .header("X-Torgkoll-Delivery", d.id.to_string())
        .header("X-Torgkoll-Signature", signature(&d.secret, &d.body))
        .body(d.body.clone())
        .send()
        .await;
    match sent {
        Ok(resp) if resp.status().is_success() => Ok(resp.status().as_u16()),
        Ok(resp) => Err(format!("HTTP {}", resp.status().as_u16())),
        Err(e) if e.is_timeout() => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
        Err(e) => {
            let e = e.without_url();
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text = format!("{text}: {s}");
                source = s.source();
            }
            Err(text.chars().take(300).collect())
        }
    }
}
