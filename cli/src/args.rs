//! Command-line arguments (clap derive). Only `cli` sees these types.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::broker_args::{
    CanIDeployArgs, DescribeVersionArgs, EndArgs, EnvironmentArgs, PublishArgs, RecordVersionArgs,
    StubBrokerArgs, VerifyBrokerArgs, VersionArgs, WebhookArgs,
};
use crate::exit;

/// Consumer-driven contract testing, compatible with Pact files.
#[derive(Debug, Parser)]
#[command(name = "treaty", version, after_help = exit::HELP)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check contract files (Pact V1 to V4) and report every problem.
    #[command(after_help = exit::HELP)]
    Validate(ValidateArgs),
    /// Replay contracts against a running provider and report, per
    /// interaction, whether it answered as the contract expects.
    #[command(after_help = VERIFY_HELP)]
    Verify(Box<VerifyArgs>),
    /// Serve the HTTP interactions of contracts as a stub server.
    #[command(after_help = STUB_HELP)]
    Stub(StubArgs),
    /// Run a control server that creates consumer mock servers on demand,
    /// for consumer tests in any language (HTTP/JSON API).
    #[command(after_help = MOCK_HELP)]
    Mock(MockArgs),
    /// Record a contract from real traffic: a proxy to the provider that
    /// turns each distinct exchange into an interaction.
    #[command(after_help = RECORD_HELP)]
    Record(RecordArgs),
    /// Run the contract broker (Pact Broker API, SQLite storage).
    Broker(BrokerArgs),
    /// Publish contracts to a broker for a consumer version.
    #[command(after_help = exit::HELP)]
    Publish(PublishArgs),
    /// Ask a broker whether versions can be deployed together.
    #[command(after_help = crate::broker_args::CAN_I_DEPLOY_HELP)]
    CanIDeploy(CanIDeployArgs),
    /// Record that a version is deployed to an environment.
    RecordDeployment(RecordVersionArgs),
    /// Record that a pacticipant is no longer deployed to an environment.
    RecordUndeployment(EndArgs),
    /// Record that a version is released to an environment.
    RecordRelease(RecordVersionArgs),
    /// Record that a released version is no longer supported.
    RecordSupportEnded(EndArgs),
    /// Create an environment in a broker.
    CreateEnvironment(EnvironmentArgs),
    /// Show a version: its branches, tags and environments.
    DescribeVersion(DescribeVersionArgs),
    /// Create a version, or add a branch and tags to it.
    CreateOrUpdateVersion(VersionArgs),
    /// Create a webhook in a broker.
    CreateWebhook(WebhookArgs),
}

/// `treaty broker [--db FILE] [--port N] [--host ADDR] [--public-url URL]`.
#[derive(Debug, Args)]
pub(crate) struct BrokerArgs {
    /// SQLite database file (created and migrated at start).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "treaty.db",
        env = "TREATY_BROKER_DB"
    )]
    pub(crate) db: PathBuf,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 9292, env = "TREATY_BROKER_PORT")]
    pub(crate) port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1", env = "TREATY_BROKER_HOST")]
    pub(crate) host: std::net::IpAddr,
    /// External base URL for links (behind a proxy or under a sub-path);
    /// without it, links follow X-Forwarded-* and Host headers.
    #[arg(long, value_name = "URL", env = "TREATY_BROKER_PUBLIC_URL")]
    pub(crate) public_url: Option<String>,
    /// Largest accepted request body, in bytes (413 beyond it).
    #[arg(long, value_name = "BYTES", default_value_t = treaty_broker::DEFAULT_MAX_BODY_BYTES)]
    pub(crate) max_body_bytes: usize,
    /// Accept `Authorization: Bearer TOKEN` for reads and writes (turns
    /// authentication on; prefer the environment variable to keep the
    /// secret out of `ps`). Repeatable; the variable takes a comma list.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "TREATY_BROKER_TOKEN",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub(crate) token: Vec<String>,
    /// Accept `Authorization: Bearer TOKEN` for reads only.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "TREATY_BROKER_READ_TOKEN",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub(crate) read_token: Vec<String>,
    /// Accept basic credentials `USER:PASSWORD` for reads and writes.
    #[arg(
        long,
        value_name = "USER:PASSWORD",
        env = "TREATY_BROKER_BASIC_AUTH",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub(crate) basic_auth: Vec<String>,
    /// Accept basic credentials `USER:PASSWORD` for reads only.
    #[arg(
        long,
        value_name = "USER:PASSWORD",
        env = "TREATY_BROKER_READ_BASIC_AUTH",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub(crate) read_basic_auth: Vec<String>,
    /// Turn on retention cleanup: delete versions older than DAYS unless
    /// they are a main-branch head, a pacticipant's newest version, or
    /// currently deployed or released.
    #[arg(long, value_name = "DAYS", env = "TREATY_BROKER_RETENTION_DAYS")]
    pub(crate) retention_days: Option<u32>,
    /// Hours between retention cleanups (the first runs at start).
    #[arg(
        long,
        value_name = "HOURS",
        default_value_t = 24,
        env = "TREATY_BROKER_RETENTION_EVERY_HOURS"
    )]
    pub(crate) retention_every_hours: u32,
    /// Hosts webhooks may call: a name, a `*` glob (`*.example.com`), an
    /// IP address or a CIDR network (`10.0.0.0/8`; IP-literal URLs only,
    /// names are not resolved). Repeatable. Without it any host is allowed
    /// (logged at start).
    #[arg(
        long,
        value_name = "HOST_OR_GLOB_OR_CIDR",
        env = "TREATY_BROKER_WEBHOOK_HOST_ALLOW",
        value_delimiter = ','
    )]
    pub(crate) webhook_host_allow: Vec<String>,
    /// URL schemes webhooks may use (`https`, `http`). Repeatable.
    #[arg(
        long,
        value_name = "SCHEME",
        default_value = "https",
        env = "TREATY_BROKER_WEBHOOK_SCHEME_ALLOW",
        value_delimiter = ','
    )]
    pub(crate) webhook_scheme_allow: Vec<String>,
    /// HTTP methods webhooks may use. Repeatable.
    #[arg(
        long,
        value_name = "METHOD",
        default_value = "POST",
        env = "TREATY_BROKER_WEBHOOK_METHOD_ALLOW",
        value_delimiter = ','
    )]
    pub(crate) webhook_method_allow: Vec<String>,
    /// Waits before each retry of a failed webhook delivery; a delivery
    /// gets one attempt more than there are waits, then it is
    /// dead-lettered. The default follows the Pact Broker (7 attempts over
    /// about 38 minutes).
    #[arg(
        long,
        value_name = "DURATION,...",
        default_value = "10s,1m,2m,5m,10m,20m",
        env = "TREATY_BROKER_WEBHOOK_RETRY_SCHEDULE",
        value_delimiter = ',',
        value_parser = humantime::parse_duration
    )]
    pub(crate) webhook_retry_schedule: Vec<std::time::Duration>,
}

/// `treaty validate FILE... [--output text|json]`.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Contract files; directories are searched for `*.json` files.
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub(crate) output: Output,
}

/// `treaty stub PATH_OR_URL... [--host H] [--port P] [--cors] [--watch] ...`.
#[derive(Debug, Args)]
pub(crate) struct StubArgs {
    /// Contract files, directories of `*.json` contracts, or http(s) URLs.
    #[arg(required_unless_present = "broker_url", value_name = "PATH_OR_URL")]
    pub(crate) sources: Vec<String>,
    #[command(flatten)]
    pub(crate) broker: StubBrokerArgs,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: String,
    /// The port; 0 picks a free one (the URL is printed).
    #[arg(long, short, default_value_t = 0)]
    pub(crate) port: u16,
    /// Answer CORS preflight requests and add CORS headers to responses.
    #[arg(long)]
    pub(crate) cors: bool,
    /// Reload the contracts when their files change.
    #[arg(long)]
    pub(crate) watch: bool,
    /// When several interactions match, prefer those whose provider state
    /// matches this regex.
    #[arg(long, value_name = "REGEX")]
    pub(crate) provider_state: Option<String>,
    /// The request header naming the provider state to prefer when several
    /// interactions match.
    #[arg(
        long,
        value_name = "NAME",
        default_value = treaty_core::stub::DEFAULT_STATE_HEADER,
        alias = "provider-state-header-name"
    )]
    pub(crate) state_header: String,
    /// The status answered when no interaction matches.
    #[arg(long, value_name = "STATUS", default_value_t = 404,
          value_parser = clap::value_parser!(u16).range(100..=599))]
    pub(crate) miss_status: u16,
}

/// `treaty mock [--host H] [--port P] [--contract-dir DIR]`.
#[derive(Debug, Args)]
pub(crate) struct MockArgs {
    /// The address the control server and its mock servers listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: String,
    /// The control server's port; 0 picks a free one (the URL is printed).
    #[arg(long, short, default_value_t = 0)]
    pub(crate) port: u16,
    /// Where `POST /mocks/{id}/write` merges contracts (default:
    /// $TREATY_CONTRACT_DIR, else target/contracts).
    #[arg(long, value_name = "DIR")]
    pub(crate) contract_dir: Option<PathBuf>,
}

/// `treaty record --upstream URL --consumer C --provider S --out FILE`.
#[derive(Debug, Args)]
pub(crate) struct RecordArgs {
    /// The provider's base URL, e.g. http://localhost:8080.
    #[arg(long, value_name = "URL")]
    pub(crate) upstream: String,
    /// The consumer's name in the contract.
    #[arg(long)]
    pub(crate) consumer: String,
    /// The provider's name in the contract.
    #[arg(long)]
    pub(crate) provider: String,
    /// The contract file to write (replaced).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: String,
    /// The port; 0 picks a free one (the URL is printed).
    #[arg(long, short, default_value_t = 0)]
    pub(crate) port: u16,
}

/// Shown after `treaty record --help`.
const RECORD_HELP: &str = "\
Each distinct exchange (method, path, query, request-body shape) becomes an
interaction. Matchers are inferred: types for scalars, each-like for
homogeneous arrays, regexes for UUIDs, ISO dates and times, e-mails.
Date, request-id and other varying headers are dropped; Authorization and
cookies are redacted.
The contract is written on Ctrl-C or SIGTERM, and on POST /__treaty/write.";

/// Shown after `treaty mock --help`.
const MOCK_HELP: &str = "\
Control API (JSON; CORS enabled):
  POST   /mocks                  a contract (or an array of interactions with
                                 ?consumer=C&provider=P) -> 201 {id, port, url}
  GET    /mocks                  the running mock servers
  GET    /mocks/{id}/requests    requests received, each matched, mismatched
                                 or unexpected
  GET    /mocks/{id}/mismatches  the mismatched and unexpected ones
  POST   /mocks/{id}/verify      200 {ok: true}, or 422 with the report
  POST   /mocks/{id}/write       verify, then merge into the contract file
  DELETE /mocks/{id}             stop the mock server
Stops on Ctrl-C (or SIGTERM).";

/// Shown after `treaty stub --help`.
const STUB_HELP: &str = "\
Admin endpoints: /__treaty/interactions, /__treaty/requests, /__treaty/health.
Logging: RUST_LOG (default: info; one line per request).
Stops on Ctrl-C (or SIGTERM), letting requests in flight finish.";

/// How reports are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Output {
    /// One line per file and per problem, coloured on a terminal.
    Text,
    /// A JSON array with one object per file.
    Json,
}

/// Shown after `treaty verify --help`.
const VERIFY_HELP: &str = "\
Provider states: before each interaction treaty POSTs
{\"state\", \"params\", \"action\": \"setup\"} to --state-change-url (one call per
state, one with an empty state when there is none), as the Pact verifier
does; the JSON object it answers with fills ProviderState generators.

Messages: treaty POSTs {\"description\", \"providerStates\"} (plus \"request\"
for a synchronous message) to --message-url (default: the provider URL); the
answer's body is the message and the Pact-Message-Metadata header its
base64 JSON metadata.

--jobs: 1 by default because many providers keep state. More jobs are safe
when the provider is stateless or the states of all interactions can hold
at the same time.

--last-failed: every run records the interactions that failed or errored in
.treaty/verify-last-failed.json (in the current directory); --last-failed
verifies only those (everything when none are recorded).

Exit codes:
  0  every interaction passed (failures of pending interactions are reported only)
  1  verification failed: the provider answered, but not as a contract expects
  2  usage error, or treaty could not verify: a contract could not be loaded,
     the provider did not answer (refused, reset, timed out), a state change failed";

/// `treaty verify PATH_OR_URL... --provider-url URL [options]`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// Contract files, directories of `*.json` contracts, or http(s) URLs.
    #[arg(required_unless_present = "broker_url", value_name = "PATH_OR_URL")]
    pub(crate) sources: Vec<String>,
    #[command(flatten)]
    pub(crate) broker: VerifyBrokerArgs,
    /// The provider's base URL, with an optional base path.
    #[arg(long, value_name = "URL")]
    pub(crate) provider_url: String,
    /// The provider's state-change endpoint.
    #[arg(long, value_name = "URL")]
    pub(crate) state_change_url: Option<String>,
    /// Also call the state-change endpoint with `"action": "teardown"`
    /// after each interaction.
    #[arg(long, requires = "state_change_url")]
    pub(crate) state_change_teardown: bool,
    /// Send state changes as query parameters with an empty body.
    #[arg(long, requires = "state_change_url")]
    pub(crate) state_change_as_query: bool,
    /// Try a state change again this many times when it gets no answer or
    /// a 5xx (250 ms, then twice as long each time).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 2,
        requires = "state_change_url"
    )]
    pub(crate) state_change_retries: u32,
    /// Where message interactions are fetched (default: the provider URL).
    #[arg(long, value_name = "URL")]
    pub(crate) message_url: Option<String>,
    /// A header for every request to the provider, replacing the
    /// contract's (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = header)]
    pub(crate) headers: Vec<(String, String)>,
    /// Only contracts of this consumer (repeatable).
    #[arg(long = "consumer", value_name = "NAME")]
    pub(crate) consumers: Vec<String>,
    /// Only interactions whose description matches.
    #[arg(long, value_name = "REGEX", value_parser = regex)]
    pub(crate) filter_description: Option<regex::Regex>,
    /// Only interactions with a provider state that matches.
    #[arg(long, value_name = "REGEX", value_parser = regex)]
    pub(crate) filter_state: Option<regex::Regex>,
    /// Only interactions without provider states.
    #[arg(long, conflicts_with = "filter_state")]
    pub(crate) filter_no_state: bool,
    /// Timeout of each request (`500ms`, `10s`, `1m`).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = humantime::parse_duration)]
    pub(crate) timeout: Duration,
    /// Wait up to this long for the provider to accept connections.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub(crate) wait_for_provider: Option<Duration>,
    /// Also trust the certificate authorities in this PEM file (an internal
    /// CA of an HTTPS provider); may be repeated.
    #[arg(long, value_name = "FILE")]
    pub(crate) ca_cert: Vec<PathBuf>,
    /// Accept any certificate from an HTTPS provider (self-signed, expired,
    /// another host's): for test environments only.
    #[arg(long)]
    pub(crate) disable_ssl_verification: bool,
    /// Interactions verified at once (default 1).
    ///
    /// Concurrency is safe when interactions do not share provider state:
    /// each one's state setup, request and teardown must not be disturbed
    /// by another's (stateless endpoints, or states keyed by the
    /// interaction's own ids). A provider whose state change resets a
    /// shared database needs the default.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) jobs: u16,
    /// Stop after the first failure; the rest are reported as skipped.
    #[arg(long)]
    pub(crate) fail_fast: bool,
    /// Verify only the interactions that failed in the previous run.
    #[arg(long)]
    pub(crate) last_failed: bool,
    /// Also write the report as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
    /// Also write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) junit: Option<PathBuf>,
    /// Basic auth for contract URLs: `USER[:PASSWORD]`.
    #[arg(
        long,
        value_name = "USER[:PASSWORD]",
        env = "TREATY_CONTRACT_USER",
        conflicts_with = "token"
    )]
    pub(crate) user: Option<String>,
    /// Bearer token for contract URLs.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "TREATY_CONTRACT_TOKEN",
        hide_env_values = true
    )]
    pub(crate) token: Option<String>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub(crate) output: Output,
}

/// `Name: value` (or `Name=value`, as the Pact verifier takes it).
pub(crate) fn header(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once(':')
        .or_else(|| text.split_once('='))
        .ok_or_else(|| format!("`{text}` is not `Name: value`"))?;
    let name = name.trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(format!("`{name}` is not a header name"));
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

fn regex(text: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse_with_colon_or_equals() {
        assert_eq!(header("Authorization: Bearer x:y").unwrap().1, "Bearer x:y");
        assert_eq!(header("A=1").unwrap(), ("A".into(), "1".into()));
        assert!(header("no separator").is_err());
    }
}
