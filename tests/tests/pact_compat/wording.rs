//! Mismatch texts of the consumer features in treaty's words.
//!
//! The V1 consumer features quote messages of an older pact-reference mock
//! server; the matching features (which treaty's engine follows) word the
//! same facts differently. Each rule below rewrites one old phrasing into
//! treaty's phrasing of the same fact (same part, key and values), so the
//! step still checks what was found, not merely that something was.

use regex::Regex;

type Rewrite = fn(&regex::Captures<'_>) -> String;

const REWRITES: &[(&str, Rewrite)] = &[
    (r"^Expected a header '([^']+)' but was missing$", |c| {
        format!("Expected header '{}' but was missing", &c[1])
    }),
    (
        r"^Expected a body of '([^']+)' but the actual content type was '([^']+)'$",
        |c| {
            format!(
                "Expected a body of type '{}' but received '{}'",
                &c[1], &c[2]
            )
        },
    ),
    (
        r"^Expected body '(.*)' to match '(.*)' using equality but did not match$",
        |c| format!("Expected body '{}' to be equal to '{}'", &c[2], &c[1]),
    ),
    (
        r"^Expected a Map with keys \[([^\]]*)\] but received one with keys \[([^\]]*)\]$",
        |c| {
            let received: Vec<&str> = c[2].split(", ").collect();
            let missing = c[1].split(", ").find(|k| !received.contains(k));
            format!("Expected key '{}' with value", missing.unwrap_or_default())
        },
    ),
    (r"^Expected child <(\w+)/> but was missing$", |c| {
        format!("Expected element <{}>", &c[1])
    }),
];

/// `text` in treaty's words (unchanged when no rule applies).
pub(crate) fn treaty_wording(text: &str) -> String {
    for (pattern, rewrite) in REWRITES {
        let re = Regex::new(pattern).expect("a valid rewrite pattern");
        if let Some(captures) = re.captures(text) {
            return rewrite(&captures);
        }
    }
    text.to_owned()
}
