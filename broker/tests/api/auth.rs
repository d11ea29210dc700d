//! The auth matrix: every role on every write endpoint, reads, and the
//! shape of 401/403 answers.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use base64::Engine;
use serde_json::{json, Value};
use treaty_broker::{Auth, Role};

use crate::{pact, Broker, Reply};

const WRITE: &str = "Bearer write-token";
const READ: &str = "Bearer read-token";

fn basic(user: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

fn secured() -> Broker {
    Broker::with_state(|s| {
        s.with_auth(
            Auth::off()
                .with_token("write-token", Role::ReadWrite)
                .with_token("read-token", Role::ReadOnly)
                .with_basic("ci", "s3cret", Role::ReadWrite)
                .with_basic("viewer", "look", Role::ReadOnly),
        )
    })
}

async fn send(
    broker: &Broker,
    auth: Option<&str>,
    method: Method,
    uri: &str,
    body: &Value,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "broker.test")
        .header("content-type", "application/json");
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    broker
        .raw(request.body(Body::from(body.to_string())).unwrap())
        .await
}

fn publication(version: &str) -> Value {
    let pact = pact("Foo", "Bar", "a");
    json!({
        "pacticipantName": "Foo",
        "pacticipantVersionNumber": version,
        "contracts": [{
            "consumerName": "Foo", "providerName": "Bar", "specification": "pact",
            "contentType": "application/json",
            "content": base64::engine::general_purpose::STANDARD.encode(pact.to_string()),
        }],
    })
}

/// Sets up data as the write user; returns the write endpoints to try.
async fn write_endpoints(broker: &Broker) -> Vec<(Method, String, Value)> {
    let w = Some(WRITE);
    let reply = send(
        broker,
        w,
        Method::POST,
        "/contracts/publish",
        &publication("1"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let env = send(
        broker,
        w,
        Method::POST,
        "/environments",
        &json!({"name": "prod", "production": true}),
    )
    .await;
    let env = env.body["uuid"].as_str().unwrap().to_owned();
    let version = "/pacticipants/Foo/versions/1";
    let deployed = send(
        broker,
        w,
        Method::POST,
        &format!("{version}/deployed-versions/environment/{env}"),
        &json!({}),
    )
    .await;
    let deployed = deployed.body["uuid"].as_str().unwrap().to_owned();
    let doc = send(
        broker,
        w,
        Method::GET,
        "/pacts/provider/Bar/consumer/Foo/version/1",
        &json!({}),
    )
    .await;
    let results = doc.body["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .strip_prefix("http://broker.test")
        .unwrap()
        .to_owned();
    vec![
        (Method::POST, "/contracts/publish".into(), publication("2")),
        (
            Method::PUT,
            "/pacts/provider/Bar/consumer/Foo/version/3".into(),
            pact("Foo", "Bar", "a"),
        ),
        (
            Method::POST,
            results,
            json!({"providerApplicationVersion": "9", "success": true}),
        ),
        (Method::PUT, format!("{version}/tags/prod"), json!({})),
        (
            Method::PUT,
            "/pacticipants/Foo/branches/main/versions/1".into(),
            json!({}),
        ),
        (Method::POST, "/pacticipants".into(), json!({"name": "Baz"})),
        (
            Method::PATCH,
            "/pacticipants/Foo".into(),
            json!({"mainBranch": "main"}),
        ),
        (
            Method::POST,
            "/environments".into(),
            json!({"name": "test", "production": false}),
        ),
        (
            Method::PUT,
            format!("/environments/{env}"),
            json!({"name": "prod", "production": true}),
        ),
        (
            Method::POST,
            format!("{version}/deployed-versions/environment/{env}"),
            json!({}),
        ),
        (
            Method::POST,
            format!("{version}/released-versions/environment/{env}"),
            json!({}),
        ),
        (
            Method::PATCH,
            format!("/deployed-versions/{deployed}"),
            json!({"currentlyDeployed": false}),
        ),
        (
            Method::DELETE,
            "/pacticipants/Foo/branches/nope".into(),
            json!({}),
        ),
    ]
}

#[tokio::test]
async fn each_role_on_each_write_endpoint() {
    let broker = secured();
    let endpoints = write_endpoints(&broker).await;
    let read_basic = basic("viewer", "look");
    let write_basic = basic("ci", "s3cret");
    let wrong = basic("ci", "wrong");
    for (method, uri, body) in &endpoints {
        for (auth, expected) in [
            (None, Some(StatusCode::UNAUTHORIZED)),
            (Some("Bearer nope"), Some(StatusCode::UNAUTHORIZED)),
            (Some(wrong.as_str()), Some(StatusCode::UNAUTHORIZED)),
            (Some(READ), Some(StatusCode::FORBIDDEN)),
            (Some(read_basic.as_str()), Some(StatusCode::FORBIDDEN)),
        ] {
            let reply = send(&broker, auth, method.clone(), uri, body).await;
            assert_eq!(Some(reply.status), expected, "{method} {uri} with {auth:?}");
            assert!(reply.content_type.contains("json"), "{method} {uri}");
            assert!(reply.body["message"].is_string(), "{method} {uri}");
        }
        for auth in [WRITE, write_basic.as_str()] {
            let reply = send(&broker, Some(auth), method.clone(), uri, body).await;
            assert!(
                reply.status != StatusCode::UNAUTHORIZED && reply.status != StatusCode::FORBIDDEN,
                "{method} {uri} with {auth}: {} {}",
                reply.status,
                reply.body
            );
            assert!(
                reply.status.as_u16() < 500,
                "{method} {uri}: {}",
                reply.body
            );
        }
    }
}

#[tokio::test]
async fn reads_need_any_valid_credential() {
    let broker = secured();
    write_endpoints(&broker).await;
    let read_basic = basic("viewer", "look");
    for uri in [
        "/",
        "/pacticipants",
        "/matrix?q[][pacticipant]=Foo",
        "/pacts/provider/Bar/latest",
    ] {
        let reply = send(&broker, None, Method::GET, uri, &json!({})).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{uri}");
        for auth in [READ, WRITE, read_basic.as_str()] {
            let reply = send(&broker, Some(auth), Method::GET, uri, &json!({})).await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{uri} with {auth}: {}",
                reply.body
            );
        }
    }
    // Verifiers only read, though they POST for pacts to verify.
    let reply = send(
        &broker,
        Some(READ),
        Method::POST,
        "/pacts/provider/Bar/for-verification",
        &json!({}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Load balancers probe /health without credentials.
    let reply = send(&broker, None, Method::GET, "/health", &json!({})).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn unauthorised_answers_challenge_and_explain() {
    let broker = secured();
    let request = Request::get("/")
        .header("host", "broker.test")
        .body(Body::empty())
        .unwrap();
    let reply = broker.raw(request).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let challenge = reply.headers["www-authenticate"].to_str().unwrap();
    assert!(
        challenge.contains("Basic") && challenge.contains("Bearer"),
        "{challenge}"
    );
    let reply = send(
        &broker,
        Some(READ),
        Method::POST,
        "/environments",
        &json!({"name": "x", "production": false}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body["message"]
        .as_str()
        .unwrap()
        .contains("read-only"));
}

#[tokio::test]
async fn off_by_default() {
    let broker = Broker::new();
    let reply = broker.post("/contracts/publish", publication("1")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}
