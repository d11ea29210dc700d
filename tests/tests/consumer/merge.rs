//! Contract files merged by tests running at once: in threads (cargo
//! test) and in processes (cargo nextest), every interaction ends up in the
//! file exactly once, the bytes do not depend on the order of the writes,
//! and two different definitions of one interaction in the same run are an
//! error naming both.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use treaty_core::consumer::{contract, get, ok, ContractBuilder, PactFileError};

use super::support::written;

const WORKER_ENV: &str = "TREATY_TEST_MERGE_WORKER";

fn one(dir: &Path, n: usize) -> ContractBuilder {
    contract("web", "orders")
        .output_dir(dir)
        .interaction(&format!("order {n:03}"), |i| {
            i.request(get(format!("/orders/{n}").as_str()))
                .response(ok().json(json!({"id": n})))
        })
}

fn descriptions(dir: &Path) -> Vec<String> {
    written(dir, "web", "orders")["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["description"].as_str().unwrap().to_owned())
        .collect()
}

fn expected(count: usize) -> Vec<String> {
    (0..count).map(|n| format!("order {n:03}")).collect()
}

#[test]
fn threads_writing_at_once_keep_every_interaction_once_in_a_stable_order() {
    let dir = tempfile::tempdir().unwrap();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let dir = dir.path();
            scope.spawn(move || {
                for n in (t..200).step_by(8) {
                    one(dir, n).write().unwrap();
                    // Every test of the run writes what it shares again.
                    one(dir, 0).write().unwrap();
                }
            });
        }
    });
    assert_eq!(descriptions(dir.path()), expected(200));
    let path = dir.path().join("web-orders.json");
    let before = std::fs::read(&path).unwrap();
    for n in (0..200).rev() {
        one(dir.path(), n).write().unwrap();
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "byte-stable");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Run as a child process by the next test: writes its share of 400.
#[test]
fn merge_worker_process() {
    let Ok(spec) = std::env::var(WORKER_ENV) else {
        return;
    };
    let (dir, index) = spec.rsplit_once(',').expect("dir,index");
    let index: usize = index.parse().unwrap();
    for n in 0..50 {
        one(Path::new(dir), index * 50 + n).write().unwrap();
    }
}

#[test]
fn processes_writing_at_once_keep_every_interaction_once() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..8)
        .map(|index| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "merge::merge_worker_process",
                    "--test-threads",
                    "1",
                ])
                .env(WORKER_ENV, format!("{},{index}", dir.path().display()))
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    assert_eq!(descriptions(dir.path()), expected(400));
}

fn order_7(dir: &Path, status: u16) -> ContractBuilder {
    contract("web", "orders")
        .output_dir(dir)
        .interaction("order 7", |i| {
            i.given("order 7 exists")
                .request(get("/orders/7"))
                .response(treaty_core::consumer::status(status))
        })
}

#[test]
fn two_definitions_of_one_interaction_in_a_run_are_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    order_7(dir.path(), 200).write().unwrap();
    let err = order_7(dir.path(), 404).write().expect_err("a conflict");
    assert!(matches!(err, PactFileError::Conflict { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "conflicting definitions of the interaction `order 7 given `order 7 exists``"
        ),
        "{text}"
    );
    assert!(
        text.contains("\"status\": 200") && text.contains("\"status\": 404"),
        "{text}"
    );
}

#[test]
fn a_definition_from_an_earlier_run_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    order_7(dir.path(), 200).write().unwrap();
    std::fs::write(dir.path().join("web-orders.json.lock"), "parent 1").unwrap();
    order_7(dir.path(), 404).write().unwrap();
    let file = written(dir.path(), "web", "orders");
    assert_eq!(file["interactions"][0]["response"]["status"], 404);
    assert_eq!(file["interactions"].as_array().unwrap().len(), 1);
}

/// Regression (found writing examples/checkout-web): once this run has
/// written one interaction, another interaction left by an earlier run is
/// still replaced, not reported as a conflict.
#[test]
fn an_earlier_runs_definition_is_replaced_after_this_run_wrote_others() {
    let dir = tempfile::tempdir().unwrap();
    order_7(dir.path(), 200).write().unwrap();
    std::fs::write(dir.path().join("web-orders.json.lock"), "parent 1").unwrap();
    one(dir.path(), 1).write().unwrap();
    order_7(dir.path(), 404).write().unwrap();
    let file = written(dir.path(), "web", "orders");
    let statuses: Vec<&Value> = file["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["response"]["status"])
        .collect();
    assert_eq!(statuses, [&json!(200), &json!(404)]);
}
