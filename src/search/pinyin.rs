//! Pinyin search keys, so 电信帐务中心 is found by typing `dxzw`,
//! `dianxin` or `电信`.
//!
//! Each Chinese character gets one reading: the `pinyin` crate's default
//! (its heteronym data is not compiled in), corrected by a short table of
//! words common in customer names whose default reading is wrong, such as
//! 银行 (hang, not xing) and 重庆 (chong, not zhong). ü is written `v`, as
//! typed on a keyboard.

use std::ops::Range;

use ::pinyin::ToPinyin;

/// Separates the parts (and the forms of a part) of a search key, so a
/// match never spans two of them. Queries never contain it.
pub const UNIT_SEPARATOR: char = '\u{1f}';

/// Words whose characters' default reading is wrong in customer names.
const WORD_READINGS: &[(&str, &[&str])] = &[
    ("银行", &["yin", "hang"]),
    ("商行", &["shang", "hang"]),
    ("行业", &["hang", "ye"]),
    ("重庆", &["chong", "qing"]),
    ("厦门", &["xia", "men"]),
    ("长沙", &["chang", "sha"]),
    ("长春", &["chang", "chun"]),
    ("长江", &["chang", "jiang"]),
    ("长城", &["chang", "cheng"]),
    ("长安", &["chang", "an"]),
    ("会计", &["kuai", "ji"]),
    ("音乐", &["yin", "yue"]),
    ("蚌埠", &["beng", "bu"]),
];

/// How one character of a text is searched: its full pinyin and its
/// initial, or (for anything without pinyin) the lowercased character in
/// both. Whitespace and the unit separator have empty forms.
struct CharForms {
    full: String,
    initial: String,
}

fn char_forms(text: &str) -> Vec<CharForms> {
    let chars: Vec<char> = text.chars().collect();
    let mut forms = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(readings) = word_readings_at(&chars[i..]) {
            for reading in readings {
                forms.push(CharForms { full: (*reading).to_owned(), initial: reading.chars().take(1).collect() });
            }
            i += readings.len();
            continue;
        }
        let c = chars[i];
        forms.push(match c.to_pinyin() {
            Some(reading) => CharForms {
                full: reading.plain().replace('ü', "v"),
                initial: reading.first_letter().replace('ü', "v"),
            },
            None if c.is_whitespace() || c == UNIT_SEPARATOR => {
                CharForms { full: String::new(), initial: String::new() }
            }
            None => {
                let lower: String = c.to_lowercase().collect();
                CharForms { full: lower.clone(), initial: lower }
            }
        });
        i += 1;
    }
    forms
}

fn word_readings_at(chars: &[char]) -> Option<&'static [&'static str]> {
    WORD_READINGS.iter().find_map(|(word, readings)| {
        let matches = word.chars().count() <= chars.len() && word.chars().zip(chars).all(|(w, c)| w == *c);
        matches.then_some(*readings)
    })
}

/// The lowercase text customer search matches against: for each part (ID,
/// short name, full name…) the part itself, its full pinyin and its pinyin
/// initials, whitespace removed; latin letters and digits are kept in the
/// pinyin forms. Forms and parts are joined by `UNIT_SEPARATOR`, and a
/// form equal to an earlier one of the same part (an ID's digits) is
/// written once.
pub fn search_key(parts: &[&str]) -> String {
    let mut forms: Vec<String> = Vec::new();
    for part in parts {
        let chars = char_forms(part);
        let candidates = [
            normalize_query(part),
            chars.iter().map(|c| c.full.as_str()).collect(),
            chars.iter().map(|c| c.initial.as_str()).collect(),
        ];
        let first_of_part = forms.len();
        for candidate in candidates {
            if !candidate.is_empty() && !forms[first_of_part..].contains(&candidate) {
                forms.push(candidate);
            }
        }
    }
    forms.join(&UNIT_SEPARATOR.to_string())
}

/// Queries of at most this many characters (after [`normalize_query`]) are
/// answered from the index of short starts (`customer_prefix`); longer ones
/// by substring, from the trigram index.
pub const SHORT_QUERY_CHARS: usize = 2;

/// Whether `query` (normalised) is short: one or two characters, which no
/// trigram index can answer.
pub fn is_short_query(query: &str) -> bool {
    let n = query.chars().count();
    n > 0 && n <= SHORT_QUERY_CHARS
}

/// What a one- or two-character query finds a customer by: every short
/// query it matches, each once. A short query matches where it starts the
/// ID (`4`, `44`); where it is written in a name (any one or two characters
/// in a row: `电`, `电信`, `帐务`, `ab`); in its initials (any one initial or
/// two in a row: `d`, `dx`, `zw`); or where it starts a syllable of its
/// pinyin (`zh`, `xi`). Each is a substring of [`search_key`], so a short
/// query finds what the substring search would, less runs inside the ID or
/// a syllable (`0106`'s `10`, zhang's `an`), which match nearly everyone.
pub fn search_starts(id: &str, names: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |gram: String| {
        if !gram.is_empty() && !out.contains(&gram) {
            out.push(gram);
        }
    };
    let id: Vec<char> = normalize_query(id).chars().collect();
    windows(&id, 0).for_each(|w| add(w.iter().collect()));
    for name in names {
        let text: Vec<char> = normalize_query(name).chars().collect();
        let forms = char_forms(name);
        let initials: Vec<char> = forms.iter().flat_map(|f| f.initial.chars()).collect();
        let full: Vec<char> = forms.iter().flat_map(|f| f.full.chars()).collect();
        for seq in [&text, &initials] {
            for at in 0..seq.len() {
                windows(seq, at).for_each(|w| add(w.iter().collect()));
            }
        }
        let mut at = 0;
        for form in &forms {
            if !form.full.is_empty() {
                windows(&full, at).for_each(|w| add(w.iter().collect()));
            }
            at += form.full.chars().count();
        }
    }
    out
}

/// The one- and two-character runs of `text` starting at `at`.
fn windows(text: &[char], at: usize) -> impl Iterator<Item = &[char]> {
    (1..=SHORT_QUERY_CHARS).filter_map(move |n| text.get(at..at + n))
}

/// The key customers (and people) are sorted by name with: pinyin order, as
/// dictionaries and phone address books sort Chinese, where comparing the
/// characters' code points puts 万利 before 三元 and 世通.
///
/// Each Chinese character is written as its syllable, a space, the character
/// itself and a space: syllable by syllable, so 西安 (xi an) comes before 先
/// (xian); names that read alike are grouped by the character (万达, 万利,
/// then 晚霞), and a name before the longer names it begins. Letters (lower
/// case) and digits are kept in runs ended by a space, so 2号仓 and ABC物流
/// fall among the names beginning with 2 and with a; other signs are left out.
/// Stored with every customer (`customer.name_key`), so the list sorts by an
/// index; compare keys as plain strings (SQLite's BINARY collation).
pub fn sort_key(name: &str) -> String {
    let forms = char_forms(name);
    let mut key = String::with_capacity(name.len() * 3);
    let mut in_run = false;
    for (c, form) in name.chars().zip(&forms) {
        if c.to_pinyin().is_some() {
            if in_run {
                key.push(' ');
                in_run = false;
            }
            key.push_str(&form.full);
            key.push(' ');
            key.push(c);
            key.push(' ');
        } else if c.is_alphanumeric() {
            key.extend(c.to_lowercase());
            in_run = true;
        } else if in_run {
            key.push(' ');
            in_run = false;
        }
    }
    if in_run {
        key.push(' ');
    }
    key
}

/// What the user typed, in the form `search_key` is written in: trimmed,
/// lowercased, without whitespace (so `dx zw` finds `dxzw`) or unit
/// separators.
pub fn normalize_query(query: &str) -> String {
    query.chars().filter(|c| !c.is_whitespace() && *c != UNIT_SEPARATOR).flat_map(char::to_lowercase).collect()
}

/// Character ranges of `text` (a name shown in a list) to highlight for
/// `query`: where the text itself contains the query, ignoring case and
/// whitespace; failing that, where its pinyin initials or its full pinyin
/// do, mapped back to the characters they come from (`dxzw` on
/// 电信帐务中心 → 0..4, `zhangwu` → 2..4). Empty when nothing matches.
pub fn match_ranges(text: &str, query: &str) -> Vec<Range<usize>> {
    let query = normalize_query(query);
    if query.is_empty() {
        return Vec::new();
    }
    let direct: Vec<String> = text
        .chars()
        .map(|c| if c.is_whitespace() || c == UNIT_SEPARATOR { String::new() } else { c.to_lowercase().collect() })
        .collect();
    let forms = char_forms(text);
    let initials: Vec<String> = forms.iter().map(|f| f.initial.clone()).collect();
    let full: Vec<String> = forms.into_iter().map(|f| f.full).collect();
    [direct, initials, full]
        .iter()
        .map(|per_char| find_in_char_forms(per_char, &query))
        .find(|ranges| !ranges.is_empty())
        .unwrap_or_default()
}

/// Non-overlapping occurrences of `query` in the concatenation of
/// `per_char`, as ranges of the characters that produced them.
fn find_in_char_forms(per_char: &[String], query: &str) -> Vec<Range<usize>> {
    let mut haystack = String::new();
    // owner[byte] = index of the character whose form holds that byte.
    let mut owner = Vec::new();
    for (index, form) in per_char.iter().enumerate() {
        haystack.push_str(form);
        owner.resize(haystack.len(), index);
    }
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut from = 0;
    while let Some(found) = haystack.get(from..).and_then(|rest| rest.find(query)) {
        let start = from + found;
        let end = start + query.len();
        if let (Some(&first), Some(&last)) = (owner.get(start), owner.get(end - 1)) {
            ranges.push(first..last + 1);
        }
        from = end;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEP: &str = "\u{1f}";

    fn matches_key(parts: &[&str], query: &str) -> bool {
        search_key(parts).contains(&normalize_query(query))
    }

    #[test]
    fn key_holds_text_full_pinyin_and_initials() {
        assert_eq!(search_key(&["电信帐务中心"]), ["电信帐务中心", "dianxinzhangwuzhongxin", "dxzwzx"].join(SEP));
    }

    #[test]
    fn key_of_several_parts_writes_each_form_once() {
        let key = search_key(&["44010000001000", "电信帐务中心", "", "ABC物流"]);
        assert_eq!(
            key,
            ["44010000001000", "电信帐务中心", "dianxinzhangwuzhongxin", "dxzwzx", "abc物流", "abcwuliu", "abcwl",]
                .join(SEP)
        );
    }

    #[test]
    fn customer_search_matches_pinyin_ids_and_text() {
        let parts = ["44010000001000", "电信帐务中心", "广州市电信有限公司帐务中心"];
        for query in ["dxzw", "dianxin", "电信", "DXZW", " dian xin ", "zhangwu", "010000001", "gzsdx"] {
            assert!(matches_key(&parts, query), "{query}");
        }
        for query in ["dxzwx", "中心4401", "zx44", "xyz"] {
            assert!(!matches_key(&parts, query), "{query}");
        }
    }

    #[test]
    fn mixed_latin_keeps_letters_and_digits() {
        let key = search_key(&["ABC物流 2号仓"]);
        assert!(key.contains("abc物流2号仓"));
        assert!(key.contains("abcwuliu2haocang"));
        assert!(key.contains("abcwl2hc"));
        assert!(matches_key(&["ABC物流"], "abc wl"));
        assert!(matches_key(&["ABC物流"], "ABC物流"));
    }

    #[test]
    fn word_readings_fix_common_polyphones() {
        assert!(matches_key(&["中国工商银行"], "gongshangyinhang"));
        assert!(matches_key(&["中国工商银行"], "zggsyh"));
        assert!(matches_key(&["重庆邮政"], "chongqing"));
        assert!(matches_key(&["厦门航空"], "xiamen"));
        assert!(matches_key(&["长沙绿化"], "changshalvhua"));
        // Outside those words the default reading stays.
        assert!(matches_key(&["重要客户"], "zhongyao"));
    }

    #[test]
    fn names_sort_in_pinyin_order() {
        let mut names =
            vec!["万利", "三元", "世通", "阿里", "先锋", "西安", "晚霞", "万达", "ABC物流", "2号仓", "中国银行"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            vec!["2号仓", "阿里", "ABC物流", "三元", "世通", "万达", "万利", "晚霞", "西安", "先锋", "中国银行"]
        );
        // Words read their usual way (银行: hang), case does not matter, signs are skipped.
        assert_eq!(sort_key("中国银行"), "zhong 中 guo 国 yin 银 hang 行 ");
        assert_eq!(sort_key("ABC"), sort_key("abc"));
        assert_eq!(sort_key("万利（广州）"), sort_key("万利广州"));
        assert!(sort_key("万利") < sort_key("万利广州"));
    }

    #[test]
    fn short_queries_find_ids_by_their_start_and_names_anywhere() {
        let starts = search_starts("44010600001000", &["中国银行", "AB物流"]);
        let want = [
            "4", "44", // the ID's start only
            "中", "中国", "国", "国银", "银", "银行", "行", // the name as written
            "z", "zg", "g", "gy", "y", "yh", "h", // initials
            "zh", "gu", "yi", "ha", // the start of each syllable
            "a", "ab", "b", "b物", "物", "物流", "流", "bw", "w", "wl", "l", "wu", "li",
        ];
        let mut got = starts.clone();
        got.sort();
        let mut want: Vec<String> = want.map(String::from).to_vec();
        want.sort();
        assert_eq!(got, want);
        // Every start is in the search key: a short query finds no one the
        // substring search would not.
        let key = search_key(&["44010600001000", "中国银行", "AB物流"]);
        assert!(starts.iter().all(|s| key.contains(s.as_str())));
        // Not inside the ID, nor inside a syllable.
        assert!(!starts.contains(&"01".to_string()) && !starts.contains(&"ng".to_string()));
        assert!(is_short_query("z") && is_short_query("中国") && !is_short_query("zgy") && !is_short_query(""));
    }

    #[test]
    fn normalize_query_drops_spaces_and_separators() {
        assert_eq!(normalize_query("  DX\tZw \u{3000}"), "dxzw");
        assert_eq!(normalize_query("a\u{1f}b"), "ab");
        assert_eq!(normalize_query(""), "");
    }

    #[test]
    fn ranges_for_direct_matches() {
        assert_eq!(match_ranges("电信帐务中心", "帐务"), vec![2..4]);
        assert_eq!(match_ranges("ABC物流", "bc"), vec![1..3]);
        assert_eq!(match_ranges("ABC 物流", "c物"), vec![2..5]);
        assert_eq!(match_ranges("中心中心", "中心"), vec![0..2, 2..4]);
    }

    #[test]
    fn ranges_for_pinyin_matches() {
        assert_eq!(match_ranges("电信帐务中心", "dxzw"), vec![0..4]);
        assert_eq!(match_ranges("电信帐务中心", "zhangwu"), vec![2..4]);
        assert_eq!(match_ranges("电信帐务中心", "dianxin"), vec![0..2]);
        assert_eq!(match_ranges("电信帐务中心", "zx"), vec![4..6]);
        assert_eq!(match_ranges("电信帐务中心", "xin"), vec![1..2, 5..6]);
        assert_eq!(match_ranges("ABC物流", "cwl"), vec![2..5]);
        assert_eq!(match_ranges("ABC物流", "cwuliu"), vec![2..5]);
        // A match inside a syllable highlights the whole character.
        assert_eq!(match_ranges("电信帐务中心", "angw"), vec![2..4]);
    }

    #[test]
    fn ranges_when_nothing_matches() {
        assert!(match_ranges("电信帐务中心", "").is_empty());
        assert!(match_ranges("电信帐务中心", "   ").is_empty());
        assert!(match_ranges("电信帐务中心", "4401").is_empty());
        assert!(match_ranges("", "dx").is_empty());
    }
}
