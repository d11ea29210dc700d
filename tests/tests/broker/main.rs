//! End-to-end tests of `treaty broker`: the real binary on a random port,
//! driven over HTTP, by the real Pact CLI (`pact broker ...`, `pact
//! verifier`, `pact stub` from the interop venv), killed with SIGKILL
//! mid-stream, hammered by concurrent publishers, delivering webhooks to a
//! local receiver, and served under a sub-path behind a reverse proxy.

mod auth;
mod auth_matrix;
mod cli;
mod concurrency;
mod config;
mod durability;
mod flow;
mod hostile;
mod http;
mod lifecycle;
mod limits;
mod migrations;
mod names;
mod observability;
mod proxy;
mod retention;
mod selectors;
mod webhook_events;
mod webhooks;
mod wire;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `treaty` binary, built once for this test run.
pub(crate) fn treaty_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "treaty-cli", "--bin", "treaty"])
            .current_dir(root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building treaty failed");
        let exe = std::env::current_exe().expect("test executable");
        let dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>");
        dir.join("treaty")
    })
    .clone()
}

/// A `treaty broker` child process; killed (SIGKILL) when dropped.
pub(crate) struct BrokerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) url: String,
}

impl BrokerProcess {
    /// Starts a broker on a free port over `db`; returns once it accepts
    /// connections (it prints its address only after binding).
    pub(crate) fn start(db: &Path) -> BrokerProcess {
        BrokerProcess::start_with(db, &[])
    }

    /// [`BrokerProcess::start`] with extra `treaty broker` arguments.
    pub(crate) fn start_with(db: &Path, extra: &[&str]) -> BrokerProcess {
        BrokerProcess::start_with_env(db, extra, &[])
    }

    /// [`BrokerProcess::start_with`] with environment variables set (an
    /// empty value removes the variable).
    pub(crate) fn start_with_env(db: &Path, extra: &[&str], env: &[(&str, &str)]) -> BrokerProcess {
        let mut command = Command::new(treaty_bin());
        for (name, value) in env {
            match *value {
                "" => command.env_remove(name),
                value => command.env(name, value),
            };
        }
        let mut child = command
            .args(["broker", "--port", "0", "--db"])
            .arg(db)
            .args(extra)
            .env("TREATY_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("treaty broker starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("first line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        BrokerProcess { child, url }
    }

    /// Kills the broker with SIGKILL and waits for it.
    pub(crate) fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for BrokerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The interop venv (`scripts/python-env.sh`); tests fail without it.
pub(crate) fn venv() -> PathBuf {
    let venv = std::env::var_os("TREATY_VENV").map_or_else(|| root().join(".venv"), PathBuf::from);
    assert!(
        venv.join("bin/pact").is_file(),
        "{} has no bin/pact: run scripts/python-env.sh (scripts/test does)",
        venv.display()
    );
    venv
}

/// A pact between two applications; `variant` changes its content.
pub(crate) fn pact(consumer: &str, provider: &str, variant: &str) -> serde_json::Value {
    serde_json::json!({
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [{
            "description": format!("a request for {variant}"),
            "request": {"method": "GET", "path": format!("/{variant}")},
            "response": {"status": 200},
        }],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    })
}
