//! Versioned schema migrations, run in order at start. Each migration runs
//! in its own transaction together with the row recording it in
//! `schema_version`, so a crash leaves the schema at a known version.

use rusqlite::{params, Connection};

/// The migrations, in order; the position (from 1) is the schema version.
/// Never edit a released migration: add a new one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE pacticipants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT,
    main_branch TEXT,
    repository_url TEXT,
    -- 1 while every version number is semver: versions then sort by semver.
    versions_semver INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    -- Sortable encoding of the semver number; '' when not semver.
    semver_key TEXT NOT NULL,
    build_url TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (pacticipant_id, number)
);
CREATE INDEX versions_order ON versions (pacticipant_id, semver_key, id);
CREATE TABLE branches (
    id INTEGER PRIMARY KEY,
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (pacticipant_id, name)
);
CREATE TABLE branch_versions (
    branch_id INTEGER NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (branch_id, version_id)
);
CREATE INDEX branch_versions_version ON branch_versions (version_id);
CREATE TABLE tags (
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (version_id, name)
);
CREATE INDEX tags_name ON tags (name, version_id);
CREATE TABLE contents (
    id INTEGER PRIMARY KEY,
    consumer_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
    sha TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (consumer_id, provider_id, sha)
);
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    consumer_version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
    content_id INTEGER NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    UNIQUE (consumer_version_id, provider_id)
);
CREATE INDEX publications_provider ON publications (provider_id, consumer_version_id);
CREATE INDEX publications_content ON publications (content_id);
CREATE TABLE verifications (
    id INTEGER PRIMARY KEY,
    content_id INTEGER NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
    provider_version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    success INTEGER NOT NULL,
    build_url TEXT,
    test_results TEXT NOT NULL,
    verified_by TEXT NOT NULL,
    wip INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX verifications_content ON verifications (content_id, provider_version_id, id);
CREATE INDEX verifications_provider_version ON verifications (provider_version_id);
CREATE TABLE environments (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT,
    production INTEGER NOT NULL,
    contacts TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE deployments (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    -- 'deployed' or 'released'
    kind TEXT NOT NULL,
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
    environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    -- '' when none was given: its own instance.
    application_instance TEXT NOT NULL,
    current INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE UNIQUE INDEX deployments_one_current
    ON deployments (pacticipant_id, environment_id, application_instance)
    WHERE current = 1 AND kind = 'deployed';
CREATE UNIQUE INDEX releases_one_current
    ON deployments (version_id, environment_id)
    WHERE current = 1 AND kind = 'released';
CREATE INDEX deployments_version ON deployments (version_id, current);
CREATE INDEX deployments_environment ON deployments (environment_id, current);
"#,
    r#"
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    -- The client's JSON definition, secrets included (redacted on output).
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- The delivery queue: survives restarts; 'dead' rows are the dead letters.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    webhook_uuid TEXT NOT NULL,
    event TEXT NOT NULL,
    request TEXT NOT NULL,
    -- 'pending', 'succeeded' or 'dead'
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    log TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_uuid, id);
"#,
    r#"
-- What triggered a delivery: the consumer version and content of the pact,
-- and the verification result for verification events. No foreign keys:
-- the record of a delivery outlives retention of what triggered it.
ALTER TABLE webhook_deliveries ADD COLUMN consumer_version_id INTEGER;
ALTER TABLE webhook_deliveries ADD COLUMN content_id INTEGER;
ALTER TABLE webhook_deliveries ADD COLUMN verification_id INTEGER;
CREATE INDEX webhook_deliveries_pact ON webhook_deliveries (consumer_version_id, content_id);
CREATE INDEX webhook_deliveries_verification ON webhook_deliveries (verification_id);
CREATE TABLE pacticipant_labels (
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (pacticipant_id, name)
);
CREATE INDEX pacticipant_labels_name ON pacticipant_labels (name, pacticipant_id);
"#,
];

/// The schema version this build expects.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the schema up to [`SCHEMA_VERSION`]; refuses a newer database.
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<Result<(), String>> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
             version INTEGER PRIMARY KEY,
             applied_at TEXT NOT NULL
         )",
    )?;
    let current: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |row| row.get(0),
    )?;
    if current > SCHEMA_VERSION {
        return Ok(Err(format!(
            "the database has schema version {current}, newer than this broker's {SCHEMA_VERSION}"
        )));
    }
    for (version, sql) in (1..)
        .zip(MIGRATIONS)
        .skip(usize::try_from(current).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
            params![version, super::now()],
        )?;
        tx.commit()?;
        tracing::info!(version, "applied migration");
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DeliveryFilter, Trigger};

    #[test]
    fn version_2_deliveries_survive_the_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .unwrap();
        for (version, sql) in (1..).zip(&MIGRATIONS[..2]) {
            conn.execute_batch(sql).unwrap();
            conn.execute("INSERT INTO schema_version VALUES (?1, 'then')", [version])
                .unwrap();
        }
        conn.execute(
            "INSERT INTO webhook_deliveries (uuid, webhook_uuid, event, request, status, attempts,
                 next_attempt_at, log, created_at, updated_at)
             VALUES ('d1', 'w1', 'contract_published', '{}', 'dead', 1, 't',
                     '[\"2026-01-01T00:00:00Z HTTP 500\"]', 't', 't')",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap().unwrap();
        let all = super::super::webhooks::deliveries(&conn, &DeliveryFilter::default()).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].log[0].error.as_deref(), Some("HTTP 500"));
        assert_eq!(all[0].trigger, Trigger::default());
    }
}
