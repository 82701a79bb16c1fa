//! The goals panel (目标指标, SPEC §15; issue 17) on TestBackend, driven as
//! the month-end screen will drive it once mounted: messages in, frames out,
//! on the demo's office with a fixed clock. Both languages, 80×24 and 160×50.

use crossterm::event::KeyCode;
use kam::ctx::{Clock, Ctx};
use kam::db::goals::{TargetKey, set_target};
use kam::db::{Store, reference};
use kam::domain::appraisal::goals::GoalIndicator;
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;
use kam::keymap::Keymap;
use kam::msg::{Action, Msg};
use kam::theme::Theme;
use kam::ui::Screen;
use kam::ui::screens::goals::GoalsPanel;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::support::{demo_db, key, now, text};

fn ctx_on(path: &std::path::Path, lang: Lang, login: &str) -> Ctx {
    let store = Store::open(path).unwrap();
    let user = reference::staff_by_login(store.conn(), login).unwrap().expect("demo staff login");
    Ctx {
        reference: reference::load(store.conn()).unwrap(),
        store,
        user,
        lang,
        theme: Theme::load("dark", None, false).unwrap(),
        keymap: Keymap::default_map(),
        clock: Clock::Fixed(now()),
        preset: TierPreset::GuangdongScore,
        standard: Default::default(),
        money_unit: Default::default(),
        status_rules: Default::default(),
        reader: Default::default(),
        notices: Vec::new(),
    }
}

fn draw(panel: &mut GoalsPanel, ctx: &Ctx, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| panel.draw(f, f.area(), ctx)).unwrap();
    text(terminal.backend().buffer())
}

fn press(panel: &mut GoalsPanel, ctx: &mut Ctx, code: KeyCode) -> Vec<Action> {
    panel.handle(ctx, &key(code))
}

fn type_text(panel: &mut GoalsPanel, ctx: &mut Ctx, text: &str) {
    for c in text.chars() {
        press(panel, ctx, KeyCode::Char(c));
    }
}

fn said(actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| match a {
            Action::Info(s) | Action::Error(s) => s.clone(),
            other => format!("{other:?}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Words of ASCII letters on a Chinese screen other than key names: English
/// or an internal code leaking into the Chinese interface.
fn english_words(shown: &str) -> Vec<String> {
    const KEYS: &[&str] = &["Enter", "Esc", "Tab", "PgUp", "PgDn", "Ctrl"];
    shown
        .split(|c: char| !(c.is_ascii_alphabetic() || c == '_' || c == '-'))
        .filter(|w| w.len() >= 2 && w.chars().any(|c| c.is_ascii_lowercase()) && !KEYS.contains(w))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_indicator_shows_its_figure_target_and_formula_in_both_languages() {
    let (_dir, path) = demo_db(60);
    for (lang, names, formula, period) in [
        (
            Lang::Zh,
            ["用邮收入比重", "开辟率", "巩固率", "档案资料完整率", "年度新增大客户", "计划进度", "限时服务达标率"],
            "大客户用邮收入 ÷ 本单位用邮总收入",
            "2026年1-10月累计",
        ),
        (
            Lang::En,
            [
                "Revenue share",
                "Development rate",
                "Retention rate",
                "Dossier completeness",
                "New key customers",
                "Plan progress",
                "Time-limited service met",
            ],
            "key customers' revenue ÷ the unit's revenue",
            "Jan–Oct 2026 (cumulative)",
        ),
    ] {
        let mut ctx = ctx_on(&path, lang, "zhuguan2");
        let mut panel = GoalsPanel::new(&ctx);
        assert!(panel.report().is_some(), "counted inline in tests");
        for (w, h) in [(80, 24), (160, 50)] {
            let shown = draw(&mut panel, &ctx, w, h);
            for name in names {
                assert!(shown.contains(name), "{lang:?} {w}×{h}: {name}\n{shown}");
            }
            assert!(shown.contains(period), "{lang:?} {w}×{h}\n{shown}");
            // The selected indicator's formula in full below the table, at any width.
            assert!(shown.contains(formula), "{lang:?} {w}×{h}\n{shown}");
            // Service requests are not recorded yet: a dash, no figure made up.
            let service = shown.lines().find(|l| l.contains(names[6])).unwrap();
            assert!(service.contains('—'), "{service}");
            assert!(shown.contains(lang.text().goals_not_set), "no target set yet\n{shown}");
            if lang == Lang::Zh {
                assert!(english_words(&shown).is_empty(), "{:?}\n{shown}", english_words(&shown));
            }
        }
        // The wide screen has room for every formula beside its figure, and for the keys.
        let wide = draw(&mut panel, &ctx, 160, 50);
        assert!(wide.contains(lang.text().goals_keys_set), "the supervisor sets the unit's targets\n{wide}");
        let row = wide.lines().find(|l| l.contains(names[1])).unwrap();
        assert!(
            row.contains(
                kam::i18n::goal_formula_label("goal-formula.development.new-over-prospects")
                    .map(|p| lang.pick(p))
                    .unwrap()
            ),
            "{row}"
        );
        // Down to the plan: its formula, and the year's pace, below.
        for _ in 0..5 {
            press(&mut panel, &mut ctx, KeyCode::Down);
        }
        let shown = draw(&mut panel, &ctx, 80, 24);
        let pace = kam::i18n::fill(lang.text().goals_pace, &[&"83.33%"]);
        assert!(shown.contains(&pace), "{shown}");
    }
}

#[test]
fn a_supervisor_sets_a_target_and_a_refused_one_keeps_what_was_typed() {
    let (_dir, path) = demo_db(60);
    let mut ctx = ctx_on(&path, Lang::Zh, "zhuguan2");
    let mut panel = GoalsPanel::new(&ctx);
    press(&mut panel, &mut ctx, KeyCode::Down); // 开辟率
    assert!(press(&mut panel, &mut ctx, KeyCode::Enter).is_empty());
    assert!(panel.is_typing(), "the form is open");
    type_text(&mut panel, &mut ctx, "120");
    let refused = said(&press(&mut panel, &mut ctx, KeyCode::Enter));
    assert_eq!(refused, "比率在 0% 到 100% 之间");
    let shown = draw(&mut panel, &ctx, 80, 24);
    assert!(shown.contains("设定开辟率的2026年目标") && shown.contains("120") && shown.contains(&refused), "{shown}");
    assert!(english_words(&shown).is_empty(), "{shown}");
    for _ in 0..3 {
        press(&mut panel, &mut ctx, KeyCode::Backspace);
    }
    type_text(&mut panel, &mut ctx, "95");
    let saved = said(&press(&mut panel, &mut ctx, KeyCode::Enter));
    assert_eq!(saved, "已设定开辟率的2026年目标:95.00%");
    assert!(!panel.is_typing());
    let shown = draw(&mut panel, &ctx, 80, 24);
    let row = shown.lines().find(|l| l.contains("开辟率")).unwrap();
    assert!(row.contains("95.00%") && row.contains("达标"), "100% of the prospects: met\n{row}");
    let by = format!("年度目标 95.00% · {} 于 2026-11-23 09:00 设定", ctx.user.name);
    assert!(shown.contains(&by), "who set it, and when, below\n{shown}");
    let report = panel.report().unwrap();
    let developed = report.row(GoalIndicator::DevelopmentRate).unwrap();
    assert_eq!(developed.target.as_ref().map(|t| t.version), Some(1));
    assert_eq!(developed.met, Some(true), "judged against it");

    // Someone else sets it meanwhile: the save is refused, the form and its text stay.
    press(&mut panel, &mut ctx, KeyCode::Enter);
    let mut admin = ctx_on(&path, Lang::Zh, "guanli");
    let actor = admin.actor();
    let key = TargetKey { unit_id: panel.unit_id(), year: 2026, indicator: GoalIndicator::DevelopmentRate };
    set_target(&mut admin.store, &actor, key, "0.9".parse().unwrap(), Some(1)).unwrap();
    press(&mut panel, &mut ctx, KeyCode::Backspace);
    type_text(&mut panel, &mut ctx, "8");
    let conflict = said(&press(&mut panel, &mut ctx, KeyCode::Enter));
    assert!(conflict.contains("修改了这条记录"), "{conflict}");
    assert!(panel.is_typing() && panel.unsaved());
    let shown = draw(&mut panel, &ctx, 80, 24);
    assert!(shown.contains("98"), "what was typed stays\n{shown}");
    press(&mut panel, &mut ctx, KeyCode::Esc);
    assert!(!panel.is_typing());
}

#[test]
fn an_account_manager_reads_and_sets_nothing() {
    let (_dir, path) = demo_db(60);
    let mut ctx = ctx_on(&path, Lang::En, "jingli01");
    let mut panel = GoalsPanel::new(&ctx);
    assert_eq!(panel.unit_id(), ctx.user.unit_id);
    let told = said(&press(&mut panel, &mut ctx, KeyCode::Enter));
    assert_eq!(told, ctx.t().goals_read_only);
    assert!(!panel.is_typing());
    let shown = draw(&mut panel, &ctx, 80, 24);
    assert!(!shown.contains(ctx.t().goals_keys_set), "{shown}");
    // Not theirs to pick another unit either.
    press(&mut panel, &mut ctx, KeyCode::Char('u'));
    assert_eq!(panel.unit_id(), ctx.user.unit_id);
}

#[test]
fn leaders_move_through_units_and_everyone_through_the_period() {
    let (_dir, path) = demo_db(60);
    let mut ctx = ctx_on(&path, Lang::Zh, "lingdao");
    let mut panel = GoalsPanel::new(&ctx);
    let first = panel.unit_id();
    press(&mut panel, &mut ctx, KeyCode::Char('u'));
    assert_ne!(panel.unit_id(), first);
    let name = ctx.reference.unit(panel.unit_id()).unwrap().name.clone();
    let shown = draw(&mut panel, &ctx, 160, 50);
    assert!(shown.contains(&name), "{shown}");
    // The year to the ledger's last month; on to the month in progress, not past it.
    assert_eq!(panel.period().to_string(), "2026-01..2026-10");
    press(&mut panel, &mut ctx, KeyCode::Char(']'));
    press(&mut panel, &mut ctx, KeyCode::Char(']'));
    assert_eq!(panel.period().to_string(), "2026-01..2026-11");
    // Back a month; the first month later.
    press(&mut panel, &mut ctx, KeyCode::Char('['));
    press(&mut panel, &mut ctx, KeyCode::Char('}'));
    assert_eq!(panel.period().to_string(), "2026-02..2026-10");
    let shown = draw(&mut panel, &ctx, 80, 24);
    assert!(shown.contains("2026年2-10月"), "{shown}");
    assert_eq!(panel.report().unwrap().period, panel.period());
    // A leader reads targets, sets none.
    assert_eq!(said(&press(&mut panel, &mut ctx, KeyCode::Enter)), ctx.t().goals_read_only);
}

#[test]
fn a_tiny_terminal_never_panics() {
    let (_dir, path) = demo_db(30);
    for lang in [Lang::Zh, Lang::En] {
        let mut ctx = ctx_on(&path, lang, "guanli");
        let mut panel = GoalsPanel::new(&ctx);
        for (w, h) in [(1, 1), (20, 5), (40, 10), (79, 23)] {
            draw(&mut panel, &ctx, w, h);
        }
        press(&mut panel, &mut ctx, KeyCode::Enter);
        assert!(panel.is_typing(), "the administrator sets targets");
        for (w, h) in [(1, 1), (20, 5), (40, 10)] {
            draw(&mut panel, &ctx, w, h);
        }
        let _ = panel.handle(&mut ctx, &Msg::Paste("12\n3".into()));
    }
}
