//! Broker benchmark (run with `bench/broker.sh`, or `cargo run --release
//! -p treaty-bench --bin broker-bench -- [DB]`).
//!
//! Seeds a database with 200 pacticipants (100 consumers with main branch
//! `main`, 100 providers), 50,000 versions, 20,000 distinct contracts
//! (50,000 publications) and 200,000 verification results, with current
//! deployments in `production`; then serves the broker in-process on
//! 127.0.0.1:0 and measures, over HTTP, `can-i-deploy`,
//! `pacts-for-verification` (mainBranch + deployedOrReleased, pending on)
//! and `POST /contracts/publish` latency (p50/p99), and the database size.
//!
//! Seeding writes SQL straight into the broker's schema in one
//! transaction (going through the API would take hours with an fsync per
//! write); the measured requests go through the real HTTP stack.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use rusqlite::{params, Connection};
use serde_json::json;
use treaty_broker::store::sqlite::SqliteStore;

const CONSUMERS: usize = 100;
const PROVIDERS: usize = 100;
const VERSIONS_EACH: usize = 250;
/// Distinct contents per integration (each consumer has two providers).
const CONTENTS_EACH: usize = 100;
const VERIFICATIONS_PER_CONTENT: usize = 10;
const SAMPLES: usize = 300;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn at(second: usize) -> String {
    let base = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").expect("constant");
    let t = base + chrono::Duration::seconds(second as i64);
    t.with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn document(consumer: usize, provider: usize, variant: usize) -> String {
    json!({
        "consumer": {"name": format!("consumer-{consumer}")},
        "provider": {"name": format!("provider-{provider}")},
        "interactions": (0..5).map(|i| json!({
            "description": format!("request {i} variant {variant}"),
            "request": {"method": "GET", "path": format!("/items/{i}/{variant}")},
            "response": {"status": 200, "body": {"id": i, "variant": variant}},
        })).collect::<Vec<_>>(),
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    })
    .to_string()
}

/// The two providers of a consumer.
fn providers_of(consumer: usize) -> [usize; 2] {
    [consumer % PROVIDERS, (consumer * 7 + 3) % PROVIDERS]
}

fn seed(path: &Path) -> Result<()> {
    drop(SqliteStore::open(path)?); // creates and migrates the schema
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    let tx = conn.transaction()?;
    let mut clock = 0;
    let mut tick = || {
        clock += 1;
        at(clock)
    };
    let now = tick();
    tx.execute(
        "INSERT INTO environments (uuid, name, display_name, production, contacts, created_at, updated_at)
         VALUES ('prod-uuid', 'production', 'Production', 1, '[]', ?1, ?1)",
        [&now],
    )?;
    // Pacticipants 1..=100 consumers, 101..=200 providers; ids = row order.
    for i in 0..CONSUMERS + PROVIDERS {
        let (name, main) = if i < CONSUMERS {
            (format!("consumer-{i}"), Some("main"))
        } else {
            (format!("provider-{}", i - CONSUMERS), Some("main"))
        };
        tx.execute(
            "INSERT INTO pacticipants (id, name, main_branch, versions_semver, created_at, updated_at)
             VALUES (?1, ?2, ?3, 0, ?4, ?4)",
            params![i as i64 + 1, name, main, now],
        )?;
        tx.execute(
            "INSERT INTO branches (id, pacticipant_id, name, created_at) VALUES (?1, ?1, 'main', ?2)",
            params![i as i64 + 1, now],
        )?;
    }
    let version_id = |pacticipant: usize, n: usize| (pacticipant * VERSIONS_EACH + n + 1) as i64;
    let content_id = |consumer: usize, slot: usize, variant: usize| {
        ((consumer * 2 + slot) * CONTENTS_EACH + variant + 1) as i64
    };
    {
        let mut version = tx.prepare("INSERT INTO versions (id, pacticipant_id, number, semver_key, created_at) VALUES (?1, ?2, ?3, '', ?4)")?;
        let mut on_branch = tx.prepare(
            "INSERT INTO branch_versions (branch_id, version_id, created_at) VALUES (?1, ?2, ?3)",
        )?;
        for n in 0..VERSIONS_EACH {
            for p in 0..CONSUMERS + PROVIDERS {
                let t = tick();
                version.execute(params![
                    version_id(p, n),
                    p as i64 + 1,
                    format!("1.0.{n}"),
                    t
                ])?;
                on_branch.execute(params![p as i64 + 1, version_id(p, n), t])?;
            }
        }
        let mut content = tx.prepare("INSERT INTO contents (id, consumer_id, provider_id, sha, document, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        for c in 0..CONSUMERS {
            for (slot, p) in providers_of(c).into_iter().enumerate() {
                for variant in 0..CONTENTS_EACH {
                    let id = content_id(c, slot, variant);
                    let sha = format!("{id:064x}");
                    let provider_row = (CONSUMERS + p) as i64 + 1;
                    content.execute(params![
                        id,
                        c as i64 + 1,
                        provider_row,
                        sha,
                        document(c, p, variant),
                        now
                    ])?;
                }
            }
        }
        let mut publication = tx.prepare("INSERT INTO publications (consumer_version_id, provider_id, content_id, created_at) VALUES (?1, ?2, ?3, ?4)")?;
        for c in 0..CONSUMERS {
            for n in 0..VERSIONS_EACH {
                for (slot, p) in providers_of(c).into_iter().enumerate() {
                    let variant = n * CONTENTS_EACH / VERSIONS_EACH;
                    let provider_row = (CONSUMERS + p) as i64 + 1;
                    publication.execute(params![
                        version_id(c, n),
                        provider_row,
                        content_id(c, slot, variant),
                        now
                    ])?;
                }
            }
        }
        let mut verification = tx.prepare("INSERT INTO verifications (content_id, provider_version_id, success, test_results, verified_by, wip, created_at) VALUES (?1, ?2, ?3, '[]', '{}', 0, ?4)")?;
        for c in 0..CONSUMERS {
            for (slot, p) in providers_of(c).into_iter().enumerate() {
                for variant in 0..CONTENTS_EACH {
                    for k in 0..VERIFICATIONS_PER_CONTENT {
                        // Provider versions at and after the content's time.
                        let n =
                            (variant * VERSIONS_EACH / CONTENTS_EACH + k).min(VERSIONS_EACH - 1);
                        let ok = (variant + k) % 13 != 0;
                        verification.execute(params![
                            content_id(c, slot, variant),
                            version_id(CONSUMERS + p, n),
                            ok,
                            tick()
                        ])?;
                    }
                }
            }
        }
        let mut deploy = tx.prepare("INSERT INTO deployments (uuid, kind, version_id, pacticipant_id, environment_id, application_instance, current, created_at)
             VALUES (?1, 'deployed', ?2, ?3, 1, '', 1, ?4)")?;
        for p in 0..CONSUMERS + PROVIDERS {
            deploy.execute(params![
                format!("dep-{p}"),
                version_id(p, VERSIONS_EACH - 10),
                p as i64 + 1,
                now
            ])?;
        }
    }
    tx.commit()?;
    conn.execute_batch("ANALYZE")?;
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn measure<F, Fut>(name: &str, mut request: F) -> Result<()>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<reqwest::Response>>,
{
    let mut times = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let start = Instant::now();
        let response = request(i).await?;
        let status = response.status();
        let body = response.bytes().await?;
        times.push(start.elapsed());
        if !status.is_success() {
            return Err(
                format!("{name}: HTTP {status}: {}", String::from_utf8_lossy(&body)).into(),
            );
        }
    }
    times.sort();
    println!(
        "| {name} | {SAMPLES} | {:.2} | {:.2} |",
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    Ok(())
}

fn publication(i: usize) -> serde_json::Value {
    let c = i % CONSUMERS;
    let contracts: Vec<_> = providers_of(c)
        .into_iter()
        .map(|p| {
            let text = document(c, p, 1000 + i);
            json!({"consumerName": format!("consumer-{c}"), "providerName": format!("provider-{p}"),
                   "specification": "pact", "contentType": "application/json",
                   "content": base64::engine::general_purpose::STANDARD.encode(text)})
        })
        .collect();
    json!({"pacticipantName": format!("consumer-{c}"), "pacticipantVersionNumber": format!("2.0.{i}"),
           "branch": "main", "contracts": contracts})
}

#[tokio::main]
async fn main() -> Result<()> {
    let dir = tempfile_dir()?;
    let path = std::env::args_os()
        .nth(1)
        .map_or_else(|| dir.join("broker.db"), PathBuf::from);
    let started = Instant::now();
    seed(&path)?;
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    println!(
        "seeded in {:.1} s; database {:.1} MiB",
        started.elapsed().as_secs_f64(),
        size(&path) as f64 / 1048576.0
    );

    let store = SqliteStore::open(&path)?;
    let router = treaty_broker::app(treaty_broker::AppState::new(Arc::new(store)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();

    println!("| request | samples | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |");
    measure("can-i-deploy (consumer version to production)", |i| {
        let url = format!(
            "{base}/can-i-deploy?pacticipant=consumer-{}&version=1.0.{}&environment=production",
            i % CONSUMERS,
            200 + i % 50
        );
        let request = client.get(url);
        async move { Ok(request.send().await?) }
    })
    .await?;
    measure("pacts for verification (mainBranch + deployedOrReleased, pending)", |i| {
        let url = format!("{base}/pacts/provider/provider-{}/for-verification", i % PROVIDERS);
        let body = json!({"consumerVersionSelectors": [{"mainBranch": true}, {"deployedOrReleased": true}],
                          "providerVersionBranch": "main", "includePendingStatus": true});
        let request = client.post(url).json(&body);
        async move { Ok(request.send().await?) }
    })
    .await?;
    measure("publish (2 contracts, new version)", |i| {
        let request = client
            .post(format!("{base}/contracts/publish"))
            .json(&publication(i));
        async move { Ok(request.send().await?) }
    })
    .await?;
    let wal = path.with_extension("db-wal");
    println!(
        "database after the runs: {:.1} MiB (+ WAL {:.1} MiB)",
        size(&path) as f64 / 1048576.0,
        size(&wal) as f64 / 1048576.0
    );
    Ok(())
}

/// A scratch directory under the system temp dir (kept for inspection).
fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("treaty-broker-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
