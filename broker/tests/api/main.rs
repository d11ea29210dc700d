//! Tests of the broker's HTTP API over real sockets: each `Broker` serves
//! `app(state)` (in-memory SQLite unless a test brings its own store) on
//! 127.0.0.1 at a random port, and the tests talk to it with reqwest,
//! sending `Host: broker.test` so the links they assert are stable.

mod auth;
mod deploy;
mod harness;
mod matrix;
mod pacts;
mod publish;
mod resources;
mod retention;
mod verify;
mod webhooks;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};

pub(crate) use harness::{pact, Broker, Reply};

#[tokio::test]
async fn index_lists_the_relations_clients_follow() {
    let broker = Broker::new();
    let reply = broker.get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type.contains("json"));
    let links = &reply.body["_links"];
    assert_eq!(
        links["pb:publish-contracts"]["href"],
        "http://broker.test/contracts/publish"
    );
    assert_eq!(links["pb:publish-pact"]["href"], "http://broker.test/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}");
    assert_eq!(links["pb:publish-pact"]["templated"], true);
    for rel in [
        "pb:provider-pacts-for-verification",
        "pb:latest-provider-pacts",
        "pb:pacticipant",
        "pb:pacticipant-version",
        "pb:pacticipant-version-tag",
        "pb:pacticipant-branch-version",
        "pb:latest-version",
        "pb:environments",
        "pb:environment",
        "pb:latest-pact-versions",
        "pb:can-i-deploy-pacticipant-version-to-environment",
    ] {
        assert!(links[rel]["href"].is_string(), "missing {rel}");
    }
}

#[tokio::test]
async fn links_follow_the_public_url_or_forwarded_headers() {
    let broker = Broker::with_state(|s| {
        s.with_public_url(Some("https://ci.example.com/pact-broker/".into()))
    });
    let reply = broker.get("/").await;
    assert_eq!(
        reply.body["_links"]["pb:environments"]["href"],
        "https://ci.example.com/pact-broker/environments"
    );
    let broker = Broker::new();
    let request = Request::get("/")
        .header("host", "internal:9292")
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "broker.example.com")
        .body(Body::empty())
        .unwrap();
    let reply = broker.raw(request).await;
    assert_eq!(
        reply.body["_links"]["pb:environments"]["href"],
        "https://broker.example.com/environments"
    );
}

#[tokio::test]
async fn health_checks_the_database() {
    let reply = Broker::new().get("/health").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["database"], "ok");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let broker = Broker::new();
    let reply = broker.get("/nope").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.body["message"],
        "the resource GET /nope was not found"
    );
    let reply = broker.call(Method::DELETE, "/matrix", None).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(reply.body["message"].is_string());
}
