//! The marketing log (SPEC §6): entries after each contact with a customer,
//! turned from a done visit without retyping, read and commented by supervisors.

use chrono::{NaiveDate, NaiveDateTime};

use super::engine::Value;
use super::sql::{Dialect, Optional, Row, Sql, ToValue, args};
use super::sql_types::Civil;
use super::{Actor, Conn, DbError, Store, Tx};
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
    /// Who entered it into kam: the author, or whoever imported it from
    /// paper for them (`kam import log`).
    pub entered_by: i64,
    pub visit_id: Option<i64>,
    /// Supervisor comments (and read marks) on this entry.
    pub comments: i64,
    /// The contract an agreement-stage entry names (SPEC §12).
    pub contract_id: Option<i64>,
}

impl LogEntry {
    /// Entered by someone other than its author (an import from paper), not
    /// written live by the author.
    pub fn entered_for_author(&self) -> bool {
        self.entered_by != self.author_id
    }
}

const COLUMNS: &str = "m.id, m.customer_id, c.short_name, m.logged_on, m.method, m.stage, m.content, \
     coalesce(m.needs, ''), coalesce(m.next_step, ''), m.author_id, m.visit_id, \
     (SELECT count(*) FROM log_comment WHERE log_id = m.id), m.created_by, m.contract_id";

fn from_row(r: &Row<'_>) -> Result<LogEntry, DbError> {
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
        entered_by: r.get(12)?,
        visit_id: r.get(10)?,
        comments: r.get(11)?,
        contract_id: r.get(13)?,
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
    /// Only the entries that name this contract.
    pub contract: Option<i64>,
}

/// The timeline, newest first.
pub fn list(conn: &Conn, f: &LogFilter, limit: u64) -> Result<Vec<LogEntry>, DbError> {
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
    if let Some(k) = f.contract {
        args.push(Value::Integer(k));
        conds.push(format!("m.contract_id = ?{}", args.len()));
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
        let has = |column: &str| match conn.dialect() {
            Dialect::Sqlite => format!("instr({column}, ?{n}) > 0"),
            Dialect::Postgres => format!("strpos({column}, ?{n}) > 0"),
        };
        conds.push(format!(
            "({} OR {} OR {} OR {} OR m.customer_id = ?{n})",
            has("m.content"),
            has("coalesce(m.needs, '')"),
            has("coalesce(m.next_step, '')"),
            has("c.short_name")
        ));
    }
    args.push(limit.to_value());
    let sql = format!(
        "SELECT {COLUMNS} FROM marketing_log m JOIN customer c ON c.id = m.customer_id WHERE {} \
         ORDER BY m.logged_on DESC, m.id DESC LIMIT ?{}",
        conds.join(" AND "),
        args.len()
    );
    let refs: Vec<&dyn ToValue> = args.iter().map(|v| v as &dyn ToValue).collect();
    conn.rows(&sql, &refs, from_row)
}

pub fn load(conn: &Conn, id: i64) -> Result<LogEntry, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM marketing_log m JOIN customer c ON c.id = m.customer_id WHERE m.id = ?1");
    conn.row(&sql, args![id], from_row)
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
    /// Who entered it, when not its author (an import from paper).
    pub entered_by_name: Option<String>,
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
pub fn detail(conn: &Conn, id: i64) -> Result<LogDetail, DbError> {
    let entry = load(conn, id)?;
    let (cooperation, satisfaction, next_due, our_people, their_people, author_name, written_at, visit_at) = conn.row(
        "SELECT coalesce(m.cooperation, ''), m.satisfaction, m.next_due, coalesce(m.our_people, ''), \
         coalesce(m.their_people, ''), coalesce(s.name, ''), m.created_at, \
         (SELECT coalesce(v.done_at, v.planned_at) FROM visit v WHERE v.id = m.visit_id) \
         FROM marketing_log m LEFT JOIN staff s ON s.id = m.author_id WHERE m.id = ?1",
        args![id],
        |r| {
            let satisfaction: Option<String> = r.get(1)?;
            Ok((
                r.get::<String>(0)?,
                satisfaction.as_deref().and_then(Satisfaction::from_code),
                r.get::<Option<NaiveDate>>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
                r.get::<String>(5)?,
                r.get::<Civil>(6)?.0,
                r.get::<Option<NaiveDateTime>>(7)?,
            ))
        },
    )?;
    let comments = conn.rows(
        "SELECT k.id, coalesce(s.name, ''), k.comment, k.created_at, k.seen_at FROM log_comment k \
         LEFT JOIN staff s ON s.id = k.author_id WHERE k.log_id = ?1 ORDER BY k.id",
        args![id],
        |r| {
            Ok(LogComment {
                id: r.get(0)?,
                by: r.get(1)?,
                comment: r.get(2)?,
                at: r.get::<Civil>(3)?.0,
                seen_at: r.get::<Option<Civil>>(4)?.map(|c| c.0),
            })
        },
    )?;
    let entered_by_name = if entry.entered_for_author() {
        let name: Option<String> =
            conn.row("SELECT name FROM staff WHERE id = ?1", args![entry.entered_by], |r| r.get(0)).optional()?;
        Some(name.unwrap_or_default())
    } else {
        None
    };
    Ok(LogDetail {
        entry,
        cooperation,
        satisfaction,
        next_due,
        our_people,
        their_people,
        author_name,
        entered_by_name,
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
    write_for_in(tx, actor, actor.staff.id, e)
}

/// Writes an entry whose author is `author`: the actor's own, or one written
/// on paper by someone else that the actor enters (`kam import log`). The
/// row keeps both: `author_id` is who wrote it (whose quota it counts for),
/// `created_by` who entered it (the history's actor). Entering someone
/// else's entry takes deciding for the customer's unit (a supervisor of it
/// or of a unit above it, the administrator); an account manager enters
/// only their own. PostgreSQL holds every login to the same rule
/// (migrations-pg/10-log-import).
pub fn write_for_in(tx: &Tx<'_>, actor: &Actor, author: i64, e: &NewLogEntry) -> Result<i64, DbError> {
    if e.content.trim().is_empty() {
        return Err(DbError::Invalid(crate::db::Invalid::Required("content")));
    }
    may_write_for(tx, actor, author, &e.customer_id)?;
    tx.row(
        "INSERT INTO marketing_log (customer_id, logged_on, method, stage, content, needs, cooperation, satisfaction, \
         next_step, next_due, our_people, their_people, visit_id, author_id, created_by, created_at, updated_by, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?15, ?16) RETURNING id",
        args![
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
            author,
            actor.staff.id,
            actor.stamp()
        ],
        |r| r.get(0),
    )
}

/// Refuses unless `actor` may write an entry about `customer` in `author`'s
/// name: as the customer's editor, and for someone else only when deciding
/// for the customer's unit.
pub fn may_write_for(conn: &Conn, actor: &Actor, author: i64, customer: &CustomerId) -> Result<(), DbError> {
    super::access::may_edit_customer(conn, actor, customer)?;
    if author != actor.staff.id {
        super::access::may_decide_for_customer(conn, actor, customer)?;
    }
    Ok(())
}

/// A supervisor marks an entry read, with or without a comment.
pub fn comment(store: &mut Store, actor: &Actor, log_id: i64, comment: Option<&str>) -> Result<(), DbError> {
    store.write(|tx| comment_in(tx, actor, log_id, comment).map(|_| ()))
}

/// [`comment`] within an open transaction; returns the comment's id.
pub fn comment_in(tx: &Tx<'_>, actor: &Actor, log_id: i64, comment: Option<&str>) -> Result<i64, DbError> {
    actor.staff.may_decide()?;
    tx.row(
        "INSERT INTO log_comment (log_id, author_id, comment, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        args![log_id, actor.staff.id, comment.map(str::trim).filter(|c| !c.is_empty()), actor.stamp()],
        |r| r.get(0),
    )
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

pub fn unseen_comments(conn: &Conn, author: i64) -> Result<Vec<NewComment>, DbError> {
    conn.rows(
        "SELECT k.id, k.log_id, c.short_name, coalesce(s.name, ''), k.comment, k.created_at FROM log_comment k \
         JOIN marketing_log m ON m.id = k.log_id JOIN customer c ON c.id = m.customer_id \
         LEFT JOIN staff s ON s.id = k.author_id \
         WHERE m.author_id = ?1 AND k.seen_at IS NULL AND k.comment IS NOT NULL ORDER BY k.id",
        args![author],
        |r| {
            Ok(NewComment {
                id: r.get(0)?,
                log_id: r.get(1)?,
                customer_name: r.get(2)?,
                by: r.get(3)?,
                comment: r.get(4)?,
                at: r.get::<Civil>(5)?.0,
            })
        },
    )
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
    for id in comment_ids {
        tx.exec(
            "UPDATE log_comment SET seen_at = ?1 WHERE id = ?2 AND seen_at IS NULL \
             AND log_id IN (SELECT id FROM marketing_log WHERE author_id = ?3)",
            args![actor.stamp(), id, actor.staff.id],
        )?;
    }
    Ok(())
}

/// Log entries per customer in `[from, to]` by one author, for the quotas.
pub fn counts_by_customer(
    conn: &Conn,
    author: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(CustomerId, NaiveDate)>, DbError> {
    conn.rows(
        "SELECT customer_id, logged_on FROM marketing_log WHERE author_id = ?1 AND archived = 0 \
         AND logged_on >= ?2 AND logged_on <= ?3",
        args![author, from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// How many log entries each customer the staff member owns (or the unit's
/// customers) got in `[from, to]`, for the monthly log quotas.
pub fn entries_per_customer(
    conn: &Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<std::collections::HashMap<CustomerId, u32>, DbError> {
    let (whose, mut args) = super::scope::responsible(owner, unit, 3);
    args.splice(0..0, [Value::Text(from.to_string()), Value::Text(to.to_string())]);
    let refs: Vec<&dyn ToValue> = args.iter().map(|v| v as &dyn ToValue).collect();
    let rows = conn.rows(
        &format!(
            "SELECT m.customer_id, count(*) FROM marketing_log m JOIN customer c ON c.id = m.customer_id \
             WHERE m.archived = 0 AND m.logged_on >= ?1 AND m.logged_on <= ?2 AND {whose} \
             GROUP BY m.customer_id"
        ),
        &refs,
        |r| Ok((r.get::<CustomerId>(0)?, r.get::<u32>(1)?)),
    )?;
    Ok(rows.into_iter().collect())
}
