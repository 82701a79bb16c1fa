//! The development pipeline's screen through the real App (issue 18, SPEC
//! §13.5–13.6): opened with P from the customer list and the month end, the
//! six steps counted and the prospects listed in both languages at 80×24 and
//! 160×50; a prospect advanced by key (its history written), a director's
//! step refused to an account manager, the start form keeping what was typed
//! when its save is refused, the ranking table edited by the supervisor and
//! read-only for an account manager, and Today's overdue steps opening the
//! pipeline on the prospect.

use crossterm::event::KeyCode;
use kam::app::App;
use kam::db::Store;
use kam::db::pipeline::{self, PipelineScope, Prospect, ProspectFilter};
use kam::db::reference::staff_by_login;
use kam::db::sql::{Sql, args};
use kam::domain::pipeline::Step;
use kam::i18n::Lang;

use crate::support::*;

/// The city unit's supervisor and its account manager (unit 1), whose
/// prospects stand at every step in the seed-7 demo, some past due.
const SUPERVISOR: &str = "zhuguan";
const MANAGER: &str = "jingli02";

/// The pipeline screen as `login` opens it from the customer list.
fn pipeline_of(path: &std::path::Path, lang: Lang, login: &str) -> App {
    let mut app = app_on(path, lang, login);
    app.handle(&key(KeyCode::Char('P')));
    app
}

/// The open prospects the screen lists for `scope`, in its order.
fn listed(path: &std::path::Path, scope: PipelineScope) -> Vec<Prospect> {
    let store = Store::open(path).unwrap();
    pipeline::page(store.conn(), &ProspectFilter { scope, step: None }, 0, 100).unwrap()
}

fn staff_id(path: &std::path::Path, login: &str) -> i64 {
    let store = Store::open(path).unwrap();
    staff_by_login(store.conn(), login).unwrap().unwrap().id
}

/// The text of the selected row (drawn in the selection's colours) at w×h.
fn selected_row(app: &mut App, w: u16, h: u16) -> String {
    let theme = kam::theme::Theme::load("dark", None, false).unwrap();
    let selection = theme.get(kam::theme::Slot::Selection).bg.unwrap();
    let buf = render(app, w, h);
    let shown = text(&buf);
    let row = (0..h).find(|y| (0..w).any(|x| buf[(x, *y)].bg == selection)).expect("a selected row");
    shown.lines().nth(usize::from(row)).unwrap_or_default().to_string()
}

/// Moves the selection down to row `index` of the list.
fn down_to(app: &mut App, index: usize) {
    for _ in 0..index {
        app.handle(&key(KeyCode::Down));
    }
}

#[test]
fn the_steps_and_the_prospects_in_both_languages_at_both_sizes() {
    let (_dir, path) = full_demo_db(300);
    let unit = listed(&path, PipelineScope::Unit(1));
    let today = now().date();
    let late = unit.iter().find(|p| p.is_overdue(today)).expect("an overdue prospect in the demo");
    let days = late.days_overdue(today);
    for (lang, title, steps, total, late_text, none_code) in [
        (Lang::Zh, "开发流程", ["1 调研", "3 排序", "6 拓展"], "合计", format!("超期 {days} 天"), "survey"),
        (
            Lang::En,
            "Development pipeline",
            ["1 Survey", "3 Prioritisation", "6 Expansion"],
            "Total",
            if days == 1 { "1 day late".to_string() } else { format!("{days} days late") },
            "prioritisation",
        ),
    ] {
        let mut app = pipeline_of(&path, lang, SUPERVISOR);
        for (w, h) in [(80, 24), (160, 50)] {
            let s = screen(&mut app, w, h);
            assert!(s.contains(title) && s.contains(total), "{w}×{h}: {s}");
            for step in steps {
                assert!(s.contains(step), "{step} at {w}×{h}: {s}");
            }
            assert!(!s.contains(none_code), "no codes on screen: {s}");
            // The counts of the unit: six prospects, one a step.
            let total_line = s.lines().find(|l| l.starts_with(total)).unwrap();
            assert!(total_line.contains(&format!(" {} ", unit.len())), "{total_line}");
            // The overdue one is flagged with its days late, the longest overdue first.
            let row = s.lines().find(|l| l.contains(&late.customer_name)).unwrap();
            assert!(row.starts_with('!') && row.contains(&late_text), "{w}×{h}: {row}\n{s}");
            let first = s.lines().position(|l| l.starts_with('!')).unwrap();
            assert!(s.lines().nth(first - 1).unwrap().contains(title_of_list(lang)), "heading above: {s}");
        }
        // Wide: the owner, the industry and the revenue expected.
        let wide = screen(&mut app, 160, 50);
        let row = wide.lines().find(|l| l.contains(&late.customer_name)).unwrap();
        assert!(row.contains(&late.owner) && row.contains(late.industry.as_deref().unwrap()), "{row}");
        assert!(row.contains(&late.expected_revenue.unwrap().format_yuan()), "{row}");
        // Never a panic, however small the terminal: list, question, ranking table.
        for (w, h) in [(40, 10), (20, 5), (1, 1)] {
            render(&mut app, w, h);
        }
        app.handle(&key(KeyCode::Char('x')));
        for (w, h) in [(80, 24), (40, 10), (20, 5), (1, 1)] {
            render(&mut app, w, h);
        }
        app.handle(&key(KeyCode::Char('n')));
        app.handle(&key(KeyCode::Char('r')));
        for (w, h) in [(80, 24), (40, 10), (20, 5), (1, 1)] {
            render(&mut app, w, h);
        }
    }
    // The month end opens it too.
    let mut app = today_on(&path, Lang::Zh, SUPERVISOR);
    app.handle(&key(KeyCode::Char('9')));
    app.handle(&key(KeyCode::Char('P')));
    assert!(screen(&mut app, 80, 24).contains("开发流程 › 全部步骤 › 范围: 本单位"));
    // f shows one step at a time.
    app.handle(&key(KeyCode::Char('f')));
    let survey = screen(&mut app, 80, 24);
    assert!(survey.contains("开发流程 › 1 调研"), "{survey}");
    assert!(!survey.lines().skip(11).any(|l| l.contains("2 细分")), "{survey}");
}

fn title_of_list(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "客户" } else { "Customer" }
}

#[test]
fn advancing_by_key_moves_the_step_and_writes_the_history() {
    let (_dir, path) = full_demo_db(300);
    let unit = listed(&path, PipelineScope::Unit(1));
    // A director's step: the supervisor moves it.
    let index = unit.iter().position(|p| p.step == Step::Positioning).unwrap();
    let p = unit[index].clone();
    let mut app = pipeline_of(&path, Lang::Zh, SUPERVISOR);
    down_to(&mut app, index);
    assert!(selected_row(&mut app, 80, 24).contains(&p.customer_name));
    app.handle(&key(KeyCode::Char('a')));
    let asked = screen(&mut app, 80, 24);
    assert!(asked.contains(&format!("把 {} 从「4 定位」推进到「5 营销计划」", p.customer_name)), "{asked}");
    // Anything but y lets it be.
    app.handle(&key(KeyCode::Char('n')));
    assert!(!screen(&mut app, 80, 24).contains("推进到「"));
    app.handle(&key(KeyCode::Char('a')));
    app.handle(&key(KeyCode::Char('y')));
    let moved = screen(&mut app, 100, 24);
    assert!(moved.contains(&format!("{} 已推进到「5 营销计划」", p.customer_name)), "{moved}");
    let row = moved.lines().find(|l| l.contains(&p.customer_name) && !l.contains("已推进")).unwrap();
    // Started today, due in two weeks.
    assert!(row.contains("5 营销计划") && row.contains("2026-12-07") && !row.starts_with('!'), "{row}");

    let store = Store::open(&path).unwrap();
    let now_stored = pipeline::load(store.conn(), &p.customer_id).unwrap().unwrap();
    assert_eq!((now_stored.step, now_stored.started_on), (Step::MarketingPlan, now().date()));
    let history: (String, String, i64) = store
        .conn()
        .row(
            "SELECT old_value, new_value, changed_by FROM history WHERE entity = 'prospect_step' AND entity_id = ?1 \
             AND field = 'step' ORDER BY id DESC LIMIT 1",
            args![p.customer_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(history, ("positioning".into(), "marketing_plan".into(), staff_id(&path, SUPERVISOR)));

    // x drops one, after a y/n; it leaves the list and stays in the history.
    app.handle(&key(KeyCode::Home));
    let first = listed(&path, PipelineScope::Unit(1)).remove(0);
    app.handle(&key(KeyCode::Char('x')));
    assert!(screen(&mut app, 100, 24).contains(&format!("放弃开发 {}?", first.customer_name)));
    app.handle(&key(KeyCode::Char('y')));
    let dropped = screen(&mut app, 100, 24);
    assert!(dropped.contains(&format!("已放弃开发 {}", first.customer_name)), "{dropped}");
    assert!(!dropped.lines().any(|l| l.contains(&first.customer_name) && !l.contains("已放弃开发")), "{dropped}");
    let stored = pipeline::load(store.conn(), &first.customer_id).unwrap().unwrap();
    assert_eq!(stored.closed.as_deref(), Some("dropped"));
}

#[test]
fn an_account_manager_is_refused_the_directors_steps_and_the_last_one() {
    let (_dir, path) = full_demo_db(300);
    let manager = staff_id(&path, MANAGER);
    let mine = listed(&path, PipelineScope::Manager(manager));
    for (lang, said) in [(Lang::Zh, "第 3、4 步(排序、定位)由局长和团队决定,由主管推进"), (Lang::En, "Steps 3 and 4")]
    {
        let index = mine.iter().position(|p| p.step == Step::Prioritisation).unwrap();
        let mut app = pipeline_of(&path, lang, MANAGER);
        down_to(&mut app, index);
        app.handle(&key(KeyCode::Char('a')));
        let refused = screen(&mut app, 160, 24);
        assert!(refused.contains(said), "{refused}");
        assert!(!refused.contains("(y/n)"), "no question asked: {refused}");
        app.handle(&key(KeyCode::Char('y')));
        // The expansion ends with the first agreement, not with a key.
        app.handle(&key(KeyCode::Home));
        let last = mine.iter().position(|p| p.step == Step::Expansion).unwrap();
        down_to(&mut app, last);
        app.handle(&key(KeyCode::Char('a')));
        let refused = screen(&mut app, 160, 24);
        let said = if lang == Lang::Zh { "拓展是最后一步" } else { "Expansion is the last step" };
        assert!(refused.contains(said) && !refused.contains("(y/n)"), "{refused}");
    }
    // Nothing moved.
    assert_eq!(
        listed(&path, PipelineScope::Manager(manager)).iter().map(|p| (p.step, p.version)).collect::<Vec<_>>(),
        mine.iter().map(|p| (p.step, p.version)).collect::<Vec<_>>()
    );
    // A step of their own they move.
    let index = mine.iter().position(|p| p.step == Step::Survey || p.step == Step::MarketingPlan).unwrap();
    let mut app = pipeline_of(&path, Lang::En, MANAGER);
    down_to(&mut app, index);
    app.handle(&key(KeyCode::Char('a')));
    app.handle(&key(KeyCode::Char('y')));
    let moved = screen(&mut app, 120, 24);
    assert!(moved.contains(&format!("{} moved to", mine[index].customer_name)), "{moved}");
}

#[test]
fn a_refused_start_keeps_the_form_and_says_why_at_the_field() {
    let (_dir, path) = full_demo_db(300);
    let manager = staff_id(&path, MANAGER);
    let started = listed(&path, PipelineScope::Manager(manager)).remove(0);
    let mut app = pipeline_of(&path, Lang::Zh, MANAGER);
    app.handle(&key(KeyCode::Char('n')));
    let form = screen(&mut app, 100, 24);
    assert!(form.contains("开始开发") && form.contains("1 银行"), "the unit's first industry: {form}");
    // A customer already in the pipeline, and a revenue that is no amount.
    type_text(&mut app, &started.customer_id.to_string());
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "五万");
    app.handle(&ctrl('s'));
    let kept = screen(&mut app, 100, 24);
    assert!(kept.contains("开始开发") && kept.contains("五万"), "{kept}");
    assert!(kept.contains(&started.customer_id.to_string()), "the customer stays: {kept}");
    press(&mut app, &[KeyCode::Backspace, KeyCode::Backspace]);
    type_text(&mut app, "50000");
    app.handle(&ctrl('s'));
    let refused = screen(&mut app, 100, 24);
    assert!(refused.contains("开始开发") && refused.contains("该客户已在开发流程中"), "{refused}");
    assert!(refused.contains("50000"), "what was typed stays: {refused}");

    // An approved customer of theirs, not signed and not in the pipeline, starts.
    let store = Store::open(&path).unwrap();
    let (id, name): (String, String) = store
        .conn()
        .row(
            "SELECT id, short_name FROM customer WHERE owner_a = ?1 AND registration = 'approved' \
             AND stage NOT IN ('signed', 'maintained') AND id NOT IN (SELECT customer_id FROM prospect_step) \
             ORDER BY id LIMIT 1",
            args![manager],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The refusal put the focus on the customer field.
    for _ in 0..40 {
        app.handle(&key(KeyCode::Backspace));
    }
    type_text(&mut app, &id);
    app.handle(&ctrl('s'));
    let done = screen(&mut app, 120, 30);
    assert!(done.contains(&format!("已开始开发 {name}(1 调研)")), "{done}");
    assert!(done.lines().any(|l| l.contains(&name) && l.contains("1 调研") && l.contains("2026-11-30")), "{done}");
    let p = pipeline::load(store.conn(), &kam::domain::id::CustomerId::parse(&id).unwrap()).unwrap().unwrap();
    assert_eq!((p.step, p.industry.as_deref()), (Step::Survey, Some("银行")));
    assert_eq!(p.expected_revenue.map(|m| m.format_yuan()), Some("50,000.00".to_string()));
}

#[test]
fn the_ranking_table_is_the_supervisors_to_edit_and_the_managers_to_read() {
    let (_dir, path) = full_demo_db(300);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = pipeline_of(&path, lang, MANAGER);
        app.handle(&key(KeyCode::Char('r')));
        for (w, h) in [(80, 24), (160, 50)] {
            let table = screen(&mut app, w, h);
            let (title, bank) =
                if lang == Lang::Zh { ("分类排序表", "银行") } else { ("ranking table", "银行") };
            assert!(table.contains(title) && table.contains(bank), "{w}×{h}: {table}");
        }
        for k in ['e', 'n', 'd'] {
            app.handle(&key(KeyCode::Char(k)));
            let refused = screen(&mut app, 160, 24);
            let said = if lang == Lang::Zh { "只读:" } else { "Read only:" };
            assert!(refused.contains(said), "{k}: {refused}");
            assert!(!refused.contains("(y/n)") && !refused.contains("Ctrl"), "no form, no question: {refused}");
        }
    }

    let mut app = pipeline_of(&path, Lang::Zh, SUPERVISOR);
    app.handle(&key(KeyCode::Char('r')));
    app.handle(&key(KeyCode::Char('e')));
    assert!(screen(&mut app, 80, 24).contains("编辑行业 · 银行"));
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Backspace, KeyCode::Backspace]);
    type_text(&mut app, "130");
    app.handle(&ctrl('s'));
    let kept = screen(&mut app, 80, 24);
    assert!(kept.contains("编辑行业 · 银行") && kept.contains("0 到 100 的整数") && kept.contains("130"), "{kept}");
    press(&mut app, &[KeyCode::Backspace, KeyCode::Backspace, KeyCode::Backspace]);
    type_text(&mut app, "30");
    app.handle(&ctrl('s'));
    let saved = screen(&mut app, 80, 24);
    assert!(saved.contains("已保存分类排序表:银行"), "{saved}");
    assert!(saved.lines().any(|l| l.contains("银行") && l.contains(" 30 ")), "{saved}");
    // An industry added, and one archived after a y/n.
    app.handle(&key(KeyCode::Char('n')));
    type_text(&mut app, "物流快递");
    app.handle(&ctrl('s'));
    let added = screen(&mut app, 80, 24);
    assert!(
        added.lines().any(|l| l.contains("7 物流快递") || (l.contains("物流快递") && l.contains(" 7 "))),
        "{added}"
    );
    app.handle(&key(KeyCode::Char('d')));
    assert!(screen(&mut app, 80, 24).contains("归档行业 银行?"));
    app.handle(&key(KeyCode::Char('y')));
    let archived = screen(&mut app, 80, 24);
    assert!(archived.contains("已归档行业 银行"), "{archived}");
    assert!(!archived.lines().skip(3).take(8).any(|l| l.contains("银行")), "off the table: {archived}");

    let store = Store::open(&path).unwrap();
    let rows: Vec<(String, String, String)> = store
        .conn()
        .rows(
            "SELECT h.field, coalesce(h.old_value, ''), coalesce(h.new_value, '') FROM history h \
             JOIN industry_rank i ON i.id = h.entity_id WHERE h.entity = 'industry_rank' AND i.industry = '银行' \
             AND i.unit_id = 1 AND h.action = 'update' ORDER BY h.id",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(rows, vec![("weight".into(), "25".into(), "30".into()), ("archived".into(), "0".into(), "1".into())]);
}

#[test]
fn todays_overdue_steps_open_the_pipeline_on_the_prospect() {
    let (_dir, path) = full_demo_db(300);
    let today = now().date();
    let manager = staff_id(&path, MANAGER);
    let late: Vec<Prospect> =
        listed(&path, PipelineScope::Manager(manager)).into_iter().filter(|p| p.is_overdue(today)).collect();
    assert!(!late.is_empty(), "the demo has overdue steps");
    for (lang, heading) in [(Lang::Zh, "超期的开发步骤"), (Lang::En, "Overdue pipeline steps")] {
        let mut app = today_on(&path, lang, MANAGER);
        let s = screen(&mut app, 100, 60);
        assert!(s.contains(&format!("{heading} ({})", late.len())), "{s}");
        let last = &late[0];
        let due = last.due_on.to_string();
        let line = s.lines().find(|l| l.contains(&last.customer_name) && l.contains(&due));
        assert!(line.is_some(), "{s}");
        // Enter on it opens the pipeline with the selection on it.
        for _ in 0..80 {
            let row = selected_row(&mut app, 100, 60);
            if row.contains(&last.customer_name) && row.contains(&due) {
                break;
            }
            app.handle(&key(KeyCode::Down));
        }
        app.handle(&key(KeyCode::Enter));
        let opened = screen(&mut app, 100, 30);
        assert!(opened.contains(if lang == Lang::Zh { "开发流程" } else { "Development pipeline" }), "{opened}");
        let row = selected_row(&mut app, 100, 30);
        assert!(row.contains(&last.customer_name) && row.starts_with('!'), "{row}\n{opened}");
    }
    // A supervisor sees the unit's, with whose each is.
    let mut sup = today_on(&path, Lang::Zh, SUPERVISOR);
    let s = screen(&mut sup, 100, 60);
    let first = &late[0];
    assert!(s.lines().any(|l| l.contains(&format!("[{}] {}", first.owner, first.customer_name))), "{s}");
}

/// Today asks one indexed query of the pipeline: the overdue steps of the
/// user's customers, found through an index, never a scan of the table.
#[test]
fn todays_query_uses_indexes() {
    let (_dir, path) = full_demo_db(60);
    let store = Store::open(&path).unwrap();
    for filter in ["c.owner_a = 2", "c.unit_id = 1"] {
        let plan: Vec<String> = store
            .conn()
            .rows(
                &format!(
                    "EXPLAIN QUERY PLAN SELECT p.customer_id FROM prospect_step p JOIN customer c ON c.id = \
                     p.customer_id LEFT JOIN staff o ON o.id = c.owner_a LEFT JOIN industry_rank i ON i.id = \
                     p.industry_id WHERE p.closed IS NULL AND p.due_on < '2026-11-23' AND {filter} ORDER BY \
                     p.due_on, p.customer_id LIMIT 50"
                ),
                args![],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.iter().all(|l| !l.starts_with("SCAN")), "{filter}: {plan:?}");
        assert!(plan.iter().any(|l| l.contains("INDEX")), "{plan:?}");
    }
}
