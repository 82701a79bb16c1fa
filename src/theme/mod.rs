//! Semantic theme: screens ask for a meaning (`tier.gold`, `stale`, `selection`),
//! theme files say how it looks. Built-in themes are embedded; a file of the same
//! name in the user's themes directory overrides them.
//!
//! Colours are fitted to the terminal ([`ColorDepth`]): 24-bit colours are sent
//! only where the terminal says it shows them, else the nearest of the 256-colour
//! palette, else of the 16 ANSI colours; NO_COLOR keeps none.

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

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColorDepth {
    /// NO_COLOR (or a dumb terminal): emphasis only.
    None,
    /// The 16 ANSI colours (SGR 30–37, 90–97): vt100, xterm, the Linux console.
    Ansi16,
    /// The xterm 256-colour palette (TERM …-256color).
    Ansi256,
    /// 24-bit colour (COLORTERM=truecolor or 24bit, TERM …-direct).
    TrueColor,
}

impl ColorDepth {
    /// What the environment says the terminal shows, `var` reading a variable:
    /// NO_COLOR (any non-empty value) wins; COLORTERM names 24-bit colour as
    /// terminals that have it set it; TERM ending in -direct has it too, TERM
    /// naming 256color has the 256; any other terminal gets the 16.
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> ColorDepth {
        if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorDepth::None;
        }
        let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if term == "dumb" {
            ColorDepth::None
        } else if matches!(colorterm.as_str(), "truecolor" | "24bit") || term.ends_with("-direct") {
            ColorDepth::TrueColor
        } else if term.contains("256color") {
            ColorDepth::Ansi256
        } else {
            ColorDepth::Ansi16
        }
    }

    /// [`ColorDepth::detect`] on this process's environment.
    pub fn from_env() -> ColorDepth {
        ColorDepth::detect(|name| std::env::var(name).ok())
    }
}

/// Resolved styles by slot name.
#[derive(Debug, Clone)]
pub struct Theme {
    styles: HashMap<String, Style>,
    no_color: bool,
}

impl Theme {
    /// Loads a theme by name for a terminal of full colour, or none (`no_color`).
    pub fn load(name: &str, user_dir: Option<&Path>, no_color: bool) -> Result<Theme, ThemeError> {
        Theme::load_for(name, user_dir, if no_color { ColorDepth::None } else { ColorDepth::TrueColor })
    }

    /// Loads a theme by name, from `user_dir/NAME.toml` if present, else built in,
    /// its colours fitted to `depth`.
    pub fn load_for(name: &str, user_dir: Option<&Path>, depth: ColorDepth) -> Result<Theme, ThemeError> {
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
        Theme::parse_for(&text, depth).map_err(|reason| ThemeError::Bad { path: source, reason })
    }

    pub fn parse(text: &str, no_color: bool) -> Result<Theme, String> {
        Theme::parse_for(text, if no_color { ColorDepth::None } else { ColorDepth::TrueColor })
    }

    pub fn parse_for(text: &str, depth: ColorDepth) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut styles = HashMap::new();
        for name in file.slots.keys() {
            let mut style = resolve(&file.slots, name, 0)?;
            style.fg = style.fg.map(|c| fit(c, depth));
            style.bg = style.bg.map(|c| fit(c, depth));
            styles.insert(name.clone(), style);
        }
        Ok(Theme { styles, no_color: depth == ColorDepth::None })
    }

    /// Every resolved style, for checks.
    pub fn styles(&self) -> impl Iterator<Item = (&str, Style)> {
        self.styles.iter().map(|(name, style)| (name.as_str(), *style))
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

/// The 16 ANSI colours, in SGR order (30–37, then 90–97).
pub const ANSI16: [Color; 16] = [
    Color::Black,
    Color::Red,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::Gray,
    Color::DarkGray,
    Color::LightRed,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
    Color::White,
];

/// `colour` as a terminal of `depth` can show it: the nearest 256-colour index
/// for a 24-bit colour, the nearest ANSI colour on a 16-colour terminal.
pub fn fit(colour: Color, depth: ColorDepth) -> Color {
    match (depth, colour) {
        (ColorDepth::TrueColor | ColorDepth::None, c) => c,
        (ColorDepth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
        (ColorDepth::Ansi16, Color::Indexed(i)) if (i as usize) < 16 => ANSI16[i as usize],
        (ColorDepth::Ansi16, Color::Indexed(i)) => {
            let (r, g, b) = rgb_of_256(i);
            nearest_16(r, g, b)
        }
        (ColorDepth::Ansi16, Color::Rgb(r, g, b)) => nearest_16(r, g, b),
        (_, c) => c,
    }
}

/// The levels of the 6×6×6 colour cube (indexes 16–231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The nearest colour of the cube or the grey ramp (232–255); never 0–15,
/// whose look each terminal chooses.
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    let level =
        |v: u8| CUBE.iter().enumerate().min_by_key(|(_, l)| (**l as i32 - v as i32).abs()).map_or(0, |(i, _)| i);
    let (ri, gi, bi) = (level(r), level(g), level(b));
    // Each level is 0..=5, so the cube index is at most 231: the fallback is never taken.
    let cube = u8::try_from(16 + 36 * ri + 6 * gi + bi).unwrap_or(231);
    let grey_step = (((r as u32 + g as u32 + b as u32) / 3).saturating_sub(3) / 10).min(23) as u8;
    let grey = 232 + grey_step;
    let distance = |i: u8| {
        let (cr, cg, cb) = rgb_of_256(i);
        [(r, cr), (g, cg), (b, cb)].iter().map(|(a, c)| (*a as i32 - *c as i32).pow(2)).sum::<i32>()
    };
    if distance(grey) < distance(cube) { grey } else { cube }
}

/// A palette index's colour as xterm shows it (16–255; 0–15 by xterm's defaults).
fn rgb_of_256(i: u8) -> (u8, u8, u8) {
    const BASE: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    match i {
        0..=15 => BASE[i as usize],
        16..=231 => {
            let i = i - 16;
            (CUBE[(i / 36) as usize], CUBE[(i / 6 % 6) as usize], CUBE[(i % 6) as usize])
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// The ANSI colour a 24-bit colour reads as: greys by lightness, others by hue
/// (red, yellow, green, cyan, blue, magenta), bright when light. By hue rather
/// than by distance, so a soft green stays green instead of becoming grey.
fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let chroma = (max - min) as f32;
    if chroma < 30.0 {
        return match max {
            0..48 => Color::Black,
            48..150 => Color::DarkGray,
            150..230 => Color::Gray,
            _ => Color::White,
        };
    }
    let (rf, gf, bf) = (r as f32, g as f32, b as f32);
    let sector = if max == r {
        ((gf - bf) / chroma).rem_euclid(6.0)
    } else if max == g {
        (bf - rf) / chroma + 2.0
    } else {
        (rf - gf) / chroma + 4.0
    };
    // The nearest of the six hues; 6 (just below 360°) wraps round to red.
    let hue = (0u8..6).find(|&h| sector < f32::from(h) + 0.5).unwrap_or(0);
    let bright = max > 200;
    match (hue, bright) {
        (0, false) => Color::Red,
        (0, true) => Color::LightRed,
        (1, false) => Color::Yellow,
        (1, true) => Color::LightYellow,
        (2, false) => Color::Green,
        (2, true) => Color::LightGreen,
        (3, false) => Color::Cyan,
        (3, true) => Color::LightCyan,
        (4, false) => Color::Blue,
        (4, true) => Color::LightBlue,
        (_, false) => Color::Magenta,
        (_, true) => Color::LightMagenta,
    }
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

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_terminal_says_how_many_colours_it_shows() {
        use ColorDepth::*;
        for (vars, depth) in [
            (&[("TERM", "xterm")][..], Ansi16),
            (&[("TERM", "vt100")], Ansi16),
            (&[("TERM", "linux")], Ansi16),
            (&[("TERM", "screen")], Ansi16),
            (&[], Ansi16),
            (&[("TERM", "xterm-256color")], Ansi256),
            (&[("TERM", "tmux-256color")], Ansi256),
            (&[("TERM", "xterm-direct")], TrueColor),
            (&[("TERM", "xterm-256color"), ("COLORTERM", "truecolor")], TrueColor),
            (&[("TERM", "xterm"), ("COLORTERM", "24bit")], TrueColor),
            (&[("TERM", "xterm-256color"), ("COLORTERM", "rxvt")], Ansi256),
            (&[("TERM", "xterm-256color"), ("COLORTERM", "truecolor"), ("NO_COLOR", "1")], None),
            (&[("TERM", "xterm"), ("NO_COLOR", "")], Ansi16),
            (&[("TERM", "dumb")], None),
        ] {
            assert_eq!(ColorDepth::detect(env(vars)), depth, "{vars:?}");
        }
    }

    /// Each built-in theme, on each terminal, uses only colours that terminal shows.
    #[test]
    fn colours_fit_the_terminal() {
        for (name, _) in BUILTIN {
            for depth in [ColorDepth::Ansi16, ColorDepth::Ansi256, ColorDepth::TrueColor] {
                let theme = Theme::load_for(name, None, depth).unwrap();
                for (slot, style) in theme.styles() {
                    for c in [style.fg, style.bg].into_iter().flatten() {
                        let ok = match (depth, c) {
                            (ColorDepth::Ansi16, c) => ANSI16.contains(&c) || c == Color::Reset,
                            (ColorDepth::Ansi256, Color::Rgb(..)) => false,
                            (ColorDepth::Ansi256, Color::Indexed(i)) => i >= 16,
                            _ => true,
                        };
                        assert!(ok, "{name} on {depth:?}: {slot} is {c:?}");
                    }
                }
            }
        }
        // The default theme keeps its 24-bit colours only where they show.
        let dark = |depth| Theme::load_for("dark", None, depth).unwrap().get("alert").fg.unwrap();
        assert_eq!(dark(ColorDepth::TrueColor), Color::Rgb(0xff, 0x5f, 0x5f));
        assert_eq!(dark(ColorDepth::Ansi256), Color::Indexed(203));
        assert_eq!(dark(ColorDepth::Ansi16), Color::LightRed);
    }

    /// On 16 colours the slots that mean different things still look different.
    #[test]
    fn sixteen_colours_keep_meanings_apart() {
        for name in ["dark", "light", "basic16"] {
            let t = Theme::load_for(name, None, ColorDepth::Ansi16).unwrap();
            assert_ne!(t.get("input").bg, t.get("input_focus").bg, "{name}");
            assert_ne!(t.get("selection").bg, t.get("base").bg, "{name}");
            assert_ne!(t.get("status_bar_error").bg, t.get("status_bar").bg, "{name}");
            assert_ne!(t.get("ok").fg, t.get("alert").fg, "{name}");
        }
        let dark = Theme::load_for("dark", None, ColorDepth::Ansi16).unwrap();
        assert_eq!(dark.get("ok").fg, Some(Color::LightGreen), "a soft green stays green");
        assert_eq!(dark.get("muted").fg, Some(Color::DarkGray));
    }

    #[test]
    fn basic16_names_only_the_16_ansi_colours() {
        let file: ThemeFile = toml::from_str(BUILTIN.iter().find(|(n, _)| *n == "basic16").unwrap().1).unwrap();
        for (slot, spec) in &file.slots {
            for text in [&spec.fg, &spec.bg].into_iter().flatten() {
                assert!(ANSI16.contains(&colour(text).unwrap()), "basic16: {slot} = {text}");
            }
        }
    }

    #[test]
    fn bad_theme_files_say_why() {
        assert!(Theme::parse("[slots]\nbase = { fg = \"nocolour\" }", false).unwrap_err().contains("nocolour"));
        assert!(Theme::parse("[slots]\na = { inherit = \"b\" }", false).unwrap_err().contains("unknown"));
        assert!(Theme::parse("[slots]\na = { inherit = \"a\" }", false).unwrap_err().contains("loop"));
        assert!(matches!(Theme::load("neon", None, false), Err(ThemeError::Unknown(_))));
    }
}
