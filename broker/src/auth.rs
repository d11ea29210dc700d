//! Authentication and authorisation: off unless credentials are
//! configured.
//!
//! Pact clients send either `Authorization: Bearer <token>` (PactFlow
//! style, `--broker-token`) or `Authorization: Basic <user:password>`
//! (the OSS Pact Broker, `--broker-username`/`--broker-password`), so the
//! broker accepts both. Every credential is read-only or read-write:
//!
//! * reads (`GET`, `HEAD`, and the read-only `POST .../for-verification`)
//!   need any valid credential;
//! * every other write (publish, tags and branches, verification results,
//!   environments, record-deployment/release/undeployment/support-ended,
//!   webhooks, deletes) needs a read-write one;
//! * `/health` stays open for load balancers.
//!
//! No credential, or a wrong one, is a 401 with a `WWW-Authenticate`
//! challenge; a read-only credential on a write is a 403. Both are JSON
//! like every other error. Secrets are kept only as SHA-256 digests and
//! compared in constant time.

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::BrokerError;
use crate::state::AppState;

/// What a credential may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Read every resource; no writes.
    ReadOnly,
    /// Read and write.
    ReadWrite,
}

/// One accepted credential (stored as a digest).
#[derive(Clone)]
struct Credential {
    /// SHA-256 of the full `Authorization` header value it matches.
    digest: [u8; 32],
    role: Role,
}

/// The accepted credentials; empty means authentication is off.
#[derive(Clone, Default)]
pub struct Auth {
    credentials: Vec<Credential>,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("credentials", &self.credentials.len())
            .finish()
    }
}

/// A malformed credential in the configuration.
#[derive(Debug, thiserror::Error)]
#[error("basic credentials must be USER:PASSWORD with a non-empty user and password")]
pub struct CredentialError;

impl Auth {
    /// Authentication off: every request is allowed.
    pub fn off() -> Auth {
        Auth::default()
    }

    /// Whether any credential is configured.
    pub fn is_on(&self) -> bool {
        !self.credentials.is_empty()
    }

    /// Accepts `Authorization: Bearer <token>` with a role. An empty token
    /// is ignored (an unset environment variable must not open the door).
    pub fn with_token(mut self, token: &str, role: Role) -> Auth {
        if !token.is_empty() {
            self.credentials.push(Credential {
                digest: digest(&format!("Bearer {token}")),
                role,
            });
        }
        self
    }

    /// Accepts `Authorization: Basic base64(user:password)` with a role.
    pub fn with_basic(mut self, user: &str, password: &str, role: Role) -> Auth {
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        self.credentials.push(Credential {
            digest: digest(&format!("Basic {encoded}")),
            role,
        });
        self
    }

    /// [`Auth::with_basic`] from a `USER:PASSWORD` string (the password may
    /// contain colons).
    pub fn with_basic_pair(self, pair: &str, role: Role) -> Result<Auth, CredentialError> {
        match pair.split_once(':') {
            Some((user, password)) if !user.is_empty() && !password.is_empty() => {
                Ok(self.with_basic(user, password, role))
            }
            _ => Err(CredentialError),
        }
    }

    /// The role an `Authorization` header value grants, if any.
    fn role_of(&self, header: &str) -> Option<Role> {
        let header = normalise_scheme(header.trim());
        let presented = digest(&header);
        // Check every credential so timing does not reveal which matched.
        self.credentials
            .iter()
            .filter(|c| constant_time_eq(&c.digest, &presented))
            .map(|c| c.role)
            .max()
    }
}

/// Pact clients spell the scheme `Bearer`/`Basic`; accept any case.
fn normalise_scheme(header: &str) -> String {
    match header.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => {
            format!("Bearer {}", rest.trim())
        }
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("basic") => {
            format!("Basic {}", rest.trim())
        }
        _ => header.to_owned(),
    }
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The role a request needs, from its method and path.
fn needed(method: &Method, path: &str) -> Option<Role> {
    if path == "/health" {
        return None;
    }
    let reading = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
        || (*method == Method::POST && is_pacts_for_verification(path));
    Some(if reading {
        Role::ReadOnly
    } else {
        Role::ReadWrite
    })
}

/// Whether a path is exactly `/pacts/provider/{provider}/for-verification`
/// (a `/` inside the name arrives encoded as `%2F`). A suffix test would
/// let a read-only credential write to any route whose last segment a
/// client names, such as `POST /webhooks/provider/P/consumer/for-verification`.
fn is_pacts_for_verification(path: &str) -> bool {
    path.strip_prefix("/pacts/provider/")
        .and_then(|rest| rest.strip_suffix("/for-verification"))
        .is_some_and(|provider| !provider.is_empty() && !provider.contains('/'))
}

/// Middleware enforcing [`Auth`] on every route.
pub(crate) async fn authorise(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !state.auth.is_on() {
        return next.run(request).await;
    }
    let Some(need) = needed(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let granted = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| state.auth.role_of(v));
    match granted {
        None => BrokerError::Unauthorized.into_response(),
        Some(role) if role < need => BrokerError::Forbidden.into_response(),
        Some(_) => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_the_credential() {
        let auth = Auth::off()
            .with_token("r", Role::ReadOnly)
            .with_token("w", Role::ReadWrite)
            .with_basic_pair("ci:p:w", Role::ReadWrite)
            .unwrap();
        assert_eq!(auth.role_of("Bearer r"), Some(Role::ReadOnly));
        assert_eq!(auth.role_of("bearer  w"), Some(Role::ReadWrite));
        assert_eq!(auth.role_of("Bearer x"), None);
        let basic = base64::engine::general_purpose::STANDARD.encode("ci:p:w");
        assert_eq!(
            auth.role_of(&format!("Basic {basic}")),
            Some(Role::ReadWrite)
        );
        assert_eq!(auth.role_of("w"), None);
    }

    #[test]
    fn empty_tokens_and_bad_pairs_do_not_count() {
        assert!(!Auth::off().with_token("", Role::ReadWrite).is_on());
        assert!(Auth::off()
            .with_basic_pair("nopassword", Role::ReadOnly)
            .is_err());
        assert!(Auth::off().with_basic_pair(":x", Role::ReadOnly).is_err());
    }

    #[test]
    fn for_verification_is_a_read() {
        let path = "/pacts/provider/P/for-verification";
        assert_eq!(needed(&Method::POST, path), Some(Role::ReadOnly));
        assert_eq!(
            needed(&Method::POST, "/contracts/publish"),
            Some(Role::ReadWrite)
        );
        assert_eq!(needed(&Method::GET, "/health"), None);
        for write in [
            "/webhooks/provider/P/consumer/for-verification",
            "/pacts/provider/P/consumer/C/for-verification",
            "/pacts/provider//for-verification",
        ] {
            assert_eq!(
                needed(&Method::POST, write),
                Some(Role::ReadWrite),
                "{write}"
            );
        }
        assert_eq!(
            needed(&Method::POST, "/pacts/provider/a%2Fb/for-verification"),
            Some(Role::ReadOnly)
        );
    }
}
