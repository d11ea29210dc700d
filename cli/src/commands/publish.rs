//! `treaty publish PATHS... --consumer-app-version V`: validate every file,
//! then publish them (one request per consumer) and print the broker's
//! notices. Nothing is sent when a file is invalid.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use serde_json::Value;
use treaty_core::broker_client::{Notice, PublishRequest, PublishedContract};
use treaty_core::source::json_files;
use treaty_core::validate::{validate_file, FileReport};

use super::connect::{block_on, connect, failed};
use crate::broker_args::{PublishArgs, TableOutput};
use crate::exit::Exit;
use crate::render;

pub(crate) fn run(args: &PublishArgs) -> anyhow::Result<Exit> {
    let files = expand(&args.paths)?;
    let mut reports = Vec::new();
    for file in &files {
        let mut report = validate_file(file);
        if let Some(error) = report.unreadable.take() {
            return Err(anyhow!(error).context(format!("cannot read {}", file.display())));
        }
        reports.push(report);
    }
    if !reports.iter().all(FileReport::is_valid) {
        let invalid: Vec<FileReport> = reports.into_iter().filter(|r| !r.is_valid()).collect();
        render::text::reports(&invalid)?;
        eprintln!(
            "treaty: nothing was published: fix the invalid contracts above and publish again"
        );
        return Ok(Exit::No);
    }
    let requests = publications(args, &files)?;
    let client = connect(&args.connection)?;
    let mut all: Vec<Notice> = Vec::new();
    for request in &requests {
        let doing = format!("publish the contracts of {}", request.pacticipant);
        let notices = block_on(client.publish(request))?.map_err(failed(&doing))?;
        if args.output == TableOutput::Table {
            render::broker::notices(&notices)?;
        }
        all.extend(notices);
    }
    if args.output == TableOutput::Json {
        render::broker::json(&serde_json::json!({"notices": all}))?;
    }
    Ok(Exit::Ok)
}

/// One publication per consumer, with its contracts.
fn publications(args: &PublishArgs, files: &[PathBuf]) -> anyhow::Result<Vec<PublishRequest>> {
    let mut by_consumer: BTreeMap<String, Vec<PublishedContract>> = BTreeMap::new();
    for file in files {
        let contract = read(file)?;
        let list = by_consumer.entry(contract.consumer.clone()).or_default();
        if list.iter().any(|c| c.provider == contract.provider) {
            bail!(
                "two files hold contracts between {} and {} ({}); merge them or publish them separately",
                contract.consumer,
                contract.provider,
                file.display()
            );
        }
        list.push(contract);
    }
    Ok(by_consumer
        .into_iter()
        .map(|(consumer, contracts)| PublishRequest {
            pacticipant: consumer,
            version: args.consumer_app_version.clone(),
            branch: args.branch.clone(),
            tags: args.tags.clone(),
            build_url: args.build_url.clone(),
            contracts,
        })
        .collect())
}

fn read(file: &Path) -> anyhow::Result<PublishedContract> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let content: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .with_context(|| format!("{} is not JSON", file.display()))?;
    let name = |who: &str| {
        content
            .pointer(&format!("/{who}/name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match (name("consumer"), name("provider")) {
        (Some(consumer), Some(provider)) => Ok(PublishedContract {
            consumer,
            provider,
            content,
        }),
        _ => bail!("{} names no consumer or provider", file.display()),
    }
}

/// Files as given; directories searched for `*.json` files.
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let found = json_files(path)
            .with_context(|| format!("cannot read directory {}", path.display()))?;
        if found.is_empty() {
            bail!(
                "{} contains no .json file; name the contract files instead",
                path.display()
            );
        }
        files.extend(found);
    }
    Ok(files)
}
