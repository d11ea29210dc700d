//! `treaty broker`: run the contract broker until Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use anyhow::Context;
use treaty_broker::{AllowList, Auth, Config, Role};

use crate::args::BrokerArgs;
use crate::exit::Exit;

pub(crate) fn run(args: &BrokerArgs) -> anyhow::Result<Exit> {
    if let Some(url) = &args.public_url {
        anyhow::ensure!(
            url.starts_with("http://") || url.starts_with("https://"),
            "--public-url must start with http:// or https:// (got {url})"
        );
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TREATY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config {
        db: args.db.clone(),
        listen: SocketAddr::new(args.host, args.port),
        public_url: args.public_url.clone(),
        max_body_bytes: args.max_body_bytes,
        auth: auth(args)?,
        webhooks: treaty_broker::WebhookSettings {
            allow: webhook_allow(args)?,
            backoff: args.webhook_retry_schedule.clone(),
            ..treaty_broker::WebhookSettings::default()
        },
        retention: args.retention_days.map(|days| treaty_broker::Retention {
            keep: std::time::Duration::from_secs(u64::from(days) * 86_400),
            every: std::time::Duration::from_secs(
                u64::from(args.retention_every_hours.max(1)) * 3_600,
            ),
        }),
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let db = config.db.display().to_string();
    runtime.block_on(treaty_broker::serve(config, |addr| {
        // The one line on stdout: scripts and tests wait for it.
        println!("treaty broker listening on http://{addr} (database {db})");
    }))?;
    Ok(Exit::Ok)
}

/// The credentials from `--token`, `--read-token`, `--basic-auth` and
/// `--read-basic-auth` (none: authentication off).
fn auth(args: &BrokerArgs) -> anyhow::Result<Auth> {
    let mut auth = Auth::off();
    for token in &args.token {
        auth = auth.with_token(token, Role::ReadWrite);
    }
    for token in &args.read_token {
        auth = auth.with_token(token, Role::ReadOnly);
    }
    for pair in &args.basic_auth {
        auth = auth
            .with_basic_pair(pair, Role::ReadWrite)
            .context("--basic-auth")?;
    }
    for pair in &args.read_basic_auth {
        auth = auth
            .with_basic_pair(pair, Role::ReadOnly)
            .context("--read-basic-auth")?;
    }
    Ok(auth)
}

/// Where webhooks may send requests, from `--webhook-scheme-allow`,
/// `--webhook-method-allow` and `--webhook-host-allow`.
fn webhook_allow(args: &BrokerArgs) -> anyhow::Result<AllowList> {
    AllowList::new(
        &args.webhook_scheme_allow,
        &args.webhook_method_allow,
        &args.webhook_host_allow,
    )
    .context("--webhook-host-allow")
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command};

    fn allow(extra: &[&str]) -> anyhow::Result<AllowList> {
        let cli = Cli::try_parse_from(["treaty", "broker"].iter().chain(extra))?;
        let Command::Broker(args) = cli.command else {
            unreachable!("parsed the broker command")
        };
        webhook_allow(&args)
    }

    fn broker_args(extra: &[&str]) -> BrokerArgs {
        let cli = Cli::try_parse_from(["treaty", "broker"].iter().chain(extra)).unwrap();
        let Command::Broker(args) = cli.command else {
            unreachable!("parsed the broker command")
        };
        args
    }

    #[test]
    fn the_retry_schedule_defaults_to_the_pact_brokers_and_takes_durations() {
        assert_eq!(
            broker_args(&[]).webhook_retry_schedule,
            treaty_broker::WebhookSettings::default().backoff
        );
        assert_eq!(
            broker_args(&["--webhook-retry-schedule", "100ms,2s"]).webhook_retry_schedule,
            [
                std::time::Duration::from_millis(100),
                std::time::Duration::from_secs(2)
            ]
        );
        assert!(
            Cli::try_parse_from(["treaty", "broker", "--webhook-retry-schedule", "soon"]).is_err()
        );
    }

    #[test]
    fn webhook_targets_default_to_https_post_any_host() {
        let default = allow(&[]).unwrap();
        assert_eq!(
            default,
            AllowList::new(&["https"], &["POST"], &[] as &[&str]).unwrap()
        );
        assert!(default.allows_any_host());
    }

    #[test]
    fn webhook_target_flags_repeat_or_take_comma_lists() {
        let given = allow(&[
            "--webhook-scheme-allow",
            "https,http",
            "--webhook-method-allow",
            "post",
            "--webhook-host-allow",
            "ci.internal",
            "--webhook-host-allow",
            "10.0.0.0/8",
        ])
        .unwrap();
        let expected = AllowList::new(
            &["https", "http"],
            &["POST"],
            &["ci.internal", "10.0.0.0/8"],
        )
        .unwrap();
        assert_eq!(given, expected);
        let bad = allow(&["--webhook-host-allow", "not a host"]).unwrap_err();
        assert!(
            format!("{bad:#}").contains("invalid webhook host rule"),
            "{bad:#}"
        );
    }
}
