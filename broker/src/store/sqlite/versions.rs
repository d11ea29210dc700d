//! Pacticipants, versions, branches and tags.

use rusqlite::{params, Connection, OptionalExtension};

use super::now;
use super::rows::{self, NEWEST_FIRST};
use crate::order::semver_key;
use crate::store::{
    BranchHead, LatestFilter, Pacticipant, PacticipantPatch, StoreResult, Version, VersionWrite,
};

/// Branch names that become a pacticipant's main branch when it has none.
const MAIN_BRANCH_NAMES: [&str; 3] = ["main", "master", "develop"];

pub(super) const PACTICIPANT_COLUMNS: &str =
    "id, name, display_name, main_branch, repository_url, created_at, updated_at";

pub(super) fn pacticipant_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Pacticipant> {
    Ok(Pacticipant {
        id: row.get(0)?,
        name: row.get(1)?,
        display_name: row.get(2)?,
        main_branch: row.get(3)?,
        repository_url: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

/// The id of a pacticipant, created when missing, and whether it was.
pub(super) fn ensure_pacticipant(conn: &Connection, name: &str) -> StoreResult<(i64, bool)> {
    let created = conn.execute(
        "INSERT INTO pacticipants (name, created_at, updated_at) VALUES (?1, ?2, ?2)
         ON CONFLICT (name) DO NOTHING",
        params![name, now()],
    )? == 1;
    let id = conn.query_row("SELECT id FROM pacticipants WHERE name = ?1", [name], |r| {
        r.get(0)
    })?;
    Ok((id, created))
}

pub(super) fn pacticipant(conn: &Connection, name: &str) -> StoreResult<Option<Pacticipant>> {
    let sql = format!("SELECT {PACTICIPANT_COLUMNS} FROM pacticipants WHERE name = ?1");
    Ok(conn.query_row(&sql, [name], pacticipant_row).optional()?)
}

pub(super) fn pacticipants(conn: &Connection) -> StoreResult<Vec<Pacticipant>> {
    let sql = format!("SELECT {PACTICIPANT_COLUMNS} FROM pacticipants ORDER BY name");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], pacticipant_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn upsert_pacticipant(
    conn: &Connection,
    name: &str,
    patch: &PacticipantPatch,
) -> StoreResult<(Pacticipant, bool)> {
    let (id, created) = ensure_pacticipant(conn, name)?;
    conn.execute(
        "UPDATE pacticipants SET
             display_name = COALESCE(?2, display_name),
             main_branch = COALESCE(?3, main_branch),
             repository_url = COALESCE(?4, repository_url),
             updated_at = ?5
         WHERE id = ?1",
        params![
            id,
            patch.display_name,
            patch.main_branch,
            patch.repository_url,
            now()
        ],
    )?;
    let found = pacticipant(conn, name)?;
    Ok((found.ok_or_else(|| not_found_pacticipant(name))?, created))
}

pub(super) fn delete_pacticipant(conn: &Connection, name: &str) -> StoreResult<bool> {
    Ok(conn.execute("DELETE FROM pacticipants WHERE name = ?1", [name])? == 1)
}

fn not_found_pacticipant(name: &str) -> crate::store::StoreError {
    crate::store::StoreError::NotFound(format!("pacticipant '{name}'"))
}

/// The id of a version, created when missing, and whether it was.
pub(super) fn ensure_version(
    conn: &Connection,
    pacticipant_id: i64,
    number: &str,
) -> StoreResult<(i64, bool)> {
    let key = semver_key(number);
    let created = conn.execute(
        "INSERT INTO versions (pacticipant_id, number, semver_key, created_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (pacticipant_id, number) DO NOTHING",
        params![pacticipant_id, number, key, now()],
    )? == 1;
    if created && key.is_empty() {
        conn.execute(
            "UPDATE pacticipants SET versions_semver = 0 WHERE id = ?1 AND versions_semver = 1",
            [pacticipant_id],
        )?;
    }
    let id = conn.query_row(
        "SELECT id FROM versions WHERE pacticipant_id = ?1 AND number = ?2",
        params![pacticipant_id, number],
        |r| r.get(0),
    )?;
    Ok((id, created))
}

/// Puts a version on a branch (creating the branch); true when added.
pub(super) fn add_branch(
    conn: &Connection,
    pacticipant_id: i64,
    version_id: i64,
    branch: &str,
) -> StoreResult<bool> {
    let at = now();
    conn.execute(
        "INSERT INTO branches (pacticipant_id, name, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (pacticipant_id, name) DO NOTHING",
        params![pacticipant_id, branch, at],
    )?;
    let added = conn.execute(
        "INSERT INTO branch_versions (branch_id, version_id, created_at)
         SELECT id, ?3, ?4 FROM branches WHERE pacticipant_id = ?1 AND name = ?2
         ON CONFLICT DO NOTHING",
        params![pacticipant_id, branch, version_id, at],
    )? == 1;
    if MAIN_BRANCH_NAMES.contains(&branch) {
        conn.execute(
            "UPDATE pacticipants SET main_branch = ?2 WHERE id = ?1 AND main_branch IS NULL",
            params![pacticipant_id, branch],
        )?;
    }
    Ok(added)
}

/// Tags a version; true when the tag was added.
pub(super) fn add_tag(conn: &Connection, version_id: i64, tag: &str) -> StoreResult<bool> {
    Ok(conn.execute(
        "INSERT INTO tags (version_id, name, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
        params![version_id, tag, now()],
    )? == 1)
}

/// Creates what a [`VersionWrite`] names; returns the version and whether
/// the version was created.
pub(super) fn apply_version_write(
    conn: &Connection,
    write: &VersionWrite,
) -> StoreResult<(Version, bool)> {
    let (pacticipant_id, _) = ensure_pacticipant(conn, &write.pacticipant)?;
    let (version_id, created) = ensure_version(conn, pacticipant_id, &write.number)?;
    if let Some(url) = &write.build_url {
        conn.execute(
            "UPDATE versions SET build_url = ?2 WHERE id = ?1",
            params![version_id, url],
        )?;
    }
    if let Some(branch) = &write.branch {
        add_branch(conn, pacticipant_id, version_id, branch)?;
    }
    for tag in &write.tags {
        add_tag(conn, version_id, tag)?;
    }
    let version = version_by_id(conn, version_id)?
        .ok_or_else(|| crate::store::StoreError::NotFound(format!("version {version_id}")))?;
    Ok((version, created))
}

pub(super) fn version_by_id(conn: &Connection, id: i64) -> StoreResult<Option<Version>> {
    let sql = format!(
        "SELECT {} FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id WHERE v.id = ?1",
        rows::version_columns()
    );
    Ok(conn
        .query_row(&sql, [id], |r| rows::version(r, 0))
        .optional()?)
}

pub(super) fn version(
    conn: &Connection,
    pacticipant: &str,
    number: &str,
) -> StoreResult<Option<Version>> {
    let sql = format!(
        "SELECT {} FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id
         WHERE p.name = ?1 AND v.number = ?2",
        rows::version_columns()
    );
    Ok(conn
        .query_row(&sql, params![pacticipant, number], |r| rows::version(r, 0))
        .optional()?)
}

/// Versions of a pacticipant matching an optional tag or branch, newest
/// first, at most `limit`.
fn versions_where(
    conn: &Connection,
    pacticipant: &str,
    filter: &LatestFilter,
    limit: i64,
) -> StoreResult<Vec<Version>> {
    let (tag, branch) = match filter {
        LatestFilter::Any => (None, None),
        LatestFilter::Tag(tag) => (Some(tag.as_str()), None),
        LatestFilter::Branch(branch) => (None, Some(branch.as_str())),
    };
    let sql = format!(
        "SELECT {} FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id
         WHERE p.name = ?1
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM tags t WHERE t.version_id = v.id AND t.name = ?2))
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM branch_versions bv
                JOIN branches b ON b.id = bv.branch_id
                WHERE bv.version_id = v.id AND b.name = ?3))
         ORDER BY {NEWEST_FIRST} LIMIT ?4",
        rows::version_columns()
    );
    let mut stmt = conn.prepare(&sql)?;
    let found = stmt.query_map(params![pacticipant, tag, branch, limit], |r| {
        rows::version(r, 0)
    })?;
    Ok(found.collect::<Result<_, _>>()?)
}

pub(super) fn versions(conn: &Connection, pacticipant: &str) -> StoreResult<Vec<Version>> {
    versions_where(conn, pacticipant, &LatestFilter::Any, -1)
}

pub(super) fn versions_with_tag(
    conn: &Connection,
    pacticipant: &str,
    tag: &str,
) -> StoreResult<Vec<Version>> {
    versions_where(conn, pacticipant, &LatestFilter::Tag(tag.to_owned()), -1)
}

pub(super) fn latest_version(
    conn: &Connection,
    pacticipant: &str,
    filter: &LatestFilter,
) -> StoreResult<Option<Version>> {
    Ok(versions_where(conn, pacticipant, filter, 1)?.pop())
}

pub(super) fn branch_heads(conn: &Connection, pacticipant: &str) -> StoreResult<Vec<BranchHead>> {
    let sql = format!(
        "SELECT b.name, b.created_at,
            (SELECT v.id FROM branch_versions bv JOIN versions v ON v.id = bv.version_id
             WHERE bv.branch_id = b.id ORDER BY {NEWEST_FIRST} LIMIT 1)
         FROM branches b JOIN pacticipants p ON p.id = b.pacticipant_id
         WHERE p.name = ?1 ORDER BY b.name"
    );
    let mut stmt = conn.prepare(&sql)?;
    let heads = stmt.query_map([pacticipant], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for head in heads {
        let (branch, created_at, version_id) = head?;
        if let Some(version_id) = version_id {
            out.push(BranchHead {
                branch,
                version_id,
                created_at,
            });
        }
    }
    Ok(out)
}

pub(super) fn branch_created_at(
    conn: &Connection,
    pacticipant: &str,
    branch: &str,
) -> StoreResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT b.created_at FROM branches b JOIN pacticipants p ON p.id = b.pacticipant_id
             WHERE p.name = ?1 AND b.name = ?2",
            params![pacticipant, branch],
            |r| r.get(0),
        )
        .optional()?)
}

pub(super) fn tag_created_at(
    conn: &Connection,
    pacticipant: &str,
    tag: &str,
) -> StoreResult<Option<String>> {
    Ok(conn.query_row(
        "SELECT MIN(t.created_at) FROM tags t JOIN versions v ON v.id = t.version_id
         JOIN pacticipants p ON p.id = v.pacticipant_id WHERE p.name = ?1 AND t.name = ?2",
        params![pacticipant, tag],
        |r| r.get(0),
    )?)
}

pub(super) fn delete_branch(
    conn: &Connection,
    pacticipant: &str,
    branch: &str,
) -> StoreResult<bool> {
    Ok(conn.execute(
        "DELETE FROM branches WHERE name = ?2
           AND pacticipant_id = (SELECT id FROM pacticipants WHERE name = ?1)",
        params![pacticipant, branch],
    )? == 1)
}
