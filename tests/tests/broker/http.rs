//! A minimal blocking HTTP/1.1 client for JSON (no dependency needed).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

/// Sends a request; returns the status and the JSON body (Null if empty),
/// or the I/O error (a killed broker).
pub(crate) fn call(method: &str, url: &str, body: Option<&Value>) -> std::io::Result<(u16, Value)> {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/hal+json, application/json\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let value = if body.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).unwrap_or(Value::String(body.to_owned()))
    };
    Ok((status, value))
}

/// Publishes a pact for a consumer version through `/contracts/publish`.
pub(crate) fn publish(base: &str, pact: &Value, version: &str) -> std::io::Result<(u16, Value)> {
    use base64::Engine;
    let body = serde_json::json!({
        "pacticipantName": pact["consumer"]["name"],
        "pacticipantVersionNumber": version,
        "contracts": [{
            "consumerName": pact["consumer"]["name"],
            "providerName": pact["provider"]["name"],
            "specification": "pact",
            "contentType": "application/json",
            "content": base64::engine::general_purpose::STANDARD.encode(pact.to_string()),
        }],
    });
    call("POST", &format!("{base}/contracts/publish"), Some(&body))
}
