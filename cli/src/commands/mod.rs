//! One module per subcommand; each returns how the run ended.

mod broker;
mod last_failed;
mod mock;
mod record;
mod stub;
mod validate;
mod verify;

use crate::args::{Cli, Command};
use crate::exit::Exit;

/// Runs the chosen subcommand.
pub(crate) fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Stub(args) => stub::run(args),
        Command::Mock(args) => mock::run(&args),
        Command::Record(args) => record::run(&args),
        Command::Broker(args) => broker::run(&args),
    }
}
