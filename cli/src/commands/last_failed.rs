//! `--last-failed`: every run records the interactions that failed or
//! errored in `.treaty/verify-last-failed.json` (current directory), as
//! `{"failed": [{"consumer", "description"}]}`; the next run with
//! `--last-failed` verifies only those.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use treaty_core::verify::{InteractionRef, VerificationReport};

const FILE: &str = ".treaty/verify-last-failed.json";

#[derive(Serialize, Deserialize)]
struct State {
    failed: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    consumer: String,
    description: String,
}

/// Records the failures of this run (an empty list when all passed).
pub(crate) fn save(report: &VerificationReport) -> anyhow::Result<()> {
    let failed = report
        .interactions()
        .filter(|(_, i)| i.outcome.is_problem())
        .map(|(c, i)| Entry {
            consumer: c.consumer.clone(),
            description: i.description.clone(),
        })
        .collect();
    let path = Path::new(FILE);
    fs::create_dir_all(".treaty").context("cannot create .treaty/")?;
    let text = serde_json::to_string_pretty(&State { failed })?;
    fs::write(path, text).with_context(|| format!("cannot write {FILE}"))
}

/// The failures of the previous run; `None` when there are none recorded.
pub(crate) fn load() -> anyhow::Result<Option<HashSet<InteractionRef>>> {
    let text = match fs::read_to_string(FILE) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {FILE}")),
    };
    let state: State = serde_json::from_str(&text)
        .with_context(|| format!("{FILE} is not a treaty state file"))?;
    let set: HashSet<InteractionRef> = state
        .failed
        .into_iter()
        .map(|e| InteractionRef {
            consumer: e.consumer,
            description: e.description,
        })
        .collect();
    Ok((!set.is_empty()).then_some(set))
}
