//! `kam contracts [--ending DAYS | --waiting] [--json]`: the contracts of the
//! customers the user answers for (SPEC §12) — those ending soon for a
//! morning mail (renew or end them), those waiting for the user's approval,
//! or all that are not ended — as text, or as JSON (schema
//! `kam-contracts/1`) so that other programs, and the rules, can check them.

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::contracts::{self, Contract, ContractFilter};
use crate::db::reference::Reference;
use crate::domain::contract::days_left;
use crate::domain::staff::Staff;
use crate::i18n::{Lang, contract_kind_label, contract_status_label, days_left_text, fill, step_name, tier_label};
use crate::review::responsibility;

pub const SCHEMA: &str = "kam-contracts/1";

/// Which contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// In force and ending within this many days (or past their end).
    Ending(u32),
    /// Waiting on a step the user decides.
    Waiting,
    /// All that are not ended.
    Live,
}

/// The contracts asked for, as the lists read them.
pub fn read(
    conn: &crate::db::Conn,
    user: &Staff,
    today: NaiveDate,
    which: Which,
) -> Result<Vec<Contract>, crate::db::DbError> {
    let (owner, unit) = responsibility(user);
    match which {
        Which::Ending(days) => contracts::ending_within(conn, owner, unit, today, days, 1000),
        Which::Waiting => contracts::waiting_for(conn, user, 1000),
        Which::Live => contracts::list(conn, &ContractFilter { owner, unit, ..Default::default() }, 1000),
    }
}

/// One contract in the JSON: English keys, stored codes, dates as ISO
/// text, money as yuan with two decimals.
#[derive(Debug, Serialize)]
struct Item {
    number: String,
    customer_id: String,
    customer: String,
    kind: &'static str,
    tier: &'static str,
    status: &'static str,
    /// The step waited on (its name), while in approval.
    waiting_step: Option<String>,
    /// Every step approved: waiting for the signatures.
    chain_complete: bool,
    start_on: Option<String>,
    end_on: Option<String>,
    /// Days from the day asked about to the end date (negative once past).
    days_left: Option<i64>,
    value: Option<String>,
    signed_on: Option<String>,
    filed_on: Option<String>,
    /// Signed, platinum or above, not yet filed with the province.
    filing_due: bool,
    /// The customer's account manager (A), by name.
    account_manager: String,
}

#[derive(Debug, Serialize)]
struct Document {
    schema: &'static str,
    as_of: String,
    /// `ending`, `waiting` or `live`.
    which: &'static str,
    ending_within_days: Option<u32>,
    contracts: Vec<Item>,
}

pub fn json(reference: &Reference, rows: &[Contract], today: NaiveDate, which: Which) -> serde_json::Result<String> {
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let items = rows
        .iter()
        .map(|c| Item {
            number: c.terms.number.clone(),
            customer_id: c.terms.customer_id.to_string(),
            customer: c.customer_name.clone(),
            kind: c.terms.kind.code(),
            tier: c.terms.tier.code(),
            status: c.status.code(),
            waiting_step: c.waiting_step.clone(),
            chain_complete: c.approval().chain_complete(),
            start_on: day(c.terms.start_on),
            end_on: day(c.terms.end_on),
            days_left: c.terms.end_on.map(|end| days_left(end, today)),
            value: c.terms.value.map(|v| format!("{:.2}", v.yuan())),
            signed_on: day(c.signed_on),
            filed_on: day(c.filed_on),
            filing_due: c.filing_due(),
            account_manager: reference.staff(c.owner_a).map(|s| s.name.clone()).unwrap_or_default(),
        })
        .collect();
    let (name, days) = match which {
        Which::Ending(days) => ("ending", Some(days)),
        Which::Waiting => ("waiting", None),
        Which::Live => ("live", None),
    };
    serde_json::to_string_pretty(&Document {
        schema: SCHEMA,
        as_of: today.to_string(),
        which: name,
        ending_within_days: days,
        contracts: items,
    })
}

/// The contracts as text lines, for a morning mail.
pub fn text(lang: Lang, reference: &Reference, rows: &[Contract], today: NaiveDate, which: Which) -> String {
    let t = lang.text();
    let heading = match which {
        Which::Ending(days) => fill(t.contracts_heading_ending, &[&days]),
        Which::Waiting => t.today_contracts_waiting.to_string(),
        Which::Live => t.screen_contracts.to_string(),
    };
    let mut out = format!("{} · {} · {} ({})\n\n", t.app_name, heading, today, rows.len());
    for c in rows {
        let mut parts = vec![
            lang.pick(contract_kind_label(c.terms.kind)).to_string(),
            lang.pick(tier_label(c.terms.tier)).to_string(),
            lang.pick(contract_status_label(c.status)).to_string(),
        ];
        if let Some(step) = &c.waiting_step {
            parts.push(fill(t.contract_waiting_on, &[&step_name(lang, step)]));
        }
        if let Some(end) = c.terms.end_on {
            let left = if c.status.in_force() {
                format!(" ({})", days_left_text(lang, days_left(end, today)))
            } else {
                String::new()
            };
            parts.push(format!("{}{left}", end));
        }
        if let Some(v) = c.terms.value {
            parts.push(v.format_yuan());
        }
        if c.filing_due() {
            parts.push(t.contract_filing_due.to_string());
        }
        let owner = reference.staff(c.owner_a).map(|s| s.name.as_str()).unwrap_or("—");
        out.push_str(&crate::domain::validate::sanitize_text(&format!(
            "{} {} [{owner}] · {}",
            c.terms.number,
            c.customer_name,
            parts.join(" · ")
        )));
        out.push('\n');
    }
    out
}

/// Reads one step as the command line writes it: `NAME=ROLE@BODY`.
pub fn parse_step(text: &str) -> Option<crate::domain::contract::ChainStep> {
    use crate::domain::contract::{ChainStep, StepScope};
    use crate::domain::staff::Role;
    let (name, rest) = text.rsplit_once('=')?;
    let (role, scope) = rest.split_once('@')?;
    let role = Role::from_code(role.trim()).filter(|r| matches!(r, Role::Supervisor | Role::Leader))?;
    let scope = StepScope::from_code(scope.trim())?;
    let name = name.trim();
    (!name.is_empty()).then(|| ChainStep { name: name.to_string(), role, scope })
}

/// `kam contracts --chains`: sets `tier`'s chain to `steps` when given (the
/// administrator), then prints every tier's chain.
pub fn chains(env: &mut super::CommandEnv, tier: Option<&str>, steps: &[String]) -> anyhow::Result<()> {
    use crate::domain::tier::Tier;
    use crate::i18n::{role_label, step_scope_label};
    let lang = env.lang;
    let t = lang.text();
    if let Some(tier) = tier {
        let Some(tier) = Tier::from_code(tier.trim()) else { anyhow::bail!(fill(t.chain_bad_tier, &[&tier])) };
        let mut parsed = Vec::new();
        for step in steps {
            match parse_step(step) {
                Some(s) => parsed.push(s),
                None => anyhow::bail!(fill(t.chain_bad_step, &[step])),
            }
        }
        contracts::set_chain(&mut env.store, &env.actor, tier, &parsed)
            .map_err(|e| anyhow::anyhow!(crate::ui::db_error_text(lang, &e)))?;
    }
    for (tier, steps, set) in contracts::chains(env.store.conn())? {
        let whose = if set { t.chain_set_by_bureau } else { t.chain_default };
        crate::outln!("{} ({whose})", lang.pick(tier_label(tier)));
        for (i, s) in steps.iter().enumerate() {
            crate::outln!(
                "  {}. {} — {} · {}",
                i + 1,
                step_name(lang, &s.name),
                lang.pick(role_label(s.role)),
                lang.pick(step_scope_label(s.scope))
            );
        }
    }
    Ok(())
}
