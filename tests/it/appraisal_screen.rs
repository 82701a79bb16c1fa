//! The month end (key 9, issue 17) on the full demo (today 2026-11-23:
//! September closed by each unit's supervisor, October open with its items
//! entered), drawn on TestBackend in both languages and driven by keys: the
//! managers' table, a manager's sheet with the records behind a deduction,
//! an item entered with the form, closing refused while a rank is missing
//! and then done, reopening with a reason, a manager's own sheet only.

use crate::support::*;

use crossterm::event::KeyCode;
use kam::app::App;
use kam::db::Store;
use kam::db::appraisal::{CloseStatus, EntryKind, closure, entries};
use kam::db::reference;
use kam::db::sql::{Sql, args};
use kam::domain::appraisal::score::SheetItem;
use kam::domain::revenue::Month;
use kam::domain::staff::Staff;
use kam::domain::visit_standard::StandardPreset;
use kam::i18n::Lang;
use kam::review::appraisal::{Evidence, ManagerMonth};
use rust_decimal::Decimal;

fn october() -> Month {
    Month::new(2026, 10).unwrap()
}

fn september() -> Month {
    Month::new(2026, 9).unwrap()
}

/// The app on the month end (it opens on last month, October).
fn month_end(path: &std::path::Path, lang: Lang, login: &str) -> App {
    let mut app = today_on(path, lang, login);
    app.handle(&key(KeyCode::Char('9')));
    app
}

fn staff(path: &std::path::Path, login: &str) -> Staff {
    let store = Store::open(path).unwrap();
    reference::staff_by_login(store.conn(), login).unwrap().expect("demo login")
}

/// The sheets the screen lists for `login` in `month`, read the way it reads them.
fn sheets(path: &std::path::Path, login: &str, month: Month) -> Vec<ManagerMonth> {
    let store = Store::open(path).unwrap();
    let user = staff(path, login);
    kam::ui::screens::appraisal::read_sheets(
        store.conn(),
        &user,
        user.unit_id,
        month,
        now().date(),
        StandardPreset::default(),
    )
    .unwrap()
}

/// Points as the screen shows them.
fn pts(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

/// The table's line of the manager named `name`.
fn row<'a>(shown: &'a str, name: &str) -> &'a str {
    shown.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_else(|| panic!("no line for {name}:\n{shown}"))
}

/// The line after the one holding `label` (where a field's error is drawn).
fn line_after<'a>(shown: &'a str, label: &str) -> &'a str {
    let mut lines = shown.lines();
    lines.find(|l| l.contains(label)).unwrap_or_else(|| panic!("no {label}:\n{shown}"));
    lines.next().unwrap_or_default()
}

fn press_n(app: &mut App, code: KeyCode, times: usize) {
    for _ in 0..times {
        app.handle(&key(code));
    }
}

/// Steps the form's item pick to `label`, one option at a time.
fn pick(app: &mut App, label: &str) {
    for _ in 0..20 {
        if screen(app, 100, 30).contains(&format!("◀ {label} ▶")) {
            return;
        }
        app.handle(&key(KeyCode::Right));
    }
    panic!("no option {label}:\n{}", screen(app, 100, 30));
}

#[test]
fn the_table_in_chinese_and_english_with_names_scores_and_the_month_closed_or_open() {
    let (_dir, path) = full_demo_db(120);
    let october_sheets = sheets(&path, "zhuguan", october());
    let september_sheets = sheets(&path, "zhuguan", september());
    assert_eq!(october_sheets.len(), 12, "every account manager under the city centre");
    assert!(october_sheets.iter().all(|m| m.frozen.is_none()), "October is open");
    assert!(september_sheets.iter().all(|m| m.frozen.is_some()), "September is closed");
    let cases = [
        (Lang::Zh, ["月度考核", "客户经理", "得分", "固定绩效", "绩效工资", "状态"], "进行中", "已结账"),
        (Lang::En, ["Month end", "Account manager", "Score", "Fixed", "Performance pay", "Status"], "open", "closed"),
    ];
    for (lang, headings, open, closed) in cases {
        let mut app = month_end(&path, lang, "zhuguan");
        for (w, h) in [(80, 24), (160, 50)] {
            let shown = screen(&mut app, w, h);
            assert!(shown.contains("2026-10"), "{shown}");
            for heading in headings {
                assert!(shown.contains(heading), "{lang:?} {w}×{h}: {heading} missing:\n{shown}");
            }
            for m in october_sheets.iter() {
                let line = row(&shown, &m.name);
                assert!(line.contains(&format!(" {} ", pts(m.score()))), "{} scores {}: {line}", m.name, m.score());
                assert!(line.contains(&m.performance_pay.format_yuan()), "{line}");
                assert!(line.contains(&m.fixed().format_yuan()), "{line}");
                // The status, then a team leader's or a planner's post (cut at 80 columns).
                assert!(line.contains(&format!(" {open}")), "{line}");
                assert!(!line.contains(closed), "{line}");
                assert!(line.contains(&m.achievement_pay().format_yuan()), "{lang:?} {w}: achievement pay: {line}");
                if w == 160 {
                    // A planner has no late money: a dash.
                    let late = if m.planner.is_some() { "—".to_string() } else { m.late_money().format_yuan() };
                    assert!(line.contains(&late), "{line}");
                    assert!(line.contains(&m.unit_name), "{line}");
                }
            }
        }
        if lang == Lang::Zh {
            insta::assert_snapshot!("appraisal_table_zh", screen(&mut app, 80, 24));
        }
        app.handle(&key(KeyCode::Char('[')));
        for (w, h) in [(80, 24), (160, 50)] {
            let shown = screen(&mut app, w, h);
            assert!(shown.contains("2026-09"), "{shown}");
            for m in september_sheets.iter() {
                let line = row(&shown, &m.name);
                assert!(line.contains(&format!(" {} ", pts(m.score()))), "{line}");
                assert!(line.contains(&m.performance_pay.format_yuan()), "{line}");
                assert!(line.contains(&format!(" {closed}")), "{line}");
            }
        }
        if lang == Lang::En {
            let shown = screen(&mut app, 80, 24);
            for word in ["月度考核", "得分", "状态", "已结账", "进行中"] {
                assert!(!shown.contains(word), "no Chinese UI text in English: {word}\n{shown}");
            }
            insta::assert_snapshot!("appraisal_table_en", shown);
        } else {
            let shown = screen(&mut app, 160, 50);
            for word in ["closed", "open", "Score"] {
                assert!(!shown.contains(word), "no English in the Chinese screen: {word}\n{shown}");
            }
        }
    }
}

/// Issue 19: the table of every manager holds each one's figures without the
/// rows per customer behind them (which grow with the book); only the sheet
/// open is read in full. The figures are the same either way.
#[test]
fn the_table_holds_every_managers_figures_without_the_records_and_only_the_open_sheet_in_full() {
    let (_dir, path) = full_demo_db(120);
    let store = Store::open(&path).unwrap();
    let user = staff(&path, "zhuguan");
    let full = sheets(&path, "zhuguan", october());
    let table = |open: Option<i64>| {
        kam::ui::screens::appraisal::read_table(
            store.conn(),
            &user,
            user.unit_id,
            october(),
            now().date(),
            StandardPreset::default(),
            open,
        )
        .unwrap()
    };
    let open = full.iter().max_by_key(|m| m.evidence.len()).unwrap();
    assert!(!open.evidence.is_empty() && !open.pay_inputs.lines.is_empty(), "a sheet with records behind it");
    for (read, open) in [(table(None), None), (table(Some(open.staff_id)), Some(open.staff_id))] {
        assert_eq!(read.len(), full.len());
        for (t, f) in read.iter().zip(&full) {
            assert_eq!(t.staff_id, f.staff_id);
            let figures = |m: &ManagerMonth| {
                (m.score(), m.fixed(), m.achievement_pay(), m.late_money(), m.completion(), m.performance_pay)
            };
            assert_eq!(figures(t), figures(f), "{}", f.name);
            if Some(f.staff_id) == open {
                assert_eq!(t, f, "the sheet open is whole");
            } else {
                assert!(t.evidence.is_empty() && t.pay_inputs.lines.is_empty(), "{}", f.name);
                assert!(t.appraisal.pay.achievement.lines.is_empty(), "{}", f.name);
                assert_eq!(t, &f.clone().trimmed());
            }
        }
    }
}

#[test]
fn enter_opens_a_sheet_with_its_items_the_records_behind_its_deductions_and_the_entered_items() {
    let (_dir, path) = full_demo_db(120);
    let all = sheets(&path, "zhuguan", october());
    // The manager with the most records behind deductions.
    let (index, m) = all
        .iter()
        .enumerate()
        .filter(|(_, m)| m.evidence.iter().any(|e| matches!(e, Evidence::Visits { .. })))
        .max_by_key(|(_, m)| m.evidence.len())
        .expect("a manager short of visits");
    let mut app = month_end(&path, Lang::Zh, "zhuguan");
    press_n(&mut app, KeyCode::Down, index);
    app.handle(&key(KeyCode::Enter));
    let shown = screen(&mut app, 160, 50);
    assert!(
        shown.lines().next().unwrap().contains(&format!("2026-10 › 广州市邮政局大客户中心 › {}", m.name)),
        "{shown}"
    );
    assert!(shown.contains("进行中:按 2026-10-31 的记录计算"), "{shown}");
    assert!(shown.contains("月度工作表现考核"), "{shown}");
    for item in &m.appraisal.sheet.items {
        let label = kam::i18n::sheet_item_label(item.item).0;
        assert!(shown.contains(&format!(" {label}  {}/{}", pts(item.points), pts(item.max))), "{label}:\n{shown}");
    }
    assert!(shown.contains(&format!("总分 {}", pts(m.score()))), "{shown}");
    // The visits deduction and the customers short of a visit behind it, line by line.
    let visits = m.appraisal.sheet.item(SheetItem::Visits).unwrap();
    let missing = &visits.deductions[0];
    assert!(shown.contains(&format!("缺少拜访 ×{}  −{}", missing.count, pts(missing.points))), "{shown}");
    let short: u32 = m
        .evidence
        .iter()
        .map(|e| match e {
            Evidence::Visits { done, required, .. } => required - done.min(required),
            _ => 0,
        })
        .sum();
    assert_eq!(short, missing.count, "the deduction counts the visits its records lack");
    // Down through the whole sheet, collecting what scrolls by.
    let mut seen = shown.clone();
    for _ in 0..m.evidence.len() + m.entries.len() + 40 {
        app.handle(&key(KeyCode::Down));
        seen.push_str(&screen(&mut app, 160, 50));
    }
    assert!(seen.contains("扣分依据(记录)"), "{seen}");
    for e in &m.evidence {
        let line = match e {
            Evidence::Visits { name, kind, done, required, .. } => {
                format!("{name}:{} {done}/{required} 次", kind_label(*kind))
            }
            Evidence::Logs { name, written, required, .. } => format!("{name}:营销日志 {written}/{required} 篇"),
            Evidence::StaleDossier { name, due, .. } => format!("{name}:档案应于 {due} 更新,已过期"),
            Evidence::Plan { name, first, last, .. } => format!("{name}:{first} 至 {last} 的营销计划未按期提交"),
        };
        assert!(seen.contains(&line), "{line} missing");
    }
    assert!(seen.contains("录入项目"), "{seen}");
    for e in &m.entries {
        let label = kam::i18n::entry_kind_label(e.kind).0;
        assert!(seen.contains(&format!(" {label} ×{}", e.count)), "{label}");
        assert!(seen.contains(&format!("{}  — {}", e.reason, e.entered_by)), "{}", e.reason);
    }
    // English: the same sheet's parts.
    let mut app = month_end(&path, Lang::En, "zhuguan");
    press_n(&mut app, KeyCode::Down, index);
    app.handle(&key(KeyCode::Enter));
    let shown = screen(&mut app, 80, 24);
    for words in ["Score sheet", "Visits", &format!("Missing visit ×{}", missing.count), "Open: counted"] {
        assert!(shown.contains(words), "{words}:\n{shown}");
    }
    // Esc is back to the table.
    app.handle(&key(KeyCode::Esc));
    assert!(screen(&mut app, 80, 24).contains("12 account managers"));
}

fn kind_label(kind: kam::domain::visit::VisitKind) -> &'static str {
    kam::i18n::visit_kind_label(kind).0
}

#[test]
fn a_supervisor_enters_an_item_and_the_score_moves_by_the_rules_points_a_save_without_a_reason_keeps_the_form() {
    let (_dir, path) = full_demo_db(120);
    let store = Store::open(&path).unwrap();
    let per_absence =
        kam::review::appraisal::rules_for(store.conn(), october()).unwrap().sheet.morning_meeting.per_absence;
    let all = sheets(&path, "zhuguan", october());
    let (index, m) = all
        .iter()
        .enumerate()
        .find(|(_, m)| {
            let meeting = m.appraisal.sheet.item(SheetItem::MorningMeeting).unwrap();
            meeting.points == meeting.max && m.score() >= per_absence
        })
        .expect("a manager with a morning meeting to lose");
    let before = entries(store.conn(), &staff(&path, "zhuguan"), m.staff_id, october()).unwrap().len();
    let meeting = m.appraisal.sheet.item(SheetItem::MorningMeeting).unwrap().points;

    let mut app = month_end(&path, Lang::Zh, "zhuguan");
    press_n(&mut app, KeyCode::Down, index);
    app.handle(&key(KeyCode::Enter));
    app.handle(&key(KeyCode::Char('n')));
    let form = screen(&mut app, 100, 30);
    assert!(form.contains(&format!("录入考核项目:{} 2026-10", m.name)), "{form}");
    assert!(form.contains("◀ 晨会缺勤 ▶"), "{form}");
    // Saved without a reason: the form stays, the reason's field says why.
    app.handle(&key(KeyCode::Enter));
    let failed = screen(&mut app, 100, 30);
    assert!(failed.contains(&format!("录入考核项目:{} 2026-10", m.name)), "the form stays:\n{failed}");
    assert!(line_after(&failed, "依据(日期、事由)*").contains("⚠ 必填"), "{failed}");
    assert_eq!(entries(store.conn(), &staff(&path, "zhuguan"), m.staff_id, october()).unwrap().len(), before);
    // The reason typed (focus is on its field now), saved with Enter.
    type_text(&mut app, "10月27日晨会无故缺席");
    assert!(!line_after(&screen(&mut app, 100, 30), "依据(日期、事由)*").contains("⚠"), "typing clears it");
    app.handle(&key(KeyCode::Enter));
    let saved = screen(&mut app, 160, 50);
    assert!(!saved.contains("录入考核项目:"), "the form closed:\n{saved}");
    assert!(saved.contains(&format!("已录入“晨会缺勤”:{}", m.name)), "{saved}");
    let after = meeting - per_absence;
    assert!(saved.contains(&format!(" 晨会出勤  {}/10", pts(after))), "{saved}");
    assert!(saved.contains(&format!("缺勤 ×1  −{}  10月27日晨会无故缺席", pts(per_absence))), "{saved}");
    assert!(saved.contains(&format!("总分 {}", pts(m.score() - per_absence))), "{saved}");
    app.handle(&key(KeyCode::Esc));
    let table = screen(&mut app, 80, 24);
    assert!(row(&table, &m.name).contains(&format!(" {} ", pts(m.score() - per_absence))), "{table}");
    let now_entries = entries(store.conn(), &staff(&path, "zhuguan"), m.staff_id, october()).unwrap();
    assert_eq!(now_entries.len(), before + 1);
    let new = now_entries.last().unwrap();
    assert_eq!((new.kind, new.count, new.reason.as_str()), (EntryKind::MeetingAbsence, 1, "10月27日晨会无故缺席"));

    // English: the form's error under the field too.
    let mut app = month_end(&path, Lang::En, "zhuguan");
    app.handle(&key(KeyCode::Char('n')));
    app.handle(&key(KeyCode::Enter));
    let failed = screen(&mut app, 100, 30);
    assert!(failed.contains("Enter an item:"), "{failed}");
    assert!(line_after(&failed, "Reason (dates, what happened)*").contains("⚠ Required"), "{failed}");
}

#[test]
fn closing_is_refused_while_a_rank_is_missing_then_closes_reopens_with_a_reason_and_n_waits_for_it() {
    let (_dir, path) = full_demo_db(120);
    let supervisor = staff(&path, "zhuguan2");
    let all = sheets(&path, "zhuguan2", october());
    assert!(all.len() >= 2 && all.iter().all(|m| !m.unranked && m.frozen.is_none()), "October ranked, open");
    let m = &all[0];
    let mut app = month_end(&path, Lang::Zh, "zhuguan2");
    // Withdraw the conduct rank: among the entered items at the end of the sheet.
    app.handle(&key(KeyCode::Enter));
    screen(&mut app, 100, 30);
    press_n(&mut app, KeyCode::PageDown, 10);
    let last_kind = m.entries.last().unwrap().kind;
    let from_end = m.entries.len() - 1 - m.entries.iter().position(|e| e.kind == EntryKind::BehaviourRank).unwrap();
    assert_ne!(last_kind, EntryKind::BehaviourRank);
    press_n(&mut app, KeyCode::Up, from_end);
    app.handle(&key(KeyCode::Char('d')));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("已撤销该录入项目(历史记录保留)"), "{shown}");
    let store = Store::open(&path).unwrap();
    let live = entries(store.conn(), &supervisor, m.staff_id, october()).unwrap();
    assert!(!live.iter().any(|e| e.kind == EntryKind::BehaviourRank), "{live:?}");

    // Closing: asked, then refused, naming who is not ranked.
    app.handle(&key(KeyCode::Esc));
    app.handle(&key(KeyCode::Char('c')));
    let asked = screen(&mut app, 100, 30);
    assert!(asked.contains("结账后本月考核冻结,之后的记录变动不再影响。结账?(y/n)"), "{asked}");
    app.handle(&key(KeyCode::Char('y')));
    let refused = screen(&mut app, 100, 30);
    assert!(refused.contains(&format!("还未评定排名:{}", m.name)), "{refused}");
    assert!(row(&refused, &m.name).contains("进行中 未评排名"), "{refused}");
    assert!(closure(store.conn(), supervisor.unit_id, october()).unwrap().is_none(), "nothing closed");

    // The rank entered with the form, then the month closes.
    app.handle(&key(KeyCode::Enter));
    app.handle(&key(KeyCode::Char('n')));
    pick(&mut app, "工作表现排名");
    press_n(&mut app, KeyCode::Tab, 3);
    type_text(&mut app, "主任与同事评议第一");
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 100, 30).contains(&format!("已录入“工作表现排名”:{}", m.name)));
    app.handle(&key(KeyCode::Esc));
    app.handle(&key(KeyCode::Char('c')));
    app.handle(&key(KeyCode::Char('y')));
    let closed = screen(&mut app, 100, 30);
    assert!(closed.contains(&format!("2026-10 已结账,{} 名客户经理的考核已冻结", all.len())), "{closed}");
    for m in &all {
        assert!(row(&closed, &m.name).contains(" 已结账"), "{closed}");
    }
    let decided = closure(store.conn(), supervisor.unit_id, october()).unwrap().unwrap();
    assert_eq!((decided.status, decided.by.as_str()), (CloseStatus::Closed, supervisor.name.as_str()));
    // Frozen in full, records and commission lines too (the table holds them trimmed).
    assert!(all.iter().any(|m| !m.evidence.is_empty() && !m.pay_inputs.lines.is_empty()));
    for m in &all {
        let json = kam::db::appraisal::frozen_sheet(store.conn(), &supervisor, m.staff_id, october()).unwrap().unwrap();
        let frozen: ManagerMonth = serde_json::from_str(&json).unwrap();
        assert_eq!(frozen.evidence, m.evidence, "{}", m.name);
        assert_eq!(frozen.pay_inputs.lines, m.pay_inputs.lines, "{}", m.name);
        assert_eq!(frozen.appraisal.pay.achievement.lines, m.appraisal.pay.achievement.lines, "{}", m.name);
        // The next month's carry, read from the sheet inside the database.
        let carry = kam::db::appraisal::frozen_carry_out(store.conn(), &supervisor, m.staff_id, october()).unwrap();
        assert_eq!(carry.map(|c| c.parse::<Decimal>().unwrap()), Some(frozen.appraisal.pay.late_money.carry_out.0));
    }

    // Closed: n is refused, the sheet says who froze it.
    app.handle(&key(KeyCode::Char('n')));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("本月已结账:先重开(R)才能修改"), "{shown}");
    assert!(!shown.contains("录入考核项目:"), "{shown}");
    press_n(&mut app, KeyCode::Char('['), 1);
    press_n(&mut app, KeyCode::Char(']'), 1);
    app.handle(&key(KeyCode::Enter));
    let sheet = screen(&mut app, 100, 30);
    assert!(sheet.contains(&format!("已结账:{} 于 2026-11-23 09:00 冻结", supervisor.name)), "{sheet}");
    app.handle(&key(KeyCode::Esc));

    // Reopened: a reason is asked for, and recorded.
    app.handle(&key(KeyCode::Char('R')));
    assert!(screen(&mut app, 100, 30).contains("重开原因:"));
    app.handle(&key(KeyCode::Enter));
    let asked = screen(&mut app, 100, 30);
    assert!(asked.contains("重开原因:"), "the question stays without a reason:\n{asked}");
    assert!(line_after(&asked, "重开原因:").contains("⚠ 重开需要填写原因"), "{asked}");
    assert_eq!(closure(store.conn(), supervisor.unit_id, october()).unwrap().unwrap().status, CloseStatus::Closed);
    type_text(&mut app, "补录十月下旬的拜访");
    app.handle(&key(KeyCode::Enter));
    let reopened = screen(&mut app, 100, 30);
    assert!(reopened.contains("2026-10 已重开,原因已记录"), "{reopened}");
    for m in &all {
        assert!(row(&reopened, &m.name).contains(" 进行中"), "{reopened}");
    }
    let decided = closure(store.conn(), supervisor.unit_id, october()).unwrap().unwrap();
    assert_eq!(decided.status, CloseStatus::Open);
    assert_eq!(decided.reason.as_deref(), Some("补录十月下旬的拜访"));
    let history: i64 = store
        .conn()
        .row(
            "SELECT count(*) FROM history WHERE entity = 'appraisal_close' AND field = 'reason' AND new_value = ?1",
            args!["补录十月下旬的拜访"],
            |r| r.get(0),
        )
        .unwrap();
    let mut units: Vec<i64> = all.iter().map(|m| m.unit_id).collect();
    units.sort_unstable();
    units.dedup();
    assert_eq!(history, i64::try_from(units.len()).unwrap(), "the reason is in the history of each unit listed");
}

#[test]
fn an_account_manager_sees_only_their_own_sheet_and_cannot_enter_close_or_reopen() {
    let (_dir, path) = full_demo_db(120);
    let me = staff(&path, "jingli01");
    let others: Vec<String> =
        sheets(&path, "zhuguan", october()).into_iter().filter(|m| m.staff_id != me.id).map(|m| m.name).collect();
    let mine = sheets(&path, "jingli01", october());
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].staff_id, me.id);
    for (lang, refusals) in [
        (
            Lang::Zh,
            ["只有主管或管理员录入考核项目和基数", "只有主管或管理员可以结账", "只有本单位或上级单位的主管可以重开"],
        ),
        (
            Lang::En,
            [
                "Only a supervisor or the administrator enters items and terms",
                "Only a supervisor or the administrator closes the month",
                "Only a supervisor of the unit or above reopens",
            ],
        ),
    ] {
        let mut app = month_end(&path, lang, "jingli01");
        let shown = screen(&mut app, 160, 50);
        let title = shown.lines().next().unwrap();
        assert!(title.contains(&format!("2026-10 › {} › {}", mine[0].unit_name, me.name)), "{shown}");
        let total = if lang == Lang::Zh { "总分" } else { "Total" };
        assert!(shown.contains(&format!("{total} {}", pts(mine[0].score()))), "{shown}");
        for other in &others {
            assert!(!shown.contains(other.as_str()), "{other} is not shown to {}:\n{shown}", me.name);
        }
        for (k, refusal) in ['n', 'c', 'R'].into_iter().zip(refusals) {
            app.handle(&key(KeyCode::Char(k)));
            let shown = screen(&mut app, 100, 30);
            assert!(shown.contains(refusal), "{k}: {shown}");
            assert!(!shown.contains("录入考核项目:") && !shown.contains("Enter an item:"), "{shown}");
        }
        app.handle(&key(KeyCode::Char('t')));
        assert!(screen(&mut app, 100, 30).contains(refusals[0]));
        // September, frozen: still only their own.
        app.handle(&key(KeyCode::Char('[')));
        let shown = screen(&mut app, 160, 50);
        assert!(shown.contains("2026-09"), "{shown}");
        assert!(shown.contains("已结账:") || shown.contains("Closed: frozen by"), "{shown}");
        for other in &others {
            assert!(!shown.contains(other.as_str()), "{other}:\n{shown}");
        }
        // Esc has no table of everyone's to go back to: the sheet stays theirs.
        app.handle(&key(KeyCode::Esc));
        let shown = screen(&mut app, 160, 50);
        assert!(shown.lines().next().unwrap().contains(&format!("› {}", me.name)), "{shown}");
        for other in &others {
            assert!(!shown.contains(other.as_str()), "{other}:\n{shown}");
        }
    }
    // Nothing was written in their name.
    let store = Store::open(&path).unwrap();
    let written: i64 = store
        .conn()
        .row("SELECT count(*) FROM appraisal_entry WHERE entered_by = ?1", args![me.id], |r| r.get(0))
        .unwrap();
    assert_eq!(written, 0);
}

#[test]
fn a_leader_reads_every_manager_and_enters_nothing() {
    let (_dir, path) = full_demo_db(120);
    let all = sheets(&path, "zhuguan", october());
    let mut app = month_end(&path, Lang::Zh, "lingdao");
    let shown = screen(&mut app, 160, 50);
    for m in &all {
        assert!(row(&shown, &m.name).contains(&format!(" {} ", pts(m.score()))), "{shown}");
    }
    app.handle(&key(KeyCode::Char('n')));
    assert!(screen(&mut app, 100, 30).contains("只有主管或管理员录入考核项目和基数"));
    app.handle(&key(KeyCode::Char('c')));
    assert!(screen(&mut app, 100, 30).contains("只有主管或管理员可以结账"));
}

#[test]
fn a_tiny_terminal_never_panics_whatever_is_open() {
    let (_dir, path) = full_demo_db(60);
    let mut app = month_end(&path, Lang::Zh, "zhuguan");
    let sizes = [(20, 8), (12, 4), (1, 1), (80, 24)];
    let draw_all = |app: &mut App| {
        for (w, h) in sizes {
            render(app, w, h);
        }
    };
    draw_all(&mut app);
    app.handle(&key(KeyCode::Enter));
    draw_all(&mut app);
    app.handle(&key(KeyCode::Char('n')));
    draw_all(&mut app);
    app.handle(&key(KeyCode::Enter));
    draw_all(&mut app);
    app.handle(&key(KeyCode::Esc));
    app.handle(&key(KeyCode::Esc));
    app.handle(&key(KeyCode::Char('c')));
    draw_all(&mut app);
    app.handle(&key(KeyCode::Esc));
    app.handle(&key(KeyCode::Char('[')));
    app.handle(&key(KeyCode::Char('R')));
    draw_all(&mut app);
    app.handle(&key(KeyCode::Enter));
    draw_all(&mut app);
    assert!(screen(&mut app, 80, 24).contains("重开原因:"));
}
