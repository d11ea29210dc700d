//! Verifying one interaction: provider states set up, the exchange (an HTTP
//! request, or a message fetched from the provider), states torn down.

use serde_json::{Map, Value};

use crate::generate::{generate_request, GenerateError, GeneratorContext, GeneratorMode};
use crate::matching::{match_response, MatchResult};
use crate::model::{HttpRequest, HttpResponse, Interaction, InteractionKind};

use super::causes::with_causes;
use super::http_client::{provider_request, Failure};
use super::message;
use super::report::{ErrorKind, Outcome};
use super::run::Context;
use super::state_change::{self, Action};

/// The outcome of one interaction and the warnings collected on the way.
pub(crate) async fn verify(ctx: &Context, interaction: &Interaction) -> (Outcome, Vec<String>) {
    let mut warnings = Vec::new();
    let states = &interaction.provider_states;
    let values = match &ctx.options.state_change {
        Some(options) => {
            match state_change::change(&ctx.client, options, states, Action::Setup).await {
                Ok(values) => values,
                Err(failure) => return (error(failure), warnings),
            }
        }
        None => {
            warnings.extend(states.iter().map(|s| {
                format!(
                    "no state-change URL is configured to set up provider state '{}'",
                    s.name
                )
            }));
            Map::new()
        }
    };
    let mut outcome = exchange(ctx, interaction, values).await;
    if let Some(options) = ctx.options.state_change.as_ref().filter(|o| o.teardown) {
        let torn = state_change::change(&ctx.client, options, states, Action::Teardown).await;
        if let Err(failure) = torn {
            match outcome {
                Outcome::Passed => outcome = error(failure),
                _ => warnings.push(failure.message),
            }
        }
    }
    (outcome, warnings)
}

async fn exchange(ctx: &Context, interaction: &Interaction, values: Map<String, Value>) -> Outcome {
    let generators = GeneratorContext::new(GeneratorMode::Provider).with_provider_state(values);
    match &interaction.kind {
        InteractionKind::Http { request, response } => {
            http(ctx, request, response, &generators).await
        }
        InteractionKind::AsyncMessage(expected) => {
            message::verify_async(ctx, interaction, expected).await
        }
        InteractionKind::SyncMessage { request, responses } => {
            let exchange = message::SyncExchange {
                request,
                responses,
                generators: &generators,
            };
            message::verify_sync(ctx, interaction, exchange).await
        }
    }
}

async fn http(
    ctx: &Context,
    request: &HttpRequest,
    expected: &HttpResponse,
    generators: &GeneratorContext,
) -> Outcome {
    let request = match generate_request(request, generators) {
        Ok(request) => request,
        Err(e) => return generator_error(&e),
    };
    let out = provider_request(&ctx.options.provider_url, &request, &ctx.options.headers);
    match ctx.client.send(out).await {
        Ok(received) => outcome(match_response(expected, &received.into_response())),
        Err(failure) => error(failure),
    }
}

/// Passed or failed, from a match.
pub(crate) fn outcome(result: MatchResult) -> Outcome {
    if result.is_match() {
        Outcome::Passed
    } else {
        Outcome::Failed {
            mismatches: result.mismatches,
            body_diff: result.body_diff,
        }
    }
}

pub(crate) fn error(failure: Failure) -> Outcome {
    Outcome::Error {
        kind: failure.kind,
        message: failure.message,
    }
}

pub(crate) fn generator_error(e: &GenerateError) -> Outcome {
    Outcome::Error {
        kind: ErrorKind::Generator,
        message: with_causes(e),
    }
}
