//! Places in an XML document, how rule paths name them, and how they are
//! written in mismatches.
//!
//! A place is a list of steps below `$`: elements (with their position
//! among same-named siblings), then possibly one attribute or the text.
//! Contracts name the same element in several ways, and the Pact cases use
//! all of them, so each element step may be matched by any of:
//!
//! - its name alone: `$.animals.alligator['@phoneNumber']` (every
//!   `alligator` under `animals`; the form pact-reference and pact-jvm use);
//! - its name, then its position: `$.animals.alligator[1]`,
//!   `$.animals.alligator[*]['@phoneNumber']`;
//! - its position, then its name, as if the parent were a list of its
//!   children: `$.animals[*].alligator['@phoneNumber']`,
//!   `$.myDates[*].date['#text']`; or the position alone at the end of a
//!   rule path (`$.people[*]`, `$.animals.1`).
//!
//! Every way is weighed like a JSON path ([`select::token_weight`]), the
//! best way counts for the rule, and [`select::select_by`] then picks the
//! best rule as for JSON. Names match as written in the expected document
//! (`fn:favouriteNumber`) or by their local part (`favouriteNumber`).

use crate::matching::select::{self, render as render_segs, Seg, Selected};
use crate::model::{bracketed, PathToken, RuleCategory};

/// One step of a place in an XML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step<'d> {
    /// An element; `index` is its position among same-named siblings, or
    /// `None` for all of them at once (a group).
    Element {
        /// The name as written (`fn:favouriteNumber`).
        qname: &'d str,
        /// The local part (`favouriteNumber`).
        local: &'d str,
        index: Option<usize>,
        /// Whether the position is written in mismatch paths (only when
        /// there is more than one such sibling).
        show_index: bool,
    },
    /// An attribute, written `@name`.
    Attribute { qname: &'d str, local: &'d str },
    /// The text of the element, written `#text`.
    Text,
}

/// The best rule for a place.
pub(super) fn select<'r>(
    rules: Option<&'r RuleCategory>,
    place: &[Step<'_>],
) -> Option<Selected<'r>> {
    select::select_by(rules, |tokens| match tokens.split_first() {
        Some((PathToken::Root, rest)) => weigh(rest, place).map(|(w, exact)| (2 * w, exact)),
        _ => None,
    })
}

/// The rule written for exactly this place, if any.
pub(super) fn select_exact<'r>(
    rules: Option<&'r RuleCategory>,
    place: &[Step<'_>],
) -> Option<Selected<'r>> {
    select(rules, place).filter(|s| s.exact)
}

type Weighed = Option<(usize, bool)>;

/// The best weight with which `tokens` name `place` (or an ancestor of
/// it), and whether they name exactly `place`: a table over (tokens used,
/// steps used), filled from the end, since a path may use one or two tokens
/// per element step.
fn weigh(tokens: &[PathToken], place: &[Step<'_>]) -> Weighed {
    let (t_len, s_len) = (tokens.len(), place.len());
    let width = s_len + 1;
    let mut table: Vec<Weighed> = vec![None; (t_len + 1) * width];
    for s in 0..=s_len {
        table[t_len * width + s] = Some((1, s == s_len));
    }
    for t in (0..t_len).rev() {
        for s in (0..s_len).rev() {
            let rest = |used: usize| table.get((t + used) * width + s + 1).copied().flatten();
            table[t * width + s] = weigh_step(&tokens[t..], place[s], rest);
        }
    }
    table[0]
}

/// The ways `tokens` may start by naming `step`; `rest(n)` is the best
/// weighing of the remaining steps after `n` tokens.
fn weigh_step(tokens: &[PathToken], step: Step<'_>, rest: impl Fn(usize) -> Weighed) -> Weighed {
    let first = &tokens[0];
    let second = tokens.get(1);
    let (qname, local, index) = match step {
        Step::Element {
            qname,
            local,
            index,
            ..
        } => (qname, local, index),
        Step::Attribute { qname, local } => {
            return scale(rest(1), attribute_weight(first, qname, local))
        }
        Step::Text => return scale(rest(1), text_weight(first)),
    };
    let by_name = name_weight(first, qname, local);
    let mut best = scale(rest(1), by_name);
    if let (Some(i), Some(next)) = (index, second) {
        let then_index = by_name * index_weight(next, i);
        best = better(best, scale(rest(2), then_index));
    }
    if let Some(i) = index {
        let by_index = index_weight(first, i);
        best = match second {
            None => better(best, scale(rest(1), by_index)),
            Some(next) => better(
                best,
                scale(rest(2), by_index * name_weight(next, qname, local)),
            ),
        };
    }
    best
}

fn scale(weighed: Weighed, factor: usize) -> Weighed {
    if factor == 0 {
        return None;
    }
    weighed.map(|(w, exact)| (w * factor, exact))
}

fn better(a: Weighed, b: Weighed) -> Weighed {
    match (a, b) {
        (Some(x), Some(y)) if y.0 > x.0 || (y.0 == x.0 && y.1 && !x.1) => Some(y),
        (None, y) => y,
        (x, _) => x,
    }
}

fn name_weight(token: &PathToken, qname: &str, local: &str) -> usize {
    select::token_weight(token, &Seg::Key(qname)).max(select::token_weight(token, &Seg::Key(local)))
}

fn index_weight(token: &PathToken, index: usize) -> usize {
    select::token_weight(token, &Seg::Index(index))
}

fn attribute_weight(token: &PathToken, qname: &str, local: &str) -> usize {
    match token {
        PathToken::Field(field) => match field.strip_prefix('@') {
            Some(name) if name == qname || name == local => 2,
            _ => 0,
        },
        PathToken::Star => 1,
        _ => 0,
    }
}

fn text_weight(token: &PathToken) -> usize {
    match token {
        PathToken::Field(field) if field == "#text" => 2,
        PathToken::Star => 1,
        _ => 0,
    }
}

/// Writes a place as a mismatch path:
/// `$.alligator.favouriteColours.favouriteColour[1]`, `$.alligator['@name']`,
/// `$.a.#text`.
pub(super) fn render(place: &[Step<'_>]) -> String {
    let mut segs = Vec::with_capacity(place.len() + 1);
    let mut last = "";
    for step in place {
        match *step {
            Step::Element {
                qname,
                index,
                show_index,
                ..
            } => {
                segs.push(Seg::Key(qname));
                if let (Some(i), true) = (index, show_index) {
                    segs.push(Seg::Index(i));
                }
            }
            Step::Attribute { qname, .. } => last = qname,
            Step::Text => segs.push(Seg::Key("#text")),
        }
    }
    let mut path = render_segs(&segs);
    if !last.is_empty() {
        path.push_str(&bracketed(&format!("@{last}")));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocPath, Matcher};

    fn element(name: &str, index: Option<usize>) -> Step<'_> {
        Step::Element {
            qname: name,
            local: name.rsplit(':').next().unwrap_or(name),
            index,
            show_index: true,
        }
    }

    fn weighed(path: &str, place: &[Step<'_>]) -> Weighed {
        let path = DocPath::parse(path).unwrap();
        weigh(&path.tokens()[1..], place)
    }

    #[test]
    fn an_element_is_named_by_name_by_position_or_both() {
        let place = [
            element("animals", Some(0)),
            element("alligator", Some(1)),
            Step::Attribute {
                qname: "phoneNumber",
                local: "phoneNumber",
            },
        ];
        for path in [
            "$.animals.alligator['@phoneNumber']",
            "$.animals.alligator[*]['@phoneNumber']",
            "$.animals[*].alligator['@phoneNumber']",
            "$.animals.*['@phoneNumber']",
            "$.animals.alligator[1].*",
        ] {
            assert_eq!(weighed(path, &place).map(|w| w.1), Some(true), "{path}");
        }
        assert_eq!(weighed("$.animals.1", &place).map(|w| w.1), Some(false));
        assert_eq!(
            weighed("$.animals.alligator[0]['@phoneNumber']", &place),
            None
        );
        assert_eq!(weighed("$.animals['@phoneNumber']", &place), None);
        assert_eq!(weighed("$.animals.1", &place[..2]).map(|w| w.1), Some(true));
    }

    #[test]
    fn a_group_is_named_without_a_position() {
        let group = [element("people", Some(0)), element("person", None)];
        assert_eq!(weighed("$.people.person", &group), Some((4, true)));
        // `people[*]`: the (only) people element, inherited by its children.
        assert_eq!(weighed("$.people[*]", &group), Some((2, false)));
        assert_eq!(weighed("$.people.person[*]", &group), None);
        assert_eq!(weighed("$.people", &group), Some((2, false)));
    }

    #[test]
    fn namespaced_names_match_as_written_or_by_local_part() {
        let place = [element("fn:number", Some(0)), Step::Text];
        assert!(weighed("$['fn:number'].#text", &place).is_some());
        assert!(weighed("$.number['#text']", &place).is_some());
        assert!(weighed("$.other.#text", &place).is_none());
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let mut rules = RuleCategory::default();
        rules.add(DocPath::parse("$.animals").unwrap(), Matcher::Type);
        rules.add(
            DocPath::parse("$.animals[*].alligator['@phone']").unwrap(),
            Matcher::Integer,
        );
        let place = [
            element("animals", Some(0)),
            element("alligator", Some(3)),
            Step::Attribute {
                qname: "phone",
                local: "phone",
            },
        ];
        let chosen = select(Some(&rules), &place).unwrap();
        assert_eq!(chosen.rules.matchers, [Matcher::Integer]);
        assert!(chosen.exact);
        let inherited = select(Some(&rules), &place[..2]).unwrap();
        assert_eq!(inherited.rules.matchers, [Matcher::Type]);
        assert!(!inherited.exact);
    }

    #[test]
    fn renders_paths() {
        let place = [
            element("alligator", Some(0)),
            Step::Element {
                qname: "colour",
                local: "colour",
                index: Some(1),
                show_index: true,
            },
            Step::Attribute {
                qname: "n:name",
                local: "name",
            },
        ];
        assert_eq!(render(&place), "$.alligator[0].colour[1]['@n:name']");
        assert_eq!(render(&[element("a", None), Step::Text]), "$.a.#text");
    }
}
