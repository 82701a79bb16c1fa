//! The customer list: the query (filters, search, sort), counting, and
//! reading pages of rows, with the search-hit cache the list's paging relies on.

use chrono::NaiveDate;

use crate::db::engine::Value;
use crate::db::sql::{Dialect, Optional, Row, Sql, ToValue, args};
use crate::db::{Conn, DbError};
use crate::domain::id::CustomerId;
use crate::domain::tier::Tier;
use crate::search::is_short_query;

/// Columns the list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    #[default]
    Id,
    ShortName,
    Tier,
    Status,
    Industry,
    Owner,
    Unit,
    Freshness,
}

impl SortColumn {
    pub const ALL: [SortColumn; 8] = [
        SortColumn::Id,
        SortColumn::ShortName,
        SortColumn::Tier,
        SortColumn::Status,
        SortColumn::Industry,
        SortColumn::Owner,
        SortColumn::Unit,
        SortColumn::Freshness,
    ];

    fn order_by(self) -> &'static str {
        match self {
            SortColumn::Id => "c.id",
            SortColumn::ShortName => "c.name_key",
            SortColumn::Tier => "c.tier_rank",
            SortColumn::Status => "c.status",
            SortColumn::Industry => "(SELECT name_zh FROM industry WHERE id = c.industry_id)",
            SortColumn::Owner => "(SELECT name FROM staff WHERE id = c.owner_a)",
            SortColumn::Unit => "(SELECT code FROM org_unit WHERE id = c.unit_id)",
            SortColumn::Freshness => "c.update_due_on",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    pub tier: Option<Tier>,
    pub status: Option<String>,
    pub owner: Option<i64>,
    pub unit: Option<i64>,
    /// The customers this staff member owns as A or B.
    pub mine_of: Option<i64>,
    pub pending_registration: bool,
    pub stale_on: Option<NaiveDate>,
    pub include_archived: bool,
    /// Only tiers that carry a visit standard (not general, not unranked).
    pub ranked_only: bool,
    /// Only the customers a member of staff may work on: (their id as owner A
    /// or B, and their unit when the unit policy lets them edit it), as
    /// `access::workable` gives it.
    pub workable_by: Option<(i64, Option<i64>)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerQuery {
    /// Normalised search text: matched against ID, names and their pinyin.
    pub search: String,
    pub filter: CustomerFilter,
    pub sort: SortColumn,
    pub descending: bool,
}

/// One line of the customer list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: CustomerId,
    pub short_name: String,
    pub full_name: String,
    pub tier: Tier,
    pub status: String,
    pub registration: String,
    pub industry_id: Option<i64>,
    pub owner_a: i64,
    pub owner_b: Option<i64>,
    pub unit_id: i64,
    pub update_due_on: NaiveDate,
    pub archived: bool,
    /// The customer's phone (from the profile), empty when none.
    pub phone: String,
}

/// The phone is read from the profile row by its key, for the rows returned only
/// when the page comes from an index (OFFSET skips rows before their columns are read).
const ROW_COLUMNS: &str = "c.id, c.short_name, c.full_name, c.tier, c.status, c.registration, \
     c.industry_id, c.owner_a, c.unit_id, c.update_due_on, c.archived, c.owner_b, \
     coalesce((SELECT p.phone FROM customer_profile p WHERE p.customer_id = c.id), '')";

fn row_from(r: &Row<'_>) -> Result<CustomerRow, DbError> {
    let tier: String = r.get(3)?;
    Ok(CustomerRow {
        id: r.get(0)?,
        short_name: r.get(1)?,
        full_name: r.get(2)?,
        tier: Tier::from_code(&tier).unwrap_or(Tier::General),
        status: r.get(4)?,
        registration: r.get(5)?,
        industry_id: r.get(6)?,
        owner_a: r.get(7)?,
        unit_id: r.get(8)?,
        update_due_on: r.get(9)?,
        archived: r.get(10)?,
        owner_b: r.get(11)?,
        phone: r.get(12)?,
    })
}

/// How a query's search reaches the customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    /// No search.
    Off,
    /// SQLite, 3+ characters: the hits cached in `temp.search_hits`.
    Hits,
    /// PostgreSQL, 3+ characters: LIKE on the key, through pg_trgm.
    Like,
    /// A short query (1–2 characters) as a set of customer IDs from
    /// `customer_prefix`, for the planner to place (both engines).
    PrefixIn,
    /// A short query with `customer_prefix p` in the FROM ([`PREFIX_FIRST`]).
    PrefixJoined,
    /// A short query probed per customer, walking one of the customer
    /// indexes (a filter's or the sort's).
    PrefixExists,
    /// SQLite, 3+ characters, with `customer_search s` first in the FROM
    /// ([`TRIGRAM_FIRST`]): the trigram index yields the hits in rowid
    /// order, with no table of them kept.
    Trigram,
    /// SQLite, 3+ characters, probed per customer (its search key read by
    /// rowid) while walking the sort's index, stopping after the page.
    TrigramProbe,
}

/// The search of `q` where nothing chooses otherwise.
fn search_of(q: &CustomerQuery, dialect: Dialect) -> Search {
    if q.search.is_empty() {
        Search::Off
    } else if is_short_query(&q.search) {
        Search::PrefixIn
    } else {
        match dialect {
            Dialect::Sqlite => Search::Hits,
            Dialect::Postgres => Search::Like,
        }
    }
}

fn where_clause(q: &CustomerQuery, search: Search) -> (String, Vec<Value>) {
    let mut conds = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if !q.filter.include_archived {
        conds.push("c.archived = 0".to_string());
    }
    match search {
        Search::Off => {}
        // Filled by `ensure_search_hits` before the query runs.
        Search::Hits => conds.push("c.rowid IN (SELECT rowid FROM temp.search_hits)".to_string()),
        // The pg_trgm index answers LIKE on the search key for any
        // substring; the user's own wildcards are escaped, so they are
        // matched as typed (PostgreSQL text holds no NUL to stop at).
        Search::Like => {
            args.push(Value::Text(format!("%{}%", like_escaped(&q.search))));
            conds.push(format!("c.id IN (SELECT customer_id FROM customer_search WHERE key LIKE ?{})", args.len()));
        }
        // The query is a whole start, compared for equality: its characters
        // (LIKE's wildcards too) are matched as typed.
        Search::PrefixIn => {
            args.push(Value::Text(q.search.clone()));
            conds.push(format!("c.id IN (SELECT customer_id FROM customer_prefix WHERE gram = ?{})", args.len()));
        }
        Search::PrefixJoined => {
            args.push(Value::Text(q.search.clone()));
            conds.push(format!("p.gram = ?{}", args.len()));
        }
        Search::PrefixExists => {
            args.push(Value::Text(q.search.clone()));
            conds.push(format!(
                "EXISTS (SELECT 1 FROM customer_prefix p WHERE p.gram = ?{} AND p.customer_id = c.id)",
                args.len()
            ));
        }
        // Only for terms without LIKE's wildcards ([`capped_search`]).
        Search::Trigram => {
            args.push(Value::Text(format!("%{}%", q.search)));
            conds.push(format!("s.key LIKE ?{}", args.len()));
        }
        Search::TrigramProbe => {
            args.push(Value::Text(format!("%{}%", q.search)));
            conds.push(format!("(SELECT s.key FROM customer_search s WHERE s.rowid = c.rowid) LIKE ?{}", args.len()));
        }
    }
    if let Some(t) = q.filter.tier {
        args.push(Value::Integer(t.rank() as i64));
        conds.push(format!("c.tier_rank = ?{}", args.len()));
    }
    if let Some(s) = &q.filter.status {
        args.push(Value::Text(s.clone()));
        conds.push(format!("c.status = ?{}", args.len()));
    }
    if let Some(o) = q.filter.owner {
        args.push(Value::Integer(o));
        conds.push(format!("c.owner_a = ?{}", args.len()));
    }
    if let Some(u) = q.filter.unit {
        args.push(Value::Integer(u));
        conds.push(format!("c.unit_id = ?{}", args.len()));
    }
    if let Some(me) = q.filter.mine_of {
        args.push(Value::Integer(me));
        let n = args.len();
        conds.push(format!("(c.owner_a = ?{n} OR c.owner_b = ?{n})"));
    }
    if let Some((me, unit)) = q.filter.workable_by {
        args.push(Value::Integer(me));
        let n = args.len();
        match unit {
            Some(u) => {
                args.push(Value::Integer(u));
                conds.push(format!("(c.owner_a = ?{n} OR c.owner_b = ?{n} OR c.unit_id = ?{})", n + 1));
            }
            None => conds.push(format!("(c.owner_a = ?{n} OR c.owner_b = ?{n})")),
        }
    }
    if q.filter.pending_registration {
        conds.push("c.registration = 'pending'".to_string());
    }
    if q.filter.ranked_only {
        conds.push(crate::db::scope::ranked());
    }
    if let Some(day) = q.filter.stale_on {
        args.push(day.to_value());
        conds.push(format!("c.update_due_on < ?{}", args.len()));
    }
    let sql = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
    (sql, args)
}

/// `term` with LIKE's wildcards and its escape character (PostgreSQL's
/// default, the backslash) matched literally; NUL, which no PostgreSQL text
/// holds, dropped.
fn like_escaped(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for c in term.chars().filter(|c| *c != '\0') {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Below this many search hits a page is sorted from the hits themselves.
const FEW_HITS: i64 = 5_000;

/// Makes `temp.search_hits` hold the rowids of the customers matching `term`:
/// all of them (`keep`: `None`), or the first `keep` in rowid order, as the
/// trigram index yields them ([`capped_search`]: the list needs no more).
/// Returns how many it holds: fewer than `keep` means all.
///
/// A search is run once per term, not once per count and per page (nor again for
/// every page while scrolling through the results). The cache is keyed by the term and by the database's change counters, so any
/// write (ours or another process's) makes it search afresh.
///
/// PostgreSQL: none of this carries over. The hits are not kept in TEMP
/// tables (a pooled connection is not a user's session), there is no
/// `pragma_data_version()`/`total_changes()` to tell whether anyone wrote,
/// and `customer_search` is keyed by `customer_id`, not `rowid`: the list
/// searches per query through the pg_trgm index (`key LIKE '%term%'`, and
/// `strpos(key, term) > 0` for short or literal terms) instead.
fn ensure_search_hits(conn: &Conn, term: &str, keep: Option<i64>) -> Result<i64, DbError> {
    conn.exec_batch(
        "CREATE TEMP TABLE IF NOT EXISTS search_hits (rowid INTEGER PRIMARY KEY);
         CREATE TEMP TABLE IF NOT EXISTS search_state (term TEXT, data_version INTEGER, changes INTEGER, kept INTEGER);",
    )?;
    let now: (i64, i64) =
        conn.row("SELECT (SELECT data_version FROM pragma_data_version()), total_changes()", args![], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let cached: Option<(String, i64, i64, i64, i64)> = conn
        .row(
            "SELECT term, data_version, changes, kept, (SELECT count(*) FROM temp.search_hits) FROM temp.search_state",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    if let Some((t, dv, ch, kept, held)) = cached
        && (dv, ch) == now
        && t == term
    {
        // Kept: 0 when every hit is held.
        let enough = match keep {
            Some(k) => kept == 0 || kept == k,
            None => kept == 0 || held < kept,
        };
        if enough {
            return Ok(held);
        }
    }
    // LIKE (and the trigram index answering it) reads a pattern only up to a NUL,
    // so "x\0y" would search for "x" (or, at the start, for everything); instr()
    // compares all the bytes.
    let literal = term.contains(['%', '_', '\\', '\0']);
    conn.exec("DELETE FROM temp.search_hits", args![])?;
    if literal || term.chars().count() < 3 {
        // LIKE's own wildcards typed by the user are matched literally
        // (instr() scans; keys and queries are both lower case). Short
        // queries come here only from outside the list (they are
        // answered from `customer_prefix`).
        conn.exec(
            "INSERT INTO temp.search_hits SELECT rowid FROM customer_search WHERE instr(key, ?1) > 0",
            args![term],
        )?;
    } else {
        // A plain LIKE lets the trigram index answer runs of 3+ characters,
        // in rowid order (LIMIT -1: all).
        conn.exec(
            "INSERT INTO temp.search_hits SELECT rowid FROM customer_search WHERE key LIKE ?1 LIMIT ?2",
            args![format!("%{term}%"), keep.unwrap_or(-1)],
        )?;
    }
    let held: i64 = conn.row("SELECT count(*) FROM temp.search_hits", args![], |r| r.get(0))?;
    conn.exec("DELETE FROM temp.search_state", args![])?;
    let (dv, _) = now;
    // Count our own changes after the bookkeeping above, which total_changes() includes.
    let ch: i64 = conn.row("SELECT total_changes() + 1", args![], |r| r.get(0))?;
    let kept = if literal { 0 } else { keep.unwrap_or(0) };
    conn.exec("INSERT INTO temp.search_state VALUES (?1, ?2, ?3, ?4)", args![term, dv, ch, kept])?;
    Ok(held)
}

/// How many hits a [`capped_search`] keeps (SQLite): past the list's cap,
/// and past `√(w · n)` for a window of `w` = [`WINDOW_ROWS`] rows and `n`
/// customers, where sorting the hits and walking the list's order to find
/// a window of them cost the same (the walk reads about `w · n / h`
/// customers for `h` hits): neither exceeds it (√(128 · 20,000) ≈ 1,600
/// rows; 11,300 at 1,000,000).
fn kept_hits(conn: &Conn) -> Result<i64, DbError> {
    let book: i64 = conn.row("SELECT coalesce(max(rowid), 0) FROM customer", args![], |r| r.get(0))?;
    let meet = WINDOW_ROWS.saturating_mul(u64::try_from(book).unwrap_or(0)).isqrt() + 1;
    Ok(i64::try_from(meet.max(LISTED_CAP + 1)).unwrap_or(i64::MAX))
}

/// The rows of the list's window its reading is planned for (about a screen
/// and a half, as the list reads them).
const WINDOW_ROWS: u64 = 128;

/// The dynamic parameters of a statement, as the seam binds them.
fn bound(args: &[Value]) -> Vec<&dyn ToValue> {
    args.iter().map(|v| v as &dyn ToValue).collect()
}

/// Whether the query runs the trigram search, whose hits SQLite caches.
fn uses_hits(q: &CustomerQuery, dialect: Dialect) -> bool {
    search_of(q, dialect) == Search::Hits
}

/// How many customers the query matches, exactly (exports, reports). The
/// list counts with [`count_listed`].
pub fn count(conn: &Conn, q: &CustomerQuery) -> Result<u64, DbError> {
    if uses_hits(q, conn.dialect()) {
        ensure_search_hits(conn, &q.search, None)?;
    }
    let (wh, args) = where_clause(q, search_of(q, conn.dialect()));
    let sql = format!("SELECT count(*) FROM customer c {wh}");
    conn.row(&sql, &bound(&args), |r| r.get::<u64>(0))
}

/// A short search's count (for the list's title and scroll bar) stops past
/// this many matches: the list shows "1000+" ([`count_capped`]) and scrolls
/// through the first 1,001. A one-letter query can match a tenth of a
/// province; counting them all would read them all.
pub const LISTED_CAP: u64 = 1000;

/// How many customers the query matches for the list: exact, except a
/// short search's and a [`capped_search`]'s, which stop at [`LISTED_CAP`] + 1.
pub fn count_listed(conn: &Conn, q: &CustomerQuery) -> Result<u64, DbError> {
    if !listed_capped(q) {
        return count(conn, q);
    }
    if search_of(q, conn.dialect()) == Search::Hits {
        // The hits kept for the pages too; counted again from the trigram
        // index only when they are not all kept and archived customers
        // leave fewer than the cap of them listed.
        let keep = kept_hits(conn)?;
        let held = ensure_search_hits(conn, &q.search, Some(keep))?;
        let (sql, args) = kept_count_statement(q);
        let listed = conn.row(&sql, &bound(&args), |r| r.get::<u64>(0))?;
        if held < keep || listed > LISTED_CAP {
            return Ok(listed);
        }
    }
    let (sql, args) = capped_count_statement(conn, q)?;
    conn.row(&sql, &bound(&args), |r| r.get::<u64>(0))
}

/// Whether the list's count of `q` stops at [`LISTED_CAP`] + 1.
fn listed_capped(q: &CustomerQuery) -> bool {
    is_short_query(&q.search) || capped_search(q)
}

/// A search of three characters or more that the list counts only up to
/// [`LISTED_CAP`] + 1 and pages without gathering every hit: a plain term
/// (none of LIKE's wildcards, which are matched literally by a scan) and no
/// filter but the archive. A common run of three letters ("ang", "zha") is
/// in a large share of the book; counting or sorting all its hits read them
/// all. Filtered searches keep the exact count.
fn capped_search(q: &CustomerQuery) -> bool {
    !q.search.is_empty()
        && !is_short_query(&q.search)
        && !q.search.contains(['%', '_', '\\', '\0'])
        && !narrowed(&q.filter)
}

/// Whether a filter other than the archive's narrows the list.
fn narrowed(f: &CustomerFilter) -> bool {
    CustomerFilter { include_archived: f.include_archived, ..CustomerFilter::default() } != *f
}

/// The list's count of a [`capped_search`] from its kept hits (SQLite).
fn kept_count_statement(q: &CustomerQuery) -> (String, Vec<Value>) {
    // Not the join alone: over a table it has no statistics for, SQLite
    // would first read every live customer into a Bloom filter.
    let (wh, mut args) = where_clause(q, Search::Hits);
    args.push((LISTED_CAP + 1).to_value());
    (format!("SELECT count(*) FROM (SELECT 1 FROM {HITS_FIRST} {wh} LIMIT ?{}) AS capped", args.len()), args)
}

fn capped_count_statement(conn: &Conn, q: &CustomerQuery) -> Result<(String, Vec<Value>), DbError> {
    let (from, search) = if is_short_query(&q.search) {
        short_source(conn, q, None)?
    } else {
        match conn.dialect() {
            // The trigram index yields hits in rowid order: the count stops after
            // the 1,001st, however many there are.
            Dialect::Sqlite => (TRIGRAM_FIRST, Search::Trigram),
            Dialect::Postgres => ("customer c", Search::Like),
        }
    };
    let (wh, mut args) = where_clause(q, search);
    args.push((LISTED_CAP + 1).to_value());
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM {from} {wh} LIMIT ?{}) AS capped", args.len());
    Ok((sql, args))
}

/// The customers of a search's hits in the trigram index, read starting from them.
const TRIGRAM_FIRST: &str = "customer_search s CROSS JOIN customer c ON c.rowid = s.rowid";

/// SQLite's plan (`EXPLAIN QUERY PLAN`, one line per step) of the list's
/// count and of its first page of `limit` rows for `q`, for the tests and
/// benches that hold short searches to an index range.
pub fn list_plans(conn: &Conn, q: &CustomerQuery, limit: u64) -> Result<Vec<String>, DbError> {
    let count = if capped_search(q) && search_of(q, conn.dialect()) == Search::Hits {
        kept_count_statement(q)
    } else if listed_capped(q) {
        capped_count_statement(conn, q)?
    } else {
        let (wh, args) = where_clause(q, search_of(q, conn.dialect()));
        (format!("SELECT count(*) FROM customer c {wh}"), args)
    };
    let mut lines = Vec::new();
    for (sql, args) in [count, page_statement(conn, q, 0, limit)?] {
        conn.rows(&format!("EXPLAIN QUERY PLAN {sql}"), &bound(&args), |r| {
            lines.push(r.get::<String>(3)?);
            Ok(())
        })?;
    }
    Ok(lines)
}

/// Whether the list's `total` (from [`count_listed`]) is a search's
/// count that stopped: more match than it says.
pub fn count_capped(q: &CustomerQuery, total: u64) -> bool {
    listed_capped(q) && total > LISTED_CAP
}

/// The customers of a short query's prefix rows, read starting from them:
/// in customer ID order along `customer_prefix`'s key.
const PREFIX_FIRST: &str = "customer_prefix p CROSS JOIN customer c ON c.id = p.customer_id";

/// Where a short query's rows are read from. Starting from its prefix rows
/// when they are few (under [`FEW_HITS`]: sorted as they are), or when the
/// list is in ID order (the prefix key's own order) with no filter
/// narrowing it; otherwise from the customers, walking the sort's index or
/// a filter's (the planner's choice), each probed in `customer_prefix`.
/// `sort`: the page's order (`None`: a count, in no order).
fn short_source(conn: &Conn, q: &CustomerQuery, sort: Option<SortColumn>) -> Result<(&'static str, Search), DbError> {
    if conn.dialect() == Dialect::Postgres {
        return Ok(("customer c", Search::PrefixIn));
    }
    if matches!(sort, None | Some(SortColumn::Id)) && !narrowed(&q.filter) {
        return Ok((PREFIX_FIRST, Search::PrefixJoined));
    }
    let hits: i64 = conn.row(
        "SELECT count(*) FROM (SELECT 1 FROM customer_prefix WHERE gram = ?1 LIMIT ?2)",
        args![q.search, FEW_HITS],
        |r| r.get(0),
    )?;
    if hits < FEW_HITS { Ok((PREFIX_FIRST, Search::PrefixJoined)) } else { Ok(("customer c", Search::PrefixExists)) }
}

/// Every customer the query matches, in no particular order, for work over a
/// whole set (a manager's standards, the demo). Without ORDER BY the planner
/// starts from the filter's index: sorting by the list's columns would walk
/// the sort index through every customer to find a manager's few hundred.
pub fn all_matching(conn: &Conn, q: &CustomerQuery) -> Result<Vec<CustomerRow>, DbError> {
    let mut from = "customer c";
    let mut search = search_of(q, conn.dialect());
    if search == Search::Hits {
        ensure_search_hits(conn, &q.search, None)?;
        from = HITS_FIRST;
    } else if search == Search::PrefixIn && conn.dialect() == Dialect::Sqlite {
        (from, search) = (PREFIX_FIRST, Search::PrefixJoined);
    }
    let (wh, args) = where_clause(q, search);
    let sql = format!("SELECT {ROW_COLUMNS} FROM {from} {wh}");
    conn.rows(&sql, &bound(&args), row_from)
}

/// The customers of the cached search hits, read starting from the hits.
const HITS_FIRST: &str = "temp.search_hits h CROSS JOIN customer c ON c.rowid = h.rowid";

/// [`page`] in a list of `total` rows: a page in the second half is read from
/// the end (in the reverse order, with the OFFSET counted from there), since
/// SQLite's OFFSET steps over every row it skips: End on 100,000 customers
/// took 0.4 s, now as long as Home.
pub fn page_in(
    conn: &Conn,
    q: &CustomerQuery,
    offset: u64,
    limit: u64,
    total: u64,
) -> Result<Vec<CustomerRow>, DbError> {
    // A search's total may be capped (`count_listed`): its end is not
    // known, and its pages lie within the first thousand anyway.
    if offset <= total / 2 || listed_capped(q) {
        return page(conn, q, offset, limit);
    }
    let end = offset.saturating_add(limit).min(total);
    // Every order ends with the unique id, so the reverse order is exactly reversed.
    let reversed = CustomerQuery { descending: !q.descending, ..q.clone() };
    let mut rows = page(conn, &reversed, total - end, end.saturating_sub(offset))?;
    rows.reverse();
    Ok(rows)
}

/// One page of the list: only the rows that will be drawn.
pub fn page(conn: &Conn, q: &CustomerQuery, offset: u64, limit: u64) -> Result<Vec<CustomerRow>, DbError> {
    // Few search hits: start from the hits and sort them. Many: walk the sort index
    // and stop after one page. (SQLite cannot tell which without this hint.)
    // PostgreSQL: its planner weighs the trigram index against the sort index
    // itself; no hit table, no hint.
    let (sql, args) = page_statement(conn, q, offset, limit)?;
    conn.rows(&sql, &bound(&args), row_from)
}

/// The statement of [`page`] and its arguments.
fn page_statement(conn: &Conn, q: &CustomerQuery, offset: u64, limit: u64) -> Result<(String, Vec<Value>), DbError> {
    // A short search (both engines): see `short_source`.
    let mut from = "customer c";
    let mut search = search_of(q, conn.dialect());
    if search == Search::Hits && capped_search(q) && walkable(q) {
        // All the hits kept (few): sorted from them. Not all (many): the
        // sort's index walked, each customer's key read, until the page is full.
        let keep = kept_hits(conn)?;
        if ensure_search_hits(conn, &q.search, Some(keep))? < keep {
            from = HITS_FIRST;
        } else if walk_ends_soon(conn, q, offset.saturating_add(limit), keep)? {
            search = Search::TrigramProbe;
        } else {
            // Many hits, but not early in the list's order (a district's
            // name, whose customers' IDs lie together): all of them, sorted.
            ensure_search_hits(conn, &q.search, None)?;
            from = HITS_FIRST;
        }
    } else if search == Search::Hits {
        ensure_search_hits(conn, &q.search, None)?;
        let hits: i64 = conn.row("SELECT count(*) FROM temp.search_hits", args![], |r| r.get(0))?;
        if hits < FEW_HITS {
            from = HITS_FIRST;
        }
    } else if search == Search::PrefixIn {
        (from, search) = short_source(conn, q, Some(q.sort))?;
    }
    let (wh, mut args) = where_clause(q, search);
    let dir = if q.descending { "DESC" } else { "ASC" };
    // Along customer_prefix's key in ID order, that key's own column, so
    // the first page is read without sorting the hits.
    let order = if from == PREFIX_FIRST && q.sort == SortColumn::Id {
        format!("p.customer_id {dir}")
    } else if q.sort == SortColumn::Id {
        // Once: named twice, SQLite sorts each run of equal IDs again.
        format!("c.id {dir}")
    } else {
        format!("{} {dir}, c.id {dir}", q.sort.order_by())
    };
    args.push(limit.to_value());
    args.push(offset.to_value());
    let n = args.len();
    let sql = format!("SELECT {ROW_COLUMNS} FROM {from} {wh} ORDER BY {order} LIMIT ?{} OFFSET ?{n}", n - 1);
    Ok((sql, args))
}

/// Whether an index of the customers holds the list's order, so a walk
/// along it stops after the page: ID (`customer_id_live`, or the primary
/// key's with the archive), and the other indexed columns within the live
/// customers (`customer(archived, column, id)`). The others are sorted
/// from every hit.
fn walkable(q: &CustomerQuery) -> bool {
    match q.sort {
        SortColumn::Id => true,
        SortColumn::ShortName | SortColumn::Tier | SortColumn::Status | SortColumn::Freshness => {
            !q.filter.include_archived
        }
        SortColumn::Industry | SortColumn::Owner | SortColumn::Unit => false,
    }
}

/// Whether the first `rows` hits of a [`capped_search`] lie within the first
/// `2 · keep` customers in the list's order (more for a window further down),
/// so walking the list's order finds them soon. Hits spread through the
/// book are met every `n / h` customers: `rows · n / h` ≤ `keep` for the
/// `h` ≥ `keep` hits this is asked about; but hits clustered in the order
/// (a district's name in the IDs' division codes) may all come at its end.
fn walk_ends_soon(conn: &Conn, q: &CustomerQuery, rows: u64, keep: i64) -> Result<bool, DbError> {
    let (wh, mut args) = where_clause(q, Search::Off);
    let dir = if q.descending { "DESC" } else { "ASC" };
    let order = match q.sort {
        SortColumn::Id => format!("c.id {dir}"),
        sort => format!("{} {dir}, c.id {dir}", sort.order_by()),
    };
    let span = u64::try_from(keep).unwrap_or(0).saturating_mul(2).saturating_mul(rows.div_ceil(WINDOW_ROWS).max(1));
    args.push(span.to_value());
    args.push(Value::Text(format!("%{}%", q.search)));
    args.push(rows.to_value());
    let n = args.len();
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM (SELECT c.rowid AS r FROM customer c {wh} ORDER BY {order} LIMIT ?{}) w \
         WHERE (SELECT s.key FROM customer_search s WHERE s.rowid = w.r) LIKE ?{} LIMIT ?{n}) AS found",
        n - 2,
        n - 1
    );
    let found: u64 = conn.row(&sql, &bound(&args), |r| r.get(0))?;
    Ok(found >= rows)
}

/// The first `limit` customers a query matches, for a form's pick list, and
/// whether more match (one row more is read to tell, never a count).
pub fn pick(conn: &Conn, q: &CustomerQuery, limit: u64) -> Result<(Vec<CustomerRow>, bool), DbError> {
    let mut rows = page(conn, q, 0, limit + 1)?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((rows, more))
}

/// A customer's branches (IDs sharing its first 11 digits), headquarters first.
pub fn family(conn: &Conn, id: &CustomerId) -> Result<Vec<CustomerRow>, DbError> {
    let hq = id.headquarters();
    let prefix = &hq.as_str()[..11];
    let sql = format!("SELECT {ROW_COLUMNS} FROM customer c WHERE c.id BETWEEN ?1 AND ?2 ORDER BY c.id");
    conn.rows(&sql, args![format!("{prefix}000"), format!("{prefix}999")], row_from)
}

/// An account manager's customers (A or B) whose dossier update was due
/// before `day`, in tier order (then ID), at most `limit`, and how many there
/// are in all: Today's stale dossiers. The same rows and count as the list
/// filtered by `mine_of` and `stale_on`, sorted by tier; read as each part's
/// first `limit` from its index (owner A; owner B, where A is someone
/// else), merged, and only the page's rows read (the list's OR would read
/// every stale customer's row to sort them).
pub fn stale_of_owner(conn: &Conn, owner: i64, day: NaiveDate, limit: u64) -> Result<(Vec<CustomerRow>, u64), DbError> {
    // SQLite is told the indexes: left alone, it walks the owner's customers
    // in tier order and reads each row for its due date.
    let sqlite = conn.dialect() == Dialect::Sqlite;
    let indexed = |index: &str| if sqlite { format!(" INDEXED BY {index}") } else { String::new() };
    let part_a = format!(
        "FROM customer k{} WHERE k.archived = 0 AND k.owner_a = ?1 AND k.update_due_on < ?2",
        indexed("customer_owner_stale")
    );
    let part_b = format!(
        "FROM customer k{} WHERE k.archived = 0 AND k.owner_b = ?1 AND k.update_due_on < ?2 \
         AND k.owner_a IS DISTINCT FROM ?1",
        indexed("customer_owner_b_stale")
    );
    let total: u64 =
        conn.row(&format!("SELECT (SELECT count(*) {part_a}) + (SELECT count(*) {part_b})"), args![owner, day], |r| {
            r.get(0)
        })?;
    let first = |part: &str| format!("SELECT id FROM (SELECT k.id {part} ORDER BY k.tier_rank, k.id LIMIT ?3) AS f");
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM customer c WHERE c.id IN ({} UNION ALL {}) ORDER BY c.tier_rank, c.id LIMIT ?3",
        first(&part_a),
        first(&part_b)
    );
    let rows = conn.rows(&sql, args![owner, day, limit], row_from)?;
    Ok((rows, total))
}
