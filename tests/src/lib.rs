//! Workspace-level tests live under `tests/`; this library holds what
//! several test binaries share: test servers on `127.0.0.1:0` and the
//! paths of the Python interop environment.

pub mod python;
pub mod server;
pub mod users;
