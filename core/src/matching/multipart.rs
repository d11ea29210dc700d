//! Comparing multipart bodies part by part: by name for `form-data`, by
//! position otherwise. Each part is compared by its own content type, after
//! undoing a `Content-Transfer-Encoding: base64`.

use base64::Engine;

use super::binary;
use super::json::{ExtraKeys, JsonComparison};
use super::mismatch::{Mismatch, Part};
use super::select::{render, select_exact, Seg};
use crate::model::{BodyContent, ContentType, RuleCategory};

/// One part of a multipart body.
struct BodyPart {
    name: Option<String>,
    content_type: Option<ContentType>,
    bytes: Vec<u8>,
}

pub(crate) fn compare(
    expected_type: Option<&ContentType>,
    expected: &BodyContent,
    actual_type: Option<&ContentType>,
    actual: &BodyContent,
    rules: Option<&RuleCategory>,
    extra_keys: ExtraKeys,
) -> Vec<Mismatch> {
    let parsed = |ct: Option<&ContentType>, content: &BodyContent, side: &str| {
        let boundary = ct.and_then(|ct| ct.param("boundary")).ok_or(format!(
            "the {side} multipart body has no boundary parameter"
        ))?;
        parse(&content.to_bytes(), boundary)
            .map_err(|e| format!("the {side} multipart body could not be read: {e}"))
    };
    let (expected, actual) = match (
        parsed(expected_type, expected, "expected"),
        parsed(actual_type.or(expected_type), actual, "actual"),
    ) {
        (Ok(e), Ok(a)) => (e, a),
        (Err(message), _) | (_, Err(message)) => {
            return vec![Mismatch::new(Part::Body, "$", None, None, message)]
        }
    };
    let by_name = expected.iter().all(|p| p.name.is_some());
    let mut out = Vec::new();
    for (index, part) in expected.iter().enumerate() {
        let (seg, found) = match (&part.name, by_name) {
            (Some(name), true) => (
                Seg::Key(name),
                actual.iter().find(|p| p.name.as_ref() == Some(name)),
            ),
            _ => (Seg::Index(index), actual.get(index)),
        };
        let path = render(&[seg]);
        match found {
            Some(found) => out.extend(compare_part(&path, seg, part, found, rules, extra_keys)),
            None => out.push(Mismatch::new(
                Part::Body,
                path,
                None,
                None,
                format!("Expected part {} but it was missing", label(part, index)),
            )),
        }
    }
    let unexpected = if by_name {
        actual
            .iter()
            .filter(|a| !expected.iter().any(|e| e.name == a.name))
            .count()
    } else {
        actual.len().saturating_sub(expected.len())
    };
    if unexpected > 0 && extra_keys == ExtraKeys::Forbidden {
        let message = format!(
            "Expected {} parts but received {}",
            expected.len(),
            actual.len()
        );
        out.push(Mismatch::new(Part::Body, "$", None, None, message));
    }
    out
}

fn label(part: &BodyPart, index: usize) -> String {
    match &part.name {
        Some(name) => format!("'{name}'"),
        None => format!("{}", index + 1),
    }
}

fn compare_part(
    path: &str,
    seg: Seg<'_>,
    expected: &BodyPart,
    actual: &BodyPart,
    rules: Option<&RuleCategory>,
    extra_keys: ExtraKeys,
) -> Vec<Mismatch> {
    let essence = |p: &BodyPart| p.content_type.as_ref().map(ContentType::essence);
    if let (Some(e), Some(a)) = (essence(expected), essence(actual)) {
        if e != a {
            return vec![Mismatch::new(
                Part::Body,
                path,
                Some(e.clone().into()),
                Some(a.clone().into()),
                format!("Expected a part of type '{e}' but received '{a}'"),
            )];
        }
    }
    let ct = expected.content_type.as_ref();
    let rule = select_exact(rules, &[seg]);
    if rule.is_none() && ct.is_some_and(ContentType::is_json) {
        let parse = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes);
        if let (Ok(e), Ok(a)) = (parse(&expected.bytes), parse(&actual.bytes)) {
            let mut found = JsonComparison::new(None, extra_keys, Part::Body).run(&e, &a);
            for m in &mut found {
                m.path = format!("{path}{}", m.path.trim_start_matches('$'));
            }
            return found;
        }
    }
    let shown = ct
        .map(ContentType::essence)
        .unwrap_or_else(|| "text/plain".into());
    binary::compare(path, &shown, rule, &expected.bytes, &actual.bytes)
}

/// Splits a multipart body at its boundary and reads each part's headers.
fn parse(bytes: &[u8], boundary: &str) -> Result<Vec<BodyPart>, String> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut chunks = split(bytes, delimiter.as_bytes()).into_iter();
    chunks.next(); // preamble
    for chunk in chunks {
        if chunk.starts_with(b"--") {
            return Ok(parts);
        }
        parts.push(part(chunk)?);
    }
    if parts.is_empty() {
        Err(format!("no part delimited by `{delimiter}`"))
    } else {
        Ok(parts)
    }
}

fn split<'a>(haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        if &haystack[i..i + needle.len()] == needle {
            out.push(&haystack[start..i]);
            i += needle.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&haystack[start..]);
    out
}

fn part(chunk: &[u8]) -> Result<BodyPart, String> {
    let chunk = chunk
        .strip_prefix(b"\r\n")
        .or_else(|| chunk.strip_prefix(b"\n"))
        .unwrap_or(chunk);
    let chunk = strip_line_end(chunk);
    let (head, body) = match find(chunk, b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| find(chunk, b"\n\n").map(|i| (i, 2)))
    {
        Some((i, len)) => (&chunk[..i], &chunk[i + len..]),
        None if chunk.is_empty() => (&chunk[..0], chunk),
        None => (chunk, &chunk[chunk.len()..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut out = BodyPart {
        name: None,
        content_type: None,
        bytes: body.to_vec(),
    };
    let mut base64 = false;
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => out.content_type = ContentType::parse(value),
            "content-disposition" => out.name = disposition_name(value),
            "content-transfer-encoding" => base64 = value.eq_ignore_ascii_case("base64"),
            _ => {}
        }
    }
    if base64 {
        let compact: Vec<u8> = out
            .bytes
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        out.bytes = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map_err(|e| format!("a base64 part does not decode: {e}"))?;
    }
    Ok(out)
}

fn strip_line_end(bytes: &[u8]) -> &[u8] {
    bytes
        .strip_suffix(b"\r\n")
        .or_else(|| bytes.strip_suffix(b"\n"))
        .unwrap_or(bytes)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `form-data; name="file"; filename="a.png"` → `file`.
fn disposition_name(value: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|param| {
        let (key, v) = param.split_once('=')?;
        (key.trim().eq_ignore_ascii_case("name")).then(|| v.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> BodyContent {
        BodyContent::Text(text.replace('\n', "\r\n"))
    }

    fn form() -> Option<ContentType> {
        ContentType::parse("multipart/form-data; boundary=XyZ")
    }

    const EXPECTED: &str = "--XyZ\nContent-Disposition: form-data; name=\"meta\"\nContent-Type: application/json\n\n{\"a\": 1, \"b\": \"x\"}\n--XyZ\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\nContent-Type: text/plain\n\nhello\n--XyZ--\n";

    fn run(actual: &str, extra: ExtraKeys) -> Vec<String> {
        compare(
            form().as_ref(),
            &body(EXPECTED),
            form().as_ref(),
            &body(actual),
            None,
            extra,
        )
        .into_iter()
        .map(|m| format!("{} {}", m.path, m.message))
        .collect()
    }

    #[test]
    fn parts_match_by_name_in_any_order() {
        let reordered = "--XyZ\nContent-Disposition: form-data; name=\"file\"\nContent-Type: text/plain\n\nhello\n--XyZ\nContent-Disposition: form-data; name=\"meta\"\nContent-Type: application/json\n\n{\"b\": \"x\", \"a\": 1}\n--XyZ--\n";
        assert!(run(reordered, ExtraKeys::Forbidden).is_empty());
    }

    #[test]
    fn differing_parts_are_reported_with_their_names() {
        let changed = "--XyZ\nContent-Disposition: form-data; name=\"meta\"\nContent-Type: application/json\n\n{\"a\": 2, \"b\": \"x\"}\n--XyZ--\n";
        let found = run(changed, ExtraKeys::Forbidden);
        assert!(
            found.iter().any(|m| m.starts_with("$.meta.a Expected 2")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|m| m == "$.file Expected part 'file' but it was missing"),
            "{found:?}"
        );
    }

    #[test]
    fn base64_parts_are_decoded_before_comparing() {
        let mixed = ContentType::parse("multipart/mixed; boundary=b");
        let plain = body("--b\nContent-Type: application/octet-stream\n\nhi there\n--b--\n");
        let encoded = body("--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\naGkgdGhlcmU=\n--b--\n");
        assert!(compare(
            mixed.as_ref(),
            &plain,
            mixed.as_ref(),
            &encoded,
            None,
            ExtraKeys::Allowed
        )
        .is_empty());
    }

    #[test]
    fn a_body_without_boundary_is_a_clear_mismatch() {
        let none = ContentType::parse("multipart/form-data");
        let found = compare(
            none.as_ref(),
            &body(EXPECTED),
            none.as_ref(),
            &body(EXPECTED),
            None,
            ExtraKeys::Allowed,
        );
        assert!(found[0].message.contains("no boundary"), "{found:?}");
    }
}
