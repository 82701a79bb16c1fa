//! `kam complaints`: complaints as plain text, overdue first.

use chrono::NaiveDateTime;

use crate::db::complaints::{ComplaintFilter, list};
use crate::db::reference::Reference;
use crate::domain::staff::Staff;
use crate::i18n::{Lang, complaint_category_label, complaint_status_label};
use crate::review::lines::complaint_due;
use crate::review::responsibility;

/// The complaints the user answers for (a supervisor: the unit's), as text.
pub fn complaints_text(
    conn: &crate::db::Conn,
    reference: &Reference,
    user: &Staff,
    now: NaiveDateTime,
    lang: Lang,
    overdue_only: bool,
) -> Result<String, crate::db::DbError> {
    let t = lang.text();
    let (owner, unit) = responsibility(user);
    let filter = ComplaintFilter {
        open_only: true,
        overdue_at: overdue_only.then_some(now),
        mine: owner,
        unit,
        ..Default::default()
    };
    let rows = list(conn, &filter, now, 500)?;
    let heading = if overdue_only { t.complaints_overdue_heading } else { t.complaints_heading };
    let mut out = format!("{} · {} · {} ({})\n\n", t.app_name, heading, now.format("%Y-%m-%d %H:%M"), rows.len());
    for c in rows {
        let (due, _) = complaint_due(lang, &c, now);
        let handler = c.handler_id.and_then(|h| reference.staff(h)).map(|s| s.name.as_str()).unwrap_or("—");
        out.push_str(&format!(
            "{} {} {} · {} · {} · {} · {}\n    {}\n",
            c.number,
            c.received_at.format("%m-%d %H:%M"),
            crate::domain::validate::sanitize_text(&c.customer_name),
            lang.pick(complaint_category_label(c.category)),
            lang.pick(complaint_status_label(c.state, c.satisfaction)),
            handler,
            due,
            crate::domain::validate::sanitize_text(&c.description),
        ));
    }
    Ok(out)
}
