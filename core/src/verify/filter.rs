//! Choosing which interactions to verify.

use std::collections::HashSet;

use regex::Regex;

use crate::model::{Contract, Interaction};

/// Names one interaction across runs: its consumer and description
/// (descriptions are unique within a contract).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InteractionRef {
    /// The consumer's name.
    pub consumer: String,
    /// The interaction's description.
    pub description: String,
}

/// Which interactions a run verifies. Every condition that is set must
/// hold; an empty filter selects everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only contracts of these consumers (all when empty).
    pub consumers: Vec<String>,
    /// Only interactions whose description matches.
    pub description: Option<Regex>,
    /// Only interactions with a provider state whose name matches.
    pub state: Option<Regex>,
    /// Only interactions without provider states.
    pub no_state: bool,
    /// Only these interactions (`--last-failed`).
    pub only: Option<HashSet<InteractionRef>>,
}

impl Filter {
    /// True when the contract's consumer is selected.
    pub fn accepts_contract(&self, contract: &Contract) -> bool {
        self.consumers.is_empty() || self.consumers.contains(&contract.consumer.name)
    }

    /// True when the interaction of that consumer is selected.
    pub fn accepts(&self, consumer: &str, interaction: &Interaction) -> bool {
        if let Some(re) = &self.description {
            if !re.is_match(&interaction.description) {
                return false;
            }
        }
        if let Some(re) = &self.state {
            if !interaction
                .provider_states
                .iter()
                .any(|s| re.is_match(&s.name))
            {
                return false;
            }
        }
        if self.no_state && !interaction.provider_states.is_empty() {
            return false;
        }
        match &self.only {
            Some(set) => set.contains(&InteractionRef {
                consumer: consumer.to_owned(),
                description: interaction.description.clone(),
            }),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HttpRequest, HttpResponse, InteractionKind, ProviderState};

    fn interaction(description: &str, states: &[&str]) -> Interaction {
        let mut i = Interaction::new(
            description,
            InteractionKind::Http {
                request: HttpRequest::default(),
                response: HttpResponse::default(),
            },
        );
        i.provider_states = states.iter().map(|s| ProviderState::named(*s)).collect();
        i
    }

    #[test]
    fn conditions_combine() {
        let filter = Filter {
            description: Some(Regex::new("^get").unwrap()),
            state: Some(Regex::new("exists").unwrap()),
            ..Filter::default()
        };
        assert!(filter.accepts("c", &interaction("get user", &["user exists"])));
        assert!(!filter.accepts("c", &interaction("get user", &[])));
        assert!(!filter.accepts("c", &interaction("delete user", &["user exists"])));
    }

    #[test]
    fn no_state_and_only() {
        let mut filter = Filter {
            no_state: true,
            ..Filter::default()
        };
        assert!(filter.accepts("c", &interaction("a", &[])));
        assert!(!filter.accepts("c", &interaction("a", &["s"])));
        filter.no_state = false;
        filter.only = Some(HashSet::from([InteractionRef {
            consumer: "c".into(),
            description: "a".into(),
        }]));
        assert!(filter.accepts("c", &interaction("a", &["s"])));
        assert!(!filter.accepts("d", &interaction("a", &["s"])));
        assert!(!filter.accepts("c", &interaction("b", &["s"])));
    }

    #[test]
    fn consumers() {
        let filter = Filter {
            consumers: vec!["web".into()],
            ..Filter::default()
        };
        assert!(filter.accepts_contract(&Contract::new("web", "p")));
        assert!(!filter.accepts_contract(&Contract::new("app", "p")));
    }
}
