//! Broker answers as text: notices, the can-i-deploy table, versions.
//! Colour is dropped off a terminal or with `NO_COLOR` (anstream).

use std::io::{self, Write};

use anstyle::{AnsiColor, Color, Style};
use serde_json::Value;
use treaty_core::broker_client::{CanIDeploy, Notice};

const GREEN: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Green)));
const RED: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Red)));
const YELLOW: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Yellow)));
const BOLD: Style = Style::new().bold();

fn style(kind: &str) -> Style {
    match kind {
        "success" => GREEN,
        "error" | "danger" => RED,
        "warning" | "prompt" => YELLOW,
        _ => Style::new(),
    }
}

/// Prints notices, one a line, coloured by type.
pub(crate) fn notices(notices: &[Notice]) -> io::Result<()> {
    let mut out = anstream::stdout().lock();
    for n in notices {
        let s = style(&n.kind);
        writeln!(out, "{s}{}{s:#}", n.text)?;
    }
    out.flush()
}

/// Prints a JSON value, pretty.
pub(crate) fn json(value: &impl serde::Serialize) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")
}

/// One line: the message, in green.
pub(crate) fn done(text: &str) -> io::Result<()> {
    let mut out = anstream::stdout().lock();
    writeln!(out, "{GREEN}{text}{GREEN:#}")
}

/// The can-i-deploy table and the one-line verdict.
pub(crate) fn can_i_deploy(answer: &CanIDeploy, dry_run: bool) -> io::Result<()> {
    let mut out = anstream::stdout().lock();
    let header = [
        "CONSUMER",
        "C.VERSION",
        "PROVIDER",
        "P.VERSION",
        "SUCCESS?",
        "REASON",
    ];
    let rows: Vec<[String; 6]> = answer
        .rows
        .iter()
        .map(|r| {
            let success = match r.success {
                Some(true) => "true",
                Some(false) => "false",
                None => "???",
            };
            [
                r.consumer.clone(),
                r.consumer_version.clone().unwrap_or_else(|| "-".into()),
                r.provider.clone(),
                r.provider_version.clone().unwrap_or_else(|| "-".into()),
                success.to_owned(),
                r.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    if !rows.is_empty() {
        let line: Vec<String> = header
            .iter()
            .zip(widths)
            .map(|(h, w)| format!("{h:<w$}"))
            .collect();
        writeln!(out, "{BOLD}{}{BOLD:#}", line.join(" | ").trim_end())?;
        for row in &rows {
            let line: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            let s = style(match row[4].as_str() {
                "true" => "success",
                "false" => "error",
                _ => "warning",
            });
            writeln!(out, "{s}{}{s:#}", line.join(" | ").trim_end())?;
        }
        writeln!(out)?;
    }
    let (s, word) = match answer.summary.deployable {
        Some(true) => (GREEN, "Computer says yes \\o/"),
        Some(false) => (RED, "Computer says no ¯\\_(ツ)_/¯"),
        None => (YELLOW, "Computer says no: unknown ¯\\_(ツ)_/¯"),
    };
    let dry = if dry_run {
        " (dry run: exit 0 whatever the answer)"
    } else {
        ""
    };
    writeln!(
        out,
        "{s}{BOLD}{word}{BOLD:#}{s:#} {}{dry}",
        answer.summary.reason
    )?;
    out.flush()
}

/// A version: number, branches, tags, environments.
pub(crate) fn version(doc: &Value) -> io::Result<()> {
    let mut out = anstream::stdout().lock();
    let names = |list: &str| -> String {
        let items = doc
            .pointer(&format!("/_embedded/{list}"))
            .and_then(Value::as_array);
        let names: Vec<&str> = items
            .into_iter()
            .flatten()
            .filter_map(|v| {
                v.get("name")
                    .or(v.pointer("/environment/name"))
                    .and_then(Value::as_str)
            })
            .collect();
        if names.is_empty() {
            "-".to_owned()
        } else {
            names.join(", ")
        }
    };
    let number = doc.get("number").and_then(Value::as_str).unwrap_or("?");
    writeln!(out, "{BOLD}version{BOLD:#}   {number}")?;
    writeln!(out, "{BOLD}branches{BOLD:#}  {}", names("branchVersions"))?;
    writeln!(out, "{BOLD}tags{BOLD:#}      {}", names("tags"))?;
    out.flush()
}
