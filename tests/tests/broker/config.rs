//! `treaty broker` configuration from the environment and its defaults:
//! the database defaults to `treaty.db` in the working directory, the port
//! to 9292 (checked in `--help`; tests never bind a fixed port), and
//! `TREATY_BROKER_DB`, `TREATY_BROKER_PORT` and the four credential
//! variables work like their flags.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::treaty_bin;
use crate::wire::{basic, Call};

/// A broker started with environment variables; killed when dropped.
struct EnvBroker {
    child: Child,
    url: String,
}

impl EnvBroker {
    fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> EnvBroker {
        let mut command = Command::new(treaty_bin());
        command
            .arg("broker")
            .args(args)
            .current_dir(dir)
            .env("TREATY_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for name in [
            "TREATY_BROKER_DB",
            "TREATY_BROKER_PORT",
            "TREATY_BROKER_TOKEN",
            "TREATY_BROKER_READ_TOKEN",
            "TREATY_BROKER_BASIC_AUTH",
            "TREATY_BROKER_READ_BASIC_AUTH",
        ] {
            command.env_remove(name);
        }
        command.envs(env.iter().copied());
        let mut child = command.spawn().expect("treaty broker starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        EnvBroker { child, url }
    }
}

impl Drop for EnvBroker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_database_defaults_to_treaty_db_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let broker = EnvBroker::start(dir.path(), &["--port", "0"], &[]);
    let answer = Call::new("POST", "/environments")
        .json(&json!({"name": "production", "production": true}))
        .expect(&broker.url);
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert!(dir.path().join("treaty.db").is_file());
    drop(broker);

    let help = Command::new(treaty_bin())
        .args(["broker", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("[default: 9292]"), "{help}");
    assert!(help.contains("[default: treaty.db]"), "{help}");
}

#[test]
fn database_port_and_credentials_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.db");
    let broker = EnvBroker::start(
        dir.path(),
        &[],
        &[
            ("TREATY_BROKER_DB", db.to_str().unwrap()),
            ("TREATY_BROKER_PORT", "0"),
            ("TREATY_BROKER_TOKEN", "rw-1,rw-2"),
            ("TREATY_BROKER_READ_TOKEN", "ro"),
            ("TREATY_BROKER_BASIC_AUTH", "ci:s3cret"),
            ("TREATY_BROKER_READ_BASIC_AUTH", "viewer:look"),
        ],
    );
    let base = broker.url.as_str();
    let environment = |name: &str| {
        Call::new("POST", "/environments").json(&json!({"name": name, "production": false}))
    };
    assert_eq!(environment("none").expect(base).status, 401);
    for (n, (auth, status)) in [
        ("Bearer ro", 403),
        (basic("viewer", "look").as_str(), 403),
        ("Bearer rw-1", 201),
        ("Bearer rw-2", 201),
        (basic("ci", "s3cret").as_str(), 201),
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("e{n}");
        let answer = environment(&name).auth(Some(auth)).expect(base);
        assert_eq!(answer.status, status, "{auth}: {}", answer.text);
    }
    assert!(db.is_file());
    assert!(!dir.path().join("treaty.db").exists());
}

#[test]
fn empty_credential_variables_leave_authentication_off() {
    let dir = tempfile::tempdir().unwrap();
    let broker = EnvBroker::start(
        dir.path(),
        &["--port", "0"],
        &[
            ("TREATY_BROKER_TOKEN", ""),
            ("TREATY_BROKER_READ_TOKEN", ""),
        ],
    );
    let answer = Call::new("POST", "/environments")
        .json(&json!({"name": "production", "production": true}))
        .expect(&broker.url);
    assert_eq!(answer.status, 201, "{}", answer.text);
}
