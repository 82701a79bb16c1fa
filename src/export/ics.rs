//! Visits as an iCalendar (RFC 5545) file, for phone and desktop calendars.
//!
//! **Identity.** Each visit becomes one `VEVENT` whose `UID` is derived from the
//! visit id and a host name ([`visit_uid`]), and whose `SEQUENCE` is the visit's
//! version. Importing a newer export therefore updates the events already in the
//! calendar (moved, cancelled) instead of adding copies.
//!
//! **Time zone.** Times are written as local times with `TZID=Asia/Shanghai`,
//! with the matching `VTIMEZONE` (RFC 5545 §3.6.5 requires one for every TZID
//! used). kam stores naive wall-clock times, and China keeps one civil time
//! (UTC+8, no daylight saving since 1991), so that is what they mean. Floating
//! times (no zone) would be shown in whatever zone the reading device or account
//! happens to be set to — a Google account left on another zone, a phone set to
//! Asia/Urumqi, a laptop on UTC — and the visit would move by hours. Every common
//! client (iOS, Android/Google, Outlook, Thunderbird) resolves this TZID.
//!
//! **Text.** The `icalendar` crate escapes TEXT values and folds lines at 75
//! octets on character boundaries, so Chinese text is never split inside a UTF-8
//! sequence. Line breaks are normalised and other control characters dropped
//! first, because the crate escapes `\n` but not a bare `\r`.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use icalendar::{CalendarDateTime, Component, Event, EventLike, EventStatus, Property};

use crate::db::visits::Visit;
use crate::domain::visit::{VisitKind, VisitState};

/// The time zone every exported time is in.
pub const TZID: &str = "Asia/Shanghai";

/// China Standard Time: UTC+8 all year. (China observed daylight saving from 1986
/// to 1991; visits are never that old, so one rule from 1970 on is exact.)
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Asia/Shanghai\r\n\
BEGIN:STANDARD\r\n\
DTSTART:19700101T000000\r\n\
TZOFFSETFROM:+0800\r\n\
TZOFFSETTO:+0800\r\n\
TZNAME:CST\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

const PRODID: &str = "-//kam//Key-account management//ZH";

/// Used when a visit carries no positive duration (the schema's default).
const DEFAULT_DURATION_MIN: i64 = 60;

/// The stable identifier of a visit's event: the same visit always gets the same
/// UID from the same host, so a re-export replaces instead of duplicating.
pub fn visit_uid(visit_id: i64, host: &str) -> String {
    format!("kam-visit-{visit_id}@{}", uid_host(host))
}

/// A host name reduced to what is safe in a UID: ASCII letters, digits, `-` and
/// `.`, lower case (host names are case-insensitive, so `PC-01` and `pc-01` must
/// give the same UID).
fn uid_host(host: &str) -> String {
    let cleaned: String = host
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let cleaned = cleaned.trim_matches(|c| c == '-' || c == '.');
    if cleaned.is_empty() { "kam".to_string() } else { cleaned.to_string() }
}

/// Writes `visits` as one calendar named `calendar_name`; `label` names each
/// visit kind in the user's language (the strings live in `i18n`).
/// `DTSTAMP` is the moment of export.
pub fn visits_to_ics(visits: &[Visit], calendar_name: &str, host: &str, label: impl Fn(VisitKind) -> String) -> String {
    visits_to_ics_at(visits, calendar_name, host, label, Utc::now())
}

/// [`visits_to_ics`] with the export moment given, so the output is reproducible.
pub fn visits_to_ics_at(
    visits: &[Visit],
    calendar_name: &str,
    host: &str,
    label: impl Fn(VisitKind) -> String,
    exported_at: DateTime<Utc>,
) -> String {
    // X-WR-CALNAME is the name every common client reads. (RFC 7986 NAME is left
    // out: the crate does not know it is TEXT and would not escape it.)
    let header = [
        Property::new("VERSION", "2.0"),
        Property::new("PRODID", PRODID),
        Property::new("CALSCALE", "GREGORIAN"),
        Property::new("X-WR-CALNAME", one_line(calendar_name)),
        Property::new("X-WR-TIMEZONE", TZID),
    ];
    let mut out = String::with_capacity(512 + visits.len() * 512);
    out.push_str("BEGIN:VCALENDAR\r\n");
    for property in header {
        out.push_str(&content_line(property));
    }
    out.push_str(VTIMEZONE);
    for visit in visits {
        let event = visit_event(visit, host, &label, exported_at);
        // Serialising into a String cannot fail: fmt::Write for String never
        // errors, and the crate's writers only propagate the writer's errors.
        out.push_str(&event.try_into_string().expect("writing to a String cannot fail"));
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// One property as a folded content line ending in CRLF.
fn content_line(property: Property) -> String {
    // As above: the only error source is the String writer, which never fails.
    TryInto::<String>::try_into(property).expect("writing to a String cannot fail")
}

fn visit_event(visit: &Visit, host: &str, label: &impl Fn(VisitKind) -> String, exported_at: DateTime<Utc>) -> Event {
    let summary = one_line(&format!("{} · {}", label(visit.kind), visit.customer_name));
    let status = match visit.state {
        VisitState::Cancelled => EventStatus::Cancelled,
        VisitState::Planned | VisitState::Done => EventStatus::Confirmed,
    };
    let mut event = Event::new();
    event
        .uid(&visit_uid(visit.id, host))
        .timestamp(exported_at)
        .starts(local(visit.planned_at))
        .ends(local(end_of(visit)))
        .summary(&summary)
        .status(status)
        .sequence(u32::try_from(visit.version.max(0)).unwrap_or(u32::MAX));
    let purpose = clean_text(visit.purpose.trim());
    if !purpose.is_empty() {
        event.description(&purpose);
    }
    event.done()
}

fn local(at: NaiveDateTime) -> CalendarDateTime {
    CalendarDateTime::WithTimezone { date_time: at, tzid: TZID.to_string() }
}

/// Planned start plus duration; a missing or absurd duration falls back to the
/// default so DTEND is always after DTSTART.
fn end_of(visit: &Visit) -> NaiveDateTime {
    let minutes = if visit.duration_min > 0 { visit.duration_min } else { DEFAULT_DURATION_MIN };
    TimeDelta::try_minutes(minutes)
        .and_then(|d| visit.planned_at.checked_add_signed(d))
        .or_else(|| visit.planned_at.checked_add_signed(TimeDelta::minutes(DEFAULT_DURATION_MIN)))
        .unwrap_or(visit.planned_at)
}

/// Line breaks as `\n` (which the crate escapes), other control characters
/// except tab removed: RFC 5545 TEXT allows none of them raw.
fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// A title: [`clean_text`] with line breaks and tabs as spaces.
fn one_line(text: &str) -> String {
    clean_text(text).replace(['\n', '\t'], " ")
}

/// Writes `contents` to `path` atomically: into a new file in the same directory,
/// flushed to disk, then renamed over `path`. A reader (or a sync client
/// watching the folder) sees the old file or the new one, never half of one.
/// The file is private to its owner on Unix (the temporary file is created
/// 0600): visit purposes are confidential.
pub fn write_ics_file(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new().prefix(".kam-export-").suffix(".tmp").tempfile_in(dir)?;
    file.write_all(contents.as_bytes())?;
    file.as_file().sync_all()?;
    // On failure the temporary file is dropped with the error, which deletes it.
    file.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable; not every platform can open a directory.
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_hosts_are_cleaned_and_case_insensitive() {
        assert_eq!(visit_uid(7, "PC-01.Local"), "kam-visit-7@pc-01.local");
        assert_eq!(visit_uid(7, "pc-01.local"), "kam-visit-7@pc-01.local");
        assert_eq!(visit_uid(7, "Zhang's MacBook"), "kam-visit-7@zhang-s-macbook");
        assert_eq!(visit_uid(7, "  "), "kam-visit-7@kam");
        assert_eq!(visit_uid(7, "张伟的电脑"), "kam-visit-7@kam");
    }

    #[test]
    fn text_loses_raw_control_characters_but_keeps_line_breaks() {
        assert_eq!(clean_text("一\r\n二\r三\n四\u{7}\t五"), "一\n二\n三\n四\t五");
        assert_eq!(one_line("大客户\r\n拜访\t日程"), "大客户 拜访 日程");
    }
}
