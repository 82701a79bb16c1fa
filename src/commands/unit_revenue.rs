//! `kam unit-revenue [--unit CODE] [--period 2026|2026-10 --amount YUAN]`: the
//! units' own revenue, which the tier shares and the analysis divide by.

use std::fmt::Write;

use anyhow::{Result, anyhow, bail};

use super::CommandEnv;
use crate::db::period::{set_unit_period_revenue_in, unit_period_totals};
use crate::db::revenue::{set_unit_revenue, unit_figures};
use crate::domain::money::parse_amount;
use crate::domain::period::Period;
use crate::domain::revenue::Month;

pub fn run(env: &mut CommandEnv, unit: Option<&str>, period: Option<&str>, amount: Option<&str>) -> Result<()> {
    let units: Vec<_> = match unit {
        Some(code) => vec![env.reference.units.iter().find(|u| u.code == code).cloned().ok_or_else(|| {
            let codes: Vec<&str> = env.reference.units.iter().map(|u| u.code.as_str()).collect();
            anyhow!("unknown unit '{code}'; units: {}", codes.join(", "))
        })?],
        None => env.reference.units.clone(),
    };
    if let (Some(period), Some(amount)) = (period, amount) {
        let [unit] = units.as_slice() else { bail!("--period needs --unit CODE") };
        let amount = parse_amount(amount).map_err(|e| anyhow!("--amount '{amount}': {e}"))?;
        // A year is four digits; anything else must be exactly one month.
        let year = Some(period.trim()).filter(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()));
        // A period of months of one year (2003-01..2003-10, 2003年1-10月累计) is kept as its total.
        if year.is_none()
            && let Ok(total) =
                Period::parse(period).map_err(|_| ()).and_then(|p| if p.len() > 1 { Ok(p) } else { Err(()) })
        {
            let id = unit.id;
            let actor = env.actor.clone();
            env.store
                .write(|tx| set_unit_period_revenue_in(tx, &actor, id, total, amount))
                .map_err(|e| anyhow!(crate::ui::db_error_text(env.lang, &e)))?;
            crate::out!("{}", crate::ui::widgets::text::clean_lines(&listing(env, &units)?));
            return Ok(());
        }
        let (year, month) = match year.and_then(|y| Month::new(y.parse().ok()?, 1)) {
            Some(january) => (january.year(), None),
            None => {
                let t = env.lang.text();
                let month = Month::parse(period).map_err(|why| {
                    anyhow!(crate::i18n::fill(
                        t.unit_revenue_bad_period,
                        &[&period, &crate::ui::month_error_text(env.lang, why)]
                    ))
                })?;
                (month.year(), Some(month.month()))
            }
        };
        set_unit_revenue(&mut env.store, &env.actor, unit.id, year, month, amount)?;
    }
    crate::out!("{}", crate::ui::widgets::text::clean_lines(&listing(env, &units)?));
    Ok(())
}

fn listing(env: &CommandEnv, units: &[crate::db::reference::Unit]) -> Result<String> {
    let mut out = String::new();
    for unit in units {
        let (mut monthly, mut yearly) = unit_figures(env.store.conn(), unit.id)?;
        yearly.sort_by_key(|(y, _)| *y);
        monthly.sort_by_key(|(m, _)| *m);
        let _ = writeln!(out, "{} {}", unit.code, unit.name);
        for (year, amount) in yearly {
            let _ = writeln!(out, "  {year}     {:>20}", amount.format_yuan());
        }
        for (month, amount) in monthly {
            let _ = writeln!(out, "  {month}  {:>20}", amount.format_yuan());
        }
        for (period, amount) in unit_period_totals(env.store.conn(), unit.id)? {
            let not_split = env.lang.text().period_not_split;
            let _ = writeln!(out, "  {period}  {:>20}  {not_split}", amount.format_yuan());
        }
    }
    Ok(out)
}
