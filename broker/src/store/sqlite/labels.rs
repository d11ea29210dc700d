//! Pacticipant labels.

use rusqlite::{params, Connection};

use super::now;
use super::versions::{pacticipant_row, PACTICIPANT_COLUMNS};
use crate::store::{Pacticipant, StoreError, StoreResult};

fn pacticipant_id(conn: &Connection, name: &str) -> StoreResult<i64> {
    conn.query_row("SELECT id FROM pacticipants WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => {
            StoreError::NotFound(format!("pacticipant '{name}'"))
        }
        other => other.into(),
    })
}

pub(super) fn add(conn: &Connection, pacticipant: &str, label: &str) -> StoreResult<bool> {
    let id = pacticipant_id(conn, pacticipant)?;
    Ok(conn.execute(
        "INSERT INTO pacticipant_labels (pacticipant_id, name, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
        params![id, label, now()],
    )? == 1)
}

pub(super) fn remove(conn: &Connection, pacticipant: &str, label: &str) -> StoreResult<bool> {
    let id = pacticipant_id(conn, pacticipant)?;
    Ok(conn.execute(
        "DELETE FROM pacticipant_labels WHERE pacticipant_id = ?1 AND name = ?2",
        params![id, label],
    )? == 1)
}

pub(super) fn of(conn: &Connection, pacticipant: &str) -> StoreResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.name FROM pacticipant_labels l JOIN pacticipants p ON p.id = l.pacticipant_id
         WHERE p.name = ?1 ORDER BY l.name",
    )?;
    let names = stmt.query_map([pacticipant], |r| r.get(0))?;
    Ok(names.collect::<Result<_, _>>()?)
}

pub(super) fn labelled(conn: &Connection, label: &str) -> StoreResult<Vec<Pacticipant>> {
    let sql = format!(
        "SELECT {PACTICIPANT_COLUMNS} FROM pacticipants WHERE id IN
             (SELECT pacticipant_id FROM pacticipant_labels WHERE name = ?1)
         ORDER BY name"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([label], pacticipant_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn all(conn: &Connection) -> StoreResult<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT name FROM pacticipant_labels ORDER BY name")?;
    let names = stmt.query_map([], |r| r.get(0))?;
    Ok(names.collect::<Result<_, _>>()?)
}
