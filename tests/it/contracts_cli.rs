//! Issue 18: `kam contracts --ending 60 [--json]` and `--waiting`, through
//! the real binary on a demo built as of today (the binary reads the
//! system clock): the demo's platinum contract ends in 25 days.

use std::process::Command;

const KAM: &str = env!("CARGO_BIN_EXE_kam");

fn kam(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(KAM).arg("--db").arg(db).args(args).output().expect("run kam");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn demo(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("kam.db");
    let out = Command::new(KAM).args(["demo", "--customers", "40", "--db"]).arg(&db).env("HOME", dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

#[test]
fn contracts_ending_within_n_days_as_text_and_json() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let (ok, out, err) = kam(&db, &["--user", "jingli01", "contracts", "--ending", "60", "--json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "kam-contracts/1");
    assert_eq!(doc["which"], "ending");
    assert_eq!(doc["ending_within_days"], 60);
    let rows = doc["contracts"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{out}");
    assert_eq!(rows[0]["days_left"], 25);
    assert_eq!(rows[0]["status"], "filed");
    assert_eq!(rows[0]["tier"], "platinum");
    assert_eq!(rows[0]["value"], "2400000.00");
    // The boundary: 25 days ahead is within 25, not within 24.
    let count = |days: &str| {
        let (_, out, _) = kam(&db, &["--user", "jingli01", "contracts", "--ending", days, "--json"]);
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["contracts"].as_array().unwrap().len()
    };
    assert_eq!((count("25"), count("24")), (1, 0));

    let (ok, out, _) = kam(&db, &["--user", "jingli01", "--lang", "en", "contracts", "--ending", "60"]);
    assert!(ok && out.contains("Contracts ending within 60 days") && out.contains("ends in 25 days"), "{out}");
    let (ok, out, _) = kam(&db, &["--user", "jingli01", "contracts"]);
    assert!(ok && out.contains("待:主管审核") && out.contains("已报省备案"), "{out}");

    // Waiting for the user's approval: the supervisor's step and the leader's.
    for (login, step) in [("zhuguan", "supervisor_review"), ("lingdao", "leader_approval")] {
        let (ok, out, err) = kam(&db, &["--user", login, "contracts", "--waiting", "--json"]);
        assert!(ok, "{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let rows = doc["contracts"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{login}: {out}");
        assert_eq!(rows[0]["waiting_step"], step, "{login}");
    }
    let (ok, _, err) = kam(&db, &["--user", "jingli01", "contracts", "--waiting", "--ending", "60"]);
    assert!(!ok && err.contains("--ending"), "{err}");
}

#[test]
fn the_administrator_sets_a_tiers_chain_from_the_command_line() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = demo(dir.path());
    let steps = ["--step", "区局主管初审=supervisor@customer_unit", "--step", "分管领导审批=leader@access_bureau"];
    let (ok, _, err) =
        kam(&db, &[&["--user", "jingli01", "contracts", "--chains", "--tier", "gold"][..], &steps].concat());
    assert!(!ok && err.contains("不允许"), "{err}");
    let (ok, out, err) =
        kam(&db, &[&["--user", "guanli", "contracts", "--chains", "--tier", "gold"][..], &steps].concat());
    assert!(ok, "{err}");
    assert!(
        out.contains("黄金 (本局设定)\n  1. 区局主管初审 — 主管 · 客户所属单位\n  2. 分管领导审批 — 领导 · 接入局"),
        "{out}"
    );
    assert!(out.contains("钻石 (默认流程)\n  1. 市局呈报(附局文、合同四份) — 主管 · 接入局"), "{out}");
    let (ok, _, err) = kam(
        &db,
        &["--user", "guanli", "--lang", "en", "contracts", "--chains", "--tier", "gold", "--step", "x=manager@unit"],
    );
    assert!(!ok && err.contains("NAME=ROLE@BODY"), "{err}");
}
