//! Display-width aware text helpers: CJK characters take two columns, and user
//! text never reaches the terminal with control or direction-changing characters.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::Span;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Replaces characters that could move the cursor, change colours or reorder
/// text with the visible replacement character U+FFFD; keeps everything else.
/// Invisible ones are shown too, so a name padded with them cannot pass for another.
pub fn clean(text: &str) -> String {
    text.chars().map(|c| if is_unsafe(c) { '\u{FFFD}' } else { c }).collect()
}

/// [`clean`] line by line, keeping the line breaks: for text printed by the
/// subcommands, which may quote names and cells from the database or a file.
pub fn clean_lines(text: &str) -> String {
    text.split('\n').map(clean).collect::<Vec<_>>().join("\n")
}

/// Control characters (C0, DEL and C1: ESC, CSI, BEL, backspace, CR, tab and
/// newline), and every Unicode format character (Cf: bidi marks, embeddings,
/// overrides and isolates, zero-width characters, the byte-order mark,
/// invisible operators, interlinear annotations, tags) plus the line and
/// paragraph separators. A terminal either acts on them or draws nothing,
/// and either way the columns counted no longer match what is shown.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'                      // soft hyphen
            | '\u{0600}'..='\u{0605}'       // Arabic number signs
            | '\u{061C}'                    // Arabic letter mark
            | '\u{06DD}' | '\u{070F}' | '\u{0890}' | '\u{0891}' | '\u{08E2}'
            | '\u{180E}'                    // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}'       // zero-width space, non-joiner, joiner; LRM, RLM
            | '\u{2028}' | '\u{2029}'       // line and paragraph separators
            | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
            | '\u{2060}'..='\u{206F}'       // word joiner, invisible operators, isolates, deprecated
            | '\u{FEFF}'                    // zero-width no-break space (byte-order mark)
            | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotation
            | '\u{110BD}' | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'     // Egyptian hieroglyph format controls
            | '\u{1BCA0}'..='\u{1BCA3}'     // shorthand format controls
            | '\u{1D173}'..='\u{1D17A}'     // musical symbol format controls
            | '\u{E0000}'..='\u{E007F}'     // tags (invisible copies of ASCII)
        )
}

pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts `text` to at most `max` columns, ending with "…" when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads with spaces to exactly `cols` columns (truncating first if longer).
pub fn pad(text: &str, cols: usize) -> String {
    let mut s = truncate(text, cols);
    let w = width(&s);
    s.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    s
}

/// A table as plain text for the subcommands: a header line, then one line per
/// row, columns aligned by display width (a CJK character takes two) two
/// spaces apart, no trailing spaces. Cells are [`clean`]ed.
pub fn text_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let header: Vec<String> = header.iter().map(|h| clean(h)).collect();
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| clean(c)).collect()).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().filter_map(|r| r.get(i)).chain([&header[i]]).map(|c| width(c)).max().unwrap_or(0))
        .collect();
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            out.push_str(cell);
            out.extend(std::iter::repeat_n(' ', widths.get(i).copied().unwrap_or(0).saturating_sub(width(cell))));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    };
    std::iter::once(line(&header)).chain(rows.iter().map(|r| line(r))).collect()
}

/// Splits `text` into spans, styling the char ranges in `marks` with `hit`.
pub fn highlighted(text: &str, marks: &[Range<usize>], base: Style, hit: Style) -> Vec<Span<'static>> {
    if marks.is_empty() {
        return vec![Span::styled(text.to_string(), base)];
    }
    let mut spans = Vec::new();
    let mut current = String::new();
    let mut current_hit = false;
    for (i, c) in text.chars().enumerate() {
        let is_hit = marks.iter().any(|r| r.contains(&i));
        if is_hit != current_hit && !current.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut current), if current_hit { hit } else { base }));
        }
        current_hit = is_hit;
        current.push(c);
    }
    if !current.is_empty() {
        spans.push(Span::styled(current, if current_hit { hit } else { base }));
    }
    spans
}

/// Wraps text to lines of at most `cols` columns, breaking between characters
/// (Chinese has no spaces to break at) and preferring spaces in Latin text.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for c in para.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > cols {
                // Move a trailing Latin word to the next line if there is a space to break at.
                let cut = line
                    .rfind(' ')
                    .filter(|&i| i > 0 && line[i..].chars().all(|c| c.is_ascii_alphanumeric() || c == ' '));
                match cut {
                    Some(i) if c.is_ascii_alphanumeric() => {
                        let rest = line[i + 1..].to_string();
                        line.truncate(i);
                        lines.push(std::mem::take(&mut line));
                        used = width(&rest);
                        line = rest;
                    }
                    _ => {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                }
            }
            line.push(c);
            used += w;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_columns_not_bytes() {
        assert_eq!(truncate("电信帐务中心", 8), "电信帐…");
        assert_eq!(width(&truncate("电信帐务中心", 7)), 7);
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(pad("电信", 6), "电信  ");
        assert_eq!(width(&pad("电信帐务中心", 5)), 5);
    }

    #[test]
    fn escape_sequences_are_neutralised() {
        let evil = "A\u{1b}[31mB\u{202E}C\u{7}";
        let shown = clean(evil);
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{202E}') && !shown.contains('\u{7}'));
        assert!(shown.starts_with('A'));
        for c in ['\u{9b}', '\u{8}', '\r', '\u{7f}', '\u{61c}', '\u{200e}', '\u{2060}', '\u{2069}', '\u{feff}'] {
            assert_eq!(clean(&format!("a{c}b")), "a\u{FFFD}b", "U+{:04X}", c as u32);
        }
        assert_eq!(clean("电信 café e\u{301} ½"), "电信 café e\u{301} ½");
    }

    #[test]
    fn wrapping_keeps_lines_within_width() {
        for line in wrap("中国邮政集团公司广州市分公司大客户中心 serves key accounts daily", 10) {
            assert!(width(&line) <= 10, "{line}");
        }
        assert_eq!(wrap("", 10), vec![String::new()]);
    }

    #[test]
    fn text_tables_align_by_display_width() {
        let out = text_table(
            &["登录名", "姓名", "角色"],
            &[
                vec!["li".into(), "李娜".into(), "客户经理".into()],
                vec!["wangxiaoming".into(), "王小明".into(), "主管".into()],
            ],
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "登录名        姓名    角色");
        assert_eq!(lines[1], "li            李娜    客户经理");
        assert_eq!(lines[2], "wangxiaoming  王小明  主管");
        assert!(lines.iter().all(|l| !l.ends_with(' ')));
    }

    #[test]
    fn highlight_splits_on_marks() {
        let marks: Vec<Range<usize>> = std::iter::once(0..2).collect();
        let spans = highlighted("电信帐务中心", &marks, Style::default(), Style::default().bold());
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].content, "电信");
    }
}
