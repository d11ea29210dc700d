//! The small broker commands: `record-deployment`, `record-undeployment`,
//! `record-release`, `record-support-ended`, `create-environment`,
//! `describe-version`, `create-or-update-version`, `create-webhook`.

use serde_json::{json, Value};
use treaty_core::broker_client::{EndRecord, NewEnvironment, VersionUpdate, Webhook};

use super::connect::{block_on, connect, failed};
use crate::broker_args::{
    DescribeVersionArgs, EndArgs, EnvironmentArgs, RecordVersionArgs, TableOutput, VersionArgs,
    WebhookArgs,
};
use crate::exit::Exit;
use crate::render;

/// Prints `message` (table) or the broker's answer (JSON).
fn report(output: TableOutput, message: &str, answer: &Value) -> anyhow::Result<Exit> {
    match output {
        TableOutput::Table => render::broker::done(message)?,
        TableOutput::Json => render::broker::json(answer)?,
    }
    Ok(Exit::Ok)
}

/// `record-deployment` (`released: false`) or `record-release`.
pub(crate) fn record(args: &RecordVersionArgs, released: bool) -> anyhow::Result<Exit> {
    let client = connect(&args.connection)?;
    let (p, v, e) = (&args.pacticipant, &args.version, &args.environment);
    let answer = if released {
        block_on(client.record_release(p, v, e))?.map_err(failed("record the release"))?
    } else {
        let instance = args.application_instance.as_deref();
        block_on(client.record_deployment(p, v, e, instance))?
            .map_err(failed("record the deployment"))?
    };
    let what = if released { "released" } else { "deployed" };
    report(
        args.output,
        &format!("Recorded {p} version {v} as {what} to {e}"),
        &answer,
    )
}

/// `record-undeployment` (`released: false`) or `record-support-ended`.
pub(crate) fn end(args: &EndArgs, released: bool) -> anyhow::Result<Exit> {
    let client = connect(&args.connection)?;
    let end = EndRecord {
        pacticipant: args.pacticipant.clone(),
        environment: args.environment.clone(),
        version: args.version.clone(),
        application_instance: args.application_instance.clone(),
        released,
    };
    let ended = block_on(client.end_in_environment(&end))?
        .map_err(failed("update the environment's records"))?;
    let (p, e) = (&args.pacticipant, &args.environment);
    if ended.is_empty() {
        let what = if released {
            "currently supported"
        } else {
            "currently deployed"
        };
        eprintln!("treaty: no version of {p} is {what} in {e}; nothing was changed");
        return Ok(Exit::No);
    }
    let what = if released {
        "no longer supported"
    } else {
        "undeployed"
    };
    let message = format!(
        "Recorded {} of {p} as {what} in {e}",
        render::count(ended.len(), "version")
    );
    report(args.output, &message, &Value::Array(ended))
}

/// `create-environment`.
pub(crate) fn create_environment(args: &EnvironmentArgs) -> anyhow::Result<Exit> {
    let client = connect(&args.connection)?;
    let env = NewEnvironment {
        name: args.name.clone(),
        display_name: args.display_name.clone(),
        production: args.production,
    };
    let answer =
        block_on(client.create_environment(&env))?.map_err(failed("create the environment"))?;
    let uuid = answer.get("uuid").and_then(Value::as_str).unwrap_or("?");
    report(
        args.output,
        &format!("Created environment {} (uuid {uuid})", args.name),
        &answer,
    )
}

/// `describe-version`.
pub(crate) fn describe_version(args: &DescribeVersionArgs) -> anyhow::Result<Exit> {
    let client = connect(&args.connection)?;
    let doc = block_on(client.version(&args.pacticipant, args.version.as_deref()))?
        .map_err(failed("describe the version"))?;
    match args.output {
        TableOutput::Table => render::broker::version(&doc)?,
        TableOutput::Json => render::broker::json(&doc)?,
    }
    Ok(Exit::Ok)
}

/// `create-or-update-version`.
pub(crate) fn create_or_update_version(args: &VersionArgs) -> anyhow::Result<Exit> {
    let client = connect(&args.connection)?;
    let update = VersionUpdate {
        pacticipant: args.pacticipant.clone(),
        version: args.version.clone(),
        branch: args.branch.clone(),
        tags: args.tags.clone(),
        build_url: args.build_url.clone(),
    };
    let answer = block_on(client.create_or_update_version(&update))?
        .map_err(failed("create or update the version"))?;
    report(
        args.output,
        &format!(
            "Version {} of {} is in the broker",
            args.version, args.pacticipant
        ),
        &answer,
    )
}

/// `create-webhook`.
pub(crate) fn create_webhook(args: &WebhookArgs) -> anyhow::Result<Exit> {
    let events: Vec<String> = [
        (args.contract_content_changed, "contract_content_changed"),
        (args.contract_published, "contract_published"),
        (
            args.contract_requiring_verification_published,
            "contract_requiring_verification_published",
        ),
        (
            args.provider_verification_published,
            "provider_verification_published",
        ),
        (
            args.provider_verification_succeeded,
            "provider_verification_succeeded",
        ),
        (
            args.provider_verification_failed,
            "provider_verification_failed",
        ),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| name.to_owned())
    .collect();
    if events.is_empty() {
        anyhow::bail!("name at least one event (--contract-content-changed, --provider-verification-failed, ...)");
    }
    let webhook = Webhook {
        description: args.description.clone(),
        consumer: args.consumer.clone(),
        provider: args.provider.clone(),
        events,
        method: args.request.clone(),
        url: args.url.clone(),
        headers: args.headers.clone(),
        body: args
            .data
            .as_ref()
            .map(|d| serde_json::from_str(d).unwrap_or_else(|_| json!(d))),
    };
    let client = connect(&args.connection)?;
    let answer =
        block_on(client.create_webhook(&webhook))?.map_err(failed("create the webhook"))?;
    report(args.output, "Webhook created", &answer)
}
