//! The exit-code contract, defined once: every command ends in one of these.

use std::process::ExitCode;

/// How a `treaty` run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Everything checked out.
    Ok,
    /// The answer is "no": a contract is invalid, a verification failed.
    No,
    /// treaty could not run: bad usage, or an input it could not read.
    Error,
}

/// The contract as shown at the end of `--help`.
pub(crate) const HELP: &str = "\
Exit codes:
  0  success
  1  no: a contract is invalid (or a verification failed)
  2  usage error, or treaty could not run (for example a file it could not read,
     or a provider that did not answer)";

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(match exit {
            Exit::Ok => 0,
            Exit::No => 1,
            Exit::Error => 2,
        })
    }
}
