//! Semantic theme: screens ask for a meaning (`tier.gold`, `stale`, `selection`),
//! theme files say how it looks. Built-in themes are embedded; a file of the same
//! name in the user's themes directory overrides them.
//!
//! Colours are fitted to the terminal ([`ColorDepth`]): 24-bit colours are sent
//! only where the terminal says it shows them, else the nearest of the 256-colour
//! palette, else of the 16 ANSI colours; NO_COLOR keeps none.

use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use strum::{EnumCount, EnumIter, EnumString, IntoEnumIterator, IntoStaticStr, VariantNames};
use toml::Spanned;

use crate::config::line_of;
use crate::domain::revenue::CustomerStatus;
use crate::domain::tier::Tier;
use crate::domain::visit::VisitStatus;

pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("basic16", include_str!("../../themes/basic16.toml")),
];

/// A meaning a screen draws with. A theme file names these under `[slots]`
/// (`"tier.gold" = { fg = "#ffd700" }`); any other name is refused, so a typo
/// cannot be silently ignored. A slot the file leaves out looks like its
/// group (`tier.gold` → `tier`), else like `base`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, EnumIter, EnumCount, VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum Slot {
    Base,
    Muted,
    Accent,
    Title,
    Header,
    Border,
    Selection,
    /// The matched part of a search result.
    Match,
    Alert,
    Warning,
    Ok,
    Error,
    /// A dossier not reviewed for too long.
    Stale,
    StatusBar,
    StatusBarError,
    Tab,
    TabActive,
    Input,
    InputFocus,
    /// Today in the calendar.
    Today,
    /// The group of the tier slots.
    Tier,
    #[strum(serialize = "tier.diamond")]
    TierDiamond,
    #[strum(serialize = "tier.platinum")]
    TierPlatinum,
    #[strum(serialize = "tier.gold")]
    TierGold,
    #[strum(serialize = "tier.silver")]
    TierSilver,
    #[strum(serialize = "tier.vip")]
    TierVip,
    #[strum(serialize = "tier.general")]
    TierGeneral,
    #[strum(serialize = "tier.district")]
    TierDistrict,
    #[strum(serialize = "tier.company")]
    TierCompany,
    #[strum(serialize = "tier.branch")]
    TierBranch,
    #[strum(serialize = "tier.none")]
    TierNone,
    /// The group of the customer status slots.
    Status,
    #[strum(serialize = "status.normal")]
    StatusNormal,
    #[strum(serialize = "status.watch")]
    StatusWatch,
    #[strum(serialize = "status.warning")]
    StatusWarning,
    #[strum(serialize = "status.churned")]
    StatusChurned,
    /// The group of the visit status slots.
    Visit,
    #[strum(serialize = "visit.planned")]
    VisitPlanned,
    #[strum(serialize = "visit.done")]
    VisitDone,
    #[strum(serialize = "visit.cancelled")]
    VisitCancelled,
    #[strum(serialize = "visit.overdue")]
    VisitOverdue,
}

impl Slot {
    /// The slot's name in a theme file.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The group a dotted slot falls back to.
    pub fn parent(self) -> Option<Slot> {
        let name = self.name();
        name.rfind('.').and_then(|dot| name[..dot].parse().ok())
    }

    /// The slot a tier is drawn in.
    pub fn tier(tier: Tier) -> Slot {
        match tier {
            Tier::Diamond => Slot::TierDiamond,
            Tier::Platinum => Slot::TierPlatinum,
            Tier::Gold => Slot::TierGold,
            Tier::Silver => Slot::TierSilver,
            Tier::Vip => Slot::TierVip,
            Tier::General => Slot::TierGeneral,
            Tier::District => Slot::TierDistrict,
            Tier::Company => Slot::TierCompany,
            Tier::Branch => Slot::TierBranch,
            Tier::Unranked => Slot::TierNone,
        }
    }

    /// The slot a customer status is drawn in.
    pub fn customer_status(status: CustomerStatus) -> Slot {
        match status {
            CustomerStatus::Normal => Slot::StatusNormal,
            CustomerStatus::Watch => Slot::StatusWatch,
            CustomerStatus::Warning => Slot::StatusWarning,
            CustomerStatus::Churned => Slot::StatusChurned,
        }
    }

    /// The slot of a stored customer status code (the group for any other text).
    pub fn customer_status_code(code: &str) -> Slot {
        CustomerStatus::from_code(code).map_or(Slot::Status, Slot::customer_status)
    }

    /// The slot a visit's status is drawn in.
    pub fn visit(status: VisitStatus) -> Slot {
        match status {
            VisitStatus::Planned => Slot::VisitPlanned,
            VisitStatus::Done => Slot::VisitDone,
            VisitStatus::Cancelled => Slot::VisitCancelled,
            VisitStatus::Overdue => Slot::VisitOverdue,
        }
    }
}

/// A theme file as written, each slot with where it stands. `name` is for
/// people reading the file; anything else at the top is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default, rename = "name")]
    _name: Option<String>,
    #[serde(default)]
    slots: std::collections::BTreeMap<Spanned<String>, SlotSpec>,
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

/// Why a theme was refused. Each names the file and where in it; the UI says
/// it in the user's language ([`crate::i18n::theme_error_text`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("unknown theme '{0}' (built in: dark, light, basic16)")]
    Unknown(String),
    #[error("theme file {file}: {reason}")]
    Read { file: String, reason: String },
    #[error("theme file {file}, line {line}: not valid (write slot = {{ fg = \"colour\" }} lines under [slots])")]
    Parse { file: String, line: usize },
    #[error("theme file {file}, line {line}: there is no slot '{slot}' (slots: {})", Slot::VARIANTS.join(", "))]
    UnknownSlot { file: String, line: usize, slot: String },
    #[error("theme file {file}, line {line}: slot '{}' inherits '{parent}', which is not a slot", slot.name())]
    UnknownInherit { file: String, line: usize, slot: Slot, parent: String },
    #[error("theme file {file}, line {line}: slot '{}': '{colour}' is not a colour", slot.name())]
    Colour { file: String, line: usize, slot: Slot, colour: String },
    #[error("theme file {file}, line {line}: slot '{}' inherits itself in a loop", slot.name())]
    Loop { file: String, line: usize, slot: Slot },
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

/// Resolved styles by slot: `None` where the file leaves a slot out.
#[derive(Debug, Clone)]
pub struct Theme {
    styles: [Option<Style>; Slot::COUNT],
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
                let file = path.display().to_string();
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ThemeError::Read { file: file.clone(), reason: e.to_string() })?;
                (file, text)
            }
            None => {
                let text = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| ThemeError::Unknown(name.into()))?.1;
                (format!("{name}.toml"), text.to_string())
            }
        };
        Theme::parse_file(&source, &text, depth)
    }

    /// A theme from its text (`file` names it in errors).
    pub fn parse(text: &str, no_color: bool) -> Result<Theme, ThemeError> {
        Theme::parse_file("theme.toml", text, if no_color { ColorDepth::None } else { ColorDepth::TrueColor })
    }

    /// A theme from the text of `file`, its colours fitted to `depth`. Refused,
    /// saying where, when it names a slot, an inherited slot or a colour kam
    /// does not know.
    pub fn parse_file(file: &str, text: &str, depth: ColorDepth) -> Result<Theme, ThemeError> {
        let raw: ThemeFile = toml::from_str(text).map_err(|e| ThemeError::Parse {
            file: file.into(),
            line: e.span().map_or(1, |at| line_of(text, at.start)),
        })?;
        let mut specs: [Option<(usize, SlotSpec)>; Slot::COUNT] = std::array::from_fn(|_| None);
        for (name, spec) in raw.slots {
            let line = line_of(text, name.span().start);
            let slot: Slot = name.get_ref().parse().map_err(|_| ThemeError::UnknownSlot {
                file: file.into(),
                line,
                slot: name.get_ref().clone(),
            })?;
            specs[slot as usize] = Some((line, spec));
        }
        let mut styles = [None; Slot::COUNT];
        for slot in Slot::iter() {
            if specs[slot as usize].is_some() {
                let mut style = resolve(file, &specs, slot, 0)?;
                style.fg = style.fg.map(|c| fit(c, depth));
                style.bg = style.bg.map(|c| fit(c, depth));
                styles[slot as usize] = Some(style);
            }
        }
        Ok(Theme { styles, no_color: depth == ColorDepth::None })
    }

    /// Every slot the theme sets, resolved, for checks.
    pub fn styles(&self) -> impl Iterator<Item = (Slot, Style)> + '_ {
        Slot::iter().filter_map(|slot| self.styles[slot as usize].map(|style| (slot, style)))
    }

    /// The style for a meaning; a slot the theme leaves out looks like its
    /// group, else like `base`.
    pub fn get(&self, slot: Slot) -> Style {
        let style = std::iter::successors(Some(slot), |s| s.parent())
            .find_map(|s| self.styles[s as usize])
            .or(self.styles[Slot::Base as usize])
            .unwrap_or_default();
        if self.no_color { strip_colour(slot, style) } else { style }
    }

    pub fn no_color(&self) -> bool {
        self.no_color
    }
}

/// NO_COLOR: drop colours, keep emphasis, and make the few slots that were told
/// apart only by colour visible by a modifier instead.
fn strip_colour(slot: Slot, style: Style) -> Style {
    let mut s = Style::default().add_modifier(style.add_modifier).remove_modifier(style.sub_modifier);
    match slot {
        Slot::Selection | Slot::StatusBarError | Slot::InputFocus => s = s.add_modifier(Modifier::REVERSED),
        Slot::Match | Slot::TabActive => s = s.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
        _ => {}
    }
    s
}

/// The style of `slot`, which the file sets (`specs`), following `inherit`.
/// Inheriting a slot the file leaves out takes what [`Theme::get`] would give
/// it: its group's style, else `base`'s.
fn resolve(
    file: &str,
    specs: &[Option<(usize, SlotSpec)>; Slot::COUNT],
    slot: Slot,
    depth: usize,
) -> Result<Style, ThemeError> {
    let set = |s: Slot| specs[s as usize].as_ref();
    let Some((line, spec)) = set(slot) else {
        return match std::iter::successors(slot.parent(), |s| s.parent())
            .chain([Slot::Base])
            .find(|s| set(*s).is_some())
        {
            Some(found) if found != slot => resolve(file, specs, found, depth + 1),
            _ => Ok(Style::default()),
        };
    };
    let line = *line;
    if depth > Slot::COUNT {
        return Err(ThemeError::Loop { file: file.into(), line, slot });
    }
    let mut style = match &spec.inherit {
        Some(parent) => {
            let parent_slot: Slot = parent.parse().map_err(|_| ThemeError::UnknownInherit {
                file: file.into(),
                line,
                slot,
                parent: parent.clone(),
            })?;
            resolve(file, specs, parent_slot, depth + 1)?
        }
        None => Style::default(),
    };
    let colour_of = |text: &String| {
        colour(text).ok_or_else(|| ThemeError::Colour { file: file.into(), line, slot, colour: text.clone() })
    };
    if let Some(fg) = &spec.fg {
        style = style.fg(colour_of(fg)?);
    }
    if let Some(bg) = &spec.bg {
        style = style.bg(colour_of(bg)?);
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

fn colour(text: &str) -> Option<Color> {
    text.parse::<Color>().ok()
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
            assert_eq!(t.get(Slot::Stale), t.get(Slot::Alert), "{name}");
            assert_eq!(t.get(Slot::TierGeneral), t.get(Slot::Muted), "{name}");
            // A slot the theme leaves out looks like base.
            assert_eq!(t.get(Slot::TierDistrict), t.get(Slot::Base), "{name}");
        }
    }

    #[test]
    fn no_color_keeps_markers_but_drops_colours() {
        let t = Theme::load("dark", None, true).unwrap();
        assert_eq!(t.get(Slot::Alert).fg, None);
        assert!(t.get(Slot::Alert).add_modifier.contains(Modifier::BOLD));
        assert!(t.get(Slot::Selection).add_modifier.contains(Modifier::REVERSED));
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
                        assert!(ok, "{name} on {depth:?}: {slot:?} is {c:?}");
                    }
                }
            }
        }
        // The default theme keeps its 24-bit colours only where they show.
        let dark = |depth| Theme::load_for("dark", None, depth).unwrap().get(Slot::Alert).fg.unwrap();
        assert_eq!(dark(ColorDepth::TrueColor), Color::Rgb(0xff, 0x5f, 0x5f));
        assert_eq!(dark(ColorDepth::Ansi256), Color::Indexed(203));
        assert_eq!(dark(ColorDepth::Ansi16), Color::LightRed);
    }

    /// On 16 colours the slots that mean different things still look different.
    #[test]
    fn sixteen_colours_keep_meanings_apart() {
        for name in ["dark", "light", "basic16"] {
            let t = Theme::load_for(name, None, ColorDepth::Ansi16).unwrap();
            assert_ne!(t.get(Slot::Input).bg, t.get(Slot::InputFocus).bg, "{name}");
            assert_ne!(t.get(Slot::Selection).bg, t.get(Slot::Base).bg, "{name}");
            assert_ne!(t.get(Slot::StatusBarError).bg, t.get(Slot::StatusBar).bg, "{name}");
            assert_ne!(t.get(Slot::Ok).fg, t.get(Slot::Alert).fg, "{name}");
        }
        let dark = Theme::load_for("dark", None, ColorDepth::Ansi16).unwrap();
        assert_eq!(dark.get(Slot::Ok).fg, Some(Color::LightGreen), "a soft green stays green");
        assert_eq!(dark.get(Slot::Muted).fg, Some(Color::DarkGray));
    }

    #[test]
    fn basic16_names_only_the_16_ansi_colours() {
        let file: ThemeFile = toml::from_str(BUILTIN.iter().find(|(n, _)| *n == "basic16").unwrap().1).unwrap();
        for (slot, spec) in &file.slots {
            for text in [&spec.fg, &spec.bg].into_iter().flatten() {
                assert!(ANSI16.contains(&colour(text).unwrap()), "basic16: {} = {text}", slot.get_ref());
            }
        }
    }

    #[test]
    fn a_slot_left_out_looks_like_its_group_then_base() {
        let t = Theme::parse("[slots]\nbase = { fg = \"white\" }\ntier = { fg = \"red\" }\n", false).unwrap();
        assert_eq!(t.get(Slot::TierGold).fg, Some(Color::Red));
        assert_eq!(t.get(Slot::VisitDone).fg, Some(Color::White));
        assert_eq!(Slot::TierGold.parent(), Some(Slot::Tier));
        assert_eq!(Slot::Tier.parent(), None);
        // Inheriting a slot the file leaves out takes what it would look like.
        let t = Theme::parse("[slots]\ntier = { fg = \"red\" }\nok = { inherit = \"tier.gold\" }\n", false).unwrap();
        assert_eq!(t.get(Slot::Ok).fg, Some(Color::Red));
    }

    /// The slots a screen derives from a stored code are named after that code,
    /// so the theme files' `tier.gold`, `status.watch`, `visit.done` keep working.
    #[test]
    fn derived_slots_are_named_by_their_codes() {
        use strum::IntoEnumIterator;
        for tier in Tier::iter() {
            assert_eq!(Slot::tier(tier).name(), format!("tier.{}", tier.code()));
        }
        for status in CustomerStatus::iter() {
            assert_eq!(Slot::customer_status(status).name(), format!("status.{}", status.code()));
            assert_eq!(Slot::customer_status_code(status.code()), Slot::customer_status(status));
        }
        assert_eq!(Slot::customer_status_code("gone"), Slot::Status);
        for status in VisitStatus::iter() {
            assert_eq!(Slot::visit(status).name(), format!("visit.{}", status.code()));
        }
        for slot in Slot::iter() {
            assert_eq!(slot.name().parse(), Ok(slot));
        }
    }

    /// A typo in a theme file is refused, saying which file, which line and
    /// what was meant, instead of the slot being silently ignored.
    #[test]
    fn bad_theme_files_say_where_and_why() {
        let file = "theme.toml".to_string();
        let parse = |text: &str| Theme::parse(text, false).unwrap_err();
        assert_eq!(
            parse("[slots]\nbase = { fg = \"white\" }\n\"tier.gld\" = { fg = \"gold\" }\n"),
            ThemeError::UnknownSlot { file: file.clone(), line: 3, slot: "tier.gld".into() }
        );
        assert_eq!(
            parse("[slots]\nbase = { fg = \"nocolour\" }"),
            ThemeError::Colour { file: file.clone(), line: 2, slot: Slot::Base, colour: "nocolour".into() }
        );
        assert_eq!(
            parse("[slots]\nok = { inherit = \"good\" }"),
            ThemeError::UnknownInherit { file: file.clone(), line: 2, slot: Slot::Ok, parent: "good".into() }
        );
        assert!(matches!(
            parse("[slots]\nok = { inherit = \"ok\" }"),
            ThemeError::Loop { slot: Slot::Ok, line: 2, .. }
        ));
        assert!(matches!(
            parse("[slots]\nok = { inherit = \"alert\" }\nalert = { inherit = \"ok\" }"),
            ThemeError::Loop { .. }
        ));
        // A misspelt table or setting is refused too, at its line.
        assert_eq!(parse("name = \"mine\"\n\n[slot]\nbase = {}\n"), ThemeError::Parse { file: file.clone(), line: 3 });
        assert!(matches!(parse("[slots]\nbase = { fgg = \"red\" }"), ThemeError::Parse { line: 2, .. }));
        assert!(matches!(Theme::load("neon", None, false), Err(ThemeError::Unknown(_))));
        let said = parse("[slots]\nbold = {}\n").to_string();
        assert!(said.contains("theme.toml") && said.contains("'bold'") && said.contains("tier.gold"), "{said}");
    }

    /// A user's theme file is named in its error by its path.
    #[test]
    fn a_users_theme_file_is_named_when_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mine.toml"), "[slots]\nselected = { reversed = true }\n").unwrap();
        let err = Theme::load("mine", Some(dir.path()), false).unwrap_err();
        let path = dir.path().join("mine.toml").display().to_string();
        assert_eq!(err, ThemeError::UnknownSlot { file: path, line: 2, slot: "selected".into() });
        std::fs::write(dir.path().join("mine.toml"), "[slots]\nselection = { reversed = true }\n").unwrap();
        let t = Theme::load("mine", Some(dir.path()), false).unwrap();
        assert!(t.get(Slot::Selection).add_modifier.contains(Modifier::REVERSED));
    }
}
