//! Publishing, auth, retries, sub-paths and odd answers.

use std::time::Duration;

use serde_json::json;
use treaty_core::broker_client::{
    Auth, BrokerClient, BrokerConfig, BrokerError, PublishRequest, PublishedContract,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{body, broker, client, index, requests};

fn publication() -> PublishRequest {
    PublishRequest {
        pacticipant: "web".into(),
        version: "1.0.0".into(),
        branch: Some("main".into()),
        tags: vec!["dev".into()],
        build_url: Some("http://ci/1".into()),
        contracts: vec![PublishedContract {
            consumer: "web".into(),
            provider: "orders".into(),
            content: json!({"consumer": {"name": "web"}, "provider": {"name": "orders"}}),
        }],
    }
}

#[tokio::test]
async fn publish_posts_the_contracts_with_auth_and_returns_the_notices() {
    let server = broker().await;
    Mock::given(method("POST"))
        .and(path("/contracts/publish"))
        .and(header("content-type", "application/json"))
        .and(header("authorization", "Bearer s3cret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "notices": [{"type": "success", "text": "Pact published"}], "logs": []
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut config = BrokerConfig::new(server.uri());
    config.auth = Some(Auth::Bearer("s3cret".into()));
    let notices = BrokerClient::new(config)
        .unwrap()
        .publish(&publication())
        .await
        .unwrap();
    assert_eq!(notices[0].kind, "success");
    assert_eq!(notices[0].text, "Pact published");

    let received = server.received_requests().await.unwrap();
    let sent = body(&received[1]);
    assert_eq!(sent["pacticipantName"], "web");
    assert_eq!(sent["pacticipantVersionNumber"], "1.0.0");
    assert_eq!(sent["branch"], "main");
    assert_eq!(sent["tags"], json!(["dev"]));
    assert_eq!(sent["buildUrl"], "http://ci/1");
    assert_eq!(sent["contracts"][0]["specification"], "pact");
    assert_eq!(sent["contracts"][0]["providerName"], "orders");
    let accept = received[0].headers.get("accept").unwrap().to_str().unwrap();
    assert!(accept.contains("application/hal+json"));
}

#[tokio::test]
async fn a_conflict_carries_the_brokers_error_notices() {
    let server = broker().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "notices": [{"type": "info", "text": "ignored"}, {"type": "error", "text": "Cannot change the content of the pact"}]
        })))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .publish(&publication())
        .await
        .unwrap_err();
    assert!(
        matches!(error, BrokerError::Status { status: 409, .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.starts_with("POST http://127.0.0.1:"), "{text}");
    assert!(
        text.contains("HTTP 409: Cannot change the content of the pact"),
        "{text}"
    );
    assert!(text.contains("new consumer version"), "{text}");
}

#[tokio::test]
async fn basic_auth_is_sent_when_configured() {
    let server = broker().await;
    let mut config = BrokerConfig::new(server.uri());
    config.auth = Some(Auth::Basic {
        username: "u".into(),
        password: Some("p".into()),
    });
    BrokerClient::new(config).unwrap().index().await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].headers.get("authorization").unwrap(),
        "Basic dTpw"
    );
}

#[tokio::test]
async fn server_errors_are_retried_until_the_broker_answers() {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let answer = client(&server.uri()).get("/x").await.unwrap();
    assert_eq!(answer["ok"], true);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    client(&server.uri()).get("/x").await.unwrap();
    // Capped at the policy's maximum (50 ms), not an hour.
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retries_give_up_with_the_last_status_and_client_errors_are_not_retried() {
    let server = wiremock::MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .mount(&server)
        .await;
    Mock::given(path("/bad"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"errors": {"name": ["is required"]}})),
        )
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let error = c.get("/busy").await.unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert!(error.to_string().contains("bad gateway"), "{error}");
    assert_eq!(requests(&server).await.len(), 3, "one try and two retries");

    let error = c.get("/bad").await.unwrap_err();
    assert!(
        error.to_string().ends_with("HTTP 400: name is required"),
        "{error}"
    );
    assert_eq!(requests(&server).await.len(), 4, "no retry on 400");
}

#[tokio::test]
async fn a_base_url_with_a_sub_path_is_kept_for_every_link() {
    let server = wiremock::MockServer::start().await;
    // The broker behind a proxy announces links under another host.
    Mock::given(method("GET"))
        .and(path("/pact-broker/"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(index("http://internal:9292/pact-broker")),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pact-broker/contracts/publish"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"notices": []})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&format!("{}/pact-broker/", server.uri()));
    c.publish(&publication()).await.unwrap();
}

#[tokio::test]
async fn odd_answers_are_errors_that_say_what_came_back() {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>login</html>"))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .publish(&publication())
        .await
        .unwrap_err();
    assert!(matches!(error, BrokerError::BadAnswer { .. }), "{error:?}");
    assert!(error.to_string().contains("<html>login</html>"), "{error}");

    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"_links": {}})))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .publish(&publication())
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("no `pb:publish-contracts` link"),
        "{error}"
    );
}

#[tokio::test]
async fn a_broker_that_is_not_there_is_a_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = client(&url).index().await.unwrap_err();
    assert!(matches!(error, BrokerError::Connection { .. }), "{error:?}");
    assert!(error.to_string().contains("check --broker-url"), "{error}");
}
