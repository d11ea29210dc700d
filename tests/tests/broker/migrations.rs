//! Migrations through the binary: a database built by hand at each older
//! schema version (with the released migrations, read from
//! `broker/src/store/sqlite/migrations.rs`, and rows written the way that
//! version wrote them) is upgraded at start, keeps every row (pacts,
//! tags, branches, verifications, deployments, webhooks, dead letters),
//! takes new writes, and reports its schema version on `/health`; a
//! database newer than the binary is refused with a clear message.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};
use serde_json::json;

use crate::wire::{publication, Call};
use crate::{pact, root, treaty_bin, BrokerProcess};

/// The released migrations, in order (the raw strings of `MIGRATIONS`).
fn released_migrations() -> Vec<String> {
    let source =
        std::fs::read_to_string(root().join("broker/src/store/sqlite/migrations.rs")).unwrap();
    let start = source
        .find("const MIGRATIONS: &[&str] = &[")
        .expect("the MIGRATIONS table");
    let end = start + source[start..].find("\n];").expect("the end of MIGRATIONS");
    let migrations: Vec<String> = source[start..end]
        .split("r#\"")
        .skip(1)
        .map(|s| s.split("\"#").next().unwrap().to_owned())
        .collect();
    assert!(migrations.len() >= 3, "{migrations:?}");
    migrations
}

const THEN: &str = "2026-01-01T00:00:00.000000Z";

fn semver_key(major: u64, minor: u64, patch: u64) -> String {
    format!("{major:020}.{minor:020}.{patch:020}.~")
}

/// A database at schema `version`, holding what a broker of that version
/// would have written: Foo 1.0.0 (main, tagged prod) published a pact
/// for Bar, which Bar 2.0.0 verified and which is deployed to production.
/// From version 2 on, a webhook and a dead-lettered delivery.
fn database_at(path: &Path, version: usize) {
    let migrations = released_migrations();
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .unwrap();
    for (n, sql) in migrations[..version].iter().enumerate() {
        conn.execute_batch(sql).unwrap();
        conn.execute(
            "INSERT INTO schema_version VALUES (?1, ?2)",
            params![i64::try_from(n + 1).unwrap(), THEN],
        )
        .unwrap();
    }
    let document = pact("Foo", "Bar", "kept").to_string();
    conn.execute_batch(&format!(
        "INSERT INTO pacticipants (id, name, main_branch, created_at, updated_at)
             VALUES (1, 'Foo', 'main', '{THEN}', '{THEN}'), (2, 'Bar', NULL, '{THEN}', '{THEN}');
         INSERT INTO versions (id, pacticipant_id, number, semver_key, created_at)
             VALUES (1, 1, '1.0.0', '{foo}', '{THEN}'), (2, 2, '2.0.0', '{bar}', '{THEN}');
         INSERT INTO branches (id, pacticipant_id, name, created_at) VALUES (1, 1, 'main', '{THEN}');
         INSERT INTO branch_versions (branch_id, version_id, created_at) VALUES (1, 1, '{THEN}');
         INSERT INTO tags (version_id, name, created_at) VALUES (1, 'prod', '{THEN}');
         INSERT INTO environments (id, uuid, name, display_name, production, contacts, created_at, updated_at)
             VALUES (1, 'env-1', 'production', 'Production', 1, '[]', '{THEN}', '{THEN}');
         INSERT INTO deployments (uuid, kind, version_id, pacticipant_id, environment_id,
                                  application_instance, current, created_at)
             VALUES ('dep-1', 'deployed', 2, 2, 1, '', 1, '{THEN}');",
        foo = semver_key(1, 0, 0),
        bar = semver_key(2, 0, 0),
    ))
    .unwrap();
    conn.execute(
        "INSERT INTO contents (id, consumer_id, provider_id, sha, document, created_at)
         VALUES (1, 1, 2, 'feedc0de', ?1, ?2)",
        params![document, THEN],
    )
    .unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO publications (consumer_version_id, provider_id, content_id, created_at)
             VALUES (1, 2, 1, '{THEN}');
         INSERT INTO verifications (id, content_id, provider_version_id, success, build_url,
                                    test_results, verified_by, wip, created_at)
             VALUES (1, 1, 2, 1, 'http://ci/1', '{{}}', '{{}}', 0, '{THEN}');"
    ))
    .unwrap();
    if version >= 2 {
        let definition = json!({
            "description": "old hook",
            "events": [{"name": "contract_published"}],
            "request": {"method": "POST", "url": "https://ci.example/hook"},
        });
        conn.execute(
            "INSERT INTO webhooks (uuid, definition, created_at, updated_at)
             VALUES ('old-hook', ?1, ?2, ?2)",
            params![definition.to_string(), THEN],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO webhook_deliveries (uuid, webhook_uuid, event, request, status, attempts,
                 next_attempt_at, log, created_at, updated_at)
             VALUES ('old-delivery', 'old-hook', 'contract_published',
                     '{\"method\": \"POST\", \"url\": \"https://ci.example/hook\"}', 'dead', 7, ?1,
                     '[\"2026-01-01T00:00:00Z HTTP 500\"]', ?1, ?1)",
            params![THEN],
        )
        .unwrap();
    }
}

fn applied_versions(path: &Path) -> Vec<i64> {
    let conn = Connection::open(path).unwrap();
    let mut statement = conn
        .prepare("SELECT version FROM schema_version ORDER BY version")
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn ok(base: &str, call: Call, what: &str) -> serde_json::Value {
    let answer = call.expect(base);
    assert!(
        (200..300).contains(&answer.status),
        "{what}: {} {}",
        answer.status,
        answer.text
    );
    answer.json
}

#[test]
fn older_databases_are_upgraded_at_start_and_keep_their_data() {
    let latest = released_migrations().len();
    for version in 1..latest {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        database_at(&db, version);
        let broker = BrokerProcess::start(&db);
        let base = broker.url.as_str();
        let from = format!("from schema version {version}");

        let health = ok(base, Call::get("/health"), &from);
        assert_eq!(health["schemaVersion"], latest, "{from}: {health}");
        let doc = ok(
            base,
            Call::get("/pacts/provider/Bar/consumer/Foo/version/1.0.0"),
            &from,
        );
        assert_eq!(
            doc["interactions"][0]["description"], "a request for kept",
            "{from}"
        );
        let foo = ok(base, Call::get("/pacticipants/Foo/versions/1.0.0"), &from);
        assert_eq!(foo["_embedded"]["tags"][0]["name"], "prod", "{from}: {foo}");
        assert_eq!(
            foo["_embedded"]["branchVersions"][0]["name"], "main",
            "{from}: {foo}"
        );
        let answer = ok(
            base,
            Call::get("/can-i-deploy?pacticipant=Foo&version=1.0.0&environment=production"),
            &from,
        );
        assert_eq!(answer["summary"]["deployable"], true, "{from}: {answer}");
        assert_eq!(
            answer["matrix"][0]["verificationResult"]["success"], true,
            "{from}"
        );
        if version >= 2 {
            let hook = ok(base, Call::get("/webhooks/old-hook"), &from);
            assert_eq!(hook["description"], "old hook", "{from}");
            let dead = ok(base, Call::get("/webhooks/dead-letters"), &from);
            assert!(dead.to_string().contains("old-delivery"), "{from}: {dead}");
        }
        // The upgraded database takes writes that need every migration.
        ok(
            base,
            Call::new("POST", "/contracts/publish").json(&publication(
                &pact("Foo", "Bar", "new"),
                "1.1.0",
                Some("main"),
                &[],
            )),
            &from,
        );
        ok(
            base,
            Call::new("PUT", "/pacticipants/Foo/labels/team-a").json(&json!({})),
            &from,
        );
        ok(
            base,
            Call::new("PUT", "/webhooks/new-hook").json(&json!({
                "events": [{"name": "contract_published"}],
                "request": {"method": "POST", "url": "https://ci.example/new"},
            })),
            &from,
        );
        broker.kill();
        let expected: Vec<i64> = (1..=i64::try_from(latest).unwrap()).collect();
        assert_eq!(applied_versions(&db), expected, "{from}");

        // A second start has nothing to migrate and still has everything.
        let broker = BrokerProcess::start(&db);
        let latest_foo = ok(
            &broker.url,
            Call::get("/pacticipants/Foo/latest-version"),
            &from,
        );
        assert_eq!(latest_foo["number"], "1.1.0", "{from}");
        assert_eq!(applied_versions(&db), expected, "{from}");
    }
}

#[test]
fn a_database_newer_than_the_binary_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("future.db");
    let latest = released_migrations().len();
    database_at(&db, latest);
    Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO schema_version VALUES (?1, ?2)",
            params![i64::try_from(latest + 1).unwrap(), THEN],
        )
        .unwrap();
    let mut child = Command::new(treaty_bin())
        .args(["broker", "--port", "0", "--db"])
        .arg(&db)
        .env("TREATY_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the broker started on a database from the future");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("listening"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("schema version {}", latest + 1)) && stderr.contains("newer"),
        "{stderr}"
    );
    // Refusing left the database as it was.
    let expected: Vec<i64> = (1..=i64::try_from(latest + 1).unwrap()).collect();
    assert_eq!(applied_versions(&db), expected);
}
