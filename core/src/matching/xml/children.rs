//! Child elements: grouped by name, each group compared in order, or
//! against a template when a type matcher applies to it.

use std::collections::HashMap;

use super::place::{self, Step};
use super::{element_qname, source, truncate, Element, XmlComparison};
use crate::matching::json::ExtraKeys;
use crate::model::{Matcher, RuleList};

/// Same-named elements, in document order.
struct Group<'d> {
    nodes: Vec<Element<'d>>,
}

impl<'d> Group<'d> {
    fn first(&self) -> Element<'d> {
        self.nodes[0]
    }
}

/// The child elements of `parent` grouped by namespace URI and local name,
/// in order of first appearance.
fn groups(parent: Element<'_>) -> Vec<Group<'_>> {
    let mut index: HashMap<(Option<&str>, &str), usize> = HashMap::new();
    let mut groups: Vec<Group<'_>> = Vec::new();
    for child in parent.children().filter(|n| n.is_element()) {
        let name = child.tag_name();
        let key = (name.namespace(), name.name());
        match index.get(&key) {
            Some(&i) => groups[i].nodes.push(child),
            None => {
                index.insert(key, groups.len());
                groups.push(Group { nodes: vec![child] });
            }
        }
    }
    groups
}

fn same_name(a: Element<'_>, b: Element<'_>) -> bool {
    a.tag_name() == b.tag_name()
}

/// The place step of an element, or of its whole group (`index: None`).
fn step<'d>(element: Element<'d>, index: Option<usize>, show_index: bool) -> Step<'d> {
    Step::Element {
        qname: element_qname(element),
        local: element.tag_name().name(),
        index,
        show_index,
    }
}

/// `<name>`, with the namespace when there is one.
fn describe(element: Element<'_>) -> String {
    match element.tag_name().namespace() {
        Some(uri) => format!("<{}> in namespace '{uri}'", element_qname(element)),
        None => format!("<{}> with no namespace", element_qname(element)),
    }
}

impl<'r> XmlComparison<'r> {
    /// Compares the root elements.
    pub(super) fn root<'d>(&mut self, expected: Element<'d>, actual: Element<'d>) {
        if !same_name(expected, actual) {
            let message = format!(
                "Expected root element {} but received {}",
                describe(expected),
                describe(actual)
            );
            self.mismatch(&[], Some(source(expected)), Some(source(actual)), message);
            return;
        }
        let mut place = vec![step(expected, None, false)];
        if let Some(selected) = place::select_exact(self.rules, &place) {
            self.count(&place, selected.rules, 1, expected);
        }
        place[0] = step(expected, Some(0), false);
        self.element(&mut place, expected, actual);
    }

    /// Compares the child elements of two same-named elements.
    pub(super) fn children<'d>(
        &mut self,
        place: &mut Vec<Step<'d>>,
        expected: Element<'d>,
        actual: Element<'d>,
    ) {
        let expected_groups = groups(expected);
        let actual_groups = groups(actual);
        for group in &expected_groups {
            let found = actual_groups
                .iter()
                .find(|a| same_name(a.first(), group.first()))
                .map_or(&[][..], |a| &a.nodes[..]);
            self.group(place, &group.nodes, found);
        }
        for group in &actual_groups {
            let known = expected_groups
                .iter()
                .any(|e| same_name(e.first(), group.first()));
            if !known {
                self.unexpected(place, &group.nodes);
            }
        }
    }

    /// Compares the expected elements of one name with the actual ones.
    fn group<'d>(
        &mut self,
        place: &mut Vec<Step<'d>>,
        expected: &[Element<'d>],
        actual: &[Element<'d>],
    ) {
        let template = expected[0];
        place.push(step(template, None, false));
        let selected = place::select(self.rules, place);
        let loose = selected.is_some_and(|s| s.rules.has_type_matcher());
        let mut may_be_absent = false;
        if let Some(selected) = selected.filter(|s| s.exact) {
            may_be_absent = loose && self.count(place, selected.rules, actual.len(), template);
        }
        if actual.is_empty() && !may_be_absent {
            let message = format!("Expected element {} but it was missing", snippet(template));
            self.mismatch(place, Some(source(template)), None, message);
        }
        place.pop();
        let show_index = expected.len() > 1 || actual.len() > 1;
        if loose {
            for (i, a) in actual.iter().enumerate() {
                let e = expected.get(i).copied().unwrap_or(template);
                place.push(step(e, Some(i), show_index));
                self.element(place, e, *a);
                place.pop();
            }
            return;
        }
        for i in 0..expected.len().max(actual.len()) {
            match (expected.get(i), actual.get(i)) {
                (Some(e), Some(a)) => {
                    place.push(step(*e, Some(i), show_index));
                    self.element(place, *e, *a);
                    place.pop();
                }
                (Some(e), None) if !actual.is_empty() => {
                    place.push(step(*e, Some(i), show_index));
                    let message = format!("Expected element {} but it was missing", snippet(*e));
                    self.mismatch(place, Some(source(*e)), None, message);
                    place.pop();
                }
                (None, Some(a)) if self.extra_keys == ExtraKeys::Forbidden => {
                    place.push(step(*a, Some(i), show_index));
                    let message = format!("Unexpected element {}", snippet(*a));
                    self.mismatch(place, None, Some(source(*a)), message);
                    place.pop();
                }
                _ => {}
            }
        }
    }

    /// Actual elements of a name the expected element has no child of:
    /// mismatches in requests, and wherever a type matcher says the
    /// children must be like the expected ones.
    fn unexpected<'d>(&mut self, place: &mut Vec<Step<'d>>, actual: &[Element<'d>]) {
        place.push(step(actual[0], None, false));
        let typed = place::select(self.rules, place).is_some_and(|s| s.rules.has_type_matcher());
        place.pop();
        if self.extra_keys == ExtraKeys::Allowed && !typed {
            return;
        }
        let why = if typed && self.extra_keys == ExtraKeys::Allowed {
            " (a type matcher applies here, so only the expected kinds of element may appear)"
        } else {
            ""
        };
        for (i, a) in actual.iter().enumerate() {
            place.push(step(*a, Some(i), actual.len() > 1));
            let message = format!("Unexpected element {}{why}", snippet(*a));
            self.mismatch(place, None, Some(source(*a)), message);
            place.pop();
        }
    }

    /// Checks `min`/`max` of the rules written for a group against the
    /// number of elements; true when the rules allow none at all.
    fn count(
        &mut self,
        place: &[Step<'_>],
        rules: &RuleList,
        count: usize,
        template: Element<'_>,
    ) -> bool {
        let name = element_qname(template);
        let mut allows_none = false;
        for matcher in &rules.matchers {
            let (min, max) = match *matcher {
                Matcher::MinType(min) => (Some(min), None),
                Matcher::MaxType(max) => (None, Some(max)),
                Matcher::MinMaxType(min, max) => (Some(min), Some(max)),
                _ => continue,
            };
            allows_none |= min == Some(0);
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            if let Some(min) = min.filter(|min| count < *min) {
                let message = format!(
                    "Expected at least {min} <{name}> element{} but received {count}",
                    plural(min)
                );
                self.mismatch(place, None, None, message);
            }
            if let Some(max) = max.filter(|max| count > *max) {
                let message = format!(
                    "Expected at most {max} <{name}> element{} but received {count}",
                    plural(max)
                );
                self.mismatch(place, None, None, message);
            }
        }
        allows_none
    }
}

/// An element as it is written, cut short for messages.
fn snippet(element: Element<'_>) -> String {
    let text = source(element);
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&text).into_owned()
}
