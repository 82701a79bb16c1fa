//! kam's SQL is written with SQLite's placeholders (`?1`, `?2`, and bare `?`);
//! PostgreSQL numbers them `$1`, `$2`. Translating at the seam lets both
//! engines run the same statement text.
//!
//! Only placeholders are touched: text inside string literals (`'…'`),
//! quoted names (`"…"`), dollar-quoted bodies (`$tag$…$tag$`) and comments
//! (`-- …`, `/* … */`) passes through byte for byte, so a `?` that a user
//! typed into a search word or a note never becomes a parameter.

/// Rewrites SQLite-style placeholders to PostgreSQL's. A bare `?` takes the
/// number one above the largest used so far, as SQLite numbers it, so `?2, ?`
/// means `$2, $3`.
pub fn to_postgres(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut largest = 0u32;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let skip_to = match bytes[i] {
            b'\'' => closing_quote(bytes, i, b'\''),
            b'"' => closing_quote(bytes, i, b'"'),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| i + p + 1)
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => block_comment_end(bytes, i),
            b'$' => dollar_quote_end(sql, i).unwrap_or(i + 1),
            b'?' => {
                let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
                let number = match sql[i + 1..i + 1 + digits].parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => largest + 1,
                };
                largest = largest.max(number);
                out.push_str(&sql[copied..i]);
                out.push('$');
                out.push_str(&number.to_string());
                i += 1 + digits;
                copied = i;
                continue;
            }
            _ => i + 1,
        };
        i = skip_to;
    }
    out.push_str(&sql[copied..]);
    out
}

/// The index just past a quoted run that opens at `start`; a doubled quote
/// inside is the quote itself. An unterminated run goes to the end.
fn closing_quote(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// Past a `/* … */` comment; PostgreSQL nests them, so nesting is counted.
fn block_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Past a `$tag$ … $tag$` body opening at `start`, or `None` when the `$`
/// does not open one (it is a `$1` already, or part of a name).
fn dollar_quote_end(sql: &str, start: usize) -> Option<usize> {
    let rest = &sql[start + 1..];
    let tag_len = rest.find('$')?;
    let tag = &rest[..tag_len];
    let is_tag = tag.chars().all(|c| c.is_alphanumeric() || c == '_') && !tag.starts_with(|c: char| c.is_ascii_digit());
    if !is_tag || start > 0 && is_name_byte(sql.as_bytes()[start - 1]) {
        return None;
    }
    let delimiter = &sql[start..start + tag_len + 2];
    let body = start + delimiter.len();
    Some(sql[body..].find(delimiter).map_or(sql.len(), |p| body + p + delimiter.len()))
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::to_postgres;
    use proptest::prelude::*;

    #[test]
    fn numbered_and_bare_placeholders_are_numbered_as_sqlite_does() {
        assert_eq!(to_postgres("SELECT ?1, ?2, ?1"), "SELECT $1, $2, $1");
        assert_eq!(to_postgres("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
        assert_eq!(to_postgres("WHERE a = ?2 AND b = ?"), "WHERE a = $2 AND b = $3");
        assert_eq!(to_postgres("LIMIT ?10 OFFSET ?9"), "LIMIT $10 OFFSET $9");
    }

    #[test]
    fn quotes_and_comments_are_left_alone() {
        assert_eq!(to_postgres("SELECT '?1', ?1"), "SELECT '?1', $1");
        assert_eq!(to_postgres("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
        assert_eq!(to_postgres(r#"SELECT "a?b" FROM t WHERE x = ?"#), r#"SELECT "a?b" FROM t WHERE x = $1"#);
        assert_eq!(to_postgres("SELECT ? -- why ?\n, ?"), "SELECT $1 -- why ?\n, $2");
        assert_eq!(to_postgres("SELECT /* a ? /* b ? */ c ? */ ?"), "SELECT /* a ? /* b ? */ c ? */ $1");
        assert_eq!(to_postgres("DO $body$ SELECT '?' ? $body$; SELECT ?"), "DO $body$ SELECT '?' ? $body$; SELECT $1");
        assert_eq!(to_postgres("SELECT $$?$$, ?"), "SELECT $$?$$, $1");
        assert_eq!(to_postgres("SELECT '广州?', ?"), "SELECT '广州?', $1");
    }

    #[test]
    fn text_without_placeholders_is_unchanged() {
        for sql in ["", "SELECT 1", "SELECT $1", "SELECT 'unterminated ?", "SELECT a$b FROM t"] {
            assert_eq!(to_postgres(sql), sql);
        }
    }

    /// One piece of a generated statement and what it must become.
    fn piece() -> impl Strategy<Value = (String, Option<u32>)> {
        prop_oneof![
            // A string literal holding anything, quotes doubled.
            "[a-z?$'\"\\-/* 广州]{0,12}".prop_map(|s| (format!("'{}'", s.replace('\'', "''")), None)),
            // A quoted name.
            "[a-z?$' ]{0,8}".prop_map(|s| (format!("\"{}\"", s.replace('"', "\"\"")), None)),
            // A comment.
            "[a-z?' ]{0,8}".prop_map(|s| (format!("-- {s}\n"), None)),
            "[a-z?' ]{0,8}".prop_map(|s| (format!("/* {s} */"), None)),
            // Plain words.
            "[a-z ,()=]{1,6}".prop_map(|s| (s, None)),
            // A numbered placeholder (bare ones are checked above).
            (1u32..20).prop_map(|n| (format!(" ?{n} "), Some(n))),
        ]
    }

    proptest! {
        #[test]
        fn text_inside_quotes_and_comments_never_changes(pieces in prop::collection::vec(piece(), 0..12)) {
            let sql: String = pieces.iter().map(|(s, _)| s.as_str()).collect();
            let expected: String = pieces
                .iter()
                .map(|(s, n)| match n {
                    Some(n) => format!(" ${n} "),
                    None => s.clone(),
                })
                .collect();
            prop_assert_eq!(to_postgres(&sql), expected);
        }
    }
}
