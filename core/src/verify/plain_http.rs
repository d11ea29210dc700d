//! Plain-HTTP requests straight through hyper: the verifier's common path.
//!
//! A verification sends thousands of small requests to one provider (and
//! its state-change endpoint), and reqwest's layers (a pool keyed by
//! scheme and host, proxy and redirect handling, boxed bodies) cost as
//! much CPU per request as matching a small body. This client keeps idle
//! connections per host and port and writes each request on one of them.
//! HTTPS and proxied requests go through reqwest.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{HeaderName, HeaderValue, ACCEPT, HOST};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;

use super::causes::{causes, dropped, with_causes};
use super::http_client::{Failure, Outgoing, Received};
use super::report::ErrorKind;
use super::target::Target;
use crate::model::Headers;

type Sender = SendRequest<Full<Bytes>>;

/// Idle connections by `host:port`, and the time a request may take.
#[derive(Debug, Clone)]
pub(crate) struct PlainClient {
    idle: Arc<Mutex<HashMap<String, Vec<Sender>>>>,
    timeout: Duration,
}

impl PlainClient {
    /// A client for plain-HTTP URLs, or `None` when the environment names a
    /// proxy for them (`HTTP_PROXY`, `ALL_PROXY`): reqwest honours those.
    pub(crate) fn unless_proxied(timeout: Duration) -> Option<PlainClient> {
        let proxied = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
        (!proxied).then(|| PlainClient {
            idle: Arc::default(),
            timeout,
        })
    }

    /// Sends a request to `target` (`out.url`'s) and reads the whole
    /// answer.
    pub(crate) async fn send(&self, out: Outgoing, target: Target) -> Result<Received, Failure> {
        let request = request(out.method, &target, &out.headers, out.body).map_err(|what| {
            Failure::new(
                ErrorKind::InvalidRequest,
                format!("{} could not be sent ({what})", out.url),
            )
        })?;
        let exchange = self.exchange(&target.origin, request);
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(result) => result.map_err(|e| failure(&out.url, &e)),
            Err(_) => Err(Failure::new(
                ErrorKind::Timeout,
                format!("{} did not answer in time", out.url),
            )),
        }
    }

    /// Writes the request on an idle connection, or a new one when none
    /// is left, and reads the answer; the connection is kept for the next.
    ///
    /// A server may close an idle connection as the request is written on
    /// it. A request whose reused connection closes before an answer is
    /// sent again, once, on a new one, as curl does (reqwest reports an
    /// error).
    async fn exchange(
        &self,
        origin: &str,
        request: Request<Full<Bytes>>,
    ) -> Result<Received, Error> {
        if let Some(sender) = self.idle_sender(origin).await {
            match self.round_trip(origin, sender, copy(&request)).await {
                Err(Error::Unanswered(e)) if closed(&e) => {}
                answered => return answered,
            }
        }
        let sender = connect(origin).await?;
        self.round_trip(origin, sender, request).await
    }

    /// One request on one connection, kept afterwards if still open.
    async fn round_trip(
        &self,
        origin: &str,
        mut sender: Sender,
        request: Request<Full<Bytes>>,
    ) -> Result<Received, Error> {
        let mut response = sender
            .send_request(request)
            .await
            .map_err(Error::Unanswered)?;
        let status = response.status().as_u16();
        let mut headers = Headers::new();
        for (name, value) in response.headers() {
            headers.append(name.as_str(), String::from_utf8_lossy(value.as_bytes()));
        }
        let body = response.body_mut().collect().await.map_err(Error::Http)?;
        if !sender.is_closed() {
            if let Ok(mut idle) = self.idle.lock() {
                idle.entry(origin.to_owned()).or_default().push(sender);
            }
        }
        Ok(Received {
            status,
            headers,
            body: body.to_bytes().into(),
        })
    }

    /// An idle connection to `origin` ready for a request.
    async fn idle_sender(&self, origin: &str) -> Option<Sender> {
        loop {
            let mut sender = self.idle.lock().ok()?.get_mut(origin)?.pop()?;
            if !sender.is_closed() && sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }
}

/// The request in origin form, with a `Host` header unless the headers
/// carry one, and `Accept: */*` likewise (as reqwest sends); what is wrong
/// with it otherwise.
fn request(
    method: String,
    target: &Target,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Result<Request<Full<Bytes>>, String> {
    let mut request = Request::new(Full::new(Bytes::from(body)));
    *request.method_mut() = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .map_err(|_| format!("`{method}` is not an HTTP method"))?;
    *request.uri_mut() = target
        .path
        .parse()
        .map_err(|e| format!("invalid path `{}`: {e}", target.path))?;
    let map = request.headers_mut();
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("invalid header name `{name}`"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| format!("invalid value `{value}` of header `{name}`"))?;
        map.append(name, value);
    }
    if !map.contains_key(HOST) {
        let host = &target.host;
        let value = HeaderValue::from_str(host).map_err(|_| format!("invalid host `{host}`"))?;
        map.insert(HOST, value);
    }
    if !map.contains_key(ACCEPT) {
        map.insert(ACCEPT, HeaderValue::from_static("*/*"));
    }
    Ok(request)
}

/// A copy of a request (its body is shared).
fn copy(request: &Request<Full<Bytes>>) -> Request<Full<Bytes>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// A new connection to `origin`, its task spawned.
async fn connect(origin: &str) -> Result<Sender, Error> {
    let stream = tokio::net::TcpStream::connect(origin)
        .await
        .map_err(Error::Connect)?;
    stream.set_nodelay(true).map_err(Error::Connect)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(Error::Http)?;
    tokio::spawn(async move {
        // Its errors reach the request that meets them.
        let _ = connection.await;
    });
    Ok(sender)
}

/// Why an exchange failed.
#[derive(Debug)]
enum Error {
    /// No connection could be made.
    Connect(std::io::Error),
    /// The connection failed before the answer's head, or the head was not
    /// HTTP.
    Unanswered(hyper::Error),
    /// The connection failed while the answer's body was read.
    Http(hyper::Error),
}

/// True when the connection closed (or was reset) under the request.
fn closed(error: &hyper::Error) -> bool {
    error.is_incomplete_message()
        || error.is_closed()
        || error.is_canceled()
        || causes(error).any(dropped)
}

/// Classifies a transport error as [`super::http_client`] does reqwest's.
fn failure(url: &str, error: &Error) -> Failure {
    let (kind, what, detail) = match error {
        Error::Connect(e) => (
            ErrorKind::ProviderUnreachable,
            "could not be reached",
            format!("tcp connect error: {e}"),
        ),
        Error::Unanswered(e) | Error::Http(e) => {
            let detail = with_causes(e);
            if closed(e) {
                (
                    ErrorKind::ConnectionReset,
                    "closed the connection without an answer",
                    detail,
                )
            } else {
                (ErrorKind::Transport, "failed", detail)
            }
        }
    };
    Failure::new(kind, format!("{url} {what} ({detail})"))
}
