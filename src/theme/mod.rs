//! Semantic theme: screens ask for a meaning (`tier.gold`, `stale`, `selection`),
//! theme files say how it looks. Built-in themes are embedded; a file of the same
//! name in the user's themes directory overrides them.

use std::collections::HashMap;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("basic16", include_str!("../../themes/basic16.toml")),
];

#[derive(Debug, Deserialize)]
struct ThemeFile {
    #[serde(default)]
    slots: HashMap<String, SlotSpec>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
    inherit: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("unknown theme '{0}' (built in: dark, light, basic16)")]
    Unknown(String),
    #[error("theme file {path}: {reason}")]
    Bad { path: String, reason: String },
}

/// Resolved styles by slot name.
#[derive(Debug, Clone)]
pub struct Theme {
    styles: HashMap<String, Style>,
    no_color: bool,
}

impl Theme {
    /// Loads a theme by name, from `user_dir/NAME.toml` if present, else built in.
    pub fn load(name: &str, user_dir: Option<&Path>, no_color: bool) -> Result<Theme, ThemeError> {
        let user_file = user_dir.map(|d| d.join(format!("{name}.toml"))).filter(|p| p.is_file());
        let (source, text) = match user_file {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ThemeError::Bad { path: path.display().to_string(), reason: e.to_string() })?;
                (path.display().to_string(), text)
            }
            None => {
                let text = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| ThemeError::Unknown(name.into()))?.1;
                (name.to_string(), text.to_string())
            }
        };
        Theme::parse(&text, no_color).map_err(|reason| ThemeError::Bad { path: source, reason })
    }

    pub fn parse(text: &str, no_color: bool) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut styles = HashMap::new();
        for name in file.slots.keys() {
            let style = resolve(&file.slots, name, 0)?;
            styles.insert(name.clone(), style);
        }
        Ok(Theme { styles, no_color })
    }

    /// The style for a meaning; falls back along the dotted path, then to `base`.
    pub fn get(&self, slot: &str) -> Style {
        let mut name = slot;
        let style = loop {
            if let Some(s) = self.styles.get(name) {
                break *s;
            }
            match name.rfind('.') {
                Some(i) => name = &name[..i],
                None => break self.styles.get("base").copied().unwrap_or_default(),
            }
        };
        if self.no_color { strip_colour(slot, style) } else { style }
    }

    pub fn no_color(&self) -> bool {
        self.no_color
    }
}

/// NO_COLOR: drop colours, keep emphasis, and make the few slots that were told
/// apart only by colour visible by a modifier instead.
fn strip_colour(slot: &str, style: Style) -> Style {
    let mut s = Style::default().add_modifier(style.add_modifier).remove_modifier(style.sub_modifier);
    match slot {
        "selection" | "status_bar_error" | "input_focus" => s = s.add_modifier(Modifier::REVERSED),
        "match" | "tab_active" => s = s.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
        _ => {}
    }
    s
}

fn resolve(slots: &HashMap<String, SlotSpec>, name: &str, depth: usize) -> Result<Style, String> {
    if depth > 8 {
        return Err(format!("slot '{name}': inheritance loop"));
    }
    let spec = slots.get(name).ok_or_else(|| format!("slot '{name}' inherits an unknown slot"))?;
    let mut style = match &spec.inherit {
        Some(parent) => resolve(slots, parent, depth + 1)?,
        None => Style::default(),
    };
    if let Some(fg) = &spec.fg {
        style = style.fg(colour(fg).map_err(|e| format!("slot '{name}': {e}"))?);
    }
    if let Some(bg) = &spec.bg {
        style = style.bg(colour(bg).map_err(|e| format!("slot '{name}': {e}"))?);
    }
    for (on, m) in [
        (spec.bold, Modifier::BOLD),
        (spec.italic, Modifier::ITALIC),
        (spec.underlined, Modifier::UNDERLINED),
        (spec.reversed, Modifier::REVERSED),
    ] {
        if on {
            style = style.add_modifier(m);
        }
    }
    Ok(style)
}

fn colour(text: &str) -> Result<Color, String> {
    text.parse::<Color>().map_err(|_| format!("'{text}' is not a colour"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_parse_and_inherit() {
        for (name, _) in BUILTIN {
            let t = Theme::load(name, None, false).unwrap();
            assert_eq!(t.get("stale"), t.get("alert"), "{name}");
            assert_eq!(t.get("tier.general"), t.get("muted"), "{name}");
            // an unknown dotted slot falls back to its parent
            assert_eq!(t.get("tier.gold.extra"), t.get("tier.gold"), "{name}");
        }
    }

    #[test]
    fn no_color_keeps_markers_but_drops_colours() {
        let t = Theme::load("dark", None, true).unwrap();
        assert_eq!(t.get("alert").fg, None);
        assert!(t.get("alert").add_modifier.contains(Modifier::BOLD));
        assert!(t.get("selection").add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn bad_theme_files_say_why() {
        assert!(Theme::parse("[slots]\nbase = { fg = \"nocolour\" }", false).unwrap_err().contains("nocolour"));
        assert!(Theme::parse("[slots]\na = { inherit = \"b\" }", false).unwrap_err().contains("unknown"));
        assert!(Theme::parse("[slots]\na = { inherit = \"a\" }", false).unwrap_err().contains("loop"));
        assert!(matches!(Theme::load("neon", None, false), Err(ThemeError::Unknown(_))));
    }
}
