//! Key bindings as data: per mode, a key maps to a command. The help overlay and
//! the README's key table are generated from the same table.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use strum::{EnumCount, EnumIter, EnumString, IntoEnumIterator, IntoStaticStr, VariantNames};
use toml::Spanned;

use crate::config::line_of;

const DEFAULT: &str = include_str!("default.toml");
/// How the built-in table is named in an error (it is checked by a test).
const DEFAULT_NAME: &str = "default.toml";

/// What a key can ask for. Screens interpret commands, not keys. The name a
/// binding file uses is the variant in snake_case (`page_up`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumString, IntoStaticStr, EnumIter, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
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
    PeriodStartEarlier,
    PeriodStartLater,
    ToggleMoneyUnit,
    TogglePieces,
    Explain,
    ToggleOneOff,
    PrevColumn,
    NextColumn,
    OpenCustomer,
    GotoSetup,
    MoveUnit,
    OpenReport,
    OpenQuarterlyReport,
    Submit,
    Reopen,
    PeriodTotal,
    GotoAppraisal,
    CloseMonth,
    SetTerms,
    SetTarget,
    NextUnit,
    GotoRequests,
    Notify,
    StartRequest,
    RecordResult,
    CancelRequest,
    ProactiveCalls,
    OpenContracts,
    SubmitContract,
    ApproveStep,
    RefuseStep,
    SignContract,
    FileContract,
    AddCopy,
    EndContract,
    ContractLog,
    SubmitPlan,
    ReviewPlan,
    SendBackPlan,
    ServicePlan,
    OpenPipeline,
    AdvanceStep,
    DropProspect,
    FilterStep,
    RankingTable,
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
            PrevMonth => ("上月(期间:截止月前移)", "previous month (period: last month earlier)"),
            NextMonth => ("下月(期间:截止月后移)", "next month (period: last month later)"),
            PeriodStartEarlier => ("期间起始月前移", "period: first month earlier"),
            PeriodStartLater => ("期间起始月后移", "period: first month later"),
            ToggleMoneyUnit => ("元/万元切换", "yuan / 10k yuan (万元)"),
            TogglePieces => ("收入/件数", "revenue / pieces"),
            Explain => ("填写波动说明", "explain the fluctuation"),
            ToggleOneOff => ("标记/取消一次性客户", "mark or unmark as one-off customer"),
            PrevColumn => ("左移一列", "previous column"),
            NextColumn => ("右移一列", "next column"),
            OpenCustomer => ("打开客户档案", "open the customer's dossier"),
            GotoSetup => ("机构与基础数据(单位、行业、业务种类)", "units, industries and service lines"),
            MoveUnit => ("移到其他上级单位之下", "move under another unit"),
            OpenReport => ("本月经营分析报告(本单位)", "the month's analysis report of the unit"),
            OpenQuarterlyReport => {
                ("本季度钻石、黄金客户分析(本单位)", "the quarter's diamond and gold analysis of the unit")
            }
            Submit => ("提交报告(主管)", "submit the report (supervisor)"),
            Reopen => {
                ("重新打开已提交的报告或已结账的月份(主管)", "reopen a submitted report or a closed month (supervisor)")
            }
            PeriodTotal => ("未分月合计", "period total"),
            other => other.describe_management(),
        }
    }

    /// The bureau's management commands (issues 17–18): the month end, goals,
    /// service requests, contracts, plans, the development pipeline.
    fn describe_management(self) -> (&'static str, &'static str) {
        use Command::*;
        match self {
            GotoAppraisal => ("月度考核", "month-end appraisal"),
            CloseMonth => ("结账(冻结本月考核)", "close the month (freeze the sheets)"),
            SetTerms => ("设定基数、任务与月度标准", "set base, task and monthly standard"),
            SetTarget => ("设定本年目标(主管、客户管理员)", "set the year's target (supervisor, administrator)"),
            NextUnit => ("换一个单位(首席客户经理、客户管理员)", "next unit (leader, administrator)"),
            GotoRequests => ("服务请求", "service requests"),
            Notify => ("通知客户经理", "notify the account manager"),
            StartRequest => ("开始处理服务请求", "start the request"),
            RecordResult => ("记录处理结果(办结)", "record the result (done)"),
            CancelRequest => ("取消服务请求(需填原因)", "cancel the request (with a reason)"),
            ProactiveCalls => {
                ("主动服务:久未揽收、应电话联系的客户", "proactive calls: customers without a pickup lately")
            }
            OpenContracts => ("合同协议:待我审批、即将到期、全部", "contracts: waiting for me, ending soon, all"),
            SubmitContract => ("提交合同审批", "submit the contract for approval"),
            ApproveStep => ("同意(本步审批)", "approve the step waited on"),
            RefuseStep => ("退回起草(需填理由)", "refuse the step: back to draft (with a reason)"),
            SignContract => ("记录签署", "record the signing"),
            FileContract => ("报省备案(白金及以上)", "file with the province (platinum and above)"),
            AddCopy => ("登记份数与去向", "record copies sent"),
            EndContract => ("终止合同", "end the contract"),
            ContractLog => ("写达成协议阶段的日志", "write an agreement-stage log entry"),
            SubmitPlan => ("提交营销计划", "hand in the marketing plan"),
            ReviewPlan => ("审阅营销计划(主管)", "review the plan (supervisor)"),
            SendBackPlan => ("退回营销计划(需填原因,主管)", "send the plan back (with a reason, supervisor)"),
            ServicePlan => ("本单位年度服务计划", "the unit's yearly service plan"),
            OpenPipeline => ("开发流程(六步开发)", "development pipeline (six steps)"),
            AdvanceStep => ("推进到下一步(3、4 步由主管推进)", "advance to the next step (steps 3–4: supervisor)"),
            DropProspect => ("放弃开发", "drop the prospect"),
            FilterStep => ("按步骤筛选", "filter by step"),
            RankingTable => ("行业分类排序表", "industry ranking table"),
            _ => ("", ""),
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

/// A binding mode: a table of the binding files, the keys one kind of
/// screen (or its state) understands. In the order help and `kam keys` show
/// them; the name in a file is the variant in snake_case (`[log_entry]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, EnumIter, EnumCount, VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum Mode {
    /// Keys that work on every screen unless the screen's own mode binds them.
    Global,
    Today,
    /// The customer list.
    List,
    Calendar,
    Standards,
    /// "Plan my month".
    Plan,
    Complaints,
    /// Service requests (key 8).
    Requests,
    Log,
    LogEntry,
    Analysis,
    /// The monthly analysis report of a unit.
    Report,
    /// The goal indicators of a unit (a tab of the month-end screen).
    Goals,
    Setup,
    Dossier,
    DossierRevenue,
    /// The dossier's marketing plans tab (and the unit's service plan).
    Plans,
    Form,
    /// The month end (key 9).
    Appraisal,
    /// The contracts list (from Today and the dossier).
    Contracts,
    /// One contract: its terms, chain, copies and log entries.
    Contract,
    /// The development pipeline and the unit's industry ranking table.
    Pipeline,
}

impl Mode {
    /// The table's name in a binding file.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    modes: [BTreeMap<KeySpec, Command>; Mode::COUNT],
}

/// Why a binding file was refused. Each names the file and where in it; the
/// UI says it in the user's language ([`crate::i18n::keymap_error_text`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("key bindings {file}: {reason}")]
    Read { file: String, reason: String },
    #[error("key bindings {file}, line {line}: {reason}")]
    Parse { file: String, line: usize, reason: String },
    #[error("key bindings {file}, line {line}: unknown mode [{mode}] (modes: {})", Mode::VARIANTS.join(", "))]
    UnknownMode { file: String, line: usize, mode: String },
    #[error("key bindings {file}, line {line}: unknown command '{command}' for '{key}' in [{}]", mode.name())]
    UnknownCommand { file: String, line: usize, mode: Mode, key: String, command: String },
    #[error("key bindings {file}, line {line}: unknown key '{key}' in [{}]", mode.name())]
    Key { file: String, line: usize, mode: Mode, key: String },
}

/// A binding file as written: tables of key = command, each with where it stands.
type RawFile = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>;

impl Keymap {
    pub fn default_map() -> Keymap {
        // The embedded table is checked by a test, so this cannot fail at run time.
        Keymap::from_toml(DEFAULT, None).expect("embedded default.toml is valid")
    }

    /// The defaults with the user's file `keys_file` on top, if there is one.
    pub fn load(keys_file: &std::path::Path) -> Result<Keymap, KeymapError> {
        let file = keys_file.display().to_string();
        match std::fs::read_to_string(keys_file) {
            Ok(text) => Keymap::from_toml(DEFAULT, Some((&file, &text))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Keymap::default_map()),
            Err(e) => Err(KeymapError::Read { file, reason: e.to_string() }),
        }
    }

    /// The defaults with a user's file on top: `user` is (the file's name as
    /// the user should see it, its text). Each binding overrides one key; an
    /// unknown mode, command or key refuses the whole file, saying where.
    pub fn from_toml(defaults: &str, user: Option<(&str, &str)>) -> Result<Keymap, KeymapError> {
        let mut modes: [BTreeMap<KeySpec, Command>; Mode::COUNT] = Default::default();
        for (file, text) in std::iter::once((DEFAULT_NAME, defaults)).chain(user) {
            let parsed: RawFile = toml::from_str(text).map_err(|e| KeymapError::Parse {
                file: file.into(),
                line: e.span().map_or(1, |at| line_of(text, at.start)),
                reason: e.message().to_string(),
            })?;
            for (mode_name, keys) in parsed {
                let line = line_of(text, mode_name.span().start);
                let mode: Mode = mode_name.get_ref().parse().map_err(|_| KeymapError::UnknownMode {
                    file: file.into(),
                    line,
                    mode: mode_name.get_ref().clone(),
                })?;
                for (key, command) in keys {
                    let line = line_of(text, key.span().start);
                    let spec = KeySpec::parse(key.get_ref()).ok_or_else(|| KeymapError::Key {
                        file: file.into(),
                        line,
                        mode,
                        key: key.get_ref().clone(),
                    })?;
                    let cmd: Command = command.get_ref().parse().map_err(|_| KeymapError::UnknownCommand {
                        file: file.into(),
                        line,
                        mode,
                        key: key.get_ref().clone(),
                        command: command.get_ref().clone(),
                    })?;
                    modes[mode as usize].insert(spec, cmd);
                }
            }
        }
        Ok(Keymap { modes })
    }

    /// The command a key means in `mode`, else in `global`.
    pub fn lookup(&self, mode: Mode, ev: &KeyEvent) -> Option<Command> {
        let spec = KeySpec::from_event(ev)?;
        let find = |m: Mode| self.modes[m as usize].get(&spec).copied();
        find(mode).or_else(|| find(Mode::Global))
    }

    /// (keys, command) for a mode, keys of the same command joined: for help.
    pub fn bindings(&self, mode: Mode) -> Vec<(String, Command)> {
        let mut by_cmd: BTreeMap<Command, Vec<String>> = BTreeMap::new();
        for (k, c) in &self.modes[mode as usize] {
            by_cmd.entry(*c).or_default().push(k.label());
        }
        by_cmd.into_iter().map(|(c, keys)| (keys.join(" "), c)).collect()
    }

    /// The key table as Markdown, for the README (`kam keys`).
    pub fn markdown(&self, lang: crate::i18n::Lang) -> String {
        let mut out = String::new();
        for mode in Mode::iter() {
            out.push_str(&format!("\n**{}**\n\n| keys | command |\n|---|---|\n", mode.name()));
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
        assert_eq!(km.lookup(Mode::List, &key(KeyCode::Char('/'), KeyModifiers::NONE)), Some(Command::Search));
        assert_eq!(km.lookup(Mode::Form, &key(KeyCode::Char('s'), KeyModifiers::CONTROL)), Some(Command::Save));
        // falls back to global
        assert_eq!(km.lookup(Mode::Dossier, &key(KeyCode::Char('?'), KeyModifiers::NONE)), Some(Command::Help));
        assert_eq!(km.lookup(Mode::List, &key(KeyCode::Char('Z'), KeyModifiers::NONE)), None);
        // Every mode has its table in the defaults.
        for mode in Mode::iter() {
            assert!(!km.bindings(mode).is_empty(), "[{}] has no bindings", mode.name());
        }
    }

    #[test]
    fn user_overrides_replace_single_bindings() {
        let km = Keymap::from_toml(DEFAULT, Some(("keys.toml", "[list]\nF = \"search\"\n"))).unwrap();
        assert_eq!(km.lookup(Mode::List, &key(KeyCode::Char('F'), KeyModifiers::NONE)), Some(Command::Search));
        assert_eq!(km.lookup(Mode::List, &key(KeyCode::Char('/'), KeyModifiers::NONE)), Some(Command::Search));
    }

    /// A typo in a user's file is refused, saying which file, which line and
    /// what was meant, instead of the bindings being silently ignored.
    #[test]
    fn unknown_modes_commands_and_keys_are_refused_with_where() {
        let user = |text: &'static str| Keymap::from_toml(DEFAULT, Some(("/home/li/.config/kam/keys.toml", text)));
        let file = "/home/li/.config/kam/keys.toml".to_string();
        assert_eq!(
            user("# my keys\n\n[lst]\nF = \"search\"\n").unwrap_err(),
            KeymapError::UnknownMode { file: file.clone(), line: 3, mode: "lst".into() }
        );
        assert_eq!(
            user("[list]\nF = \"search\"\nx = \"fly\"\n").unwrap_err(),
            KeymapError::UnknownCommand {
                file: file.clone(),
                line: 3,
                mode: Mode::List,
                key: "x".into(),
                command: "fly".into()
            }
        );
        assert_eq!(
            user("[log_entry]\nbogus = \"up\"").unwrap_err(),
            KeymapError::Key { file: file.clone(), line: 2, mode: Mode::LogEntry, key: "bogus".into() }
        );
        assert!(matches!(user("[list\n"), Err(KeymapError::Parse { .. })));
        assert!(matches!(user("list = \"x\""), Err(KeymapError::Parse { .. })));
        let said = user("[lst]\n").unwrap_err().to_string();
        assert!(said.contains("keys.toml") && said.contains("[lst]") && said.contains("log_entry"), "{said}");
    }

    #[test]
    fn mode_and_command_names_are_the_snake_case_variants() {
        assert_eq!(Mode::DossierRevenue.name(), "dossier_revenue");
        assert_eq!("log_entry".parse(), Ok(Mode::LogEntry));
        assert_eq!("page_up".parse(), Ok(Command::PageUp));
        let names: Vec<&str> = Mode::iter().map(Mode::name).collect();
        assert_eq!(names, Mode::VARIANTS);
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
