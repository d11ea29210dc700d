//! The suite's cell conventions: `file: NAME`, `JSON: ...`, `XML: ...`,
//! `EMPTY`, header lists, and rule or generator fragments.

use std::collections::HashMap;

use gherkin::Table;
use serde_json::{json, Value};
use treaty_core::model::{
    Body, BodyContent, ContentType, Generators, Headers, MatchingRules, SpecVersion,
};
use treaty_core::read::read_request;

use super::suite_root;

fn fixture(name: &str) -> Result<Vec<u8>, String> {
    let path = suite_root().join("fixtures").join(name.trim());
    std::fs::read(&path).map_err(|e| format!("cannot read fixture {}: {e}", path.display()))
}

/// Rows of a table with a header row, as column → cell maps.
pub(crate) fn rows(table: Option<&Table>) -> Result<Vec<HashMap<String, String>>, String> {
    let table = table.ok_or("the step needs a table")?;
    let (header, body) = table.rows.split_first().ok_or("empty table")?;
    Ok(body
        .iter()
        .map(|row| header.iter().cloned().zip(row.iter().cloned()).collect())
        .collect())
}

/// The single-cell table of a context step, as JSON.
pub(crate) fn single_cell_json(table: Option<&Table>) -> Result<Value, String> {
    let cell = table
        .and_then(|t| t.rows.first())
        .and_then(|r| r.first())
        .ok_or("the step needs a one-cell table")?;
    serde_json::from_str(cell).map_err(|e| format!("bad JSON in table: {e}"))
}

/// A body cell, with an optional `content type` column overriding.
pub(crate) fn body(cell: &str, content_type: Option<&str>) -> Result<Body, String> {
    let cell = cell.trim();
    let with_type = |default: &str| ContentType::parse(content_type.unwrap_or(default));
    if cell.is_empty() {
        return Ok(Body::Missing);
    }
    if cell == "EMPTY" {
        return Ok(Body::Empty);
    }
    if let Some(text) = cell.strip_prefix("JSON:") {
        let value: Value =
            serde_json::from_str(text.trim()).map_err(|e| format!("bad JSON cell: {e}"))?;
        return Ok(Body::Present {
            content_type: with_type("application/json"),
            content: BodyContent::Json(value),
        });
    }
    if let Some(text) = cell.strip_prefix("XML:") {
        return Ok(Body::Present {
            content_type: with_type("application/xml"),
            content: BodyContent::Text(text.trim().into()),
        });
    }
    let Some(name) = cell.strip_prefix("file:").map(str::trim) else {
        return Ok(Body::Present {
            content_type: with_type("text/plain"),
            content: BodyContent::Text(cell.into()),
        });
    };
    let bytes = fixture(name)?;
    if name.ends_with("-body.xml") {
        return envelope(&bytes, content_type);
    }
    let default = match name.rsplit('.').next() {
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("jpg") => "image/jpeg",
        Some("pdf") => "application/pdf",
        _ => "text/plain",
    };
    Ok(Body::from_bytes(bytes, with_type(default)))
}

/// `<body><contentType>..</contentType><contents>..</contents></body>`.
fn envelope(bytes: &[u8], content_type: Option<&str>) -> Result<Body, String> {
    let text = String::from_utf8_lossy(bytes);
    let doc = roxmltree::Document::parse(&text).map_err(|e| format!("bad body envelope: {e}"))?;
    let child = |name: &str| doc.root_element().children().find(|n| n.has_tag_name(name));
    let declared = child("contentType")
        .and_then(|n| n.text())
        .map(str::trim)
        .map(str::to_owned);
    let contents_node = child("contents").ok_or("envelope without <contents>")?;
    let mut contents: String = contents_node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_owned();
    if contents_node.attribute("eol") == Some("CRLF") {
        contents = contents.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    let ct = content_type
        .map(str::to_owned)
        .or(declared)
        .unwrap_or_else(|| "text/plain".into());
    Ok(Body::from_bytes(
        contents.into_bytes(),
        ContentType::parse(&ct),
    ))
}

/// `'X-A: 1', 'X-B: 2'`.
pub(crate) fn headers(cell: &str) -> Headers {
    let mut headers = Headers::new();
    for item in cell.split("',") {
        let item = item.trim().trim_matches('\'');
        if let Some((name, value)) = item.split_once(':') {
            headers.append(name.trim(), value.trim());
        }
    }
    headers
}

pub(crate) fn fragment(cell: &str) -> Result<Value, String> {
    let cell = cell.trim();
    match cell.strip_prefix("JSON:") {
        Some(text) => serde_json::from_str(text.trim()).map_err(|e| format!("bad JSON cell: {e}")),
        None => {
            serde_json::from_slice(&fixture(cell)?).map_err(|e| format!("bad fixture {cell}: {e}"))
        }
    }
}

/// A matching-rules cell: a fixture name or inline JSON.
pub(crate) fn rules(cell: &str, version: SpecVersion) -> Result<MatchingRules, String> {
    let request = read_request(&json!({"matchingRules": fragment(cell)?}), version)
        .map_err(|e| e.to_string())?;
    Ok(request.matching_rules)
}

/// A generators cell: a fixture name or inline JSON.
pub(crate) fn generators(cell: &str, version: SpecVersion) -> Result<Generators, String> {
    let request = read_request(&json!({"generators": fragment(cell)?}), version)
        .map_err(|e| e.to_string())?;
    Ok(request.generators)
}
