//! The SQLite [`Store`]: one file, WAL mode, one writer
//! connection and a few readers.
//!
//! Durability: `journal_mode=WAL` with `synchronous=FULL`, so every commit
//! syncs the write-ahead log before the call returns and a write answered
//! 2xx survives the process being killed (and a power cut). `NORMAL` would
//! survive a killed process too but may lose the last commits on power
//! loss; the broker is a system of record, so it pays the fsync.
//!
//! Concurrency: writes go through one connection behind a mutex, each in a
//! `BEGIN IMMEDIATE` transaction (SQLite allows one writer anyway, and this
//! avoids busy errors between our own connections). Reads use a small pool
//! of read-only connections that WAL lets run beside the writer. An
//! in-memory database has a single connection for both.

mod environments;
mod labels;
mod migrations;
mod pacts;
mod retention;
mod rows;
mod versions;
mod webhooks;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use super::{StoreError, StoreResult};

pub use migrations::SCHEMA_VERSION;

/// Read connections opened for a file database.
const READERS: usize = 4;

/// A broker store in SQLite.
pub struct SqliteStore {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("readers", &self.readers.len())
            .finish()
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Backend(Box::new(error))
    }
}

impl SqliteStore {
    /// Opens (creating if needed) a database file and migrates it.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let mut writer = Connection::open(path)?;
        configure(&writer)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        run_migrations(&mut writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            configure(&reader)?;
            readers.push(Mutex::new(reader));
        }
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// A fresh in-memory database (for tests).
    pub fn in_memory() -> StoreResult<SqliteStore> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        run_migrations(&mut conn)?;
        Ok(SqliteStore {
            writer: Mutex::new(conn),
            readers: Vec::new(),
            next_reader: AtomicUsize::new(0),
        })
    }

    /// Runs a read on a pooled connection (the writer for in-memory).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        if self.readers.is_empty() {
            return f(&lock(&self.writer));
        }
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for offset in 0..self.readers.len() {
            let slot = &self.readers[(start + offset) % self.readers.len()];
            if let Ok(conn) = slot.try_lock() {
                return f(&conn);
            }
        }
        f(&lock(&self.readers[start % self.readers.len()]))
    }

    /// Runs a write in one immediate transaction, committed when `f`
    /// succeeds and rolled back otherwise.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// A poisoned mutex only means another request panicked mid-call; the
/// connection itself is still sound (its transaction was rolled back).
fn lock(mutex: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn configure(conn: &Connection) -> StoreResult<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

fn run_migrations(conn: &mut Connection) -> StoreResult<()> {
    migrations::migrate(conn)?.map_err(|message| StoreError::Backend(message.into()))
}

/// Now as stored: RFC 3339, UTC, microseconds (sorts as text).
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

use super::{Attempt, Delivery, DeliveryFilter, NewDelivery, RetentionReport, Webhook};
use super::{
    BranchHead, Deployment, DeploymentFilter, DeploymentKind, DeploymentWrite, Environment,
    EnvironmentWrite, LatestFilter, NewVerification, Pact, PactRow, Pacticipant, PacticipantPatch,
    Publication, PublishOutcome, Store, Verification, Version, VersionWrite,
};

impl Store for SqliteStore {
    fn upsert_pacticipant(
        &self,
        name: &str,
        patch: &PacticipantPatch,
    ) -> StoreResult<(Pacticipant, bool)> {
        self.write(|tx| versions::upsert_pacticipant(tx, name, patch))
    }
    fn pacticipant(&self, name: &str) -> StoreResult<Option<Pacticipant>> {
        self.read(|c| versions::pacticipant(c, name))
    }
    fn pacticipants(&self) -> StoreResult<Vec<Pacticipant>> {
        self.read(versions::pacticipants)
    }
    fn delete_pacticipant(&self, name: &str) -> StoreResult<bool> {
        self.write(|tx| versions::delete_pacticipant(tx, name))
    }
    fn add_label(&self, pacticipant: &str, label: &str) -> StoreResult<bool> {
        self.write(|tx| labels::add(tx, pacticipant, label))
    }
    fn remove_label(&self, pacticipant: &str, label: &str) -> StoreResult<bool> {
        self.write(|tx| labels::remove(tx, pacticipant, label))
    }
    fn labels_of(&self, pacticipant: &str) -> StoreResult<Vec<String>> {
        self.read(|c| labels::of(c, pacticipant))
    }
    fn labelled(&self, label: &str) -> StoreResult<Vec<Pacticipant>> {
        self.read(|c| labels::labelled(c, label))
    }
    fn labels(&self) -> StoreResult<Vec<String>> {
        self.read(labels::all)
    }
    fn upsert_version(&self, write: &VersionWrite) -> StoreResult<(Version, bool)> {
        self.write(|tx| versions::apply_version_write(tx, write))
    }
    fn version(&self, pacticipant: &str, number: &str) -> StoreResult<Option<Version>> {
        self.read(|c| versions::version(c, pacticipant, number))
    }
    fn version_by_id(&self, id: i64) -> StoreResult<Option<Version>> {
        self.read(|c| versions::version_by_id(c, id))
    }
    fn versions(&self, pacticipant: &str) -> StoreResult<Vec<Version>> {
        self.read(|c| versions::versions(c, pacticipant))
    }
    fn latest_version(
        &self,
        pacticipant: &str,
        filter: &LatestFilter,
    ) -> StoreResult<Option<Version>> {
        self.read(|c| versions::latest_version(c, pacticipant, filter))
    }
    fn versions_with_tag(&self, pacticipant: &str, tag: &str) -> StoreResult<Vec<Version>> {
        self.read(|c| versions::versions_with_tag(c, pacticipant, tag))
    }
    fn branch_heads(&self, pacticipant: &str) -> StoreResult<Vec<BranchHead>> {
        self.read(|c| versions::branch_heads(c, pacticipant))
    }
    fn branch_created_at(&self, pacticipant: &str, branch: &str) -> StoreResult<Option<String>> {
        self.read(|c| versions::branch_created_at(c, pacticipant, branch))
    }
    fn tag_created_at(&self, pacticipant: &str, tag: &str) -> StoreResult<Option<String>> {
        self.read(|c| versions::tag_created_at(c, pacticipant, tag))
    }
    fn delete_branch(&self, pacticipant: &str, branch: &str) -> StoreResult<bool> {
        self.write(|tx| versions::delete_branch(tx, pacticipant, branch))
    }
    fn publish(&self, publication: &Publication) -> StoreResult<PublishOutcome> {
        self.write(|tx| pacts::publish(tx, publication))
    }
    fn pact_for_version(
        &self,
        provider: &str,
        consumer: &str,
        version: &str,
    ) -> StoreResult<Option<Pact>> {
        self.read(|c| pacts::pact_for_version(c, provider, consumer, version))
    }
    fn pact_by_sha(&self, provider: &str, consumer: &str, sha: &str) -> StoreResult<Option<Pact>> {
        self.read(|c| pacts::pact_by_sha(c, provider, consumer, sha))
    }
    fn provider_pacts(&self, provider: &str, consumer: Option<&str>) -> StoreResult<Vec<PactRow>> {
        self.read(|c| pacts::provider_pacts(c, provider, consumer))
    }
    fn pacts_of_version(&self, version_id: i64) -> StoreResult<Vec<PactRow>> {
        self.read(|c| pacts::pacts_of_version(c, version_id))
    }
    fn latest_pacts(&self) -> StoreResult<Vec<PactRow>> {
        self.read(pacts::latest_pacts)
    }
    fn consumers_of(&self, provider: &str) -> StoreResult<Vec<String>> {
        self.read(|c| pacts::consumers_of(c, provider))
    }
    fn record_verification(&self, verification: &NewVerification) -> StoreResult<Verification> {
        self.write(|tx| pacts::record_verification(tx, verification))
    }
    fn verification(&self, id: i64) -> StoreResult<Option<Verification>> {
        self.read(|c| pacts::verification(c, id))
    }
    fn verifications_of(&self, content_ids: &[i64]) -> StoreResult<Vec<Verification>> {
        self.read(|c| pacts::verifications_of(c, content_ids))
    }
    fn create_environment(&self, environment: &EnvironmentWrite) -> StoreResult<Environment> {
        self.write(|tx| environments::create_environment(tx, environment))
    }
    fn update_environment(
        &self,
        uuid: &str,
        environment: &EnvironmentWrite,
    ) -> StoreResult<Environment> {
        self.write(|tx| environments::update_environment(tx, uuid, environment))
    }
    fn delete_environment(&self, uuid: &str) -> StoreResult<bool> {
        self.write(|tx| environments::delete_environment(tx, uuid))
    }
    fn environment(&self, uuid: &str) -> StoreResult<Option<Environment>> {
        self.read(|c| environments::environment(c, uuid))
    }
    fn environment_by_name(&self, name: &str) -> StoreResult<Option<Environment>> {
        self.read(|c| environments::environment_by_name(c, name))
    }
    fn environments(&self) -> StoreResult<Vec<Environment>> {
        self.read(environments::environments)
    }
    fn record_deployment(&self, deployment: &DeploymentWrite) -> StoreResult<Deployment> {
        self.write(|tx| environments::record_deployment(tx, deployment))
    }
    fn record_release(&self, deployment: &DeploymentWrite) -> StoreResult<Deployment> {
        self.write(|tx| environments::record_release(tx, deployment))
    }
    fn end_deployment(&self, kind: DeploymentKind, uuid: &str) -> StoreResult<Deployment> {
        self.write(|tx| environments::end_deployment(tx, kind, uuid))
    }
    fn deployment(&self, kind: DeploymentKind, uuid: &str) -> StoreResult<Option<Deployment>> {
        self.read(|c| environments::deployment(c, kind, uuid))
    }
    fn current_deployments(&self, filter: &DeploymentFilter) -> StoreResult<Vec<Deployment>> {
        self.read(|c| environments::current_deployments(c, filter))
    }
    fn put_webhook(
        &self,
        uuid: &str,
        definition: &serde_json::Value,
    ) -> StoreResult<(Webhook, bool)> {
        self.write(|tx| webhooks::put_webhook(tx, uuid, definition))
    }
    fn webhook(&self, uuid: &str) -> StoreResult<Option<Webhook>> {
        self.read(|c| webhooks::webhook(c, uuid))
    }
    fn webhooks(&self) -> StoreResult<Vec<Webhook>> {
        self.read(webhooks::webhooks)
    }
    fn delete_webhook(&self, uuid: &str) -> StoreResult<bool> {
        self.write(|tx| webhooks::delete_webhook(tx, uuid))
    }
    fn enqueue_deliveries(&self, deliveries: &[NewDelivery]) -> StoreResult<()> {
        self.write(|tx| webhooks::enqueue(tx, deliveries))
    }
    fn due_deliveries(&self, now: &str, limit: u32) -> StoreResult<Vec<Delivery>> {
        self.read(|c| webhooks::due(c, now, limit))
    }
    fn next_delivery_due(&self) -> StoreResult<Option<String>> {
        self.read(webhooks::next_due)
    }
    fn finish_attempt(&self, id: i64, attempt: &Attempt) -> StoreResult<()> {
        self.write(|tx| webhooks::finish_attempt(tx, id, attempt))
    }
    fn deliveries(&self, filter: &DeliveryFilter) -> StoreResult<Vec<Delivery>> {
        self.read(|c| webhooks::deliveries(c, filter))
    }
    fn delivery(&self, uuid: &str) -> StoreResult<Option<Delivery>> {
        self.read(|c| webhooks::delivery(c, uuid))
    }
    fn queue_depth(&self) -> StoreResult<i64> {
        self.read(webhooks::queue_depth)
    }
    fn apply_retention(&self, cutoff: &str) -> StoreResult<RetentionReport> {
        self.write(|tx| retention::apply(tx, cutoff))
    }
    fn health(&self) -> StoreResult<()> {
        self.read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
    }
    fn schema_version(&self) -> StoreResult<i64> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                [],
                |row| row.get(0),
            )?)
        })
    }
    fn database_bytes(&self) -> StoreResult<i64> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                [],
                |row| row.get(0),
            )?)
        })
    }
}
