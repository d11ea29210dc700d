//! Validating contract files: everything `treaty validate` reports about a
//! file, as data. Nothing here prints.
//!
//! A file goes through four layers, and the problems of every layer are
//! collected rather than stopping at the first:
//!
//! 1. decoding and JSON syntax (located by line and column);
//! 2. for V4 files, the JSON Schema in `core/schema/pact-v4.schema.json`
//!    (embedded, compiled once), with hints taken from the `title` and
//!    `description` of the subschema that failed;
//! 3. the tolerant reader ([`crate::read`]) for every version: unknown
//!    matchers and generators, regexes that do not compile, malformed
//!    matcher paths, invalid date formats;
//! 4. checks JSON Schema cannot express: duplicate interactions (same
//!    description and provider states), duplicate V4 interaction keys,
//!    `min` greater than `max`, empty consumer or provider names, and a
//!    declared version the file's shape contradicts.
//!
//! Schema and reader problems that say the same thing about the same place
//! are merged (the reader's wording wins, the more precise pointer is kept),
//! and the result is sorted by pointer.
//!
//! ```
//! use treaty_core::validate::validate_str;
//!
//! let report = validate_str(r#"{"consumer": {"name": "web"}}"#, "pact.json");
//! assert!(!report.is_valid());
//! assert_eq!(report.problems[0].pointer, "/provider");
//! ```

mod checks;
mod merge;
mod schema;
mod trail;
mod wording;

#[cfg(test)]
mod broken_tests;
#[cfg(test)]
mod tests;

use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::model::SpecVersion;
use crate::read::{self, Problem};

/// Everything found out about one contract file.
#[derive(Debug)]
pub struct FileReport {
    /// The file, as the caller named it.
    pub file: PathBuf,
    /// The specification version: declared in the metadata, else implied by
    /// the file's shape. `None` when the text is not JSON.
    pub version: Option<SpecVersion>,
    /// How many interactions (HTTP and message) the file holds.
    pub interactions: usize,
    /// Everything wrong with the contract, sorted by JSON pointer.
    pub problems: Vec<Problem>,
    /// Why the file could not be read at all; then nothing else was checked.
    pub unreadable: Option<io::Error>,
}

impl FileReport {
    fn new(file: PathBuf) -> FileReport {
        FileReport {
            file,
            version: None,
            interactions: 0,
            problems: Vec::new(),
            unreadable: None,
        }
    }

    /// Whether the file was read and has no problem.
    pub fn is_valid(&self) -> bool {
        self.unreadable.is_none() && self.problems.is_empty()
    }
}

/// Reads and validates one contract file.
///
/// A file that cannot be read (missing, a directory, no permission) gives a
/// report with [`FileReport::unreadable`] set; anything wrong with its
/// content is a [`Problem`].
pub fn validate_file(path: &Path) -> FileReport {
    match std::fs::read(path) {
        Ok(bytes) => validate_bytes(&bytes, path),
        Err(error) => FileReport {
            unreadable: Some(error),
            ..FileReport::new(path.to_path_buf())
        },
    }
}

/// Validates the raw bytes of a contract file: UTF-8, with or without a
/// byte-order mark. Other encodings are reported as a problem.
pub fn validate_bytes(bytes: &[u8], name: impl Into<PathBuf>) -> FileReport {
    match decode(bytes) {
        Ok(text) => validate_str(text, name),
        Err(problem) => FileReport {
            problems: vec![problem],
            ..FileReport::new(name.into())
        },
    }
}

/// Validates contract text (a leading byte-order mark is ignored); `name`
/// is the file name to report.
pub fn validate_str(text: &str, name: impl Into<PathBuf>) -> FileReport {
    match read::parse_json(text) {
        Ok(value) => validate_value(&value, name),
        Err(error) => FileReport {
            problems: error.problems,
            ..FileReport::new(name.into())
        },
    }
}

/// Validates an already parsed contract document.
pub fn validate_value(value: &Value, name: impl Into<PathBuf>) -> FileReport {
    let version = read::detect_version(value);
    // A file declared older than its V4 shape is checked against the schema
    // too: the schema then says what makes it V4.
    let schema_problems =
        if version == SpecVersion::V4 || read::implied_version(value) == SpecVersion::V4 {
            schema::check(value)
        } else {
            Vec::new()
        };
    let mut own = match read::read_contract(value) {
        Ok(_) => Vec::new(),
        Err(error) => error.problems,
    };
    own.extend(checks::run(value, version));
    FileReport {
        version: Some(version),
        interactions: count_interactions(value),
        problems: merge::merge(schema_problems, own, value),
        ..FileReport::new(name.into())
    }
}

fn count_interactions(value: &Value) -> usize {
    ["interactions", "messages"]
        .iter()
        .filter_map(|key| value.get(key).and_then(Value::as_array))
        .map(Vec::len)
        .sum()
}

/// The text of a file, or the problem with its encoding.
fn decode(bytes: &[u8]) -> Result<&str, Problem> {
    let problem = |message: String, hint: &str| Problem {
        pointer: String::new(),
        interaction: None,
        message,
        hint: hint.to_owned(),
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(problem(
            "the file is UTF-16 encoded".to_owned(),
            "save it as UTF-8",
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        problem(
            format!("the file is not UTF-8: invalid byte at line {line} column {column}"),
            "save the file as UTF-8",
        )
    })
}
