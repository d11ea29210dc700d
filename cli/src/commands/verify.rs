//! `treaty verify PATH_OR_URL... --provider-url URL`: replay contracts
//! against a running provider; exit 0 when all pass, 1 when one fails, 2
//! when treaty could not verify (contracts unreadable, provider silent,
//! state change failed).

use std::fs;
use std::path::Path;

use anyhow::{anyhow, Context};
use treaty_core::verify::{
    load_lazy, verify_lazy, Auth, ErrorKind, Filter, Outcome, Source, StateChangeOptions,
    TlsOptions, Verdict, VerificationReport, VerifyOptions,
};

use super::last_failed;
use crate::args::{Output, VerifyArgs};
use crate::exit::Exit;
use crate::render;

pub(crate) fn run(args: &VerifyArgs) -> anyhow::Result<Exit> {
    if let (true, Some(url)) = (args.sources.is_empty(), &args.broker.broker_url) {
        return super::broker_verify::run(args, url);
    }
    let options = options(args)?;
    let sources: Vec<Source> = args
        .sources
        .iter()
        .map(|s| Source::parse(s, auth(args)))
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // Contracts are checked whole before any request; the bodies matched
    // stay in their text until their batch is verified: memory stays flat
    // however large they are.
    let contracts = runtime
        .block_on(load_lazy(&sources))
        .context("cannot load the contracts")?;
    let report = runtime.block_on(verify_lazy(contracts, options))?;
    finish(args, &report)
}

/// Writes the reports and turns the verdict into the exit code.
pub(super) fn finish(args: &VerifyArgs, report: &VerificationReport) -> anyhow::Result<Exit> {
    write_reports(args, report)?;
    last_failed::save(report)?;
    match report.verdict() {
        Verdict::Passed => Ok(Exit::Ok),
        Verdict::Failed => {
            let failed = report.summary().failed - report.summary().pending_failures;
            eprintln!(
                "treaty: verification failed: {} did not answer as the contract expects",
                render::count(failed, "interaction")
            );
            Ok(Exit::No)
        }
        Verdict::Infrastructure => Err(infrastructure(report)),
    }
}

/// The flags as core options (validated by clap already).
pub(super) fn options(args: &VerifyArgs) -> anyhow::Result<VerifyOptions> {
    let mut options = VerifyOptions::new(&args.provider_url);
    options.headers = args.headers.clone();
    options.state_change = args
        .state_change_url
        .as_ref()
        .map(|url| StateChangeOptions {
            url: url.clone(),
            teardown: args.state_change_teardown,
            as_query: args.state_change_as_query,
            retries: args.state_change_retries,
        });
    options.message_url = args.message_url.clone();
    options.request_timeout = args.timeout;
    options.wait_for_provider = args.wait_for_provider;
    options.jobs = usize::from(args.jobs);
    options.fail_fast = args.fail_fast;
    options.tls = TlsOptions {
        accept_invalid_certs: args.disable_ssl_verification,
        ca_certs: args.ca_cert.clone(),
    };
    options.filter = Filter {
        consumers: args.consumers.clone(),
        description: args.filter_description.clone(),
        state: args.filter_state.clone(),
        no_state: args.filter_no_state,
        only: None,
    };
    if args.last_failed {
        options.filter.only = last_failed::load()?;
        if options.filter.only.is_none() {
            eprintln!("treaty: no failures recorded by a previous run; verifying everything");
        }
    }
    Ok(options)
}

fn auth(args: &VerifyArgs) -> Option<Auth> {
    if let Some(token) = &args.token {
        return Some(Auth::Bearer(token.clone()));
    }
    let user = args.user.as_ref()?;
    let (username, password) = match user.split_once(':') {
        Some((u, p)) => (u.to_owned(), Some(p.to_owned())),
        None => (user.clone(), None),
    };
    Some(Auth::Basic { username, password })
}

fn write_reports(args: &VerifyArgs, report: &VerificationReport) -> anyhow::Result<()> {
    if let Some(path) = &args.json {
        write(path, &render::verify_json::to_string(report)?)?;
    }
    if let Some(path) = &args.junit {
        write(path, &render::junit::to_string(report))?;
    }
    match args.output {
        Output::Text => render::verify_text::report(report)?,
        Output::Json => println!("{}", render::verify_json::to_string(report)?),
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// The exit-2 message: which interactions got no answer, and why.
fn infrastructure(report: &VerificationReport) -> anyhow::Error {
    let errors: Vec<(ErrorKind, &str)> = report
        .interactions()
        .filter(|(_, i)| !i.pending)
        .filter_map(|(_, i)| match &i.outcome {
            Outcome::Error { kind, message } => Some((*kind, message.as_str())),
            _ => None,
        })
        .collect();
    let (kind, first) = errors[0];
    let what = match kind {
        ErrorKind::StateChangeFailed => "a provider state change failed",
        ErrorKind::ProviderUnreachable | ErrorKind::Timeout | ErrorKind::ConnectionReset => {
            "the provider gave no answer (not a contract failure)"
        }
        _ => "an interaction could not be verified",
    };
    anyhow!(
        "could not verify {} of {}: {what}; first: {}: {first}",
        render::count(errors.len(), "interaction"),
        report.summary().total,
        kind.as_str()
    )
}
