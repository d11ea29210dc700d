//! Reading contracts: Pact files of every specification version (V1, V1.1,
//! V2, V3, V4) into the version-neutral [`crate::model`].
//!
//! Reading is tolerant (unknown fields are kept, older forms upgraded) but
//! never silent: every problem is collected with the JSON pointer where it
//! was found, the interaction it belongs to and a hint, so `treaty validate`
//! can report them all at once.

mod body;
mod contract;
mod lazy;
mod parallel;
mod parts;
mod problem;
mod rules;
mod skim;
mod split;

use serde_json::Value;

use crate::model::{Contract, HttpRequest, HttpResponse, Message, SpecVersion};
pub use contract::detect_version;
pub(crate) use contract::{implied_version, SPEC_KEYS};
pub use lazy::LazyContract;
use problem::Reader;
pub use problem::{Problem, ReadError};

/// Parses a contract from file text (a leading byte-order mark is ignored).
pub fn parse_contract(text: &str) -> Result<Contract, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(read) = parallel::read(text) {
        return read;
    }
    read_contract_owned(parse_json(text)?)
}

/// Parses JSON text, skipping a byte-order mark, with a located error.
pub fn parse_json(text: &str) -> Result<Value, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        let hint = if e.to_string().contains("recursion limit") {
            "the document nests deeper than 128 levels; flatten it"
        } else {
            "fix the JSON syntax at that position"
        };
        let at = format!(" at line {} column {}", e.line(), e.column());
        let text = e.to_string();
        let what = text.strip_suffix(&at).unwrap_or(&text);
        ReadError::single(Problem {
            pointer: String::new(),
            interaction: None,
            message: format!("invalid JSON{at}: {what}"),
            hint: hint.to_owned(),
        })
    })
}

/// Reads a contract from parsed JSON, detecting its specification version.
pub fn read_contract(value: &Value) -> Result<Contract, ReadError> {
    read_contract_owned(value.clone())
}

/// Reads a contract from parsed JSON it may take apart (bodies are moved
/// into the contract, not copied).
pub fn read_contract_owned(value: Value) -> Result<Contract, ReadError> {
    let mut reader = Reader::new(contract::detect_version(&value));
    let contract = contract::read(&mut reader, value);
    reader.finish(contract)
}

/// Reads a lone HTTP request in the given version's format.
pub fn read_request(value: &Value, version: SpecVersion) -> Result<HttpRequest, ReadError> {
    let mut reader = Reader::new(version);
    let request = parts::request(&mut reader, value, value.get("body").cloned());
    reader.finish(request)
}

/// Reads a lone HTTP response in the given version's format.
pub fn read_response(value: &Value, version: SpecVersion) -> Result<HttpResponse, ReadError> {
    let mut reader = Reader::new(version);
    let response = parts::response(&mut reader, value, value.get("body").cloned());
    reader.finish(response)
}

/// Reads a lone message in the given version's format.
pub fn read_message(value: &Value, version: SpecVersion) -> Result<Message, ReadError> {
    let mut reader = Reader::new(version);
    let message = parts::message(&mut reader, value, value.get("contents").cloned());
    reader.finish(message)
}
