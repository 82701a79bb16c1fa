//! Form field validators. Each returns the cleaned value or a `FieldError`
//! the UI translates. Full-width digits typed with a Chinese input method
//! are accepted and returned as ASCII.

use chrono::{Days, NaiveDate, NaiveDateTime};
use thiserror::Error;

use super::money::{AmountError, Money, parse_amount, to_halfwidth};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum FieldError {
    #[error("this field is required")]
    Required,
    #[error("a postal code is 6 digits")]
    PostalCode,
    #[error("not a mobile or landline phone number")]
    Phone,
    #[error("not an email address")]
    Email,
    #[error(transparent)]
    Amount(#[from] AmountError),
    #[error("not a date (e.g. 2026-11-23)")]
    Date,
    #[error("not a whole number")]
    Count,
    #[error("at most {max} characters")]
    TooLong { max: usize },
    #[error("not one of the allowed values")]
    NotInList,
    /// A record of something done (a log entry, a done visit, a complaint
    /// received) dated after today.
    #[error("cannot be in the future")]
    InFuture,
    /// A deadline earlier than the date of the record it belongs to.
    #[error("cannot be before {record}")]
    BeforeRecord { record: NaiveDate },
}

/// Removes what must never be stored or drawn: control characters (C0,
/// DEL, C1 — newlines and tabs included, as a terminal cell cannot show
/// them), bidi embeddings, overrides, isolates and marks (which can make
/// text display in a different order than it is stored), zero-width and
/// other invisible format characters (which would make two equal-looking
/// names differ, past the duplicate checks) and line/paragraph separators.
pub fn sanitize_text(text: &str) -> String {
    text.chars().filter(|c| !is_unsafe_char(*c)).collect()
}

/// Like `sanitize_text`, but keeps line breaks (normalised to `\n`) for
/// long free text such as visit notes.
pub fn sanitize_multiline_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n").split('\n').map(sanitize_text).collect::<Vec<_>>().join("\n")
}

pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{200E}' | '\u{200F}' | '\u{061C}' // bidi marks
            | '\u{200B}'..='\u{200D}' // zero-width space, non-joiner, joiner
            | '\u{2060}' | '\u{FEFF}' // word joiner, byte-order mark
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{00AD}' | '\u{180E}' // soft hyphen, Mongolian vowel separator
            | '\u{2061}'..='\u{2064}' // invisible operators
            | '\u{206A}'..='\u{206F}' // deprecated format characters
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            | '\u{E0000}'..='\u{E007F}' // tags: invisible copies of ASCII
        )
}

/// Sanitised, trimmed and not empty.
pub fn required(text: &str) -> Result<String, FieldError> {
    let cleaned = sanitize_text(text);
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        return Err(FieldError::Required);
    }
    Ok(trimmed.to_owned())
}

/// `text` unchanged if it has at most `max_chars` characters (not bytes:
/// one Chinese character counts as one).
pub fn max_len(text: &str, max_chars: usize) -> Result<String, FieldError> {
    if text.chars().count() > max_chars {
        return Err(FieldError::TooLong { max: max_chars });
    }
    Ok(text.to_owned())
}

/// Runs `validator` unless the field is blank, which passes as `None`.
pub fn optional<T>(text: &str, validator: impl FnOnce(&str) -> Result<T, FieldError>) -> Result<Option<T>, FieldError> {
    if sanitize_text(text).trim().is_empty() {
        return Ok(None);
    }
    validator(text).map(Some)
}

/// Trimmed, full-width digits made ASCII; `Required` when blank.
fn normalized(text: &str) -> Result<String, FieldError> {
    let halfwidth: String = text.trim().chars().map(to_halfwidth).collect();
    let trimmed = halfwidth.trim();
    if trimmed.is_empty() {
        return Err(FieldError::Required);
    }
    Ok(trimmed.to_owned())
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Exactly six digits.
pub fn postal_code(text: &str) -> Result<String, FieldError> {
    let code = normalized(text)?;
    if code.len() != 6 || !all_digits(&code) {
        return Err(FieldError::PostalCode);
    }
    Ok(code)
}

/// One or more Chinese phone numbers separated by `/`, `、`, `,` or `;`.
/// Each is a mobile (`13800138000`, `+86 138-0013-8000`) or a landline:
/// 0 + a 2–3 digit area code + a 7–8 digit number (`020-87654321`,
/// `(0755)1234567`), optionally with an extension (`-123`, `转123`).
/// Returns the text as typed, trimmed.
pub fn phone(text: &str) -> Result<String, FieldError> {
    let numbers = normalized(text)?;
    let mut any = false;
    for number in numbers.split(['/', '、', ',', ';', '；']) {
        let number = number.trim();
        if !(is_mobile(number) || is_landline(number)) {
            return Err(FieldError::Phone);
        }
        any = true;
    }
    if !any {
        return Err(FieldError::Phone);
    }
    Ok(numbers)
}

fn is_mobile(number: &str) -> bool {
    let compact: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let national = ["+86", "0086"]
        .iter()
        .find_map(|prefix| compact.strip_prefix(prefix))
        .or_else(|| compact.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(&compact);
    let bytes = national.as_bytes();
    bytes.len() == 11 && all_digits(national) && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1])
}

fn is_landline(number: &str) -> bool {
    let (main, extension) = match number.split_once('转') {
        Some((main, extension)) => (main, Some(extension.trim())),
        None => (number, None),
    };
    let is_extension = |digits: &str| all_digits(digits) && digits.len() <= 6;
    if extension.is_some_and(|digits| !is_extension(digits)) {
        return false;
    }
    // "(020)87654321" reads as "020-87654321".
    let main = main.replace(['(', '（'], "").replace([')', '）'], "-");
    let parts: Vec<&str> = main.split(['-', ' ']).filter(|p| !p.is_empty()).collect();
    if !parts.iter().all(|part| all_digits(part)) {
        return false;
    }
    let area_code = |d: &str| (3..=4).contains(&d.len()) && d.starts_with('0') && !d.starts_with("00");
    let local = |d: &str| (7..=8).contains(&d.len()) && !d.starts_with('0');
    let full = |d: &str| (10..=12).contains(&d.len()) && d.starts_with('0') && !d.starts_with("00");
    match parts.as_slice() {
        [whole] => full(whole),
        [area, number] => {
            (area_code(area) && local(number)) || (extension.is_none() && full(area) && is_extension(number))
        }
        [area, number, ext] => extension.is_none() && area_code(area) && local(number) && is_extension(ext),
        _ => false,
    }
}

/// One `@`, a non-empty local part, a domain of at least two dot-separated
/// labels, and no whitespace anywhere. Deliberately not RFC 5322: it
/// catches typos, the mail server does the rest.
pub fn email(text: &str) -> Result<String, FieldError> {
    let address = text.trim();
    if address.is_empty() {
        return Err(FieldError::Required);
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::Email);
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Err(FieldError::Email);
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let labels: Vec<&str> = domain.split('.').collect();
    if local.is_empty() || domain.contains('@') || labels.len() < 2 || !labels.iter().all(|l| label_ok(l)) {
        return Err(FieldError::Email);
    }
    Ok(address.to_owned())
}

/// An amount in yuan; see `money::parse_amount` for the accepted forms.
pub fn amount(text: &str) -> Result<Money, FieldError> {
    Ok(parse_amount(text)?)
}

/// A non-negative whole number, such as a head count.
pub fn count(text: &str) -> Result<i64, FieldError> {
    let digits = normalized(text)?;
    if !all_digits(&digits) {
        return Err(FieldError::Count);
    }
    digits.parse().map_err(|_| FieldError::Count)
}

/// `2026-11-23`, `2026/11/23`, `2026.11.23`, `20261123` or `2026年11月23日`;
/// month and day may have one digit. Impossible dates (`2026-02-30`) fail.
pub fn date(text: &str) -> Result<NaiveDate, FieldError> {
    let text = normalized(text)?;
    let (year, month, day) = if text.len() == 8 && all_digits(&text) {
        (&text[..4], &text[4..6], &text[6..])
    } else if let Some((year, rest)) = text.split_once('年') {
        let rest = rest.strip_suffix('日').unwrap_or(rest);
        let (month, day) = rest.split_once('月').ok_or(FieldError::Date)?;
        (year, month, day)
    } else {
        let separator = text.chars().find(|c| matches!(c, '-' | '/' | '.')).ok_or(FieldError::Date)?;
        let mut parts = text.split(separator);
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(year), Some(month), Some(day), None) => (year, month, day),
            _ => return Err(FieldError::Date),
        }
    };
    let number = |digits: &str, lengths: std::ops::RangeInclusive<usize>| {
        (all_digits(digits) && lengths.contains(&digits.len()))
            .then(|| digits.parse::<u32>().ok())
            .flatten()
            .ok_or(FieldError::Date)
    };
    let year = i32::try_from(number(year, 4..=4)?).map_err(|_| FieldError::Date)?;
    NaiveDate::from_ymd_opt(year, number(month, 1..=2)?, number(day, 1..=2)?).ok_or(FieldError::Date)
}

/// Dates more than this many days away from today (or from their record) are
/// unusual enough to ask about before saving.
pub const UNUSUAL_DAYS: u64 = 366;

/// A date that may be right but is worth a second look: the form asks, and a
/// second save goes ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusual {
    /// A visit planned for a day already past: it would be overdue at once.
    InPast,
    /// More than [`UNUSUAL_DAYS`] ahead (a mistyped year, most often).
    FarAhead,
    /// More than [`UNUSUAL_DAYS`] ago.
    LongAgo,
}

/// The day something was done (a log entry, a done visit, a complaint
/// received): today or earlier. Tomorrow cannot be right.
pub fn done_on(day: NaiveDate, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    if day > today { Err(FieldError::InFuture) } else { Ok(day) }
}

/// [`done_on`] to the minute: a visit done, or a complaint received, later
/// today than now has not happened yet either.
pub fn done_at(at: NaiveDateTime, now: NaiveDateTime) -> Result<NaiveDateTime, FieldError> {
    if at > now { Err(FieldError::InFuture) } else { Ok(at) }
}

/// A deadline (a next step's due date) belongs on or after the day of its record.
pub fn due_after(due: NaiveDate, record: NaiveDate) -> Result<NaiveDate, FieldError> {
    if due < record { Err(FieldError::BeforeRecord { record }) } else { Ok(due) }
}

/// What is unusual about the day a visit is planned for, if anything.
pub fn unusual_plan(day: NaiveDate, today: NaiveDate) -> Option<Unusual> {
    if day < today { Some(Unusual::InPast) } else { far_ahead(day, today) }
}

/// What is unusual about the day something was done on, if anything.
pub fn unusual_done(day: NaiveDate, today: NaiveDate) -> Option<Unusual> {
    today.checked_sub_days(Days::new(UNUSUAL_DAYS)).filter(|limit| day < *limit).map(|_| Unusual::LongAgo)
}

/// What is unusual about a deadline set on `record`'s day, if anything.
pub fn unusual_due(due: NaiveDate, record: NaiveDate) -> Option<Unusual> {
    far_ahead(due, record)
}

fn far_ahead(day: NaiveDate, from: NaiveDate) -> Option<Unusual> {
    from.checked_add_days(Days::new(UNUSUAL_DAYS)).filter(|limit| day > *limit).map(|_| Unusual::FarAhead)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_invisible_and_control_characters() {
        assert_eq!(sanitize_text("电信\u{0}帐务\u{7}中心"), "电信帐务中心");
        assert_eq!(sanitize_text("a\tb\nc\r\u{1b}[31m"), "abc[31m");
        assert_eq!(sanitize_text("x\u{7f}\u{85}\u{9f}y"), "xy");
        assert_eq!(sanitize_text("evil\u{202E}txt.exe"), "eviltxt.exe");
        assert_eq!(sanitize_text("\u{202A}\u{202B}\u{202C}\u{202D}a"), "a");
        assert_eq!(sanitize_text("\u{2066}a\u{2067}b\u{2068}c\u{2069}"), "abc");
        assert_eq!(sanitize_text("a\u{200B}b\u{200C}c\u{200D}d\u{FEFF}"), "abcd");
        assert_eq!(sanitize_text("a\u{200E}\u{200F}\u{2028}b"), "ab");
        assert_eq!(sanitize_text("华\u{AD}信\u{2062}\u{206F}\u{FFF9}\u{E0041}\u{E007F}"), "华信");
        assert_eq!(sanitize_text("ABC物流 (广州) ½ é"), "ABC物流 (广州) ½ é");
    }

    #[test]
    fn multiline_sanitize_keeps_line_breaks() {
        assert_eq!(sanitize_multiline_text("a\r\nb\rc\n\u{202E}d\t"), "a\nb\nc\nd");
    }

    #[test]
    fn required_and_max_len() {
        assert_eq!(required("  电信帐务中心 "), Ok("电信帐务中心".to_owned()));
        assert_eq!(required(""), Err(FieldError::Required));
        assert_eq!(required(" \u{3000}\t"), Err(FieldError::Required));
        assert_eq!(required("\u{200B}\u{FEFF}"), Err(FieldError::Required));
        assert_eq!(max_len("电信帐务中心", 6), Ok("电信帐务中心".to_owned()));
        assert_eq!(max_len("电信帐务中心", 5), Err(FieldError::TooLong { max: 5 }));
        assert_eq!(max_len("", 0), Ok(String::new()));
    }

    #[test]
    fn optional_lets_blank_through() {
        assert_eq!(optional("", postal_code), Ok(None));
        assert_eq!(optional("  \u{200B}", email), Ok(None));
        assert_eq!(optional("510000", postal_code), Ok(Some("510000".to_owned())));
        assert_eq!(optional("5100", postal_code), Err(FieldError::PostalCode));
        assert_eq!(optional("", amount), Ok(None));
    }

    #[test]
    fn postal_codes() {
        assert_eq!(postal_code("510000"), Ok("510000".to_owned()));
        assert_eq!(postal_code(" 010010 "), Ok("010010".to_owned()));
        assert_eq!(postal_code("５１５０４１"), Ok("515041".to_owned()));
        assert_eq!(postal_code(""), Err(FieldError::Required));
        for bad in ["51000", "5100000", "51000a", "510 000", "51000０0"] {
            assert_eq!(postal_code(bad), Err(FieldError::PostalCode), "{bad}");
        }
    }

    #[test]
    fn mobile_numbers() {
        for good in [
            "13800138000",
            "19912345678",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "+86-13800138000",
            "8613800138000",
            "0086 13800138000",
            "１３８００１３８０００",
        ] {
            assert!(phone(good).is_ok(), "{good}");
        }
        for bad in ["12800138000", "1380013800", "138001380001", "23800138000", "+8712800138000", "1380013800x"] {
            assert_eq!(phone(bad), Err(FieldError::Phone), "{bad}");
        }
    }

    #[test]
    fn landline_numbers() {
        for good in [
            "020-87654321",
            "02087654321",
            "0755-1234567",
            "0754 88123456",
            "(020)87654321",
            "（0754）8812345",
            "020-87654321-123",
            "02087654321-8001",
            "020-87654321转123",
            "020-87654321 转 6",
        ] {
            assert!(phone(good).is_ok(), "{good}");
        }
        for bad in [
            "87654321",
            "020-876543",
            "020-876543210",
            "20-87654321",
            "00-87654321",
            "02-87654321",
            "020-07654321",
            "020-87654321-1234567",
            "020-87654321转",
            "020-87654321转12a",
            "020-87654321-12转34",
            "020-8765-4321-12",
            "020876543",
        ] {
            assert_eq!(phone(bad), Err(FieldError::Phone), "{bad}");
        }
    }

    #[test]
    fn several_phone_numbers() {
        let typed = "020-87654321/13800138000、0754-8812345，13912345678";
        assert_eq!(phone(typed), Ok(typed.replace('，', ",")));
        assert!(phone("13800138000, 13900139000").is_ok());
        assert_eq!(phone("13800138000/"), Err(FieldError::Phone));
        assert_eq!(phone("13800138000/123"), Err(FieldError::Phone));
        assert_eq!(phone(""), Err(FieldError::Required));
    }

    #[test]
    fn emails() {
        assert_eq!(email(" kam@chinapost.com.cn "), Ok("kam@chinapost.com.cn".to_owned()));
        assert!(email("first.last+tag@mail.example.org").is_ok());
        assert!(email("客户@邮政.中国").is_ok());
        assert_eq!(email(""), Err(FieldError::Required));
        for bad in [
            "kam",
            "kam@",
            "@chinapost.com",
            "kam@chinapost",
            "kam@@chinapost.com",
            "kam@chinapost@x.com",
            "kam@chinapost..com",
            "kam@.chinapost.com",
            "kam@chinapost.com.",
            "kam@-post.com",
            "k am@chinapost.com",
            "kam@china post.com",
            "kam@chinapost.com\u{0}",
        ] {
            assert_eq!(email(bad), Err(FieldError::Email), "{bad}");
        }
    }

    #[test]
    fn amounts_use_parse_amount() {
        assert_eq!(amount("12.5万"), Ok(Money::from_fen(12_500_000)));
        assert_eq!(amount("1,234.50"), Ok(Money::from_fen(123_450)));
        assert_eq!(amount("-1"), Err(FieldError::Amount(AmountError::Negative)));
        assert_eq!(amount("1.234"), Err(FieldError::Amount(AmountError::TooManyDecimals)));
        assert_eq!(amount(""), Err(FieldError::Amount(AmountError::Empty)));
    }

    #[test]
    fn counts() {
        assert_eq!(count(" 1200 "), Ok(1200));
        assert_eq!(count("0"), Ok(0));
        assert_eq!(count("１２"), Ok(12));
        assert_eq!(count(""), Err(FieldError::Required));
        for bad in ["-3", "1.5", "12a", "99999999999999999999"] {
            assert_eq!(count(bad), Err(FieldError::Count), "{bad}");
        }
    }

    #[test]
    fn dates() {
        let expected = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for good in [
            "2026-11-23",
            "2026/11/23",
            "2026.11.23",
            "20261123",
            " 2026-11-23 ",
            "2026年11月23日",
            "２０２６－１１－２３",
        ] {
            assert_eq!(date(good), Ok(expected), "{good}");
        }
        assert_eq!(date("2026-1-5"), Ok(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()));
        assert_eq!(date("2028-02-29"), Ok(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()));
        assert_eq!(date(""), Err(FieldError::Required));
        for bad in [
            "2026-02-30",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-11-00",
            "2026-11",
            "2026-11-23-1",
            "2026-11/23",
            "26-11-23",
            "2026-011-23",
            "202611231",
            "2026 11 23",
            "yesterday",
            "2026-+1-23",
        ] {
            assert_eq!(date(bad), Err(FieldError::Date), "{bad}");
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn done_today_is_fine_tomorrow_is_future() {
        let today = day(2026, 11, 23);
        assert_eq!(done_on(today, today), Ok(today));
        assert_eq!(done_on(day(2026, 11, 22), today), Ok(day(2026, 11, 22)));
        assert_eq!(done_on(day(2026, 11, 24), today), Err(FieldError::InFuture));
        assert_eq!(done_on(day(2099, 1, 1), today), Err(FieldError::InFuture));
        // Across a year end.
        assert_eq!(done_on(day(2027, 1, 1), day(2026, 12, 31)), Err(FieldError::InFuture));
    }

    #[test]
    fn done_now_is_fine_a_minute_later_is_future() {
        let now = day(2026, 11, 23).and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(done_at(now, now), Ok(now));
        let later = now + chrono::Duration::minutes(1);
        assert_eq!(done_at(later, now), Err(FieldError::InFuture));
        let earlier = day(2026, 11, 22).and_hms_opt(17, 0, 0).unwrap();
        assert_eq!(done_at(earlier, now), Ok(earlier));
    }

    #[test]
    fn a_deadline_may_fall_on_its_record_day_not_before() {
        let record = day(2026, 11, 23);
        assert_eq!(due_after(record, record), Ok(record));
        assert_eq!(due_after(day(2026, 11, 24), record), Ok(day(2026, 11, 24)));
        assert_eq!(due_after(day(2026, 11, 22), record), Err(FieldError::BeforeRecord { record }));
        assert_eq!(due_after(day(1900, 1, 1), record), Err(FieldError::BeforeRecord { record }));
    }

    #[test]
    fn planning_today_is_usual_yesterday_or_years_ahead_is_asked_about() {
        let today = day(2026, 11, 23);
        assert_eq!(unusual_plan(today, today), None);
        assert_eq!(unusual_plan(day(2026, 11, 22), today), Some(Unusual::InPast));
        assert_eq!(unusual_plan(day(2027, 11, 24), today), None, "366 days ahead");
        assert_eq!(unusual_plan(day(2027, 11, 25), today), Some(Unusual::FarAhead));
        assert_eq!(unusual_plan(day(2099, 1, 1), today), Some(Unusual::FarAhead));
    }

    #[test]
    fn done_long_ago_and_far_deadlines_are_asked_about() {
        let today = day(2026, 11, 23);
        assert_eq!(unusual_done(today, today), None);
        assert_eq!(unusual_done(day(2025, 11, 22), today), None, "366 days ago");
        assert_eq!(unusual_done(day(2025, 11, 21), today), Some(Unusual::LongAgo));
        assert_eq!(unusual_due(day(2027, 11, 24), today), None);
        assert_eq!(unusual_due(day(2027, 11, 25), today), Some(Unusual::FarAhead));
        assert_eq!(unusual_due(today, today), None);
    }
}
