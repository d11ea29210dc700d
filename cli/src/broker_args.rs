//! Arguments of the broker client commands (`publish`, `can-i-deploy`,
//! `record-*`, ...). The connection flags read the Pact environment
//! variables, so pipelines switch by changing the binary name.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Where the broker is and how to log in.
#[derive(Debug, Clone, Args)]
pub(crate) struct Connection {
    /// The broker's base URL, with an optional sub-path.
    #[arg(
        long,
        short = 'b',
        alias = "broker-base-url",
        value_name = "URL",
        env = "PACT_BROKER_BASE_URL"
    )]
    pub(crate) broker_url: String,
    #[command(flatten)]
    pub(crate) auth: Credentials,
}

/// Broker credentials (a token wins over a user name when both are set,
/// as in the Pact CLI).
#[derive(Debug, Clone, Args)]
pub(crate) struct Credentials {
    /// Bearer token.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "PACT_BROKER_TOKEN",
        hide_env_values = true
    )]
    pub(crate) broker_token: Option<String>,
    /// User name for basic auth.
    #[arg(long, value_name = "USER", env = "PACT_BROKER_USERNAME")]
    pub(crate) broker_username: Option<String>,
    /// Password for basic auth.
    #[arg(
        long,
        value_name = "PASSWORD",
        env = "PACT_BROKER_PASSWORD",
        hide_env_values = true
    )]
    pub(crate) broker_password: Option<String>,
    /// Retries of a request that gets no answer, a 5xx, 408 or 429.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 4,
        env = "PACT_BROKER_HTTP_RETRIES"
    )]
    pub(crate) broker_retries: u32,
}

/// How broker answers are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TableOutput {
    /// Human tables (coloured on a terminal, unless NO_COLOR is set).
    Table,
    /// JSON for scripts.
    Json,
}

/// `treaty publish PATHS... --consumer-app-version V`.
#[derive(Debug, Args)]
pub(crate) struct PublishArgs {
    /// Contract files or directories of `*.json` contracts.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// The consumer version the contracts belong to.
    #[arg(long, short = 'a', value_name = "VERSION")]
    pub(crate) consumer_app_version: String,
    /// The consumer version's branch.
    #[arg(long, value_name = "BRANCH")]
    pub(crate) branch: Option<String>,
    /// A tag for the consumer version (repeatable, or comma-separated).
    #[arg(long = "tag", short = 't', value_name = "TAG", value_delimiter = ',')]
    pub(crate) tags: Vec<String>,
    /// The CI build that produced the contracts.
    #[arg(long, value_name = "URL")]
    pub(crate) build_url: Option<String>,
    #[command(flatten)]
    pub(crate) connection: Connection,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = TableOutput::Table)]
    pub(crate) output: TableOutput,
}

/// Shown after `treaty can-i-deploy --help`.
pub(crate) const CAN_I_DEPLOY_HELP: &str = "\
Versions: each --pacticipant is followed by --version V, --latest [TAG] or
--branch B (the latest of that branch); without one, its latest version.

Exit codes:
  0  deployable (or --dry-run)
  1  not deployable, or unknown (no verification result); --output json does
     not change the exit code
  2  usage error, or the broker could not be reached or answered an error";

/// `treaty can-i-deploy --pacticipant P --version V (--to-environment E | --to-tag T)`.
#[derive(Debug, Args)]
pub(crate) struct CanIDeployArgs {
    /// A pacticipant (repeatable; each followed by its version flags).
    #[arg(long, short = 'a', required = true, value_name = "NAME")]
    pub(crate) pacticipant: Vec<String>,
    /// The version of the preceding --pacticipant.
    #[arg(long, short = 'e', value_name = "VERSION")]
    pub(crate) version: Vec<String>,
    /// The latest version of the preceding --pacticipant (with TAG: the latest with that tag).
    #[arg(long, short = 'l', value_name = "TAG", num_args = 0..=1, default_missing_value = "")]
    pub(crate) latest: Vec<String>,
    /// The latest version of this branch of the preceding --pacticipant.
    #[arg(long, value_name = "BRANCH")]
    pub(crate) branch: Vec<String>,
    /// The environment to deploy to.
    #[arg(
        long,
        value_name = "ENVIRONMENT",
        required_unless_present = "to_tag",
        conflicts_with = "to_tag"
    )]
    pub(crate) to_environment: Option<String>,
    /// The tag of the versions to be deployed with (legacy; prefer environments).
    #[arg(long, alias = "to", value_name = "TAG")]
    pub(crate) to_tag: Option<String>,
    /// Ask again up to N times while the answer is unknown.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub(crate) retry_while_unknown: u32,
    /// Seconds between those retries.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub(crate) retry_interval: u64,
    /// Print the answer but exit 0 whatever it is.
    #[arg(long, env = "PACT_BROKER_CAN_I_DEPLOY_DRY_RUN")]
    pub(crate) dry_run: bool,
    #[command(flatten)]
    pub(crate) connection: Connection,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = TableOutput::Table)]
    pub(crate) output: TableOutput,
}

/// `treaty record-deployment` and `record-release`.
#[derive(Debug, Args)]
pub(crate) struct RecordVersionArgs {
    /// The pacticipant.
    #[arg(long, short = 'a', value_name = "NAME")]
    pub(crate) pacticipant: String,
    /// Its version.
    #[arg(long, short = 'e', value_name = "VERSION")]
    pub(crate) version: String,
    /// The environment.
    #[arg(long, value_name = "ENVIRONMENT")]
    pub(crate) environment: String,
    /// The application instance (deployments only).
    #[arg(long, alias = "target", value_name = "INSTANCE")]
    pub(crate) application_instance: Option<String>,
    #[command(flatten)]
    pub(crate) connection: Connection,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = TableOutput::Table)]
    pub(crate) output: TableOutput,
}

/// `treaty record-undeployment` and `record-support-ended`.
#[derive(Debug, Args)]
pub(crate) struct EndArgs {
    /// The pacticipant.
    #[arg(long, short = 'a', value_name = "NAME")]
    pub(crate) pacticipant: String,
    /// Only this version (record-support-ended; default: every current one).
    #[arg(long, short = 'e', value_name = "VERSION")]
    pub(crate) version: Option<String>,
    /// The environment.
    #[arg(long, value_name = "ENVIRONMENT")]
    pub(crate) environment: String,
    /// Only this application instance.
    #[arg(long, alias = "target", value_name = "INSTANCE")]
    pub(crate) application_instance: Option<String>,
    #[command(flatten)]
    pub(crate) connection: Connection,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = TableOutput::Table)]
    pub(crate) output: TableOutput,
}

/// `treaty create-environment --name N [--display-name D] [--production]`.
#[derive(Debug, Args)]
pub(crate) struct EnvironmentArgs {
    /// The name (no spaces).
    #[arg(long, value_name = "NAME")]
    pub(crate) name: String,
    /// The display name.
    #[arg(long, value_name = "TEXT")]
    pub(crate) display_name: Option<String>,
    /// A production environment.
    #[arg(long)]
    pub(crate) production: bool,
    #[command(flatten)]
    pub(crate) connection: Connection,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = TableOutput::Table)]
    pub(crate) output: TableOutput,
}

/// `treaty describe-version --pacticipant P [--version V]`.
#[derive(Debug, Args)]
pub(crate) struct DescribeVersionArgs {
    /// The pacticipant.
    #[arg(long, short = 'a', value_name = "NAME")]
    pub(crate) pacticipant: String,
    /// The version (default: the latest).
    #[arg(long, short = 'e', value_name = "VERSION")]
    pub(crate) version: Option<String>,
    #[command(flatten)]
    pub(crate) connection: Connection,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = TableOutput::Table)]
    pub(crate) output: TableOutput,
}

/// `treaty create-or-update-version --pacticipant P --version V [--branch B] [--tag T]...`.
#[derive(Debug, Args)]
pub(crate) struct VersionArgs {
    /// The pacticipant.
    #[arg(long, short = 'a', value_name = "NAME")]
    pub(crate) pacticipant: String,
    /// The version.
    #[arg(long, short = 'e', value_name = "VERSION")]
    pub(crate) version: String,
    /// A branch to add the version to.
    #[arg(long, value_name = "BRANCH")]
    pub(crate) branch: Option<String>,
    /// Tags to add (repeatable, or comma-separated).
    #[arg(long = "tag", short = 't', value_name = "TAG", value_delimiter = ',')]
    pub(crate) tags: Vec<String>,
    /// The CI build URL.
    #[arg(long, value_name = "URL")]
    pub(crate) build_url: Option<String>,
    #[command(flatten)]
    pub(crate) connection: Connection,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = TableOutput::Table)]
    pub(crate) output: TableOutput,
}

/// `treaty create-webhook URL --request POST [--data JSON] [events...]`.
#[derive(Debug, Args)]
pub(crate) struct WebhookArgs {
    /// The URL the webhook calls.
    #[arg(value_name = "URL")]
    pub(crate) url: String,
    /// The HTTP method of the call.
    #[arg(long, short = 'X', value_name = "METHOD", default_value = "POST")]
    pub(crate) request: String,
    /// A header of the call (repeatable).
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE", value_parser = crate::args::header)]
    pub(crate) headers: Vec<(String, String)>,
    /// The body of the call (JSON, or text).
    #[arg(long, short = 'd', value_name = "BODY")]
    pub(crate) data: Option<String>,
    /// A description.
    #[arg(long, value_name = "TEXT")]
    pub(crate) description: Option<String>,
    /// Only for this consumer.
    #[arg(long, value_name = "NAME")]
    pub(crate) consumer: Option<String>,
    /// Only for this provider.
    #[arg(long, value_name = "NAME")]
    pub(crate) provider: Option<String>,
    /// Trigger when a contract's content changes.
    #[arg(long)]
    pub(crate) contract_content_changed: bool,
    /// Trigger on every publication.
    #[arg(long)]
    pub(crate) contract_published: bool,
    /// Trigger when a contract needing verification is published.
    #[arg(long)]
    pub(crate) contract_requiring_verification_published: bool,
    /// Trigger on every verification result.
    #[arg(long)]
    pub(crate) provider_verification_published: bool,
    /// Trigger on successful verification results.
    #[arg(long)]
    pub(crate) provider_verification_succeeded: bool,
    /// Trigger on failed verification results.
    #[arg(long)]
    pub(crate) provider_verification_failed: bool,
    #[command(flatten)]
    pub(crate) connection: Connection,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = TableOutput::Table)]
    pub(crate) output: TableOutput,
}

/// `treaty verify --broker-url U --provider P`: where the pacts come from
/// and what the results are published as.
#[derive(Debug, Args)]
pub(crate) struct VerifyBrokerArgs {
    /// Fetch the pacts to verify from this broker (instead of PATH_OR_URL).
    #[arg(long, short = 'b', value_name = "URL", env = "PACT_BROKER_BASE_URL")]
    pub(crate) broker_url: Option<String>,
    #[command(flatten)]
    pub(crate) auth: Credentials,
    /// The provider's name in the broker.
    #[arg(long, value_name = "NAME")]
    pub(crate) provider: Option<String>,
    /// A consumer version selector as JSON (`{"mainBranch": true}`), or a
    /// JSON array of them (repeatable).
    #[arg(long = "consumer-version-selectors", value_name = "JSON")]
    pub(crate) selectors: Vec<String>,
    /// Select the latest pact of this consumer branch (repeatable).
    #[arg(long, value_name = "BRANCH")]
    pub(crate) consumer_version_branch: Vec<String>,
    /// Select the latest pact with this tag (repeatable, or comma-separated).
    #[arg(long, value_name = "TAG", value_delimiter = ',')]
    pub(crate) consumer_version_tags: Vec<String>,
    /// Select the latest pacts of each consumer's main branch.
    #[arg(long)]
    pub(crate) main_branch: bool,
    /// Select the pacts of the consumer versions deployed or released.
    #[arg(long)]
    pub(crate) deployed_or_released: bool,
    /// Select the pacts of consumer branches named like the provider branch.
    #[arg(long)]
    pub(crate) matching_branch: bool,
    /// Failures of pacts not yet verified successfully by this provider
    /// branch are warnings, not failures.
    #[arg(long)]
    pub(crate) enable_pending: bool,
    /// Also verify work-in-progress pacts published since DATE (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", requires = "enable_pending")]
    pub(crate) include_wip_pacts_since: Option<String>,
    /// The provider version being verified (required with --publish).
    #[arg(long, value_name = "VERSION")]
    pub(crate) provider_version: Option<String>,
    /// The provider version's branch.
    #[arg(long, value_name = "BRANCH")]
    pub(crate) provider_branch: Option<String>,
    /// The provider version's tags (comma-separated).
    #[arg(long, value_name = "TAG", value_delimiter = ',')]
    pub(crate) provider_tags: Vec<String>,
    /// Publish the verification results to the broker.
    #[arg(long, requires = "provider_version")]
    pub(crate) publish: bool,
    /// The CI build URL sent with the results.
    #[arg(long, value_name = "URL")]
    pub(crate) build_url: Option<String>,
}

/// `treaty stub --broker-url U [--consumer C] [--provider P]`.
#[derive(Debug, Args)]
pub(crate) struct StubBrokerArgs {
    /// Serve the latest pacts of this broker (instead of PATH_OR_URL).
    #[arg(long, short = 'b', value_name = "URL", env = "PACT_BROKER_BASE_URL")]
    pub(crate) broker_url: Option<String>,
    #[command(flatten)]
    pub(crate) auth: Credentials,
    /// Only the pacts of this consumer (repeatable).
    #[arg(long = "consumer", value_name = "NAME", requires = "broker_url")]
    pub(crate) consumers: Vec<String>,
    /// Only the pacts of this provider (repeatable).
    #[arg(long = "provider", value_name = "NAME", requires = "broker_url")]
    pub(crate) providers: Vec<String>,
}
