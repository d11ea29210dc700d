//! The Python environment with the Pact reference tools
//! (`scripts/python-env.sh`): `$TREATY_VENV`, else `.venv` at the
//! workspace root. Tests that need it fail, not skip, when it is missing.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("workspace root")
}

/// The venv's Python; panics with the fix when it is missing.
pub fn venv_python() -> PathBuf {
    let venv = std::env::var_os("TREATY_VENV").map_or_else(|| root().join(".venv"), PathBuf::from);
    let python = venv.join("bin/python");
    assert!(
        python.is_file(),
        "{} is missing: run scripts/python-env.sh (the README's test command does)",
        python.display()
    );
    python
}

/// `tests/interop/provider.py` running on a free port; killed on drop.
pub struct InteropProvider {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    child: Child,
}

impl InteropProvider {
    /// Starts the provider with extra arguments (`--break status`) and
    /// waits for its `listening on HOST:PORT` line.
    pub fn start(extra: &[&str]) -> InteropProvider {
        let mut child = Command::new(venv_python())
            .arg(root().join("tests/interop/provider.py"))
            .args(["0", "--host", "127.0.0.1"])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .expect("provider.py starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("provider.py prints its address");
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from provider.py: {line:?}"));
        InteropProvider {
            url: format!("http://{address}"),
            child,
        }
    }
}

impl Drop for InteropProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
