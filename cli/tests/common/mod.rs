//! Running the built `treaty` binary as a server in CLI tests.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A `treaty` server process; killed when dropped.
pub(crate) struct Running {
    /// The process (for signals, stderr).
    pub(crate) child: Child,
    /// The URL it printed on its first stdout line.
    pub(crate) url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `treaty` command with the given arguments.
pub(crate) fn treaty(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_treaty"));
    command.args(args);
    command
}

/// Spawns the command with stdout piped and reads the URL it prints on
/// its first line (servers started on port 0 print where they listen).
pub(crate) fn start(mut command: Command) -> Running {
    let mut child = command.stdout(Stdio::piped()).spawn().expect("treaty runs");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a URL line");
    let url = line.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "printed {line:?}");
    Running { child, url }
}
