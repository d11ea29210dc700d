//! The `treaty mock` control API end to end over real HTTP: the control
//! server on `127.0.0.1:0` creates mock servers on their own ports, which a
//! client then exercises; requests, mismatches, verify, write and delete
//! are read back through the API.

use reqwest::blocking::Client;
use serde_json::{json, Value};
use treaty_core::consumer::control::{control_app, ControlConfig};
use treaty_tests::server::TestServer;

use super::support::{client, written};

fn control(dir: &std::path::Path) -> TestServer {
    TestServer::serve(control_app(ControlConfig {
        contract_dir: Some(dir.to_owned()),
        ..ControlConfig::default()
    }))
}

fn users_contract() -> Value {
    json!({
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "interactions": [{
            "description": "a user",
            "request": {"method": "GET", "path": "/users/1"},
            "response": {"status": 200, "body": {"id": 1, "name": "Ada"},
                         "matchingRules": {"body": {"$.name": {"matchers": [{"match": "type"}]}}}}
        }, {
            "description": "a new user",
            "request": {"method": "POST", "path": "/users", "body": {"name": "Bob"},
                        "headers": {"Content-Type": "application/json"}},
            "response": {"status": 201}
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
}

/// POSTs JSON (or nothing) and returns the status and JSON body.
fn send(http: &Client, method: &str, url: &str, body: Option<&Value>) -> (u16, Value) {
    let mut request = http.request(method.parse().unwrap(), url);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Polls (for at most 5 s) until nothing accepts connections at `url`.
fn stops_listening(url: &str) -> bool {
    let address = url.trim_start_matches("http://");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < deadline {
        if std::net::TcpStream::connect(address).is_err() {
            return true;
        }
        std::thread::yield_now();
    }
    false
}

#[test]
fn a_mock_created_exercised_verified_written_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let server = control(dir.path());
    let http = client();
    let api = |path: &str| format!("{}{path}", server.url);

    let (status, created) = send(&http, "POST", &api("/mocks"), Some(&users_contract()));
    assert_eq!(status, 201, "{created}");
    let (id, url) = (
        created["id"].as_u64().unwrap(),
        created["url"].as_str().unwrap(),
    );
    assert_eq!(
        created["port"],
        url.rsplit(':').next().unwrap().parse::<u64>().unwrap()
    );

    let (status, user) = send(&http, "GET", &format!("{url}/users/1"), None);
    assert_eq!((status, user), (200, json!({"id": 1, "name": "Ada"})));
    let (status, verdict) = send(&http, "POST", &api(&format!("/mocks/{id}/verify")), None);
    assert_eq!(status, 422, "{verdict}");
    assert_eq!(verdict["missed"][0]["description"], "a new user");
    assert!(verdict["report"]
        .as_str()
        .unwrap()
        .contains("1. missed: `a new user`"));

    let new_user = json!({"name": "Bob"});
    let (status, _) = send(&http, "POST", &format!("{url}/users"), Some(&new_user));
    assert_eq!(status, 201);
    let (status, requests) = send(&http, "GET", &api(&format!("/mocks/{id}/requests")), None);
    assert_eq!(status, 200);
    let outcomes: Vec<&Value> = requests["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["outcome"])
        .collect();
    assert_eq!(outcomes, [&json!("matched"), &json!("matched")]);
    assert_eq!(requests["requests"][1]["body"], new_user);

    let (status, verdict) = send(&http, "POST", &api(&format!("/mocks/{id}/verify")), None);
    assert_eq!((status, &verdict["ok"]), (200, &json!(true)), "{verdict}");
    let (status, wrote) = send(&http, "POST", &api(&format!("/mocks/{id}/write")), None);
    assert_eq!(status, 200, "{wrote}");
    let contract = written(dir.path(), "web", "users");
    assert_eq!(contract["interactions"].as_array().unwrap().len(), 2);

    let (status, _) = send(&http, "DELETE", &api(&format!("/mocks/{id}")), None);
    assert_eq!(status, 204);
    let (status, error) = send(&http, "GET", &api(&format!("/mocks/{id}/requests")), None);
    assert_eq!(status, 404);
    assert_eq!(error["error"], format!("no mock server with id {id}"));
    let listed = send(&http, "GET", &api("/mocks"), None).1;
    assert_eq!(listed, json!({"mocks": []}));
    assert!(
        stops_listening(url),
        "the deleted mock server still listens"
    );
}

#[test]
fn mismatched_and_unexpected_requests_are_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let server = control(dir.path());
    let http = client();
    let (_, created) = send(
        &http,
        "POST",
        &format!("{}/mocks", server.url),
        Some(&users_contract()),
    );
    let (id, url) = (
        created["id"].as_u64().unwrap(),
        created["url"].as_str().unwrap(),
    );

    send(&http, "GET", &format!("{url}/users/1"), None);
    let (status, _) = send(
        &http,
        "POST",
        &format!("{url}/users"),
        Some(&json!({"name": 7})),
    );
    assert_eq!(status, 500);
    send(&http, "DELETE", &format!("{url}/users/1"), None);

    let mismatches = send(
        &http,
        "GET",
        &format!("{}/mocks/{id}/mismatches", server.url),
        None,
    )
    .1;
    let list = mismatches["mismatches"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{mismatches}");
    assert_eq!(list[0]["outcome"], "mismatched");
    assert_eq!(list[0]["interaction"], "a new user");
    assert_eq!(list[0]["mismatches"][0]["location"], "$.body.name");
    assert_eq!(list[1]["outcome"], "unexpected");
    assert_eq!(list[1]["method"], "DELETE");

    let (status, verdict) = send(
        &http,
        "POST",
        &format!("{}/mocks/{id}/write", server.url),
        None,
    );
    assert_eq!(status, 422);
    assert_eq!(verdict["problems"].as_array().unwrap().len(), 2);
    assert!(verdict["report"]
        .as_str()
        .unwrap()
        .ends_with("No contract was written."));
    assert!(!dir.path().join("web-users.json").exists());
}

#[test]
fn interactions_without_a_contract_bad_input_and_cors() {
    let dir = tempfile::tempdir().unwrap();
    let server = control(dir.path());
    let http = client();
    let interactions = json!([{
        "description": "a ping",
        "request": {"method": "GET", "path": "/ping"},
        "response": {"status": 204}
    }]);
    let create = format!("{}/mocks?consumer=app&provider=pinger", server.url);
    let (status, created) = send(&http, "POST", &create, Some(&interactions));
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        (&created["consumer"], &created["provider"]),
        (&json!("app"), &json!("pinger"))
    );
    let listed = send(&http, "GET", &format!("{}/mocks", server.url), None).1;
    assert_eq!(listed["mocks"][0]["id"], created["id"]);

    let (status, error) = send(
        &http,
        "POST",
        &format!("{}/mocks", server.url),
        Some(&json!({"x": 1})),
    );
    assert_eq!(status, 400);
    assert!(error["error"]
        .as_str()
        .unwrap()
        .starts_with("the request body is not a contract"));

    // A browser test's preflight, to the control server and to a mock.
    let mock_url = created["url"].as_str().unwrap();
    for url in [format!("{}/mocks", server.url), format!("{mock_url}/ping")] {
        let response = http
            .request(reqwest::Method::OPTIONS, &url)
            .header("Origin", "http://localhost:3000")
            .header("Access-Control-Request-Method", "POST")
            .send()
            .unwrap();
        assert_eq!(response.status(), 200, "{url}");
        let allowed = response.headers()["access-control-allow-origin"]
            .to_str()
            .unwrap();
        assert_eq!(allowed, "http://localhost:3000", "{url}");
    }
}
