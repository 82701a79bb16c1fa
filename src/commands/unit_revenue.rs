//! `kam unit-revenue [--unit CODE] [--period 2026|2026-10 --amount YUAN]`: the
//! units' own revenue, which the tier shares and the analysis divide by.

use std::fmt::Write;

use anyhow::{Result, anyhow, bail};

use super::CommandEnv;
use crate::db::revenue::{set_unit_revenue, unit_figures};
use crate::domain::money::parse_amount;
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
        let (year, month) = match Month::parse(period) {
            Some(m) => (m.year(), Some(m.month())),
            None => {
                let year: i32 = period
                    .trim()
                    .parse()
                    .map_err(|_| anyhow!("--period '{period}': use a year (2026) or a month (2026-10)"))?;
                Month::new(year, 1).ok_or_else(|| anyhow!("--period '{period}' is out of range"))?;
                (year, None)
            }
        };
        set_unit_revenue(&mut env.store, &env.actor, unit.id, year, month, amount)?;
    }
    print!("{}", crate::ui::widgets::text::clean_lines(&listing(env, &units)?));
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
    }
    Ok(out)
}
