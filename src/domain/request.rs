//! Service requests (SPEC §9, 限时服务 · 随呼随到 · 主动服务): a customer asking
//! the post to act — collect mail, serve on site, answer a query. What a
//! request is filed as, the steps it moves through, when it is due, whether
//! it was met, and who is due a proactive call. Pure rules: times are
//! parameters, never read from a clock.
//!
//! ```text
//! open ─notify→ notified ─start→ in_progress ─done→ done
//!   └──────────start──────────┘      notified ─done→ done
//! open | notified | in_progress ─cancel(reason)→ cancelled
//! ```
//! - **Due** (SPEC §9's default standard, from receipt): a city customer the
//!   same day, a rural customer within 2 days, a special case within 3 days;
//!   calendar days unless the bureau counts working days ([`DayCount`]).
//!   A request is due by the *end* of its due day: received at 23:50, a city
//!   customer's request is still due that same day.
//! - **Special case** (特殊情况): the phone contact comes first. Starting or
//!   finishing a special case before its phone contact is recorded is refused
//!   ([`RequestError::PhoneContactFirst`]), so a special case is never met
//!   without it.
//! - **Met / late / overdue** ([`standing`]): met when the result is recorded
//!   by the end of the due day, late when after it; open past the due day is
//!   overdue. A cancelled request is neither.
//! - **Area** is preset from the customer's address ([`area_from_address`]);
//!   the one receiving the request may change it.
//! - **Proactive service**: a customer who asks for pickups but has asked for
//!   none for the bureau's number of days is listed for a call
//!   ([`quiet_since`]).

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use thiserror::Error;

/// How the request reached the post (SPEC §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RequestChannel {
    /// 客户服务中心 (hotline 185), which notifies the account manager.
    ServiceCentre,
    /// A call to the account manager.
    Call,
    /// Said on a visit.
    Visit,
    Other,
}

impl RequestChannel {
    pub const ALL: [RequestChannel; 4] =
        [RequestChannel::ServiceCentre, RequestChannel::Call, RequestChannel::Visit, RequestChannel::Other];
}

/// What the customer asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RequestKind {
    /// 揽收
    Pickup,
    /// 上门服务
    OnSite,
    /// 查询
    Query,
    /// 咨询
    Consultation,
    Other,
}

impl RequestKind {
    pub const ALL: [RequestKind; 5] =
        [RequestKind::Pickup, RequestKind::OnSite, RequestKind::Query, RequestKind::Consultation, RequestKind::Other];
}

/// The three service modes of SPEC §9. The time limit applies whatever the
/// mode: it is the bureau's standard from receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ServiceMode {
    /// 主动服务: asked for when the post called or visited.
    Proactive,
    /// 随呼随到: the customer called (the service centre or the manager).
    OnCall,
    /// 限时服务
    TimeLimited,
}

impl ServiceMode {
    pub const ALL: [ServiceMode; 3] = [ServiceMode::Proactive, ServiceMode::OnCall, ServiceMode::TimeLimited];

    /// The mode a channel suggests: a call (to the centre or the manager) is
    /// on-call service, a request taken on a visit proactive service.
    pub fn preset(channel: RequestChannel) -> ServiceMode {
        match channel {
            RequestChannel::ServiceCentre | RequestChannel::Call => ServiceMode::OnCall,
            RequestChannel::Visit => ServiceMode::Proactive,
            RequestChannel::Other => ServiceMode::TimeLimited,
        }
    }
}

/// Where the customer is served (市内 / 农村).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Area {
    City,
    Rural,
}

impl Area {
    pub const ALL: [Area; 2] = [Area::City, Area::Rural];
}

/// Where a request stands (SPEC §9: open → notified → in progress → done, or cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RequestStatus {
    /// 已受理: received, the account manager not yet told by the receiver.
    Open,
    /// 已通知客户经理
    Notified,
    /// 处理中
    InProgress,
    /// 已办结: the result is recorded.
    Done,
    /// 已取消 (with its reason).
    Cancelled,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 5] = [
        RequestStatus::Open,
        RequestStatus::Notified,
        RequestStatus::InProgress,
        RequestStatus::Done,
        RequestStatus::Cancelled,
    ];

    /// Still to be served: neither done nor cancelled.
    pub fn is_open(self) -> bool {
        !matches!(self, RequestStatus::Done | RequestStatus::Cancelled)
    }
}

/// What is done to a request; each is a line of its timeline (with
/// `received`, its first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RequestStep {
    /// The receiver tells the account manager (records when).
    Notify,
    /// The account manager phones the customer (a special case's first step).
    PhoneContact,
    Start,
    /// The result is recorded.
    Done,
    /// Cancelled, with the reason.
    Cancel,
}

impl RequestStep {
    pub const ALL: [RequestStep; 5] =
        [RequestStep::Notify, RequestStep::PhoneContact, RequestStep::Start, RequestStep::Done, RequestStep::Cancel];
}

/// How the days of a time limit are counted (SPEC §9 is silent: calendar
/// days by default, a bureau may count working days).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DayCount {
    /// Every day counts: a customer waiting over a weekend is still waiting.
    #[default]
    Calendar,
    /// Monday to Friday; a request received on a weekend counts from the
    /// Monday. (Public holidays and their swapped working days are not known
    /// to kam: they count as the weekday they fall on.)
    Working,
}

impl DayCount {
    pub const ALL: [DayCount; 2] = [DayCount::Calendar, DayCount::Working];
}

stored_code!(RequestChannel, RequestKind, ServiceMode, Area, RequestStatus, RequestStep, DayCount);

/// Why a step is refused, in terms the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RequestError {
    #[error("a special case starts with a phone call to the customer: record the phone contact first")]
    PhoneContactFirst,
    #[error("record the result of the request")]
    ResultRequired,
    #[error("cancelling a request needs the reason")]
    ReasonRequired,
    #[error("cannot {} a request that is {}", .step.code(), .from.code())]
    NotAllowed { from: RequestStatus, step: RequestStep },
}

/// The status `step` leads to from `from`, for a request that is `special`
/// and has (`phoned`) or has not had its phone contact recorded. A phone
/// contact leaves the status as it is.
pub fn next_status(
    from: RequestStatus,
    step: RequestStep,
    special: bool,
    phoned: bool,
) -> Result<RequestStatus, RequestError> {
    use RequestStatus::{Cancelled, Done, InProgress, Notified, Open};
    let not_allowed = RequestError::NotAllowed { from, step };
    match (from, step) {
        (Open, RequestStep::Notify) => Ok(Notified),
        (Open | Notified | InProgress, RequestStep::PhoneContact) => Ok(from),
        // The phone contact comes first: before the service starts, and so
        // before the result that would make it met.
        (Open | Notified, RequestStep::Start) | (Notified | InProgress, RequestStep::Done) if special && !phoned => {
            Err(RequestError::PhoneContactFirst)
        }
        (Open | Notified, RequestStep::Start) => Ok(InProgress),
        // A query answered on the spot needs no separate start.
        (Notified | InProgress, RequestStep::Done) => Ok(Done),
        (Open | Notified | InProgress, RequestStep::Cancel) => Ok(Cancelled),
        _ => Err(not_allowed),
    }
}

/// The steps [`next_status`] accepts now, in [`RequestStep::ALL`] order
/// (a special case's start and done are offered only once it is phoned).
pub fn allowed_steps(from: RequestStatus, special: bool, phoned: bool) -> Vec<RequestStep> {
    RequestStep::ALL.into_iter().filter(|s| next_status(from, *s, special, phoned).is_ok()).collect()
}

/// Days after the day of receipt that the due day falls on: city 0 (the
/// same day), rural 2, a special case 3 (wherever the customer is).
pub fn days_allowed(area: Area, special: bool) -> u32 {
    match (special, area) {
        (true, _) => 3,
        (false, Area::City) => 0,
        (false, Area::Rural) => 2,
    }
}

fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The last day a request received on `received` may be served on.
pub fn due_day(received: NaiveDate, area: Area, special: bool, count: DayCount) -> NaiveDate {
    let days = days_allowed(area, special);
    match count {
        DayCount::Calendar => received.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX),
        DayCount::Working => {
            let mut day = received;
            while !is_working_day(day) {
                day = day.succ_opt().unwrap_or(NaiveDate::MAX);
            }
            let mut left = days;
            while left > 0 && day < NaiveDate::MAX {
                day = day.succ_opt().unwrap_or(NaiveDate::MAX);
                if is_working_day(day) {
                    left -= 1;
                }
            }
            day
        }
    }
}

// Evaluated at compile time, so an invalid time would not build.
const END_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 59) {
    Some(time) => time,
    None => panic!("23:59:59 is a valid time"),
};

/// When a request received at `received_at` is due: the end (23:59:59) of
/// its [`due_day`].
pub fn due_at(received_at: NaiveDateTime, area: Area, special: bool, count: DayCount) -> NaiveDateTime {
    due_day(received_at.date(), area, special, count).and_time(END_OF_DAY)
}

/// How a request stands against its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standing {
    /// Open, its due day not over: the time left to the end of it.
    Pending(TimeDelta),
    /// Open after its due day: by this much past the end of it.
    Overdue(TimeDelta),
    /// The result was recorded by the end of the due day.
    Met,
    /// The result was recorded after the due day.
    Late,
    /// Cancelled: neither met nor late.
    Cancelled,
}

impl Standing {
    /// The stable code (`kam requests --json`): pending, overdue, met, late, cancelled.
    pub fn code(self) -> &'static str {
        match self {
            Standing::Pending(_) => "pending",
            Standing::Overdue(_) => "overdue",
            Standing::Met => "met",
            Standing::Late => "late",
            Standing::Cancelled => "cancelled",
        }
    }

    /// Past the limit: overdue now, or done late.
    pub fn missed(self) -> bool {
        matches!(self, Standing::Overdue(_) | Standing::Late)
    }
}

/// Met, late or overdue (SPEC §9), judged by days: a result recorded on the
/// due day is met at any time of it; a request still open is overdue from
/// the first moment of the next day.
pub fn standing(
    status: RequestStatus,
    due: NaiveDateTime,
    done_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Standing {
    let due_day = due.date();
    match status {
        RequestStatus::Cancelled => Standing::Cancelled,
        RequestStatus::Done => match done_at {
            Some(done) if done.date() > due_day => Standing::Late,
            _ => Standing::Met,
        },
        _ if now.date() > due_day => {
            let end = due_day.succ_opt().unwrap_or(NaiveDate::MAX).and_time(NaiveTime::MIN);
            Standing::Overdue(now - end)
        }
        _ => {
            let end = due_day.succ_opt().unwrap_or(NaiveDate::MAX).and_time(NaiveTime::MIN);
            Standing::Pending(end - now)
        }
    }
}

/// The area an address says, by China's administrative levels: below the
/// county (县/区) come towns (镇), townships (乡) and villages (村) in the
/// countryside, and subdistricts (街道) and communities in towns. An address
/// that names a town, township or village (before any road or street) is
/// **rural**; any other is **city**. With no address, the customer ID's
/// division says it: a county (县, 5th–6th digits 21–80 of the division code)
/// is rural, a district (区) or county-level city city.
///
/// A road named after a place (镇海路, 冼村路, 芳村大道) or a city named
/// with one (镇江市) is no town: a town, township or village has a name of
/// two characters or more and no road suffix after it, and a city's housing
/// estate (新村) is none. It is a preset: whoever receives the request may
/// change it.
pub fn area_from_address(address: &str, division: &str) -> Area {
    let address: String = address.chars().filter(|c| !c.is_whitespace()).collect();
    if address.is_empty() {
        return division_area(division);
    }
    // Cut the address after every administrative suffix; a part is the name
    // before its suffix. A road or street ends the search: what follows it
    // is a building, not a place.
    const LEVELS: &[char] = &['省', '市', '区', '县', '旗', '乡', '镇', '村'];
    const ROADS: &[char] = &['路', '街', '道', '巷', '弄'];
    let chars: Vec<char> = address.chars().collect();
    let mut name_start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if ROADS.contains(&c) {
            return Area::City;
        }
        if !LEVELS.contains(&c) {
            continue;
        }
        let name = &chars[name_start..i];
        // 冼村路, 芳村大道, 石牌村路: a road named after a place is a road.
        let road_follows = match (chars.get(i + 1), chars.get(i + 2)) {
            (Some(next), _) if ROADS.contains(next) => true,
            (Some('大'), Some(after)) => ROADS.contains(after),
            _ => false,
        };
        let housing_estate = c == '村' && name.last() == Some(&'新');
        // Two characters at least: "镇" alone starts the next name (镇江市,
        // 镇海路), and one-character 村 are a city's old quarters (冼村, 员村).
        if matches!(c, '乡' | '镇' | '村') && name.len() >= 2 && !road_follows && !housing_estate {
            return Area::Rural;
        }
        if !name.is_empty() {
            name_start = i + 1;
        }
    }
    Area::City
}

/// The area of a 6-digit administrative division code (GB/T 2260): the last
/// two digits 21–80 are counties (rural); 01–20 city districts and 81–99
/// county-level cities are city. Anything else is taken for city.
pub fn division_area(division: &str) -> Area {
    match division.get(4..6).and_then(|d| d.parse::<u32>().ok()) {
        Some(21..=80) => Area::Rural,
        _ => Area::City,
    }
}

/// How many days without a pickup request make a customer due a call,
/// unless the bureau sets its own (SPEC §9: "some time", silent).
pub const DEFAULT_QUIET_DAYS: u32 = 14;
/// The longest the bureau may set: a year.
pub const MAX_QUIET_DAYS: u32 = 366;

/// Why a number of days is not a proactive-service setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("the days without a pickup are 1 to {MAX_QUIET_DAYS}, not {0}")]
pub struct QuietDaysError(pub i64);

/// The bureau's days without a pickup, checked: 1 to [`MAX_QUIET_DAYS`].
pub fn quiet_days(days: i64) -> Result<u32, QuietDaysError> {
    u32::try_from(days).ok().filter(|d| (1..=MAX_QUIET_DAYS).contains(d)).ok_or(QuietDaysError(days))
}

/// The last day a pickup may have been asked for on, for a customer to be
/// due a call on `today`: `days` days before it.
pub fn quiet_cutoff(today: NaiveDate, days: u32) -> NaiveDate {
    today.checked_sub_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MIN)
}

/// A customer whose last pickup request was on `last_pickup` is due a
/// proactive call on `today` when `days` days or more have passed since.
pub fn quiet_since(last_pickup: NaiveDate, today: NaiveDate, days: u32) -> bool {
    last_pickup <= quiet_cutoff(today, days)
}

/// Prefix of every request number: 服务 (fú wù).
const NUMBER_PREFIX: &str = "FW";
/// Digits the sequence is padded to.
const SEQUENCE_DIGITS: usize = 6;

/// A request's number, as complaints' are: `FW`, the four-digit year of
/// receipt, `-`, and the sequence within that year zero-padded to six digits,
/// e.g. `FW2026-000123`.
pub fn request_number(year: i32, sequence: u32) -> String {
    format!("{NUMBER_PREFIX}{year:04}-{sequence:0SEQUENCE_DIGITS$}")
}

/// Reads `(year, sequence)` back from a number exactly as [`request_number`]
/// writes it; `None` for anything else (one spelling per number).
pub fn parse_request_number(number: &str) -> Option<(i32, u32)> {
    let rest = number.strip_prefix(NUMBER_PREFIX)?;
    let (year_digits, sequence_digits) = rest.split_once('-')?;
    let all_digits = |text: &str| !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    if year_digits.len() != 4 || !all_digits(year_digits) || !all_digits(sequence_digits) {
        return None;
    }
    let year: i32 = year_digits.parse().ok()?;
    let sequence: u32 = sequence_digits.parse().ok()?;
    (sequence > 0 && request_number(year, sequence) == number).then_some((year, sequence))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
        day(y, m, d).and_hms_opt(h, min, s).unwrap()
    }

    const CAL: DayCount = DayCount::Calendar;

    #[test]
    fn a_city_request_is_due_the_same_day() {
        let due = due_at(at(2026, 11, 23, 9, 0, 0), Area::City, false, CAL);
        assert_eq!(due, at(2026, 11, 23, 23, 59, 59));
    }

    #[test]
    fn a_city_request_received_at_23_50_is_still_due_that_day() {
        let received = at(2026, 11, 23, 23, 50, 0);
        let due = due_at(received, Area::City, false, CAL);
        assert_eq!(due, at(2026, 11, 23, 23, 59, 59));
        // Done at 23:58 the same night: met; at 00:05 the next morning: late.
        assert_eq!(standing(RequestStatus::Done, due, Some(at(2026, 11, 23, 23, 58, 0)), received), Standing::Met);
        assert_eq!(standing(RequestStatus::Done, due, Some(at(2026, 11, 24, 0, 5, 0)), received), Standing::Late);
        // Still open at 00:00 the next day: overdue from that moment.
        assert_eq!(
            standing(RequestStatus::InProgress, due, None, at(2026, 11, 24, 0, 0, 0)),
            Standing::Overdue(TimeDelta::zero())
        );
    }

    #[test]
    fn a_rural_request_has_until_the_end_of_the_second_day_after() {
        let due = due_at(at(2026, 11, 23, 16, 30, 0), Area::Rural, false, CAL);
        assert_eq!(due, at(2026, 11, 25, 23, 59, 59));
    }

    #[test]
    fn a_special_case_has_three_days_wherever_the_customer_is() {
        for area in Area::ALL {
            assert_eq!(due_at(at(2026, 11, 23, 10, 0, 0), area, true, CAL), at(2026, 11, 26, 23, 59, 59), "{area:?}");
        }
        assert_eq!(days_allowed(Area::City, false), 0);
        assert_eq!(days_allowed(Area::Rural, false), 2);
        assert_eq!(days_allowed(Area::City, true), 3);
    }

    #[test]
    fn calendar_days_run_over_weekends_and_month_ends() {
        // Friday 2026-11-27, rural: Sunday the 29th.
        assert_eq!(due_day(day(2026, 11, 27), Area::Rural, false, CAL), day(2026, 11, 29));
        // Special, received on 30 December: 2 January.
        assert_eq!(due_day(day(2026, 12, 30), Area::City, true, CAL), day(2027, 1, 2));
        assert_eq!(due_day(day(2028, 2, 27), Area::Rural, false, CAL), day(2028, 2, 29), "a leap year");
    }

    #[test]
    fn working_days_skip_the_weekend() {
        let w = DayCount::Working;
        // Friday, rural: Monday and Tuesday are the two days → Tuesday.
        assert_eq!(due_day(day(2026, 11, 27), Area::Rural, false, w), day(2026, 12, 1));
        // Saturday, city: the first working day, Monday.
        assert_eq!(due_day(day(2026, 11, 28), Area::City, false, w), day(2026, 11, 30));
        // Sunday, special: counted from Monday → Thursday.
        assert_eq!(due_day(day(2026, 11, 29), Area::City, true, w), day(2026, 12, 3));
        // A weekday, city: that day.
        assert_eq!(due_day(day(2026, 11, 25), Area::City, false, w), day(2026, 11, 25));
    }

    #[test]
    fn met_late_and_overdue_turn_at_the_end_of_the_due_day() {
        let due = due_at(at(2026, 11, 23, 9, 0, 0), Area::Rural, false, CAL);
        let last_second = at(2026, 11, 25, 23, 59, 59);
        let next_day = at(2026, 11, 26, 0, 0, 0);
        assert_eq!(standing(RequestStatus::Done, due, Some(last_second), next_day), Standing::Met);
        assert_eq!(standing(RequestStatus::Done, due, Some(next_day), next_day), Standing::Late);
        assert_eq!(standing(RequestStatus::Notified, due, None, last_second), Standing::Pending(TimeDelta::seconds(1)));
        assert_eq!(
            standing(RequestStatus::Notified, due, None, at(2026, 11, 26, 10, 30, 0)),
            Standing::Overdue(TimeDelta::minutes(630))
        );
        assert_eq!(
            standing(RequestStatus::Open, due, None, at(2026, 11, 24, 0, 0, 0)),
            Standing::Pending(TimeDelta::days(2))
        );
        // A cancelled request is never overdue, however old.
        assert_eq!(standing(RequestStatus::Cancelled, due, None, at(2027, 1, 1, 0, 0, 0)), Standing::Cancelled);
        assert!(Standing::Late.missed() && Standing::Overdue(TimeDelta::zero()).missed());
        assert!(!Standing::Met.missed() && !Standing::Pending(TimeDelta::zero()).missed());
        let codes: Vec<&str> = [
            Standing::Pending(TimeDelta::zero()),
            Standing::Overdue(TimeDelta::zero()),
            Standing::Met,
            Standing::Late,
            Standing::Cancelled,
        ]
        .map(Standing::code)
        .into();
        assert_eq!(codes, ["pending", "overdue", "met", "late", "cancelled"]);
    }

    #[test]
    fn the_steps_go_open_notified_in_progress_done() {
        use RequestStatus::*;
        assert_eq!(next_status(Open, RequestStep::Notify, false, false), Ok(Notified));
        assert_eq!(next_status(Notified, RequestStep::Start, false, false), Ok(InProgress));
        assert_eq!(next_status(InProgress, RequestStep::Done, false, false), Ok(Done));
        // The manager who starts it knows of it: no separate notice needed.
        assert_eq!(next_status(Open, RequestStep::Start, false, false), Ok(InProgress));
        // A query answered on the spot.
        assert_eq!(next_status(Notified, RequestStep::Done, false, false), Ok(Done));
        // Cancelled from any open status; nothing moves a closed one.
        for from in [Open, Notified, InProgress] {
            assert_eq!(next_status(from, RequestStep::Cancel, false, false), Ok(Cancelled));
            assert_eq!(next_status(from, RequestStep::PhoneContact, false, false), Ok(from));
        }
        for from in [Done, Cancelled] {
            for step in RequestStep::ALL {
                assert_eq!(next_status(from, step, false, true), Err(RequestError::NotAllowed { from, step }));
            }
        }
        assert_eq!(
            next_status(Open, RequestStep::Done, false, false),
            Err(RequestError::NotAllowed { from: Open, step: RequestStep::Done })
        );
        assert_eq!(
            next_status(InProgress, RequestStep::Notify, false, false),
            Err(RequestError::NotAllowed { from: InProgress, step: RequestStep::Notify })
        );
    }

    #[test]
    fn a_special_case_needs_its_phone_contact_first() {
        use RequestStatus::*;
        assert_eq!(next_status(Open, RequestStep::Start, true, false), Err(RequestError::PhoneContactFirst));
        assert_eq!(next_status(Notified, RequestStep::Start, true, false), Err(RequestError::PhoneContactFirst));
        assert_eq!(next_status(Notified, RequestStep::Done, true, false), Err(RequestError::PhoneContactFirst));
        assert_eq!(next_status(InProgress, RequestStep::Done, true, false), Err(RequestError::PhoneContactFirst));
        // Notifying and cancelling need no call; after the call it goes on.
        assert_eq!(next_status(Open, RequestStep::Notify, true, false), Ok(Notified));
        assert_eq!(next_status(Open, RequestStep::Cancel, true, false), Ok(Cancelled));
        assert_eq!(next_status(Notified, RequestStep::Start, true, true), Ok(InProgress));
        assert_eq!(next_status(InProgress, RequestStep::Done, true, true), Ok(Done));
        assert_eq!(allowed_steps(Notified, true, false), [RequestStep::PhoneContact, RequestStep::Cancel]);
        assert_eq!(
            allowed_steps(Notified, true, true),
            [RequestStep::PhoneContact, RequestStep::Start, RequestStep::Done, RequestStep::Cancel]
        );
        assert_eq!(
            allowed_steps(Open, false, false),
            [RequestStep::Notify, RequestStep::PhoneContact, RequestStep::Start, RequestStep::Cancel]
        );
        assert!(allowed_steps(Done, false, true).is_empty());
    }

    #[test]
    fn the_area_comes_from_the_address() {
        let city = |a: &str| assert_eq!(area_from_address(a, "440106"), Area::City, "{a}");
        let rural = |a: &str| assert_eq!(area_from_address(a, "440106"), Area::Rural, "{a}");
        city("广州市天河区天河路385号");
        city("广州市越秀区中山五路219号中旅商业城18楼");
        city("上海市闸北区天目中路");
        // Roads and cities named with 镇/村 are no towns.
        city("厦门市思明区镇海路12号");
        city("江苏省镇江市京口区中山东路");
        city("上海市普陀区曹杨新村街道");
        city("广州市天河区冼村路11号");
        city("广州市荔湾区芳村大道中123号");
        city("广州市天河区员村二横路8号");
        city("广州市天河区石牌村路2号");
        rural("广州市从化区温泉镇");
        rural("广州市从化区温泉镇石坑村18号");
        rural("广州市增城区派潭镇高滩村");
        rural("广东省佛山市顺德区乐从镇");
        rural("湖南省浏阳市大瑶镇");
        rural("广州市白云区人和镇凤和村");
        rural("某某县某某乡");
        rural("广州市 花都区 赤坭镇");
        rural("广州市增城区派潭镇高滩路12号");
    }

    #[test]
    fn without_an_address_the_division_says() {
        assert_eq!(area_from_address("", "440106"), Area::City, "天河区: a district");
        assert_eq!(area_from_address("  ", "441423"), Area::Rural, "丰顺县: a county");
        assert_eq!(area_from_address("", "440183"), Area::City, "增城市: a county-level city");
        assert_eq!(area_from_address("", "44"), Area::City, "no division: city");
        assert_eq!(division_area("440121"), Area::Rural);
        assert_eq!(division_area("440180"), Area::Rural);
        assert_eq!(division_area("440120"), Area::City);
        assert_eq!(division_area("440181"), Area::City);
    }

    #[test]
    fn a_customer_is_due_a_call_after_the_bureaus_days_without_a_pickup() {
        let today = day(2026, 11, 23);
        assert!(quiet_since(day(2026, 11, 9), today, 14), "14 days: call");
        assert!(!quiet_since(day(2026, 11, 10), today, 14), "13 days: not yet");
        assert!(quiet_since(day(2026, 10, 1), today, 14));
        assert!(!quiet_since(today, today, 1));
        assert!(quiet_since(day(2026, 11, 22), today, 1));
        assert_eq!(quiet_cutoff(today, DEFAULT_QUIET_DAYS), day(2026, 11, 9));
        assert_eq!(quiet_days(14), Ok(14));
        assert_eq!(quiet_days(1), Ok(1));
        assert_eq!(quiet_days(366), Ok(366));
        assert_eq!(quiet_days(0), Err(QuietDaysError(0)));
        assert_eq!(quiet_days(-3), Err(QuietDaysError(-3)));
        assert_eq!(quiet_days(367), Err(QuietDaysError(367)));
    }

    #[test]
    fn numbers_read_back_as_written() {
        assert_eq!(request_number(2026, 1), "FW2026-000001");
        assert_eq!(request_number(2026, 123_456), "FW2026-123456");
        assert_eq!(parse_request_number("FW2026-000042"), Some((2026, 42)));
        for bad in ["FW2026-42", "TS2026-000001", "FW2026-000000", "FW26-000001", "FW2026000001", "FW2026-00000x"] {
            assert_eq!(parse_request_number(bad), None, "{bad}");
        }
        assert_eq!(parse_request_number(&request_number(2026, 1_000_000)), Some((2026, 1_000_000)));
    }

    #[test]
    fn the_channel_suggests_the_mode() {
        assert_eq!(ServiceMode::preset(RequestChannel::ServiceCentre), ServiceMode::OnCall);
        assert_eq!(ServiceMode::preset(RequestChannel::Call), ServiceMode::OnCall);
        assert_eq!(ServiceMode::preset(RequestChannel::Visit), ServiceMode::Proactive);
        assert_eq!(ServiceMode::preset(RequestChannel::Other), ServiceMode::TimeLimited);
    }

    #[test]
    fn codes_are_stable() {
        let codes = |c: &[&str]| c.join(",");
        assert_eq!(codes(&RequestChannel::ALL.map(RequestChannel::code)), "service_centre,call,visit,other");
        assert_eq!(codes(&RequestKind::ALL.map(RequestKind::code)), "pickup,on_site,query,consultation,other");
        assert_eq!(codes(&ServiceMode::ALL.map(ServiceMode::code)), "proactive,on_call,time_limited");
        assert_eq!(codes(&Area::ALL.map(Area::code)), "city,rural");
        assert_eq!(codes(&RequestStatus::ALL.map(RequestStatus::code)), "open,notified,in_progress,done,cancelled");
        assert_eq!(codes(&RequestStep::ALL.map(RequestStep::code)), "notify,phone_contact,start,done,cancel");
        assert_eq!(codes(&DayCount::ALL.map(DayCount::code)), "calendar,working");
    }
}
