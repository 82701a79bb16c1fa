//! The monthly analysis report (经营分析报告, SPEC §13.4): one per unit, kind
//! and month. kam fills the figures from [`super::analysis::monthly`]; the
//! supervisor writes the parts only people can, and submits it.
//!
//! **Figures.** A draft stores no figures: opening it reads the month's
//! analysis for the unit (with the units below it) from the ledger as it
//! stands. Submitting freezes them: the same analysis, read in the submitting
//! transaction, is turned into [`ReportFigures`] and stored as JSON in
//! `analysis_report.figures`; a submitted report is read from there, so it
//! reads the same however the ledger moves later. Reopening keeps the old
//! snapshot in the row until the next submission replaces it (the history
//! keeps both).

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::analysis::{self, AnalysisScope, CustomerFigures, MonthlyAnalysis};
use super::sql::{Optional, Sql, args};
use super::sql_types::Civil;
use super::{Actor, Conn, DbError, Invalid, Store, Tx};
use crate::domain::analysis_report::{MAX_PART_CHARS, ReportKind, ReportStatus, WrittenPart};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::domain::revenue::{CustomerStatus, Headline, Month, StatusRules};
use crate::domain::staff::{Refusal, Role};
use crate::domain::tier::Tier;

/// Which report: a unit's, of a kind, on a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReportKey {
    pub unit_id: i64,
    pub kind: ReportKind,
    pub month: Month,
}

/// The parts people write, in [`WrittenPart::ALL`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WrittenTexts(pub [String; 5]);

impl WrittenTexts {
    pub fn get(&self, part: WrittenPart) -> &str {
        &self.0[index(part)]
    }
    pub fn set(&mut self, part: WrittenPart, text: &str) {
        self.0[index(part)] = text.to_string();
    }
}

fn index(part: WrittenPart) -> usize {
    WrittenPart::ALL.iter().position(|p| *p == part).unwrap_or(0)
}

/// A report as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub id: i64,
    pub status: ReportStatus,
    pub texts: WrittenTexts,
    /// The frozen figures (JSON), set on submission.
    pub figures: Option<String>,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// One customer's row in the report's tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: CustomerId,
    pub short_name: String,
    pub tier: Tier,
    /// The account manager (A), by name as it was.
    pub manager: String,
    pub month: Money,
    pub previous: Money,
    pub year_ago: Money,
    pub year_to_date: Option<Money>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierRow {
    pub tier: Tier,
    pub customers: usize,
    pub month: Money,
    pub previous: Money,
    pub year_ago: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FluctuationRow {
    pub customer: CustomerRow,
    pub change: Decimal,
    /// Pieces this month and the month before, when the bureau's measure is
    /// volume (absent from figures frozen on revenue, and before there was one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pieces: Option<(u64, u64)>,
    pub explanation: Option<String>,
    pub explained_by: Option<String>,
}

/// The headline figures, as [`Headline`] holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadlineRow {
    pub month: Money,
    pub previous_month: Money,
    pub same_month_last_year: Money,
    pub year_to_date: Money,
    pub year_to_date_last_year: Money,
    pub has_last_year: bool,
    pub unit_month: Option<Money>,
}

impl HeadlineRow {
    pub fn headline(&self) -> Headline {
        Headline {
            month: self.month,
            previous_month: self.previous_month,
            same_month_last_year: self.same_month_last_year,
            year_to_date: self.year_to_date,
            year_to_date_last_year: self.year_to_date_last_year,
            has_last_year: self.has_last_year,
            unit_month: self.unit_month,
        }
    }
}

/// The figures of a report: what the monthly analysis computed for its
/// month and unit, in the shape the report shows (and freezes) them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFigures {
    /// False when the month's revenue is not in the ledger yet.
    pub entered: bool,
    pub headline: HeadlineRow,
    pub customers: usize,
    /// Customers by stored status, in [`CustomerStatus::ALL`] order.
    pub statuses: [usize; 4],
    pub by_tier: Vec<TierRow>,
    pub gained: Vec<CustomerRow>,
    pub lost: Vec<CustomerRow>,
    pub fluctuations: Vec<FluctuationRow>,
    /// Silver and above, plus the top ten (report form 2).
    pub key_table: Vec<CustomerRow>,
    /// A quarterly report's figures for its quarter (absent from monthly
    /// reports, and from quarterly ones frozen before kam summed the quarter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarter: Option<QuarterFigures>,
}

/// The quarter a quarterly report covers: its totals against the same
/// quarter last year (period sums, SPEC §13.4), like for like, the share of
/// the unit, and the diamond and gold customers (tier rank up to gold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterFigures {
    /// Customers with revenue in the quarter or the same quarter last year.
    pub customers: u64,
    pub current: Money,
    pub last_year: Money,
    /// Like for like: customers with revenue in both quarters.
    pub compared_customers: u64,
    pub compared_current: Money,
    pub compared_last_year: Money,
    /// Customers a period total cuts through (their figures left out).
    pub cut_customers: u64,
    /// The unit's revenue for the quarter and a year earlier, when known.
    pub unit: Option<Money>,
    pub unit_last_year: Option<Money>,
    /// Diamond and gold customers, largest this quarter first.
    pub diamond_gold: Vec<QuarterRow>,
}

impl QuarterFigures {
    /// The customers' share of the unit's quarter.
    pub fn share(&self) -> Option<Decimal> {
        crate::domain::revenue::share(self.current, self.unit)
    }
}

/// A diamond or gold customer's line of the quarterly table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterRow {
    pub id: CustomerId,
    pub short_name: String,
    pub tier: Tier,
    pub status: CustomerStatus,
    pub manager: String,
    /// None when a period total cuts through the quarter.
    pub current: Option<Money>,
    pub last_year: Option<Money>,
}

/// The quarter (three months) that holds `month`.
pub fn quarter_of(month: Month) -> Period {
    let first = month.plus(-i64::from((month.month() - 1) % 3));
    Period::new(first, first.plus(2)).unwrap_or(Period::month(month))
}

/// The quarter's figures for the scope, from the period sums.
fn quarter_figures(
    conn: &Conn,
    month: Month,
    scope: AnalysisScope,
    manager: &mut dyn FnMut(i64) -> Result<String, DbError>,
) -> Result<(QuarterFigures, Money), DbError> {
    let quarter = quarter_of(month);
    let sum = super::period::summary(conn, quarter, scope)?;
    let previous = quarter_of(quarter.first().plus(-1));
    let previous_sum = super::period::summary(conn, previous, scope)?;
    let mut rows = Vec::new();
    super::period::each_customer::<DbError>(conn, quarter, scope, None, |r| {
        if r.tier.rank() <= Tier::Gold.rank() {
            rows.push(r);
        }
        Ok(())
    })?;
    let mut diamond_gold = Vec::with_capacity(rows.len());
    for r in rows {
        diamond_gold.push(QuarterRow {
            manager: manager(r.owner_a)?,
            id: r.id,
            short_name: r.short_name,
            tier: r.tier,
            status: r.status,
            current: r.current,
            last_year: r.last_year,
        });
    }
    let figures = QuarterFigures {
        customers: sum.customers,
        current: sum.all.current,
        last_year: sum.all.last_year,
        compared_customers: sum.compared_customers,
        compared_current: sum.compared.current,
        compared_last_year: sum.compared.last_year,
        cut_customers: sum.cut_customers,
        unit: sum.unit.known(),
        unit_last_year: sum.unit_last_year.known(),
        diamond_gold,
    };
    Ok((figures, previous_sum.all.current))
}

impl ReportFigures {
    /// The analysis as the report shows it; `manager` names an account manager by id.
    pub fn of(a: &MonthlyAnalysis, manager: &dyn Fn(i64) -> String) -> ReportFigures {
        let row = |c: &CustomerFigures| CustomerRow {
            id: c.id.clone(),
            short_name: c.short_name.clone(),
            tier: c.tier,
            manager: manager(c.owner_a),
            month: c.month,
            previous: c.previous,
            year_ago: c.year_ago,
            year_to_date: c.year_to_date,
        };
        let h = a.headline;
        ReportFigures {
            entered: a.entered,
            headline: HeadlineRow {
                month: h.month,
                previous_month: h.previous_month,
                same_month_last_year: h.same_month_last_year,
                year_to_date: h.year_to_date,
                year_to_date_last_year: h.year_to_date_last_year,
                has_last_year: h.has_last_year,
                unit_month: h.unit_month,
            },
            customers: a.customers,
            statuses: a.statuses,
            by_tier: a
                .by_tier
                .iter()
                .map(|t| TierRow {
                    tier: t.tier,
                    customers: t.customers,
                    month: t.month,
                    previous: t.previous,
                    year_ago: t.year_ago,
                })
                .collect(),
            gained: a.new_customers.iter().map(row).collect(),
            lost: a.churned.iter().map(row).collect(),
            fluctuations: a
                .fluctuations
                .iter()
                .map(|f| FluctuationRow {
                    customer: row(&f.customer),
                    change: f.change,
                    pieces: f.pieces,
                    explanation: f.explanation.clone(),
                    explained_by: f.explained_by.clone(),
                })
                .collect(),
            key_table: a.key_table.iter().map(row).collect(),
            quarter: None,
        }
    }

    /// Stored statuses with their counts.
    pub fn status_counts(&self) -> impl Iterator<Item = (CustomerStatus, usize)> + '_ {
        CustomerStatus::ALL.iter().copied().zip(self.statuses.iter().copied())
    }
}

/// A report as the screen and the exports read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub key: ReportKey,
    /// None: nobody has written anything yet (a new draft).
    pub stored: Option<StoredReport>,
    pub figures: ReportFigures,
}

impl Report {
    pub fn status(&self) -> ReportStatus {
        self.stored.as_ref().map_or(ReportStatus::Draft, |s| s.status)
    }
    pub fn texts(&self) -> WrittenTexts {
        self.stored.as_ref().map(|s| s.texts.clone()).unwrap_or_default()
    }
    pub fn version(&self) -> Option<i64> {
        self.stored.as_ref().map(|s| s.version)
    }
    /// True when the figures are the snapshot frozen on submission.
    pub fn frozen(&self) -> bool {
        self.status() == ReportStatus::Submitted
    }
}

const COLUMNS: &str = "r.id, r.status, r.reasons, r.competition, r.key_customers, r.measures, r.plan, r.figures, \
     coalesce(sb.name, ''), r.submitted_at, coalesce(cb.name, ''), coalesce(ub.name, ''), r.updated_at, r.version";

/// The stored report, if any.
pub fn load(conn: &Conn, key: ReportKey) -> Result<Option<StoredReport>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM analysis_report r \
         LEFT JOIN staff sb ON sb.id = r.submitted_by LEFT JOIN staff cb ON cb.id = r.created_by \
         LEFT JOIN staff ub ON ub.id = r.updated_by \
         WHERE r.unit_id = ?1 AND r.kind = ?2 AND r.month = ?3"
    );
    let rows = conn.rows(&sql, args![key.unit_id, key.kind.code(), key.month.key()], |r| {
        Ok(StoredReport {
            id: r.get(0)?,
            status: ReportStatus::from_code(r.text(1)?).unwrap_or(ReportStatus::Draft),
            texts: WrittenTexts([r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?]),
            figures: r.get(7)?,
            submitted_by: Some(r.get::<String>(8)?).filter(|s| !s.is_empty()),
            submitted_at: r.get::<Option<Civil>>(9)?.map(|c| c.0),
            created_by: r.get(10)?,
            updated_by: r.get(11)?,
            updated_at: r.get::<Civil>(12)?.0,
            version: r.get(13)?,
        })
    })?;
    Ok(rows.into_iter().next())
}

/// The figures of the month's analysis for the report's unit, as of now.
pub fn live_figures(conn: &Conn, key: ReportKey, rules: &StatusRules) -> Result<ReportFigures, DbError> {
    let analysis = analysis::monthly(conn, key.month, AnalysisScope::Unit(key.unit_id), rules)?;
    let mut names: Vec<(i64, String)> = Vec::new();
    let ids: Vec<i64> = analysis
        .key_table
        .iter()
        .chain(&analysis.new_customers)
        .chain(&analysis.churned)
        .chain(analysis.fluctuations.iter().map(|f| &f.customer))
        .map(|c| c.owner_a)
        .collect();
    for id in ids {
        if !names.iter().any(|(i, _)| *i == id) {
            let name: Option<String> =
                conn.row("SELECT name FROM staff WHERE id = ?1", args![id], |r| r.get(0)).optional()?;
            names.push((id, name.unwrap_or_default()));
        }
    }
    let manager = |id: i64| names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()).unwrap_or_default();
    let mut figures = ReportFigures::of(&analysis, &manager);
    if key.kind == ReportKind::Quarterly {
        // The quarter, not its last month: the headline's month is the
        // quarter, against the quarter before and the same quarter last year.
        let mut name = |id: i64| -> Result<String, DbError> {
            if let Some((_, n)) = names.iter().find(|(i, _)| *i == id) {
                return Ok(n.clone());
            }
            let name: Option<String> =
                conn.row("SELECT name FROM staff WHERE id = ?1", args![id], |r| r.get(0)).optional()?;
            names.push((id, name.clone().unwrap_or_default()));
            Ok(name.unwrap_or_default())
        };
        let (quarter, previous) = quarter_figures(conn, key.month, AnalysisScope::Unit(key.unit_id), &mut name)?;
        let h = &mut figures.headline;
        h.month = quarter.current;
        h.previous_month = previous;
        h.same_month_last_year = quarter.last_year;
        h.unit_month = quarter.unit;
        figures.quarter = Some(quarter);
    }
    Ok(figures)
}

/// The report with its figures: frozen ones once submitted, else the ledger's now.
pub fn open(conn: &Conn, key: ReportKey, rules: &StatusRules) -> Result<Report, DbError> {
    let stored = load(conn, key)?;
    let frozen = stored
        .as_ref()
        .filter(|s| s.status == ReportStatus::Submitted)
        .and_then(|s| s.figures.as_deref())
        .map(serde_json::from_str::<ReportFigures>);
    let figures = match frozen {
        Some(Ok(figures)) => figures,
        Some(Err(e)) => return Err(DbError::Invalid(Invalid::Constraint(format!("report figures: {e}")))),
        None => live_figures(conn, key, rules)?,
    };
    Ok(Report { key, stored, figures })
}

/// Refuses unless `actor` writes this unit's report: a supervisor of the unit
/// or of a unit above it, or the administrator.
fn may_write(tx: &Tx<'_>, actor: &Actor, unit: i64) -> Result<(), DbError> {
    super::access::may_decide_for_unit(tx, actor, unit)
}

fn checked_texts(texts: &WrittenTexts) -> Result<WrittenTexts, DbError> {
    let mut out = WrittenTexts::default();
    for part in WrittenPart::ALL {
        let text = crate::domain::validate::sanitize_multiline_text(texts.get(part).trim());
        if text.chars().count() > MAX_PART_CHARS {
            return Err(DbError::Invalid(Invalid::PartTooLong(part.column())));
        }
        out.set(part, &text);
    }
    Ok(out)
}

/// The stored row's status and version, checked against what the editor started from.
fn current(tx: &Tx<'_>, key: ReportKey, expected: Option<i64>) -> Result<Option<(ReportStatus, i64)>, DbError> {
    let now: Option<(String, i64)> = tx
        .rows(
            "SELECT status, version FROM analysis_report WHERE unit_id = ?1 AND kind = ?2 AND month = ?3",
            args![key.unit_id, key.kind.code(), key.month.key()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .into_iter()
        .next();
    let now = now.map(|(s, v)| (ReportStatus::from_code(&s).unwrap_or(ReportStatus::Draft), v));
    if now.map(|(_, v)| v) != expected {
        return Err(DbError::Invalid(Invalid::ReportChanged));
    }
    Ok(now)
}

/// Writes the draft's texts (creating the report on its first save); returns the new version.
fn write_texts(
    tx: &Tx<'_>,
    actor: &Actor,
    key: ReportKey,
    texts: &WrittenTexts,
    expected: Option<i64>,
) -> Result<i64, DbError> {
    may_write(tx, actor, key.unit_id)?;
    let texts = checked_texts(texts)?;
    let [reasons, competition, key_customers, measures, plan] = &texts.0;
    match current(tx, key, expected)? {
        Some((ReportStatus::Submitted, _)) => Err(DbError::Invalid(Invalid::ReportSubmitted)),
        Some((ReportStatus::Draft, version)) => {
            tx.exec(
                "UPDATE analysis_report SET reasons = ?1, competition = ?2, key_customers = ?3, measures = ?4, \
                 plan = ?5, updated_by = ?6, updated_at = ?7, version = version + 1 \
                 WHERE unit_id = ?8 AND kind = ?9 AND month = ?10",
                args![
                    reasons,
                    competition,
                    key_customers,
                    measures,
                    plan,
                    actor.staff.id,
                    actor.stamp(),
                    key.unit_id,
                    key.kind.code(),
                    key.month.key()
                ],
            )?;
            Ok(version + 1)
        }
        None => {
            tx.exec(
                "INSERT INTO analysis_report (unit_id, kind, month, status, reasons, competition, key_customers, \
                 measures, plan, created_by, created_at, updated_by, updated_at) \
                 VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10)",
                args![
                    key.unit_id,
                    key.kind.code(),
                    key.month.key(),
                    reasons,
                    competition,
                    key_customers,
                    measures,
                    plan,
                    actor.staff.id,
                    actor.stamp()
                ],
            )?;
            Ok(1)
        }
    }
}

/// Saves the parts people wrote as a draft. `expected` is the version the
/// editor started from (None for a report not stored yet): someone else's
/// save in between is refused, and the typed text stays with the editor.
pub fn save_draft(
    store: &mut Store,
    actor: &Actor,
    key: ReportKey,
    texts: &WrittenTexts,
    expected: Option<i64>,
) -> Result<i64, DbError> {
    store.write(|tx| write_texts(tx, actor, key, texts, expected))
}

/// Saves the texts and submits the report: its figures are read from the
/// ledger in this transaction and frozen with it.
pub fn submit(
    store: &mut Store,
    actor: &Actor,
    key: ReportKey,
    texts: &WrittenTexts,
    expected: Option<i64>,
    rules: &StatusRules,
) -> Result<(), DbError> {
    store.write(|tx| {
        let version = write_texts(tx, actor, key, texts, expected)?;
        let figures = live_figures(tx, key, rules)?;
        let json = serde_json::to_string(&figures).map_err(|e| DbError::Invalid(Invalid::Constraint(e.to_string())))?;
        tx.exec(
            "UPDATE analysis_report SET status = 'submitted', figures = ?1, submitted_by = ?2, submitted_at = ?3, \
             updated_by = ?2, updated_at = ?3, version = ?4 + 1 WHERE unit_id = ?5 AND kind = ?6 AND month = ?7",
            args![json, actor.staff.id, actor.stamp(), version, key.unit_id, key.kind.code(), key.month.key()],
        )?;
        Ok(())
    })
}

/// Reopens a submitted report as a draft: a supervisor of its unit or of a
/// unit above it only. The history records who and when.
pub fn reopen(store: &mut Store, actor: &Actor, key: ReportKey, expected: Option<i64>) -> Result<(), DbError> {
    store.write(|tx| {
        let unit = super::access::deciding_unit(tx, key.unit_id)?;
        if actor.staff.role != Role::Supervisor || !unit.unit_and_above.contains(&actor.staff.unit_id) {
            return Err(DbError::Refused(Refusal::DecidedBy { unit: unit.name }));
        }
        match current(tx, key, expected)? {
            Some((ReportStatus::Submitted, _)) => {}
            _ => return Err(DbError::Invalid(Invalid::ReportChanged)),
        }
        tx.exec(
            "UPDATE analysis_report SET status = 'draft', updated_by = ?1, updated_at = ?2, version = version + 1 \
             WHERE unit_id = ?3 AND kind = ?4 AND month = ?5",
            args![actor.staff.id, actor.stamp(), key.unit_id, key.kind.code(), key.month.key()],
        )?;
        Ok(())
    })
}

/// The reports of `units` on the months from `from` on that are submitted.
pub fn submitted_since(conn: &Conn, units: &[i64], from: Month) -> Result<Vec<ReportKey>, DbError> {
    let mut out = Vec::new();
    for unit in units {
        out.extend(
            conn.rows(
                "SELECT kind, month FROM analysis_report WHERE unit_id = ?1 AND month >= ?2 AND status = 'submitted'",
                args![unit, from.key()],
                |r| {
                    let kind = ReportKind::from_code(r.text(0)?).unwrap_or(ReportKind::Monthly);
                    let month: i64 = r.get(1)?;
                    Ok((kind, month))
                },
            )?
            .into_iter()
            .filter_map(|(kind, month)| Month::from_key(month).map(|month| ReportKey { unit_id: *unit, kind, month })),
        );
    }
    Ok(out)
}

/// A report a unit owes and has not submitted (the supervisors' Today).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDue {
    pub key: ReportKey,
    pub unit_name: String,
    pub deadline: chrono::NaiveDate,
    /// Draft, or None when nobody has started it.
    pub status: Option<ReportStatus>,
}

/// The reports of `unit` and the units below it that are owed on `today`
/// (SPEC §13.4, [`crate::domain::analysis_report::reports_owed`]) and not
/// submitted, soonest deadline first. A unit is asked for reports from its
/// first stored one on; one that has written none yet only for the latest of
/// each kind (kam does not nag about the months before it was used).
pub fn due_for(conn: &Conn, unit: i64, today: chrono::NaiveDate) -> Result<Vec<ReportDue>, DbError> {
    use crate::domain::analysis_report::reports_owed;
    use crate::domain::org::UnitLevel;
    let units: Vec<(i64, String, String)> = conn.rows(
        "WITH RECURSIVE tree(id, depth) AS (SELECT CAST(?1 AS bigint), 0 UNION \
         SELECT o.id, t.depth + 1 FROM org_unit o JOIN tree t ON o.parent_id = t.id WHERE t.depth < 32) \
         SELECT u.id, u.name, u.kind FROM org_unit u JOIN tree t ON t.id = u.id WHERE u.archived = 0 ORDER BY u.id",
        args![unit],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut due = Vec::new();
    for (unit_id, name, kind) in units {
        let Some(level) = UnitLevel::from_code(&kind) else { continue };
        let owed = reports_owed(level, today);
        let Some(first) = owed.iter().map(|d| d.month).min() else { continue };
        let first_stored: Option<i64> =
            conn.row("SELECT min(month) FROM analysis_report WHERE unit_id = ?1", args![unit_id], |r| r.get(0))?;
        let latest = |kind: ReportKind| owed.iter().filter(|d| d.kind == kind).map(|d| d.month).max();
        let owed: Vec<_> = owed
            .iter()
            .copied()
            .filter(|d| first_stored.is_some_and(|f| d.month.key() >= f) || latest(d.kind) == Some(d.month))
            .collect();
        let stored: Vec<(String, i64, String)> = conn.rows(
            "SELECT kind, month, status FROM analysis_report WHERE unit_id = ?1 AND month >= ?2",
            args![unit_id, first.key()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        for d in owed {
            let status = stored
                .iter()
                .find(|(k, m, _)| *k == d.kind.code() && *m == d.month.key())
                .and_then(|(_, _, s)| ReportStatus::from_code(s));
            if status == Some(ReportStatus::Submitted) {
                continue;
            }
            due.push(ReportDue {
                key: ReportKey { unit_id, kind: d.kind, month: d.month },
                unit_name: crate::domain::validate::sanitize_text(&name),
                deadline: d.deadline,
                status,
            });
        }
    }
    due.sort_by_key(|a| (a.deadline, a.key.unit_id, a.key.month));
    Ok(due)
}
