//! One module per subcommand; each returns how the run ended.

mod broker;
mod broker_verify;
mod can_i_deploy;
mod connect;
mod last_failed;
mod mock;
mod publish;
mod record;
mod records;
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
        Command::Publish(args) => publish::run(&args),
        Command::CanIDeploy(args) => can_i_deploy::run(&args),
        Command::RecordDeployment(args) => records::record(&args, false),
        Command::RecordRelease(args) => records::record(&args, true),
        Command::RecordUndeployment(args) => records::end(&args, false),
        Command::RecordSupportEnded(args) => records::end(&args, true),
        Command::CreateEnvironment(args) => records::create_environment(&args),
        Command::DescribeVersion(args) => records::describe_version(&args),
        Command::CreateOrUpdateVersion(args) => records::create_or_update_version(&args),
        Command::CreateWebhook(args) => records::create_webhook(&args),
    }
}
