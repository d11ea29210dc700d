//! Reading pacts: latest per consumer and tag, by content (with and
//! without selection metadata), the list of latest pacts, and their 404s.

use axum::http::StatusCode;
use serde_json::json;

use crate::{pact, Broker};

const BASE: &str = "http://broker.test";

fn path(href: &serde_json::Value) -> String {
    href.as_str()
        .unwrap()
        .strip_prefix(BASE)
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn latest_pacts_per_consumer_and_tag() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", None, &["prod"])
        .await;
    broker
        .publish(&pact("Foo", "Bar", "b"), "2", None, &[])
        .await;
    let latest = broker.get("/pacts/provider/Bar/consumer/Foo/latest").await;
    assert_eq!(latest.status, StatusCode::OK);
    assert_eq!(latest.body["_links"]["pb:consumer-version"]["name"], "2");
    assert_eq!(
        latest.body["_links"]["self"]["href"],
        format!("{BASE}/pacts/provider/Bar/consumer/Foo/version/2")
    );
    let tagged = broker
        .get("/pacts/provider/Bar/consumer/Foo/latest/prod")
        .await;
    assert_eq!(tagged.status, StatusCode::OK);
    assert_eq!(tagged.body["_links"]["pb:consumer-version"]["name"], "1");
    assert_eq!(
        tagged.body["interactions"][0]["description"],
        "a request for a"
    );

    let reply = broker
        .get("/pacts/provider/Bar/consumer/Foo/latest/dev")
        .await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("latest pact with tag 'dev' between consumer 'Foo' and provider 'Bar' was not found")
        )
    );
    let reply = broker.get("/pacts/provider/Bar/consumer/Baz/latest").await;
    assert_eq!(
        reply.body["message"],
        "latest pact between consumer 'Baz' and provider 'Bar' was not found"
    );
    let reply = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/9")
        .await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("pact between consumer 'Foo' version '9' and provider 'Bar' was not found")
        )
    );
    let reply = broker.get("/pacts/provider/Bar/latest/dev").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["_links"]["pacts"], json!([]));
    let reply = broker.get("/pacts/provider/Nobody/latest/prod").await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("provider 'Nobody' was not found")
        )
    );
}

#[tokio::test]
async fn the_latest_pacts_list_every_integration_once() {
    let broker = Broker::new();
    assert_eq!(broker.get("/pacts/latest").await.body["pacts"], json!([]));
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", None, &[])
        .await;
    broker
        .publish(&pact("Foo", "Bar", "b"), "2", None, &[])
        .await;
    broker
        .publish(&pact("Baz", "Bar", "a"), "7", None, &[])
        .await;
    let reply = broker.get("/pacts/latest").await;
    assert_eq!(reply.status, StatusCode::OK);
    let mut seen: Vec<(String, String)> = reply.body["pacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["_embedded"]["consumer"]["name"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                p["_embedded"]["consumer"]["_embedded"]["version"]["number"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [("Baz".into(), "7".into()), ("Foo".into(), "2".into())]
    );
    assert_eq!(
        reply.body["_links"]["pb:pacts"].as_array().unwrap().len(),
        2
    );
}

#[tokio::test]
async fn pact_content_is_addressable_by_sha_and_with_metadata() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", Some("main"), &[])
        .await;
    let by_version = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/1")
        .await
        .body;
    let permalink = &by_version["_links"]["pb:pact-version"];
    let sha = permalink["name"].as_str().unwrap();
    let reply = broker.get(&path(&permalink["href"])).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.body["_links"]["self"]["href"],
        format!("{BASE}/pacts/provider/Bar/consumer/Foo/pact-version/{sha}")
    );
    assert_eq!(reply.body["interactions"], by_version["interactions"]);

    // The verifier fetches the link pacts-for-verification gives it,
    // which carries metadata, and posts its result under the same link.
    let selected = broker
        .post(
            "/pacts/provider/Bar/for-verification",
            json!({"consumerVersionSelectors": [{"mainBranch": true}]}),
        )
        .await;
    let href = selected.body["_embedded"]["pacts"][0]["_links"]["self"]["href"].clone();
    assert!(href.as_str().unwrap().contains("/metadata/"), "{href}");
    let reply = broker.get(&path(&href)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["_links"]["self"]["href"], href);
    let publish = &reply.body["_links"]["pb:publish-verification-results"]["href"];
    assert_eq!(
        publish.as_str().unwrap(),
        format!("{}/verification-results", href.as_str().unwrap())
    );
    let result = broker
        .post(
            &path(publish),
            json!({"providerApplicationVersion": "10", "success": true}),
        )
        .await;
    assert_eq!(result.status, StatusCode::CREATED, "{}", result.body);

    let reply = broker
        .get("/pacts/provider/Bar/consumer/Foo/pact-version/0000")
        .await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("pact version '0000' between consumer 'Foo' and provider 'Bar' was not found")
        )
    );
    let reply = broker
        .get(&format!(
            "/pacts/provider/Bar/consumer/Foo/pact-version/{sha}/verification-results/999"
        ))
        .await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some(
                format!("verification result '999' for pact version '{sha}' was not found")
                    .as_str()
            )
        )
    );
}
