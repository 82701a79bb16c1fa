//! The `?` overlay: the keys of the current screen, from the keymap itself.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::text::{cells, pad, width};
use crate::i18n::Lang;
use crate::keymap::{Keymap, Mode};
use crate::theme::Slot;
use crate::theme::Theme;

/// The overlay over `area`, listing the keys of `modes` and then the global ones.
pub fn draw(f: &mut Frame, area: Rect, keymap: &Keymap, lang: Lang, theme: &Theme, modes: &[Mode]) {
    let mut rows: Vec<(String, &'static str)> = Vec::new();
    // A key bound in an earlier mode shadows the same key in the later ones,
    // as lookup does: only the keys that still reach a command are listed.
    let mut taken: Vec<String> = Vec::new();
    for mode in modes.iter().chain(std::iter::once(&Mode::Global)) {
        let bindings = keymap.bindings(*mode);
        for (keys, cmd) in &bindings {
            let free: Vec<&str> = keys.split(' ').filter(|k| !taken.iter().any(|t| t == k)).collect();
            let desc = lang.pick(cmd.describe());
            if !free.is_empty() && !rows.iter().any(|(_, d)| *d == desc) {
                rows.push((free.join(" "), desc));
            }
        }
        taken.extend(bindings.iter().flat_map(|(keys, _)| keys.split(' ').map(str::to_string)));
    }
    let key_w = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(4).min(20);
    // Two columns when the list is longer than the screen is tall; descriptions
    // are cut to fit rather than keys being dropped.
    let inner_h = area.height.saturating_sub(3) as usize;
    let columns = if rows.len() > inner_h { 2 } else { 1 };
    let room = (area.width as usize).saturating_sub(4) / columns;
    let desc_w = rows.iter().map(|(_, d)| width(d)).max().unwrap_or(10).min(room.saturating_sub(key_w + 3).max(4));
    let per_col = rows.len().div_ceil(columns).max(1);
    let col_w = key_w + desc_w + 3;
    let w = cells(col_w * columns + 4).min(area.width);
    let h = cells(per_col.min(inner_h) + 3).min(area.height);
    let popup = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    let mut lines: Vec<Line> = Vec::new();
    for r in 0..per_col.min(inner_h) {
        let mut spans = Vec::new();
        for c in 0..columns {
            if let Some((keys, desc)) = rows.get(c * per_col + r) {
                spans.push(Span::styled(format!(" {} ", pad(keys, key_w)), theme.get(Slot::Accent)));
                spans.push(Span::styled(pad(desc, desc_w), theme.get(Slot::Base)));
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(lang.text().help_close, theme.get(Slot::Muted))));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {} ", lang.text().help_title), theme.get(Slot::Title)))
        .border_style(theme.get(Slot::Border));
    // A wide character just left of the popup would spill its second half over
    // the border; blank it so the terminal draws the border.
    if popup.x > 0 {
        let buf = f.buffer_mut();
        for y in popup.y..popup.y + popup.height {
            let cell = &mut buf[(popup.x - 1, y)];
            if unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    f.render_widget(Clear, popup);
    f.render_widget(Paragraph::new(lines).block(block), popup);
}
