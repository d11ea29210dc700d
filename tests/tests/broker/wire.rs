//! A raw HTTP/1.1 client for the audit tests: any method, any request
//! target (invalid UTF-8 and unencoded bytes included), any headers and
//! body, so tests can send what a hostile or clumsy client would. Answers
//! are read to the end (`Connection: close`), de-chunked when needed, and
//! parsed as JSON when they are JSON.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

/// One answer from the broker.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    /// Header names lowercased.
    pub(crate) headers: Vec<(String, String)>,
    /// The body as text (lossy).
    pub(crate) text: String,
    /// The body as JSON; `Null` when empty or not JSON.
    pub(crate) json: Value,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the answer is a JSON error body with a non-empty message.
    pub(crate) fn is_json_error(&self) -> bool {
        self.header("content-type")
            .is_some_and(|t| t.contains("json"))
            && self.json["message"]
                .as_str()
                .is_some_and(|m| !m.trim().is_empty())
    }
}

/// A request under construction.
pub(crate) struct Call {
    method: String,
    target: Vec<u8>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Call {
    pub(crate) fn new(method: &str, target: impl AsRef<[u8]>) -> Call {
        Call {
            method: method.to_owned(),
            target: target.as_ref().to_vec(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub(crate) fn get(target: impl AsRef<[u8]>) -> Call {
        Call::new("GET", target)
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Call {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `Authorization: VALUE` when given.
    pub(crate) fn auth(self, value: Option<&str>) -> Call {
        match value {
            Some(v) => self.header("Authorization", v),
            None => self,
        }
    }

    pub(crate) fn json(mut self, body: &Value) -> Call {
        self.body = body.to_string().into_bytes();
        self.header("Content-Type", "application/json")
    }

    pub(crate) fn raw_body(mut self, body: impl Into<Vec<u8>>) -> Call {
        self.body = body.into();
        self.header("Content-Type", "application/json")
    }

    /// Sends the request to `base` (`http://127.0.0.1:PORT`).
    pub(crate) fn send(&self, base: &str) -> std::io::Result<Answer> {
        let host = base.strip_prefix("http://").expect("http URL");
        let mut stream = TcpStream::connect(host)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let mut head = Vec::new();
        head.extend_from_slice(self.method.as_bytes());
        head.push(b' ');
        head.extend_from_slice(&self.target);
        head.extend_from_slice(b" HTTP/1.1\r\n");
        let mut lines = vec![
            format!("Host: {host}"),
            "Accept: application/hal+json, application/json".to_owned(),
            "Connection: close".to_owned(),
        ];
        let chunked = self
            .headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v == "chunked");
        if !chunked {
            lines.push(format!("Content-Length: {}", self.body.len()));
        }
        lines.extend(self.headers.iter().map(|(n, v)| format!("{n}: {v}")));
        for line in lines {
            head.extend_from_slice(line.as_bytes());
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(b"\r\n");
        stream.write_all(&head)?;
        // The broker may answer (413) before reading the whole body and
        // close: a failed write is fine as long as an answer comes back.
        let _ = if chunked {
            write_chunked(&mut stream, &self.body)
        } else {
            stream.write_all(&self.body)
        };
        let mut raw = Vec::new();
        if let Err(e) = stream.read_to_end(&mut raw) {
            if raw.is_empty() {
                return Err(e);
            }
        }
        parse(&raw)
    }

    /// [`Call::send`], panicking on I/O errors (a crashed connection is a
    /// test failure, never an expected outcome here).
    pub(crate) fn expect(&self, base: &str) -> Answer {
        self.send(base).unwrap_or_else(|e| {
            panic!(
                "{} {} got no answer: {e}",
                self.method,
                String::from_utf8_lossy(&self.target)
            )
        })
    }
}

fn write_chunked(stream: &mut TcpStream, body: &[u8]) -> std::io::Result<()> {
    for chunk in body.chunks(1024) {
        stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())?;
        stream.write_all(chunk)?;
        stream.write_all(b"\r\n")?;
    }
    stream.write_all(b"0\r\n\r\n")
}

fn parse(raw: &[u8]) -> std::io::Result<Answer> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Answer {
        status,
        headers,
        text,
        json,
    })
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..line_end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        let stop = (start + size).min(rest.len());
        out.extend_from_slice(&rest[start..stop]);
        rest = rest.get(stop + 2..).unwrap_or_default();
    }
    out
}

/// `Authorization: Basic ...` for a user and password.
pub(crate) fn basic(user: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

/// A `/contracts/publish` body for one pact, with an optional branch and
/// tags.
pub(crate) fn publication(
    pact: &Value,
    version: &str,
    branch: Option<&str>,
    tags: &[&str],
) -> Value {
    let mut body = json!({
        "pacticipantName": pact["consumer"]["name"],
        "pacticipantVersionNumber": version,
        "tags": tags,
        "contracts": [{
            "consumerName": pact["consumer"]["name"],
            "providerName": pact["provider"]["name"],
            "specification": "pact",
            "contentType": "application/json",
            "content": base64::engine::general_purpose::STANDARD.encode(pact.to_string()),
        }],
    });
    if let Some(branch) = branch {
        body["branch"] = json!(branch);
    }
    body
}

/// The path and query of an absolute link (the broker builds links from
/// the `Host` header).
pub(crate) fn path_of(href: &Value) -> String {
    let href = href
        .as_str()
        .unwrap_or_else(|| panic!("not a link: {href}"));
    let rest = href.split_once("://").map_or(href, |(_, r)| r);
    rest.find('/')
        .map_or_else(|| "/".to_owned(), |i| rest[i..].to_owned())
}

/// Percent-encodes one path segment or query value (everything but
/// RFC 3986 unreserved characters).
pub(crate) fn enc(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Asserts the broker still answers `/health` with 200.
pub(crate) fn assert_healthy(base: &str, after: &str) {
    let answer = Call::get("/health")
        .send(base)
        .unwrap_or_else(|e| panic!("the broker stopped answering after {after}: {e}"));
    assert_eq!(answer.status, 200, "/health after {after}: {}", answer.text);
}
