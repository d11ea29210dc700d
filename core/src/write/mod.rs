//! Writing contracts: the version-neutral [`crate::model`] as a Pact file,
//! V4 by default or V3 for older tools.
//!
//! Output is canonical: pretty-printed JSON with object keys sorted at every
//! level and a trailing newline, so the same contract always gives the same
//! bytes, and reading a written file and writing it again gives it back
//! unchanged. Interactions keep their order in the contract.
//!
//! # V4
//!
//! The shape pact-reference writes: every interaction has its `type`,
//! `description` and `pending` (always written), `key` when it has one,
//! `providerStates` (`params` only when there are some), `comments` (empty
//! entries left out) and `pluginConfiguration` when not empty. Headers and
//! query parameters map names to lists of values. Bodies are wrapped as
//! `{content, contentType, encoded}`: JSON as the document itself, text as
//! a string, bytes as base64 with `"encoded": "base64"`; a null body is
//! `{"content": null}` and an empty one `{"content": ""}`. Matching rules
//! and generators are grouped by category; `path`, `method` and `status`
//! hold their rule list (or generator) directly. Message matching rules and
//! generators use the category `body`, as pact-reference (behind
//! pact-python, pact-js and the Pact CLI) writes them; readers also accept
//! `content`. Fields the reader kept without interpreting them
//! (`transport`, `interactionMarkup`, `_id` ...) are written back.
//!
//! `metadata` keeps other tools' entries, sets `pactSpecification.version`
//! and replaces `treaty.version` with this crate's version.
//!
//! # V3
//!
//! An HTTP pact lists `interactions`, a message pact `messages` (with
//! `metadata`, as pact-reference writes it); a contract mixing both, or holding synchronous messages, is
//! a [`WriteError`]. Header values are joined with `", "`, so a header with
//! several values reads back as one. Bodies are written as themselves;
//! bytes are written as base64, as pact-reference does, which reads back as
//! bytes only under a binary `Content-Type` (or message `contentType`), so
//! a binary body without one is a [`WriteError`] naming the interaction.
//! The V4-only parts of an interaction (key, `pending`, comments, plugin
//! configuration) are left out without failing, as pact-reference does when
//! it downgrades a pact; [`dropped`] lists them (and any body content type
//! a V3 reader would not see again) so callers can warn.

mod error;
mod parts;
mod v3;
mod v4;

#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::model::{Contract, SpecVersion};
pub use error::{BodyPart, Dropped, DroppedFeature, InteractionRef, WriteError};

/// Writes a contract as Pact file text in the given version (V4 or V3):
/// pretty-printed, keys sorted, ending with a newline.
pub fn write_contract(contract: &Contract, version: SpecVersion) -> Result<String, WriteError> {
    let value = to_json(contract, version)?;
    let mut text =
        serde_json::to_string_pretty(&value).expect("a JSON value with string keys serialises");
    text.push('\n');
    Ok(text)
}

/// The contract as the JSON document [`write_contract`] prints, with object
/// keys in sorted order whatever map type `serde_json` was built with.
pub fn to_json(contract: &Contract, version: SpecVersion) -> Result<Value, WriteError> {
    let value = match version {
        SpecVersion::V4 => v4::contract(contract),
        SpecVersion::V3 => v3::contract(contract)?,
        other => return Err(WriteError::UnsupportedVersion { version: other }),
    };
    Ok(sorted(value))
}

/// What writing `contract` in `version` leaves out: empty for V4; for V3,
/// the V4-only parts of each interaction and body content types a V3
/// reader would not see again.
pub fn dropped(contract: &Contract, version: SpecVersion) -> Vec<Dropped> {
    match version {
        SpecVersion::V3 => v3::dropped(contract),
        _ => Vec::new(),
    }
}

/// Rebuilds every object with its keys in order. A no-op for `serde_json`'s
/// default sorted maps; keeps the output canonical should a dependency turn
/// on its `preserve_order` feature.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> =
                map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// A message as V4 writes it (`contents`, `metadata`, `matchingRules`,
/// `generators`): what the verifier sends a provider for the request of a
/// synchronous message.
#[cfg(feature = "verify")]
pub(crate) fn message_json(message: &crate::model::Message) -> Value {
    Value::Object(v4::message_fields(message))
}
