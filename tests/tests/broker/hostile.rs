//! Nothing a client sends makes the running broker panic, answer 5xx or
//! run a query it should not: a table of malformed JSON, wrong types, huge
//! numbers, deep nesting, invalid UTF-8 (in bodies, percent-encoded paths
//! and raw request lines), SQL-ish and LIKE-wildcard names. Each case
//! must be a 4xx, a JSON error with a message (and the field for
//! validation errors) whenever the broker itself answers, and `/health`
//! must answer after each one. `/metrics` then shows no 5xx at all.

use base64::Engine;
use serde_json::{json, Value};

use crate::wire::{assert_healthy, enc, path_of, publication, Call};
use crate::{pact, BrokerProcess};

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A publish body whose only contract carries `content`.
fn publish_with(content: &str) -> Value {
    let mut body = publication(&pact("Foo", "Bar", "a"), "9", None, &[]);
    body["contracts"][0]["content"] = json!(content);
    body
}

/// What a case must produce.
#[derive(Clone, Copy)]
enum Expect {
    /// 400 naming this field.
    Field(&'static str),
    /// This exact status, as a JSON error.
    Status(u16),
    /// Any 4xx, as a JSON error.
    ClientError,
    /// Any 4xx, possibly answered by the HTTP layer before the broker
    /// (a request line that is not HTTP).
    Rejected,
}

struct Case {
    name: &'static str,
    call: Call,
    expect: Expect,
}

fn case(name: &'static str, call: Call, expect: Expect) -> Case {
    Case { name, call, expect }
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn cases(pact_version: &str, deployed: &str) -> Vec<Case> {
    use Expect::{ClientError, Field, Rejected, Status};
    let publish = |body: Vec<u8>| Call::new("POST", "/contracts/publish").raw_body(body);
    let publish_json = |body: &Value| Call::new("POST", "/contracts/publish").json(body);
    let results = format!("{pact_version}/verification-results");
    let verify = |body: &Value| Call::new("POST", &results).json(body);
    let mut deep_pact = pact("Foo", "Bar", "a");
    deep_pact["interactions"][0]["response"]["body"] = serde_json::from_str(&nested(120)).unwrap();
    let deep_pact = deep_pact.to_string().replace(
        &nested(120),
        &nested(5_000), // beyond every JSON reader's nesting limit
    );
    let mut mismatched = publication(&pact("Other", "Bar", "a"), "9", None, &[]);
    mismatched["pacticipantName"] = json!("Foo");
    vec![
        case("publish: not JSON", publish(b"{nope".to_vec()), Field("body")),
        case("publish: an array", publish(b"[1,2]".to_vec()), Field("body")),
        case("publish: a string", publish(b"\"x\"".to_vec()), Field("body")),
        case("publish: empty", publish(Vec::new()), Field("pacticipantName")),
        case(
            "publish: invalid UTF-8",
            publish(b"{\"pacticipantName\": \"\xff\xfe\"}".to_vec()),
            Field("body"),
        ),
        case(
            "publish: 100k nested arrays",
            publish(nested(100_000).into_bytes()),
            Field("body"),
        ),
        case(
            "publish: number out of range",
            publish(b"{\"pacticipantName\": 1e999999}".to_vec()),
            Field("body"),
        ),
        case(
            "publish: name is a number",
            publish_json(&json!({"pacticipantName": 7, "pacticipantVersionNumber": "1", "contracts": []})),
            Field("pacticipantName"),
        ),
        case(
            "publish: blank name",
            publish_json(&json!({"pacticipantName": " ", "pacticipantVersionNumber": "1", "contracts": []})),
            Field("pacticipantName"),
        ),
        case(
            "publish: contracts is a string",
            publish_json(&json!({"pacticipantName": "Foo", "pacticipantVersionNumber": "1", "contracts": "x"})),
            Field("contracts"),
        ),
        case(
            "publish: tags are numbers",
            publish_json(&{
                let mut b = publish_with(&b64(&pact("Foo", "Bar", "a").to_string()));
                b["tags"] = json!([1, 2]);
                b
            }),
            Field("tags[0]"),
        ),
        case(
            "publish: content not base64",
            publish_json(&publish_with("!!! not base64 !!!")),
            ClientError,
        ),
        case(
            "publish: content is base64 of an array",
            publish_json(&publish_with(&b64("[1,2]"))),
            ClientError,
        ),
        case(
            "publish: content is base64 of invalid UTF-8",
            publish_json(&publish_with(
                &base64::engine::general_purpose::STANDARD.encode(b"{\"a\": \"\xff\"}"),
            )),
            ClientError,
        ),
        case(
            "publish: content nested 5000 deep",
            publish_json(&publish_with(&b64(&deep_pact))),
            ClientError,
        ),
        case(
            "publish: consumer differs from the content",
            publish_json(&mismatched),
            ClientError,
        ),
        case(
            "put pact: not JSON",
            Call::new("PUT", "/pacts/provider/Bar/consumer/Foo/version/2").raw_body(b"{".to_vec()),
            ClientError,
        ),
        case(
            "put pact: wrong names",
            Call::new("PUT", "/pacts/provider/Bar/consumer/Foo/version/2")
                .json(&pact("Else", "Bar", "a")),
            ClientError,
        ),
        case(
            "result: success is a string",
            verify(&json!({"providerApplicationVersion": "1", "success": "yes"})),
            ClientError,
        ),
        case(
            "result: no provider version",
            verify(&json!({"success": true})),
            ClientError,
        ),
        case(
            "result: provider version is a huge number",
            verify(&json!({"providerApplicationVersion": 123456789012345678901234567890_f64, "success": true})),
            ClientError,
        ),
        case(
            "result: test results nested 200 deep",
            Call::new("POST", &results).raw_body(
                format!(
                    "{{\"providerApplicationVersion\": \"1\", \"success\": true, \"testResults\": {}}}",
                    nested(200)
                )
                .into_bytes(),
            ),
            Field("body"),
        ),
        case(
            "result: unknown pact version",
            Call::new(
                "POST",
                "/pacts/provider/Bar/consumer/Foo/pact-version/nope/verification-results",
            )
            .json(&json!({"providerApplicationVersion": "1", "success": true})),
            Status(404),
        ),
        case(
            "result id beyond i64",
            Call::get(format!("{results}/99999999999999999999999999")),
            Status(404),
        ),
        case(
            "environment: null name",
            Call::new("POST", "/environments").json(&json!({"name": null, "production": true})),
            Field("name"),
        ),
        case(
            "environment: name with spaces",
            Call::new("POST", "/environments").json(&json!({"name": "a b", "production": true})),
            Field("name"),
        ),
        case(
            "environment: production is a string",
            Call::new("POST", "/environments").json(&json!({"name": "x", "production": "maybe"})),
            Field("production"),
        ),
        case(
            "deployment: unknown environment",
            Call::new("POST", "/pacticipants/Foo/versions/1/deployed-versions/environment/nope")
                .json(&json!({})),
            Status(404),
        ),
        case(
            "deployment: instance is an object",
            Call::new("POST", "/pacticipants/Foo/versions/1/deployed-versions/environment/nope")
                .json(&json!({"applicationInstance": {"a": 1}})),
            ClientError,
        ),
        case(
            "undeploy: currentlyDeployed true",
            Call::new("PATCH", format!("/deployed-versions/{deployed}"))
                .json(&json!({"currentlyDeployed": true})),
            Status(422),
        ),
        case(
            "undeploy: currentlyDeployed is a number",
            Call::new("PATCH", format!("/deployed-versions/{deployed}"))
                .json(&json!({"currentlyDeployed": 1e300})),
            ClientError,
        ),
        case(
            "webhook: events is a string",
            Call::new("POST", "/webhooks").json(&json!({"events": "x", "request": {"method": "POST", "url": "https://ci.example/x"}})),
            ClientError,
        ),
        case(
            "webhook: url is not a URL",
            Call::new("POST", "/webhooks").json(&json!({"events": [{"name": "contract_published"}], "request": {"method": "POST", "url": "not a url"}})),
            ClientError,
        ),
        case(
            "webhook: method is a number",
            Call::new("POST", "/webhooks").json(&json!({"events": [{"name": "contract_published"}], "request": {"method": 5, "url": "https://ci.example/x"}})),
            Field("request.method"),
        ),
        case(
            "webhook: enabled is a string",
            Call::new("POST", "/webhooks").json(&json!({"events": [{"name": "contract_published"}], "request": {"url": "https://ci.example/x"}, "enabled": "false"})),
            Field("enabled"),
        ),
        case(
            "webhook: uuid with SQL",
            Call::new("PUT", format!("/webhooks/{}", enc("x'; DROP TABLE webhooks;--")))
                .json(&json!({"events": [{"name": "contract_published"}], "request": {"method": "POST", "url": "https://ci.example/x"}})),
            Field("uuid"),
        ),
        case(
            "pacticipant: path not UTF-8",
            Call::get("/pacticipants/%FF%FE"),
            Field("path"),
        ),
        case(
            "pacticipant: raw bytes in the request line",
            Call::get(b"/pacticipants/\xff\xfe"),
            Rejected,
        ),
        case(
            "pacticipant: dot segments",
            Call::get("/pacticipants/..%2F..%2Fetc%2Fpasswd"),
            Status(404),
        ),
        case(
            "pacticipant: LIKE wildcard %",
            Call::get("/pacticipants/%25"),
            Status(404),
        ),
        case(
            "pacticipant: LIKE wildcard _",
            Call::get("/pacticipants/_oo"),
            Status(404),
        ),
        case(
            "pacticipant: GLOB wildcard *",
            Call::get("/pacticipants/F*"),
            Status(404),
        ),
        case(
            "latest version with a wildcard tag",
            Call::get("/pacticipants/Foo/latest-version/%25"),
            Status(404),
        ),
        case(
            "pact by SQL-ish sha",
            Call::get(format!(
                "/pacts/provider/Bar/consumer/Foo/pact-version/{}",
                enc("' OR '1'='1")
            )),
            Status(404),
        ),
        case(
            "pacticipant: 8 KB name",
            Call::get(format!("/pacticipants/{}", "n".repeat(8_000))),
            Status(404),
        ),
        case(
            "pacticipant: 100 KB name",
            Call::get(format!("/pacticipants/{}", "n".repeat(100_000))),
            Rejected,
        ),
        case(
            "pacticipant: create with a number",
            Call::new("POST", "/pacticipants").json(&json!({"name": 12})),
            ClientError,
        ),
        case(
            "can-i-deploy without parameters",
            Call::get("/can-i-deploy"),
            ClientError,
        ),
        case(
            "can-i-deploy to an unknown environment",
            Call::get("/can-i-deploy?pacticipant=Foo&version=1&environment=nope"),
            ClientError,
        ),
        case(
            "matrix without selectors",
            Call::get("/matrix?q[[[[]]]=x&&&==&%FF%FE=1"),
            ClientError,
        ),
        case(
            "for-verification: selectors is a string",
            Call::new("POST", "/pacts/provider/Bar/for-verification")
                .json(&json!({"consumerVersionSelectors": "main"})),
            ClientError,
        ),
        case(
            "for-verification: selector with a huge number",
            Call::new("POST", "/pacts/provider/Bar/for-verification")
                .raw_body(b"{\"consumerVersionSelectors\": [{\"latest\": 1e400}]}".to_vec()),
            ClientError,
        ),
        case(
            "chunked body of garbage",
            Call::new("POST", "/contracts/publish")
                .header("Transfer-Encoding", "chunked")
                .raw_body(vec![0u8; 5000]),
            Field("body"),
        ),
        case(
            "a method nobody routes",
            Call::new("BREW", "/pacticipants"),
            ClientError,
        ),
    ]
}

fn check(base: &str, case: &Case) {
    let answer = case
        .call
        .send(base)
        .unwrap_or_else(|e| panic!("{}: no answer (did the broker panic?): {e}", case.name));
    assert!(
        (400..500).contains(&answer.status),
        "{}: {} {}",
        case.name,
        answer.status,
        answer.text
    );
    match case.expect {
        Expect::Field(field) => {
            assert_eq!(answer.status, 400, "{}: {}", case.name, answer.text);
            assert!(answer.is_json_error(), "{}: {answer:?}", case.name);
            assert_eq!(
                answer.json["field"], field,
                "{}: {}",
                case.name, answer.text
            );
        }
        Expect::Status(status) => {
            assert_eq!(answer.status, status, "{}: {}", case.name, answer.text);
            assert!(answer.is_json_error(), "{}: {answer:?}", case.name);
        }
        Expect::ClientError => {
            assert!(answer.is_json_error(), "{}: {answer:?}", case.name);
            if answer.status == 400 {
                assert!(
                    answer.json["field"].is_string(),
                    "{}: a 400 names the field: {}",
                    case.name,
                    answer.text
                );
            }
        }
        Expect::Rejected => {}
    }
    assert_healthy(base, case.name);
}

#[test]
fn hostile_inputs_are_client_errors_and_the_broker_keeps_answering() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.as_str();
    let published = Call::new("POST", "/contracts/publish")
        .json(&publication(
            &pact("Foo", "Bar", "a"),
            "1",
            Some("main"),
            &[],
        ))
        .expect(base);
    assert_eq!(published.status, 200, "{}", published.text);
    let doc = Call::get("/pacts/provider/Bar/consumer/Foo/version/1").expect(base);
    let results = path_of(&doc.json["_links"]["pb:publish-verification-results"]["href"]);
    let pact_version = results.trim_end_matches("/verification-results").to_owned();
    let env = Call::new("POST", "/environments")
        .json(&json!({"name": "prod", "production": true}))
        .expect(base);
    let env = env.json["uuid"].as_str().unwrap().to_owned();
    let deployed = Call::new(
        "POST",
        format!("/pacticipants/Foo/versions/1/deployed-versions/environment/{env}"),
    )
    .json(&json!({}))
    .expect(base);
    assert_eq!(deployed.status, 201, "{}", deployed.text);
    let deployed = deployed.json["uuid"].as_str().unwrap().to_owned();

    for case in cases(&pact_version, &deployed) {
        check(base, &case);
    }

    // Nothing answered 5xx, whatever the route.
    let metrics = Call::get("/metrics").expect(base);
    let server_errors: Vec<&str> = metrics
        .text
        .lines()
        .filter(|l| l.starts_with("treaty_broker_http_requests_total") && l.contains("status=\"5"))
        .collect();
    assert!(server_errors.is_empty(), "{server_errors:#?}");
    // And the data is what it was: one pacticipant pair, one version each.
    let list = Call::get("/pacticipants").expect(base);
    let mut names: Vec<&str> = list.json["_embedded"]["pacticipants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Bar", "Foo"], "{}", list.text);
}

#[test]
fn sql_in_names_is_data() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.as_str();
    let consumer = "Robert'); DROP TABLE pacticipants;--";
    let provider = "\" OR 1=1 --";
    let version = "1' OR '1'='1";
    let tag = "x%' UNION SELECT name FROM sqlite_master --";
    let answer = Call::new("POST", "/contracts/publish")
        .json(&publication(
            &pact(consumer, provider, "a"),
            version,
            Some(tag),
            &[tag],
        ))
        .expect(base);
    assert_eq!(answer.status, 200, "{}", answer.text);
    let answer = Call::get(format!(
        "/pacts/provider/{}/consumer/{}/version/{}",
        enc(provider),
        enc(consumer),
        enc(version)
    ))
    .expect(base);
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["consumer"]["name"], consumer);
    let answer = Call::get(format!(
        "/pacticipants/{}/latest-version/{}",
        enc(consumer),
        enc(tag)
    ))
    .expect(base);
    assert_eq!(answer.json["number"], version, "{}", answer.text);
    // A wildcard-looking tag matches only itself.
    let answer = Call::get(format!(
        "/pacticipants/{}/latest-version/x%25",
        enc(consumer)
    ))
    .expect(base);
    assert_eq!(answer.status, 404, "{}", answer.text);
    let list = Call::get("/pacticipants").expect(base);
    let mut names: Vec<&str> = list.json["_embedded"]["pacticipants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, [provider, consumer], "{}", list.text);
    let matrix = Call::get(format!(
        "/matrix?q[][pacticipant]={}&q[][version]={}&latestby=cvp",
        enc(consumer),
        enc(version)
    ))
    .expect(base);
    assert_eq!(matrix.status, 200, "{}", matrix.text);
    assert_eq!(
        matrix.json["matrix"].as_array().map(Vec::len),
        Some(1),
        "{}",
        matrix.text
    );
}
