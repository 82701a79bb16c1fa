//! `kam goals` and `kam goal-target` (issue 17) through the real binary on a
//! demo database: the indicators as text in both languages, as JSON for
//! other programs (English names, decimals as strings) and as CSV; a target
//! set by the unit's supervisor and refused to an account manager.

use std::process::Command;

use crate::support::demo_db;

fn kam(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kam")).arg("--db").arg(db).args(args).output().expect("run kam");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn goals_print_every_indicator_as_text_json_and_csv() {
    let (dir, path) = demo_db(60);
    let (ok, out, err) = kam(&path, &["--user", "zhuguan2", "goals", "--unit", "GZ-TH", "--to", "2026-10"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("目标指标 · 天河区"), "{out}");
    assert!(out.contains("2026年1-10月累计"), "{out}");
    for name in ["用邮收入比重", "开辟率", "巩固率", "档案资料完整率", "年度新增大客户", "计划进度", "限时服务达标率"]
    {
        assert!(out.contains(name), "{name}: {out}");
    }
    assert!(out.contains("大客户用邮收入 ÷ 本单位用邮总收入"), "the formula beside the figure: {out}");
    let (ok, out, _) = kam(&path, &["--user", "zhuguan2", "--lang", "en", "goals", "--unit", "GZ-TH"]);
    assert!(ok && out.contains("Development rate") && out.contains("Formula"), "{out}");

    // A target set, then the JSON carries it.
    let set = ["--user", "zhuguan2", "goal-target", "--unit", "GZ-TH", "--year", "2026"];
    let (ok, out, err) = kam(&path, &[&set[..], &["--indicator", "development-rate", "--target", "95%"]].concat());
    assert!(ok, "{err}");
    assert!(out.contains("开辟率:95.00%(第 1 版)"), "{out}");
    let (ok, out, err) = kam(
        &path,
        &["--user", "jingli01", "goals", "--unit", "GZ-TH", "--from", "2026-01", "--to", "2026-10", "--format", "json"],
    );
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["unit"]["code"], "GZ-TH");
    assert_eq!((doc["period"]["from"].as_str(), doc["period"]["to"].as_str()), (Some("2026-01"), Some("2026-10")));
    let indicators = doc["indicators"].as_array().unwrap();
    let codes: Vec<&str> = indicators.iter().map(|i| i["indicator"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "revenue-share",
            "development-rate",
            "retention-rate",
            "dossier-completeness",
            "new-key-customers",
            "plan-progress",
            "service-met-rate"
        ]
    );
    let development = &indicators[1];
    assert_eq!(development["target"], "0.95", "decimals as strings");
    assert!(development["value"].is_string() && development["numerator"].is_string(), "{development}");
    assert!(development["met"].is_boolean(), "{development}");
    assert_eq!(development["formula"], "goal-formula.development.new-over-prospects");
    let service = &indicators[6];
    assert!(service["value"].is_null() && service["met"].is_null(), "no requests recorded: {service}");
    assert!(doc["inputs"]["key_revenue"].is_string(), "{}", doc["inputs"]);

    // CSV to a file: a byte-order mark for Excel, a row per indicator.
    let file = dir.path().join("goals.csv");
    let (ok, _, err) = kam(
        &path,
        &[
            "--user",
            "zhuguan2",
            "--lang",
            "en",
            "goals",
            "--unit",
            "GZ-TH",
            "--format",
            "csv",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert!(ok && err.contains("goals.csv"), "{err}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.starts_with('\u{feff}'), "BOM");
    assert_eq!(written.lines().count(), 8, "{written}");
    assert!(written.lines().nth(2).unwrap().starts_with("development-rate,Development rate,"), "{written}");
}

#[test]
fn goal_targets_are_refused_to_those_who_do_not_decide_for_the_unit() {
    let (_dir, path) = demo_db(30);
    let target =
        ["goal-target", "--unit", "GZ-TH", "--year", "2026", "--indicator", "plan-progress", "--target", "1200万"];
    let (ok, _, err) = kam(&path, &[&["--user", "jingli01"][..], &target].concat());
    assert!(!ok && err.contains("不允许"), "{err}");
    let (ok, _, err) = kam(&path, &[&["--user", "lingdao", "--lang", "en"][..], &target].concat());
    assert!(!ok && err.contains("Not allowed"), "{err}");
    // The administrator sets it; a supervisor of the unit changes it: version 2.
    let (ok, out, err) = kam(&path, &[&["--user", "guanli"][..], &target].concat());
    assert!(ok && out.contains("12,000,000.00(第 1 版)"), "{out}{err}");
    let (ok, out, err) = kam(&path, &[&["--user", "zhuguan2", "--lang", "en"][..], &target[..8], &["1300万"]].concat());
    assert!(ok && out.contains("13,000,000.00 (version 2)"), "{out}{err}");
    // Bad input is said where it is typed, and nothing is written.
    let (ok, _, err) = kam(
        &path,
        &[
            "--user",
            "guanli",
            "--lang",
            "en",
            "goal-target",
            "--unit",
            "GZ-TH",
            "--year",
            "2026",
            "--indicator",
            "retention-rate",
            "--target",
            "120",
        ],
    );
    assert!(!ok && err.contains("Target '120': A rate is between 0% and 100%"), "{err}");
    let (ok, _, err) = kam(
        &path,
        &[
            "--user",
            "guanli",
            "goal-target",
            "--unit",
            "GZ-TH",
            "--year",
            "2026",
            "--indicator",
            "bogus",
            "--target",
            "1",
        ],
    );
    assert!(!ok && err.contains("revenue-share, development-rate"), "{err}");
}
