//! Printing reports: `text` for people (coloured on a terminal unless
//! `NO_COLOR` is set), `json` for programs.

pub(crate) mod broker;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod text;
pub(crate) mod verify_json;
pub(crate) mod verify_text;

use treaty_core::model::SpecVersion;

/// `V1`, `V1.1`, `V2`, `V3`, `V4`.
pub(crate) fn version_label(version: SpecVersion) -> &'static str {
    match version {
        SpecVersion::V1 => "V1",
        SpecVersion::V1_1 => "V1.1",
        SpecVersion::V2 => "V2",
        SpecVersion::V3 => "V3",
        SpecVersion::V4 => "V4",
    }
}

/// `1 interaction`, `3 interactions`.
pub(crate) fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
