//! `treaty can-i-deploy`: ask the broker's matrix whether versions can be
//! deployed, print the integrations and a verdict; exit 0 yes, 1 no or
//! unknown, 2 could not ask.

use std::ffi::OsString;
use std::time::Duration;

use anyhow::bail;
use treaty_core::broker_client::{CanIDeploy, Selector, Target};

use super::connect::{block_on, connect, failed};
use crate::broker_args::{CanIDeployArgs, TableOutput};
use crate::exit::Exit;
use crate::render;

pub(crate) fn run(args: &CanIDeployArgs) -> anyhow::Result<Exit> {
    let raw: Vec<String> = std::env::args_os()
        .map(|a| OsString::into_string(a).unwrap_or_default())
        .collect();
    let versions = selectors(&raw)?;
    let target = match (&args.to_environment, &args.to_tag) {
        (Some(env), _) => Target::Environment(env.clone()),
        (None, Some(tag)) => Target::Tag(tag.clone()),
        (None, None) => bail!("give --to-environment or --to-tag"),
    };
    let client = connect(&args.connection)?;
    let mut attempt = 0;
    let answer = loop {
        let answer = block_on(client.can_i_deploy(&versions, &target))?
            .map_err(failed("ask the broker (can-i-deploy)"))?;
        if answer.summary.deployable.is_some() || attempt >= args.retry_while_unknown {
            break answer;
        }
        if !answer.can_resolve() {
            eprintln!("treaty: not retrying: the answer cannot become known by waiting (no version of a counterpart is in the target, so no verification result can arrive)");
            break answer;
        }
        attempt += 1;
        eprintln!(
            "treaty: the answer is unknown; asking again in {}s ({attempt} of {})",
            args.retry_interval, args.retry_while_unknown
        );
        std::thread::sleep(Duration::from_secs(args.retry_interval));
    };
    print(args, &answer)?;
    Ok(match answer.summary.deployable {
        _ if args.dry_run => Exit::Ok,
        Some(true) => Exit::Ok,
        _ => Exit::No,
    })
}

fn print(args: &CanIDeployArgs, answer: &CanIDeploy) -> anyhow::Result<()> {
    match args.output {
        TableOutput::Table => render::broker::can_i_deploy(answer, args.dry_run)?,
        TableOutput::Json => render::broker::json(answer)?,
    }
    Ok(())
}

/// Pairs each `--pacticipant` with the version flags that follow it (clap
/// keeps the values of each flag, not their order).
pub(crate) fn selectors(raw: &[String]) -> anyhow::Result<Vec<Selector>> {
    let mut out: Vec<Selector> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let (flag, inline) = match raw[i].split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v.to_owned())),
            _ => (raw[i].as_str(), None),
        };
        let next = raw.get(i + 1).filter(|v| !v.starts_with('-')).cloned();
        let takes = |optional: bool| -> (Option<String>, usize) {
            match (&inline, &next) {
                (Some(v), _) => (Some(v.clone()), 1),
                (None, Some(v)) => (Some(v.clone()), 2),
                (None, None) if optional => (None, 1),
                (None, None) => (None, 1),
            }
        };
        let (value, step) = match flag {
            "--pacticipant" | "-a" | "--version" | "-e" | "--branch" => takes(false),
            "--latest" | "-l" => takes(true),
            _ => (None, 1),
        };
        match flag {
            "--pacticipant" | "-a" => out.push(Selector {
                pacticipant: value.unwrap_or_default(),
                ..Selector::default()
            }),
            "--version" | "-e" | "--latest" | "-l" | "--branch" => {
                let Some(last) = out.last_mut() else {
                    bail!("{flag} must follow the --pacticipant it belongs to");
                };
                match flag {
                    "--version" | "-e" => last.version = value,
                    "--branch" => last.branch = value,
                    _ => last.tag = value.filter(|t| !t.is_empty()),
                }
            }
            _ => {}
        }
        i += step;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn version_flags_belong_to_the_preceding_pacticipant() {
        let got = selectors(&args("treaty can-i-deploy --pacticipant web --version 1 -a orders --latest --to-environment prod -a x --latest=dev --branch main")).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].version.as_deref(), Some("1"));
        assert_eq!(
            (
                got[1].pacticipant.as_str(),
                got[1].version.as_deref(),
                got[1].tag.as_deref()
            ),
            ("orders", None, None)
        );
        assert_eq!(
            (got[2].tag.as_deref(), got[2].branch.as_deref()),
            (Some("dev"), Some("main"))
        );
        assert!(selectors(&args("treaty can-i-deploy --version 1 --pacticipant web")).is_err());
    }
}
