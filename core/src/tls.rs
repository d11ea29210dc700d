//! Which certificate authorities treaty's HTTPS clients trust: the built-in
//! web roots, the PEM files a command names (`--ca-cert`), and the bundle
//! that `SSL_CERT_FILE` names, the variable OpenSSL, curl and the Pact
//! tools read. An internal CA then works for brokers, contract URLs and
//! providers alike.

use std::path::{Path, PathBuf};

/// The environment variable naming a PEM bundle of more authorities.
const SSL_CERT_FILE: &str = "SSL_CERT_FILE";

/// A PEM file of certificate authorities that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("cannot use the CA certificate {}: {reason}", path.display())]
pub struct CaFileError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub reason: String,
}

/// The authorities to trust besides the built-in roots: those of `files`,
/// then, for a client that will speak HTTPS (`https`), those of the
/// `SSL_CERT_FILE` bundle when it is set. (Reading the system bundle costs
/// milliseconds; a client of plain HTTP URLs skips it.)
pub fn extra_roots(
    files: &[PathBuf],
    https: bool,
) -> Result<Vec<reqwest::Certificate>, CaFileError> {
    let mut roots = Vec::new();
    for path in files {
        roots.extend(ca_file(path)?);
    }
    if https {
        if let Some(path) = std::env::var_os(SSL_CERT_FILE).filter(|p| !p.is_empty()) {
            roots.extend(ca_file(Path::new(&path)).map_err(|mut e| {
                e.reason.push_str(&format!(" (named by {SSL_CERT_FILE})"));
                e
            })?);
        }
    }
    Ok(roots)
}

/// What to do about a certificate the client did not trust, said the same
/// way wherever it happens.
pub const TRUST_HINT: &str =
    "set SSL_CERT_FILE to a PEM bundle holding the certificate authority that signed it";

/// True when `error`, or one of its causes, is a certificate the client
/// did not trust.
pub fn untrusted_certificate(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.to_string().contains("invalid peer certificate") {
            return true;
        }
        cause = e.source();
    }
    false
}

/// A client builder trusting the built-in roots and `roots`.
pub fn builder(roots: Vec<reqwest::Certificate>) -> reqwest::ClientBuilder {
    roots
        .into_iter()
        .fold(reqwest::Client::builder(), |builder, root| {
            builder.add_root_certificate(root)
        })
}

/// The certificates of a PEM file, at least one.
fn ca_file(path: &Path) -> Result<Vec<reqwest::Certificate>, CaFileError> {
    let fail = |reason: String| CaFileError {
        path: path.to_owned(),
        reason,
    };
    let pem = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| fail(e.to_string()))?;
    if certs.is_empty() {
        return Err(fail(
            "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(certs)
}
