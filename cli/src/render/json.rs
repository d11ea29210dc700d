//! JSON reports: one array, one object per file, fields in this order:
//! `{file, valid, version, interactions, problems: [{pointer, interaction,
//! message, hint}]}`. `version` is `"V4"`, `"V1.1"`, ... or `null` when the
//! file is not JSON; `interaction` is `null` outside interactions.

use std::io::{self, Write};

use serde::Serialize;
use treaty_core::validate::FileReport;

use super::version_label;

#[derive(Serialize)]
struct FileJson<'a> {
    file: String,
    valid: bool,
    version: Option<&'static str>,
    interactions: usize,
    problems: Vec<ProblemJson<'a>>,
}

#[derive(Serialize)]
struct ProblemJson<'a> {
    pointer: &'a str,
    interaction: Option<&'a str>,
    message: &'a str,
    hint: &'a str,
}

/// Prints the reports to stdout as a pretty-printed JSON array.
pub(crate) fn reports(reports: &[FileReport]) -> io::Result<()> {
    let files: Vec<FileJson<'_>> = reports.iter().map(file).collect();
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &files)?;
    writeln!(out)?;
    out.flush()
}

fn file(report: &FileReport) -> FileJson<'_> {
    FileJson {
        file: report.file.display().to_string(),
        valid: report.is_valid(),
        version: report.version.map(version_label),
        interactions: report.interactions,
        problems: report
            .problems
            .iter()
            .map(|p| ProblemJson {
                pointer: &p.pointer,
                interaction: p.interaction.as_deref(),
                message: &p.message,
                hint: &p.hint,
            })
            .collect(),
    }
}
