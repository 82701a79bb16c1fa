//! `kam history --customer ID`: a customer's change history as text, newest
//! first, the same lines the dossier's history tab shows.

use std::fmt::Write;

use anyhow::{Result, anyhow};

use super::CommandEnv;
use crate::db::history::{count_for_customer, for_customer};
use crate::domain::id::CustomerId;
use crate::ui::screens::dossier::tabs::history_text;

/// Rows read per query: the history of a busy customer runs to thousands.
const PAGE: u64 = 500;

pub fn run(env: &CommandEnv, customer: &str) -> Result<()> {
    let id = CustomerId::parse(customer.trim())
        .map_err(|e| anyhow!("--customer '{customer}': {}", crate::ui::id_error_text(env.lang, &e)))?;
    let conn = env.store.conn();
    let total = count_for_customer(conn, &id)?;
    let mut out = std::io::stdout().lock();
    let mut offset = 0;
    while offset < total {
        let mut text = String::new();
        for row in for_customer(conn, &id, offset, PAGE)? {
            let change = history_text(env.lang, &env.reference, &row);
            let who = crate::i18n::history_who(env.lang, &row.changed_by, row.acted_by.as_deref());
            let _ = writeln!(text, "{}  {}  {}", row.changed_at, who, change);
        }
        // Written a page at a time (not through out!), cleaned the same way.
        std::io::Write::write_all(&mut out, crate::ui::widgets::text::clean_lines(&text).as_bytes())?;
        offset += PAGE;
    }
    if total == 0 {
        crate::errln!("{}", crate::i18n::fill(env.lang.text().history_none_for, &[&id.as_str()]));
    }
    Ok(())
}
