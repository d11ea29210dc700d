//! Webhook definitions and the delivery queue.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use super::now;
use crate::store::{
    Attempt, Delivery, DeliveryStatus, NewDelivery, StoreError, StoreResult, Webhook,
};

const WEBHOOK_COLUMNS: &str = "uuid, definition, created_at, updated_at";
const DELIVERY_COLUMNS: &str =
    "id, uuid, webhook_uuid, event, request, status, attempts, next_attempt_at, log, created_at";

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
    let log = json(row, 8)?;
    Ok(Delivery {
        id: row.get(0)?,
        uuid: row.get(1)?,
        webhook_uuid: row.get(2)?,
        event: row.get(3)?,
        request: json(row, 4)?,
        status: DeliveryStatus::parse(&status).unwrap_or(DeliveryStatus::Dead),
        attempts: row.get(6)?,
        next_attempt_at: row.get(7)?,
        log: serde_json::from_value(log).unwrap_or_default(),
        created_at: row.get(9)?,
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
             (uuid, webhook_uuid, event, request, status, attempts, next_attempt_at, log, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, '[]', ?5, ?5)",
    )?;
    for d in deliveries {
        let uuid = uuid::Uuid::new_v4().to_string();
        stmt.execute(params![
            uuid,
            d.webhook_uuid,
            d.event,
            d.request.to_string(),
            at
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
    let (status, note, next) = match attempt {
        Attempt::Succeeded { note } => ("succeeded", note, None),
        Attempt::Retry { note, next_at } => ("pending", note, Some(next_at.as_str())),
        Attempt::Dead { note } => ("dead", note, None),
    };
    let at = now();
    conn.execute(
        "UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1,
             next_attempt_at = COALESCE(?3, next_attempt_at),
             log = json_insert(log, '$[#]', ?4), updated_at = ?5
         WHERE id = ?1",
        params![id, status, next, format!("{at} {note}"), at],
    )?;
    Ok(())
}

pub(super) fn deliveries(
    conn: &Connection,
    status: Option<DeliveryStatus>,
    webhook: Option<&str>,
) -> StoreResult<Vec<Delivery>> {
    let sql = format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR webhook_uuid = ?2)
         ORDER BY id DESC LIMIT 1000"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![status.map(DeliveryStatus::as_str), webhook],
        delivery_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn queue_depth(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'",
        [],
        |row| row.get(0),
    )?)
}
