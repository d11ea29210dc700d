//! The broker client against wiremock fakes: each operation's requests
//! (method, path, headers, body) and its handling of errors, retries and
//! odd answers.

mod deploy;
mod publish;

use std::time::Duration;

use serde_json::{json, Value};
use treaty_core::broker_client::{BrokerClient, BrokerConfig, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A Pact Broker index whose hrefs are absolute URLs under `base`.
pub(crate) fn index(base: &str) -> Value {
    let l = |p: &str| json!({"href": format!("{base}{p}")});
    let t = |p: &str| json!({"href": format!("{base}{p}"), "templated": true});
    json!({"_links": {
        "self": l("/"),
        "pb:publish-contracts": l("/contracts/publish"),
        "pb:provider-pacts-for-verification": t("/pacts/provider/{provider}/for-verification"),
        "pb:pacticipant-version": t("/pacticipants/{pacticipant}/versions/{version}"),
        "pb:pacticipant-version-tag": t("/pacticipants/{pacticipant}/versions/{version}/tags/{tag}"),
        "pb:pacticipant-branch-version": t("/pacticipants/{pacticipant}/branches/{branch}/versions/{version}"),
        "pb:latest-version": t("/pacticipants/{pacticipant}/latest-version"),
        "pb:environments": l("/environments"),
        "pb:webhooks": l("/webhooks"),
    }})
}

/// A fake broker serving its index at `/`.
pub(crate) async fn broker() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(index(&server.uri())))
        .mount(&server)
        .await;
    server
}

/// A client with fast retries.
pub(crate) fn client(base: &str) -> BrokerClient {
    let mut config = BrokerConfig::new(base);
    config.retry = RetryPolicy {
        retries: 2,
        base: Duration::from_millis(10),
        max: Duration::from_millis(50),
    };
    BrokerClient::new(config).unwrap()
}

/// The JSON body of a received request.
pub(crate) fn body(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

/// The requests the fake received, as `METHOD /path?query` lines.
pub(crate) async fn requests(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| match r.url.query() {
            Some(q) => format!("{} {}?{q}", r.method, r.url.path()),
            None => format!("{} {}", r.method, r.url.path()),
        })
        .collect()
}
