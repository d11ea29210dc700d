//! Step definitions: a regex per step phrase and the function it runs.

use gherkin::{Step, Table};
use regex::Regex;

use super::world::World;
use super::{
    authoring, broker, generators, http_consumer, http_provider, matching, message_consumer,
    message_provider, verifier,
};

/// What a step function gets: the quoted parameters (unescaped) and the
/// step's table, if any.
pub(crate) type Handler = fn(&mut World, &[String], Option<&Table>) -> Result<(), String>;

pub(crate) struct StepRegistry {
    defs: Vec<(Regex, Handler)>,
}

impl StepRegistry {
    pub(crate) fn new() -> StepRegistry {
        let mut defs = Vec::new();
        let all = matching::STEPS
            .iter()
            .chain(generators::STEPS)
            .chain(verifier::STEPS)
            .chain(broker::STEPS)
            .chain(http_provider::STEPS)
            .chain(message_provider::STEPS)
            .chain(http_consumer::STEPS)
            .chain(authoring::STEPS)
            .chain(message_consumer::STEPS);
        for (pattern, handler) in all {
            let re = Regex::new(&format!("^{pattern}$"))
                .unwrap_or_else(|e| panic!("bad step regex {pattern}: {e}"));
            defs.push((re, *handler));
        }
        StepRegistry { defs }
    }

    pub(crate) fn run(&self, world: &mut World, step: &Step) -> Result<(), String> {
        let (re, handler) = self
            .defs
            .iter()
            .find(|(re, _)| re.is_match(&step.value))
            .ok_or("no step definition matches this step")?;
        let captures = re.captures(&step.value).expect("matched above");
        let params: Vec<String> = captures
            .iter()
            .skip(1)
            .map(|m| m.map_or(String::new(), |m| m.as_str().replace("\\\"", "\"")))
            .collect();
        handler(world, &params, step.table.as_ref())
    }
}
