//! Storage: the [`Store`] trait the HTTP layer talks to, and the records it
//! passes around.
//!
//! The trait speaks the broker's domain at the grain of one API operation:
//! every method that writes more than one row does so in one transaction,
//! and reads return plain records. Decisions (which pacts a selector picks,
//! whether a version can be deployed) are made above the trait, in
//! the broker's `selection` and `matrix` modules, so a second backend
//! (PostgreSQL) only has to implement these queries.
//!
//! Methods are blocking; the HTTP layer calls them on tokio's blocking pool
//! (see `AppState::run`).

mod records;
pub mod sqlite;
mod webhook_records;

pub use records::*;
pub use webhook_records::*;

use thiserror::Error;

/// What can go wrong in storage. Backend errors keep their source for the
/// log; the client only ever sees a generic message for them.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The named thing does not exist.
    #[error("{0} was not found")]
    NotFound(String),
    /// The write would replace content that must not change.
    #[error("conflicting content for {consumer} version {version} and provider {provider}")]
    Conflict {
        /// The consumer.
        consumer: String,
        /// The consumer version.
        version: String,
        /// The provider.
        provider: String,
    },
    /// A uniqueness rule was broken (a duplicate environment name...).
    #[error("{0}")]
    Duplicate(String),
    /// The database failed.
    #[error("database error")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// The broker's storage. Implementations must be safe to call from many
/// threads at once; writes are atomic per call.
pub trait Store: Send + Sync + 'static {
    // Pacticipants.
    /// Creates the pacticipant if missing, then applies the patch.
    /// Returns it and whether it was created.
    fn upsert_pacticipant(
        &self,
        name: &str,
        patch: &PacticipantPatch,
    ) -> StoreResult<(Pacticipant, bool)>;
    /// One pacticipant by name.
    fn pacticipant(&self, name: &str) -> StoreResult<Option<Pacticipant>>;
    /// Every pacticipant, by name.
    fn pacticipants(&self) -> StoreResult<Vec<Pacticipant>>;
    /// Deletes a pacticipant and everything hanging off it.
    fn delete_pacticipant(&self, name: &str) -> StoreResult<bool>;

    // Labels.
    /// Labels a pacticipant (which must exist); true when the label is new.
    fn add_label(&self, pacticipant: &str, label: &str) -> StoreResult<bool>;
    /// Removes a label; false when the pacticipant did not have it.
    fn remove_label(&self, pacticipant: &str, label: &str) -> StoreResult<bool>;
    /// A pacticipant's labels, by name.
    fn labels_of(&self, pacticipant: &str) -> StoreResult<Vec<String>>;
    /// The pacticipants carrying a label, by name.
    fn labelled(&self, label: &str) -> StoreResult<Vec<Pacticipant>>;
    /// Every label in use, by name.
    fn labels(&self) -> StoreResult<Vec<String>>;

    // Versions, branches, tags.
    /// Creates the pacticipant and version if missing and adds the branch,
    /// tags and build URL. Returns the version and whether it was created.
    fn upsert_version(&self, write: &VersionWrite) -> StoreResult<(Version, bool)>;
    /// One version with its branches and tags.
    fn version(&self, pacticipant: &str, number: &str) -> StoreResult<Option<Version>>;
    /// A version by id.
    fn version_by_id(&self, id: i64) -> StoreResult<Option<Version>>;
    /// The versions of a pacticipant, newest first.
    fn versions(&self, pacticipant: &str) -> StoreResult<Vec<Version>>;
    /// The newest version, optionally the newest with a tag or on a branch.
    fn latest_version(
        &self,
        pacticipant: &str,
        filter: &LatestFilter,
    ) -> StoreResult<Option<Version>>;
    /// Every version carrying a tag, newest first.
    fn versions_with_tag(&self, pacticipant: &str, tag: &str) -> StoreResult<Vec<Version>>;
    /// The branches of a pacticipant with their head (newest) version.
    fn branch_heads(&self, pacticipant: &str) -> StoreResult<Vec<BranchHead>>;
    /// When a branch was created, if it exists.
    fn branch_created_at(&self, pacticipant: &str, branch: &str) -> StoreResult<Option<String>>;
    /// When a tag was first put on a version of the pacticipant, if ever.
    fn tag_created_at(&self, pacticipant: &str, tag: &str) -> StoreResult<Option<String>>;
    /// Removes a branch (not its versions). False when it did not exist.
    fn delete_branch(&self, pacticipant: &str, branch: &str) -> StoreResult<bool>;

    // Contracts.
    /// Publishes contracts for one consumer version, atomically: version,
    /// branch, tags and every contract, or nothing.
    fn publish(&self, publication: &Publication) -> StoreResult<PublishOutcome>;
    /// The pact a consumer version published for a provider.
    fn pact_for_version(
        &self,
        provider: &str,
        consumer: &str,
        version: &str,
    ) -> StoreResult<Option<Pact>>;
    /// Content by its hash, with the newest consumer version that published it.
    fn pact_by_sha(&self, provider: &str, consumer: &str, sha: &str) -> StoreResult<Option<Pact>>;
    /// Every publication to a provider (optionally from one consumer),
    /// oldest version first per consumer.
    fn provider_pacts(&self, provider: &str, consumer: Option<&str>) -> StoreResult<Vec<PactRow>>;
    /// The pacts a consumer version published, one per provider.
    fn pacts_of_version(&self, version_id: i64) -> StoreResult<Vec<PactRow>>;
    /// The latest pact of every integration.
    fn latest_pacts(&self) -> StoreResult<Vec<PactRow>>;
    /// The consumers that have published pacts for a provider.
    fn consumers_of(&self, provider: &str) -> StoreResult<Vec<String>>;

    // Verifications.
    /// Records a verification result (creating the provider version, its
    /// branch and tags as needed).
    fn record_verification(&self, verification: &NewVerification) -> StoreResult<Verification>;
    /// One verification by id.
    fn verification(&self, id: i64) -> StoreResult<Option<Verification>>;
    /// The latest result per provider version for each of these contents.
    fn verifications_of(&self, content_ids: &[i64]) -> StoreResult<Vec<Verification>>;

    // Environments, deployments, releases.
    /// Creates an environment.
    fn create_environment(&self, environment: &EnvironmentWrite) -> StoreResult<Environment>;
    /// Replaces an environment's fields.
    fn update_environment(
        &self,
        uuid: &str,
        environment: &EnvironmentWrite,
    ) -> StoreResult<Environment>;
    /// Deletes an environment.
    fn delete_environment(&self, uuid: &str) -> StoreResult<bool>;
    /// An environment by uuid.
    fn environment(&self, uuid: &str) -> StoreResult<Option<Environment>>;
    /// An environment by name.
    fn environment_by_name(&self, name: &str) -> StoreResult<Option<Environment>>;
    /// Every environment, by name.
    fn environments(&self) -> StoreResult<Vec<Environment>>;
    /// Records a deployment, ending the one it replaces (same pacticipant,
    /// environment and application instance).
    fn record_deployment(&self, deployment: &DeploymentWrite) -> StoreResult<Deployment>;
    /// Records a release (a no-op when already released and supported).
    fn record_release(&self, deployment: &DeploymentWrite) -> StoreResult<Deployment>;
    /// Marks a deployment undeployed or a release unsupported.
    fn end_deployment(&self, kind: DeploymentKind, uuid: &str) -> StoreResult<Deployment>;
    /// One deployment or release by uuid.
    fn deployment(&self, kind: DeploymentKind, uuid: &str) -> StoreResult<Option<Deployment>>;
    /// Current deployments or supported releases, filtered.
    fn current_deployments(&self, filter: &DeploymentFilter) -> StoreResult<Vec<Deployment>>;

    // Webhooks.
    /// Creates or replaces a webhook; returns it and whether it was created.
    fn put_webhook(
        &self,
        uuid: &str,
        definition: &serde_json::Value,
    ) -> StoreResult<(Webhook, bool)>;
    /// One webhook.
    fn webhook(&self, uuid: &str) -> StoreResult<Option<Webhook>>;
    /// Every webhook, oldest first.
    fn webhooks(&self) -> StoreResult<Vec<Webhook>>;
    /// Deletes a webhook (its queued deliveries stay, for the record).
    fn delete_webhook(&self, uuid: &str) -> StoreResult<bool>;
    /// Queues deliveries, due now, in one transaction.
    fn enqueue_deliveries(&self, deliveries: &[NewDelivery]) -> StoreResult<()>;
    /// Pending deliveries due at `now` (RFC 3339), oldest first.
    fn due_deliveries(&self, now: &str, limit: u32) -> StoreResult<Vec<Delivery>>;
    /// When the next pending delivery is due, if any.
    fn next_delivery_due(&self) -> StoreResult<Option<String>>;
    /// Records an attempt's outcome.
    fn finish_attempt(&self, id: i64, attempt: &Attempt) -> StoreResult<()>;
    /// Deliveries matching a filter, newest first (at most 1000).
    fn deliveries(&self, filter: &DeliveryFilter) -> StoreResult<Vec<Delivery>>;
    /// One delivery by uuid.
    fn delivery(&self, uuid: &str) -> StoreResult<Option<Delivery>>;
    /// Pending deliveries.
    fn queue_depth(&self) -> StoreResult<i64>;

    // Operations.
    /// Retention cleanup: deletes versions created before `cutoff` (RFC
    /// 3339) unless they are a main-branch head, a pacticipant's newest
    /// version, or currently deployed or released; then contents, branches
    /// and delivered webhook requests left over. One transaction.
    fn apply_retention(&self, cutoff: &str) -> StoreResult<RetentionReport>;
    /// Checks the database answers.
    fn health(&self) -> StoreResult<()>;
    /// The schema version the database is at (migrations applied).
    fn schema_version(&self) -> StoreResult<i64>;
    /// The database size in bytes.
    fn database_bytes(&self) -> StoreResult<i64>;
}
