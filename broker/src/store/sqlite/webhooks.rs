//! Webhook definitions and the delivery queue.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use super::now;
use crate::store::{
    Attempt, AttemptLog, Delivery, DeliveryFilter, DeliveryStatus, NewDelivery, StoreError,
    StoreResult, Trigger, Webhook,
};

const WEBHOOK_COLUMNS: &str = "uuid, definition, created_at, updated_at";
const DELIVERY_COLUMNS: &str = "id, uuid, webhook_uuid, event, request, status, attempts, \
     next_attempt_at, log, created_at, consumer_version_id, content_id, verification_id";

fn json(row: &Row<'_>, at: usize) -> rusqlite::Result<Value> {
    let text: String = row.get(at)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn webhook_row(row: &Row<'_>) -> rusqlite::Result<Webhook> {
    Ok(Webhook {
        uuid: row.get(0)?,
        definition: json(row, 1)?,
        created_at: row.get(2)?,
        updated_at: row.get(3)?,
    })
}

fn delivery_row(row: &Row<'_>) -> rusqlite::Result<Delivery> {
    let status: String = row.get(5)?;
    let log = match json(row, 8)? {
        Value::Array(entries) => entries.into_iter().map(attempt_log).collect(),
        _ => Vec::new(),
    };
    Ok(Delivery {
        id: row.get(0)?,
        uuid: row.get(1)?,
        webhook_uuid: row.get(2)?,
        event: row.get(3)?,
        request: json(row, 4)?,
        trigger: Trigger {
            consumer_version_id: row.get(10)?,
            content_id: row.get(11)?,
            verification_id: row.get(12)?,
        },
        status: DeliveryStatus::parse(&status).unwrap_or(DeliveryStatus::Dead),
        attempts: row.get(6)?,
        next_attempt_at: row.get(7)?,
        log,
        created_at: row.get(9)?,
    })
}

/// One log entry; entries written before schema version 3 are plain
/// `"{time} {note}"` strings.
fn attempt_log(entry: Value) -> AttemptLog {
    if let Value::String(text) = &entry {
        let (at, note) = text.split_once(' ').unwrap_or((text, ""));
        return AttemptLog {
            at: at.to_owned(),
            request: String::new(),
            status: None,
            error: Some(note.to_owned()),
            success: note.starts_with("HTTP 20"),
        };
    }
    serde_json::from_value(entry).unwrap_or_else(|e| AttemptLog {
        at: String::new(),
        request: String::new(),
        status: None,
        error: Some(format!("unreadable log entry: {e}")),
        success: false,
    })
}

/// Creates or replaces a webhook; returns it and whether it was created.
pub(super) fn put_webhook(
    conn: &Connection,
    uuid: &str,
    definition: &Value,
) -> StoreResult<(Webhook, bool)> {
    let at = now();
    let created = webhook(conn, uuid)?.is_none();
    conn.execute(
        "INSERT INTO webhooks (uuid, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (uuid) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at",
        params![uuid, definition.to_string(), at],
    )?;
    let hook =
        webhook(conn, uuid)?.ok_or_else(|| StoreError::NotFound(format!("webhook {uuid}")))?;
    Ok((hook, created))
}

pub(super) fn webhook(conn: &Connection, uuid: &str) -> StoreResult<Option<Webhook>> {
    let sql = format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE uuid = ?1");
    Ok(conn.query_row(&sql, [uuid], webhook_row).optional()?)
}

pub(super) fn webhooks(conn: &Connection) -> StoreResult<Vec<Webhook>> {
    let sql = format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], webhook_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn delete_webhook(conn: &Connection, uuid: &str) -> StoreResult<bool> {
    Ok(conn.execute("DELETE FROM webhooks WHERE uuid = ?1", [uuid])? > 0)
}

pub(super) fn enqueue(conn: &Connection, deliveries: &[NewDelivery]) -> StoreResult<()> {
    let at = now();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO webhook_deliveries
             (uuid, webhook_uuid, event, request, status, attempts, next_attempt_at, log,
              created_at, updated_at, consumer_version_id, content_id, verification_id)
         VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, '[]', ?5, ?5, ?6, ?7, ?8)",
    )?;
    for d in deliveries {
        let uuid = uuid::Uuid::new_v4().to_string();
        stmt.execute(params![
            uuid,
            d.webhook_uuid,
            d.event,
            d.request.to_string(),
            at,
            d.trigger.consumer_version_id,
            d.trigger.content_id,
            d.trigger.verification_id,
        ])?;
    }
    Ok(())
}

pub(super) fn due(conn: &Connection, now: &str, limit: u32) -> StoreResult<Vec<Delivery>> {
    let sql = format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![now, limit], delivery_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn next_due(conn: &Connection) -> StoreResult<Option<String>> {
    Ok(conn.query_row(
        "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'",
        [],
        |row| row.get(0),
    )?)
}

pub(super) fn finish_attempt(conn: &Connection, id: i64, attempt: &Attempt) -> StoreResult<()> {
    let (status, log, next) = match attempt {
        Attempt::Succeeded { log } => ("succeeded", log, None),
        Attempt::Retry { log, next_at } => ("pending", log, Some(next_at.as_str())),
        Attempt::Dead { log } => ("dead", log, None),
    };
    let entry = serde_json::to_string(log).map_err(|e| StoreError::Backend(Box::new(e)))?;
    conn.execute(
        "UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1,
             next_attempt_at = COALESCE(?3, next_attempt_at),
             log = json_insert(log, '$[#]', json(?4)), updated_at = ?5
         WHERE id = ?1",
        params![id, status, next, entry, now()],
    )?;
    Ok(())
}

pub(super) fn deliveries(conn: &Connection, filter: &DeliveryFilter) -> StoreResult<Vec<Delivery>> {
    let sql = format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR webhook_uuid = ?2)
           AND (?3 IS NULL OR consumer_version_id = ?3) AND (?4 IS NULL OR content_id = ?4)
           AND (?5 IS NULL OR verification_id = ?5)
         ORDER BY id DESC LIMIT 1000"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            filter.status.map(DeliveryStatus::as_str),
            filter.webhook,
            filter.consumer_version_id,
            filter.content_id,
            filter.verification_id,
        ],
        delivery_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn delivery(conn: &Connection, uuid: &str) -> StoreResult<Option<Delivery>> {
    let sql = format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE uuid = ?1");
    Ok(conn.query_row(&sql, [uuid], delivery_row).optional()?)
}

pub(super) fn queue_depth(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'",
        [],
        |row| row.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_structured_and_legacy_log_entries() {
        let legacy = attempt_log(Value::String("2026-01-01T00:00:00Z HTTP 500".into()));
        assert_eq!(legacy.at, "2026-01-01T00:00:00Z");
        assert_eq!(legacy.error.as_deref(), Some("HTTP 500"));
        assert!(!legacy.success);
        let entry = AttemptLog {
            at: "t".into(),
            request: "POST https://ci.test/".into(),
            status: Some(200),
            error: None,
            success: true,
        };
        assert_eq!(attempt_log(serde_json::to_value(&entry).unwrap()), entry);
        assert!(attempt_log(serde_json::json!({"x": 1})).error.is_some());
    }
}
