//! The "via a Pact broker" scenarios: a fake broker replays the suite's
//! broker fixture (`pact-broker_cN.json`: index, pacts for verification,
//! verification results) and serves the scenario's pact; the verifier
//! fetches the pacts with `treaty_core::broker_client`, verifies them and
//! publishes the results to each pact's link.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{Method, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};
use treaty_core::broker_client::{
    BrokerClient, BrokerConfig, PactsForVerificationRequest, VerificationResult,
};
use treaty_core::verify::{LoadedContract, VerificationReport};
use treaty_tests::server::TestServer;

use super::steps::Handler;
use super::world::World;

/// A request the fake broker received: method, path, JSON body.
type Received = (String, String, Value);

/// A fake broker for one consumer (`c_N`).
pub(crate) struct FakeBroker {
    server: TestServer,
    received: Arc<Mutex<Vec<Received>>>,
}

pub(crate) const STEPS: &[(&str, Handler)] = &[
    (
        r"a Pact file for interaction (\d+) is to be verified from a Pact broker",
        |w, p, _| {
            let n: usize = p[0].parse().map_err(|e| format!("{e}"))?;
            let broker = fake_broker(w, n)?;
            w.verify.brokers.push(broker);
            Ok(())
        },
    ),
    (
        "publishing of verification results is enabled",
        |w, _, _| {
            w.verify.publish = true;
            Ok(())
        },
    ),
    (
        "a verification result will NOT be published back",
        |w, _, _| match results(w).first() {
            Some((path, _)) => Err(format!("a result was published to {path}")),
            None => Ok(()),
        },
    ),
    (
        r"a successful verification result will be published back for interaction \{(\d+)\}",
        |w, p, _| published(w, &p[0], true),
    ),
    (
        r"a failed verification result will be published back for the interaction \{(\d+)\}",
        |w, p, _| published(w, &p[0], false),
    ),
];

/// Every published result: its path and body.
fn results(w: &World) -> Vec<(String, Value)> {
    w.verify
        .brokers
        .iter()
        .flat_map(|b| b.received.lock().unwrap().clone())
        .filter(|(method, path, _)| method == "POST" && path.ends_with("/verification-results"))
        .map(|(_, path, body)| (path, body))
        .collect()
}

fn published(w: &World, n: &str, success: bool) -> Result<(), String> {
    let path = format!("/pacts/provider/p/consumer/c_{n}/verification-results");
    let all = results(w);
    let (_, body) = all
        .iter()
        .find(|(p, _)| *p == path)
        .ok_or_else(|| format!("nothing was published to {path}: {all:?}"))?;
    match body.get("success") {
        Some(Value::Bool(b)) if *b == success => Ok(()),
        other => Err(format!("published success {other:?}, expected {success}")),
    }
}

/// A broker answering the fixture's requests, plus `GET
/// /pacts/provider/p/consumer/c_N` with the scenario's pact (interaction N).
fn fake_broker(w: &World, n: usize) -> Result<FakeBroker, String> {
    let interaction = w
        .verify
        .table
        .get(n - 1)
        .ok_or("no such interaction")?
        .clone();
    let mut contract = treaty_core::model::Contract::new(format!("c_{n}"), "p");
    contract.interactions.push(interaction);
    // treaty writes V3 and V4; a V1 interaction reads back the same from V3.
    let version = w.version.max(treaty_core::model::SpecVersion::V3);
    contract.spec_version = version;
    let mut pact = treaty_core::write::to_json(&contract, version).map_err(|e| e.to_string())?;
    pact["_links"] = json!({"pb:publish-verification-results": {
        "href": format!("http://localhost:1234/pacts/provider/p/consumer/c_{n}/verification-results"),
    }});
    let path = super::suite_root().join(format!("fixtures/pact-broker_c{n}.json"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let fixture: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let mut routes: Vec<(String, String, Value, u16)> = fixture["interactions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            let status = i["response"]["status"].as_u64().unwrap_or(200) as u16;
            let body = i["response"]["body"]["content"].clone();
            let method = i["request"]["method"].as_str().unwrap_or("GET").to_owned();
            (
                method,
                i["request"]["path"].as_str().unwrap_or("").to_owned(),
                body,
                status,
            )
        })
        .collect();
    routes.push((
        "GET".into(),
        format!("/pacts/provider/p/consumer/c_{n}"),
        pact,
        200,
    ));
    let received: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = received.clone();
    let app = axum::Router::new().fallback(move |method: Method, uri: Uri, body: Bytes| {
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        log.lock()
            .unwrap()
            .push((method.to_string(), uri.path().to_owned(), body));
        let found = routes
            .iter()
            .find(|(m, p, _, _)| *m == method.as_str() && *p == uri.path())
            .cloned();
        async move {
            match found {
                Some((_, _, body, status)) => {
                    (StatusCode::from_u16(status).unwrap(), Json(body)).into_response()
                }
                None => (
                    StatusCode::NOT_FOUND,
                    Json(json!({"error": "no such route"})),
                )
                    .into_response(),
            }
        }
    });
    Ok(FakeBroker {
        server: TestServer::serve(app),
        received,
    })
}

/// The pacts of every fake broker, as contracts to verify; each keeps the
/// pact document whose link takes the result.
pub(crate) async fn fetch(brokers: &[FakeBroker]) -> Result<Vec<(LoadedContract, Value)>, String> {
    let mut out = Vec::new();
    for broker in brokers {
        let client =
            BrokerClient::new(BrokerConfig::new(&broker.server.url)).map_err(|e| e.to_string())?;
        let request = PactsForVerificationRequest {
            provider: "p".into(),
            ..Default::default()
        };
        let pacts = client
            .pacts_for_verification(&request)
            .await
            .map_err(|e| e.to_string())?;
        for pact in pacts {
            let doc = client.get(&pact.href).await.map_err(|e| e.to_string())?;
            let contract =
                treaty_core::read::parse_contract(&doc.to_string()).map_err(|e| e.to_string())?;
            out.push((
                LoadedContract {
                    origin: format!("{}#{}", broker.server.url, pact.href),
                    contract,
                },
                doc,
            ));
        }
    }
    Ok(out)
}

/// Publishes each broker pact's result (version 1.2.3, as the suite does).
pub(crate) async fn publish(
    brokers: &[FakeBroker],
    fetched: &[(LoadedContract, Value)],
    report: &VerificationReport,
) -> Result<(), String> {
    for (loaded, doc) in fetched {
        let Some(contract) = report.contracts.iter().find(|c| c.origin == loaded.origin) else {
            continue;
        };
        let base = loaded.origin.split('#').next().unwrap_or_default();
        let broker = brokers
            .iter()
            .find(|b| b.server.url == base)
            .ok_or("no broker")?;
        let client =
            BrokerClient::new(BrokerConfig::new(&broker.server.url)).map_err(|e| e.to_string())?;
        let result = VerificationResult {
            success: contract
                .interactions
                .iter()
                .all(|i| !i.outcome.is_problem()),
            provider_version: "1.2.3".into(),
            ..Default::default()
        };
        client
            .publish_result(doc, &result)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
