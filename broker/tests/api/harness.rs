//! The test harness: a broker served on a loopback port, and a client
//! that talks HTTP to it.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::http::header::HOST;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode};
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tokio::task::JoinHandle;
use treaty_broker::store::sqlite::SqliteStore;
use treaty_broker::{app, AppState};

/// The host every request names unless it sets its own, so links read
/// `http://broker.test/...` whatever port the server got.
const TEST_HOST: &str = "broker.test";

/// A broker served on 127.0.0.1 at a random port; stops when dropped.
pub(crate) struct Broker {
    addr: SocketAddr,
    client: reqwest::Client,
    server: JoinHandle<()>,
}

/// A response: status, headers, JSON body (a string when not JSON, null
/// when empty).
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) content_type: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Value,
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Broker {
    /// A broker over a fresh in-memory database.
    pub(crate) fn new() -> Broker {
        Broker::with_state(|s| s)
    }

    /// A broker over a fresh in-memory database, with settings changed.
    pub(crate) fn with_state(f: impl FnOnce(AppState) -> AppState) -> Broker {
        let store = SqliteStore::in_memory().expect("in-memory database");
        Broker::from_state(f(AppState::new(Arc::new(store))))
    }

    /// A broker over a given state (and its store). Must be called inside
    /// a tokio runtime: the server is a task on it.
    pub(crate) fn from_state(state: AppState) -> Broker {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("non-blocking socket");
        let addr = listener.local_addr().expect("bound address");
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        let server = tokio::spawn(async move {
            axum::serve(listener, app(state))
                .await
                .expect("the test broker serves");
        });
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        Broker {
            addr,
            client,
            server,
        }
    }

    /// The server's own base URL (`http://127.0.0.1:PORT`).
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends a JSON request (or an empty one) with `Host: broker.test`.
    pub(crate) async fn call(&self, method: Method, uri: &str, body: Option<Value>) -> Reply {
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        self.raw(
            Request::builder()
                .method(method)
                .uri(uri)
                .header(HOST, TEST_HOST)
                .header("content-type", "application/json")
                .body(body)
                .unwrap(),
        )
        .await
    }

    /// Sends a request as built, over HTTP: its method, path and query,
    /// headers (`Host: broker.test` when it has none) and body.
    pub(crate) async fn raw(&self, request: Request<Body>) -> Reply {
        let (parts, body) = request.into_parts();
        let bytes = body.collect().await.expect("request body").to_bytes();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let mut headers = parts.headers;
        headers
            .entry(HOST)
            .or_insert(HeaderValue::from_static(TEST_HOST));
        let mut request = self
            .client
            .request(parts.method, format!("{}{path}", self.url()))
            .headers(headers);
        if !bytes.is_empty() {
            request = request.body(bytes);
        }
        let response = request.send().await.expect("the test broker answers");
        let status = response.status();
        let headers = response.headers().clone();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header("location");
        let content_type = header("content-type").unwrap_or_default();
        let bytes = response.bytes().await.expect("response body");
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
            headers,
            body,
        }
    }

    /// `GET`.
    pub(crate) async fn get(&self, uri: &str) -> Reply {
        self.call(Method::GET, uri, None).await
    }

    /// `POST` with a JSON body.
    pub(crate) async fn post(&self, uri: &str, body: Value) -> Reply {
        self.call(Method::POST, uri, Some(body)).await
    }

    /// `PUT` with a JSON body.
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
