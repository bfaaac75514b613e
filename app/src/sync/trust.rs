//! Which servers the phone trusts: the system's roots (reqwest's rustls with the webpki roots, i.e.
//! Mozilla's list compiled in) and, when set, one more certificate authority for a site that runs its
//! server with its own certificate (the city's CA, or a self-signed one). It is process-wide, set once
//! at start from the app's settings ([`trust_server_ca`]), and every client the app makes is built from
//! [`client_builder`]: sync, photos, review and the wake-up channel. Where the PEM comes from (a file
//! on desktop, a platform picker on a phone) is the caller's business.

use std::sync::RwLock;

use thiserror::Error;

/// The settings key the CA's PEM text is kept under in the phone's store.
pub const SERVER_CA_SETTING: &str = "server_ca_pem";

static EXTRA_CA: RwLock<Option<reqwest::Certificate>> = RwLock::new(None);

/// A CA that could not be read.
#[derive(Debug, Error)]
#[error("the server CA is not a PEM certificate: {0}")]
pub struct TrustError(String);

/// Checks that `pem` holds a certificate (the first of a bundle is the one trusted).
pub fn parse_server_ca(pem: &str) -> Result<reqwest::Certificate, TrustError> {
    if !pem.contains("-----BEGIN CERTIFICATE-----") {
        return Err(TrustError("no -----BEGIN CERTIFICATE----- block".into()));
    }
    let mut certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
        .map_err(|e| TrustError(e.to_string()))?;
    if certs.is_empty() {
        return Err(TrustError("no certificate in it".into()));
    }
    Ok(certs.swap_remove(0))
}

/// Trusts `pem` (besides the system's roots) in every client built after this; `None` trusts the
/// system's roots only.
pub fn trust_server_ca(pem: Option<&str>) -> Result<(), TrustError> {
    let ca = pem.map(parse_server_ca).transpose()?;
    *EXTRA_CA.write().unwrap_or_else(|p| p.into_inner()) = ca;
    Ok(())
}

/// A client builder with the app's user agent and the trusted roots; callers add their timeouts.
pub fn client_builder() -> reqwest::ClientBuilder {
    let b = reqwest::Client::builder().user_agent(concat!("torgkoll/", env!("CARGO_PKG_VERSION")));
    match &*EXTRA_CA.read().unwrap_or_else(|p| p.into_inner()) {
        Some(ca) => b.add_root_certificate(ca.clone()),
        None => b,
    }
}

/// Whether a failed request failed on the server's certificate (unknown issuer, expired, wrong name):
/// rustls's own error somewhere in the chain, which hyper wraps in `io::Error`s.
pub(crate) fn is_certificate_error(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut src = Some(e);
    while let Some(s) = src {
        if let Some(rustls::Error::InvalidCertificate(_)) = s.downcast_ref::<rustls::Error>() {
            return true;
        }
        // `io::Error::source` skips the error it wraps; step into it instead.
        src = match s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => s.source(),
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pem_certificates_are_taken() {
        assert!(parse_server_ca("").is_err());
        assert!(
            parse_server_ca("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .is_err()
        );
        let garbled = "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n";
        assert!(parse_server_ca(garbled).is_err());
    }
}
