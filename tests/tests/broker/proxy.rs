//! `treaty broker` behind a reverse proxy under a sub-path, as many teams
//! run it (`https://ci.example.com/pact-broker/`): the proxy strips
//! `/pact-broker` and forwards, adding `X-Forwarded-*` headers. treaty's
//! own CLI, the real Pact CLI and the Pact verifier work through the
//! sub-path, and
//! every link the broker answers with must point back under it (a client
//! that drops the sub-path gets a 404 from the proxy, the failure of
//! pact_broker#962). Once with `--public-url`, once with only
//! `X-Forwarded-Host/Proto/Prefix`.

use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::cli::{Provider, CONSUMER, PROVIDER};
use crate::{pact, root, treaty_bin, venv, BrokerProcess};

const PREFIX: &str = "/pact-broker";

/// What the proxy saw: the answers it relayed and the paths it refused.
#[derive(Debug, Default)]
struct Seen {
    /// Every `href` and `Location` in the broker's answers.
    links: Vec<String>,
    /// Requests outside the sub-path (answered 404 by the proxy).
    outside: Vec<String>,
    /// Requests relayed.
    relayed: usize,
}

struct Upstream {
    broker: String,
    /// `X-Forwarded-Prefix` to send, if any (nginx sends none by default).
    prefix_header: bool,
    client: reqwest::Client,
    seen: Arc<Mutex<Seen>>,
}

/// A reverse proxy on 127.0.0.1 serving the broker under `/pact-broker`;
/// runs on its own thread and runtime until the test process ends.
struct Proxy {
    addr: SocketAddr,
    listener: Option<std::net::TcpListener>,
    seen: Arc<Mutex<Seen>>,
}

impl Proxy {
    /// Binds the port first: the broker must know the public URL before
    /// the proxy knows the broker.
    fn bind() -> Proxy {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        Proxy {
            addr: listener.local_addr().expect("bound address"),
            listener: Some(listener),
            seen: Arc::default(),
        }
    }

    /// `http://127.0.0.1:PORT/pact-broker`: the URL clients are given.
    fn base(&self) -> String {
        format!("http://{}{PREFIX}", self.addr)
    }

    /// Starts relaying to `broker` (`http://127.0.0.1:PORT`).
    fn start(&mut self, broker: &str, prefix_header: bool) {
        let listener = self.listener.take().expect("started once");
        listener.set_nonblocking(true).expect("non-blocking socket");
        let upstream = Arc::new(Upstream {
            broker: broker.to_owned(),
            prefix_header,
            client: reqwest::Client::builder()
                .no_proxy()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("HTTP client"),
            seen: Arc::clone(&self.seen),
        });
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let app = axum::Router::new().fallback(relay).with_state(upstream);
                axum::serve(listener, app).await.expect("the proxy serves");
            });
        });
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap()
    }
}

/// Forwards one request under the sub-path, as nginx or Traefik would.
async fn relay(State(up): State<Arc<Upstream>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let Some(rest) = path_and_query
        .strip_prefix(PREFIX)
        .filter(|r| r.is_empty() || r.starts_with(['/', '?']))
    else {
        up.seen
            .lock()
            .unwrap()
            .outside
            .push(path_and_query.to_owned());
        return (StatusCode::NOT_FOUND, "not under /pact-broker").into_response();
    };
    let rest = if rest.starts_with('/') {
        rest.to_owned()
    } else {
        format!("/{rest}")
    };
    let mut headers = parts.headers.clone();
    // Hop-by-hop and framing headers are the proxy's own business.
    for name in [
        "host",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
    ] {
        headers.remove(name);
    }
    let host = parts.headers.get("host").cloned();
    if let Some(host) = host {
        headers.insert("x-forwarded-host", host);
    }
    headers.insert("x-forwarded-proto", HeaderValue::from_static("http"));
    headers.insert("x-forwarded-for", HeaderValue::from_static("127.0.0.1"));
    if up.prefix_header {
        headers.insert("x-forwarded-prefix", HeaderValue::from_static(PREFIX));
    }
    let Ok(body) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return (StatusCode::BAD_REQUEST, "unreadable body").into_response();
    };
    let answer = up
        .client
        .request(parts.method, format!("{}{rest}", up.broker))
        .headers(headers)
        .body(body)
        .send()
        .await;
    let answer = match answer {
        Ok(a) => a,
        Err(e) => return (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap_or_default();
    record(&up.seen, &headers, &bytes);
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    for name in ["content-type", "location", "www-authenticate"] {
        if let Some(value) = headers.get(name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    response
}

fn record(seen: &Mutex<Seen>, headers: &HeaderMap, body: &[u8]) {
    let mut seen = seen.lock().unwrap();
    seen.relayed += 1;
    if let Some(location) = headers.get("location").and_then(|v| v.to_str().ok()) {
        seen.links.push(location.to_owned());
    }
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        hrefs(&value, &mut seen.links);
    }
}

/// Every `href` string anywhere in a JSON document.
fn hrefs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("href", Value::String(href)) => out.push(href.clone()),
                    _ => hrefs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| hrefs(v, out)),
        _ => {}
    }
}

/// Runs `treaty ARGS... --broker-url BASE`; asserts the exit code.
fn treaty(code: i32, base: &str, args: &[&str]) -> String {
    let output = Command::new(treaty_bin())
        .args(args)
        .args(["--broker-url", base])
        .env("NO_COLOR", "1")
        .env_remove("PACT_BROKER_BASE_URL")
        .env_remove("PACT_BROKER_TOKEN")
        .env_remove("PACT_BROKER_USERNAME")
        .output()
        .expect("treaty runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(code), "treaty {args:?}\n{text}");
    text
}

/// Runs `pact broker ARGS... -b BASE`; asserts the exit code.
fn pact_cli(code: i32, base: &str, args: &[&str]) -> String {
    let output = Command::new(venv().join("bin/pact"))
        .arg("broker")
        .args(args)
        .args(["-b", base])
        .env("PACT_DO_NOT_TRACK", "true")
        .env_remove("PACT_BROKER_BASE_URL")
        .env_remove("PACT_BROKER_TOKEN")
        .env_remove("PACT_BROKER_USERNAME")
        .output()
        .expect("pact runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        output.status.code(),
        Some(code),
        "pact broker {args:?}\n{text}"
    );
    text
}

/// Publishes the same content from both CLIs, verifies it by following
/// the broker's own link, records a deployment and asks can-i-deploy with
/// both CLIs, all through the proxy.
fn drive_the_flow(proxy: &Proxy) {
    let base = proxy.base();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Web-Api.json");
    std::fs::write(&file, pact("Web", "Api", "a").to_string()).unwrap();
    let file = file.display().to_string();

    let out = treaty(
        0,
        &base,
        &[
            "publish",
            &file,
            "--consumer-app-version",
            "1.0.0",
            "--branch",
            "main",
        ],
    );
    assert!(out.contains("Web"), "{out}");
    treaty(
        0,
        &base,
        &["create-environment", "--name", "production", "--production"],
    );
    pact_cli(
        0,
        &base,
        &[
            "publish",
            &file,
            "--consumer-app-version",
            "2.0.0",
            "--branch",
            "main",
        ],
    );

    // The provider publishes a result where the pact document says to.
    let pact_doc = get(&format!(
        "{base}/pacts/provider/Api/consumer/Web/version/1.0.0"
    ));
    let results = pact_doc["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(results.starts_with(&format!("{base}/")), "{results}");
    let (status, body) = crate::http::call(
        "POST",
        &results,
        Some(&json!({"providerApplicationVersion": "7", "success": true})),
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");

    // Api 7 is not deployed yet: both CLIs say no (unknown).
    let ask = [
        "--pacticipant",
        "Web",
        "--version",
        "2.0.0",
        "--to-environment",
        "production",
    ];
    treaty(1, &base, &[&["can-i-deploy"][..], &ask].concat());
    pact_cli(1, &base, &[&["can-i-deploy"][..], &ask].concat());
    pact_cli(
        0,
        &base,
        &[
            "record-deployment",
            "--pacticipant",
            "Api",
            "--version",
            "7",
            "--environment",
            "production",
        ],
    );
    let out = treaty(0, &base, &[&["can-i-deploy"][..], &ask].concat());
    assert!(out.to_lowercase().contains("yes"), "{out}");
    let out = pact_cli(0, &base, &[&["can-i-deploy"][..], &ask].concat());
    assert!(out.contains("Computer says yes"), "{out}");
    treaty(
        0,
        &base,
        &[
            "record-deployment",
            "--pacticipant",
            "Web",
            "--version",
            "2.0.0",
            "--environment",
            "production",
        ],
    );
    let out = pact_cli(
        0,
        &base,
        &[
            "describe-version",
            "--pacticipant",
            "Web",
            "--version",
            "2.0.0",
        ],
    );
    assert!(out.contains("2.0.0"), "{out}");

    let seen = proxy.seen();
    assert!(
        seen.outside.is_empty(),
        "requests outside the sub-path: {:?}",
        seen.outside
    );
    assert!(seen.relayed >= 10, "only {} requests relayed", seen.relayed);
    assert!(
        seen.links.len() >= 20,
        "only {} links seen",
        seen.links.len()
    );
    let wrong: Vec<&String> = seen
        .links
        .iter()
        .filter(|l| !l.starts_with(&format!("{base}/")))
        .collect();
    assert!(wrong.is_empty(), "links outside {base}/: {wrong:?}");
}

/// A blocking GET through the proxy; asserts 200.
fn get(url: &str) -> Value {
    let (status, body) = crate::http::call("GET", url, None).unwrap();
    assert_eq!(status, 200, "GET {url}: {body}");
    body
}

#[test]
fn both_clis_work_through_a_sub_path_proxy_with_public_url() {
    let dir = tempfile::tempdir().unwrap();
    let mut proxy = Proxy::bind();
    let public = format!("{}/", proxy.base());
    let broker =
        BrokerProcess::start_with(&dir.path().join("broker.db"), &["--public-url", &public]);
    // No X-Forwarded-Prefix: the sub-path in links comes from --public-url.
    proxy.start(&broker.url, false);
    let index = get(&format!("{}/", proxy.base()));
    assert_eq!(
        index["_links"]["pb:publish-contracts"]["href"],
        format!("{}/contracts/publish", proxy.base())
    );
    drive_the_flow(&proxy);
}

/// The verifier fetches pacts for verification and publishes its results
/// under the sub-path (pact_broker#962: it once dropped the base path,
/// found no pacts and passed having verified nothing).
#[test]
fn the_pact_verifier_fetches_and_publishes_through_a_sub_path_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let mut proxy = Proxy::bind();
    let public = format!("{}/", proxy.base());
    let broker =
        BrokerProcess::start_with(&dir.path().join("broker.db"), &["--public-url", &public]);
    proxy.start(&broker.url, false);
    let base = proxy.base();
    let fixture = root()
        .join(format!("tests/data/pact-python/{CONSUMER}-{PROVIDER}.json"))
        .display()
        .to_string();
    pact_cli(
        0,
        &base,
        &[
            "publish",
            &fixture,
            "--consumer-app-version",
            "1.0.0",
            "--branch",
            "main",
        ],
    );
    let provider = Provider::start(None);
    let (code, out) = crate::cli::verify(
        &base,
        &provider,
        "2.0.0",
        &["--consumer-version-selectors", r#"{"mainBranch":true}"#],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(CONSUMER), "{out}");
    let matrix = get(&format!(
        "{base}/matrix?q[][pacticipant]={CONSUMER}&q[][version]=1.0.0&latestby=cvp"
    ));
    let row = &matrix["matrix"][0];
    assert_eq!(row["provider"]["version"]["number"], "2.0.0", "{matrix}");
    assert_eq!(row["verificationResult"]["success"], true, "{matrix}");
    let seen = proxy.seen();
    assert!(
        seen.outside.is_empty(),
        "requests outside the sub-path: {:?}",
        seen.outside
    );
    let wrong: Vec<&String> = seen
        .links
        .iter()
        .filter(|l| !l.starts_with(&format!("{base}/")))
        .collect();
    assert!(wrong.is_empty(), "links outside {base}/: {wrong:?}");
}

#[test]
fn both_clis_work_through_a_sub_path_proxy_with_forwarded_headers() {
    let dir = tempfile::tempdir().unwrap();
    let mut proxy = Proxy::bind();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    proxy.start(&broker.url, true);
    let index = get(&format!("{}/", proxy.base()));
    assert_eq!(
        index["_links"]["pb:environments"]["href"],
        format!("{}/environments", proxy.base())
    );
    // Straight to the broker, without the headers: its own address.
    let (_, direct) = crate::http::call("GET", &format!("{}/", broker.url), None).unwrap();
    assert_eq!(
        direct["_links"]["pb:environments"]["href"],
        format!("{}/environments", broker.url)
    );
    drive_the_flow(&proxy);
}
