//! can-i-deploy (the matrix), pacts for verification, and verification
//! results.

use reqwest::Method;
use serde::Serialize;
use serde_json::{json, Value};

use super::api_publish::Notice;
use super::error::BrokerError;
use super::hal;
use super::http::BrokerClient;

/// A pacticipant version named for can-i-deploy: a number, or the latest
/// (optionally of a branch or tag).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// The pacticipant.
    pub pacticipant: String,
    /// The version number (`None`: the latest).
    pub version: Option<String>,
    /// With `version: None`: the latest with this tag.
    pub tag: Option<String>,
    /// With `version: None`: the latest of this branch.
    pub branch: Option<String>,
}

/// Where the versions are to be deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An environment (`--to-environment`).
    Environment(String),
    /// The latest versions with a tag (`--to-tag`, legacy).
    Tag(String),
}

/// The summary of a can-i-deploy answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixSummary {
    /// `Some(true)` deployable, `Some(false)` not, `None` unknown.
    pub deployable: Option<bool>,
    /// The broker's reason.
    pub reason: String,
    /// Integrations without a verification result.
    pub unknown: u64,
}

/// One integration in a can-i-deploy answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixRow {
    /// The consumer.
    pub consumer: String,
    /// The consumer version.
    pub consumer_version: Option<String>,
    /// The provider.
    pub provider: String,
    /// The provider version (`None`: none in the target).
    pub provider_version: Option<String>,
    /// The verification's outcome (`None`: not verified).
    pub success: Option<bool>,
    /// The broker's reason for the row, when it gives one.
    pub reason: Option<String>,
}

/// A can-i-deploy answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CanIDeploy {
    /// The verdict and reason.
    pub summary: MatrixSummary,
    /// The integrations.
    pub rows: Vec<MatrixRow>,
    /// The broker's notices.
    pub notices: Vec<Notice>,
}

impl CanIDeploy {
    /// Whether waiting can change an unknown answer: false when every
    /// unknown integration lacks a counterpart version in the target (no
    /// verification will ever be published for a version that is not
    /// there).
    pub fn can_resolve(&self) -> bool {
        self.rows
            .iter()
            .filter(|r| r.success.is_none())
            .any(|r| r.provider_version.is_some())
    }

    fn from_json(doc: &Value) -> CanIDeploy {
        let text = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_owned);
        let summary = doc.get("summary").cloned().unwrap_or_default();
        let rows = doc
            .get("matrix")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        CanIDeploy {
            summary: MatrixSummary {
                deployable: summary.get("deployable").and_then(Value::as_bool),
                reason: text(&summary, "/reason").unwrap_or_default(),
                unknown: summary.get("unknown").and_then(Value::as_u64).unwrap_or(0),
            },
            rows: rows
                .map(|r| MatrixRow {
                    consumer: text(r, "/consumer/name").unwrap_or_default(),
                    consumer_version: text(r, "/consumer/version/number"),
                    provider: text(r, "/provider/name").unwrap_or_default(),
                    provider_version: text(r, "/provider/version/number"),
                    success: r
                        .pointer("/verificationResult/success")
                        .and_then(Value::as_bool),
                    reason: text(r, "/reason"),
                })
                .collect(),
            notices: Notice::list(doc.get("notices")),
        }
    }
}

/// What `pb:provider-pacts-for-verification` is asked for.
#[derive(Debug, Clone, Default)]
pub struct PactsForVerificationRequest {
    /// The provider.
    pub provider: String,
    /// Consumer version selectors, as the Pact Broker takes them
    /// (`{"mainBranch": true}`, `{"deployedOrReleased": true}`...).
    pub selectors: Vec<Value>,
    /// The provider version's branch (for pending and WIP).
    pub provider_branch: Option<String>,
    /// The provider version's tags (for pending and WIP, legacy).
    pub provider_tags: Vec<String>,
    /// Ask which pacts are pending.
    pub include_pending: bool,
    /// Include work-in-progress pacts published since this date.
    pub include_wip_since: Option<String>,
}

/// A pact the broker asks the provider to verify.
#[derive(Debug, Clone, PartialEq)]
pub struct PactForVerification {
    /// The pact's URL.
    pub href: String,
    /// Why it was selected (`latest from main branch`, `WIP`...).
    pub description: String,
    /// Failures do not fail the provider's build.
    pub pending: bool,
    /// Selected as work in progress.
    pub wip: bool,
    /// The broker's notices (`when` in [`Notice::kind`]).
    pub notices: Vec<Notice>,
}

/// A verification result to publish.
#[derive(Debug, Clone, Default)]
pub struct VerificationResult {
    /// Whether every interaction passed.
    pub success: bool,
    /// The provider version that was verified.
    pub provider_version: String,
    /// The CI build URL.
    pub build_url: Option<String>,
    /// Per-interaction results (`testResults`), if any.
    pub test_results: Option<Value>,
}

impl BrokerClient {
    /// can-i-deploy: `GET /matrix` for the versions and the target (the
    /// path the Pact CLIs use; Rack-style `q[][...]` parameters).
    pub async fn can_i_deploy(
        &self,
        versions: &[Selector],
        target: &Target,
    ) -> Result<CanIDeploy, BrokerError> {
        let doc = self.get(&matrix_href(versions, target)).await?;
        if doc.get("summary").is_none() {
            return Err(BrokerError::BadAnswer {
                method: "GET".into(),
                url: self.url(&matrix_href(versions, target)),
                reason: "no `summary` in the matrix answer".into(),
            });
        }
        Ok(CanIDeploy::from_json(&doc))
    }

    /// The pacts the provider should verify.
    pub async fn pacts_for_verification(
        &self,
        request: &PactsForVerificationRequest,
    ) -> Result<Vec<PactForVerification>, BrokerError> {
        let index = self.index().await?;
        let link = hal::link(&index, "pb:provider-pacts-for-verification")
            .or_else(|| hal::link(&index, "beta:provider-pacts-for-verification"));
        let link = match link {
            Some(l) => l,
            None => self.relation(&index, "pb:provider-pacts-for-verification")?,
        };
        let href = link.expand(&[("provider", &request.provider)]);
        let mut body = json!({
            "consumerVersionSelectors": request.selectors,
            "includePendingStatus": request.include_pending,
        });
        if let Some(b) = &request.provider_branch {
            body["providerVersionBranch"] = json!(b);
        }
        if !request.provider_tags.is_empty() {
            body["providerVersionTags"] = json!(request.provider_tags);
        }
        if let Some(since) = &request.include_wip_since {
            body["includeWipPactsSince"] = json!(since);
        }
        let doc = self.send(Method::POST, &href, Some(&body)).await?;
        let pacts = doc.pointer("/_embedded/pacts").and_then(Value::as_array);
        Ok(pacts
            .into_iter()
            .flatten()
            .filter_map(pact_for_verification)
            .collect())
    }

    /// Publishes a verification result to a pact's
    /// `pb:publish-verification-results` link.
    pub async fn publish_result(
        &self,
        pact: &Value,
        result: &VerificationResult,
    ) -> Result<Value, BrokerError> {
        let link = hal::link(pact, "pb:publish-verification-results").ok_or_else(|| {
            BrokerError::MissingRelation {
                relation: "pb:publish-verification-results".into(),
                resource: "pact".into(),
                base: self.base_url().into(),
            }
        })?;
        let mut body = json!({
            "success": result.success,
            "providerApplicationVersion": result.provider_version,
            "verifiedBy": {"implementation": "treaty", "version": env!("CARGO_PKG_VERSION")},
        });
        if let Some(url) = &result.build_url {
            body["buildUrl"] = json!(url);
        }
        if let Some(tests) = &result.test_results {
            body["testResults"] = tests.clone();
        }
        self.send(Method::POST, &link.href, Some(&body)).await
    }
}

fn pact_for_verification(value: &Value) -> Option<PactForVerification> {
    let props = value
        .get("verificationProperties")
        .cloned()
        .unwrap_or_default();
    Some(PactForVerification {
        href: hal::link(value, "self")?.href,
        description: value
            .get("shortDescription")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        pending: props
            .get("pending")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        wip: props.get("wip").and_then(Value::as_bool).unwrap_or(false),
        notices: Notice::list(props.get("notices")),
    })
}

/// `/matrix?q[][pacticipant]=A&q[][version]=1&latestby=cvp&environment=E`.
fn matrix_href(versions: &[Selector], target: &Target) -> String {
    let mut query = Vec::new();
    for s in versions {
        query.push(format!("q[][pacticipant]={}", hal::encode(&s.pacticipant)));
        match &s.version {
            Some(v) => query.push(format!("q[][version]={}", hal::encode(v))),
            None => {
                query.push("q[][latest]=true".to_owned());
                if let Some(tag) = &s.tag {
                    query.push(format!("q[][tag]={}", hal::encode(tag)));
                }
                if let Some(branch) = &s.branch {
                    query.push(format!("q[][branch]={}", hal::encode(branch)));
                }
            }
        }
    }
    query.push("latestby=cvp".to_owned());
    match target {
        Target::Environment(e) => query.push(format!("environment={}", hal::encode(e))),
        Target::Tag(t) => query.push(format!("latest=true&tag={}", hal::encode(t))),
    }
    format!("/matrix?{}", query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_queries_use_rack_syntax() {
        let s = Selector {
            pacticipant: "Foo Bar".into(),
            version: Some("1.0".into()),
            ..Selector::default()
        };
        assert_eq!(
            matrix_href(&[s], &Target::Environment("prod".into())),
            "/matrix?q[][pacticipant]=Foo%20Bar&q[][version]=1.0&latestby=cvp&environment=prod"
        );
    }
}
