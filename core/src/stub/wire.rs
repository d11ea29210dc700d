//! A received HTTP request as the matching engine sees it.

use axum::http::request::Parts;

use crate::model::{Body, ContentType, Headers, HttpRequest, Query};

/// The request as a contract request: method, decoded path, query,
/// headers and body read by its content type.
pub(crate) fn to_request(parts: &Parts, body: Vec<u8>) -> HttpRequest {
    let mut headers = Headers::new();
    for (name, value) in &parts.headers {
        headers.append(
            name.as_str(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        );
    }
    let content_type = headers.first("content-type").and_then(ContentType::parse);
    HttpRequest {
        method: parts.method.as_str().to_owned(),
        path: decode_path(parts.uri.path()),
        query: parts.uri.query().map(Query::parse).unwrap_or_default(),
        headers,
        body: Body::from_bytes(body, content_type),
        ..HttpRequest::default()
    }
}

/// Decodes `%XX` escapes in a path (not `+`, which is literal there).
pub(crate) fn decode_path(path: &str) -> String {
    if !path.contains('%') {
        return path.to_owned();
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push(hex(h).unwrap_or(0) << 4 | hex(l).unwrap_or(0));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_decoded_but_plus_is_kept() {
        assert_eq!(decode_path("/a%20b/c+d"), "/a b/c+d");
        assert_eq!(decode_path("/100%"), "/100%");
        assert_eq!(decode_path("/%zz"), "/%zz");
    }

    #[test]
    fn requests_read_query_headers_and_body() {
        let (parts, _) = axum::http::Request::builder()
            .method("POST")
            .uri("/items?a=1&b=x%20y")
            .header("Content-Type", "application/json")
            .body(())
            .unwrap()
            .into_parts();
        let request = to_request(&parts, br#"{"a":1}"#.to_vec());
        assert_eq!(request.method, "POST");
        assert_eq!(request.query.get("b").unwrap(), ["x y"]);
        assert_eq!(
            request.headers.first("content-type"),
            Some("application/json")
        );
        assert!(matches!(
            request.body.content(),
            Some(crate::model::BodyContent::Json(_))
        ));
    }
}
