//! `kam requests`: service requests for a morning mail (SPEC §9), as text or
//! as JSON (schema `kam-requests/1`, README: every request with when it was
//! received, its area, whether it is a special case, when it is due, its
//! status and whether it was met, late or is overdue, so the rule can be
//! checked).

use chrono::{NaiveDateTime, NaiveTime};
use serde::Serialize;

use crate::db::reference::Reference;
use crate::db::requests::{RequestFilter, ServiceRequest, list};
use crate::domain::staff::Staff;
use crate::domain::validate::sanitize_text as clean;
use crate::i18n::{Lang, area_label, request_kind_label, request_status_label};
use crate::review::lines::request_due;
use crate::review::responsibility;

pub const SCHEMA: &str = "kam-requests/1";

/// Requests printed at most.
const LIMIT: u64 = 5000;

/// The requests the user answers for (a manager: their customers' and those
/// they received and have yet to pass on; anyone else: their unit's): every
/// open one, overdue first,
/// and those done or cancelled since the start of yesterday; with
/// `overdue_only`, the open ones past their due day alone.
pub fn requests_for(
    conn: &crate::db::Conn,
    user: &Staff,
    now: NaiveDateTime,
    overdue_only: bool,
) -> Result<Vec<ServiceRequest>, crate::db::DbError> {
    let (to_do_of, unit) = responsibility(user);
    let yesterday = now.date().pred_opt().unwrap_or(now.date()).and_time(NaiveTime::MIN);
    let filter = RequestFilter {
        overdue_at: overdue_only.then_some(now),
        open_or_closed_since: (!overdue_only).then_some(yesterday),
        to_do_of,
        unit,
        ..Default::default()
    };
    list(conn, &filter, now, LIMIT)
}

/// The requests as text, a block each.
pub fn requests_text(
    reference: &Reference,
    rows: &[ServiceRequest],
    now: NaiveDateTime,
    lang: Lang,
    overdue: bool,
) -> String {
    let t = lang.text();
    let heading = if overdue { t.requests_overdue_heading } else { t.requests_heading };
    let mut out = format!("{} · {} · {} ({})\n\n", t.app_name, heading, now.format("%Y-%m-%d %H:%M"), rows.len());
    for r in rows {
        let (due, _) = request_due(lang, r, now);
        let owner = reference.staff(r.owner_a).map(|s| s.name.as_str()).unwrap_or("—");
        let special = if r.special { format!(" · {}", t.req_special_mark) } else { String::new() };
        out.push_str(&format!(
            "{} {} {} · {} · {}{special} · {} · {} · {}\n    {}\n",
            r.number,
            r.received_at.format("%m-%d %H:%M"),
            clean(&r.customer_name),
            lang.pick(request_kind_label(r.kind)),
            lang.pick(area_label(r.area)),
            lang.pick(request_status_label(r.status)),
            owner,
            due,
            clean(&r.description),
        ));
    }
    out
}

#[derive(Debug, Serialize)]
pub struct Document {
    pub schema: &'static str,
    /// The moment the standings are judged at, the bureau's time.
    pub now: String,
    pub requests: Vec<RequestOut>,
}

/// One request: codes in English (`city`, `pickup`, `done`), times in the
/// bureau's zone as `YYYY-MM-DD HH:MM:SS`.
#[derive(Debug, Serialize)]
pub struct RequestOut {
    pub number: String,
    pub customer_id: String,
    pub customer: String,
    pub received_at: String,
    pub channel: &'static str,
    pub kind: &'static str,
    pub mode: &'static str,
    /// `city` or `rural`.
    pub area: &'static str,
    pub special: bool,
    pub special_reason: Option<String>,
    /// The end of the due day.
    pub due_at: String,
    /// `open`, `notified`, `in_progress`, `done` or `cancelled`.
    pub status: &'static str,
    /// `met`, `late`, `overdue`, `pending` (open, in time) or `cancelled`.
    pub standing: &'static str,
    pub notified_at: Option<String>,
    pub phone_contact_at: Option<String>,
    pub done_at: Option<String>,
    pub result: Option<String>,
    pub account_manager: Option<String>,
    pub requester: String,
    pub description: String,
}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The requests as the `kam-requests/1` document.
pub fn requests_json(reference: &Reference, rows: &[ServiceRequest], now: NaiveDateTime) -> Document {
    let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    Document {
        schema: SCHEMA,
        now: stamp(now),
        requests: rows
            .iter()
            .map(|r| RequestOut {
                number: r.number.clone(),
                customer_id: r.customer_id.to_string(),
                customer: r.customer_name.clone(),
                received_at: stamp(r.received_at),
                channel: r.channel.code(),
                kind: r.kind.code(),
                mode: r.mode.code(),
                area: r.area.code(),
                special: r.special,
                special_reason: some(&r.special_reason),
                due_at: stamp(r.due_at),
                status: r.status.code(),
                standing: r.standing(now).code(),
                notified_at: r.notified_at.map(stamp),
                phone_contact_at: r.phone_contact_at.map(stamp),
                done_at: r.done_at.map(stamp),
                result: some(&r.result),
                account_manager: reference.staff(r.owner_a).map(|s| s.name.clone()),
                requester: r.requester.clone(),
                description: r.description.clone(),
            })
            .collect(),
    }
}
