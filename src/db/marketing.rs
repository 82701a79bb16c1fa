//! The marketing log (SPEC §6): entries after each contact with a customer,
//! turned from a done visit without retyping, read and commented by supervisors.

use crate::db::Tx;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter, types::Value};

use super::sql_types::Civil;
use super::{Actor, DbError, Store};
use crate::domain::complaint::Satisfaction;
use crate::domain::id::CustomerId;
use crate::domain::marketing_log::{DealStage, Method};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLogEntry {
    pub customer_id: CustomerId,
    pub logged_on: NaiveDate,
    pub method: Method,
    pub stage: DealStage,
    pub content: String,
    pub needs: String,
    pub cooperation: String,
    pub satisfaction: Option<Satisfaction>,
    pub next_step: String,
    pub next_due: Option<NaiveDate>,
    pub our_people: String,
    pub their_people: String,
    /// The done visit this entry was written from, if any.
    pub visit_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub id: i64,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub logged_on: NaiveDate,
    pub method: Method,
    pub stage: DealStage,
    pub content: String,
    pub needs: String,
    pub next_step: String,
    pub author_id: i64,
    pub visit_id: Option<i64>,
    /// Supervisor comments (and read marks) on this entry.
    pub comments: i64,
}

const COLUMNS: &str = "m.id, m.customer_id, c.short_name, m.logged_on, m.method, m.stage, m.content, \
     coalesce(m.needs, ''), coalesce(m.next_step, ''), m.author_id, m.visit_id, \
     (SELECT count(*) FROM log_comment WHERE log_id = m.id)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<LogEntry> {
    let method: String = r.get(4)?;
    let stage: String = r.get(5)?;
    Ok(LogEntry {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        logged_on: r.get(3)?,
        method: Method::from_code(&method).unwrap_or(Method::Other),
        stage: DealStage::from_code(&stage).unwrap_or(DealStage::InitialContact),
        content: r.get(6)?,
        needs: r.get(7)?,
        next_step: r.get(8)?,
        author_id: r.get(9)?,
        visit_id: r.get(10)?,
        comments: r.get(11)?,
    })
}

/// Which entries the timeline shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub author: Option<i64>,
    pub unit: Option<i64>,
    pub customer: Option<CustomerId>,
    pub stage: Option<DealStage>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Words that must appear in the content, needs, next step or the customer's
    /// short name (matched literally), or the customer's ID.
    pub text: String,
}

/// The timeline, newest first.
pub fn list(conn: &Connection, f: &LogFilter, limit: u64) -> Result<Vec<LogEntry>, DbError> {
    let mut conds = vec!["m.archived = 0".to_string()];
    let mut args: Vec<Value> = Vec::new();
    if let Some(a) = f.author {
        args.push(Value::Integer(a));
        conds.push(format!("m.author_id = ?{}", args.len()));
    }
    if let Some(u) = f.unit {
        args.push(Value::Integer(u));
        conds.push(format!("c.unit_id = ?{}", args.len()));
    }
    if let Some(c) = &f.customer {
        args.push(Value::Text(c.to_string()));
        conds.push(format!("m.customer_id = ?{}", args.len()));
    }
    if let Some(s) = f.stage {
        args.push(Value::Text(s.code().into()));
        conds.push(format!("m.stage = ?{}", args.len()));
    }
    if let Some(d) = f.from {
        args.push(Value::Text(d.to_string()));
        conds.push(format!("m.logged_on >= ?{}", args.len()));
    }
    if let Some(d) = f.to {
        args.push(Value::Text(d.to_string()));
        conds.push(format!("m.logged_on <= ?{}", args.len()));
    }
    if !f.text.trim().is_empty() {
        args.push(Value::Text(f.text.trim().to_string()));
        let n = args.len();
        conds.push(format!(
            "(instr(m.content, ?{n}) > 0 OR instr(coalesce(m.needs, ''), ?{n}) > 0 \
             OR instr(coalesce(m.next_step, ''), ?{n}) > 0 OR instr(c.short_name, ?{n}) > 0 OR m.customer_id = ?{n})"
        ));
    }
    args.push(super::row_count(limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM marketing_log m JOIN customer c ON c.id = m.customer_id WHERE {} \
         ORDER BY m.logged_on DESC, m.id DESC LIMIT ?{}",
        conds.join(" AND "),
        args.len()
    );
    Ok(conn.prepare_cached(&sql)?.query_map(params_from_iter(args), from_row)?.collect::<Result<_, _>>()?)
}

pub fn load(conn: &Connection, id: i64) -> Result<LogEntry, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM marketing_log m JOIN customer c ON c.id = m.customer_id WHERE m.id = ?1");
    conn.prepare_cached(&sql)?.query_row([id], from_row).optional()?.ok_or(DbError::NotFound)
}

/// One entry with everything it holds, for reading it in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogDetail {
    pub entry: LogEntry,
    pub cooperation: String,
    pub satisfaction: Option<Satisfaction>,
    pub next_due: Option<NaiveDate>,
    pub our_people: String,
    pub their_people: String,
    pub author_name: String,
    pub written_at: NaiveDateTime,
    /// When the visit it was written from took place, if any.
    pub visit_at: Option<NaiveDateTime>,
    /// Supervisors' comments and read marks, oldest first.
    pub comments: Vec<LogComment>,
}

/// A supervisor's comment on an entry (or a mark that it was read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogComment {
    pub id: i64,
    pub by: String,
    /// `None`: marked as read without a comment.
    pub comment: Option<String>,
    pub at: NaiveDateTime,
    /// When the entry's author read it; `None` while it is new to them.
    pub seen_at: Option<NaiveDateTime>,
}

/// An entry in full, with its comments.
pub fn detail(conn: &Connection, id: i64) -> Result<LogDetail, DbError> {
    let entry = load(conn, id)?;
    let (cooperation, satisfaction, next_due, our_people, their_people, author_name, written_at, visit_at) = conn
        .prepare_cached(
            "SELECT coalesce(m.cooperation, ''), m.satisfaction, m.next_due, coalesce(m.our_people, ''), \
             coalesce(m.their_people, ''), coalesce(s.name, ''), m.created_at, \
             (SELECT coalesce(v.done_at, v.planned_at) FROM visit v WHERE v.id = m.visit_id) \
             FROM marketing_log m LEFT JOIN staff s ON s.id = m.author_id WHERE m.id = ?1",
        )?
        .query_row([id], |r| {
            let satisfaction: Option<String> = r.get(1)?;
            Ok((
                r.get::<_, String>(0)?,
                satisfaction.as_deref().and_then(Satisfaction::from_code),
                r.get::<_, Option<NaiveDate>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Civil>(6)?.0,
                r.get::<_, Option<NaiveDateTime>>(7)?,
            ))
        })?;
    let comments = conn
        .prepare_cached(
            "SELECT k.id, coalesce(s.name, ''), k.comment, k.created_at, k.seen_at FROM log_comment k \
             LEFT JOIN staff s ON s.id = k.author_id WHERE k.log_id = ?1 ORDER BY k.id",
        )?
        .query_map([id], |r| {
            Ok(LogComment {
                id: r.get(0)?,
                by: r.get(1)?,
                comment: r.get(2)?,
                at: r.get::<_, Civil>(3)?.0,
                seen_at: r.get::<_, Option<Civil>>(4)?.map(|c| c.0),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(LogDetail {
        entry,
        cooperation,
        satisfaction,
        next_due,
        our_people,
        their_people,
        author_name,
        written_at,
        visit_at,
        comments,
    })
}

/// Writes an entry. The author must be allowed to work on the customer.
pub fn write(store: &mut Store, actor: &Actor, e: &NewLogEntry) -> Result<i64, DbError> {
    store.write(|tx| write_in(tx, actor, e))
}

/// [`write`] within an open transaction (also used by the demo generator).
pub fn write_in(tx: &Tx<'_>, actor: &Actor, e: &NewLogEntry) -> Result<i64, DbError> {
    if e.content.trim().is_empty() {
        return Err(DbError::Invalid(crate::db::Invalid::Required("content")));
    }
    super::access::may_edit_customer(tx, actor, &e.customer_id)?;
    tx.prepare_cached(
        "INSERT INTO marketing_log (customer_id, logged_on, method, stage, content, needs, cooperation, satisfaction, \
         next_step, next_due, our_people, their_people, visit_id, author_id, created_by, created_at, updated_by, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?14, ?15)",
    )?
    .execute(params![
        e.customer_id,
        e.logged_on,
        e.method.code(),
        e.stage.code(),
        e.content.trim(),
        e.needs.trim(),
        e.cooperation.trim(),
        e.satisfaction.map(Satisfaction::code),
        e.next_step.trim(),
        e.next_due,
        e.our_people.trim(),
        e.their_people.trim(),
        e.visit_id,
        actor.staff.id,
        actor.stamp()
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A supervisor marks an entry read, with or without a comment.
pub fn comment(store: &mut Store, actor: &Actor, log_id: i64, comment: Option<&str>) -> Result<(), DbError> {
    store.write(|tx| comment_in(tx, actor, log_id, comment).map(|_| ()))
}

/// [`comment`] within an open transaction; returns the comment's id.
pub fn comment_in(tx: &Tx<'_>, actor: &Actor, log_id: i64, comment: Option<&str>) -> Result<i64, DbError> {
    actor.staff.may_decide()?;
    tx.prepare_cached("INSERT INTO log_comment (log_id, author_id, comment, created_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![log_id, actor.staff.id, comment.map(str::trim).filter(|c| !c.is_empty()), actor.stamp()])?;
    Ok(tx.last_insert_rowid())
}

/// A comment on one of the user's entries that they have not seen yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub id: i64,
    pub log_id: i64,
    pub customer_name: String,
    pub by: String,
    pub comment: String,
    pub at: NaiveDateTime,
}

pub fn unseen_comments(conn: &Connection, author: i64) -> Result<Vec<NewComment>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.log_id, c.short_name, coalesce(s.name, ''), k.comment, k.created_at FROM log_comment k \
         JOIN marketing_log m ON m.id = k.log_id JOIN customer c ON c.id = m.customer_id \
         LEFT JOIN staff s ON s.id = k.author_id \
         WHERE m.author_id = ?1 AND k.seen_at IS NULL AND k.comment IS NOT NULL ORDER BY k.id",
    )?;
    Ok(stmt
        .query_map([author], |r| {
            Ok(NewComment {
                id: r.get(0)?,
                log_id: r.get(1)?,
                customer_name: r.get(2)?,
                by: r.get(3)?,
                comment: r.get(4)?,
                at: r.get::<_, Civil>(5)?.0,
            })
        })?
        .collect::<Result<_, _>>()?)
}

/// The author has seen a comment.
pub fn mark_seen(store: &mut Store, actor: &Actor, comment_id: i64) -> Result<(), DbError> {
    mark_all_seen(store, actor, &[comment_id])
}

/// [`mark_seen`] within an open transaction.
pub fn mark_seen_in(tx: &Tx<'_>, actor: &Actor, comment_id: i64) -> Result<(), DbError> {
    mark_all_seen_in(tx, actor, &[comment_id])
}

/// The author has read these comments (in the entry view): one transaction.
/// Comments on other people's entries are left as they are.
pub fn mark_all_seen(store: &mut Store, actor: &Actor, comment_ids: &[i64]) -> Result<(), DbError> {
    if comment_ids.is_empty() {
        return Ok(());
    }
    store.write(|tx| mark_all_seen_in(tx, actor, comment_ids))
}

/// [`mark_all_seen`] within an open transaction.
pub fn mark_all_seen_in(tx: &Tx<'_>, actor: &Actor, comment_ids: &[i64]) -> Result<(), DbError> {
    let mut update = tx.prepare_cached(
        "UPDATE log_comment SET seen_at = ?1 WHERE id = ?2 AND seen_at IS NULL \
         AND log_id IN (SELECT id FROM marketing_log WHERE author_id = ?3)",
    )?;
    for id in comment_ids {
        update.execute(params![actor.stamp(), id, actor.staff.id])?;
    }
    Ok(())
}

/// Log entries per customer in `[from, to]` by one author, for the quotas.
pub fn counts_by_customer(
    conn: &Connection,
    author: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(CustomerId, NaiveDate)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, logged_on FROM marketing_log WHERE author_id = ?1 AND archived = 0 \
         AND logged_on >= ?2 AND logged_on <= ?3",
    )?;
    Ok(stmt.query_map(params![author, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?)
}

/// How many log entries each customer the staff member owns (or the unit's
/// customers) got in `[from, to]`, for the monthly log quotas.
pub fn entries_per_customer(
    conn: &Connection,
    owner: Option<i64>,
    unit: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<std::collections::HashMap<CustomerId, u32>, DbError> {
    let (whose, mut args) = super::scope::responsible(owner, unit, 3);
    args.splice(0..0, [Value::Text(from.to_string()), Value::Text(to.to_string())]);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT m.customer_id, count(*) FROM marketing_log m JOIN customer c ON c.id = m.customer_id \
         WHERE m.archived = 0 AND m.logged_on >= ?1 AND m.logged_on <= ?2 AND {whose} \
         GROUP BY m.customer_id"
    ))?;
    let rows = stmt.query_map(params_from_iter(args), |r| Ok((r.get::<_, CustomerId>(0)?, r.get::<_, u32>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
