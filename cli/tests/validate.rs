//! `treaty validate`, run as a built binary on temporary files: exit codes,
//! text lines, JSON output, directories, colour.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};
use tempfile::TempDir;

/// Runs `treaty` in `dir` with colour variables cleared, plus `env`.
fn treaty(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_treaty"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("treaty runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

fn pact(interaction: Value) -> Value {
    json!({
        "consumer": {"name": "web"},
        "provider": {"name": "api"},
        "interactions": [interaction],
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
}

fn get_user(matcher: &str) -> Value {
    pact(json!({
        "type": "Synchronous/HTTP",
        "description": "get user",
        "request": {"method": "GET", "path": "/users/1"},
        "response": {
            "status": 200,
            "body": {"contentType": "application/json", "content": {"id": 1}},
            "matchingRules": {"body": {"$.id": {"matchers": [{"match": matcher}]}}}
        }
    }))
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create directories");
    }
    fs::write(&path, content).expect("write file");
    path
}

fn setup() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    write(dir.path(), "good.json", &get_user("integer").to_string());
    write(dir.path(), "bad.json", &get_user("typo").to_string());
    dir
}

const BAD_POINTER: &str = "/interactions/0/response/matchingRules/body/$.id/matchers/0/match";

#[test]
fn a_valid_file_exits_0_with_a_tick_line() {
    let dir = setup();
    let output = treaty(dir.path(), &["validate", "good.json"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "✓ good.json (V4, 1 interaction)\n1 file, 1 valid, 0 invalid\n"
    );
}

#[test]
fn an_invalid_file_exits_1_with_one_line_per_problem() {
    let dir = setup();
    let output = treaty(dir.path(), &["validate", "good.json", "bad.json"], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0], "✓ good.json (V4, 1 interaction)");
    assert_eq!(lines[1], "✗ bad.json");
    let expected = format!(
        "  {BAD_POINTER} (interaction \"get user\"): unknown matcher `typo` — hint: use one of: equality, regex,"
    );
    assert!(lines[2].starts_with(&expected), "{}", lines[2]);
    assert_eq!(lines[3], "2 files, 1 valid, 1 invalid");
    assert!(!text.contains('\u{1b}'), "no colour when piped");
}

#[test]
fn malformed_json_gives_its_line_and_column() {
    let dir = setup();
    write(dir.path(), "cut.json", "{\n  \"consumer\": \n");
    let output = treaty(dir.path(), &["validate", "cut.json"], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("  /: invalid JSON at line 3 column 0: EOF while parsing a value"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_file_that_cannot_be_read_exits_2_and_says_which_and_why() {
    let dir = setup();
    let output = treaty(dir.path(), &["validate", "bad.json", "missing.json"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).starts_with("✗ bad.json\n"),
        "the rest is still checked"
    );
    let err = stderr(&output);
    assert!(
        err.starts_with("treaty: cannot read missing.json: "),
        "{err}"
    );
    assert!(err.contains("No such file"), "{err}");
}

#[test]
fn directories_are_searched_for_json_files() {
    let dir = setup();
    let nested = get_user("integer").to_string();
    write(dir.path(), "pacts/b/second.json", &nested);
    write(dir.path(), "pacts/a.json", &nested);
    write(dir.path(), "pacts/notes.txt", "not a contract");
    write(dir.path(), "pacts/.cache/hidden.json", "{");
    let output = treaty(dir.path(), &["validate", "pacts"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let files: Vec<&str> = text.lines().filter(|l| l.starts_with('✓')).collect();
    let sep = std::path::MAIN_SEPARATOR;
    assert_eq!(
        files,
        [
            format!("✓ pacts{sep}a.json (V4, 1 interaction)"),
            format!("✓ pacts{sep}b{sep}second.json (V4, 1 interaction)"),
        ]
    );
}

#[test]
fn a_directory_without_contracts_exits_2() {
    let dir = setup();
    fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let output = treaty(dir.path(), &["validate", "empty"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("empty contains no .json file"));
}

#[test]
fn json_output_is_an_array_of_file_reports() {
    let dir = setup();
    let output = treaty(
        dir.path(),
        &["validate", "--output", "json", "bad.json", "good.json"],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let reports: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(
        reports[1],
        json!({"file": "good.json", "valid": true, "version": "V4", "interactions": 1, "problems": []})
    );
    let bad = &reports[0];
    assert_eq!(bad["file"], "bad.json");
    assert_eq!(bad["valid"], false);
    let problems = bad["problems"].as_array().expect("problems array");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["pointer"], BAD_POINTER);
    assert_eq!(problems[0]["interaction"], "get user");
    assert_eq!(problems[0]["message"], "unknown matcher `typo`");
    assert!(problems[0]["hint"]
        .as_str()
        .is_some_and(|h| h.starts_with("use one of")));
}

#[test]
fn colour_is_forced_by_clicolor_force_and_disabled_by_no_color() {
    let dir = setup();
    let forced = treaty(
        dir.path(),
        &["validate", "bad.json"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(stdout(&forced).contains("\u{1b}["), "{}", stdout(&forced));
    let off = treaty(
        dir.path(),
        &["validate", "bad.json"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!stdout(&off).contains('\u{1b}'));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let dir = setup();
    assert_eq!(
        treaty(dir.path(), &["validate"], &[]).status.code(),
        Some(2)
    );
    let bad_format = treaty(
        dir.path(),
        &["validate", "--output", "xml", "good.json"],
        &[],
    );
    assert_eq!(bad_format.status.code(), Some(2));
    let help = treaty(dir.path(), &["validate", "--help"], &[]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("Exit codes:"));
}
