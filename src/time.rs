//! The bureau's time (issue 14): kam works in one time zone, the bureau's
//! (config `zone`, default Asia/Shanghai), whatever `TZ` each user's shell has,
//! so that two writes seconds apart are recorded seconds apart.
//!
//! - **Now** is the bureau's wall-clock time, read from the system's UTC clock
//!   ([`now`]); "today" is the bureau's day.
//! - **Times of record** (when kam wrote something: the history's
//!   `changed_at`, every `created_at`/`updated_at`, a complaint's events and
//!   closing, a registration's filing and decision, a comment read) are stored
//!   with their UTC offset, `2026-11-23 09:30:00+08:00` ([`stamp`]); the date
//!   and time in front are the bureau's, so they sort and group by day as text.
//!   The schema's triggers, when a row brings no time of its own, write UTC
//!   with `+00:00`.
//! - **Times people give** (a visit's planned and done time, when a complaint
//!   was received, deadlines) are the bureau's wall-clock times, as typed.
//! - **Older rows**, written before times carried an offset, hold the local
//!   time of whoever wrote them; they are read as the bureau's time (which
//!   they were wherever the server's zone was the bureau's) and are not
//!   rewritten: the history is append-only and hash-chained.
//! - **Shown**: every time of record in the bureau's zone ([`civil`],
//!   [`shown`]).

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// The bureau's zone when the configuration names none.
pub const DEFAULT_ZONE: Tz = chrono_tz::Asia::Shanghai;

static ZONE: OnceLock<Tz> = OnceLock::new();

/// Sets the bureau's zone for this process, once, at start (the config's
/// `zone`). Later calls are ignored: the zone never changes under a session.
pub fn set_zone(zone: Tz) {
    let _ = ZONE.set(zone);
}

/// The bureau's zone.
pub fn zone() -> Tz {
    *ZONE.get().unwrap_or(&DEFAULT_ZONE)
}

/// A zone by its IANA name ("Asia/Shanghai").
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

/// The bureau's wall-clock time now, whatever the process's `TZ`.
pub fn now() -> NaiveDateTime {
    Utc::now().with_timezone(&zone()).naive_local()
}

/// `at` (the bureau's wall-clock time) as a time of record, with its offset:
/// `2026-11-23 09:30:00+08:00`. A time the zone skips (a daylight-saving
/// gap) is taken at the offset before the gap.
pub fn stamp(at: NaiveDateTime) -> String {
    let zone = zone();
    let offset = match zone.offset_from_local_datetime(&at).earliest() {
        Some(offset) => offset.fix(),
        None => zone.offset_from_utc_datetime(&at).fix(),
    };
    format!("{}{offset}", at.format("%Y-%m-%d %H:%M:%S"))
}

/// A stored time as the bureau's wall-clock time: one with an offset (or `Z`)
/// is converted to the bureau's zone; one without is taken as the bureau's
/// already (older rows, and the times people give).
pub fn civil(stored: &str) -> Option<NaiveDateTime> {
    let s = stored.trim();
    for format in
        ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.fZ", "%Y-%m-%dT%H:%M:%S%.fZ"]
    {
        let parsed = if format.ends_with('Z') {
            NaiveDateTime::parse_from_str(s, format).map(|utc| Utc.from_utc_datetime(&utc).fixed_offset())
        } else {
            DateTime::parse_from_str(s, format)
        };
        if let Ok(t) = parsed {
            return Some(t.with_timezone(&zone()).naive_local());
        }
    }
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(s, format).ok())
}

/// A stored time of record as shown: `2026-11-23 09:30:00` in the bureau's
/// zone; text that is no time is shown as it is.
pub fn shown(stored: &str) -> String {
    civil(stored).map_or_else(|| stored.to_string(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn times_of_record_carry_the_bureaus_offset_and_read_back() {
        // The tests run in the default zone.
        assert_eq!(zone(), DEFAULT_ZONE);
        assert_eq!(stamp(at("2026-11-23 09:30:00")), "2026-11-23 09:30:00+08:00");
        assert_eq!(civil("2026-11-23 09:30:00+08:00"), Some(at("2026-11-23 09:30:00")));
        // Written elsewhere: converted to the bureau's time.
        assert_eq!(civil("2026-11-23 01:30:00+00:00"), Some(at("2026-11-23 09:30:00")));
        assert_eq!(civil("2026-11-22T17:30:00-08:00"), Some(at("2026-11-23 09:30:00")));
        assert_eq!(civil("2026-11-23T01:30:00Z"), Some(at("2026-11-23 09:30:00")));
        // Older rows and typed times: already the bureau's.
        assert_eq!(civil("2026-11-23 09:30:00"), Some(at("2026-11-23 09:30:00")));
        assert_eq!(civil("2026-11-23 09:30"), Some(at("2026-11-23 09:30:00")));
        assert_eq!(shown("2026-11-23 01:30:00+00:00"), "2026-11-23 09:30:00");
        assert_eq!(shown("not a time"), "not a time");
    }

    #[test]
    fn now_is_the_bureaus_whatever_the_process_zone() {
        let bureau = now();
        let utc = Utc::now().naive_utc();
        let ahead = (bureau - utc).num_minutes();
        assert!((479..=481).contains(&ahead), "Shanghai is 8 hours ahead of UTC: {ahead} minutes");
    }

    #[test]
    fn zones_by_name() {
        assert_eq!(parse_zone("Asia/Shanghai"), Some(chrono_tz::Asia::Shanghai));
        assert_eq!(parse_zone(" Asia/Urumqi "), Some(chrono_tz::Asia::Urumqi));
        assert_eq!(parse_zone("Mars/Olympus"), None);
    }
}
