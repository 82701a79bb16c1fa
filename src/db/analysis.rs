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

pub fn monthly(
    conn: &Conn,
    month: Month,
    scope: AnalysisScope,
    rules: &StatusRules,
) -> Result<MonthlyAnalysis, DbError> {
    let (condition, args) = scope_condition(scope, "c.unit_id");
    let mut customers = in_scope(conn, &condition, &args)?;
    let ledger_month = super::revenue::ledger_month(conn)?;
    let entered = ledger_month.is_some_and(|last| month <= last);

    // The months the per-customer rules read: this month back over the status
    // window (and one more, to tell "became churned" from "was churned").
    let window = i64::from(rules.months_needed());
    let recent: Vec<Month> = Month::range(month.plus(-window), month).collect();
    let rows = fill_months(conn, month, &recent, &mut customers)?;
    let (mut new_customers, mut churned) = new_and_churned(conn, &customers, &recent, &rows, rules)?;
    let by_tier = tier_figures(&customers);
    let mut statuses = [0; 4];
    for c in &customers {
        statuses[CustomerStatus::ALL.iter().position(|s| *s == c.status).unwrap_or(0)] += 1;
    }
    let measure = super::volume::fluctuation_measure(conn)?;
    let mut fluctuations = fluctuations(conn, month, &customers, measure)?;
    let (mut top, mut key_table) = top_and_key_customers(conn, month, &customers)?;

    let (unit_condition, _) = scope_condition(scope, "unit_id");
    let mut trend = trend(conn, month, &unit_condition, &args)?;
    let headline = headline(conn, month, scope, &trend)?;
    let mut by_line = by_line(conn, month, &unit_condition, &args)?;
    if !entered {
        // Nothing of this month is in the ledger: every customer's zero would
        // read as a fall (−100%), a loss or a fluctuation to explain.
        for list in [&mut new_customers, &mut churned, &mut top, &mut key_table] {
            list.clear();
        }
        fluctuations.clear();
        by_line.clear();
        trend.retain(|(m, _)| ledger_month.is_some_and(|last| *m <= last));
    }

    Ok(MonthlyAnalysis {
        month,
        scope,
        ledger_month,
        entered,
        headline,
        customers: customers.len(),
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

/// Fills in each customer's revenue for `month`, the month before and the same
/// month a year ago; returns each customer's revenue over `recent` (oldest first).
fn fill_months(
    conn: &Conn,
    month: Month,
    recent: &[Month],
    customers: &mut [CustomerFigures],
) -> Result<Vec<Vec<Money>>, DbError> {
    let mut months: Vec<Month> = recent.to_vec();
    months.push(month.year_ago());
    let amounts = month_amounts(conn, &months, customers)?;
    let zero = vec![Money::ZERO; months.len()];
    let at = |i: usize, m: Month| -> Money {
        let row = amounts.get(&i).unwrap_or(&zero);
        months.iter().position(|x| *x == m).map_or(Money::ZERO, |p| row[p])
    };
    for (i, c) in customers.iter_mut().enumerate() {
        c.month = at(i, month);
        c.previous = at(i, month.prev());
        c.year_ago = at(i, month.year_ago());
    }
    Ok((0..customers.len()).map(|i| recent.iter().map(|m| at(i, *m)).collect()).collect())
}

/// The customers new this month (revenue after none before), and those that
/// became churned this month, from each one's revenue `rows` over `recent`.
fn new_and_churned(
    conn: &Conn,
    customers: &[CustomerFigures],
    recent: &[Month],
    rows: &[Vec<Money>],
    rules: &StatusRules,
) -> Result<(Vec<CustomerFigures>, Vec<CustomerFigures>), DbError> {
    let mut new_customers = Vec::new();
    let mut churned = Vec::new();
    for (c, row) in customers.iter().zip(rows) {
        let quiet_before = row[..row.len() - 1].iter().all(|a| a.to_fen() <= 0);
        let needs_history = quiet_before;
        let had_before = if needs_history {
            conn.row(
                "SELECT EXISTS (SELECT 1 FROM revenue_month WHERE customer_id = ?1 AND month < ?2 AND amount > 0)",
                args![c.id, recent[0].key()],
                |r| r.get(0),
            )?
        } else {
            false
        };
        if c.month.to_fen() > 0 && quiet_before && !had_before {
            new_customers.push(c.clone());
        }
        let now = rules.status(&row[1..], had_before || row[0].to_fen() > 0);
        let then = rules.status(&row[..row.len() - 1], had_before);
        if now == CustomerStatus::Churned && then != CustomerStatus::Churned {
            churned.push(c.clone());
        }
    }
    Ok((new_customers, churned))
}

/// The figures of each tier that has customers, highest first.
fn tier_figures(customers: &[CustomerFigures]) -> Vec<TierFigures> {
    let mut by_tier: Vec<TierFigures> = Vec::new();
    for tier in Tier::ALL {
        let of_tier: Vec<&CustomerFigures> = customers.iter().filter(|c| c.tier == tier).collect();
        if of_tier.is_empty() {
            continue;
        }
        by_tier.push(TierFigures {
            tier,
            customers: of_tier.len(),
            month: sum(of_tier.iter().map(|c| c.month)),
            previous: sum(of_tier.iter().map(|c| c.previous)),
            year_ago: sum(of_tier.iter().map(|c| c.year_ago)),
        });
    }
    by_tier
}

/// The customers whose revenue moved past the limit against the month before
/// (one-off customers aside), with their explanations: unexplained first, then
/// the largest moves.
fn fluctuations(
    conn: &Conn,
    month: Month,
    customers: &[CustomerFigures],
    measure: FluctuationMeasure,
) -> Result<Vec<Fluctuation>, DbError> {
    let notes = explanations(conn, month)?;
    // On volume: every customer's pieces this month and the month before.
    let pieces = match measure {
        FluctuationMeasure::Revenue => None,
        FluctuationMeasure::Volume => {
            Some((super::volume::month_pieces(conn, month)?, super::volume::month_pieces(conn, month.prev())?))
        }
    };
    let mut fluctuations: Vec<Fluctuation> = customers
        .iter()
        .filter(|c| !c.one_off)
        .filter_map(|c| {
            let (change, pieces) = match &pieces {
                None => (fluctuation(c.month, c.previous, FLUCTUATION_LIMIT)?, None),
                Some((now, before)) => {
                    let (now, before) = (now.get(&c.id).copied().unwrap_or(0), before.get(&c.id).copied().unwrap_or(0));
                    (volume_fluctuation(now, before, FLUCTUATION_LIMIT)?, Some((now, before)))
                }
            };
            let note = notes.get(&c.id);
            Some(Fluctuation {
                customer: c.clone(),
                change,
                pieces,
                explanation: note.map(|(text, _)| text.clone()),
                explained_by: note.map(|(_, by)| by.clone()),
            })
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

/// The ten customers with the most revenue this month, and the key customers'
/// table: those ten and every customer of silver or above with revenue, with
/// their year to date.
fn top_and_key_customers(
    conn: &Conn,
    month: Month,
    customers: &[CustomerFigures],
) -> Result<(Vec<CustomerFigures>, Vec<CustomerFigures>), DbError> {
    let mut ranked: Vec<&CustomerFigures> = customers.iter().filter(|c| c.month.to_fen() > 0).collect();
    ranked.sort_by(|a, b| b.month.cmp(&a.month).then_with(|| a.id.cmp(&b.id)));
    let top: Vec<CustomerFigures> = ranked.iter().take(10).map(|c| (*c).clone()).collect();
    let silver_rank = Tier::Silver.rank();
    let mut key_table: Vec<CustomerFigures> = ranked
        .iter()
        .enumerate()
        .filter(|(i, c)| *i < 10 || c.tier.rank() <= silver_rank)
        .map(|(_, c)| (*c).clone())
        .collect();
    fill_year_to_date(conn, month, &mut key_table)?;
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

fn in_scope(conn: &Conn, condition: &str, args: &[Value]) -> Result<Vec<CustomerFigures>, DbError> {
    let sql = format!(
        "SELECT c.id, c.short_name, c.tier, c.owner_a, c.unit_id, c.status, c.one_off FROM customer c \
         WHERE c.archived = 0 AND {condition} ORDER BY c.id"
    );
    conn.rows(&sql, &bound(args), |r| {
        Ok(CustomerFigures {
            id: r.get(0)?,
            short_name: r.get(1)?,
            tier: Tier::from_code(r.text(2)?).unwrap_or(Tier::General),
            owner_a: r.get(3)?,
            unit_id: r.get(4)?,
            status: CustomerStatus::from_code(r.text(5)?).unwrap_or(CustomerStatus::Normal),
            one_off: r.get(6)?,
            month: Money::ZERO,
            previous: Money::ZERO,
            year_ago: Money::ZERO,
            year_to_date: None,
        })
    })
}

/// Each in-scope customer's totals for `months` (by customer index, parallel to
/// `months`). `customers` is sorted by ID and each month's rows come in ID order
/// from the index, so one merge pass per month matches them without hashing.
fn month_amounts(
    conn: &Conn,
    months: &[Month],
    customers: &[CustomerFigures],
) -> Result<HashMap<usize, Vec<Money>>, DbError> {
    let mut out: HashMap<usize, Vec<Money>> = HashMap::new();
    for (p, month) in months.iter().enumerate() {
        let mut i = 0;
        conn.rows(
            "SELECT customer_id, amount FROM revenue_month WHERE month = ?1 AND amount <> 0 ORDER BY customer_id",
            args![month.key()],
            |row| {
                // Borrowed, not copied: this runs for every customer's every month.
                let id = row.text(0)?;
                while i < customers.len() && customers[i].id.as_str() < id {
                    i += 1;
                }
                if i < customers.len() && customers[i].id.as_str() == id {
                    let amount: Money = row.get(1)?;
                    out.entry(i).or_insert_with(|| vec![Money::ZERO; months.len()])[p] = amount;
                }
                Ok(())
            },
        )?;
    }
    Ok(out)
}

fn fill_year_to_date(conn: &Conn, month: Month, rows: &mut [CustomerFigures]) -> Result<(), DbError> {
    for c in rows {
        c.year_to_date = Some(conn.row(
            "SELECT coalesce(sum(amount), 0) FROM revenue_month WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3",
            args![c.id, month.january().key(), month.key()],
            |r| r.get(0),
        )?);
    }
    Ok(())
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

/// Explanations written for `month`: customer → (text, author's name).
fn explanations(conn: &Conn, month: Month) -> Result<HashMap<CustomerId, (String, String)>, DbError> {
    let rows = conn.rows(
        "SELECT f.customer_id, f.explanation, coalesce(s.name, '') FROM fluctuation_note f \
         LEFT JOIN staff s ON s.id = f.written_by WHERE f.month = ?1",
        args![month.key()],
        |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
    )?;
    Ok(rows.into_iter().collect())
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
