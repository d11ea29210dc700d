//! Contracts (content, publications) and verification results.

use rusqlite::{params, Connection, OptionalExtension};

use super::now;
use super::rows::{self, PACT_ROW_FROM, PACT_ROW_ORDER, VERIFICATION_FROM};
use super::versions::{apply_version_write, ensure_pacticipant, version_by_id};
use crate::store::{
    Content, ContractStatus, ContractWrite, NewVerification, Pact, PactRow, Publication,
    PublishOutcome, Replace, StoreError, StoreResult, Verification,
};

pub(super) fn publish(conn: &Connection, publication: &Publication) -> StoreResult<PublishOutcome> {
    let (version, version_created) = apply_version_write(conn, &publication.version)?;
    let (consumer_id, _) = ensure_pacticipant(conn, &publication.version.pacticipant)?;
    let mut contracts = Vec::with_capacity(publication.contracts.len());
    for contract in &publication.contracts {
        let status = publish_one(conn, consumer_id, version.id, contract).map_err(|e| match e {
            StoreError::Conflict { .. } => StoreError::Conflict {
                consumer: publication.version.pacticipant.clone(),
                version: publication.version.number.clone(),
                provider: contract.provider.clone(),
            },
            other => other,
        })?;
        contracts.push((contract.provider.clone(), status));
    }
    Ok(PublishOutcome {
        version_created,
        version,
        contracts,
    })
}

fn publish_one(
    conn: &Connection,
    consumer_id: i64,
    version_id: i64,
    contract: &ContractWrite,
) -> StoreResult<ContractStatus> {
    let (provider_id, _) = ensure_pacticipant(conn, &contract.provider)?;
    let at = now();
    conn.execute(
        "INSERT INTO contents (consumer_id, provider_id, sha, document, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        params![
            consumer_id,
            provider_id,
            contract.sha,
            contract.document,
            at
        ],
    )?;
    let content_id: i64 = conn.query_row(
        "SELECT id FROM contents WHERE consumer_id = ?1 AND provider_id = ?2 AND sha = ?3",
        params![consumer_id, provider_id, contract.sha],
        |r| r.get(0),
    )?;
    let existing: Option<(i64, String)> = conn
        .query_row(
            "SELECT pub.id, ct.sha FROM publications pub JOIN contents ct ON ct.id = pub.content_id
             WHERE pub.consumer_version_id = ?1 AND pub.provider_id = ?2",
            params![version_id, provider_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((publication_id, current_sha)) = existing else {
        conn.execute(
            "INSERT INTO publications (consumer_version_id, provider_id, content_id, created_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![version_id, provider_id, content_id, at],
        )?;
        return Ok(ContractStatus::Created);
    };
    if current_sha == contract.sha {
        return Ok(ContractStatus::Unchanged);
    }
    let allowed = match &contract.replace {
        Replace::Never => false,
        Replace::Always => true,
        Replace::IfCurrent(sha) => *sha == current_sha,
    };
    if !allowed {
        return Err(StoreError::Conflict {
            consumer: String::new(),
            version: String::new(),
            provider: contract.provider.clone(),
        });
    }
    conn.execute(
        "UPDATE publications SET content_id = ?2, created_at = ?3 WHERE id = ?1",
        params![publication_id, content_id, at],
    )?;
    Ok(ContractStatus::Replaced)
}

fn content_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Content> {
    Ok(Content {
        id: row.get(0)?,
        consumer: row.get(1)?,
        provider: row.get(2)?,
        sha: row.get(3)?,
        document: row.get(4)?,
        created_at: row.get(5)?,
    })
}

const CONTENT_SELECT: &str = "SELECT ct.id, c.name, pr.name, ct.sha, ct.document, ct.created_at";

pub(super) fn pact_for_version(
    conn: &Connection,
    provider: &str,
    consumer: &str,
    version: &str,
) -> StoreResult<Option<Pact>> {
    let sql = format!(
        "{CONTENT_SELECT}, pub.consumer_version_id, pub.created_at {PACT_ROW_FROM}
         WHERE pr.name = ?1 AND c.name = ?2 AND v.number = ?3"
    );
    let found = conn
        .query_row(&sql, params![provider, consumer, version], |r| {
            Ok((content_row(r)?, r.get::<_, i64>(6)?, r.get::<_, String>(7)?))
        })
        .optional()?;
    to_pact(conn, found)
}

fn to_pact(conn: &Connection, found: Option<(Content, i64, String)>) -> StoreResult<Option<Pact>> {
    let Some((content, version_id, published_at)) = found else {
        return Ok(None);
    };
    let consumer_version = version_by_id(conn, version_id)?
        .ok_or_else(|| StoreError::NotFound(format!("version {version_id}")))?;
    Ok(Some(Pact {
        content,
        consumer_version,
        published_at,
    }))
}

pub(super) fn pact_by_sha(
    conn: &Connection,
    provider: &str,
    consumer: &str,
    sha: &str,
) -> StoreResult<Option<Pact>> {
    let sql = format!(
        "{CONTENT_SELECT}, pub.consumer_version_id, pub.created_at {PACT_ROW_FROM}
         WHERE pr.name = ?1 AND c.name = ?2 AND ct.sha = ?3
         ORDER BY {} LIMIT 1",
        "(CASE WHEN c.versions_semver = 1 THEN v.semver_key ELSE '' END) DESC, v.id DESC"
    );
    let found = conn
        .query_row(&sql, params![provider, consumer, sha], |r| {
            Ok((content_row(r)?, r.get::<_, i64>(6)?, r.get::<_, String>(7)?))
        })
        .optional()?;
    to_pact(conn, found)
}

fn pact_rows(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
) -> StoreResult<Vec<PactRow>> {
    let mut stmt = conn.prepare(sql)?;
    let found = stmt.query_map(args, rows::pact_row)?;
    Ok(found.collect::<Result<_, _>>()?)
}

pub(super) fn provider_pacts(
    conn: &Connection,
    provider: &str,
    consumer: Option<&str>,
) -> StoreResult<Vec<PactRow>> {
    let sql = format!(
        "SELECT {} {PACT_ROW_FROM} WHERE pr.name = ?1 AND (?2 IS NULL OR c.name = ?2) {PACT_ROW_ORDER}",
        rows::pact_row_columns()
    );
    pact_rows(conn, &sql, params![provider, consumer])
}

pub(super) fn pacts_of_version(conn: &Connection, version_id: i64) -> StoreResult<Vec<PactRow>> {
    let sql = format!(
        "SELECT {} {PACT_ROW_FROM} WHERE v.id = ?1 ORDER BY pr.name",
        rows::pact_row_columns()
    );
    pact_rows(conn, &sql, [version_id])
}

pub(super) fn latest_pacts(conn: &Connection) -> StoreResult<Vec<PactRow>> {
    let sql = format!(
        "SELECT {} {PACT_ROW_FROM} WHERE pub.id IN (
            SELECT id FROM (
                SELECT pub2.id AS id, ROW_NUMBER() OVER (
                    PARTITION BY v2.pacticipant_id, pub2.provider_id
                    ORDER BY (CASE WHEN c2.versions_semver = 1 THEN v2.semver_key ELSE '' END) DESC,
                             v2.id DESC) AS n
                FROM publications pub2
                JOIN versions v2 ON v2.id = pub2.consumer_version_id
                JOIN pacticipants c2 ON c2.id = v2.pacticipant_id)
            WHERE n = 1)
         ORDER BY c.name, pr.name",
        rows::pact_row_columns()
    );
    pact_rows(conn, &sql, [])
}

pub(super) fn consumers_of(conn: &Connection, provider: &str) -> StoreResult<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT c.name FROM contents ct
         JOIN pacticipants c ON c.id = ct.consumer_id
         JOIN pacticipants pr ON pr.id = ct.provider_id
         WHERE pr.name = ?1 ORDER BY c.name",
    )?;
    let names = stmt.query_map([provider], |r| r.get(0))?;
    Ok(names.collect::<Result<_, _>>()?)
}

pub(super) fn record_verification(
    conn: &Connection,
    new: &NewVerification,
) -> StoreResult<Verification> {
    let (provider_version, _) = apply_version_write(conn, &new.provider_version)?;
    conn.execute(
        "INSERT INTO verifications (content_id, provider_version_id, success, build_url,
             test_results, verified_by, wip, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            new.content_id,
            provider_version.id,
            new.success,
            new.build_url,
            new.test_results.to_string(),
            new.verified_by.to_string(),
            new.wip,
            now()
        ],
    )?;
    let id = conn.last_insert_rowid();
    verification(conn, id)?.ok_or_else(|| StoreError::NotFound(format!("verification {id}")))
}

pub(super) fn verification(conn: &Connection, id: i64) -> StoreResult<Option<Verification>> {
    let sql = format!(
        "SELECT {} {VERIFICATION_FROM} WHERE vr.id = ?1",
        rows::verification_columns()
    );
    Ok(conn.query_row(&sql, [id], rows::verification).optional()?)
}

pub(super) fn verifications_of(
    conn: &Connection,
    content_ids: &[i64],
) -> StoreResult<Vec<Verification>> {
    let ids = serde_json::to_string(content_ids).map_err(|e| StoreError::Backend(Box::new(e)))?;
    let sql = format!(
        "SELECT {} {VERIFICATION_FROM}
         WHERE vr.content_id IN (SELECT value FROM json_each(?1))
           AND vr.id = (SELECT MAX(id) FROM verifications
                        WHERE content_id = vr.content_id
                          AND provider_version_id = vr.provider_version_id)
         ORDER BY vr.id",
        rows::verification_columns()
    );
    let mut stmt = conn.prepare(&sql)?;
    let found = stmt.query_map([ids], rows::verification)?;
    Ok(found.collect::<Result<_, _>>()?)
}
