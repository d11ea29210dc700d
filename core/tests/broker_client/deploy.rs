//! Environments, deployments, versions, webhooks, can-i-deploy and pacts
//! for verification.

use serde_json::json;
use treaty_core::broker_client::{
    BrokerError, EndRecord, PactsForVerificationRequest, Selector, Target, VersionUpdate, Webhook,
};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{body, broker, client, requests};

async fn version_resource(server: &MockServer) {
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/pacticipants/web/versions/1.0%2Fx"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"number": "1.0/x", "_links": {
            "pb:record-deployment": [
                {"name": "test", "href": format!("{base}/deploy/test")},
                {"name": "production", "href": format!("{base}/deploy/prod")},
            ],
            "pb:record-release": [{"name": "production", "href": format!("{base}/release/prod")}],
        }})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn record_deployment_posts_to_the_environments_link() {
    let server = broker().await;
    version_resource(&server).await;
    Mock::given(method("POST"))
        .and(path("/deploy/prod"))
        .and(body_json(
            json!({"applicationInstance": "blue", "target": "blue"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"uuid": "d1"})))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server.uri())
        .record_deployment("web", "1.0/x", "production", Some("blue"))
        .await
        .unwrap();
    assert_eq!(answer["uuid"], "d1");
}

#[tokio::test]
async fn an_unknown_environment_names_the_known_ones_without_posting() {
    let server = broker().await;
    version_resource(&server).await;
    let error = client(&server.uri())
        .record_release("web", "1.0/x", "staging")
        .await
        .unwrap_err();
    assert!(matches!(error, BrokerError::NotFound { .. }));
    assert!(
        error.to_string().contains("known environments: production"),
        "{error}"
    );
    assert!(!requests(&server)
        .await
        .iter()
        .any(|r| r.starts_with("POST")));
}

#[tokio::test]
async fn an_unknown_version_says_what_to_do() {
    let server = broker().await;
    let error = client(&server.uri())
        .record_deployment("web", "9", "production", None)
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("version 9 of web was not found"),
        "{error}"
    );
}

#[tokio::test]
async fn record_undeployment_patches_each_matching_deployed_version() {
    let server = broker().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/environments"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"_embedded": {"environments": [
            {"uuid": "e1", "name": "production", "production": true}]}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/environments/e1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"_links": {
            "pb:currently-deployed-deployed-versions": {"href": format!("{base}/environments/e1/deployed")}}})))
        .mount(&server).await;
    Mock::given(method("GET")).and(path("/environments/e1/deployed")).and(query_param("pacticipant", "web"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"_embedded": {"deployedVersions": [
            {"_embedded": {"pacticipant": {"name": "web"}}, "_links": {"self": {"href": format!("{base}/deployed-versions/d1")}}},
            {"_embedded": {"pacticipant": {"name": "other"}}, "_links": {"self": {"href": format!("{base}/deployed-versions/d2")}}},
        ]}})))
        .mount(&server).await;
    Mock::given(method("PATCH"))
        .and(path("/deployed-versions/d1"))
        .and(header("content-type", "application/merge-patch+json"))
        .and(body_json(json!({"currentlyDeployed": false})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"currentlyDeployed": false})))
        .expect(1)
        .mount(&server)
        .await;
    let ended = client(&base)
        .end_in_environment(&EndRecord {
            pacticipant: "web".into(),
            environment: "production".into(),
            ..EndRecord::default()
        })
        .await
        .unwrap();
    assert_eq!(ended.len(), 1);
}

#[tokio::test]
async fn create_or_update_version_puts_the_version_branch_and_tags() {
    let server = broker().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pacticipants/web/versions/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"number": "2"})))
        .mount(&server)
        .await;
    let update = VersionUpdate {
        pacticipant: "web".into(),
        version: "2".into(),
        branch: Some("feat/x".into()),
        tags: vec!["dev".into()],
        build_url: None,
    };
    client(&server.uri())
        .create_or_update_version(&update)
        .await
        .unwrap();
    let sent = requests(&server).await;
    assert!(
        sent.contains(&"PUT /pacticipants/web/versions/2".to_owned()),
        "{sent:?}"
    );
    assert!(
        sent.contains(&"PUT /pacticipants/web/branches/feat%2Fx/versions/2".to_owned()),
        "{sent:?}"
    );
    assert!(
        sent.contains(&"PUT /pacticipants/web/versions/2/tags/dev".to_owned()),
        "{sent:?}"
    );
}

#[tokio::test]
async fn create_webhook_posts_the_pact_broker_webhook_shape() {
    let server = broker().await;
    Mock::given(method("POST"))
        .and(path("/webhooks"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"_links": {"self": {"href": "/webhooks/w1"}}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let hook = Webhook {
        description: Some("trigger".into()),
        consumer: Some("web".into()),
        provider: Some("orders".into()),
        events: vec!["contract_content_changed".into()],
        method: "POST".into(),
        url: "https://ci.example.com/build".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: Some(json!({"pact": "${pactbroker.pactUrl}"})),
    };
    client(&server.uri()).create_webhook(&hook).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        body(&received[1]),
        json!({
            "description": "trigger",
            "consumer": {"name": "web"},
            "provider": {"name": "orders"},
            "events": [{"name": "contract_content_changed"}],
            "request": {"method": "POST", "url": "https://ci.example.com/build",
                        "headers": {"Content-Type": "application/json"},
                        "body": {"pact": "${pactbroker.pactUrl}"}},
        })
    );
}

#[tokio::test]
async fn can_i_deploy_reads_the_matrix() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/matrix"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "summary": {"deployable": null, "reason": "no verified pact", "unknown": 1},
            "notices": [{"type": "warning", "text": "no verified pact"}],
            "matrix": [{"consumer": {"name": "web", "version": {"number": "1"}},
                        "provider": {"name": "orders", "version": null},
                        "verificationResult": null}]})))
        .mount(&server)
        .await;
    let versions = [
        Selector {
            pacticipant: "web".into(),
            version: Some("1".into()),
            ..Selector::default()
        },
        Selector {
            pacticipant: "orders".into(),
            ..Selector::default()
        },
    ];
    let answer = client(&server.uri())
        .can_i_deploy(&versions, &Target::Environment("production".into()))
        .await
        .unwrap();
    assert_eq!(answer.summary.deployable, None);
    assert_eq!(answer.rows[0].provider_version, None);
    assert!(
        !answer.can_resolve(),
        "no provider version in the environment: waiting cannot help"
    );
    let sent = requests(&server).await;
    assert_eq!(sent[0], "GET /matrix?q[][pacticipant]=web&q[][version]=1&q[][pacticipant]=orders&q[][latest]=true&latestby=cvp&environment=production");
}

#[tokio::test]
async fn pacts_for_verification_sends_the_selectors_and_reads_pending_and_wip() {
    let server = broker().await;
    Mock::given(method("POST")).and(path("/pacts/provider/orders/for-verification"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"_embedded": {"pacts": [
            {"shortDescription": "WIP", "_links": {"self": {"href": "http://x/pacts/1"}},
             "verificationProperties": {"pending": true, "wip": true, "notices": [{"when": "before_verification", "text": "WIP!"}]}}]}})))
        .mount(&server).await;
    let request = PactsForVerificationRequest {
        provider: "orders".into(),
        selectors: vec![json!({"mainBranch": true})],
        provider_branch: Some("main".into()),
        include_pending: true,
        include_wip_since: Some("2026-01-01".into()),
        ..PactsForVerificationRequest::default()
    };
    let pacts = client(&server.uri())
        .pacts_for_verification(&request)
        .await
        .unwrap();
    assert!(pacts[0].pending && pacts[0].wip);
    assert_eq!(pacts[0].notices[0].text, "WIP!");
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        body(&received[1]),
        json!({
            "consumerVersionSelectors": [{"mainBranch": true}],
            "includePendingStatus": true,
            "providerVersionBranch": "main",
            "includeWipPactsSince": "2026-01-01",
        })
    );
}
