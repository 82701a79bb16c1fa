//! Issue 18, the development pipeline as a user sees it (SPEC §13.5): the
//! demo puts prospects at every step, some past due, with the units'
//! ranking tables; `kam pipeline` counts them by step for a manager and a
//! unit, flags the overdue ones, in both languages and as JSON.

use crate::support::{full_demo_db, now};
use kam::commands::pipeline::{pipeline_for, pipeline_json, pipeline_text, scope_of};
use kam::db::Store;
use kam::db::pipeline::{self, PipelineScope};
use kam::db::reference::staff_by_login;
use kam::db::sql::{Sql, args};
use kam::domain::pipeline::Step;
use kam::i18n::Lang;

#[test]
fn the_demo_has_prospects_at_every_step_some_overdue_and_the_view_counts_them() {
    let (_dir, path) = full_demo_db(300);
    let store = Store::open(&path).unwrap();
    let today = now().date();
    let steps: Vec<String> = store
        .conn()
        .rows("SELECT DISTINCT step FROM prospect_step WHERE closed IS NULL ORDER BY step", args![], |r| r.get(0))
        .unwrap();
    assert_eq!(steps.len(), 6, "every step: {steps:?}");
    let manager = staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
    assert!(!pipeline::industries(store.conn(), manager.unit_id, false).unwrap().is_empty(), "a ranking table");

    assert_eq!(scope_of(&manager, true), PipelineScope::Unit(manager.unit_id));
    // The unit with the most prospects.
    let busiest: i64 = store
        .conn()
        .row(
            "SELECT c.unit_id FROM prospect_step p JOIN customer c ON c.id = p.customer_id WHERE p.closed IS NULL \
             GROUP BY c.unit_id ORDER BY count(*) DESC, c.unit_id LIMIT 1",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    let unit = PipelineScope::Unit(busiest);
    assert_eq!(scope_of(&manager, false), PipelineScope::Manager(manager.id));
    let (rows, late) = pipeline_for(store.conn(), unit, today).unwrap();
    assert_eq!(rows.iter().map(|r| r.step).collect::<Vec<_>>(), Step::ALL);
    assert!(rows.iter().all(|r| r.count > 0), "the unit has prospects at every step: {rows:?}");
    assert!(!late.is_empty(), "some are overdue");
    assert_eq!(i64::try_from(late.len()).unwrap(), rows.iter().map(|r| r.overdue).sum::<i64>());
    assert!(late.iter().all(|p| p.days_overdue(today) > 0));

    let zh = pipeline_text(Lang::Zh, "天河区大客户中心", &rows, &late, today);
    assert!(zh.contains("开发流程 · 天河区大客户中心") && zh.contains("3 排序") && zh.contains("已超期"), "{zh}");
    assert!(!zh.contains("survey") && !zh.contains("overdue"), "no codes in the Chinese text: {zh}");
    let en = pipeline_text(Lang::En, "Tianhe", &rows, &late, today);
    assert!(
        en.contains("Development pipeline · Tianhe") && en.contains("4 Positioning") && en.contains("days overdue")
    );

    let doc = serde_json::to_value(pipeline_json(unit, &rows, &late, today)).unwrap();
    assert_eq!(doc["schema"], "kam-pipeline/1");
    assert_eq!(doc["steps"][4]["step"], "marketing_plan");
    assert_eq!(doc["steps"].as_array().unwrap().len(), 6);
    assert!(doc["steps"][0]["expected_revenue"].as_str().unwrap().ends_with(".00"));
    assert_eq!(doc["overdue"].as_array().unwrap().len(), late.len());
}
