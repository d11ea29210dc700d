//! The HTTP client: requests to the provider, its state-change and message
//! endpoints, with every transport failure classified.

use std::time::Duration;

use crate::model::{Body, ContentType, Headers, HttpRequest, HttpResponse};

use super::causes::{causes, dropped};
use super::plain_http::PlainClient;
use super::report::ErrorKind;
use super::target::Target;

/// A request could not be completed; the kind says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }
}

/// A request on the wire.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// What came back.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) status: u16,
    pub(crate) headers: Headers,
    pub(crate) body: Vec<u8>,
}

impl Received {
    /// The answer's `Content-Type`, parsed.
    pub(crate) fn content_type(&self) -> Option<ContentType> {
        self.headers
            .first("Content-Type")
            .and_then(ContentType::parse)
    }

    /// The answer as a response to match.
    pub(crate) fn into_response(self) -> HttpResponse {
        let content_type = self.content_type();
        HttpResponse {
            status: self.status,
            body: Body::received(self.body, content_type),
            headers: self.headers,
            ..HttpResponse::default()
        }
    }

    /// The start of the body as text, for error messages.
    pub(crate) fn body_excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut excerpt: String = text.chars().take(200).collect();
        if text.chars().count() > 200 {
            excerpt.push_str("...");
        }
        excerpt
    }
}

/// A pooled client with a per-request timeout that follows no redirects
/// (a redirect is an answer to verify, not to follow). Plain-HTTP requests
/// go straight through hyper unless a proxy is configured.
#[derive(Debug, Clone)]
pub(crate) struct HttpClient {
    inner: reqwest::Client,
    plain: Option<PlainClient>,
}

impl HttpClient {
    /// A client that trusts `roots` besides the built-in web roots, and any
    /// certificate at all when `accept_invalid_certs`.
    pub(crate) fn new(
        timeout: Duration,
        roots: Vec<reqwest::Certificate>,
        accept_invalid_certs: bool,
    ) -> Result<HttpClient, reqwest::Error> {
        let inner = crate::tls::builder(roots)
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .danger_accept_invalid_certs(accept_invalid_certs)
            .build()?;
        Ok(HttpClient {
            inner,
            plain: PlainClient::unless_proxied(timeout),
        })
    }

    /// Sends a request and reads the whole answer.
    pub(crate) async fn send(&self, out: Outgoing) -> Result<Received, Failure> {
        if let Some(plain) = &self.plain {
            if let Some(target) = Target::canonical(&out.url) {
                return plain.send(out, target).await;
            }
        }
        let url = reqwest::Url::parse(&out.url).map_err(|e| {
            Failure::new(
                ErrorKind::InvalidRequest,
                format!("`{}` is not a valid URL: {e}", out.url),
            )
        })?;
        match &self.plain {
            Some(plain) if url.scheme() == "http" => plain.send(out, Target::of(&url)).await,
            _ => self.send_reqwest(out, url).await,
        }
    }

    /// [`HttpClient::send`] through reqwest.
    async fn send_reqwest(&self, out: Outgoing, url: reqwest::Url) -> Result<Received, Failure> {
        let method = reqwest::Method::from_bytes(out.method.to_ascii_uppercase().as_bytes())
            .map_err(|_| {
                Failure::new(
                    ErrorKind::InvalidRequest,
                    format!("`{}` is not an HTTP method", out.method),
                )
            })?;
        let mut request = self.inner.request(method, url);
        for (name, value) in &out.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if !out.body.is_empty() {
            request = request.body(out.body);
        }
        let response = request.send().await.map_err(|e| failure(&out.url, &e))?;
        let status = response.status().as_u16();
        let mut headers = Headers::new();
        for (name, value) in response.headers() {
            headers.append(name.as_str(), String::from_utf8_lossy(value.as_bytes()));
        }
        let body = response.bytes().await.map_err(|e| failure(&out.url, &e))?;
        Ok(Received {
            status,
            headers,
            body: body.into(),
        })
    }
}

/// The request of an interaction as sent to a provider at `base`, with the
/// extra headers replacing the contract's.
pub(crate) fn provider_request(
    base: &str,
    request: &HttpRequest,
    extra: &[(String, String)],
) -> Outgoing {
    let mut url = join(base, &request.path);
    let query = match &request.query.raw {
        Some(raw) if !raw.is_empty() => raw.clone(),
        _ => request.query.to_query_string(),
    };
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    let mut headers = request.headers.clone();
    if let Some(ct) = request.body.content_type() {
        if headers.get("Content-Type").is_none() {
            headers.append("Content-Type", ct.to_string());
        }
    }
    for (name, value) in extra {
        headers.insert(name.as_str(), vec![value.clone()]);
    }
    Outgoing {
        method: request.method.clone(),
        url,
        headers: headers
            .iter()
            .flat_map(|(n, vs)| vs.iter().map(move |v| (n.to_owned(), v.clone())))
            .collect(),
        body: request.body.to_bytes().into_owned(),
    }
}

/// `base` (which may carry a base path) joined with a request path.
pub(crate) fn join(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// Classifies a transport error: no connection, no answer in time, or the
/// connection dropped.
fn failure(url: &str, error: &reqwest::Error) -> Failure {
    let chain: Vec<String> = causes(error).map(ToString::to_string).collect();
    let mut reset = causes(error).any(dropped);
    let detail = chain.join(": ");
    let lower = detail.to_ascii_lowercase();
    reset |= lower.contains("connection closed") || lower.contains("reset by peer");
    let (kind, what) = if error.is_timeout() {
        (ErrorKind::Timeout, "did not answer in time")
    } else if reset {
        (
            ErrorKind::ConnectionReset,
            "closed the connection without an answer",
        )
    } else if error.is_connect() {
        (ErrorKind::ProviderUnreachable, "could not be reached")
    } else if error.is_builder() || error.is_request() && !error.is_body() {
        (ErrorKind::InvalidRequest, "could not be sent")
    } else {
        (ErrorKind::Transport, "failed")
    };
    let mut message = if detail.is_empty() {
        format!("{url} {what}")
    } else {
        format!("{url} {what} ({detail})")
    };
    if crate::tls::untrusted_certificate(error) {
        message.push_str(&format!(
            "; {}, or pass it with --ca-cert FILE (in a test environment only, \
             --disable-ssl-verification accepts any certificate)",
            crate::tls::TRUST_HINT
        ));
    }
    Failure::new(kind, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Query;

    #[test]
    fn base_paths_join() {
        assert_eq!(join("http://h/api/", "/users"), "http://h/api/users");
        assert_eq!(join("http://h", "users"), "http://h/users");
    }

    #[test]
    fn extra_headers_replace_and_body_type_is_sent() {
        let mut request = HttpRequest {
            method: "POST".into(),
            path: "/x".into(),
            body: Body::json(serde_json::json!({"a": 1})),
            query: Query::parse("a=1&b=two%20words"),
            ..HttpRequest::default()
        };
        request.headers.append("Authorization", "old");
        let extra = [("authorization".to_owned(), "Bearer new".to_owned())];
        let out = provider_request("http://h/base", &request, &extra);
        assert_eq!(out.url, "http://h/base/x?a=1&b=two%20words");
        assert!(out
            .headers
            .contains(&("Authorization".into(), "Bearer new".into())));
        assert!(out
            .headers
            .contains(&("Content-Type".into(), "application/json".into())));
        assert_eq!(out.body, br#"{"a":1}"#);
    }
}
