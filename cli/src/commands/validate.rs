//! `treaty validate FILE...`: validate contract files, print a report per
//! file, exit 1 if any is invalid and 2 if any could not be read.

use std::path::PathBuf;

use anyhow::anyhow;
use treaty_core::source::json_files;
use treaty_core::validate::{validate_file, FileReport};

use crate::args::{Output, ValidateArgs};
use crate::exit::Exit;
use crate::render;

pub(crate) fn run(args: &ValidateArgs) -> anyhow::Result<Exit> {
    let (files, mut failures) = expand(&args.files);
    let mut reports: Vec<FileReport> = Vec::with_capacity(files.len());
    for file in files {
        let mut report = validate_file(&file);
        match report.unreadable.take() {
            Some(error) => failures
                .push(anyhow::Error::new(error).context(format!("cannot read {}", file.display()))),
            None => reports.push(report),
        }
    }
    match args.output {
        Output::Text => render::text::reports(&reports)?,
        Output::Json => render::json::reports(&reports)?,
    }
    if let Some(error) = combine(failures) {
        return Err(error);
    }
    Ok(if reports.iter().all(FileReport::is_valid) {
        Exit::Ok
    } else {
        Exit::No
    })
}

/// One error for every path that could not be read, or none.
fn combine(mut failures: Vec<anyhow::Error>) -> Option<anyhow::Error> {
    match failures.len() {
        0 => None,
        1 => failures.pop(),
        n => {
            let lines: Vec<String> = failures.iter().map(|e| format!("  {e:#}")).collect();
            Some(anyhow!("could not read {n} paths:\n{}", lines.join("\n")))
        }
    }
}

/// The files to validate: files as given, directories searched (recursively,
/// in name order, skipping hidden entries) for `*.json` files.
fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<anyhow::Error>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match json_files(path) {
            Err(error) => failures
                .push(anyhow!(error).context(format!("cannot read directory {}", path.display()))),
            Ok(found) if found.is_empty() => failures.push(anyhow!(
                "{} contains no .json file; name the contract files instead",
                path.display()
            )),
            Ok(found) => files.extend(found),
        }
    }
    (files, failures)
}
