//! Retention cleanup in SQL: one transaction, constant statements, the
//! cutoff bound as a parameter.

use rusqlite::Connection;

use super::rows::NEWEST_FIRST;
use crate::store::{RetentionReport, StoreResult};

/// Deletes every version that is not kept, then the contents no version
/// publishes any more (their verifications go with them) and branches
/// left without versions. Kept: versions created at or after `cutoff`,
/// the head of each pacticipant's main branch, each pacticipant's newest
/// version, and versions currently deployed or released.
pub(super) fn apply(conn: &Connection, cutoff: &str) -> StoreResult<RetentionReport> {
    let keep = format!(
        "SELECT id FROM versions WHERE created_at >= ?1
         UNION SELECT version_id FROM deployments WHERE current = 1
         UNION SELECT (SELECT v.id FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id
                       WHERE v.pacticipant_id = pp.id ORDER BY {NEWEST_FIRST} LIMIT 1)
               FROM pacticipants pp
         UNION SELECT (SELECT v.id FROM branch_versions bv
                         JOIN versions v ON v.id = bv.version_id
                         JOIN pacticipants p ON p.id = v.pacticipant_id
                       WHERE bv.branch_id = b.id ORDER BY {NEWEST_FIRST} LIMIT 1)
               FROM branches b JOIN pacticipants pm ON pm.id = b.pacticipant_id AND b.name = pm.main_branch"
    );
    let versions = conn.execute(
        &format!(
            "DELETE FROM versions WHERE id NOT IN (SELECT id FROM ({keep}) WHERE id IS NOT NULL)"
        ),
        [cutoff],
    )?;
    let contents = conn.execute(
        "DELETE FROM contents WHERE NOT EXISTS
             (SELECT 1 FROM publications pu WHERE pu.content_id = contents.id)",
        [],
    )?;
    let branches = conn.execute(
        "DELETE FROM branches WHERE NOT EXISTS
             (SELECT 1 FROM branch_versions bv WHERE bv.branch_id = branches.id)",
        [],
    )?;
    let deliveries = conn.execute(
        "DELETE FROM webhook_deliveries WHERE status = 'succeeded' AND updated_at < ?1",
        [cutoff],
    )?;
    Ok(RetentionReport {
        versions,
        contents,
        branches,
        deliveries,
    })
}
