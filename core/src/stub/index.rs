//! The interactions a stub serves, indexed so that a request is compared
//! only with the interactions that can answer it: by method and literal
//! path, plus, per method, the interactions whose path is under a matching
//! rule (and those whose method is), which a literal lookup cannot find.

use std::collections::HashMap;
use std::sync::Arc;

use super::misses::MissCache;
use super::nearby::PathTrie;
use super::pattern::PatternIndex;
use super::respond::Prepared;
use crate::model::{Body, Category, HttpRequest, HttpResponse, InteractionKind, Matcher};
use crate::source::LoadedContract;

/// One HTTP interaction the stub can answer with, and where it came from.
#[derive(Debug)]
pub struct StubInteraction {
    /// Its position in the set (load order: sources, then file order).
    pub id: usize,
    /// The file or URL of its contract.
    pub origin: Arc<str>,
    /// The contract's consumer.
    pub consumer: Arc<str>,
    /// The contract's provider.
    pub provider: Arc<str>,
    /// The interaction's description.
    pub description: String,
    /// The names of its provider states, in order.
    pub provider_states: Vec<String>,
    /// The request it expects.
    pub request: HttpRequest,
    /// The response it gives.
    pub response: HttpResponse,
    /// How loosely it matches: the number of request matchers, plus one when
    /// any body is accepted. Fewer means more specific.
    pub looseness: usize,
    /// The response ready to send, when it has no generators to run.
    pub(crate) prepared: Option<Prepared>,
}

/// Every interaction a stub serves, with its lookup index.
#[derive(Debug, Default)]
pub struct StubSet {
    interactions: Vec<StubInteraction>,
    /// Upper-case method, then literal path.
    literal: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Upper-case method: interactions whose path has a matching rule.
    patterned: HashMap<String, PatternIndex>,
    /// Interactions whose method has a matching rule.
    any_method: Vec<usize>,
    /// Every interaction by the segments of its (example) path, for
    /// explaining misses.
    paths: PathTrie,
    /// Interactions that are not HTTP (messages), skipped.
    skipped: usize,
    /// Explanations of the misses seen, for repeated requests.
    pub(crate) misses: MissCache,
}

impl StubSet {
    /// Indexes the HTTP interactions of the contracts, in order.
    pub fn new(contracts: Vec<LoadedContract>) -> StubSet {
        let mut set = StubSet::default();
        for loaded in contracts {
            let origin: Arc<str> = loaded.origin.into();
            let consumer: Arc<str> = loaded.contract.consumer.name.into();
            let provider: Arc<str> = loaded.contract.provider.name.into();
            for interaction in loaded.contract.interactions {
                let InteractionKind::Http { request, response } = interaction.kind else {
                    set.skipped += 1;
                    continue;
                };
                let prepared = Prepared::build(&response);
                set.push(StubInteraction {
                    id: set.interactions.len(),
                    origin: origin.clone(),
                    consumer: consumer.clone(),
                    provider: provider.clone(),
                    description: interaction.description,
                    provider_states: interaction
                        .provider_states
                        .into_iter()
                        .map(|s| s.name)
                        .collect(),
                    looseness: looseness(&request),
                    request,
                    response,
                    prepared,
                });
            }
        }
        set
    }

    fn push(&mut self, interaction: StubInteraction) {
        let id = interaction.id;
        let rules = &interaction.request.matching_rules;
        let method = interaction.request.method.to_ascii_uppercase();
        self.paths.insert(&interaction.request.path, id);
        if rules.category(Category::Method).is_some() {
            self.any_method.push(id);
        } else if rules.category(Category::Path).is_some() {
            self.patterned
                .entry(method)
                .or_default()
                .add(id, &interaction.request);
        } else {
            let paths = self.literal.entry(method).or_default();
            paths
                .entry(interaction.request.path.clone())
                .or_default()
                .push(id);
        }
        self.interactions.push(interaction);
    }

    /// The number of HTTP interactions.
    pub fn len(&self) -> usize {
        self.interactions.len()
    }

    /// True when there is no HTTP interaction.
    pub fn is_empty(&self) -> bool {
        self.interactions.is_empty()
    }

    /// The number of message interactions left out.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// All interactions, in load order.
    pub fn interactions(&self) -> &[StubInteraction] {
        &self.interactions
    }

    /// About `want` interactions whose paths are nearest `path` (sharing
    /// the longest leading segments), plus every interaction of any method
    /// that may accept `path` under a path rule; for explaining a miss.
    pub(crate) fn nearest(&self, path: &str, want: usize) -> Vec<&StubInteraction> {
        let mut ids = self.paths.nearest(path, want);
        for index in self.patterned.values() {
            ids.extend(
                index
                    .lookup(path)
                    .filter(|&id| path_may_match(&self.interactions[id].request, path)),
            );
        }
        ids.extend(&self.any_method);
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(|id| &self.interactions[id]).collect()
    }

    /// The interactions that may answer a request for `method` and `path`:
    /// those with that literal path, then those whose path rule may accept
    /// it, then those with a method rule; each still has to match.
    pub fn candidates<'a, 'p>(
        &'a self,
        method: &str,
        path: &'p str,
    ) -> impl Iterator<Item = &'a StubInteraction> + use<'a, 'p> {
        let upper = method.to_ascii_uppercase();
        let literal = self
            .literal
            .get(&upper)
            .and_then(|paths| paths.get(path))
            .map_or(&[][..], Vec::as_slice);
        let patterned = self
            .patterned
            .get(&upper)
            .into_iter()
            .flat_map(move |index| index.lookup(path))
            .map(|id| &self.interactions[id])
            .filter(move |i| path_may_match(&i.request, path));
        literal
            .iter()
            .map(|&id| &self.interactions[id])
            .chain(patterned)
            .chain(self.any_method.iter().map(|&id| &self.interactions[id]))
    }
}

/// A cheap pre-check of a path rule made only of regexes (the usual
/// case): when one of them rejects the path, the interaction cannot match.
pub(crate) fn path_may_match(request: &HttpRequest, path: &str) -> bool {
    let Some(lists) = request.matching_rules.category(Category::Path) else {
        return true;
    };
    lists.rules.values().all(|list| {
        list.combine == crate::model::Combine::Or
            || list.matchers.iter().all(|m| match m {
                Matcher::Regex(pattern) => pattern.is_match(path),
                _ => true,
            })
    })
}

fn looseness(request: &HttpRequest) -> usize {
    let rules: usize = request
        .matching_rules
        .categories
        .values()
        .flat_map(|category| category.rules.values())
        .map(|list| list.matchers.len())
        .sum();
    rules + usize::from(matches!(request.body, Body::Missing))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::stub::testing::set_of;

    #[test]
    fn looks_up_literal_paths_and_checks_path_rules() {
        let set = set_of(json!([
            {"description": "a", "request": {"method": "get", "path": "/a"},
             "response": {"status": 200}},
            {"description": "b", "request": {"method": "GET", "path": "/b/1",
              "matchingRules": {"path": {"matchers": [{"match": "regex", "regex": "/b/\\d+"}]}}},
             "response": {"status": 200}},
            {"description": "c", "request": {"method": "POST", "path": "/a"},
             "response": {"status": 201}}
        ]));
        let found = |m: &str, p: &str| -> Vec<String> {
            set.candidates(m, p)
                .map(|i| i.description.clone())
                .collect()
        };
        assert_eq!(found("GET", "/a"), ["a"]);
        assert_eq!(found("get", "/b/42"), ["b"]);
        assert!(found("GET", "/b/x").is_empty());
        assert_eq!(found("POST", "/a"), ["c"]);
        assert!(found("DELETE", "/a").is_empty());
    }

    #[test]
    fn looseness_counts_rules_and_an_open_body() {
        let set = set_of(json!([
            {"description": "exact", "request": {"method": "POST", "path": "/", "body": {"a": 1}},
             "response": {"status": 200}},
            {"description": "loose", "request": {"method": "POST", "path": "/", "body": {"a": 1},
              "matchingRules": {"body": {"$.a": {"matchers": [{"match": "type"}]}}}},
             "response": {"status": 200}},
            {"description": "open", "request": {"method": "POST", "path": "/"},
             "response": {"status": 200}}
        ]));
        let l: Vec<usize> = set.interactions().iter().map(|i| i.looseness).collect();
        assert_eq!(l, [0, 1, 1]);
    }
}
