//! `kam receivable --customer ID [--month YYYY-MM --line CODE (--unpaid YUAN
//! [--paid-on DATE] | --paid-on DATE)]`: revenue not yet collected (应收未收,
//! SPEC §10.2's late money) entered by hand, beside `kam import receivables`.
//! Without `--month` it lists the customer's receivables; with `--unpaid` it
//! sets what is unpaid of that month's line; with `--paid-on` alone it
//! records the day the money came in (what was owed stays in the record).

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use super::CommandEnv;
use crate::db::appraisal::{NewReceivable, mark_paid, receivables_of, set_receivable};
use crate::domain::id::CustomerId;
use crate::domain::money::parse_amount;
use crate::domain::revenue::Month;
use crate::i18n::fill;

/// What the flags ask.
pub struct Ask<'a> {
    pub customer: &'a str,
    pub month: Option<&'a str>,
    pub line: Option<&'a str>,
    pub unpaid: Option<&'a str>,
    pub paid_on: Option<&'a str>,
}

pub fn run(env: &mut CommandEnv, ask: &Ask<'_>) -> Result<()> {
    let t = env.lang.text();
    let lang = env.lang;
    let customer = CustomerId::parse(ask.customer.trim())
        .map_err(|e| anyhow!(fill(t.receivable_bad_customer, &[&ask.customer, &crate::ui::id_error_text(lang, &e)])))?;
    let Some(month) = ask.month else {
        for r in receivables_of(env.store.conn(), &customer)? {
            let line = env.reference.service_line(r.service_line_id).map_or(String::new(), |l| l.code.clone());
            let paid = r.paid_on.map_or_else(|| t.receivable_unpaid.to_string(), |d| fill(t.receivable_paid_on, &[&d]));
            crate::out!("{}  {line}  {}  {paid}\n", r.month, r.unpaid.format_yuan());
        }
        return Ok(());
    };
    let month = Month::parse(month)
        .map_err(|why| anyhow!(fill(t.report_bad_month, &[&month, &crate::ui::month_error_text(lang, why)])))?;
    let code = ask.line.ok_or_else(|| anyhow!(t.receivable_needs_line))?;
    let line = env
        .reference
        .service_lines
        .iter()
        .find(|l| l.code.eq_ignore_ascii_case(code.trim()) || l.name_zh == code.trim())
        .ok_or_else(|| anyhow!(fill(t.receivable_unknown_line, &[&code])))?
        .id;
    let paid_on = ask
        .paid_on
        .map(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d"))
        .transpose()
        .map_err(|_| anyhow!(fill(t.receivable_bad_date, &[&ask.paid_on.unwrap_or_default()])))?;
    let actor = env.actor.clone();
    let written = match (ask.unpaid, paid_on) {
        (Some(unpaid), paid_on) => {
            let unpaid = parse_amount(unpaid).map_err(|e| {
                anyhow!(crate::ui::field_error_text(lang, &crate::domain::validate::FieldError::Amount(e)))
            })?;
            let r = NewReceivable { customer_id: customer.clone(), month, service_line_id: line, unpaid, paid_on };
            set_receivable(&mut env.store, &actor, &r)
        }
        (None, Some(day)) => mark_paid(&mut env.store, &actor, &customer, month, line, day),
        (None, None) => bail!(t.receivable_needs_what),
    };
    match written {
        Err(crate::db::DbError::NotFound) => bail!(fill(t.receivable_none, &[&customer, &month, &code])),
        // Refusals and invalid values are put in the user's words where the command ends.
        other => other?,
    }
    crate::errln!("{}", fill(t.receivable_written, &[&customer, &month, &code]));
    Ok(())
}
