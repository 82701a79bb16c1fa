//! `kam agenda`: the Today review as plain text.

use chrono::{NaiveDateTime, NaiveTime};

use crate::db::reference::Reference;
use crate::domain::staff::Staff;
use crate::domain::visit_standard::StandardPreset;
use crate::i18n::{Lang, role_label, weekday_label};
use crate::review::day_review;
use crate::review::lines::{Target, review_lines};

/// The review of `now`'s day for `user`, as text lines ready to print.
pub fn agenda_text(
    conn: &crate::db::Conn,
    reference: &Reference,
    user: &Staff,
    now: NaiveDateTime,
    lang: Lang,
    standard: StandardPreset,
) -> Result<String, crate::db::DbError> {
    let review = day_review(conn, user, now, standard)?;
    let t = lang.text();
    let day = now.date();
    use chrono::Datelike;
    let mut out = format!(
        "{} · {} {} · {} ({})\n",
        t.app_name,
        day.format("%Y-%m-%d"),
        lang.pick(weekday_label(day.weekday().num_days_from_monday() as usize)),
        user.name,
        lang.pick(role_label(user.role))
    );
    for line in review_lines(lang, reference, now, &review) {
        if matches!(line.target, Target::Heading) && !line.text.starts_with(' ') {
            out.push('\n');
        }
        out.push_str(line.text.trim_end());
        out.push('\n');
    }
    Ok(out)
}

/// The moment to review a given day at: now if it is today, else its morning.
pub fn review_moment(day: chrono::NaiveDate, now: NaiveDateTime) -> NaiveDateTime {
    if day == now.date() { now } else { day.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)) }
}
