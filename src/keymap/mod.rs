//! Key bindings as data: per mode, a key maps to a command. The help overlay and
//! the README's key table are generated from the same table.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

const DEFAULT: &str = include_str!("default.toml");

/// What a key can ask for. Screens interpret commands, not keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Help,
    Quit,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    New,
    Edit,
    Archive,
    Restore,
    Search,
    SortNext,
    SortReverse,
    FilterTier,
    FilterStatus,
    FilterMine,
    FilterOwner,
    FilterUnit,
    FilterPending,
    FilterStale,
    ShowArchived,
    ClearFilters,
    NextTab,
    PrevTab,
    Approve,
    Reject,
    OverrideTier,
    NextField,
    PrevField,
    Save,
    Cancel,
    GotoToday,
    GotoCustomers,
    GotoCalendar,
    Left,
    Right,
    Today,
    GotoDate,
    NextView,
    CycleScope,
    Record,
    CancelVisit,
    Refresh,
    GotoStandards,
    PlanMonth,
    Toggle,
    GotoComplaints,
    NextStep,
    PhoneContact,
    FollowUp,
    GotoLog,
    Comment,
    FilterStage,
    WriteLog,
    FilterPeriod,
    FilterCategory,
    GotoAnalysis,
    PrevMonth,
    NextMonth,
    ToggleMoneyUnit,
    Explain,
    ToggleOneOff,
    PrevColumn,
    NextColumn,
    OpenCustomer,
    GotoSetup,
    MoveUnit,
}

impl Command {
    /// What the command does, for the help overlay.
    pub fn describe(self) -> (&'static str, &'static str) {
        use Command::*;
        match self {
            Help => ("显示/关闭帮助", "show or hide this help"),
            Quit => ("退出", "quit"),
            Back => ("返回", "back"),
            Up => ("上移", "move up"),
            Down => ("下移", "move down"),
            PageUp => ("上一页", "page up"),
            PageDown => ("下一页", "page down"),
            Top => ("第一行", "first row"),
            Bottom => ("最后一行", "last row"),
            Open => ("打开", "open"),
            New => ("新建", "new"),
            Edit => ("编辑", "edit"),
            Archive => ("归档", "archive"),
            Restore => ("恢复归档", "restore from archive"),
            Search => ("搜索(编号/名称/拼音/首字母)", "search (ID, name, pinyin, initials)"),
            SortNext => ("按下一列排序", "sort by next column"),
            SortReverse => ("反向排序", "reverse sort"),
            FilterTier => ("按级别筛选", "filter by tier"),
            FilterStatus => ("按状态筛选", "filter by status"),
            FilterMine => ("只看我的客户", "only my customers"),
            FilterOwner => ("按客户经理筛选", "filter by account manager"),
            FilterUnit => ("按责任单位筛选", "filter by unit"),
            FilterPending => ("待审批的注册", "pending registrations"),
            FilterStale => ("档案过期的客户", "stale dossiers"),
            ShowArchived => ("显示/隐藏已归档", "show or hide archived"),
            ClearFilters => ("清除筛选", "clear filters"),
            NextTab => ("下一标签页", "next tab"),
            PrevTab => ("上一标签页", "previous tab"),
            Approve => ("批准注册", "approve registration"),
            Reject => ("驳回注册", "reject registration"),
            OverrideTier => ("调整级别(主管)", "override tier (supervisor)"),
            NextField => ("下一项", "next field"),
            PrevField => ("上一项", "previous field"),
            Save => ("保存", "save"),
            Cancel => ("取消", "cancel"),
            GotoToday => ("今日待办", "Today review"),
            GotoCustomers => ("客户列表", "customer list"),
            GotoCalendar => ("拜访日历", "visit calendar"),
            Left => ("前一天", "previous day"),
            Right => ("后一天", "next day"),
            Today => ("回到今天", "jump to today"),
            GotoDate => ("跳到指定日期", "go to a date"),
            NextView => ("切换月/周/日程视图", "month / week / agenda view"),
            CycleScope => ("切换范围:我的/本单位/全部", "scope: mine / my unit / all"),
            Record => ("记录拜访结果", "record the visit as done"),
            CancelVisit => ("取消拜访(需填原因)", "cancel the visit (with a reason)"),
            Refresh => ("刷新", "refresh"),
            GotoStandards => ("拜访达标情况", "visit standards"),
            PlanMonth => ("安排本月拜访(按标准补足)", "plan my month (fill the standard)"),
            Toggle => ("保留/放弃", "keep or drop"),
            GotoComplaints => ("投诉处理", "complaints"),
            NextStep => ("投诉处理下一步", "next step of the complaint"),
            PhoneContact => ("记录首次电话联系", "record the first phone contact"),
            FollowUp => ("按月跟踪记录", "monthly follow-up note"),
            GotoLog => ("营销日志", "marketing log"),
            Comment => ("批阅(主管)", "comment (supervisor)"),
            FilterStage => ("按洽谈阶段筛选", "filter by deal stage"),
            WriteLog => ("由已完成的拜访写营销日志", "write a log entry from a done visit"),
            FilterPeriod => ("按期间筛选:本月/近三个月/全部", "period: this month / last 3 months / all"),
            FilterCategory => ("按投诉类别筛选", "filter by complaint category"),
            GotoAnalysis => ("经营分析", "monthly analysis"),
            PrevMonth => ("上月", "previous month"),
            NextMonth => ("下月", "next month"),
            ToggleMoneyUnit => ("元/万元切换", "yuan / 10k yuan (万元)"),
            Explain => ("填写波动说明", "explain the fluctuation"),
            ToggleOneOff => ("标记/取消一次性客户", "mark or unmark as one-off customer"),
            PrevColumn => ("左移一列", "previous column"),
            NextColumn => ("右移一列", "next column"),
            OpenCustomer => ("打开客户档案", "open the customer's dossier"),
            GotoSetup => ("机构与基础数据(单位、行业、业务种类)", "units, industries and service lines"),
            MoveUnit => ("移到其他上级单位之下", "move under another unit"),
        }
    }
}

/// A key as written in the binding files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySpec {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
}

/// KeyCode is not Ord; this is the subset bindings use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("delete", KeyCode::Delete),
    ("backspace", KeyCode::Backspace),
];
/// How each of NAMED is shown, in the same order.
const NAMED_LABELS: &[&str] =
    &["Enter", "Esc", "Tab", "Shift-Tab", "↑", "↓", "←", "→", "Home", "End", "PgUp", "PgDn", "Del", "Backspace"];

impl KeySpec {
    pub fn parse(text: &str) -> Option<KeySpec> {
        let (mut ctrl, mut alt, mut rest) = (false, false, text);
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = if let Some(i) = NAMED.iter().position(|(n, _)| *n == rest) {
            KeyCodeOrd::Named(u8::try_from(i).ok()?)
        } else if let Some(n) =
            rest.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()).filter(|n| (1..=12).contains(n))
        {
            KeyCodeOrd::F(n)
        } else {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => KeyCodeOrd::Char(c),
                _ => return None,
            }
        };
        Some(KeySpec { code, ctrl, alt })
    }

    fn from_event(ev: &KeyEvent) -> Option<KeySpec> {
        let code = match ev.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => KeyCodeOrd::Named(u8::try_from(NAMED.iter().position(|(_, k)| *k == other)?).ok()?),
        };
        Some(KeySpec {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        })
    }

    /// How the key is shown in help: "Ctrl-S", "Enter", "/".
    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.ctrl {
            s.push_str("Ctrl-");
        }
        if self.alt {
            s.push_str("Alt-");
        }
        match self.code {
            KeyCodeOrd::Char(' ') => s.push_str("Space"),
            KeyCodeOrd::Char(c) if self.ctrl => s.extend(c.to_uppercase()),
            KeyCodeOrd::Char(c) => s.push(c),
            KeyCodeOrd::F(n) => s.push_str(&format!("F{n}")),
            KeyCodeOrd::Named(i) => s.push_str(NAMED_LABELS[i as usize]),
        }
        s
    }
}

/// Binding modes, in the order help shows them.
pub const MODES: &[&str] = &[
    "global",
    "today",
    "list",
    "calendar",
    "standards",
    "plan",
    "complaints",
    "log",
    "log_entry",
    "analysis",
    "setup",
    "dossier",
    "dossier_revenue",
    "form",
];

#[derive(Debug, Clone)]
pub struct Keymap {
    modes: BTreeMap<String, BTreeMap<KeySpec, Command>>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("key bindings: {0}")]
    Parse(String),
    #[error("key bindings: unknown key '{key}' in [{mode}]")]
    Key { mode: String, key: String },
}

impl Keymap {
    pub fn default_map() -> Keymap {
        // The embedded table is checked by a test, so this cannot fail at run time.
        Keymap::from_toml(DEFAULT, None).expect("embedded default.toml is valid")
    }

    /// The defaults with a user's overrides applied on top.
    pub fn from_toml(defaults: &str, user: Option<&str>) -> Result<Keymap, KeymapError> {
        let mut modes = BTreeMap::new();
        for text in std::iter::once(defaults).chain(user) {
            let parsed: BTreeMap<String, BTreeMap<String, Command>> =
                toml::from_str(text).map_err(|e| KeymapError::Parse(e.to_string()))?;
            for (mode, keys) in parsed {
                let table: &mut BTreeMap<KeySpec, Command> = modes.entry(mode.clone()).or_default();
                for (key, cmd) in keys {
                    let spec = KeySpec::parse(&key).ok_or(KeymapError::Key { mode: mode.clone(), key })?;
                    table.insert(spec, cmd);
                }
            }
        }
        Ok(Keymap { modes })
    }

    /// The command a key means in `mode`, else in `global`.
    pub fn lookup(&self, mode: &str, ev: &KeyEvent) -> Option<Command> {
        let spec = KeySpec::from_event(ev)?;
        let find = |m: &str| self.modes.get(m).and_then(|t| t.get(&spec)).copied();
        find(mode).or_else(|| find("global"))
    }

    /// (keys, command) for a mode, keys of the same command joined: for help.
    pub fn bindings(&self, mode: &str) -> Vec<(String, Command)> {
        let mut by_cmd: BTreeMap<Command, Vec<String>> = BTreeMap::new();
        if let Some(t) = self.modes.get(mode) {
            for (k, c) in t {
                by_cmd.entry(*c).or_default().push(k.label());
            }
        }
        by_cmd.into_iter().map(|(c, keys)| (keys.join(" "), c)).collect()
    }

    /// The key table as Markdown, for the README (`kam keys`).
    pub fn markdown(&self, lang: crate::i18n::Lang) -> String {
        let mut out = String::new();
        for mode in MODES {
            out.push_str(&format!("\n**{mode}**\n\n| keys | command |\n|---|---|\n"));
            for (keys, cmd) in self.bindings(mode) {
                out.push_str(&format!("| `{}` | {} |\n", keys.replace('|', "\\|"), lang.pick(cmd.describe())));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn defaults_parse_and_resolve() {
        let km = Keymap::default_map();
        assert_eq!(km.lookup("list", &key(KeyCode::Char('/'), KeyModifiers::NONE)), Some(Command::Search));
        assert_eq!(km.lookup("form", &key(KeyCode::Char('s'), KeyModifiers::CONTROL)), Some(Command::Save));
        // falls back to global
        assert_eq!(km.lookup("dossier", &key(KeyCode::Char('?'), KeyModifiers::NONE)), Some(Command::Help));
        assert_eq!(km.lookup("list", &key(KeyCode::Char('Z'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn user_overrides_replace_single_bindings() {
        let km = Keymap::from_toml(DEFAULT, Some("[list]\nF = \"search\"\n")).unwrap();
        assert_eq!(km.lookup("list", &key(KeyCode::Char('F'), KeyModifiers::NONE)), Some(Command::Search));
        assert_eq!(km.lookup("list", &key(KeyCode::Char('/'), KeyModifiers::NONE)), Some(Command::Search));
        assert!(matches!(Keymap::from_toml(DEFAULT, Some("[list]\nbogus = \"up\"")), Err(KeymapError::Key { .. })));
        assert!(Keymap::from_toml(DEFAULT, Some("[list]\nx = \"fly\"")).is_err());
    }

    #[test]
    fn labels_read_well() {
        assert_eq!(KeySpec::parse("ctrl-s").unwrap().label(), "Ctrl-S");
        assert_eq!(KeySpec::parse("enter").unwrap().label(), "Enter");
        assert_eq!(KeySpec::parse("esc").unwrap().label(), "Esc");
        assert_eq!(KeySpec::parse("pagedown").unwrap().label(), "PgDn");
        assert_eq!(KeySpec::parse("/").unwrap().label(), "/");
    }
}
