//! The day's review as plain lines: drawn by the Today screen and printed by
//! `kam agenda`, so both say the same thing.

use chrono::{Datelike, NaiveDateTime};

use super::{DayReview, OccasionKind};
use crate::db::complaints::Complaint;
use crate::db::reference::Reference;
use crate::db::visits::Visit;
use crate::domain::complaint::{TimeLeft, time_left};
use crate::domain::id::CustomerId;
use crate::domain::validate::sanitize_text as clean;
use crate::domain::visit::VisitState;
use crate::i18n::{Lang, complaint_status_label, fill, participant_label, tier_label, visit_kind_label, weekday_label};
use crate::theme::Slot;

/// What a line of the review leads to.
#[derive(Debug, Clone)]
pub enum Target {
    Heading,
    Visit(Box<Visit>),
    Customer(CustomerId),
    /// A holiday: greetings to plan (no single customer).
    Greeting,
    /// A supervisor's comment on one of the user's log entries: the entry's id.
    Comment(i64),
    /// An analysis report due.
    Report(crate::db::analysis_report::ReportKey),
    /// A service request due today or overdue: its id.
    Request(i64),
    /// A contract waiting for approval or ending soon.
    Contract(i64),
    /// A customer's marketing plans (due, missing, or to review): the dossier's plans tab.
    Plans(CustomerId),
    /// A prospect whose pipeline step is overdue: the pipeline screen on it.
    Prospect(CustomerId),
}

#[derive(Debug, Clone)]
pub struct ReviewLine {
    pub text: String,
    /// Theme slot the line is drawn in.
    pub slot: Slot,
    pub target: Target,
}

/// What the text needs to know about the reader.
struct Env<'a> {
    lang: Lang,
    reference: &'a Reference,
    now: NaiveDateTime,
}

fn staff_name(reference: &Reference, id: i64) -> String {
    reference.staff(id).map(|s| s.name.clone()).unwrap_or_default()
}

fn visit_text(ctx: &Env, v: &Visit, unit_wide: bool, with_date: bool) -> String {
    let st = v.status(ctx.now);
    let when = if with_date {
        v.planned_at.format("%m-%d %H:%M").to_string()
    } else {
        v.planned_at.format("%H:%M").to_string()
    };
    let who = if unit_wide { format!("[{}] ", staff_name(ctx.reference, v.owner_id)) } else { String::new() };
    clean(&format!(
        "  {when} {} {who}{} {} {}",
        st.marker(),
        ctx.lang.pick(visit_kind_label(v.kind)),
        v.customer_name,
        v.purpose
    ))
}

/// Which part of the review a section is; the Today screen remembers which
/// ones the user unfolded by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    Today,
    Overdue,
    Registrations,
    /// Analysis reports due or overdue (supervisors).
    Reports,
    /// Marketing plans missing or due (SPEC §13.2).
    Plans,
    /// Marketing plans waiting for the supervisor's review.
    PlanReviews,
    Behind,
    Occasions,
    Comments,
    /// Service requests due today or overdue.
    Requests,
    Complaints,
    FollowUps,
    Stale,
    /// Contracts waiting for the user's approval (SPEC §12).
    ContractsWaiting,
    /// Contracts ending within 60 days.
    ContractsEnding,
    /// Development-pipeline steps past due (SPEC §13.5).
    Pipeline,
}

/// One section of the review: its heading ("今日拜访 (2)") and its lines.
#[derive(Debug, Clone)]
pub struct ReviewSection {
    pub kind: SectionKind,
    pub heading: ReviewLine,
    pub items: Vec<ReviewLine>,
    /// How many the heading counts: more than `items` when the list was cut
    /// at [`super::SECTION_LIMIT`].
    pub total: usize,
    /// The count stopped: there are more than `total - 1` (the heading says
    /// "over N").
    pub over: bool,
}

/// The review as lines of text, in the user's language: each section's
/// heading, then its lines or "nothing".
pub fn review_lines(lang: Lang, reference: &Reference, now: NaiveDateTime, r: &DayReview) -> Vec<ReviewLine> {
    let mut lines = Vec::new();
    for section in review_sections(lang, reference, now, r) {
        lines.push(section.heading);
        if section.items.is_empty() {
            lines.push(nothing_line(lang));
        }
        lines.extend(section.items);
    }
    lines
}

/// The muted "nothing" line under an empty section's heading.
pub fn nothing_line(lang: Lang) -> ReviewLine {
    ReviewLine { text: format!("  {}", lang.text().today_nothing), slot: Slot::Muted, target: Target::Heading }
}

/// The review as sections, in the order they are read. Sections that only
/// some people have (new comments, follow-ups, registrations to decide) are
/// left out when empty; the others stay, so "nothing overdue" is said.
pub fn review_sections(lang: Lang, reference: &Reference, now: NaiveDateTime, r: &DayReview) -> Vec<ReviewSection> {
    let c = Env { lang, reference, now };
    let ctx = &c;
    let t = lang.text();
    let mut sections = Vec::new();
    let section = |kind: SectionKind, title: &str, total: usize, items: Vec<ReviewLine>| ReviewSection {
        kind,
        heading: ReviewLine { text: format!("{title} ({total})"), slot: Slot::Header, target: Target::Heading },
        items,
        total,
        over: false,
    };

    let items = r
        .today
        .iter()
        .map(|v| ReviewLine {
            text: visit_text(ctx, v, r.unit_wide, false),
            slot: if v.state == VisitState::Done { Slot::VisitDone } else { Slot::VisitPlanned },
            target: Target::Visit(Box::new(v.clone())),
        })
        .collect();
    sections.push(section(SectionKind::Today, t.today_visits, r.today.len(), items));

    let items = r
        .overdue
        .iter()
        .map(|v| ReviewLine {
            text: visit_text(ctx, v, r.unit_wide, true),
            slot: Slot::VisitOverdue,
            target: Target::Visit(Box::new(v.clone())),
        })
        .collect();
    sections.push(section(SectionKind::Overdue, t.today_overdue, r.overdue.len(), items));

    if r.registrations_total > 0 {
        let total = usize::try_from(r.registrations_total).unwrap_or(usize::MAX);
        sections.push(section(SectionKind::Registrations, t.today_registrations, total, registration_lines(ctx, r)));
    }
    if !r.reports_due.is_empty() {
        sections.push(section(SectionKind::Reports, t.today_reports, r.reports_due.len(), report_lines(ctx, r)));
    }
    if !r.contracts_waiting.is_empty() {
        let (n, items) = (r.contracts_waiting.len(), contract_waiting_lines(ctx, r));
        sections.push(section(SectionKind::ContractsWaiting, t.today_contracts_waiting, n, items));
    }
    if !r.contracts_ending.is_empty() {
        let title = fill(t.today_contracts_ending, &[&crate::domain::contract::ENDING_SOON_DAYS]);
        let (n, items) = (r.contracts_ending.len(), contract_ending_lines(ctx, r));
        sections.push(section(SectionKind::ContractsEnding, &title, n, items));
    }
    if !r.plans_to_review.is_empty() {
        let items = plan_review_lines(ctx, r);
        sections.push(section(SectionKind::PlanReviews, t.today_plan_reviews, r.plans_to_review.len(), items));
    }
    let mut behind = section(SectionKind::Behind, t.today_behind, r.behind_total, behind_lines(ctx, r));
    if r.behind_total > super::BEHIND_CAP {
        behind.heading.text = format!("{} ({})", t.today_behind, fill(t.today_count_over, &[&super::BEHIND_CAP]));
        behind.over = true;
    }
    sections.push(behind);
    sections.push(section(SectionKind::Occasions, t.today_occasions, r.occasions.len(), occasion_lines(ctx, r)));
    if r.plans_total > 0 {
        sections.push(section(SectionKind::Plans, t.today_plans, r.plans_total, plan_lines(ctx, r)));
    }

    if !r.new_comments.is_empty() {
        let items = r
            .new_comments
            .iter()
            .map(|c| {
                let text = clean(&format!("  {} {} · {}: {}", c.at.format("%m-%d"), c.customer_name, c.by, c.comment));
                ReviewLine { text, slot: Slot::Accent, target: Target::Comment(c.log_id) }
            })
            .collect();
        sections.push(section(SectionKind::Comments, t.today_comments, r.new_comments.len(), items));
    }

    let requests_total = usize::try_from(r.requests_total).unwrap_or(usize::MAX);
    sections.push(section(SectionKind::Requests, t.today_requests, requests_total, request_lines(ctx, r)));

    if r.pipeline_overdue_total > 0 {
        let total = usize::try_from(r.pipeline_overdue_total).unwrap_or(usize::MAX);
        sections.push(section(SectionKind::Pipeline, t.today_pipeline, total, pipeline_lines(ctx, r)));
    }

    sections.push(section(SectionKind::Complaints, t.today_complaints, r.complaints.len(), complaint_lines(ctx, r)));

    if !r.follow_ups_due.is_empty() {
        let items = r
            .follow_ups_due
            .iter()
            .map(|c| {
                let text = clean(&format!("  {} {} · {}", c.number, c.customer_name, c.description));
                ReviewLine { text, slot: Slot::Warning, target: Target::Customer(c.customer_id.clone()) }
            })
            .collect();
        sections.push(section(SectionKind::FollowUps, t.today_follow_ups, r.follow_ups_due.len(), items));
    }

    let stale_total = usize::try_from(r.stale_total).unwrap_or(usize::MAX);
    sections.push(section(SectionKind::Stale, t.today_stale, stale_total, stale_lines(ctx, r)));
    sections
}

/// Registrations waiting for the supervisor's decision, oldest first.
fn registration_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    r.registrations
        .iter()
        .map(|g| {
            // The year only when it is not this one: some wait for months.
            let filed = if g.filed_at.year() == ctx.now.year() { "%m-%d" } else { "%Y-%m-%d" };
            let text = clean(&format!(
                "  {} [{}] {} · {}",
                g.filed_at.format(filed),
                staff_name(ctx.reference, g.owner_id),
                g.short_name,
                g.reason
            ));
            ReviewLine { text, slot: Slot::Warning, target: Target::Customer(g.customer_id.clone()) }
        })
        .collect()
}

/// Plans missing (alert) and due (warning): period, customer.
fn plan_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    use crate::domain::plan::Standing;
    let t = ctx.lang.text();
    r.plans
        .iter()
        .map(|g| {
            let (mark, slot) = match g.standing {
                Standing::Missing => (t.plan_missing, Slot::Alert),
                _ => (t.plan_due, Slot::Warning),
            };
            let period = crate::i18n::plan_period_label(ctx.lang, g.period);
            let text = clean(&format!("  {mark} {period} · {}", g.name));
            ReviewLine { text, slot, target: Target::Plans(g.customer.clone()) }
        })
        .collect()
}

/// Plans handed in and waiting for the reader's review, oldest first.
fn plan_review_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    r.plans_to_review
        .iter()
        .map(|p| {
            let period = crate::i18n::plan_period_label(ctx.lang, p.period);
            let on = p.submitted_on.map(|d| d.format("%m-%d").to_string()).unwrap_or_default();
            let text = clean(&format!("  {on} [{}] {} · {period} · {}", p.author, p.customer_name, p.text.goals));
            ReviewLine { text, slot: Slot::Warning, target: Target::Plans(p.customer_id.clone()) }
        })
        .collect()
}

/// Analysis reports due, soonest first: unit, month, what, status, deadline.
fn report_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    use crate::domain::analysis_report::ReportKind;
    let t = ctx.lang.text();
    let today = ctx.now.date();
    r.reports_due
        .iter()
        .map(|d| {
            let what = match d.key.kind {
                ReportKind::Monthly => t.ar_title,
                ReportKind::Quarterly => t.ar_title_quarterly,
            };
            let status = match d.status {
                Some(s) => crate::export::analysis_report::status_text(ctx.lang, s),
                None => t.ar_not_started,
            };
            let overdue = today > d.deadline;
            // The deadline first: a narrow screen cuts the end of the line.
            let mut due = fill(t.ar_deadline, &[&d.deadline.format("%m-%d")]);
            if overdue {
                due = format!("{due} {}", t.ar_overdue);
            }
            let text = format!("  {due} · {} {} {} · {status}", d.key.month, d.unit_name, what);
            let slot = if overdue { Slot::Alert } else { Slot::Warning };
            ReviewLine { text: clean(&text), slot, target: Target::Report(d.key) }
        })
        .collect()
}

/// Contracts waiting for the user's approval: number, customer, the step.
fn contract_waiting_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    r.contracts_waiting
        .iter()
        .map(|c| {
            let step = c.waiting_step.as_deref().map(|n| crate::i18n::step_name(ctx.lang, n)).unwrap_or_default();
            let who = if r.unit_wide { format!("[{}] ", staff_name(ctx.reference, c.owner_a)) } else { String::new() };
            let text = clean(&format!("  {who}{} {} · {step}", c.terms.number, c.customer_name));
            ReviewLine { text, slot: Slot::Warning, target: Target::Contract(c.id) }
        })
        .collect()
}

/// Contracts ending soon: how far off the end is first (a narrow screen
/// cuts the end of the line), then the number and the customer.
fn contract_ending_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    let today = ctx.now.date();
    r.contracts_ending
        .iter()
        .map(|c| {
            let left = c.terms.end_on.map_or(0, |end| crate::domain::contract::days_left(end, today));
            let who = if r.unit_wide { format!("[{}] ", staff_name(ctx.reference, c.owner_a)) } else { String::new() };
            let text = clean(&format!(
                "  {} · {who}{} {}",
                crate::i18n::days_left_text(ctx.lang, left),
                c.terms.number,
                c.customer_name
            ));
            ReviewLine {
                text,
                slot: if left < 0 { Slot::Alert } else { Slot::Warning },
                target: Target::Contract(c.id),
            }
        })
        .collect()
}

/// Customers behind their visit standard, with the visits they miss.
fn behind_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    let t = ctx.lang.text();
    let mut behind: Vec<_> = r.behind.iter().collect();
    if r.unit_wide {
        // Supervisors see their unit grouped by account manager.
        behind.sort_by_key(|b| (staff_name(ctx.reference, b.owner_a), b.tier.rank(), b.customer_id.clone()));
    }
    behind
        .into_iter()
        .map(|b| {
            let missing: Vec<String> = b
                .missing
                .iter()
                .map(|c| {
                    format!(
                        "{}({}) {}",
                        ctx.lang.pick(visit_kind_label(c.requirement.kind)),
                        ctx.lang.pick(participant_label(c.requirement.who)),
                        c.missing
                    )
                })
                .collect();
            let who = if r.unit_wide { format!("[{}] ", staff_name(ctx.reference, b.owner_a)) } else { String::new() };
            let text = clean(&format!(
                "  {who}{} {} · {}: {}",
                b.name,
                ctx.lang.pick(tier_label(b.tier)),
                t.today_missing,
                missing.join(", ")
            ));
            ReviewLine { text, slot: Slot::Warning, target: Target::Customer(b.customer_id.clone()) }
        })
        .collect()
}

/// Birthdays, important dates and holidays coming up.
fn occasion_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    let t = ctx.lang.text();
    r.occasions
        .iter()
        .map(|o| {
            let day = format!(
                "{} {}",
                o.date.format("%m-%d"),
                ctx.lang.pick(weekday_label(o.date.weekday().num_days_from_monday() as usize))
            );
            let (text, target) = match &o.kind {
                OccasionKind::Birthday { person } => (
                    format!("  {day} {} · {}", fill(t.birthday_of, &[person]), o.customer_name),
                    o.customer_id.clone().map_or(Target::Heading, Target::Customer),
                ),
                OccasionKind::ImportantDate { person, label } => (
                    format!("  {day} {label} · {person} · {}", o.customer_name),
                    o.customer_id.clone().map_or(Target::Heading, Target::Customer),
                ),
                OccasionKind::Holiday(h) => (
                    format!("  {day} {}", fill(t.holiday_greeting_due, &[&holiday_name(ctx.lang, *h)])),
                    Target::Greeting,
                ),
            };
            ReviewLine { text: clean(&text), slot: Slot::Accent, target }
        })
        .collect()
}

/// Open complaints with the time left to answer them; late ones alert.
fn complaint_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    r.complaints
        .iter()
        .map(|c| {
            let (due, late) = complaint_due(ctx.lang, c, ctx.now);
            let text = clean(&format!(
                "  {} {} {} · {due}",
                c.number,
                c.customer_name,
                ctx.lang.pick(complaint_status_label(c.state, c.satisfaction))
            ));
            ReviewLine {
                text,
                slot: if late { Slot::Alert } else { Slot::Base },
                target: Target::Customer(c.customer_id.clone()),
            }
        })
        .collect()
}

/// Service requests due today or overdue, with the time left or over; late
/// ones alert. Supervisors see whose customer each is.
fn request_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    r.requests
        .iter()
        .map(|q| {
            let (due, late) = request_due(ctx.lang, q, ctx.now);
            let who = if r.unit_wide { format!("[{}] ", staff_name(ctx.reference, q.owner_a)) } else { String::new() };
            let special = if q.special { format!(" {}", ctx.lang.text().req_special_mark) } else { String::new() };
            let text = clean(&format!(
                "  {due} · {} {who}{} {}{special} · {}",
                q.number,
                q.customer_name,
                ctx.lang.pick(crate::i18n::request_kind_label(q.kind)),
                ctx.lang.pick(crate::i18n::request_status_label(q.status)),
            ));
            ReviewLine { text, slot: if late { Slot::Alert } else { Slot::Warning }, target: Target::Request(q.id) }
        })
        .collect()
}

/// Overdue pipeline steps: step, customer (and whose, unit-wide), due day
/// and days late.
fn pipeline_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    let t = ctx.lang.text();
    let today = ctx.now.date();
    r.pipeline_overdue
        .iter()
        .map(|p| {
            let who = if r.unit_wide { format!("[{}] ", p.owner) } else { String::new() };
            let text = fill(
                t.today_pipeline_line,
                &[
                    &crate::i18n::pipeline_step_label(ctx.lang, p.step),
                    &format!("{who}{}", p.customer_name),
                    &p.due_on,
                    &crate::i18n::pipeline_days_late(ctx.lang, p.days_overdue(today)),
                ],
            );
            ReviewLine {
                text: clean(&format!("  {text}")),
                slot: Slot::Alert,
                target: Target::Prospect(p.customer_id.clone()),
            }
        })
        .collect()
}

/// How a service request stands against its time limit: "超时 2天10小时" /
/// "3h 20m left" while open, else met / late / cancelled; and whether it
/// missed the limit (overdue now, or done late).
pub fn request_due(lang: Lang, q: &crate::db::requests::ServiceRequest, now: NaiveDateTime) -> (String, bool) {
    use crate::domain::request::Standing;
    let t = lang.text();
    let standing = q.standing(now);
    let text = match standing {
        Standing::Overdue(d) => fill(t.complaint_overdue_by, &[&span_text(lang, d)]),
        Standing::Pending(d) => fill(t.complaint_left, &[&span_text(lang, d)]),
        other => lang.pick(crate::i18n::standing_label(other)).to_string(),
    };
    (text, standing.missed())
}

/// A span of time as the lists say it: "2天10小时", "3小时20分"; "2d 10h", "3h 20m".
fn span_text(lang: Lang, d: chrono::TimeDelta) -> String {
    let (days, hours, minutes) = (d.num_days(), d.num_hours() % 24, d.num_minutes() % 60);
    match lang {
        Lang::Zh if days > 0 => format!("{days}天{hours}小时"),
        Lang::Zh => format!("{hours}小时{minutes}分"),
        Lang::En if days > 0 => format!("{days}d {hours}h"),
        Lang::En => format!("{hours}h {minutes}m"),
    }
}

/// Dossiers due for their update.
fn stale_lines(ctx: &Env, r: &DayReview) -> Vec<ReviewLine> {
    let t = ctx.lang.text();
    r.stale
        .iter()
        .map(|c| {
            let who = if r.unit_wide { format!("[{}] ", staff_name(ctx.reference, c.owner_a)) } else { String::new() };
            let text = clean(&format!(
                "  {who}{} {} · {} {}",
                c.short_name,
                ctx.lang.pick(tier_label(c.tier)),
                t.next_due,
                c.update_due_on
            ));
            ReviewLine { text, slot: Slot::Stale, target: Target::Customer(c.id.clone()) }
        })
        .collect()
}

fn holiday_name(lang: Lang, h: crate::domain::holidays::Holiday) -> &'static str {
    use crate::domain::holidays::Holiday::*;
    lang.pick(match h {
        NewYear => ("元旦", "New Year"),
        SpringFestival => ("春节", "Spring Festival"),
        MidAutumn => ("中秋节", "Mid-Autumn Festival"),
        PostalDay => ("世界邮政日", "World Post Day"),
    })
}

/// How a complaint stands against its deadline: "超时 2天10小时" / "3h 20m left",
/// or its state once it is settled; and whether it is overdue.
pub fn complaint_due(lang: Lang, c: &Complaint, now: chrono::NaiveDateTime) -> (String, bool) {
    let t = lang.text();
    let span = |d: chrono::TimeDelta| {
        let (days, hours, minutes) = (d.num_days(), d.num_hours() % 24, d.num_minutes() % 60);
        match lang {
            Lang::Zh if days > 0 => format!("{days}天{hours}小时"),
            Lang::Zh => format!("{hours}小时{minutes}分"),
            Lang::En if days > 0 => format!("{days}d {hours}h"),
            Lang::En => format!("{hours}h {minutes}m"),
        }
    };
    if !c.is_open() {
        return (lang.pick(complaint_status_label(c.state, c.satisfaction)).to_string(), false);
    }
    match time_left(c.deadline, now) {
        TimeLeft::Overdue(d) => (fill(t.complaint_overdue_by, &[&span(d)]), true),
        TimeLeft::Left(d) => (fill(t.complaint_left, &[&span(d)]), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{BEHIND_CAP, Behind};

    fn behind_heading(lang: Lang, total: usize) -> (String, bool) {
        let one = Behind {
            customer_id: CustomerId::parse("44010600408000").expect("an id"),
            name: "甲".into(),
            tier: crate::domain::tier::Tier::Diamond,
            owner_a: 1,
            missing: Vec::new(),
        };
        let r = DayReview { behind: vec![one], behind_total: total, ..Default::default() };
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("a time");
        let sections = review_sections(lang, &Reference::default(), now, &r);
        let s = sections.into_iter().find(|s| s.kind == SectionKind::Behind).expect("the behind section");
        (s.heading.text, s.over)
    }

    /// A count that stopped past its cap says "over 1000", in both languages.
    #[test]
    fn a_stopped_behind_count_says_over_its_cap() {
        assert_eq!(behind_heading(Lang::Zh, 7), (format!("{} (7)", Lang::Zh.text().today_behind), false));
        assert_eq!(behind_heading(Lang::Zh, BEHIND_CAP), (format!("{} (1000)", Lang::Zh.text().today_behind), false));
        let (zh, over) = behind_heading(Lang::Zh, BEHIND_CAP + 1);
        assert!(over && zh.ends_with("(超过 1000)"), "{zh}");
        let (en, _) = behind_heading(Lang::En, BEHIND_CAP + 1);
        assert!(en.ends_with("(over 1000)"), "{en}");
    }
}
