//! Occasions for greetings (SPEC §5): the holidays the documents name, and
//! the birthdays and important dates of key persons.
//!
//! Lunar holidays are computed with `chinese-lunisolar-calendar`, which
//! covers the lunar years 1901–2100; outside that range they are `None`.

use chinese_lunisolar_calendar::LunisolarDate;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

/// Holidays on which key customers get a greeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum Holiday {
    /// 元旦, January 1.
    NewYear,
    /// 春节, lunar 1st month, 1st day.
    SpringFestival,
    /// 中秋, lunar 8th month, 15th day.
    MidAutumn,
    /// "Postal Day" of the documents, taken as World Post Day (世界邮政日),
    /// October 9, the founding day of the Universal Postal Union, which
    /// China Post marks every year with customer events. (The other
    /// candidate, the founding day of the Chinese postal service on March 20,
    /// is an internal anniversary, not an occasion for greeting customers.)
    PostalDay,
}

impl Holiday {
    /// In the order of the year.
    pub const ALL: [Holiday; 4] = [Holiday::NewYear, Holiday::SpringFestival, Holiday::MidAutumn, Holiday::PostalDay];
}

stored_code!(Holiday);

/// The day of `holiday` in the Gregorian `year`. A lunar holiday falls in
/// the Gregorian year its lunar year starts in (Spring Festival always does,
/// Mid-Autumn is always in September or October), so there is exactly one
/// per year. `None` outside the calendar's range.
pub fn holiday_date(holiday: Holiday, year: i32) -> Option<NaiveDate> {
    match holiday {
        Holiday::NewYear => NaiveDate::from_ymd_opt(year, 1, 1),
        Holiday::PostalDay => NaiveDate::from_ymd_opt(year, 10, 9),
        Holiday::SpringFestival => lunar_to_solar(year, 1, 1),
        Holiday::MidAutumn => lunar_to_solar(year, 8, 15),
    }
}

/// The solar date of day `day` of the (non-leap) lunar month `month` of the
/// lunar year that starts in Gregorian `year`.
fn lunar_to_solar(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let year = u16::try_from(year).ok()?;
    LunisolarDate::from_ymd(year, month, false, day).ok().map(LunisolarDate::to_naive_date)
}

/// Every holiday from `from` to `to`, both included, in date order.
/// Empty when `to` is before `from`.
pub fn holidays_between(from: NaiveDate, to: NaiveDate) -> Vec<(Holiday, NaiveDate)> {
    let mut found: Vec<(Holiday, NaiveDate)> = (from.year()..=to.year())
        .flat_map(|year| Holiday::ALL.into_iter().filter_map(move |h| Some((h, holiday_date(h, year)?))))
        .filter(|(_, date)| (from..=to).contains(date))
        .collect();
    found.sort_by_key(|(holiday, date)| (*date, *holiday));
    found
}

/// Separators between entries of an "important dates" field.
const ENTRY_SEPARATORS: &[char] = &['；', ';', '，', ',', '、', '。', '\n', '\r'];

/// Trimmed from both ends of a label.
fn is_label_trim(c: char) -> bool {
    c.is_whitespace() || ENTRY_SEPARATORS.contains(&c) || matches!(c, '：' | ':' | '-' | '—' | '(' | ')' | '（' | '）')
}

/// The recurring dates in a key person's free-text "important dates" field,
/// each with its label: the words of the same entry (entries are separated
/// by ；;，,、。 or line breaks), trimmed of spaces and punctuation.
///
/// Recognised: `5月18日`, `5月18号`, `5月18`, `3-8`, `5/18`, `5.18`, with an
/// optional year in front (`2019年5月18日`, `2019-05-18`, ignored: the
/// occasion recurs) and full-width digits. Month comes first, as staff
/// write it. Impossible days (`2月30日`) are skipped; `2月29日` is kept.
/// An entry that is only a date takes its label from the entry just before
/// it when that one had no date ("公司成立，5月18日"). Lunar dates written
/// in Chinese numerals (农历八月十五) are not recognised.
pub fn parse_important_dates(text: &str) -> Vec<(String, u32, u32)> {
    let normalized: String = text.chars().map(normalize_char).collect();
    let mut found = Vec::new();
    let mut pending_label: Option<String> = None;
    for entry in normalized.split(ENTRY_SEPARATORS) {
        let chars: Vec<char> = entry.chars().collect();
        let dates = find_dates(&chars);
        if dates.is_empty() {
            let label = entry.trim_matches(is_label_trim);
            if !label.is_empty() {
                pending_label = Some(label.to_string());
            }
            continue;
        }
        let mut label = label_around(&chars, &dates);
        if label.is_empty() {
            label = pending_label.take().unwrap_or_default();
        }
        pending_label = None;
        for date in dates {
            found.push((label.clone(), date.month, date.day));
        }
    }
    found
}

/// Full-width digits and separators as their ASCII forms.
fn normalize_char(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c),
        '／' => '/',
        '－' => '-',
        '．' => '.',
        other => other,
    }
}

/// A date found in an entry: chars `start..end`.
struct FoundDate {
    start: usize,
    end: usize,
    month: u32,
    day: u32,
}

fn find_dates(chars: &[char]) -> Vec<FoundDate> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        match starts_number.then(|| date_at(chars, i)).flatten() {
            Some(date) => {
                i = date.end;
                found.push(date);
            }
            None => i += 1,
        }
    }
    found
}

/// A run of ASCII digits starting at `i`: (value, index after the run).
fn number_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let end = chars[i..].iter().position(|c| !c.is_ascii_digit()).map_or(chars.len(), |n| i + n);
    if end == i || end - i > 4 {
        return None;
    }
    let value = chars[i..end].iter().filter_map(|c| c.to_digit(10)).fold(0, |n, d| n * 10 + d);
    Some((value, end))
}

/// A month–day date (optionally after a four-digit year) starting at `i`.
fn date_at(chars: &[char], i: usize) -> Option<FoundDate> {
    let (first, first_end) = number_at(chars, i)?;
    let (month, month_start, month_end) = if first_end - i == 4 {
        // A year: skip it and its separator, then read the month.
        if !matches!(chars.get(first_end)?, '年' | '-' | '/' | '.') || !chars.get(first_end + 1)?.is_ascii_digit() {
            return None;
        }
        let (month, month_end) = number_at(chars, first_end + 1)?;
        (month, first_end + 1, month_end)
    } else {
        (first, i, first_end)
    };
    if month_end - month_start > 2 || !matches!(chars.get(month_end)?, '月' | '-' | '/' | '.') {
        return None;
    }
    let day_start = month_end + 1;
    if !chars.get(day_start)?.is_ascii_digit() {
        return None;
    }
    let (day, mut end) = number_at(chars, day_start)?;
    if end - day_start > 2 {
        return None;
    }
    if matches!(chars.get(end), Some('日' | '号' | '號')) {
        end += 1;
    }
    // 2000 is a leap year, so Feb 29 is kept: a real occasion that falls on
    // Feb 28 in common years.
    NaiveDate::from_ymd_opt(2000, month, day)?;
    Some(FoundDate { start: i, end, month, day })
}

/// The entry's text with the dates cut out, trimmed. Pieces are joined
/// without a space between Chinese characters ("女儿3月8日生日" → 女儿生日)
/// and with one otherwise.
fn label_around(chars: &[char], dates: &[FoundDate]) -> String {
    let mut pieces = Vec::new();
    let mut from = 0;
    for date in dates {
        pieces.push(chars[from..date.start].iter().collect::<String>());
        from = date.end;
    }
    pieces.push(chars[from..].iter().collect::<String>());
    let mut label = String::new();
    for piece in pieces.iter().map(|p| p.trim_matches(is_label_trim)).filter(|p| !p.is_empty()) {
        let needs_space =
            label.chars().last().is_some_and(|c| c.is_ascii()) || piece.chars().next().is_some_and(|c| c.is_ascii());
        if !label.is_empty() && needs_space {
            label.push(' ');
        }
        label.push_str(piece);
    }
    label
}

/// The first day on or after `from` that is `month`/`day`. Feb 29 falls on
/// Feb 28 in common years. `None` for a day no year has (4/31, 13/1) or
/// beyond chrono's calendar.
pub fn next_occurrence(month: u32, day: u32, from: NaiveDate) -> Option<NaiveDate> {
    // A leap year accepts every day that any year has.
    NaiveDate::from_ymd_opt(2000, month, day)?;
    let in_year = |year: i32| {
        NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
            // Only Feb 29 in a common year gets here.
            NaiveDate::from_ymd_opt(year, month, day - 1)
        })
    };
    let this_year = in_year(from.year())?;
    if this_year >= from { Some(this_year) } else { in_year(from.year().checked_add(1)?) }
}

/// The days of the year (month, day) on which a person has an occasion: the
/// birthday, and the dates in their important dates. Sorted, without repeats.
pub fn occasion_days(birthday: Option<NaiveDate>, important_dates: &str) -> Vec<(u32, u32)> {
    let mut days: Vec<(u32, u32)> =
        parse_important_dates(important_dates).into_iter().map(|(_, m, d)| (m, d)).collect();
    days.extend(birthday.map(|b| (b.month(), b.day())));
    days.sort_unstable();
    days.dedup();
    days
}

/// The month/day pairs whose next occurrence falls within `from ..= from +
/// days`: each day of the window, and Feb 29 when the window holds a common
/// year's Feb 28 (where [`next_occurrence`] puts it). Lets storage skip the
/// dates that cannot be announced before any text is parsed.
pub fn month_days_within(from: NaiveDate, days: u32) -> Vec<(u32, u32)> {
    let mut found: Vec<(u32, u32)> = from
        .iter_days()
        .take(days as usize + 1)
        .flat_map(|d| {
            let common_feb_28 = d.month() == 2 && d.day() == 28 && NaiveDate::from_ymd_opt(d.year(), 2, 29).is_none();
            std::iter::once((d.month(), d.day())).chain(common_feb_28.then_some((2, 29)))
        })
        .collect();
    found.dedup();
    found
}

/// The next birthday when it falls within `days` days from `from` (from
/// `from` to `from + days`, both included; `days = 0` is today only).
pub fn upcoming_birthday(birthday: NaiveDate, from: NaiveDate, days: u32) -> Option<NaiveDate> {
    let next = next_occurrence(birthday.month(), birthday.day(), from)?;
    let last = from.checked_add_days(chrono::Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
    (next <= last).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn occasion_days_join_birthday_and_important_dates() {
        assert_eq!(occasion_days(None, ""), vec![]);
        assert_eq!(occasion_days(Some(date(1980, 5, 18)), "结婚纪念日 5月18日；公司成立 3-8"), vec![(3, 8), (5, 18)]);
        assert_eq!(occasion_days(Some(date(1984, 2, 29)), "农历八月十五"), vec![(2, 29)]);
    }

    #[test]
    fn the_window_of_month_days_covers_each_day_and_a_moved_feb_29() {
        let days = month_days_within(date(2026, 11, 23), 7);
        assert_eq!(days.len(), 8);
        assert_eq!((days[0], days[7]), ((11, 23), (11, 30)));
        assert_eq!(month_days_within(date(2026, 12, 30), 2), vec![(12, 30), (12, 31), (1, 1)]);
        // 2027 is common: Feb 29 birthdays fall on Feb 28, so they are in the window.
        let feb = month_days_within(date(2027, 2, 27), 2);
        assert_eq!(feb, vec![(2, 27), (2, 28), (2, 29), (3, 1)]);
        // In a leap year Feb 29 is a day like any other.
        assert_eq!(month_days_within(date(2028, 2, 28), 1), vec![(2, 28), (2, 29)]);
        assert_eq!(month_days_within(date(2026, 5, 1), 0), vec![(5, 1)]);
    }

    fn parsed(text: &str) -> Vec<(String, u32, u32)> {
        parse_important_dates(text)
    }

    fn entry(label: &str, month: u32, day: u32) -> (String, u32, u32) {
        (label.to_string(), month, day)
    }

    #[test]
    fn mid_autumn_is_computed() {
        assert_eq!(holiday_date(Holiday::MidAutumn, 2024), Some(date(2024, 9, 17)));
        assert_eq!(holiday_date(Holiday::MidAutumn, 2025), Some(date(2025, 10, 6)));
        assert_eq!(holiday_date(Holiday::MidAutumn, 2026), Some(date(2026, 9, 25)));
        assert_eq!(holiday_date(Holiday::MidAutumn, 2027), Some(date(2027, 9, 15)));
        assert_eq!(holiday_date(Holiday::MidAutumn, 2028), Some(date(2028, 10, 3)));
    }

    #[test]
    fn spring_festival_is_computed() {
        assert_eq!(holiday_date(Holiday::SpringFestival, 2026), Some(date(2026, 2, 17)));
        assert_eq!(holiday_date(Holiday::SpringFestival, 2027), Some(date(2027, 2, 6)));
    }

    #[test]
    fn fixed_holidays() {
        assert_eq!(holiday_date(Holiday::NewYear, 2027), Some(date(2027, 1, 1)));
        assert_eq!(holiday_date(Holiday::PostalDay, 2026), Some(date(2026, 10, 9)));
    }

    #[test]
    fn lunar_holidays_outside_the_calendar_range_are_none() {
        assert_eq!(holiday_date(Holiday::SpringFestival, 1800), None);
        assert_eq!(holiday_date(Holiday::MidAutumn, 2200), None);
        assert_eq!(holiday_date(Holiday::MidAutumn, -5), None);
        assert_eq!(holiday_date(Holiday::NewYear, 2200), Some(date(2200, 1, 1)));
    }

    #[test]
    fn holiday_codes_round_trip() {
        for holiday in Holiday::ALL {
            assert_eq!(Holiday::from_code(holiday.code()), Some(holiday));
        }
    }

    #[test]
    fn holidays_between_crosses_the_year_end_inclusive() {
        assert_eq!(
            holidays_between(date(2026, 9, 25), date(2027, 2, 6)),
            vec![
                (Holiday::MidAutumn, date(2026, 9, 25)),
                (Holiday::PostalDay, date(2026, 10, 9)),
                (Holiday::NewYear, date(2027, 1, 1)),
                (Holiday::SpringFestival, date(2027, 2, 6)),
            ]
        );
        assert_eq!(holidays_between(date(2026, 9, 26), date(2027, 2, 5)).len(), 2);
        assert!(holidays_between(date(2027, 1, 2), date(2026, 1, 1)).is_empty());
        assert_eq!(holidays_between(date(2027, 1, 1), date(2027, 1, 1)), vec![(Holiday::NewYear, date(2027, 1, 1))]);
    }

    #[test]
    fn parses_chinese_month_day() {
        assert_eq!(parsed("公司周年庆 5月18日"), vec![entry("公司周年庆", 5, 18)]);
    }

    #[test]
    fn parses_several_entries_and_dash_dates() {
        assert_eq!(
            parsed("结婚纪念日 12月25日；女儿生日 3-8"),
            vec![entry("结婚纪念日", 12, 25), entry("女儿生日", 3, 8)]
        );
    }

    #[test]
    fn parses_slash_date_before_its_label() {
        assert_eq!(parsed("5/18 成立日"), vec![entry("成立日", 5, 18)]);
    }

    #[test]
    fn parses_other_ways_of_writing() {
        assert_eq!(
            parsed("生日：10月1号, 入职 2019年7月15日、建厂2008-09-01\n乔迁 6.6"),
            vec![entry("生日", 10, 1), entry("入职", 7, 15), entry("建厂", 9, 1), entry("乔迁", 6, 6)]
        );
        assert_eq!(parsed("女儿3月8日生日"), vec![entry("女儿生日", 3, 8)]);
        assert_eq!(parsed("母亲生日 ２月２９日"), vec![entry("母亲生日", 2, 29)]);
        assert_eq!(parsed("Anniversary 5/18"), vec![entry("Anniversary", 5, 18)]);
    }

    #[test]
    fn a_bare_date_takes_the_label_before_it() {
        assert_eq!(parsed("公司成立，5月18日"), vec![entry("公司成立", 5, 18)]);
        assert_eq!(parsed("5月18日"), vec![entry("", 5, 18)]);
    }

    #[test]
    fn ignores_what_is_not_a_date() {
        assert!(parsed("喜欢喝茶，忌讳数字4").is_empty());
        assert!(parsed("2月30日").is_empty());
        assert!(parsed("13/5").is_empty());
        assert!(parsed("电话 138-0013-8000").is_empty());
        assert!(parsed("123/4").is_empty());
        assert!(parsed("").is_empty());
    }

    #[test]
    fn next_occurrence_this_year_or_next() {
        assert_eq!(next_occurrence(5, 18, date(2026, 5, 18)), Some(date(2026, 5, 18)));
        assert_eq!(next_occurrence(5, 18, date(2026, 5, 19)), Some(date(2027, 5, 18)));
        assert_eq!(next_occurrence(1, 1, date(2026, 12, 31)), Some(date(2027, 1, 1)));
        assert_eq!(next_occurrence(4, 31, date(2026, 1, 1)), None);
        assert_eq!(next_occurrence(13, 1, date(2026, 1, 1)), None);
        assert_eq!(next_occurrence(0, 1, date(2026, 1, 1)), None);
    }

    #[test]
    fn feb_29_falls_on_feb_28_in_common_years() {
        assert_eq!(next_occurrence(2, 29, date(2026, 1, 1)), Some(date(2026, 2, 28)));
        assert_eq!(next_occurrence(2, 29, date(2027, 3, 1)), Some(date(2028, 2, 29)));
        assert_eq!(next_occurrence(2, 29, date(2028, 2, 29)), Some(date(2028, 2, 29)));
    }

    #[test]
    fn upcoming_birthday_within_the_window() {
        let birthday = date(1980, 12, 3);
        assert_eq!(upcoming_birthday(birthday, date(2026, 11, 23), 10), Some(date(2026, 12, 3)));
        assert_eq!(upcoming_birthday(birthday, date(2026, 11, 23), 9), None);
        assert_eq!(upcoming_birthday(birthday, date(2026, 12, 3), 0), Some(date(2026, 12, 3)));
        assert_eq!(upcoming_birthday(birthday, date(2026, 12, 4), 30), None);
        assert_eq!(upcoming_birthday(birthday, date(2026, 12, 4), 364), Some(date(2027, 12, 3)));
        assert_eq!(upcoming_birthday(date(1992, 2, 29), date(2027, 2, 20), 14), Some(date(2027, 2, 28)));
    }
}
