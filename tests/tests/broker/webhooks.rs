//! Webhooks from the real binary: the allow-list flags refuse targets
//! with a clear answer, an allowed target receives the delivery, and the
//! pact lists it as a successful execution.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::http::{call, publish};
use crate::{pact, treaty_bin, BrokerProcess};

/// A receiver on 127.0.0.1:0 answering 200 to every request; sends each
/// request body down the channel.
fn receiver() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = tx.send(String::from_utf8_lossy(&body).into_owned());
        }
    });
    (url, rx)
}

fn definition(url: &str) -> Value {
    json!({
        "description": "notify CI",
        "events": [{"name": "contract_published"}],
        "request": {"method": "POST", "url": url, "body": {"consumer": "${pactbroker.consumerName}"}},
    })
}

#[test]
fn allowed_targets_are_delivered_and_others_refused() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start_with(
        &dir.path().join("broker.db"),
        &[
            "--webhook-scheme-allow",
            "http",
            "--webhook-host-allow",
            "127.0.0.1",
        ],
    );
    let b = broker.url.as_str();
    let (status, body) = call(
        "POST",
        &format!("{b}/webhooks"),
        Some(&definition("http://ci.example.com/build")),
    )
    .unwrap();
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "request.url");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("host ci.example.com is not allowed")
            && message.contains("--webhook-host-allow"),
        "{message}"
    );
    let mut https = definition("https://127.0.0.1/build");
    https["request"]["method"] = json!("PUT");
    let (status, body) = call("POST", &format!("{b}/webhooks"), Some(&https)).unwrap();
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "request.method");

    let (url, received) = receiver();
    let (status, body) = call(
        "POST",
        &format!("{b}/webhooks"),
        Some(&definition(&format!("{url}/build"))),
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");
    let (status, body) = publish(b, &pact("Foo", "Bar", "a"), "1.0.0").unwrap();
    assert_eq!(status, 200, "{body}");
    let delivered = received
        .recv_timeout(Duration::from_secs(30))
        .expect("the webhook is delivered");
    assert_eq!(
        serde_json::from_str::<Value>(&delivered).unwrap(),
        json!({"consumer": "Foo"})
    );
    // The worker records the attempt just after the receiver answers.
    let triggered = format!("{b}/pacts/provider/Bar/consumer/Foo/version/1.0.0/triggered-webhooks");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = call("GET", &triggered, None).unwrap();
        assert_eq!(status, 200, "{body}");
        let item = &body["_embedded"]["triggeredWebhooks"][0];
        if item["status"] == "success" {
            assert_eq!(item["logs"][0]["status"], 200);
            break;
        }
        assert!(Instant::now() < deadline, "never succeeded: {body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_bad_host_rule_stops_the_broker_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(treaty_bin())
        .args(["broker", "--port", "0", "--db"])
        .arg(dir.path().join("broker.db"))
        .args(["--webhook-host-allow", "10.0.0.0/99"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid webhook host rule '10.0.0.0/99'"),
        "{err}"
    );
}

/// A webhook target behind HTTPS with an internal CA (a CI server's): the
/// broker trusts the bundle `SSL_CERT_FILE` names; without it the attempt
/// fails saying why; a broken bundle stops the broker at start.
#[test]
fn an_https_target_behind_an_internal_ca_is_trusted_through_ssl_cert_file() {
    let dir = tempfile::tempdir().unwrap();
    let (url, received) = receiver();
    let addr = url.trim_start_matches("http://").parse().unwrap();
    let https = treaty_tests::server::TestServer::tls_in_front_of(addr);
    let ca = treaty_tests::server::tls_ca_pem();
    let allow = ["--webhook-host-allow", "127.0.0.1"];
    let execute = |ssl_cert_file: &str, db: &str| {
        let broker = BrokerProcess::start_with_env(
            &dir.path().join(db),
            &allow,
            &[("SSL_CERT_FILE", ssl_cert_file)],
        );
        let (status, body) = call(
            "POST",
            &format!("{}/webhooks/execute", broker.url),
            Some(&definition(&format!("{}/build", https.url))),
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        body
    };
    let trusted = execute(ca.to_str().unwrap(), "a.db");
    assert_eq!(trusted["success"], true, "{trusted}");
    received
        .recv_timeout(Duration::from_secs(30))
        .expect("the target got the request");
    let refused = execute("", "b.db");
    assert_eq!(refused["success"], false, "{refused}");
    let error = refused["logs"][0]["error"].as_str().unwrap_or_default();
    assert!(error.contains("invalid peer certificate"), "{refused}");
    assert!(
        error.contains("SSL_CERT_FILE"),
        "says what to do: {refused}"
    );

    let output = Command::new(treaty_bin())
        .args(["broker", "--port", "0", "--db"])
        .arg(dir.path().join("c.db"))
        .env("SSL_CERT_FILE", dir.path().join("missing.pem"))
        .output()
        .expect("treaty broker runs");
    assert_ne!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("webhooks cannot be sent") && stderr.contains("missing.pem"),
        "{stderr}"
    );
}
