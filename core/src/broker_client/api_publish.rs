//! Publishing contracts (`pb:publish-contracts`).

use base64::Engine;
use reqwest::Method;
use serde::Serialize;
use serde_json::{json, Value};

use super::error::BrokerError;
use super::hal;
use super::http::BrokerClient;

/// One contract to publish: the pact JSON between a consumer and provider.
#[derive(Debug, Clone)]
pub struct Contract {
    /// The consumer name (as in the file).
    pub consumer: String,
    /// The provider name (as in the file).
    pub provider: String,
    /// The pact document.
    pub content: Value,
}

/// A publication: one consumer version with its branch, tags and contracts.
#[derive(Debug, Clone, Default)]
pub struct PublishRequest {
    /// The consumer.
    pub pacticipant: String,
    /// The consumer version.
    pub version: String,
    /// The branch of the version.
    pub branch: Option<String>,
    /// Tags of the version.
    pub tags: Vec<String>,
    /// The CI build that made the version.
    pub build_url: Option<String>,
    /// The contracts (all with `consumer == pacticipant`).
    pub contracts: Vec<Contract>,
}

/// A message from the broker (`info`, `success`, `warning`, `error`...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The notice type (or `when` for pacts-for-verification notices).
    #[serde(rename = "type")]
    pub kind: String,
    /// The text.
    pub text: String,
}

impl Notice {
    /// Reads a `notices` array (`type`/`when` and `text` fields).
    pub(crate) fn list(value: Option<&Value>) -> Vec<Notice> {
        value
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|n| {
                let text = n.get("text").and_then(Value::as_str)?;
                let kind = n.get("type").or(n.get("when")).and_then(Value::as_str);
                Some(Notice {
                    kind: kind.unwrap_or("info").to_owned(),
                    text: text.to_owned(),
                })
            })
            .collect()
    }
}

impl PublishRequest {
    /// The `POST /contracts/publish` body.
    pub fn body(&self) -> Value {
        let contracts: Vec<Value> = self
            .contracts
            .iter()
            .map(|c| {
                json!({
                    "consumerName": c.consumer,
                    "providerName": c.provider,
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": base64::engine::general_purpose::STANDARD.encode(c.content.to_string()),
                })
            })
            .collect();
        let mut body = json!({
            "pacticipantName": self.pacticipant,
            "pacticipantVersionNumber": self.version,
            "tags": self.tags,
            "contracts": contracts,
        });
        if let Some(branch) = &self.branch {
            body["branch"] = json!(branch);
        }
        if let Some(url) = &self.build_url {
            body["buildUrl"] = json!(url);
        }
        body
    }
}

/// The latest pact of one consumer and provider (`/pacts/latest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestPact {
    /// The consumer.
    pub consumer: String,
    /// The provider.
    pub provider: String,
    /// The pact's URL.
    pub href: String,
}

impl BrokerClient {
    /// The latest pact of every consumer and provider (`GET /pacts/latest`,
    /// the resource `pact stub --broker-url` reads).
    pub async fn latest_pacts(&self) -> Result<Vec<LatestPact>, BrokerError> {
        let doc = self.get("/pacts/latest").await?;
        let pacts = doc.get("pacts").and_then(Value::as_array);
        Ok(pacts
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let name = |who: &str| {
                    p.pointer(&format!("/_embedded/{who}/name"))?
                        .as_str()
                        .map(str::to_owned)
                };
                let links = hal::links(p, "self");
                Some(LatestPact {
                    consumer: name("consumer")?,
                    provider: name("provider")?,
                    href: links.last()?.href.clone(),
                })
            })
            .collect())
    }

    /// Publishes a consumer version's contracts; returns the broker's
    /// notices. A conflict (409) is a [`BrokerError::Status`] whose message
    /// holds the broker's error notices.
    pub async fn publish(&self, request: &PublishRequest) -> Result<Vec<Notice>, BrokerError> {
        let index = self.index().await?;
        let link = self.relation(&index, "pb:publish-contracts")?;
        let answer = self
            .send(Method::POST, &link.href, Some(&request.body()))
            .await?;
        Ok(Notice::list(answer.get("notices")))
    }

    /// The first link under `relation` in the index, or an error naming it.
    pub(crate) fn relation(&self, index: &Value, relation: &str) -> Result<hal::Link, BrokerError> {
        hal::link(index, relation).ok_or_else(|| BrokerError::MissingRelation {
            relation: relation.to_owned(),
            resource: "index".to_owned(),
            base: self.base_url().to_owned(),
        })
    }
}
