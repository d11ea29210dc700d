//! Environments, deployed versions and released versions.

use rusqlite::{params, Connection, OptionalExtension};

use super::now;
use super::rows::{self, kind_word, DEPLOYMENT_SELECT, ENVIRONMENT_COLUMNS};
use crate::store::{
    Deployment, DeploymentFilter, DeploymentKind, DeploymentWrite, Environment, EnvironmentWrite,
    StoreError, StoreResult,
};

fn duplicate_name(error: rusqlite::Error, name: &str) -> StoreError {
    match error {
        rusqlite::Error::SqliteFailure(e, _)
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Duplicate(format!("an environment named '{name}' already exists"))
        }
        other => other.into(),
    }
}

pub(super) fn create_environment(
    conn: &Connection,
    write: &EnvironmentWrite,
) -> StoreResult<Environment> {
    let uuid = uuid::Uuid::new_v4().to_string();
    conn.execute(
        "INSERT INTO environments (uuid, name, display_name, production, contacts, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![uuid, write.name, write.display_name, write.production, write.contacts.to_string(), now()],
    )
    .map_err(|e| duplicate_name(e, &write.name))?;
    environment(conn, &uuid)?.ok_or_else(|| StoreError::NotFound(format!("environment {uuid}")))
}

pub(super) fn update_environment(
    conn: &Connection,
    uuid: &str,
    write: &EnvironmentWrite,
) -> StoreResult<Environment> {
    let changed = conn
        .execute(
            "UPDATE environments SET name = ?2, display_name = ?3, production = ?4, contacts = ?5,
                 updated_at = ?6 WHERE uuid = ?1",
            params![
                uuid,
                write.name,
                write.display_name,
                write.production,
                write.contacts.to_string(),
                now()
            ],
        )
        .map_err(|e| duplicate_name(e, &write.name))?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!(
            "environment with uuid '{uuid}'"
        )));
    }
    environment(conn, uuid)?.ok_or_else(|| StoreError::NotFound(format!("environment {uuid}")))
}

pub(super) fn delete_environment(conn: &Connection, uuid: &str) -> StoreResult<bool> {
    Ok(conn.execute("DELETE FROM environments WHERE uuid = ?1", [uuid])? == 1)
}

pub(super) fn environment(conn: &Connection, uuid: &str) -> StoreResult<Option<Environment>> {
    let sql = format!("SELECT {ENVIRONMENT_COLUMNS} FROM environments WHERE uuid = ?1");
    Ok(conn.query_row(&sql, [uuid], rows::environment).optional()?)
}

pub(super) fn environment_by_name(
    conn: &Connection,
    name: &str,
) -> StoreResult<Option<Environment>> {
    let sql = format!("SELECT {ENVIRONMENT_COLUMNS} FROM environments WHERE name = ?1");
    Ok(conn.query_row(&sql, [name], rows::environment).optional()?)
}

pub(super) fn environments(conn: &Connection) -> StoreResult<Vec<Environment>> {
    let sql = format!("SELECT {ENVIRONMENT_COLUMNS} FROM environments ORDER BY name");
    let mut stmt = conn.prepare(&sql)?;
    let found = stmt.query_map([], rows::environment)?;
    Ok(found.collect::<Result<_, _>>()?)
}

/// Version id, pacticipant id and environment id named by a write.
fn resolve(conn: &Connection, write: &DeploymentWrite) -> StoreResult<(i64, i64, i64)> {
    let version: Option<(i64, i64)> = conn
        .query_row(
            "SELECT v.id, v.pacticipant_id FROM versions v
             JOIN pacticipants p ON p.id = v.pacticipant_id WHERE p.name = ?1 AND v.number = ?2",
            params![write.pacticipant, write.version],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (version_id, pacticipant_id) = version.ok_or_else(|| {
        StoreError::NotFound(format!(
            "version '{}' of '{}'",
            write.version, write.pacticipant
        ))
    })?;
    let environment_id: i64 = conn
        .query_row(
            "SELECT id FROM environments WHERE uuid = ?1",
            [&write.environment],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            StoreError::NotFound(format!("environment with uuid '{}'", write.environment))
        })?;
    Ok((version_id, pacticipant_id, environment_id))
}

pub(super) fn record_deployment(
    conn: &Connection,
    write: &DeploymentWrite,
) -> StoreResult<Deployment> {
    let (version_id, pacticipant_id, environment_id) = resolve(conn, write)?;
    let instance = write.application_instance.clone().unwrap_or_default();
    let current: Option<(String, i64)> = conn
        .query_row(
            "SELECT uuid, version_id FROM deployments WHERE kind = 'deployed' AND current = 1
               AND pacticipant_id = ?1 AND environment_id = ?2 AND application_instance = ?3",
            params![pacticipant_id, environment_id, instance],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let at = now();
    if let Some((uuid, current_version)) = current {
        if current_version == version_id {
            return load(conn, DeploymentKind::Deployed, &uuid);
        }
        conn.execute(
            "UPDATE deployments SET current = 0, ended_at = ?2 WHERE uuid = ?1",
            params![uuid, at],
        )?;
    }
    insert(
        conn,
        DeploymentKind::Deployed,
        (version_id, pacticipant_id, environment_id),
        &instance,
    )
}

pub(super) fn record_release(
    conn: &Connection,
    write: &DeploymentWrite,
) -> StoreResult<Deployment> {
    let ids = resolve(conn, write)?;
    let current: Option<String> = conn
        .query_row(
            "SELECT uuid FROM deployments WHERE kind = 'released' AND current = 1
               AND version_id = ?1 AND environment_id = ?2",
            params![ids.0, ids.2],
            |r| r.get(0),
        )
        .optional()?;
    match current {
        Some(uuid) => load(conn, DeploymentKind::Released, &uuid),
        None => insert(conn, DeploymentKind::Released, ids, ""),
    }
}

fn insert(
    conn: &Connection,
    kind: DeploymentKind,
    (version_id, pacticipant_id, environment_id): (i64, i64, i64),
    instance: &str,
) -> StoreResult<Deployment> {
    let uuid = uuid::Uuid::new_v4().to_string();
    conn.execute(
        "INSERT INTO deployments (uuid, kind, version_id, pacticipant_id, environment_id,
             application_instance, current, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7)",
        params![
            uuid,
            kind_word(kind),
            version_id,
            pacticipant_id,
            environment_id,
            instance,
            now()
        ],
    )?;
    load(conn, kind, &uuid)
}

fn load(conn: &Connection, kind: DeploymentKind, uuid: &str) -> StoreResult<Deployment> {
    deployment(conn, kind, uuid)?.ok_or_else(|| StoreError::NotFound(format!("deployment {uuid}")))
}

pub(super) fn end_deployment(
    conn: &Connection,
    kind: DeploymentKind,
    uuid: &str,
) -> StoreResult<Deployment> {
    conn.execute(
        "UPDATE deployments SET current = 0, ended_at = ?3 WHERE uuid = ?1 AND kind = ?2 AND current = 1",
        params![uuid, kind_word(kind), now()],
    )?;
    load(conn, kind, uuid)
}

pub(super) fn deployment(
    conn: &Connection,
    kind: DeploymentKind,
    uuid: &str,
) -> StoreResult<Option<Deployment>> {
    let sql = format!("{DEPLOYMENT_SELECT} WHERE d.uuid = ?1 AND d.kind = ?2");
    Ok(conn
        .query_row(&sql, params![uuid, kind_word(kind)], rows::deployment)
        .optional()?)
}

pub(super) fn current_deployments(
    conn: &Connection,
    filter: &DeploymentFilter,
) -> StoreResult<Vec<Deployment>> {
    let sql = format!(
        "{DEPLOYMENT_SELECT} WHERE d.kind = ?1 AND d.current = 1
           AND (?2 IS NULL OR e.uuid = ?2) AND (?3 IS NULL OR p.name = ?3)
           AND (?4 IS NULL OR v.number = ?4)
         ORDER BY d.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let found = stmt.query_map(
        params![
            kind_word(filter.kind),
            filter.environment,
            filter.pacticipant,
            filter.version
        ],
        rows::deployment,
    )?;
    Ok(found.collect::<Result<_, _>>()?)
}
