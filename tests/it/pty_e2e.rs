//! End to end: the real binary in a pseudo-terminal, read back through a
//! terminal emulator (vt100), as a user would see it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use kam::db::sql::{Sql, args};

pub(crate) const KAM: &str = env!("CARGO_BIN_EXE_kam");

pub(crate) fn demo(dir: &Path) -> PathBuf {
    let db = dir.join("kam.db");
    let out = std::process::Command::new(KAM)
        .args(["demo", "--customers", "40", "--db"])
        .arg(&db)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

pub(crate) struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    pub(crate) fn start(dir: &Path, args: &[&str]) -> Session {
        let pty =
            native_pty_system().openpty(PtySize { rows: 30, cols: 100, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(KAM);
        cmd.args(args);
        cmd.env("HOME", dir);
        cmd.env("XDG_CONFIG_HOME", dir.join("config"));
        cmd.env("XDG_DATA_HOME", dir.join("data"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("KAM_DB");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        // Keep the master alive for the child's lifetime.
        std::mem::forget(pty.master);
        Session { screen, writer, child }
    }

    pub(crate) fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub(crate) fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let c = self.contents();
            if c.contains(text) {
                return c;
            }
            assert!(start.elapsed() < Duration::from_secs(15), "timed out waiting for {text:?}; screen:\n{c}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for `text` on screen, however the screen wrapped it.
    pub(crate) fn wait_for_words(&self, text: &str) -> String {
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let want = words(text);
        let start = Instant::now();
        loop {
            let c = words(&self.contents());
            if c.contains(&want) {
                return c;
            }
            assert!(start.elapsed() < Duration::from_secs(15), "timed out waiting for {want:?}; screen:\n{c}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Let the app read each chunk on its own, as typing would arrive.
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Moves a pick list to the option `label`, one step at a time, waiting for
    /// each step to show before looking again (so a slow frame cannot make it
    /// overshoot).
    pub(crate) fn pick(&mut self, label: &str) {
        let target = format!("◀ {label} ▶");
        for _ in 0..12 {
            let before = self.contents();
            if before.contains(&target) {
                return;
            }
            self.send("\x1b[C");
            let start = Instant::now();
            while self.contents() == before && start.elapsed() < Duration::from_secs(5) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!("option {label:?} not found; screen:\n{}", self.contents());
    }

    pub(crate) fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("kam did not exit");
    }
}

pub(crate) const TAB: &str = "\t";
pub(crate) const BACKTAB: &str = "\x1b[Z";
pub(crate) const CTRL_S: &str = "\x13";
pub(crate) const ESC: &str = "\x1b";
pub(crate) const ENTER: &str = "\r";

#[test]
fn create_a_customer_and_find_it_by_pinyin_initials() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let mut s = Session::start(dir.path(), &["--db", db.to_str().unwrap(), "--user", "jingli01"]);
    // kam opens on Today; 2 goes to the customer list.
    s.wait_for("今日拜访");
    s.send("2");
    s.wait_for("客户列表");
    s.send("n");
    s.wait_for("新建客户");
    s.send(BACKTAB);
    s.send("新签协议客户");
    s.send(TAB);
    s.send(TAB);
    s.send("星河物流");
    s.send(TAB);
    s.send("广州星河物流有限公司");
    s.send(CTRL_S);
    s.wait_for("客户档案 › 星河物流");
    s.send(ESC);
    s.wait_for("客户列表");
    s.send("/");
    s.send("xhwl");
    // Wait for the row itself: the title with the count arrives first.
    s.wait_for("共 1 户");
    s.wait_for("星河物流");
    s.send(ENTER);
    s.wait_for("广州星河物流有限公司");
    s.send(ESC);
    s.send("q");
    assert!(s.wait_exit(), "clean exit");
    // The terminal was given back: the alternate screen is gone.
    assert!(!s.screen.lock().unwrap().screen().alternate_screen());
}

#[test]
fn english_interface_and_help() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let mut s = Session::start(dir.path(), &["--db", db.to_str().unwrap(), "--user", "zhuguan", "--lang", "en"]);
    s.wait_for("Today's visits");
    s.send("2");
    s.wait_for("Customers");
    s.send("?");
    s.wait_for("only my customers");
    s.send(" ");
    s.send("\x03");
    assert!(s.wait_exit());
    assert!(!s.screen.lock().unwrap().screen().alternate_screen());
}

#[test]
fn an_unknown_login_is_told_clearly_and_exits_non_zero() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    for (lang, said) in [("zh", "登录名 nobody 不是"), ("en", "'nobody' is not registered as staff")] {
        let out = std::process::Command::new(KAM)
            .args(["--db", db.to_str().unwrap(), "--user", "nobody", "--lang", lang])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{err}");
    }
}

#[test]
fn tier_calculator_prints_json() {
    let out = std::process::Command::new(KAM)
        .args(["tier", "--preset", "letter-bands", "--revenue", "1500000", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tier"], "gold");
    assert_eq!(v["next"]["tier"], "platinum");
    assert_eq!(v["next"]["extra_revenue"], "500000");
}

#[test]
fn record_a_planned_visit_as_done_from_today() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let mut s = Session::start(dir.path(), &["--db", db.to_str().unwrap(), "--user", "jingli01"]);
    // The demo gives the first account manager a visit at 09:30 today.
    s.wait_for("09:30 ○");
    s.send("r");
    s.wait_for("记录拜访结果");
    s.send(TAB);
    s.send(TAB);
    s.send("业务稳定,计划扩大帐单寄递");
    s.send(CTRL_S);
    s.wait_for("已记录拜访结果");
    s.wait_for("09:30 ●");
    s.send("q");
    assert!(s.wait_exit());
    let out = std::process::Command::new(KAM)
        .args(["agenda", "--db", db.to_str().unwrap(), "--user", "jingli01", "--lang", "en"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("Today's visits") && text.contains("09:30 ●"), "{text}");
}

#[test]
fn export_ics_writes_a_file_calendars_can_read() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let out_file = dir.path().join("mine.ics");
    let out = std::process::Command::new(KAM)
        .args(["export", "ics", "--db", db.to_str().unwrap(), "--user", "jingli01", "-o"])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let reader = std::io::BufReader::new(std::fs::File::open(&out_file).unwrap());
    let cal = ical::IcalParser::new(reader).next().unwrap().unwrap();
    assert!(!cal.events.is_empty(), "the demo's planned visits are exported");
    // A bad date is refused with a clear message.
    let bad = std::process::Command::new(KAM)
        .args([
            "export",
            "ics",
            "--db",
            db.to_str().unwrap(),
            "--user",
            "jingli01",
            "--from",
            "2026-13-01",
            "-o",
            "x.ics",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--from: '2026-13-01' is not a date"));
}

#[test]
fn file_escalate_resolve_confirm_and_close_a_complaint() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let mut s = Session::start(dir.path(), &["--db", db.to_str().unwrap(), "--user", "zhuguan2", "--lang", "en"]);
    s.wait_for("Today's visits");
    s.send("5");
    // The demo has complaints of its own (overdue ones first).
    s.wait_for("TS2026-");
    s.send("n");
    s.wait_for("File a complaint");
    // The selected complaint's customer is filled in: clear it (Ctrl-U) first.
    s.send("\x15");
    s.send("电信帐务中心");
    s.send(TAB);
    s.send(TAB);
    s.send("Mr Chen");
    s.send(TAB);
    s.send(TAB);
    s.send(TAB);
    s.send("Statement three days late");
    s.send(CTRL_S);
    s.wait_for("Complaint TS");
    // Narrow the list to the new one, so the steps act on it.
    s.send("/");
    s.send("three days late");
    s.send(ENTER);
    s.wait_for("Search:");
    // Each step: open the step form, move the pick to the step's label, save.
    let steps = [
        ("assign to the account manager", "assigned"),
        ("start handling", "in progress"),
        ("escalate to the supervisor", "escalated"),
        ("resolved", "resolved"),
        ("confirm: satisfied", "satisfaction confirmed"),
    ];
    for (step, state) in steps {
        s.send("s");
        s.wait_for("Complaint step");
        s.pick(step);
        if step == "resolved" {
            for _ in 0..4 {
                s.send(TAB);
            }
            s.send("market, business, technology, customer service");
        }
        s.send(CTRL_S);
        s.wait_for(&format!("Complaint now: {state}"));
    }
    // A confirmed complaint leaves the open list; show all, then close it.
    s.send("f");
    s.send("f");
    // (the search row stands where the key hints were: the title names the filter)
    s.wait_for("Complaints › all");
    s.send("s");
    s.wait_for("Complaint step");
    s.pick("close");
    s.send(CTRL_S);
    s.wait_for("Complaint now: closed");
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn ctrl_c_in_a_typed_form_asks_and_a_second_one_quits() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let mut s = Session::start(dir.path(), &["--db", db.to_str().unwrap(), "--user", "jingli01"]);
    s.wait_for("今日拜访");
    s.send("2");
    s.wait_for("客户列表");
    s.send("n");
    s.wait_for("新建客户");
    s.send(TAB);
    s.send("半填客户");
    // Ctrl-C arrives as the byte 0x03 over SSH as in any terminal.
    s.send("\x03");
    s.wait_for("表单内容尚未保存");
    std::thread::sleep(Duration::from_millis(300));
    assert!(s.child.try_wait().unwrap().is_none(), "still running after the first Ctrl-C");
    assert!(s.contents().contains("半填客户"), "the typing is kept");
    s.send("\x03");
    assert!(s.wait_exit(), "the second Ctrl-C quits cleanly");
}

/// The size of a file, 0 when it is absent.
fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Complaints in a copy of the main database file alone, as a plain file
/// copy (a backup by `cp`, a sync client) would take it.
fn complaints_in_a_copy_of(db: &Path) -> i64 {
    let elsewhere = tempfile::TempDir::new().unwrap();
    let copy = elsewhere.path().join("copy.db");
    std::fs::copy(db, &copy).unwrap();
    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.query_row("SELECT count(*) FROM complaint", [], |r| r.get(0)).unwrap()
}

/// Issue 12: after every kam had quit, recent work lived only in `kam.db-wal`
/// (the reader thread's read-only connection closed last, and cannot
/// checkpoint), so a copy of `kam.db` alone lost it. Now a clean exit leaves
/// the work in the main file, even while another kam is still open.
#[test]
fn after_a_clean_exit_the_main_file_alone_holds_the_work() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let wal = dir.path().join("kam.db-wal");
    // The demo's own complaints are in the main file already: building it ended cleanly.
    let before = complaints_in_a_copy_of(&db);
    assert!(before > 0);
    let args = ["--db", db.to_str().unwrap(), "--user", "zhuguan2"];
    // Someone else has kam open all along, doing nothing.
    let mut idle = Session::start(dir.path(), &args);
    idle.wait_for("今日拜访");
    let mut s = Session::start(dir.path(), &args);
    s.wait_for("今日拜访");
    s.send("5");
    s.wait_for("TS2026-");
    s.send("n");
    s.wait_for("登记投诉");
    // The selected complaint's customer is filled in: clear it (Ctrl-U) first.
    s.send("\x15");
    s.send("电信帐务中心");
    s.send(TAB);
    s.send(TAB);
    s.send("陈先生");
    s.send(TAB);
    s.send(TAB);
    s.send(TAB);
    s.send("月结帐单延误三天");
    s.send(CTRL_S);
    s.wait_for("已登记投诉 TS");
    assert!(file_len(&wal) > 0, "the write is in the log while kam runs");
    s.send("q");
    assert!(s.wait_exit());
    // The one who left emptied the log into the main file; the idle kam did not stop it.
    assert_eq!(file_len(&wal), 0, "the log is empty after a clean exit");
    assert_eq!(complaints_in_a_copy_of(&db), before + 1, "a copy of kam.db alone has the complaint");
    // The last one out: nothing is left beside the main file.
    idle.send("q");
    assert!(idle.wait_exit());
    assert!(!wal.exists(), "the log is gone when the last kam has quit");
    assert!(!dir.path().join("kam.db-shm").exists());
    assert_eq!(complaints_in_a_copy_of(&db), before + 1);
}

/// Issue 14: starting kam with another `--preset` re-tiered every customer
/// under any role (a leader re-tiered 297 customers). Now a leader and an
/// account manager are told, in their language, who can apply it, and the
/// tiers stay as they are; the city centre's supervisor applies it, with
/// history in their name.
#[test]
fn a_changed_preset_is_applied_only_by_a_supervisor_or_the_administrator() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let tiers = || -> Vec<(String, String, String)> {
        let store = kam::db::Store::open(&db).unwrap();
        store
            .conn()
            .rows("SELECT id, tier, tier_preset FROM customer ORDER BY id", args![], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap()
    };
    let tier_history_by = |login: &str| -> i64 {
        let store = kam::db::Store::open(&db).unwrap();
        store
            .conn()
            .row(
                "SELECT count(*) FROM history h JOIN staff s ON s.id = h.changed_by \
                 WHERE h.field = 'tier' AND s.login = ?1",
                args![login],
                |r| r.get(0),
            )
            .unwrap()
    };
    let before = tiers();
    let path = db.to_str().unwrap();
    for (user, lang, told) in [
        ("lingdao", "en", "applies it (by starting kam with it, or kam retier --apply)"),
        ("jingli01", "zh", "客户级别仍按“广东指导意见评分”计算，待客户管理员"),
    ] {
        let mut s =
            Session::start(dir.path(), &["--db", path, "--user", user, "--lang", lang, "--preset", "letter-bands"]);
        s.wait_for_words(told);
        s.send("q");
        assert!(s.wait_exit());
        assert_eq!(tiers(), before, "{user} started kam: the tiers stay as they are");
    }
    assert_eq!(tier_history_by("zhuguan"), 0);
    let mut s =
        Session::start(dir.path(), &["--db", path, "--user", "zhuguan", "--lang", "en", "--preset", "letter-bands"]);
    s.wait_for_words("Tier preset is now Guangdong letter-mail bands");
    s.send("q");
    assert!(s.wait_exit());
    let after = tiers();
    assert!(after.iter().all(|(_, _, preset)| preset == "letter-bands"), "applied to every customer");
    let moved = after.iter().zip(&before).filter(|(a, b)| a.1 != b.1).count();
    assert!(moved > 0, "tiers moved under the new preset");
    assert_eq!(
        usize::try_from(tier_history_by("zhuguan")).unwrap(),
        moved,
        "each move in the history, in the supervisor's name"
    );
}

/// Issue 18: a contract from draft to filed with the real binary — the
/// account manager drafts and submits it, the city supervisor decides its
/// five diamond steps (the province's recorded on its behalf), the manager
/// records the signing and the filing with the province.
#[test]
fn a_contract_from_draft_to_filed() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let start = |login: &str| Session::start(dir.path(), &["--db", db.to_str().unwrap(), "--user", login]);
    let mut s = start("jingli01");
    s.wait_for("今日拜访");
    s.send("c");
    s.wait_for("合同协议");
    s.send("n");
    s.wait_for("起草合同");
    s.send("\x15");
    s.send("电信帐务中心");
    s.send(TAB);
    s.send(TAB);
    s.send(TAB);
    s.pick("钻石");
    s.send(TAB);
    s.send(TAB);
    s.send("广东省邮政公司");
    s.send(TAB);
    s.send("帐单");
    s.send(TAB);
    s.send("3000000");
    s.send(TAB);
    s.send("2027-01-01");
    s.send(TAB);
    s.send("2028-12-31");
    s.send(CTRL_S);
    s.wait_for("已保存");
    let number: String = {
        let store = kam::db::Store::open(&db).unwrap();
        store.conn().row("SELECT number FROM contract ORDER BY id DESC LIMIT 1", args![], |r| r.get(0)).unwrap()
    };
    let find = |s: &mut Session| {
        // The list opens on what needs the user first: turn it to all.
        for _ in 0..3 {
            if s.contents().contains("合同协议 › 全部") {
                break;
            }
            s.send("f");
            std::thread::sleep(Duration::from_millis(200));
        }
        s.wait_for("合同协议 › 全部");
        s.send("/");
        s.send(&number);
        s.send(ENTER);
        s.wait_for(&number);
        s.send(ENTER);
        s.wait_for("审批流程");
    };
    find(&mut s);
    s.send("p");
    s.wait_for("已提交审批,待:市局呈报");
    s.send("q");
    s.send("q");
    assert!(s.wait_exit());

    let mut boss = start("zhuguan");
    boss.wait_for("待我审批的合同");
    boss.send("c");
    boss.wait_for("待我审批");
    boss.send("/");
    boss.send(&number);
    boss.send(ENTER);
    boss.wait_for(&number);
    boss.send(ENTER);
    boss.wait_for("▶ 1. 市局呈报");
    for step in 1..=5 {
        boss.send("a");
        boss.wait_for("同意(本步审批)");
        boss.send(&format!("第{step}步同意"));
        boss.send(CTRL_S);
        boss.wait_for(&format!("✓ {step}."));
    }
    boss.wait_for("审批完成,待签署");
    boss.send("q");
    boss.send("q");
    assert!(boss.wait_exit());

    let mut s = start("jingli01");
    s.wait_for("今日拜访");
    s.send("c");
    s.wait_for("合同协议");
    find(&mut s);
    s.send("S");
    s.wait_for("记录签署");
    s.send(CTRL_S);
    s.wait_for("已记录签署");
    s.send("F");
    s.wait_for("报省备案(复印件一份)");
    s.send(CTRL_S);
    s.wait_for("报省备案日期");
    // The copies are below the fold: End scrolls to them.
    s.send("\x1b[F");
    s.wait_for("1×复印件 → 省函件集邮局");
    s.send("q");
    s.send("q");
    assert!(s.wait_exit());
    let store = kam::db::Store::open(&db).unwrap();
    let status: String =
        store.conn().row("SELECT status FROM contract WHERE number = ?1", args![number], |r| r.get(0)).unwrap();
    assert_eq!(status, "filed");
}
