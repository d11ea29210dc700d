//! Which rules apply at a place in a document.
//!
//! A rule applies at its own path and, like Pact, cascades to everything
//! below it; when several apply, the most specific wins: each step of the
//! rule path scores 2 when it names the step exactly and 1 for a wildcard,
//! the scores multiply, and a tie goes to the longer rule path.

use std::fmt::Write;

use crate::model::{bracketed, PathToken, RuleCategory, RuleList};

/// One step of a concrete place in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    /// An object key or XML element/attribute name.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// The rules chosen for a place, and whether they were written for exactly
/// that place or inherited from an ancestor.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Selected<'r> {
    pub(crate) rules: &'r RuleList,
    pub(crate) exact: bool,
}

/// Picks the best rule of `category` for the place `segs` (below `$`).
pub(crate) fn select<'r>(
    category: Option<&'r RuleCategory>,
    segs: &[Seg<'_>],
) -> Option<Selected<'r>> {
    select_by(category, |tokens| {
        let weight = weight(tokens, segs);
        (weight > 0).then_some((weight, tokens.len() == segs.len() + 1))
    })
}

/// Picks the best rule of `category` by a caller's measure: `weigh` gives
/// a rule path's weight (`None` when it does not apply) and whether it was
/// written for exactly the place. The highest weight wins; a tie goes to
/// the longer rule path. XML places, which a rule may name in more than one
/// way, are weighed this way.
pub(crate) fn select_by<'r>(
    category: Option<&'r RuleCategory>,
    mut weigh: impl FnMut(&[PathToken]) -> Option<(usize, bool)>,
) -> Option<Selected<'r>> {
    let category = category?;
    let mut best: Option<(usize, usize, Selected<'r>)> = None;
    for (path, rules) in &category.rules {
        let tokens = path.tokens();
        let Some((weight, exact)) = weigh(tokens).filter(|(w, _)| *w > 0) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((w, len, _)) => weight > w || (weight == w && tokens.len() > len),
        };
        if better {
            best = Some((weight, tokens.len(), Selected { rules, exact }));
        }
    }
    best.map(|(_, _, selected)| selected)
}

/// Rule selection along a depth-first walk of a document: the rule paths
/// that still name the place are kept for each depth of the walk, so a
/// step weighs only those against the step's key or index, instead of
/// weighing every rule path against the whole place. Gives what [`select`]
/// gives.
pub(crate) struct Walk<'r> {
    /// The category's rule paths below `$`, in its order (ties go to the
    /// first).
    paths: Vec<(&'r [PathToken], &'r RuleList)>,
    /// The rule paths naming the place so far at each depth, one run per
    /// depth, and the weight of the steps they have named.
    live: Vec<(u32, usize)>,
    /// Where each depth's run starts in `live`, the root's first.
    runs: Vec<usize>,
}

impl<'r> Walk<'r> {
    pub(crate) fn new(category: Option<&'r RuleCategory>) -> Walk<'r> {
        let paths = category
            .into_iter()
            .flat_map(|c| &c.rules)
            .filter_map(|(path, rules)| match path.tokens().split_first() {
                Some((PathToken::Root, rest)) => Some((rest, rules)),
                _ => None,
            })
            .collect();
        Walk {
            paths,
            live: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// The best rule for the place `segs`. The walk must be depth first:
    /// a place's parent is the last place of its depth asked about (the
    /// root excepted); a place deeper than any asked about so far is
    /// walked to from the root.
    pub(crate) fn select(&mut self, segs: &[Seg<'_>]) -> Option<Selected<'r>> {
        let depth = segs.len();
        if depth == 0 || self.runs.len() < depth {
            self.start(segs);
        } else {
            if let Some(&end) = self.runs.get(depth) {
                self.live.truncate(end);
                self.runs.truncate(depth);
            }
            self.step(segs[depth - 1], depth - 1);
        }
        self.best(depth)
    }

    /// The runs for every depth of `segs`, from the root.
    fn start(&mut self, segs: &[Seg<'_>]) {
        self.live.clear();
        self.runs.clear();
        self.runs.push(0);
        self.live
            .extend((0..self.paths.len()).map(|i| (i as u32, 2usize)));
        for (depth, seg) in segs.iter().enumerate() {
            self.step(*seg, depth);
        }
    }

    /// The run for one step deeper than the last, by `seg`, the step at
    /// index `at` of the place.
    fn step(&mut self, seg: Seg<'_>, at: usize) {
        let (from, to) = (self.runs[at], self.live.len());
        self.runs.push(to);
        for i in from..to {
            let (path, weight) = self.live[i];
            let tokens = self.paths[path as usize].0;
            // A path already all named applies below too (rules cascade).
            let weight = match tokens.get(at) {
                None => weight,
                Some(token) => match token_weight(token, &seg) {
                    0 => continue,
                    w => weight.saturating_mul(w),
                },
            };
            self.live.push((path, weight));
        }
    }

    /// The best of the paths all named at `depth`: the highest weight, then
    /// the longest path.
    fn best(&self, depth: usize) -> Option<Selected<'r>> {
        let mut best: Option<(usize, usize, Selected<'r>)> = None;
        for &(path, weight) in &self.live[self.runs[depth]..] {
            let (tokens, rules) = self.paths[path as usize];
            if tokens.len() > depth {
                continue;
            }
            let better = match best {
                None => true,
                Some((w, len, _)) => weight > w || (weight == w && tokens.len() > len),
            };
            if better {
                let exact = tokens.len() == depth;
                best = Some((weight, tokens.len(), Selected { rules, exact }));
            }
        }
        best.map(|(_, _, selected)| selected)
    }
}

/// The rule written for exactly this place, if any.
pub(crate) fn select_exact<'r>(
    category: Option<&'r RuleCategory>,
    segs: &[Seg<'_>],
) -> Option<&'r RuleList> {
    select(category, segs).filter(|s| s.exact).map(|s| s.rules)
}

fn weight(tokens: &[PathToken], segs: &[Seg<'_>]) -> usize {
    let Some((PathToken::Root, rest)) = tokens.split_first() else {
        return 0;
    };
    if rest.len() > segs.len() {
        return 0;
    }
    let mut weight: usize = 2;
    for (token, seg) in rest.iter().zip(segs) {
        match token_weight(token, seg) {
            0 => return 0,
            w => weight = weight.saturating_mul(w),
        }
    }
    weight
}

/// How well one rule path step names one place step: 2 exactly, 1 by a
/// wildcard, 0 not at all.
pub(crate) fn token_weight(token: &PathToken, seg: &Seg<'_>) -> usize {
    match (token, seg) {
        (PathToken::Field(name), Seg::Key(key)) if name == key => 2,
        (PathToken::Field(name), Seg::Index(i))
            if name.starts_with(|c: char| c.is_ascii_digit()) && name.parse() == Ok(*i) =>
        {
            2
        }
        (PathToken::Index(n), Seg::Index(i)) if n == i => 2,
        (PathToken::StarIndex, Seg::Index(_)) => 1,
        (PathToken::Star, _) => 1,
        _ => 0,
    }
}

/// Renders a place as a path: `$.items[2]['odd key']`.
pub(crate) fn render(segs: &[Seg<'_>]) -> String {
    let mut out = String::from("$");
    for seg in segs {
        match seg {
            Seg::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
            Seg::Key(key) if is_identifier(key) => {
                out.push('.');
                out.push_str(key);
            }
            Seg::Key(key) => out.push_str(&bracketed(key)),
        }
    }
    out
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || matches!(c, '_' | '@' | '#'))
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '#' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocPath, Matcher};

    fn category(paths: &[(&str, Matcher)]) -> RuleCategory {
        let mut c = RuleCategory::default();
        for (p, m) in paths {
            c.add(DocPath::parse(p).unwrap(), m.clone());
        }
        c
    }

    #[test]
    fn most_specific_rule_wins_and_rules_cascade() {
        let c = category(&[
            ("$.a", Matcher::Type),
            ("$.a[*].b", Matcher::Integer),
            ("$.a[1].b", Matcher::Null),
        ]);
        let at =
            |segs: &[Seg]| select(Some(&c), segs).map(|s| (s.rules.matchers[0].clone(), s.exact));
        assert_eq!(at(&[Seg::Key("a")]), Some((Matcher::Type, true)));
        assert_eq!(
            at(&[Seg::Key("a"), Seg::Index(0)]),
            Some((Matcher::Type, false))
        );
        assert_eq!(
            at(&[Seg::Key("a"), Seg::Index(0), Seg::Key("b")]),
            Some((Matcher::Integer, true))
        );
        assert_eq!(
            at(&[Seg::Key("a"), Seg::Index(1), Seg::Key("b")]),
            Some((Matcher::Null, true))
        );
        assert_eq!(at(&[Seg::Key("z")]), None);
    }

    /// Visits every place of `value` depth first, asking `walk` and
    /// [`select`] for its rules.
    fn visit<'v>(
        value: &'v serde_json::Value,
        segs: &mut Vec<Seg<'v>>,
        walk: &mut Walk<'_>,
        category: &RuleCategory,
        seen: &mut usize,
    ) {
        let by = |s: Option<Selected<'_>>| s.map(|s| (s.rules.matchers.clone(), s.exact));
        assert_eq!(
            by(walk.select(segs)),
            by(select(Some(category), segs)),
            "at {}",
            render(segs)
        );
        *seen += 1;
        match value {
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    segs.push(Seg::Index(i));
                    visit(item, segs, walk, category, seen);
                    segs.pop();
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    segs.push(Seg::Key(key));
                    visit(item, segs, walk, category, seen);
                    segs.pop();
                }
            }
            _ => {}
        }
    }

    #[test]
    fn a_walk_selects_what_select_does_at_every_place() {
        let c = category(&[
            ("$", Matcher::Values),
            ("$.a", Matcher::Type),
            ("$.a[*]", Matcher::Integer),
            ("$.a[*].b", Matcher::Decimal),
            ("$.a[1].b", Matcher::Null),
            ("$.a.1.c", Matcher::Boolean),
            ("$.*.b", Matcher::Number),
            ("$.*", Matcher::Equality),
            ("$.d['x y'][*][*]", Matcher::MinType(1)),
            ("$.d", Matcher::MaxType(3)),
            ("$[*].b", Matcher::Include("b".into())),
            ("$.f[0]", Matcher::Equality),
            ("$.f[*][1]", Matcher::Number),
            ("$.g[*].k", Matcher::Integer),
        ]);
        let doc = serde_json::json!({
            "a": [{"b": 1, "c": true}, {"b": 2, "c": false}, [{"b": 3}]],
            "b": {"b": {"b": 1}},
            "d": {"x y": [[1, 2], [3]], "z": [{"b": 1}]},
            "e": [[[{"b": null}]]],
            "f": [[1, 2, 3], [4, 5]],
            "g": [{"k": 1, "l": 2}, {"k": 3}, {"l": 4}]
        });
        let mut walk = Walk::new(Some(&c));
        let mut seen = 0;
        visit(&doc, &mut Vec::new(), &mut walk, &c, &mut seen);
        assert_eq!(seen, 45);
        let far = [Seg::Key("a"), Seg::Index(1), Seg::Key("b")];
        let empty = RuleCategory::default();
        assert!(Walk::new(Some(&empty)).select(&far).is_none());
        assert!(Walk::new(None).select(&[]).is_none());
    }

    #[test]
    fn renders_paths() {
        assert_eq!(
            render(&[
                Seg::Key("a"),
                Seg::Index(2),
                Seg::Key("odd key"),
                Seg::Key("100")
            ]),
            "$.a[2]['odd key']['100']"
        );
    }
}
