//! A partner's receiver: a real HTTP server on 127.0.0.1:0 that keeps every request it gets and answers
//! with the status its script says for that attempt, and the checks a partner makes of a delivery.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// One request as the receiver got it.
#[derive(Clone, Debug)]
pub struct Received {
    pub event: String,
    pub delivery: String,
    pub signature: String,
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// Whether the signature is HMAC-SHA256 of the body with `secret`, checked as a partner would (in
    /// constant time, by the `hmac` crate).
    pub fn signed_with(&self, secret: &str) -> bool {
        let Some(hex) = self.signature.strip_prefix("sha256=") else {
            return false;
        };
        let Some(bytes) = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()
        else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(&self.body);
        mac.verify_slice(&bytes).is_ok()
    }
}

#[derive(Clone)]
struct Shared {
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<dyn Fn(usize) -> u16 + Send + Sync>,
}

pub struct Receiver {
    pub url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// A receiver answering `status(n)` to its `n`th request (0-based).
    pub async fn start(status: impl Fn(usize) -> u16 + Send + Sync + 'static) -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            got: got.clone(),
            status: Arc::new(status),
        };
        let app = Router::new().route("/hook", post(take)).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, got }
    }

    pub fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

async fn take(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let n = {
        let mut got = s.got.lock().unwrap();
        got.push(Received {
            event: header("x-torgkoll-event"),
            delivery: header("x-torgkoll-delivery"),
            signature: header("x-torgkoll-signature"),
            body: body.to_vec(),
        });
        got.len() - 1
    };
    StatusCode::from_u16((s.status)(n)).unwrap()
}
