//! End to end (issue 17): a supervisor closes last month with the real binary
//! in a pseudo-terminal, read back through a terminal emulator; then the same
//! database, read by `kam appraisal --format json`, has the month closed.

use std::process::Command;

use kam::db::appraisal::{EntryKind, archive_entry, entries};
use kam::db::appraisal_counts::managers_under;
use kam::db::{Actor, Store, reference};
use kam::domain::revenue::Month;

use crate::pty_e2e::{ENTER, ESC, Session, TAB, demo};

const KAM: &str = env!("CARGO_BIN_EXE_kam");

#[test]
fn a_supervisor_enters_the_missing_rank_and_closes_the_month_and_the_json_says_closed() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    // The demo's last month is open with every rank entered: one is withdrawn
    // here, so the month cannot close until the supervisor enters it again.
    let month = Month::of(kam::time::now().date()).prev();
    let (first, supervisor) = {
        let mut store = Store::open(&db).unwrap();
        let supervisor = reference::staff_by_login(store.conn(), "zhuguan").unwrap().unwrap();
        let first = managers_under(store.conn(), Some(supervisor.unit_id)).unwrap().remove(0);
        let rank = entries(store.conn(), &supervisor, first.staff_id, month)
            .unwrap()
            .into_iter()
            .find(|e| e.kind == EntryKind::BehaviourRank)
            .expect("the demo ranks last month");
        let actor = Actor { staff: supervisor.clone(), at: kam::time::now() };
        archive_entry(&mut store, &actor, rank.id).unwrap();
        (first, supervisor)
    };

    let db_arg = db.to_str().unwrap();
    let mut s = Session::start(dir.path(), &["--db", db_arg, "--user", "zhuguan"]);
    s.wait_for("今日");
    s.send("9");
    s.wait_for(&format!("月度考核 › {month}"));
    let table = s.wait_for("名客户经理");
    assert!(table.contains("进行中"), "{table}");
    // Closing is refused while a rank is missing, naming whose.
    s.send("c");
    s.wait_for("结账?(y/n)");
    s.send("y");
    s.wait_for(&format!("还未评定排名:{}", first.name));
    // The rank entered on that manager's sheet (the first line of the table).
    s.send(ENTER);
    s.wait_for(&format!("› {}", first.name));
    s.send("n");
    s.wait_for("录入考核项目");
    s.pick("工作表现排名");
    s.send(TAB);
    s.send(TAB);
    s.send(TAB);
    s.send("主任与同事评议第一");
    s.send(ENTER);
    s.wait_for(&format!("已录入“工作表现排名”:{}", first.name));
    s.send(ESC);
    s.wait_for("客户经理 单位");
    // Closed.
    s.send("c");
    s.wait_for("结账?(y/n)");
    s.send("y");
    let closed = s.wait_for(&format!("{month} 已结账"));
    assert!(closed.contains("名客户经理的考核已冻结"), "{closed}");
    let rows = closed.lines().filter(|l| l.contains("已结账")).count();
    assert!(rows >= 2, "the managers' lines say closed:\n{closed}");
    assert!(!closed.contains("进行中"), "{closed}");
    s.send("q");
    assert!(s.wait_exit(), "kam quits cleanly");

    // The same database, as payroll reads it.
    let out = Command::new(KAM)
        .args(["--db", db_arg, "--user", "zhuguan", "appraisal", "--month", &month.to_string(), "--format", "json"])
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env_remove("KAM_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let managers = doc["managers"].as_array().unwrap();
    assert!(!managers.is_empty());
    for m in managers {
        assert_eq!(m["status"], "closed", "{m}");
        assert_eq!(m["closed_by"], supervisor.name.as_str());
        assert_eq!(m["score"]["unranked"], false);
    }
    let ranked = managers.iter().find(|m| m["login"].as_str() == first.login.as_deref()).unwrap();
    let behaviour = ranked["score"]["items"].as_array().unwrap().iter().find(|i| i["item"] == "behaviour").unwrap();
    assert_eq!(behaviour["points"], "10", "first in conduct: {behaviour}");
}
