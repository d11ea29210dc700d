//! The proxy's HTTP side: forward a request upstream, record the exchange,
//! answer with the upstream's response.

use axum::body::{to_bytes, Body as AxumBody};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use super::{Recorded, Recorder};
use crate::model::{Body, ContentType, Headers, HttpResponse};
use crate::stub::wire::to_request;

/// The largest body the proxy reads (16 MiB).
const BODY_LIMIT: usize = 16 << 20;
/// Hop-by-hop headers, not forwarded either way.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "host",
    "content-length",
];

pub(super) fn router(recorder: Recorder) -> Router {
    Router::new()
        .route("/__treaty/write", post(write))
        .fallback(forward)
        .with_state(recorder)
}

async fn write(State(recorder): State<Recorder>) -> Response {
    let result = tokio::task::spawn_blocking(move || recorder.write()).await;
    match result {
        Ok(Ok(path)) => Json(json!({"ok": true, "path": path})).into_response(),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

async fn forward(State(recorder): State<Recorder>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) => return error(StatusCode::PAYLOAD_TOO_LARGE, format!("treaty record: {e}")),
    };
    let target = format!(
        "{}{}",
        recorder.config.upstream.trim_end_matches('/'),
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut upstream = recorder.http.request(parts.method.clone(), &target);
    for (name, value) in &parts.headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            upstream = upstream.header(name, value);
        }
    }
    let answer = match upstream.body(bytes.clone()).send().await {
        Ok(answer) => answer,
        Err(e) => {
            let message = format!("treaty record: the upstream {target} failed: {e}");
            return error(StatusCode::BAD_GATEWAY, message);
        }
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let body = match answer.bytes().await {
        Ok(body) => body,
        Err(e) => return error(StatusCode::BAD_GATEWAY, format!("treaty record: {e}")),
    };
    recorder.record(Recorded {
        request: to_request(&parts, bytes.to_vec()),
        response: to_response(status.as_u16(), &headers, &body),
    });
    let mut response = Response::new(AxumBody::from(body));
    *response.status_mut() = status;
    for (name, value) in &headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
    response
}

fn to_response(
    status: u16,
    headers: &axum::http::HeaderMap<HeaderValue>,
    body: &[u8],
) -> HttpResponse {
    let mut out = Headers::new();
    for (name, value) in headers {
        let name: &HeaderName = name;
        out.append(
            name.as_str(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        );
    }
    let content_type = out.first("content-type").and_then(ContentType::parse);
    HttpResponse {
        status,
        headers: out,
        body: Body::from_bytes(body.to_vec(), content_type),
        ..HttpResponse::default()
    }
}
