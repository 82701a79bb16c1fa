//! Screen tests: the real App rendered to ratatui's TestBackend, driven by the
//! same messages the event loop produces.

use crate::support;

use crossterm::event::KeyCode;
use kam::i18n::Lang;
use kam::msg::Msg;
use support::*;

#[test]
fn customer_list_at_80x24_in_both_languages() {
    let (_dir, path) = demo_db(60);
    for (lang, name) in [(Lang::Zh, "list_zh"), (Lang::En, "list_en")] {
        let mut app = app_on(&path, lang, "jingli01");
        insta::assert_snapshot!(name, screen(&mut app, 80, 24));
    }
}

#[test]
fn customer_list_uses_wide_terminals() {
    let (_dir, path) = demo_db(60);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    let shown = screen(&mut app, 160, 50);
    // The unit and industry columns appear when there is room, and every row fits.
    assert!(shown.contains("责任单位") && shown.contains("行业"), "{shown}");
    assert!(shown.lines().count() == 50);
}

#[test]
fn search_by_pinyin_initials_finds_and_highlights() {
    let (_dir, path) = demo_db(60);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "dxzw");
    let buf = render(&mut app, 80, 24);
    let shown = text(&buf);
    assert!(shown.contains("共 1 户"), "{shown}");
    let row = shown.lines().position(|l| l.contains("电信帐务中心")).expect("found by initials");
    // The matched characters are drawn in the highlight style.
    let row = u16::try_from(row).unwrap();
    let line: String = (0..80).map(|x| buf[(x, row)].symbol().to_string()).collect();
    let col = u16::try_from(line.find('电').map(|b| line[..b].chars().count()).unwrap()).unwrap();
    let theme = kam::theme::Theme::load("dark", None, false).unwrap();
    assert_eq!(buf[(col, row)].bg, theme.get(kam::theme::Slot::Match).bg.unwrap());
    // Full pinyin and Chinese find it too; a query matching nothing says so.
    for q in ["dianxin", "电信帐务"] {
        app.handle(&ctrl('u'));
        type_text(&mut app, q);
        assert!(screen(&mut app, 80, 24).contains("电信帐务中心"), "{q}");
    }
    app.handle(&ctrl('u'));
    type_text(&mut app, "qqqqzzzz");
    assert!(screen(&mut app, 80, 24).contains("没有符合条件的客户"));
}

/// In the terminal, search runs on its own thread: a key draws the typed text
/// at once over the previous rows (the count marked "…"), and the rows follow
/// as a message through the loop. Enter before the answer still opens the match.
#[test]
fn search_on_the_search_thread_answers_through_the_loop() {
    use kam::background::Reader;
    use kam::event::Events;
    let (_dir, path) = demo_db(60);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    let (mut events, notifier) = Events::detached(std::time::Duration::from_secs(10));
    app.ctx.reader = Reader::start(path.clone(), notifier);
    press(&mut app, &[KeyCode::Down; 30]);
    let before = screen(&mut app, 80, 24);
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "dxzw");
    let typed = screen(&mut app, 80, 24);
    assert!(typed.contains("dxzw"), "{typed}");
    assert!(typed.contains(" …"), "waiting for the answer: {typed}");
    // Meanwhile the previous rows and selection stay, untouched (the list must
    // not fetch rows for the new words itself: that would search on this thread).
    let rows = |s: &str| s.lines().skip(3).take(18).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(rows(&typed), rows(&before));
    // Answers to the older queries ("d", "dx", …) may come first; the loop
    // hands each to the list, which keeps only the newest.
    let mut shown = typed;
    for _ in 0..4 {
        let msg = events.next().expect("an answer");
        // Found by the thread itself (None would mean the list searched inline).
        assert!(matches!(&msg, Msg::Searched(a) if a.found.is_some()), "{msg:?}");
        app.handle(&msg);
        shown = screen(&mut app, 80, 24);
        if shown.contains("共 1 户") {
            break;
        }
    }
    assert!(shown.contains("共 1 户") && shown.contains("电信帐务中心") && !shown.contains(" …"), "{shown}");
    assert_ne!(before, shown);
    // Typed and opened at once: Enter fetches the rows itself rather than act on stale ones.
    app.handle(&ctrl('u'));
    type_text(&mut app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 80, 24).contains("电信帐务中心"));
    assert!(app.top().key_modes().contains(&kam::keymap::Mode::Dossier), "the dossier opened");
}

fn open_telecom(app: &mut kam::app::App) {
    app.handle(&key(KeyCode::Char('/')));
    type_text(app, "dxzw");
    app.handle(&key(KeyCode::Enter));
}

#[test]
fn every_dossier_tab_in_both_languages() {
    let (_dir, path) = demo_db(60);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_on(&path, lang, "jingli01");
        open_telecom(&mut app);
        for tab in [
            "basic",
            "extended",
            "revenue",
            "persons",
            "competitors",
            "visits",
            "log",
            "complaints",
            "requests",
            "contracts",
            "plans",
            "branches",
            "history",
        ] {
            let name = format!("dossier_{tab}_{}", if lang == Lang::Zh { "zh" } else { "en" });
            insta::assert_snapshot!(name, screen(&mut app, 80, 24));
            app.handle(&key(KeyCode::Tab));
        }
    }
}

#[test]
fn help_overlay_lists_the_screens_keys() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::En, "jingli01");
    app.handle(&key(KeyCode::Char('?')));
    // At 80×24 the keys take two columns and long descriptions are cut, but
    // every key is there; on a wide screen the descriptions are whole.
    let narrow = screen(&mut app, 80, 24);
    assert!(narrow.contains("search (ID") && narrow.contains("marketing log"), "{narrow}");
    let shown = screen(&mut app, 140, 40);
    assert!(shown.contains("search (ID, name, pinyin, initials)"), "{shown}");
    assert!(shown.contains("only my customers"));
    // Any key closes it without acting.
    app.handle(&key(KeyCode::Char('q')));
    assert!(!app.should_quit());
    assert!(!screen(&mut app, 80, 24).contains("only my customers"));
}

#[test]
fn no_terminal_size_panics() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    let sizes = (1..=45).step_by(4).flat_map(|w| (1..=14).step_by(3).map(move |h| (w, h)));
    for (w, h) in sizes.chain([(80, 24), (40, 10), (39, 9), (200, 60)]) {
        render(&mut app, w, h);
    }
    open_telecom(&mut app);
    for tab in 0..10 {
        for (w, h) in [(1, 1), (20, 5), (40, 10), (41, 11), (80, 24)] {
            render(&mut app, w, h);
        }
        app.handle(&Msg::Resize(30, 8));
        app.handle(&key(KeyCode::Tab));
        let _ = tab;
    }
    app.handle(&key(KeyCode::Char('e')));
    for (w, h) in [(1, 1), (12, 3), (40, 10), (80, 24)] {
        render(&mut app, w, h);
    }
    assert!(screen(&mut app, 30, 8).contains("窗口太小"));
}

#[test]
fn filters_narrow_the_list_and_clear_again() {
    let (_dir, path) = demo_db(60);
    let mut app = app_on(&path, Lang::En, "jingli01");
    let all = screen(&mut app, 100, 30);
    app.handle(&key(KeyCode::Char('m')));
    let mine = screen(&mut app, 100, 30);
    assert!(mine.contains("filter: mine"), "{mine}");
    let count = |s: &str| -> u64 {
        let head = s.lines().next().unwrap();
        let n = head.split(" customer").next().unwrap().rsplit(' ').next().unwrap();
        n.parse().unwrap()
    };
    assert!(count(&mine) < count(&all), "{mine}");
    app.handle(&key(KeyCode::Char('c')));
    assert_eq!(count(&screen(&mut app, 100, 30)), count(&all));
    // Sorting by tier puts diamonds first.
    for _ in 0..2 {
        app.handle(&key(KeyCode::Char('s')));
    }
    let by_tier = screen(&mut app, 100, 30);
    assert!(by_tier.contains("Tier▲"), "{by_tier}");
    assert!(by_tier.lines().nth(3).unwrap().contains("Diamond"), "{by_tier}");
}

#[test]
fn no_color_keeps_every_marker() {
    let (_dir, path) = demo_db(60);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    app.ctx.theme = kam::theme::Theme::load("dark", None, true).unwrap();
    let buf = render(&mut app, 100, 30);
    let shown = text(&buf);
    // Stale dossiers and pending registrations are words, not only colours.
    assert!(shown.contains("⚠过期"), "{shown}");
    // No cell carries a colour; the selected row is reversed instead.
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            assert_eq!(cell.fg, ratatui::style::Color::Reset, "({x},{y})");
            assert_eq!(cell.bg, ratatui::style::Color::Reset, "({x},{y})");
        }
    }
    assert!(buf[(0, 3)].modifier.contains(ratatui::style::Modifier::REVERSED));
}

#[test]
fn history_shows_money_in_yuan() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::En, "jingli01");
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    app.handle(&key(KeyCode::Char('e')));
    // Annual revenue is the 22nd field of the basic form.
    for _ in 0..21 {
        app.handle(&key(KeyCode::Tab));
    }
    app.handle(&ctrl('u'));
    type_text(&mut app, "3000000.5");
    app.handle(&ctrl('s'));
    app.handle(&key(KeyCode::BackTab));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Estimated annual revenue (yuan): 2,860,000.00 → 3,000,000.50"), "{shown}");
}
