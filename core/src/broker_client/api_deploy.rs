//! Environments, versions, deployments, releases and webhooks.

use reqwest::Method;
use serde::Serialize;
use serde_json::{json, Value};

use super::error::BrokerError;
use super::hal;
use super::http::BrokerClient;

/// An environment known to the broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Environment {
    /// Its id.
    pub uuid: String,
    /// Its name (`production`).
    pub name: String,
    /// Whether it is a production environment.
    pub production: bool,
}

/// An environment to create.
#[derive(Debug, Clone, Default)]
pub struct NewEnvironment {
    /// The name (no spaces).
    pub name: String,
    /// The display name.
    pub display_name: Option<String>,
    /// Whether it is a production environment.
    pub production: bool,
}

/// Branch, tags and build URL to set on a pacticipant version.
#[derive(Debug, Clone, Default)]
pub struct VersionUpdate {
    /// The pacticipant.
    pub pacticipant: String,
    /// The version number.
    pub version: String,
    /// A branch to add the version to.
    pub branch: Option<String>,
    /// Tags to add.
    pub tags: Vec<String>,
    /// The CI build URL.
    pub build_url: Option<String>,
}

/// Which deployed (or released) versions to mark as ended.
#[derive(Debug, Clone, Default)]
pub struct EndRecord {
    /// The pacticipant.
    pub pacticipant: String,
    /// The environment name.
    pub environment: String,
    /// Only this version (`None`: every current one).
    pub version: Option<String>,
    /// Only this application instance.
    pub application_instance: Option<String>,
    /// Releases (`record-support-ended`) instead of deployments.
    pub released: bool,
}

impl EndRecord {
    fn matches(&self, item: &Value) -> bool {
        let text = |p: &str| item.pointer(p).and_then(Value::as_str);
        text("/_embedded/pacticipant/name") == Some(self.pacticipant.as_str())
            && (self.version.is_none()
                || text("/_embedded/version/number") == self.version.as_deref())
            && (self.application_instance.is_none()
                || text("/applicationInstance") == self.application_instance.as_deref())
    }
}

/// A webhook to create (see the Pact Broker webhook API).
#[derive(Debug, Clone, Default)]
pub struct Webhook {
    /// A description.
    pub description: Option<String>,
    /// Only for this consumer.
    pub consumer: Option<String>,
    /// Only for this provider.
    pub provider: Option<String>,
    /// The events that trigger it (`contract_content_changed`...).
    pub events: Vec<String>,
    /// The HTTP method of the call.
    pub method: String,
    /// The URL called.
    pub url: String,
    /// Headers of the call.
    pub headers: Vec<(String, String)>,
    /// The body of the call (templates like `${pactbroker.pactUrl}` allowed).
    pub body: Option<Value>,
}

impl Webhook {
    /// The `POST /webhooks` body.
    pub fn body(&self) -> Value {
        let headers: serde_json::Map<String, Value> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let mut request = json!({"method": self.method, "url": self.url, "headers": headers});
        if let Some(body) = &self.body {
            request["body"] = body.clone();
        }
        let mut body = json!({
            "events": self.events.iter().map(|e| json!({"name": e})).collect::<Vec<_>>(),
            "request": request,
        });
        if let Some(d) = &self.description {
            body["description"] = json!(d);
        }
        if let Some(c) = &self.consumer {
            body["consumer"] = json!({"name": c});
        }
        if let Some(p) = &self.provider {
            body["provider"] = json!({"name": p});
        }
        body
    }
}

impl BrokerClient {
    /// Every environment (`pb:environments`).
    pub async fn environments(&self) -> Result<Vec<Environment>, BrokerError> {
        let index = self.index().await?;
        let link = self.relation(&index, "pb:environments")?;
        let list = self.get(&link.href).await?;
        let items = list
            .pointer("/_embedded/environments")
            .and_then(Value::as_array);
        Ok(items
            .into_iter()
            .flatten()
            .filter_map(environment)
            .collect())
    }

    /// Creates an environment; returns the broker's JSON for it.
    pub async fn create_environment(&self, env: &NewEnvironment) -> Result<Value, BrokerError> {
        let index = self.index().await?;
        let link = self.relation(&index, "pb:environments")?;
        let mut body = json!({"name": env.name, "production": env.production});
        if let Some(d) = &env.display_name {
            body["displayName"] = json!(d);
        }
        self.send(Method::POST, &link.href, Some(&body)).await
    }

    /// The version resource (`pb:pacticipant-version`), or the latest one
    /// (`pb:latest-version`) when `version` is `None`.
    pub async fn version(
        &self,
        pacticipant: &str,
        version: Option<&str>,
    ) -> Result<Value, BrokerError> {
        let index = self.index().await?;
        let href = match version {
            Some(v) => self
                .relation(&index, "pb:pacticipant-version")?
                .expand(&[("pacticipant", pacticipant), ("version", v)]),
            None => self
                .relation(&index, "pb:latest-version")?
                .expand(&[("pacticipant", pacticipant)]),
        };
        self.get(&href).await.map_err(|e| match e.status() {
            Some(404) => BrokerError::NotFound {
                what: match version {
                    Some(v) => format!("version {v} of {pacticipant}"),
                    None => format!("a version of {pacticipant}"),
                },
                hint: Some("publish a contract or run create-or-update-version first".into()),
            },
            _ => e,
        })
    }

    /// Records that a version is deployed to an environment.
    pub async fn record_deployment(
        &self,
        pacticipant: &str,
        version: &str,
        environment: &str,
        application_instance: Option<&str>,
    ) -> Result<Value, BrokerError> {
        let mut body = json!({});
        if let Some(instance) = application_instance {
            body = json!({"applicationInstance": instance, "target": instance});
        }
        self.record(
            "pb:record-deployment",
            pacticipant,
            version,
            environment,
            body,
        )
        .await
    }

    /// Records that a version is released to an environment.
    pub async fn record_release(
        &self,
        pacticipant: &str,
        version: &str,
        environment: &str,
    ) -> Result<Value, BrokerError> {
        self.record(
            "pb:record-release",
            pacticipant,
            version,
            environment,
            json!({}),
        )
        .await
    }

    async fn record(
        &self,
        relation: &str,
        pacticipant: &str,
        version: &str,
        environment: &str,
        body: Value,
    ) -> Result<Value, BrokerError> {
        let resource = self.version(pacticipant, Some(version)).await?;
        let options = hal::links(&resource, relation);
        let link = options
            .iter()
            .find(|l| l.name.as_deref() == Some(environment))
            .ok_or_else(|| BrokerError::NotFound {
                what: format!("environment {environment}"),
                hint: Some(known(&options)),
            })?;
        self.send(Method::POST, &link.href, Some(&body)).await
    }

    /// Marks the versions that match `end` as no longer deployed (or
    /// supported); returns the broker's answer for each one changed.
    pub async fn end_in_environment(&self, end: &EndRecord) -> Result<Vec<Value>, BrokerError> {
        let env = self.environment_named(&end.environment).await?;
        let env_doc = self
            .get(&format!("/environments/{}", hal::encode(&env.uuid)))
            .await?;
        let (relation, list, field) = if end.released {
            (
                "pb:currently-supported-released-versions",
                "releasedVersions",
                "currentlySupported",
            )
        } else {
            (
                "pb:currently-deployed-deployed-versions",
                "deployedVersions",
                "currentlyDeployed",
            )
        };
        let link = hal::link(&env_doc, relation).ok_or_else(|| BrokerError::MissingRelation {
            relation: relation.into(),
            resource: format!("environment {}", end.environment),
            base: self.base_url().into(),
        })?;
        let href = format!(
            "{}?pacticipant={}",
            link.href,
            hal::encode(&end.pacticipant)
        );
        let doc = self.get(&href).await?;
        let items = doc
            .pointer(&format!("/_embedded/{list}"))
            .and_then(Value::as_array);
        let mut ended = Vec::new();
        for item in items.into_iter().flatten().filter(|item| end.matches(item)) {
            if let Some(own) = hal::link(item, "self") {
                let body = json!({field: false});
                ended.push(self.send(Method::PATCH, &own.href, Some(&body)).await?);
            }
        }
        Ok(ended)
    }

    /// The environment with this name.
    pub async fn environment_named(&self, name: &str) -> Result<Environment, BrokerError> {
        let all = self.environments().await?;
        let names: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
        let hint = format!(
            "known environments: {}; create it with treaty create-environment",
            names.join(", ")
        );
        all.iter()
            .find(|e| e.name == name)
            .cloned()
            .ok_or(BrokerError::NotFound {
                what: format!("environment {name}"),
                hint: Some(hint),
            })
    }

    /// Creates the version if needed and adds its branch and tags.
    pub async fn create_or_update_version(
        &self,
        update: &VersionUpdate,
    ) -> Result<Value, BrokerError> {
        let index = self.index().await?;
        let p = update.pacticipant.as_str();
        let v = update.version.as_str();
        let href = self
            .relation(&index, "pb:pacticipant-version")?
            .expand(&[("pacticipant", p), ("version", v)]);
        let mut body = json!({});
        if let Some(url) = &update.build_url {
            body["buildUrl"] = json!(url);
        }
        self.send(Method::PUT, &href, Some(&body)).await?;
        if let Some(branch) = &update.branch {
            let link = self.relation(&index, "pb:pacticipant-branch-version")?;
            let href = link.expand(&[("pacticipant", p), ("branch", branch), ("version", v)]);
            self.send(Method::PUT, &href, Some(&json!({}))).await?;
        }
        for tag in &update.tags {
            let link = self.relation(&index, "pb:pacticipant-version-tag")?;
            let href = link.expand(&[("pacticipant", p), ("version", v), ("tag", tag)]);
            self.send(Method::PUT, &href, Some(&json!({}))).await?;
        }
        self.get(&href).await
    }

    /// Creates a webhook (`POST pb:webhooks`).
    pub async fn create_webhook(&self, webhook: &Webhook) -> Result<Value, BrokerError> {
        let index = self.index().await?;
        let link = self.relation(&index, "pb:webhooks")?;
        self.send(Method::POST, &link.href, Some(&webhook.body()))
            .await
    }
}

fn environment(value: &Value) -> Option<Environment> {
    Some(Environment {
        uuid: value.get("uuid")?.as_str()?.to_owned(),
        name: value.get("name")?.as_str()?.to_owned(),
        production: value
            .get("production")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

fn known(options: &[hal::Link]) -> String {
    let names: Vec<&str> = options.iter().filter_map(|l| l.name.as_deref()).collect();
    if names.is_empty() {
        "the broker knows no environment; create it with treaty create-environment".into()
    } else {
        format!(
            "known environments: {}; create it with treaty create-environment",
            names.join(", ")
        )
    }
}
