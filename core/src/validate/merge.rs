//! Merging schema problems with the reader's and the checks', attributing
//! them to interactions, and ordering them by pointer.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::schema::SchemaProblem;
use super::trail::unescape;
use crate::read::Problem;

/// Messages and hints longer than this are cut (a value quoted in a message
/// can be a 50 MB body).
const MAX_TEXT: usize = 300;

/// One list of problems: a schema problem that says what a reader or check
/// problem says about the same place is dropped (the reader's words are
/// more specific), keeping the more precise of the two pointers.
pub(super) fn merge(schema: Vec<SchemaProblem>, own: Vec<Problem>, doc: &Value) -> Vec<Problem> {
    let mut own = dedupe(own);
    let mut by_pointer: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, problem) in own.iter().enumerate() {
        by_pointer
            .entry(problem.pointer.clone())
            .or_default()
            .push(i);
    }
    for found in schema {
        let parent = found.pointer.rsplit_once('/').map(|(parent, _)| parent);
        let candidates = [Some(found.pointer.as_str()), parent]
            .into_iter()
            .flatten()
            .filter_map(|at| Some((at, by_pointer.get(at)?)))
            .flat_map(|(at, indexes)| indexes.iter().map(move |&i| (at, i)));
        let repeated = candidates
            .filter(|&(at, i)| same(at, &own[i].message, &found))
            .map(|(_, i)| i)
            .next();
        match repeated {
            Some(i) if depth(&found.pointer) > depth(&own[i].pointer) => {
                own[i].pointer = found.pointer;
            }
            Some(_) => {}
            None => own.push(Problem {
                pointer: found.pointer,
                interaction: None,
                message: found.message,
                hint: found.hint,
            }),
        }
    }
    for problem in &mut own {
        if problem.interaction.is_none() {
            problem.interaction = interaction_at(doc, &problem.pointer);
        }
        problem.message = one_line(&problem.message);
        problem.hint = one_line(&problem.hint);
    }
    own.sort_by(|a, b| compare_pointers(&a.pointer, &b.pointer));
    own
}

/// Drops exact repeats (same place, same message).
fn dedupe(problems: Vec<Problem>) -> Vec<Problem> {
    let mut seen = HashSet::new();
    problems
        .into_iter()
        .filter(|p| seen.insert((p.pointer.clone(), p.message.clone())))
        .collect()
}

/// Whether a schema problem repeats what was said at `at`: same place, or
/// the schema points one level deeper (at the `match` of a matcher the
/// reader rejected as a whole) at something the message names.
fn same(at: &str, message: &str, found: &SchemaProblem) -> bool {
    if found.pointer == at {
        return true;
    }
    let Some((parent, last)) = found.pointer.rsplit_once('/') else {
        return false;
    };
    if parent != at {
        return false;
    }
    let names = |text: &str| !text.is_empty() && message.contains(&format!("`{text}`"));
    names(&unescape(last))
        || found
            .value
            .as_deref()
            .is_some_and(|v| names(v) || message.contains(&format!(" {v}")))
}

fn depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

/// The description of the interaction a pointer is inside, if any.
fn interaction_at(doc: &Value, pointer: &str) -> Option<String> {
    let mut tokens = pointer.split('/').skip(1);
    let array = tokens
        .next()
        .filter(|t| *t == "interactions" || *t == "messages")?;
    let index: usize = tokens.next()?.parse().ok()?;
    let description = doc.get(array)?.get(index)?.get("description")?.as_str()?;
    Some(description.to_owned())
}

/// Document order: numeric tokens compare as numbers (`/2` before `/10`).
fn compare_pointers(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.split('/'), b.split('/'));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    _ => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// One line, at most [`MAX_TEXT`] characters.
fn one_line(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    match text.char_indices().nth(MAX_TEXT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_sort_in_document_order() {
        let mut pointers = vec!["/interactions/10", "", "/interactions/2/a", "/consumer"];
        pointers.sort_by(|a, b| compare_pointers(a, b));
        assert_eq!(
            pointers,
            ["", "/consumer", "/interactions/2/a", "/interactions/10"]
        );
    }

    #[test]
    fn long_text_is_cut_to_one_line() {
        let text = format!("a\nb{}", "x".repeat(1000));
        let cut = one_line(&text);
        assert!(cut.starts_with("a b"));
        assert!(cut.chars().count() <= MAX_TEXT + 1);
    }
}
