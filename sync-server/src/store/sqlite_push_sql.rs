//! The statements of a SQLite push (`super::sqlite_push`), each prepared once per connection
//! (`prepare_cached`). Every one reads `ops` through an index or a range of positions, never the whole
//! table: a push's cost must not grow with the year the server holds (`tests` checks each plan).

pub(super) const TOUCH: &str =
    "UPDATE devices SET last_contact_ms = MAX(COALESCE(last_contact_ms, ?2), ?2),
            pending = COALESCE(?3, pending), app = COALESCE(?4, app)
         WHERE id = ?1";
pub(super) const TARGET: &str = "SELECT domain, device FROM ops WHERE op_id = ?1 AND site = ?2
     AND kind IN ('clean', 'clean_request', 'disturbance', 'run_start')";
pub(super) const RUN_STARTED: &str = "SELECT json_extract(body, '$.started') FROM ops
     WHERE op_id = ?1 AND site = ?2 AND kind = 'run_start'";
pub(super) const IS_TASK: &str =
    "SELECT 1 FROM ops WHERE op_id = ?1 AND site = ?2 AND kind = 'clean_request'";
pub(super) const PHOTOS_ON: &str =
    "SELECT DISTINCT json_extract(body, '$.hash') FROM ops WHERE target = ?1 AND kind = 'photo'";
pub(super) const DEVICE: &str = "SELECT acked_through, enrolled_ms FROM devices WHERE id = ?1";
pub(super) const LAST_OP: &str =
    "SELECT at_ms, clock FROM ops WHERE device = ?1 ORDER BY seq DESC LIMIT 1";
pub(super) const OFFSET: &str =
    "UPDATE devices SET clock_offset_ms = ?2, offset_measured_ms = ?3 WHERE id = ?1";
pub(super) const EARLIER_REJECTED: &str = "SELECT seq, op_id, reason, cause FROM rejected
     WHERE device = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq";
pub(super) const EARLIER_FIXES: &str = "SELECT seq, wall_ms, hlc, at_ms, clock FROM ops
     WHERE device = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq";
pub(super) const LAST_POS: &str = "SELECT COALESCE(MAX(pos), 0) FROM ops";
pub(super) const INSERT_REJECTED: &str =
    "INSERT INTO rejected (device, seq, op_id, reason, received_ms, raw, cause)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
pub(super) const SET_ACKED: &str = "UPDATE devices SET acked_through = ?2 WHERE id = ?1";

/// The kinds of operation that make a report: each has a `report_status` row from its push on
/// (migration 12: the push keeps `report_status`, where triggers kept it row by row).
pub(super) const MAKES_REPORT: [&str; 3] = ["clean", "clean_request", "disturbance"];

/// The reports made by a push, `rows` at a time: the id and the corrected time of each operation of a
/// [`MAKES_REPORT`] kind, written from the push's memory (reading the rows just inserted back took 14%
/// of a push of 5,000).
pub(super) fn reports_made_sql(rows: usize) -> String {
    format!(
        "INSERT OR IGNORE INTO report_status (id, made_ms) VALUES {}",
        vec!["(?, ?)"; rows].join(", ")
    )
}
/// What the operations after position `?1` changed of their reports: each column a maximum, as the
/// trigger kept it (a withdrawal or duplicate makes a report gone; the latest resolve and still-there
/// clocks; the latest change). `NOT INDEXED`: for the `GROUP BY`, SQLite would otherwise walk the whole
/// `ops_target` index in order and look up every operation ever stored, in every push.
pub(super) const REPORTS_CHANGED: &str = "UPDATE report_status AS r SET
         gone = MAX(r.gone, c.now_gone),
         resolved_hlc = CASE WHEN c.resolved IS NULL THEN r.resolved_hlc
             ELSE MAX(COALESCE(r.resolved_hlc, c.resolved), c.resolved) END,
         again_hlc = CASE WHEN c.again IS NULL THEN r.again_hlc
             ELSE MAX(COALESCE(r.again_hlc, c.again), c.again) END,
         changed_ms = MAX(COALESCE(r.changed_ms, c.changed), c.changed)
     FROM (SELECT target,
                  MAX(kind IN ('withdraw', 'duplicate')) AS now_gone,
                  MAX(CASE WHEN kind = 'resolve' THEN clock END) AS resolved,
                  MAX(CASE WHEN kind = 'still_there' THEN clock END) AS again,
                  MAX(at_ms) AS changed
           FROM ops NOT INDEXED
           WHERE pos > ?1 AND kind IN ('withdraw', 'duplicate', 'resolve', 'still_there')
           GROUP BY target) AS c
     WHERE r.id = c.target";

/// Ids per `SELECT … WHERE op_id IN (…)`; a shorter last chunk repeats its last id.
pub(super) const TAKEN_CHUNK: usize = 250;
/// Rows per multi-row `INSERT INTO ops` (14 parameters each); a push's rest goes in statements of 10
/// and of 1 row, so three cached statements cover any count.
pub(super) const INSERT_ROWS: [usize; 3] = [100, 10, 1];

pub(super) fn taken_sql() -> String {
    format!(
        "SELECT op_id FROM ops WHERE op_id IN ({})",
        vec!["?"; TAKEN_CHUNK].join(", ")
    )
}

pub(super) fn insert_ops_sql(rows: usize) -> String {
    let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    format!(
        "INSERT INTO ops (op_id, device, seq, hlc, wall_ms, received_ms, role, kind, domain, target,
                          body, at_ms, clock, site)
         VALUES {}",
        vec![row; rows].join(", ")
    )
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    fn plan(conn: &Connection, sql: &str) -> Vec<String> {
        // Unbound parameters are NULL: the plan does not depend on them.
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let mut rows = stmt.raw_query();
        let mut steps = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            steps.push(r.get::<_, String>(3).unwrap());
        }
        steps
    }

    /// No statement of a push or of a pulled page reads all of `ops` or one of its indexes whole: each
    /// searches by key or by a range of positions, so a push onto a year costs what it costs on a day.
    #[test]
    fn no_push_or_page_statement_reads_all_operations() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        let statements = [
            TOUCH,
            TARGET,
            RUN_STARTED,
            IS_TASK,
            PHOTOS_ON,
            DEVICE,
            LAST_OP,
            OFFSET,
            EARLIER_REJECTED,
            EARLIER_FIXES,
            LAST_POS,
            INSERT_REJECTED,
            SET_ACKED,
            &reports_made_sql(INSERT_ROWS[0]),
            REPORTS_CHANGED,
            &taken_sql(),
            &insert_ops_sql(INSERT_ROWS[0]),
            crate::store::sqlite_sync::PULL_PAGE,
        ];
        for sql in statements {
            let steps = plan(&conn, sql);
            for step in &steps {
                assert!(
                    !(step.starts_with("SCAN ops") || step.starts_with("SCAN rejected")),
                    "a whole-table read: {step}\nin {sql}\nplan: {steps:?}"
                );
            }
        }
        let changed = plan(&conn, REPORTS_CHANGED).join("; ");
        assert!(
            changed.contains("SEARCH ops USING INTEGER PRIMARY KEY (rowid>?)"),
            "{changed}"
        );
    }
}
