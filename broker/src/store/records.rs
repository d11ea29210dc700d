//! The records the [`super::Store`] reads and writes: plain data.

use serde_json::Value;

/// An application taking part in contracts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pacticipant {
    /// Row id.
    pub id: i64,
    /// Unique, case-sensitive name.
    pub name: String,
    /// Display name, when set.
    pub display_name: Option<String>,
    /// The main branch (for the `mainBranch` selector).
    pub main_branch: Option<String>,
    /// Repository URL.
    pub repository_url: Option<String>,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time of the last change.
    pub updated_at: String,
}

/// Fields to change on a pacticipant; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PacticipantPatch {
    /// New display name.
    pub display_name: Option<String>,
    /// New main branch.
    pub main_branch: Option<String>,
    /// New repository URL.
    pub repository_url: Option<String>,
}

/// A version of a pacticipant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Row id.
    pub id: i64,
    /// The pacticipant's name.
    pub pacticipant: String,
    /// The version number (any string).
    pub number: String,
    /// Build URL, when given.
    pub build_url: Option<String>,
    /// Branches the version is on, oldest first.
    pub branches: Vec<String>,
    /// Tags, oldest first.
    pub tags: Vec<String>,
    /// RFC 3339 creation time.
    pub created_at: String,
}

/// What to create or add to a version.
#[derive(Debug, Clone, Default)]
pub struct VersionWrite {
    /// The pacticipant (created when missing).
    pub pacticipant: String,
    /// The version number (created when missing).
    pub number: String,
    /// A branch to put the version on.
    pub branch: Option<String>,
    /// Tags to add.
    pub tags: Vec<String>,
    /// Build URL to set.
    pub build_url: Option<String>,
}

/// Which version [`super::Store::latest_version`] looks for.
#[derive(Debug, Clone, Default)]
pub enum LatestFilter {
    /// The newest of all.
    #[default]
    Any,
    /// The newest with this tag.
    Tag(String),
    /// The head of this branch.
    Branch(String),
}

/// A branch and its newest version.
#[derive(Debug, Clone)]
pub struct BranchHead {
    /// Branch name.
    pub branch: String,
    /// Id of the newest version on it.
    pub version_id: i64,
    /// RFC 3339 creation time of the branch.
    pub created_at: String,
}

/// What to do when a consumer version already has a different pact for
/// the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replace {
    /// Refuse: [`super::StoreError::Conflict`].
    Never,
    /// Replace it.
    Always,
    /// Replace it only if its content hash is still this one (used for
    /// merges computed outside the transaction).
    IfCurrent(String),
}

/// One contract to publish.
#[derive(Debug, Clone)]
pub struct ContractWrite {
    /// The provider (created when missing).
    pub provider: String,
    /// Content hash of the normalised form.
    pub sha: String,
    /// The canonical document.
    pub document: String,
    /// Conflict policy.
    pub replace: Replace,
}

/// A publication: one consumer version and its contracts.
#[derive(Debug, Clone)]
pub struct Publication {
    /// The consumer version, with branch, tags and build URL.
    pub version: VersionWrite,
    /// The contracts, one per provider.
    pub contracts: Vec<ContractWrite>,
}

/// What happened to one published contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractStatus {
    /// First pact of this consumer version for the provider.
    Created,
    /// The same content was already there.
    Unchanged,
    /// Different content replaced the previous one.
    Replaced,
}

/// The result of [`super::Store::publish`].
#[derive(Debug, Clone)]
pub struct PublishOutcome {
    /// Whether the consumer version was created.
    pub version_created: bool,
    /// The version after the publication.
    pub version: Version,
    /// Per contract, in request order.
    pub contracts: Vec<(String, ContractStatus)>,
}

/// Contract content, stored once per consumer, provider and hash.
#[derive(Debug, Clone)]
pub struct Content {
    /// Row id.
    pub id: i64,
    /// Consumer name.
    pub consumer: String,
    /// Provider name.
    pub provider: String,
    /// Hash of the normalised form (hex SHA-256).
    pub sha: String,
    /// The canonical document.
    pub document: String,
    /// RFC 3339 time it was first stored.
    pub created_at: String,
}

/// A pact: content as published by one consumer version.
#[derive(Debug, Clone)]
pub struct Pact {
    /// The content.
    pub content: Content,
    /// The consumer version that published it.
    pub consumer_version: Version,
    /// RFC 3339 time of the publication.
    pub published_at: String,
}

/// A publication row for selection and the matrix.
#[derive(Debug, Clone)]
pub struct PactRow {
    /// Consumer name.
    pub consumer: String,
    /// The consumer's configured main branch.
    pub consumer_main_branch: Option<String>,
    /// Provider name.
    pub provider: String,
    /// Consumer version id.
    pub version_id: i64,
    /// Consumer version number.
    pub version_number: String,
    /// Branches of the consumer version.
    pub branches: Vec<String>,
    /// Tags of the consumer version.
    pub tags: Vec<String>,
    /// Environment names where the consumer version is currently deployed.
    pub deployed_in: Vec<String>,
    /// Environment names where it is released and supported.
    pub released_in: Vec<String>,
    /// Content id.
    pub content_id: i64,
    /// Content hash.
    pub sha: String,
    /// RFC 3339 publication time.
    pub published_at: String,
}

/// A verification result to record.
#[derive(Debug, Clone)]
pub struct NewVerification {
    /// The content verified.
    pub content_id: i64,
    /// The provider version (created when missing).
    pub provider_version: VersionWrite,
    /// Outcome.
    pub success: bool,
    /// Build URL.
    pub build_url: Option<String>,
    /// Test results, opaque.
    pub test_results: Value,
    /// Verifier description, opaque.
    pub verified_by: Value,
    /// Whether the pact was verified as work in progress.
    pub wip: bool,
}

/// A recorded verification result.
#[derive(Debug, Clone)]
pub struct Verification {
    /// Row id.
    pub id: i64,
    /// The content verified.
    pub content_id: i64,
    /// Provider name.
    pub provider: String,
    /// Provider version id.
    pub provider_version_id: i64,
    /// Provider version number.
    pub provider_version: String,
    /// Branches of the provider version.
    pub provider_branches: Vec<String>,
    /// Tags of the provider version.
    pub provider_tags: Vec<String>,
    /// Outcome.
    pub success: bool,
    /// Build URL.
    pub build_url: Option<String>,
    /// Test results, opaque.
    pub test_results: Value,
    /// Verifier description, opaque.
    pub verified_by: Value,
    /// Verified as work in progress.
    pub wip: bool,
    /// RFC 3339 time it was recorded.
    pub created_at: String,
}

/// An environment applications are deployed to.
#[derive(Debug, Clone)]
pub struct Environment {
    /// Row id.
    pub id: i64,
    /// Public id.
    pub uuid: String,
    /// Unique name.
    pub name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Whether this is production.
    pub production: bool,
    /// Contacts, opaque JSON.
    pub contacts: Value,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time of the last change.
    pub updated_at: String,
}

/// Environment fields to write.
#[derive(Debug, Clone)]
pub struct EnvironmentWrite {
    /// Unique name.
    pub name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Whether this is production.
    pub production: bool,
    /// Contacts, opaque JSON.
    pub contacts: Value,
}

/// Deployed or released.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentKind {
    /// A deployment (one current version per application instance).
    Deployed,
    /// A release (many supported at once).
    Released,
}

/// A deployment or release to record.
#[derive(Debug, Clone)]
pub struct DeploymentWrite {
    /// Pacticipant name.
    pub pacticipant: String,
    /// Version number (must exist).
    pub version: String,
    /// Environment uuid.
    pub environment: String,
    /// Application instance (deployments only); `None` is its own instance.
    pub application_instance: Option<String>,
}

/// A recorded deployment or release.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// Deployed or released.
    pub kind: DeploymentKind,
    /// Public id.
    pub uuid: String,
    /// Pacticipant name.
    pub pacticipant: String,
    /// Version number.
    pub version: String,
    /// Environment uuid.
    pub environment_uuid: String,
    /// Environment name.
    pub environment_name: String,
    /// Application instance (deployments).
    pub application_instance: Option<String>,
    /// Still deployed (deployments) or supported (releases).
    pub current: bool,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time it ended, if it did.
    pub ended_at: Option<String>,
}

/// Which current deployments or releases to list.
#[derive(Debug, Clone)]
pub struct DeploymentFilter {
    /// Deployed or released.
    pub kind: DeploymentKind,
    /// Environment uuid, or any.
    pub environment: Option<String>,
    /// Pacticipant name, or any.
    pub pacticipant: Option<String>,
    /// Version number, or any (needs `pacticipant`).
    pub version: Option<String>,
}
