//! Bucketing interactions whose path is under a matching rule, so that a
//! lookup checks only those that can accept the request's path: a path
//! regex whose every match starts with the same first segment (`/orders/`
//! in `/orders/\d+`) goes in that segment's bucket; the others are always
//! checked.

use std::collections::HashMap;

use regex_syntax::hir::literal::{ExtractKind, Extractor};

use crate::model::{Category, Combine, HttpRequest, Matcher};

/// Interactions with a path rule, by the first segment their path rule
/// requires.
#[derive(Debug, Default)]
pub(crate) struct PatternIndex {
    by_segment: HashMap<String, Vec<usize>>,
    anywhere: Vec<usize>,
}

impl PatternIndex {
    pub(crate) fn add(&mut self, id: usize, request: &HttpRequest) {
        match required_segment(request) {
            Some(segment) => self.by_segment.entry(segment).or_default().push(id),
            None => self.anywhere.push(id),
        }
    }

    /// The interactions that may accept `path`, in load order within each
    /// bucket (the caller orders by id when it matters).
    pub(crate) fn lookup<'a>(&'a self, path: &str) -> impl Iterator<Item = usize> + use<'a> {
        let bucket = self
            .by_segment
            .get(first_segment(path))
            .map_or(&[][..], Vec::as_slice);
        bucket.iter().chain(&self.anywhere).copied()
    }
}

/// `orders` for `/orders/12`; empty for `/`.
pub(crate) fn first_segment(path: &str) -> &str {
    let rest = path.strip_prefix('/').unwrap_or(path);
    rest.split('/').next().unwrap_or("")
}

/// The first segment every path accepted by the path rule starts with,
/// when the rule is one regex (or several, all required) that pins it.
fn required_segment(request: &HttpRequest) -> Option<String> {
    let lists = request.matching_rules.category(Category::Path)?;
    let list = lists.rules.values().next()?;
    if list.combine == Combine::Or && list.matchers.len() > 1 {
        return None;
    }
    list.matchers.iter().find_map(|m| match m {
        Matcher::Regex(pattern) => regex_segment(pattern.as_str()),
        _ => None,
    })
}

/// The first path segment a regex requires: every literal prefix of the
/// regex must agree on it, and reach the second `/` (or be the whole
/// match).
pub(crate) fn regex_segment(regex: &str) -> Option<String> {
    if regex.contains("\\Q") {
        return None;
    }
    let hir = regex_syntax::parse(regex).ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals = seq.literals()?;
    let mut found: Option<String> = None;
    for literal in literals {
        let text = std::str::from_utf8(literal.as_bytes()).ok()?;
        let rest = text.strip_prefix('/')?;
        let segment = match rest.split_once('/') {
            Some((segment, _)) => segment,
            None if literal.is_exact() => rest,
            None => return None,
        };
        match &found {
            Some(seen) if seen != segment => return None,
            _ => found = Some(segment.to_owned()),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_segment_a_path_regex_requires() {
        assert_eq!(regex_segment(r"/orders/\d+").as_deref(), Some("orders"));
        assert_eq!(regex_segment(r"^/orders/\d+$").as_deref(), Some("orders"));
        assert_eq!(regex_segment(r"/health").as_deref(), Some("health"));
        assert_eq!(regex_segment(r"/a/(b|c)").as_deref(), Some("a"));
        assert_eq!(regex_segment(r"/(users|people)/\d+"), None);
        assert_eq!(regex_segment(r"/ord\w+/1"), None);
        assert_eq!(regex_segment(r".*/orders"), None);
        assert_eq!(regex_segment(r"\Q/a\E/\d+"), None);
    }

    #[test]
    fn first_segments() {
        assert_eq!(first_segment("/orders/12"), "orders");
        assert_eq!(first_segment("/"), "");
        assert_eq!(first_segment("/x"), "x");
    }
}
