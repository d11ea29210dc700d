//! One module per subcommand; each returns how the run ended.

mod validate;

use crate::args::{Cli, Command};
use crate::exit::Exit;

/// Runs the chosen subcommand.
pub(crate) fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Validate(args) => validate::run(&args),
    }
}
