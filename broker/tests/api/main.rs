//! In-process tests of the broker's HTTP API: `app(state)` over in-memory
//! SQLite, called with `oneshot` (no sockets).

mod auth;
mod deploy;
mod matrix;
mod publish;
mod resources;
mod retention;
mod verify;
mod webhooks;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use treaty_broker::store::sqlite::SqliteStore;
use treaty_broker::{app, AppState};

/// A broker over a fresh in-memory database.
pub(crate) struct Broker {
    app: Router,
}

/// A response: status, headers we check, JSON body.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) content_type: String,
    pub(crate) body: Value,
}

impl Broker {
    pub(crate) fn new() -> Broker {
        Broker::with_state(|s| s)
    }

    /// A broker over a given state (and its store).
    pub(crate) fn from_state(state: AppState) -> Broker {
        Broker { app: app(state) }
    }

    pub(crate) fn with_state(f: impl FnOnce(AppState) -> AppState) -> Broker {
        let store = SqliteStore::in_memory().expect("in-memory database");
        Broker {
            app: app(f(AppState::new(Arc::new(store)))),
        }
    }

    pub(crate) async fn call(&self, method: Method, uri: &str, body: Option<Value>) -> Reply {
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        self.raw(
            Request::builder()
                .method(method)
                .uri(uri)
                .header("host", "broker.test")
                .header("content-type", "application/json")
                .body(body)
                .unwrap(),
        )
        .await
    }

    pub(crate) async fn raw(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header("location");
        let content_type = header("content-type").unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status,
            location,
            content_type,
            body,
        }
    }

    /// The router, for tests that look at raw responses.
    pub(crate) fn router(&self) -> Router {
        self.app.clone()
    }

    pub(crate) async fn get(&self, uri: &str) -> Reply {
        self.call(Method::GET, uri, None).await
    }

    pub(crate) async fn post(&self, uri: &str, body: Value) -> Reply {
        self.call(Method::POST, uri, Some(body)).await
    }

    pub(crate) async fn put(&self, uri: &str, body: Value) -> Reply {
        self.call(Method::PUT, uri, Some(body)).await
    }

    /// Publishes a pact through `/contracts/publish`.
    pub(crate) async fn publish(
        &self,
        pact: &Value,
        version: &str,
        branch: Option<&str>,
        tags: &[&str],
    ) -> Reply {
        let consumer = pact["consumer"]["name"].as_str().unwrap();
        let mut body = json!({
            "pacticipantName": consumer,
            "pacticipantVersionNumber": version,
            "tags": tags,
            "contracts": [{
                "consumerName": consumer,
                "providerName": pact["provider"]["name"],
                "specification": "pact",
                "contentType": "application/json",
                "content": base64::engine::general_purpose::STANDARD.encode(pact.to_string()),
            }],
        });
        if let Some(branch) = branch {
            body["branch"] = json!(branch);
        }
        self.post("/contracts/publish", body).await
    }

    /// Posts a verification result for the pact a consumer version published.
    pub(crate) async fn verify(
        &self,
        provider: &str,
        consumer: &str,
        consumer_version: &str,
        provider_version: &str,
        success: bool,
    ) -> Reply {
        let pact = self
            .get(&format!(
                "/pacts/provider/{provider}/consumer/{consumer}/version/{consumer_version}"
            ))
            .await;
        assert_eq!(pact.status, StatusCode::OK, "{}", pact.body);
        let href = pact.body["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .unwrap();
        let path = href.strip_prefix("http://broker.test").unwrap();
        self.post(
            path,
            json!({"providerApplicationVersion": provider_version, "success": success}),
        )
        .await
    }

    /// Creates an environment; returns its uuid.
    pub(crate) async fn environment(&self, name: &str) -> String {
        let reply = self
            .post(
                "/environments",
                json!({"name": name, "production": name == "production"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["uuid"].as_str().unwrap().to_owned()
    }

    /// Records a deployment of an existing version.
    pub(crate) async fn deploy(
        &self,
        pacticipant: &str,
        version: &str,
        env_uuid: &str,
        instance: Option<&str>,
    ) -> Reply {
        let body = instance.map_or_else(|| json!({}), |i| json!({"applicationInstance": i}));
        self.post(&format!("/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{env_uuid}"), body).await
    }
}

/// A small pact between two applications; `variant` changes its content.
pub(crate) fn pact(consumer: &str, provider: &str, variant: &str) -> Value {
    json!({
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [{
            "description": format!("a request for {variant}"),
            "request": {"method": "GET", "path": format!("/{variant}")},
            "response": {"status": 200, "body": {"variant": variant}},
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    })
}

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
