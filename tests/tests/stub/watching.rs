//! `--watch`: a changed file is reloaded; an invalid one is logged and the
//! last good set stays in service. Tests wait on the reload notification
//! (with a timeout), never a fixed sleep.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use tokio::sync::watch;
use treaty_core::stub::{ReloadStatus, Source, StubConfig};

use crate::support::{contract, get_returning, write, Stub};

const PATIENCE: Duration = Duration::from_secs(20);

async fn watched(interactions: serde_json::Value) -> (Stub, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "contract.json", &contract(interactions));
    let config = StubConfig {
        watch: true,
        ..StubConfig::default()
    };
    let stub = Stub::over(dir, vec![Source::File(file.clone())], config).await;
    (stub, file)
}

async fn until(rx: &mut watch::Receiver<ReloadStatus>, what: impl FnMut(&ReloadStatus) -> bool) {
    tokio::time::timeout(PATIENCE, rx.wait_for(what))
        .await
        .expect("no reload notification in time")
        .expect("the stub stopped");
}

#[tokio::test]
async fn a_changed_file_is_served_after_the_reload() {
    let (stub, file) = watched(json!([get_returning("old", "/old", json!({"v": 1}))])).await;
    let mut reloads = stub.server.reloads();
    assert_eq!(stub.get("/old").await.status(), 200);

    let next = contract(json!([
        get_returning("old", "/old", json!({"v": 2})),
        get_returning("new", "/new", json!({"v": 2}))
    ]));
    std::fs::write(&file, serde_json::to_vec(&next).unwrap()).unwrap();
    until(&mut reloads, |s| s.error.is_none() && s.interactions == 2).await;

    assert_eq!(stub.get_json("/new").await, (200, json!({"v": 2})));
    assert_eq!(stub.get_json("/old").await, (200, json!({"v": 2})));
    assert_eq!(stub.server.interaction_count(), 2);
}

#[tokio::test]
async fn a_reload_explains_misses_afresh() {
    let (stub, file) = watched(json!([get_returning("a user", "/users/1", json!({}))])).await;
    let mut reloads = stub.server.reloads();
    let (_, before) = stub.get_json("/users/2/orders").await;
    assert_eq!(before["closest"][0]["description"], "a user");

    let next = contract(json!([get_returning(
        "orders",
        "/users/2/orders/1",
        json!({})
    )]));
    std::fs::write(&file, serde_json::to_vec(&next).unwrap()).unwrap();
    until(&mut reloads, |s| {
        s.error.is_none() && s.interactions == 1 && s.generation > 0
    })
    .await;

    let (status, after) = stub.get_json("/users/2/orders").await;
    assert_eq!(status, 404);
    assert_eq!(after["interactions"], 1);
    assert_eq!(after["closest"][0]["description"], "orders");
}

#[tokio::test]
async fn an_invalid_file_keeps_the_last_good_set_and_logs_the_error() {
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || Sink(sink.clone()))
        .finish();
    // The test runtime is single-threaded: the watch task logs here.
    let _guard = tracing::subscriber::set_default(subscriber);

    let (stub, file) = watched(json!([get_returning("old", "/old", json!({"v": 1}))])).await;
    let mut reloads = stub.server.reloads();
    std::fs::write(&file, "{ this is not a contract").unwrap();
    until(&mut reloads, |s| s.error.is_some()).await;

    assert_eq!(stub.get_json("/old").await, (200, json!({"v": 1})));
    let (_, health) = stub.get_json("/__treaty/health").await;
    let error = health["lastReloadError"].as_str().unwrap();
    assert!(
        error.contains("contract.json") && error.contains("invalid JSON"),
        "{error}"
    );
    let logged = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("ERROR") && logged.contains("reload failed"),
        "{logged}"
    );

    // Fixing the file brings it back.
    let fixed = contract(json!([get_returning("fixed", "/fixed", json!({}))]));
    std::fs::write(&file, serde_json::to_vec(&fixed).unwrap()).unwrap();
    until(&mut reloads, |s| s.error.is_none() && s.interactions == 1).await;
    assert_eq!(stub.get("/fixed").await.status(), 200);
}

#[tokio::test]
async fn a_file_added_to_a_watched_directory_is_served() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.json",
        &contract(json!([get_returning("a", "/a", json!({}))])),
    );
    let config = StubConfig {
        watch: true,
        ..StubConfig::default()
    };
    let source = Source::Directory(dir.path().to_owned());
    let stub = Stub::over(dir, vec![source], config).await;
    let mut reloads = stub.server.reloads();
    write(
        stub.dir.path(),
        "b.json",
        &contract(json!([get_returning("b", "/b", json!({}))])),
    );
    until(&mut reloads, |s| s.error.is_none() && s.interactions == 2).await;
    assert_eq!(stub.get("/b").await.status(), 200);
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
