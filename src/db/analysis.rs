//! The monthly analysis (经营分析, SPEC §7) read from the revenue ledger: the
//! figures for one month and one unit (with the units below it), or everyone.

use std::collections::HashMap;

use super::engine::Value;
use super::sql::{Sql, ToValue, args};
use super::{Conn, DbError};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::revenue::{CustomerStatus, FLUCTUATION_LIMIT, Headline, Month, StatusRules, fluctuation};
use crate::domain::tier::Tier;
use crate::domain::volume::{FluctuationMeasure, volume_fluctuation};

/// Whose customers the analysis covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnalysisScope {
    #[default]
    All,
    /// A unit and every unit below it.
    Unit(i64),
}

/// One customer's figures for the month analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerFigures {
    pub id: CustomerId,
    pub short_name: String,
    pub tier: Tier,
    pub owner_a: i64,
    pub unit_id: i64,
    pub status: CustomerStatus,
    pub one_off: bool,
    pub month: Money,
    pub previous: Money,
    pub year_ago: Money,
    /// Filled for the customers of the key table only (see [`MonthlyAnalysis::key_table`]).
    pub year_to_date: Option<Money>,
}

/// Counts and revenue of one tier (report form 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierFigures {
    pub tier: Tier,
    pub customers: usize,
    pub month: Money,
    pub previous: Money,
    pub year_ago: Money,
}

/// One service line's revenue from the customers in scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFigures {
    pub service_line_id: i64,
    pub month: Money,
    pub previous: Money,
    pub year_ago: Money,
}

/// A fluctuation to explain: more than 30% against the previous month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fluctuation {
    pub customer: CustomerFigures,
    pub change: rust_decimal::Decimal,
    /// Pieces this month and the month before, when the bureau's measure is
    /// volume (the change is then of the pieces).
    pub pieces: Option<(u64, u64)>,
    pub explanation: Option<String>,
    pub explained_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyAnalysis {
    pub month: Month,
    pub scope: AnalysisScope,
    /// The ledger's last month (the latest with any revenue), if any.
    pub ledger_month: Option<Month>,
    /// False for a month after the ledger's last: its revenue is not entered
    /// yet, so it has no fluctuations, no churn, no new customers and no top
    /// ten, and its (zero) totals are no fall.
    pub entered: bool,
    pub headline: Headline,
    /// Live customers in scope.
    pub customers: usize,
    /// Tiers in display order, only those with customers.
    pub by_tier: Vec<TierFigures>,
    /// Service lines with revenue in any of the three months, largest first.
    pub by_line: Vec<LineFigures>,
    /// First revenue ever this month.
    pub new_customers: Vec<CustomerFigures>,
    /// Became churned this month by the status rules.
    pub churned: Vec<CustomerFigures>,
    /// The ten largest this month.
    pub top: Vec<CustomerFigures>,
    /// Silver and above, plus the top ten, largest first, with year-to-date (report form 2).
    pub key_table: Vec<CustomerFigures>,
    pub fluctuations: Vec<Fluctuation>,
    /// What the fluctuations compare: the bureau's setting (revenue by default).
    pub measure: FluctuationMeasure,
    /// Stored statuses of the customers in scope, in the order of `CustomerStatus::ALL`.
    pub statuses: [usize; 4],
    /// The scope's total per month for the 24 months ending with `month`.
    pub trend: Vec<(Month, Money)>,
}

/// How many months the trend covers.
pub const TREND_MONTHS: i64 = 24;

/// The SQL condition putting `column` (a unit id) in scope, with its arguments.
/// (`TRUE` rather than `1`, and the unit cast to the id's type: PostgreSQL
/// wants a boolean condition and a typed first row for the recursion.)
pub(crate) fn scope_condition(scope: AnalysisScope, column: &str) -> (String, Vec<Value>) {
    match scope {
        AnalysisScope::All => ("TRUE".to_string(), vec![]),
        AnalysisScope::Unit(unit) => (
            format!(
                "{column} IN (WITH RECURSIVE tree(id) AS (SELECT CAST(?1 AS bigint) UNION ALL \
                 SELECT o.id FROM org_unit o JOIN tree t ON o.parent_id = t.id) SELECT id FROM tree)"
            ),
            vec![Value::Integer(unit)],
        ),
    }
}

/// A statement's dynamic arguments as the seam binds them.
fn bound(values: &[Value]) -> Vec<&dyn ToValue> {
    values.iter().map(|v| v as &dyn ToValue).collect()
}

/// The analysis of `month` for `scope`. Nothing here walks the customers of the
/// scope: counts and tier totals are sums the store keeps (`customer_tally`,
/// `revenue_unit_tier`), totals, trend and service lines come from
/// `revenue_unit_line`, and each list (new, churned, fluctuations, top ten, key
/// customers) is an index range of `revenue_run` holding just its rows
/// (migration 22-analysis-sums).
pub fn monthly(
    conn: &Conn,
    month: Month,
    scope: AnalysisScope,
    rules: &StatusRules,
) -> Result<MonthlyAnalysis, DbError> {
    analyse(conn, month, scope, rules, true)
}

/// [`monthly`] as the screen shows it: without the key customers' table
/// (report form 2, which only the reports print), whose silver-and-above
/// rows with their years to date grow with the book.
pub fn monthly_shown(
    conn: &Conn,
    month: Month,
    scope: AnalysisScope,
    rules: &StatusRules,
) -> Result<MonthlyAnalysis, DbError> {
    analyse(conn, month, scope, rules, false)
}

fn analyse(
    conn: &Conn,
    month: Month,
    scope: AnalysisScope,
    rules: &StatusRules,
    with_key_table: bool,
) -> Result<MonthlyAnalysis, DbError> {
    let (unit_condition, args) = scope_condition(scope, "unit_id");
    let ledger_month = super::revenue::ledger_month(conn)?;
    let entered = ledger_month.is_some_and(|last| month <= last);

    let (customers, statuses, tier_counts) = tally(conn, &unit_condition, &args)?;
    let by_tier = tier_figures(conn, month, &unit_condition, &args, &tier_counts)?;
    let measure = super::volume::fluctuation_measure(conn)?;
    let mut trend = trend(conn, month, &unit_condition, &args)?;
    let headline = headline(conn, month, scope, &trend)?;
    let mut by_line = by_line(conn, month, &unit_condition, &args)?;

    let (new_customers, churned, top, key_table, fluctuations) = if entered {
        let (run_condition, _) = scope_condition(scope, "r.unit_id");
        let new_customers = new_customers(conn, month, &run_condition, &args)?;
        let churned = churned(conn, month, rules, &run_condition, &args)?;
        let fluctuations = fluctuations(conn, month, scope, measure)?;
        let (top, key_table) = top_and_key_customers(conn, month, scope, with_key_table)?;
        (new_customers, churned, top, key_table, fluctuations)
    } else {
        // Nothing of this month is in the ledger: every customer's zero would
        // read as a fall (−100%), a loss or a fluctuation to explain.
        by_line.clear();
        trend.retain(|(m, _)| ledger_month.is_some_and(|last| *m <= last));
        Default::default()
    };

    Ok(MonthlyAnalysis {
        month,
        scope,
        ledger_month,
        entered,
        headline,
        customers,
        by_tier,
        by_line,
        new_customers,
        churned,
        top,
        key_table,
        fluctuations,
        measure,
        statuses,
        trend,
    })
}

/// Live customers in scope: how many, per stored status (in the order of
/// `CustomerStatus::ALL`) and per tier.
type Tally = (usize, [usize; 4], Vec<(Tier, usize)>);

/// The [`Tally`] of a scope, from the counts the store keeps.
fn tally(conn: &Conn, condition: &str, args: &[Value]) -> Result<Tally, DbError> {
    let sql =
        format!("SELECT tier, status, sum(customers) FROM customer_tally WHERE {condition} GROUP BY tier, status");
    let rows =
        conn.rows(&sql, &bound(args), |r| Ok((r.text(0)?.to_string(), r.text(1)?.to_string(), r.get::<i64>(2)?)))?;
    let (mut total, mut statuses, mut tiers) = (0, [0; 4], Vec::<(Tier, usize)>::new());
    for (tier, status, n) in rows {
        let n = usize::try_from(n).unwrap_or(0);
        total += n;
        let status = CustomerStatus::from_code(&status).unwrap_or(CustomerStatus::Normal);
        statuses[CustomerStatus::ALL.iter().position(|s| *s == status).unwrap_or(0)] += n;
        let tier = Tier::from_code(&tier).unwrap_or(Tier::General);
        match tiers.iter_mut().find(|(t, _)| *t == tier) {
            Some((_, count)) => *count += n,
            None => tiers.push((tier, n)),
        }
    }
    Ok((total, statuses, tiers))
}

/// The figures of each tier that has customers, highest first, from the tier
/// totals the store keeps.
fn tier_figures(
    conn: &Conn,
    month: Month,
    condition: &str,
    args: &[Value],
    counts: &[(Tier, usize)],
) -> Result<Vec<TierFigures>, DbError> {
    let n = args.len();
    let sql = format!(
        "SELECT tier, month, sum(amount) FROM revenue_unit_tier WHERE month IN (?{}, ?{}, ?{}) AND {condition} \
         GROUP BY tier, month",
        n + 1,
        n + 2,
        n + 3
    );
    let mut all = args.to_vec();
    for m in [month, month.prev(), month.year_ago()] {
        all.push(Value::Integer(m.key()));
    }
    let rows = conn.rows(&sql, &bound(&all), |r| Ok((r.text(0)?.to_string(), r.get::<i64>(1)?, r.get::<Money>(2)?)))?;
    let mut by_tier: Vec<TierFigures> = Vec::new();
    for tier in Tier::ALL {
        let customers = counts.iter().filter(|(t, _)| *t == tier).map(|(_, n)| n).sum();
        if customers == 0 {
            continue;
        }
        let total = |m: Month| {
            sum(rows
                .iter()
                .filter(|(code, key, _)| *key == m.key() && Tier::from_code(code).unwrap_or(Tier::General) == tier)
                .map(|(_, _, amount)| *amount))
        };
        by_tier.push(TierFigures {
            tier,
            customers,
            month: total(month),
            previous: total(month.prev()),
            year_ago: total(month.year_ago()),
        });
    }
    Ok(by_tier)
}

/// The columns of [`CustomerFigures`] for customer `c` (then the year to date
/// when `ytd`), for `month` at `?{p}`, the month before at `?{p+1}`, a year ago
/// at `?{p+2}` and January at `?{p+3}` (see [`figures_args`]); `extra` columns
/// and then `rest` (FROM …) follow.
fn figures_sql(p: usize, ytd: bool, extra: &str, rest: &str) -> String {
    let amount =
        |q: usize| format!("coalesce((SELECT amount FROM revenue_month WHERE customer_id = c.id AND month = ?{q}), 0)");
    let ytd = if ytd {
        format!(
            ", (SELECT coalesce(sum(amount), 0) FROM revenue_month WHERE customer_id = c.id AND month BETWEEN ?{} AND ?{p})",
            p + 3
        )
    } else {
        ", NULL".to_string()
    };
    format!(
        "SELECT c.id, c.short_name, c.tier, c.owner_a, c.unit_id, c.status, c.one_off, {}, {}, {}{ytd}{extra} {rest}",
        amount(p),
        amount(p + 1),
        amount(p + 2)
    )
}

/// The arguments [`figures_sql`] numbers after the scope's (January only with
/// the year to date: a statement binds exactly the arguments it names).
fn figures_args(args: &[Value], month: Month, ytd: bool) -> Vec<Value> {
    let mut all = args.to_vec();
    for m in [month, month.prev(), month.year_ago()] {
        all.push(Value::Integer(m.key()));
    }
    if ytd {
        all.push(Value::Integer(month.january().key()));
    }
    all
}

/// Reads the first ten columns of [`figures_sql`].
fn figures_row(r: &super::sql::Row<'_>) -> Result<CustomerFigures, DbError> {
    Ok(CustomerFigures {
        id: r.get(0)?,
        short_name: r.get(1)?,
        tier: Tier::from_code(r.text(2)?).unwrap_or(Tier::General),
        owner_a: r.get(3)?,
        unit_id: r.get(4)?,
        status: CustomerStatus::from_code(r.text(5)?).unwrap_or(CustomerStatus::Normal),
        one_off: r.get(6)?,
        month: r.get(7)?,
        previous: r.get(8)?,
        year_ago: r.get(9)?,
        year_to_date: r.get(10)?,
    })
}

/// The customers new this month: revenue this month and never before (their
/// row of the month has no month before it).
fn new_customers(conn: &Conn, month: Month, condition: &str, args: &[Value]) -> Result<Vec<CustomerFigures>, DbError> {
    let all = figures_args(args, month, false);
    let p = args.len() + 1;
    let sql = figures_sql(
        p,
        false,
        "",
        &format!(
            "FROM revenue_run r JOIN customer c ON c.id = r.customer_id \
             WHERE r.month = ?{p} AND r.prev_month IS NULL AND {condition}"
        ),
    );
    let mut rows = conn.rows(&sql, &bound(&all), figures_row)?;
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows)
}

/// The customers that became churned this month by the status rules: no
/// revenue for the rule's months running, ending with this one, after revenue
/// in the month before them (their row of that month has no next month up to
/// this one). With the rule off (0 months) nobody churns.
fn churned(
    conn: &Conn,
    month: Month,
    rules: &StatusRules,
    condition: &str,
    args: &[Value],
) -> Result<Vec<CustomerFigures>, DbError> {
    let empty = i64::from(rules.churned_empty_months);
    if empty == 0 {
        return Ok(Vec::new());
    }
    let mut all = figures_args(args, month, false);
    let p = args.len() + 1;
    all.push(Value::Integer(month.plus(-empty).key()));
    let sql = figures_sql(
        p,
        false,
        "",
        &format!(
            "FROM revenue_run r JOIN customer c ON c.id = r.customer_id \
             WHERE r.month = ?{} AND r.next_month > ?{p} AND {condition}",
            p + 3
        ),
    );
    let mut rows = conn.rows(&sql, &bound(&all), figures_row)?;
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows)
}

/// The customers whose revenue moved past the limit against the month before
/// (one-off customers aside), with their explanations: unexplained first, then
/// the largest moves. On revenue these are the flagged rows of the month
/// before; on volume, the customers with pieces the month before.
fn fluctuations(
    conn: &Conn,
    month: Month,
    scope: AnalysisScope,
    measure: FluctuationMeasure,
) -> Result<Vec<Fluctuation>, DbError> {
    let notes = "LEFT JOIN fluctuation_note f ON f.customer_id = c.id AND f.month = ?{p} \
                 LEFT JOIN staff s ON s.id = f.written_by";
    let explained = ", f.explanation, s.name";
    let (rest, extra) = match measure {
        FluctuationMeasure::Revenue => {
            let (condition, _) = scope_condition(scope, "r.unit_id");
            (
                format!(
                    "FROM revenue_run r JOIN customer c ON c.id = r.customer_id {notes} \
                     WHERE r.month = ?{{q}} AND r.moved = 1 AND r.one_off = 0 AND {condition}"
                ),
                format!("{explained}, 0, 0"),
            )
        }
        FluctuationMeasure::Volume => {
            let (condition, _) = scope_condition(scope, "c.unit_id");
            (
                format!(
                    "FROM (SELECT customer_id, sum(pieces) AS before FROM volume WHERE month = ?{{q}} \
                     GROUP BY customer_id) v JOIN customer c ON c.id = v.customer_id {notes} \
                     WHERE v.before > 0 AND c.archived = 0 AND c.one_off = 0 AND {condition}"
                ),
                format!(
                    "{explained}, (SELECT coalesce(sum(pieces), 0) FROM volume WHERE customer_id = c.id \
                     AND month = ?{{p}}), v.before"
                ),
            )
        }
    };
    let (_, args) = scope_condition(scope, "unit_id");
    let p = args.len() + 1;
    let q = p + 1;
    let fill = |text: &str| text.replace("{p}", &p.to_string()).replace("{q}", &q.to_string());
    let sql = figures_sql(p, false, &fill(&extra), &fill(&rest));
    let all = figures_args(&args, month, false);
    let rows = conn.rows(&sql, &bound(&all), |r| {
        Ok((
            figures_row(r)?,
            r.get::<Option<String>>(11)?,
            r.get::<Option<String>>(12)?,
            r.get::<u64>(13)?,
            r.get::<u64>(14)?,
        ))
    })?;
    let mut fluctuations: Vec<Fluctuation> = rows
        .into_iter()
        .filter(|(c, ..)| !c.one_off)
        .filter_map(|(customer, explanation, by, now, before)| {
            let (change, pieces) = match measure {
                FluctuationMeasure::Revenue => {
                    (fluctuation(customer.month, customer.previous, FLUCTUATION_LIMIT)?, None)
                }
                FluctuationMeasure::Volume => {
                    (volume_fluctuation(now, before, FLUCTUATION_LIMIT)?, Some((now, before)))
                }
            };
            let explained_by = explanation.as_ref().map(|_| by.unwrap_or_default());
            Some(Fluctuation { customer, change, pieces, explanation, explained_by })
        })
        .collect();
    fluctuations.sort_by(|a, b| {
        (a.explanation.is_some(), std::cmp::Reverse(a.change.abs()), &a.customer.id).cmp(&(
            b.explanation.is_some(),
            std::cmp::Reverse(b.change.abs()),
            &b.customer.id,
        ))
    });
    Ok(fluctuations)
}

/// How many customers the top list holds.
const TOP: usize = 10;

/// The ten customers with the most revenue this month, and the key customers'
/// table: those ten and every customer of silver or above with revenue, with
/// their year to date. The ten are the first rows of the month's largest (per
/// unit of the scope, merged); the silver and above their tiers' rows.
fn top_and_key_customers(
    conn: &Conn,
    month: Month,
    scope: AnalysisScope,
    with_key_table: bool,
) -> Result<(Vec<CustomerFigures>, Vec<CustomerFigures>), DbError> {
    let largest = |unit: Option<i64>| -> Result<Vec<CustomerFigures>, DbError> {
        let (condition, args) = match unit {
            None => ("TRUE".to_string(), vec![]),
            Some(unit) => ("r.unit_id = ?1".to_string(), vec![Value::Integer(unit)]),
        };
        let sql = figures_sql(
            args.len() + 1,
            true,
            "",
            &format!(
                "FROM revenue_run r JOIN customer c ON c.id = r.customer_id WHERE r.month = ?{} AND {condition} \
                 ORDER BY r.amount DESC, r.customer_id LIMIT {TOP}",
                args.len() + 1
            ),
        );
        conn.rows(&sql, &bound(&figures_args(&args, month, true)), figures_row)
    };
    let mut top = match scope {
        AnalysisScope::All => largest(None)?,
        AnalysisScope::Unit(_) => {
            let (condition, args) = scope_condition(scope, "o.id");
            let units: Vec<i64> =
                conn.rows(&format!("SELECT o.id FROM org_unit o WHERE {condition}"), &bound(&args), |r| r.get(0))?;
            let mut all = Vec::new();
            for unit in units {
                all.extend(largest(Some(unit))?);
            }
            all
        }
    };
    let ranking = |a: &CustomerFigures, b: &CustomerFigures| b.month.cmp(&a.month).then_with(|| a.id.cmp(&b.id));
    top.sort_by(ranking);
    top.truncate(TOP);
    if !with_key_table {
        for c in &mut top {
            c.year_to_date = None;
        }
        return Ok((top, Vec::new()));
    }

    let silver_rank = Tier::Silver.rank();
    let key_tiers: Vec<Value> =
        Tier::ALL.iter().filter(|t| t.rank() <= silver_rank).map(|t| Value::Text(t.code().to_string())).collect();
    let (condition, args) = scope_condition(scope, "r.unit_id");
    let p = args.len() + 1;
    let first_tier = p + 4;
    let tiers = (0..key_tiers.len()).map(|i| format!("?{}", first_tier + i)).collect::<Vec<_>>().join(", ");
    let mut all = figures_args(&args, month, true);
    all.extend(key_tiers);
    let sql = figures_sql(
        p,
        true,
        "",
        &format!(
            "FROM revenue_run r JOIN customer c ON c.id = r.customer_id \
             WHERE r.month = ?{p} AND r.tier IN ({tiers}) AND {condition}"
        ),
    );
    let mut key_table = conn.rows(&sql, &bound(&all), figures_row)?;
    for c in &top {
        if !key_table.iter().any(|k| k.id == c.id) {
            key_table.push(c.clone());
        }
    }
    key_table.sort_by(ranking);
    // The top list shows no year to date (as before: only the key table has it).
    for c in &mut top {
        c.year_to_date = None;
    }
    Ok((top, key_table))
}

/// The scope's totals for `month` against the month before, a year ago and the
/// year to date, read from its `trend`.
fn headline(conn: &Conn, month: Month, scope: AnalysisScope, trend: &[(Month, Money)]) -> Result<Headline, DbError> {
    let total_of = |m: Month| trend.iter().find(|(x, _)| *x == m).map_or(Money::ZERO, |(_, a)| *a);
    let ytd = |last: Month| sum(Month::range(last.january(), last).map(total_of));
    let last_year = month.year_ago();
    let has_last_year = Month::range(last_year.january(), last_year).any(|m| total_of(m).to_fen() > 0);
    Ok(Headline {
        month: total_of(month),
        previous_month: total_of(month.prev()),
        same_month_last_year: total_of(last_year),
        year_to_date: ytd(month),
        year_to_date_last_year: ytd(last_year),
        has_last_year,
        unit_month: unit_month(conn, scope, month)?,
    })
}

fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    Money(amounts.fold(rust_decimal::Decimal::ZERO, |total, a| total + a.yuan()))
}

/// The scope's total per month over the trend window, from the per-unit totals.
fn trend(conn: &Conn, month: Month, condition: &str, args: &[Value]) -> Result<Vec<(Month, Money)>, DbError> {
    let first = month.plus(1 - TREND_MONTHS);
    let n = args.len();
    let sql = format!(
        "SELECT month, sum(amount) FROM revenue_unit_line WHERE month BETWEEN ?{} AND ?{} AND {condition} \
         GROUP BY month",
        n + 1,
        n + 2
    );
    let mut all = args.to_vec();
    all.push(Value::Integer(first.key()));
    all.push(Value::Integer(month.key()));
    // Sums of fen: integers on SQLite, numerics on PostgreSQL; Money reads both exactly.
    let found: HashMap<i64, Money> =
        conn.rows(&sql, &bound(&all), |r| Ok((r.get(0)?, r.get(1)?)))?.into_iter().collect();
    Ok(Month::range(first, month).map(|m| (m, found.get(&m.key()).copied().unwrap_or(Money::ZERO))).collect())
}

fn by_line(conn: &Conn, month: Month, condition: &str, args: &[Value]) -> Result<Vec<LineFigures>, DbError> {
    let n = args.len();
    let sql = format!(
        "SELECT service_line_id, month, sum(amount) FROM revenue_unit_line \
         WHERE month IN (?{}, ?{}, ?{}) AND {condition} GROUP BY service_line_id, month",
        n + 1,
        n + 2,
        n + 3
    );
    let mut all = args.to_vec();
    for m in [month, month.prev(), month.year_ago()] {
        all.push(Value::Integer(m.key()));
    }
    let mut lines: Vec<LineFigures> = Vec::new();
    let rows = conn.rows(&sql, &bound(&all), |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<Money>(2)?)))?;
    for (line, key, amount) in rows {
        let i = match lines.iter().position(|l| l.service_line_id == line) {
            Some(i) => i,
            None => {
                lines.push(LineFigures {
                    service_line_id: line,
                    month: Money::ZERO,
                    previous: Money::ZERO,
                    year_ago: Money::ZERO,
                });
                lines.len() - 1
            }
        };
        let l = &mut lines[i];
        if key == month.key() {
            l.month = amount;
        } else if key == month.prev().key() {
            l.previous = amount;
        } else {
            l.year_ago = amount;
        }
    }
    // Lines without revenue in any of the three months are left out.
    lines.retain(|l| [l.month, l.previous, l.year_ago].iter().any(|a| a.to_fen() != 0));
    lines.sort_by(|a, b| b.month.cmp(&a.month).then(a.service_line_id.cmp(&b.service_line_id)));
    Ok(lines)
}

/// The unit's own revenue for the month (monthly entry, else a twelfth of the
/// year); for everyone, the top units' figures added up.
fn unit_month(conn: &Conn, scope: AnalysisScope, month: Month) -> Result<Option<Money>, DbError> {
    let units: Vec<i64> = match scope {
        AnalysisScope::Unit(unit) => vec![unit],
        AnalysisScope::All => {
            conn.rows("SELECT id FROM org_unit WHERE parent_id IS NULL AND archived = 0", args![], |r| r.get(0))?
        }
    };
    let mut total: Option<Money> = None;
    for unit in units {
        let (monthly, yearly): (Option<Money>, Option<Money>) = conn.row(
            "SELECT (SELECT amount FROM unit_revenue WHERE unit_id = ?1 AND year = ?2 AND month = ?3), \
                    (SELECT amount FROM unit_revenue WHERE unit_id = ?1 AND year = ?2 AND month = 0)",
            args![unit, month.year(), month.month()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if let Some(m) = crate::domain::revenue::unit_revenue_for_month(monthly, yearly) {
            total = Some(Money(total.map_or(m.yuan(), |t| t.yuan() + m.yuan())));
        }
    }
    Ok(total)
}
