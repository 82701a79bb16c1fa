//! Display-width aware text helpers: CJK characters take two columns, and user
//! text never reaches the terminal with control or direction-changing characters.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
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

/// A count of terminal cells (columns or rows) as ratatui's `u16`, saturating:
/// no terminal is 65,535 cells wide, and a larger count only asks for more room
/// than the area has, which the layout then clips.
pub fn cells(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// The display width of `text` in cells (see [`cells`]).
pub fn cells_of(text: &str) -> u16 {
    cells(width(text))
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

/// Wraps text to lines of at most `cols` columns. Lines break at spaces and
/// between Chinese characters (which have no spaces to break at), never inside a
/// Latin word or a number (`120,000,000.00` stays whole), never before closing
/// punctuation (`，。)`) nor after opening punctuation. Only a word wider than a
/// whole line is cut. The spaces a line breaks at are dropped.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    wrap_ranges(text, cols).into_iter().map(|r| text[r].to_string()).collect()
}

/// [`wrap`] for a line of styled spans: each piece keeps its style.
pub fn wrap_spans(spans: &[Span<'_>], cols: usize) -> Vec<Line<'static>> {
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    let mut bounds = Vec::with_capacity(spans.len());
    let mut at = 0;
    for s in spans {
        bounds.push((at..at + s.content.len(), s.style));
        at += s.content.len();
    }
    wrap_ranges(&text, cols)
        .into_iter()
        .map(|line| {
            let pieces: Vec<Span<'static>> = bounds
                .iter()
                .filter_map(|(span, style)| {
                    let (from, to) = (span.start.max(line.start), span.end.min(line.end));
                    (from < to).then(|| Span::styled(text[from..to].to_string(), *style))
                })
                .collect();
            Line::from(pieces)
        })
        .collect()
}

/// Lays out parts (each a few styled spans: "客户级别: 钻石", "下次应更新
/// 2026-10-05") in rows of at most `cols` columns, `sep` between two parts on a
/// row. A part is never split across rows unless it is wider than a whole row
/// (then it is wrapped like text).
pub fn flow(parts: Vec<Vec<Span<'static>>>, sep: &Span<'static>, cols: usize) -> Vec<Line<'static>> {
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let sep_w = width(&sep.content);
    for part in parts {
        let w: usize = part.iter().map(|s| width(&s.content)).sum();
        if !row.is_empty() && used + sep_w + w <= cols {
            row.push(sep.clone());
            row.extend(part);
            used += sep_w + w;
            continue;
        }
        if !row.is_empty() {
            rows.push(Line::from(std::mem::take(&mut row)));
        }
        if w <= cols {
            row = part;
            used = w;
        } else {
            let mut pieces = wrap_spans(&part, cols);
            let last = pieces.pop().unwrap_or_default();
            rows.extend(pieces);
            used = last.width();
            row = last.spans;
        }
    }
    if !row.is_empty() {
        rows.push(Line::from(row));
    }
    rows
}

/// The byte ranges of `text` that [`wrap`] makes its lines of.
pub fn wrap_ranges(text: &str, cols: usize) -> Vec<Range<usize>> {
    let cols = cols.max(2);
    let mut lines = Vec::new();
    let mut offset = 0;
    for para in text.split('\n') {
        wrap_paragraph(para, offset, cols, &mut lines);
        offset += para.len() + 1;
    }
    lines
}

fn wrap_paragraph(text: &str, offset: usize, cols: usize, lines: &mut Vec<Range<usize>>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |i: usize| offset + chars.get(i).map_or(text.len(), |(b, _)| *b);
    let cols_of = |from: usize, to: usize| chars[from..to].iter().map(|(_, c)| c.width().unwrap_or(0)).sum::<usize>();
    let (mut start, mut used, mut i) = (0, 0, 0);
    // The last place the line may end: (end of this line, start of the next).
    let mut brk: Option<(usize, usize)> = None;
    while i < chars.len() {
        let c = chars[i].1;
        if i > start {
            let prev = chars[i - 1].1;
            if prev == ' ' && c != ' ' {
                let mut end = i;
                while end > start && chars[end - 1].1 == ' ' {
                    end -= 1;
                }
                brk = Some((end, i));
            } else if prev != ' ' && c != ' ' && may_break_between(prev, c) {
                brk = Some((i, i));
            }
        }
        let w = c.width().unwrap_or(0);
        if used + w <= cols || i == start {
            used += w;
            i += 1;
            continue;
        }
        let (end, next) = if c == ' ' {
            let mut end = i;
            while end > start && chars[end - 1].1 == ' ' {
                end -= 1;
            }
            (end, i)
        } else {
            brk.filter(|(end, _)| *end > start).unwrap_or((i, i))
        };
        lines.push(byte(start)..byte(end));
        start = next;
        while start < chars.len() && chars[start].1 == ' ' {
            start += 1;
        }
        i = i.max(start);
        used = cols_of(start, i);
        brk = None;
    }
    lines.push(byte(start.min(chars.len()))..byte(chars.len()));
}

/// Whether a line may break between two characters with no space between them:
/// next to a wide (CJK) character, except before closing and after opening
/// punctuation.
fn may_break_between(prev: char, next: char) -> bool {
    const CLOSING: &str = "，。、；：！？）》」』】〉〕’”…,.;:!?)]}%‰";
    const OPENING: &str = "（《「『【〈〔‘“([{";
    let wide = |c: char| c.width() == Some(2);
    (wide(prev) || wide(next)) && !CLOSING.contains(next) && !OPENING.contains(prev)
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
    fn wrapping_never_splits_a_number_or_a_word() {
        let text =
            "分级方案: 广东指导意见评分 · 2025-11至2026-10收入 3,020,398.23 · 单位收入 120,000,000.00 (2026年度)";
        for cols in 10..80 {
            let lines = wrap(text, cols);
            for line in &lines {
                assert!(width(line) <= cols, "{cols}: {line}");
            }
            let all = lines.concat();
            for number in ["3,020,398.23", "120,000,000.00", "2025-11", "2026-10"] {
                assert!(all.contains(number), "{cols}: {number} split in {lines:?}");
            }
        }
        assert_eq!(wrap("单位收入 120,000,000.00", 16), ["单位收入", "120,000,000.00"]);
        assert_eq!(wrap("serves key accounts", 10), ["serves key", "accounts"]);
        // Between Chinese characters, but not before a closing mark.
        assert_eq!(wrap("已创建客户，等待审批", 9), ["已创建客", "户，等待", "审批"]);
        let lines = wrap("已创建客户，等待主管审批注册", 10);
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
        assert!(lines.iter().all(|l| width(l) <= 10), "{lines:?}");
        // Only a word longer than a line is cut.
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        // Leading indentation stays; spaces at a break go.
        assert_eq!(wrap("  ab cd", 5), ["  ab", "cd"]);
    }

    #[test]
    fn wrapped_spans_keep_their_styles() {
        let bold = Style::default().bold();
        let spans = [Span::raw("下次应更新 "), Span::styled("2026-10-05", bold)];
        let lines = wrap_spans(&spans, 12);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].spans[0].content, "2026-10-05");
        assert_eq!(lines[1].spans[0].style, bold);
    }

    #[test]
    fn flowed_parts_stay_whole() {
        let part = |t: &str| vec![Span::raw(t.to_string())];
        let parts = vec![part("A: 郭芳"), part("B: —"), part("天河区邮政局大客户中心"), part("下次应更新 2026-10-05")];
        let rows: Vec<String> = flow(parts, &Span::raw(" · "), 40).iter().map(|l| l.to_string()).collect();
        assert_eq!(rows, ["A: 郭芳 · B: — · 天河区邮政局大客户中心", "下次应更新 2026-10-05"]);
        let rows = flow(vec![part("中国邮政集团有限公司广州市分公司")], &Span::raw(" · "), 20);
        assert!(rows.len() == 2 && rows.iter().all(|l| l.width() <= 20));
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
