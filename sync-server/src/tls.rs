//! HTTPS: the certificate chain and private key from PEM files, turned into the acceptor that
//! [`crate::connections`] wraps each accepted connection in. The rustls is the one reqwest already
//! brings (0.23 with *ring*), so the build holds one TLS stack.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
pub use tokio_rustls::TlsAcceptor;

/// Why the certificate or key could not be used; the message names the file and what is wrong with it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TlsError(String);

/// Reads the chain (leaf first, then intermediates) and its private key (PKCS#8, PKCS#1 or SEC1) and
/// checks that they belong together.
pub fn load_acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, TlsError> {
    let read = |path: &Path, what: &str| {
        std::fs::read(path).map_err(|e| {
            TlsError(format!(
                "cannot read the TLS {what} {}: {e}",
                path.display()
            ))
        })
    };
    let cert_pem = read(cert, "certificate")?;
    let key_pem = read(key, "private key")?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError(format!("the TLS certificate {}: {e}", cert.display())))?;
    if chain.is_empty() {
        return Err(TlsError(format!(
            "the TLS certificate {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            cert.display()
        )));
    }
    let key_der = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        TlsError(format!(
            "the TLS private key {} holds no PEM private key: {e}",
            key.display()
        ))
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError(format!("TLS set-up: {e}")))?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| {
            TlsError(format!(
                "the TLS certificate {} and key {} cannot be used together: {e}",
                cert.display(),
                key.display()
            ))
        })?;
    // The server speaks HTTP/1.1 only (see `connections`).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn self_signed(dir: &Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
        let c = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let (cert, key) = (
            dir.join(format!("{name}.crt")),
            dir.join(format!("{name}.key")),
        );
        std::fs::write(&cert, c.cert.pem()).unwrap();
        std::fs::write(&key, c.signing_key.serialize_pem()).unwrap();
        (cert, key)
    }

    #[test]
    fn a_matching_pair_loads_and_bad_files_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let (cert_a, key_a) = self_signed(dir.path(), "a");
        let (_, key_b) = self_signed(dir.path(), "b");
        assert!(load_acceptor(&cert_a, &key_a).is_ok());

        let err = |c: &Path, k: &Path| load_acceptor(c, k).err().unwrap().to_string();
        let mismatched = err(&cert_a, &key_b);
        assert!(
            mismatched.contains("cannot be used together"),
            "{mismatched}"
        );
        let missing = err(&dir.path().join("none.crt"), &key_a);
        assert!(
            missing.starts_with("cannot read the TLS certificate"),
            "{missing}"
        );
        // The key given as the certificate, and the certificate as the key.
        let swapped = err(&key_a, &cert_a);
        assert!(swapped.contains("holds no PEM certificate"), "{swapped}");
        let not_a_key = err(&cert_a, &cert_a);
        assert!(
            not_a_key.contains("holds no PEM private key"),
            "{not_a_key}"
        );
    }
}
