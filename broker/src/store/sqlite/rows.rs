//! Column lists and row mappers shared by the queries. Every query binds
//! client data as parameters; these fragments are constants.

use rusqlite::types::Type;
use rusqlite::Row;
use serde_json::Value;

use crate::store::{Deployment, DeploymentKind, Environment, PactRow, Verification, Version};

/// Newest first, for a query joining `versions v` and `pacticipants p`.
pub(super) const NEWEST_FIRST: &str =
    "(CASE WHEN p.versions_semver = 1 THEN v.semver_key ELSE '' END) DESC, v.id DESC";

/// Branch names of version `v`, as a JSON array.
const BRANCHES_OF_V: &str = "(SELECT json_group_array(name) FROM (
    SELECT b.name AS name FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id
    WHERE bv.version_id = v.id ORDER BY bv.created_at, b.id))";

/// Tag names of version `v`, as a JSON array.
const TAGS_OF_V: &str = "(SELECT json_group_array(name) FROM (
    SELECT t.name AS name FROM tags t WHERE t.version_id = v.id ORDER BY t.created_at, t.name))";

/// Columns of a [`Version`], for a query joining `versions v` and
/// `pacticipants p`.
pub(super) fn version_columns() -> String {
    format!("v.id, p.name, v.number, v.build_url, v.created_at, {BRANCHES_OF_V}, {TAGS_OF_V}")
}

/// Reads the columns of [`version_columns`] starting at `at`.
pub(super) fn version(row: &Row<'_>, at: usize) -> rusqlite::Result<Version> {
    Ok(Version {
        id: row.get(at)?,
        pacticipant: row.get(at + 1)?,
        number: row.get(at + 2)?,
        build_url: row.get(at + 3)?,
        created_at: row.get(at + 4)?,
        branches: strings(row, at + 5)?,
        tags: strings(row, at + 6)?,
    })
}

/// A JSON array of strings stored in a column.
pub(super) fn strings(row: &Row<'_>, at: usize) -> rusqlite::Result<Vec<String>> {
    let text: Option<String> = row.get(at)?;
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(at, Type::Text, Box::new(e)))
}

/// A JSON document stored in a column.
pub(super) fn json(row: &Row<'_>, at: usize) -> rusqlite::Result<Value> {
    let text: String = row.get(at)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(at, Type::Text, Box::new(e)))
}

/// Columns of a [`PactRow`], for a query over `publications pub` joined
/// with `versions v`, consumer `c`, provider `pr` and `contents ct`.
pub(super) fn pact_row_columns() -> String {
    let in_env = |kind: &str| {
        format!(
            "(SELECT json_group_array(e.name) FROM deployments d
              JOIN environments e ON e.id = d.environment_id
              WHERE d.version_id = v.id AND d.current = 1 AND d.kind = '{kind}')"
        )
    };
    format!(
        "c.name, c.main_branch, pr.name, v.id, v.number, {BRANCHES_OF_V}, {TAGS_OF_V}, {}, {},
         ct.id, ct.sha, pub.created_at",
        in_env("deployed"),
        in_env("released")
    )
}

/// Reads the columns of [`pact_row_columns`].
pub(super) fn pact_row(row: &Row<'_>) -> rusqlite::Result<PactRow> {
    Ok(PactRow {
        consumer: row.get(0)?,
        consumer_main_branch: row.get(1)?,
        provider: row.get(2)?,
        version_id: row.get(3)?,
        version_number: row.get(4)?,
        branches: strings(row, 5)?,
        tags: strings(row, 6)?,
        deployed_in: strings(row, 7)?,
        released_in: strings(row, 8)?,
        content_id: row.get(9)?,
        sha: row.get(10)?,
        published_at: row.get(11)?,
    })
}

/// The joins every [`PactRow`] query starts with.
pub(super) const PACT_ROW_FROM: &str = "FROM publications pub
    JOIN versions v ON v.id = pub.consumer_version_id
    JOIN pacticipants c ON c.id = v.pacticipant_id
    JOIN pacticipants pr ON pr.id = pub.provider_id
    JOIN contents ct ON ct.id = pub.content_id";

/// Oldest first per consumer, for [`PACT_ROW_FROM`].
pub(super) const PACT_ROW_ORDER: &str =
    "ORDER BY c.name, (CASE WHEN c.versions_semver = 1 THEN v.semver_key ELSE '' END), v.id";

/// Columns of a [`Verification`]: `verifications vr` joined with provider
/// version `v` and provider `p`.
pub(super) fn verification_columns() -> String {
    format!(
        "vr.id, vr.content_id, p.name, v.id, v.number, {BRANCHES_OF_V}, {TAGS_OF_V},
         vr.success, vr.build_url, vr.test_results, vr.verified_by, vr.wip, vr.created_at"
    )
}

/// The joins for [`verification_columns`].
pub(super) const VERIFICATION_FROM: &str = "FROM verifications vr
    JOIN versions v ON v.id = vr.provider_version_id
    JOIN pacticipants p ON p.id = v.pacticipant_id";

/// Reads the columns of [`verification_columns`].
pub(super) fn verification(row: &Row<'_>) -> rusqlite::Result<Verification> {
    Ok(Verification {
        id: row.get(0)?,
        content_id: row.get(1)?,
        provider: row.get(2)?,
        provider_version_id: row.get(3)?,
        provider_version: row.get(4)?,
        provider_branches: strings(row, 5)?,
        provider_tags: strings(row, 6)?,
        success: row.get(7)?,
        build_url: row.get(8)?,
        test_results: json(row, 9)?,
        verified_by: json(row, 10)?,
        wip: row.get(11)?,
        created_at: row.get(12)?,
    })
}

/// Columns of an [`Environment`] (table `environments`).
pub(super) const ENVIRONMENT_COLUMNS: &str =
    "id, uuid, name, display_name, production, contacts, created_at, updated_at";

/// Reads the columns of [`ENVIRONMENT_COLUMNS`].
pub(super) fn environment(row: &Row<'_>) -> rusqlite::Result<Environment> {
    Ok(Environment {
        id: row.get(0)?,
        uuid: row.get(1)?,
        name: row.get(2)?,
        display_name: row.get(3)?,
        production: row.get(4)?,
        contacts: json(row, 5)?,
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

/// Columns and joins of a [`Deployment`] (`deployments d`).
pub(super) const DEPLOYMENT_SELECT: &str = "SELECT d.kind, d.uuid, p.name, v.number, e.uuid,
    e.name, d.application_instance, d.current, d.created_at, d.ended_at
    FROM deployments d
    JOIN versions v ON v.id = d.version_id
    JOIN pacticipants p ON p.id = d.pacticipant_id
    JOIN environments e ON e.id = d.environment_id";

/// Reads the columns of [`DEPLOYMENT_SELECT`].
pub(super) fn deployment(row: &Row<'_>) -> rusqlite::Result<Deployment> {
    let kind: String = row.get(0)?;
    let instance: String = row.get(6)?;
    Ok(Deployment {
        kind: if kind == "released" {
            DeploymentKind::Released
        } else {
            DeploymentKind::Deployed
        },
        uuid: row.get(1)?,
        pacticipant: row.get(2)?,
        version: row.get(3)?,
        environment_uuid: row.get(4)?,
        environment_name: row.get(5)?,
        application_instance: (!instance.is_empty()).then_some(instance),
        current: row.get(7)?,
        created_at: row.get(8)?,
        ended_at: row.get(9)?,
    })
}

/// The stored word for a deployment kind.
pub(super) fn kind_word(kind: DeploymentKind) -> &'static str {
    match kind {
        DeploymentKind::Deployed => "deployed",
        DeploymentKind::Released => "released",
    }
}
