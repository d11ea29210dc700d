//! Choosing the interaction that answers a request when several match:
//! the provider state named in the request's state header, then the
//! `--provider-state` regex, then the most specific interaction (fewest
//! rules loosened), then the first loaded. Each preference narrows the
//! matches only when some of them satisfy it.

use regex::Regex;
use serde::Serialize;

use super::index::{StubInteraction, StubSet};
use crate::matching::match_request_without_diff;
use crate::model::HttpRequest;

/// Why an interaction was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    /// It was the only one that matched.
    OnlyMatch,
    /// Its provider state is the one the request's state header named.
    StateHeader,
    /// Its provider state matches the configured regex.
    ProviderStateRegex,
    /// It loosens the fewest rules (or, among equals, was loaded first).
    MostSpecific,
}

/// The interaction that answers a request.
#[derive(Debug, Clone, Copy)]
pub struct Choice<'a> {
    /// The interaction.
    pub interaction: &'a StubInteraction,
    /// Why it won.
    pub reason: Reason,
    /// How many interactions matched.
    pub matched: usize,
}

/// What the request carries and the server is configured with to choose
/// among matches.
#[derive(Debug, Clone, Copy, Default)]
pub struct Preferences<'a> {
    /// The provider state named in the request's state header.
    pub requested_state: Option<&'a str>,
    /// The `--provider-state` regex.
    pub provider_state: Option<&'a Regex>,
}

/// The interaction answering `request`, if any matches.
pub fn find<'a>(
    set: &'a StubSet,
    request: &HttpRequest,
    prefs: Preferences<'_>,
) -> Option<Choice<'a>> {
    let matches: Vec<&StubInteraction> = set
        .candidates(&request.method, &request.path)
        .filter(|i| match_request_without_diff(&i.request, request).is_match())
        .collect();
    choose(matches, prefs)
}

/// Chooses among the interactions that matched.
pub fn choose<'a>(
    mut matches: Vec<&'a StubInteraction>,
    prefs: Preferences<'_>,
) -> Option<Choice<'a>> {
    let matched = matches.len();
    let mut reason = Reason::OnlyMatch;
    if matched > 1 {
        reason = Reason::MostSpecific;
        if let Some(state) = prefs.requested_state {
            let state = state.trim();
            if narrow(&mut matches, |name| name == state) {
                reason = Reason::StateHeader;
            }
        }
        if matches.len() > 1 {
            if let Some(regex) = prefs.provider_state {
                if narrow(&mut matches, |name| regex.is_match(name)) {
                    reason = Reason::ProviderStateRegex;
                }
            }
        }
        if matches.len() > 1 {
            reason = Reason::MostSpecific;
        }
    }
    let interaction = matches.into_iter().min_by_key(|i| (i.looseness, i.id))?;
    Some(Choice {
        interaction,
        reason,
        matched,
    })
}

/// Keeps the interactions with a provider state that satisfies `wanted`,
/// when there are any; true when that left exactly one.
fn narrow(matches: &mut Vec<&StubInteraction>, wanted: impl Fn(&str) -> bool) -> bool {
    let kept: Vec<&StubInteraction> = matches
        .iter()
        .copied()
        .filter(|i| i.provider_states.iter().any(|s| wanted(s)))
        .collect();
    if kept.is_empty() {
        return false;
    }
    *matches = kept;
    matches.len() == 1
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::stub::testing::set_of;

    fn request(method: &str, path: &str) -> HttpRequest {
        HttpRequest {
            method: method.into(),
            path: path.into(),
            ..HttpRequest::default()
        }
    }

    fn three_users() -> StubSet {
        set_of(json!([
            {"description": "any user", "providerState": "users exist",
             "request": {"method": "GET", "path": "/users/1",
              "matchingRules": {"path": {"matchers": [{"match": "regex", "regex": "/users/\\d+"}]}}},
             "response": {"status": 200}},
            {"description": "user 1", "providerState": "user 1 exists",
             "request": {"method": "GET", "path": "/users/1"}, "response": {"status": 200}},
            {"description": "no user 1", "providerState": "user 1 is gone",
             "request": {"method": "GET", "path": "/users/1"}, "response": {"status": 404}}
        ]))
    }

    fn pick(set: &StubSet, path: &str, prefs: Preferences<'_>) -> (String, Reason) {
        let choice = find(set, &request("GET", path), prefs).expect("a match");
        (choice.interaction.description.clone(), choice.reason)
    }

    #[test]
    fn the_most_specific_then_first_loaded_wins_without_preferences() {
        let set = three_users();
        let d = Preferences::default();
        assert_eq!(
            pick(&set, "/users/1", d),
            ("user 1".into(), Reason::MostSpecific)
        );
        assert_eq!(
            pick(&set, "/users/2", d),
            ("any user".into(), Reason::OnlyMatch)
        );
        assert!(find(&set, &request("GET", "/nope"), d).is_none());
    }

    #[test]
    fn the_state_header_beats_the_regex_which_beats_specificity() {
        let set = three_users();
        let regex = Regex::new("gone").unwrap();
        let by_regex = Preferences {
            requested_state: None,
            provider_state: Some(&regex),
        };
        assert_eq!(
            pick(&set, "/users/1", by_regex),
            ("no user 1".into(), Reason::ProviderStateRegex)
        );
        let by_header = Preferences {
            requested_state: Some("users exist"),
            provider_state: Some(&regex),
        };
        assert_eq!(
            pick(&set, "/users/1", by_header),
            ("any user".into(), Reason::StateHeader)
        );
        let unknown = Preferences {
            requested_state: Some("no such state"),
            provider_state: None,
        };
        assert_eq!(pick(&set, "/users/1", unknown).0, "user 1");
    }
}
