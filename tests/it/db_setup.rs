//! The office's set-up in storage: units, industries and service lines, each
//! change with its history, refused changes leaving nothing behind, and only
//! the administrator writing.

use crate::common::*;

use kam::db::DbError;
use kam::db::reference::{self, NewStaff};
use kam::db::setup::{
    self, Founding, NewUnit, RefList, SetupError, add_entry, add_unit, archive_unit, edit_unit, found_office,
    move_unit, rename_entry, restore_unit, set_entry_archived, unit_tree,
};
use kam::db::sql::{Dialect, Sql, args};
use kam::domain::dossier::FieldValue;
use kam::domain::org::{ListKind, SetupRule, UnitLevel};
use kam::domain::staff::{Refusal, Role, Staff};

/// A database with the seeded organisation and an administrator in its unit.
fn with_admin() -> (Seeded, Staff) {
    let mut s = Seeded::new();
    let unit = s.org.unit;
    let admin = s
        .db
        .store
        .write(|tx| {
            let id = reference::insert_staff(
                tx,
                &NewStaff { login: Some("guanli"), name: "管理员", unit_id: unit, role: Role::Admin, phone: None },
            )?;
            Ok(Staff { id, login: Some("guanli".into()), name: "管理员".into(), unit_id: unit, role: Role::Admin })
        })
        .unwrap();
    (s, admin)
}

fn unit(code: &str, name: &str, division: &str, parent: Option<&str>) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        division: division.into(),
        level: None,
        parent: parent.map(str::to_string),
    }
}

/// (entity, entity_id, action, field, old, new, changed_by, changed_at) of the set-up's history.
type Row = (String, String, String, Option<String>, Option<String>, Option<String>, i64, String);

fn setup_history(conn: &impl Sql) -> Vec<Row> {
    conn.rows(
        "SELECT entity, entity_id, action, field, old_value, new_value, changed_by, changed_at FROM history \
         WHERE entity IN ('org_unit', 'industry', 'service_line') ORDER BY id",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
    )
    .unwrap()
}

fn rule(result: Result<impl std::fmt::Debug, SetupError>) -> SetupRule {
    match result {
        Err(SetupError::Rule(r)) => r,
        other => panic!("expected a broken rule, got {other:?}"),
    }
}

/// GZ (city, top) ─ TH (district) ─ SP (branch), added by the administrator.
fn three_levels(s: &mut Seeded, admin: &Staff) -> (i64, i64, i64) {
    let a = actor(admin);
    let (gz, _) = add_unit(s.store(), &a, &unit("GZ", "广州市邮政局大客户中心", "440100", None)).unwrap();
    let (th, _) = add_unit(s.store(), &a, &unit("TH", "天河区大客户中心", "440106", Some("GZ"))).unwrap();
    let (sp, _) = add_unit(s.store(), &a, &unit("SP", "石牌支局", "", Some("th"))).unwrap();
    (gz, th, sp)
}

#[test]
fn units_form_a_tree_and_each_addition_is_in_the_history() {
    let (mut s, admin) = with_admin();
    let (gz, th, sp) = three_levels(&mut s, &admin);
    let tree = unit_tree(s.conn(), false).unwrap();
    let shape: Vec<(&str, usize, Option<UnitLevel>, &str)> =
        tree.iter().map(|u| (u.code.as_str(), u.depth, u.level, u.division_code.as_str())).collect();
    assert_eq!(
        shape,
        vec![
            ("440106", 0, Some(UnitLevel::County), "440106"),
            ("GZ", 0, Some(UnitLevel::City), "440100"),
            ("TH", 1, Some(UnitLevel::County), "440106"),
            // No division typed: the parent's; no level: the one below the parent's.
            ("SP", 2, Some(UnitLevel::Branch), "440106"),
        ]
    );
    let created: Vec<(String, String, Option<String>, i64, String)> =
        setup_history(s.conn()).into_iter().map(|h| (h.1, h.2, h.5, h.6, read_history_time(h.7))).collect();
    let row = |id: i64, new: &str| {
        (
            id.to_string(),
            "create".to_string(),
            Some(new.to_string()),
            admin.id,
            history_time("2026-11-23 09:00:00+08:00"),
        )
    };
    assert_eq!(
        created,
        vec![row(gz, "GZ 广州市邮政局大客户中心"), row(th, "TH 天河区大客户中心"), row(sp, "SP 石牌支局")]
    );
    // Every picker reads the reference data: the new units are offered.
    let r = reference::load(s.conn()).unwrap();
    assert!(["GZ", "TH", "SP"].iter().all(|c| r.units.iter().any(|u| u.code == *c)));
}

#[test]
fn a_duplicate_code_is_refused_and_leaves_nothing_behind() {
    let (mut s, admin) = with_admin();
    three_levels(&mut s, &admin);
    let units = s.db.count("org_unit");
    let history = s.db.count("history");
    let a = actor(&admin);
    // Codes are told apart without regard to case.
    assert_eq!(
        rule(add_unit(s.store(), &a, &unit("th", "另一个", "440106", Some("GZ")))),
        SetupRule::DuplicateCode("TH".into())
    );
    assert_eq!(s.db.count("org_unit"), units);
    assert_eq!(s.db.count("history"), history);

    add_entry(s.store(), &a, RefList::Industry, "finance", "金融", Some("Finance")).unwrap();
    let history = s.db.count("history");
    assert_eq!(
        rule(add_entry(s.store(), &a, RefList::Industry, "FINANCE", "金融二", None)),
        SetupRule::DuplicateCode("finance".into())
    );
    assert_eq!(
        rule(add_entry(s.store(), &a, RefList::ServiceLine, "letters", "信函", None)),
        SetupRule::DuplicateCode("letters".into())
    );
    assert_eq!(s.db.count("industry"), 1);
    assert_eq!(s.db.count("service_line"), 10);
    assert_eq!(s.db.count("history"), history);
    // The store takes the next write.
    add_entry(s.store(), &a, RefList::Industry, "energy", "电力能源", None).unwrap();
    assert_eq!(s.db.count("industry"), 2);
}

#[test]
fn bad_codes_divisions_parents_and_levels_are_refused() {
    let (mut s, admin) = with_admin();
    three_levels(&mut s, &admin);
    let a = actor(&admin);
    let before = s.db.count("org_unit");
    let cases = [
        (unit("", "甲", "440106", None), SetupRule::BadCode),
        (unit("天河", "甲", "440106", None), SetupRule::BadCode),
        (unit("T H", "甲", "440106", None), SetupRule::BadCode),
        (unit("BY", " ", "440111", Some("GZ")), SetupRule::EmptyName),
        (unit("BY", "白云区", "44011", Some("GZ")), SetupRule::BadDivision),
        (unit("BY", "白云区", "04011a", Some("GZ")), SetupRule::BadDivision),
        (unit("BY", "白云区", "", None), SetupRule::BadDivision),
        (unit("BY", "白云区", "440111", Some("NOPE")), SetupRule::Unknown(ListKind::Unit, "NOPE".into())),
        (
            NewUnit { level: Some(UnitLevel::City), ..unit("BY", "白云区", "440111", Some("SP")) },
            SetupRule::LevelOrder { level: UnitLevel::City, parent: UnitLevel::Branch },
        ),
    ];
    for (new, expected) in cases {
        assert_eq!(rule(add_unit(s.store(), &a, &new)), expected, "{new:?}");
    }
    assert_eq!(s.db.count("org_unit"), before);
    // "district" is a county/district centre.
    assert_eq!(UnitLevel::from_code("district"), Some(UnitLevel::County));
}

#[test]
fn a_move_that_would_make_a_cycle_is_refused() {
    let (mut s, admin) = with_admin();
    let (_, _, sp) = three_levels(&mut s, &admin);
    let a = actor(&admin);
    let history = s.db.count("history");
    let cycle = |unit: &str, parent: &str| SetupRule::Cycle { unit: unit.into(), parent: parent.into() };
    assert_eq!(rule(move_unit(s.store(), &a, "GZ", Some("SP"))), cycle("GZ", "SP"));
    assert_eq!(rule(move_unit(s.store(), &a, "TH", Some("th"))), cycle("TH", "TH"));
    // A unit may not sit under one of its own level or lower.
    assert_eq!(
        rule(move_unit(s.store(), &a, "TH", Some("440106"))),
        SetupRule::LevelOrder { level: UnitLevel::County, parent: UnitLevel::County }
    );
    assert_eq!(s.db.count("history"), history, "refused moves leave no history");
    let depth = |s: &Seeded, code: &str| {
        unit_tree(s.conn(), false).unwrap().into_iter().find(|u| u.code == code).unwrap().depth
    };
    assert_eq!(depth(&s, "SP"), 2);

    // A move that keeps the tree a tree: recorded with the parents' codes.
    move_unit(s.store(), &a, "SP", Some("GZ")).unwrap();
    assert_eq!(depth(&s, "SP"), 1);
    move_unit(s.store(), &a, "SP", None).unwrap();
    assert_eq!(depth(&s, "SP"), 0);
    let moves: Vec<(Option<String>, Option<String>)> = setup_history(s.conn())
        .into_iter()
        .filter(|h| h.1 == sp.to_string() && h.3.as_deref() == Some("parent"))
        .map(|h| (h.4, h.5))
        .collect();
    assert_eq!(moves, vec![(Some("TH".into()), Some("GZ".into())), (Some("GZ".into()), None)]);
}

#[test]
fn only_the_administrator_changes_units_and_lists() {
    let (mut s, admin) = with_admin();
    three_levels(&mut s, &admin);
    add_entry(s.store(), &actor(&admin), RefList::Industry, "finance", "金融", None).unwrap();
    let others = [s.org.manager.clone(), s.org.supervisor.clone(), s.org.leader.clone()];
    let before = (s.db.count("org_unit"), s.db.count("industry"), s.db.count("history"));
    for who in others {
        let a = actor(&who);
        let refused = |r: Result<(), SetupError>| {
            assert!(
                matches!(r, Err(SetupError::Db(DbError::Refused(Refusal::AdministratorOnly)))),
                "{:?}: {r:?}",
                who.role
            )
        };
        refused(add_unit(s.store(), &a, &unit("BY", "白云区", "440111", Some("GZ"))).map(|_| ()));
        refused(edit_unit(s.store(), &a, "TH", Some("改名"), None));
        refused(move_unit(s.store(), &a, "SP", Some("GZ")));
        refused(archive_unit(s.store(), &a, "SP"));
        refused(restore_unit(s.store(), &a, "SP"));
        refused(add_entry(s.store(), &a, RefList::Industry, "energy", "电力", None).map(|_| ()));
        refused(rename_entry(s.store(), &a, RefList::Industry, "finance", Some("银行"), None));
        refused(set_entry_archived(s.store(), &a, RefList::ServiceLine, "letters", true));
    }
    assert_eq!((s.db.count("org_unit"), s.db.count("industry"), s.db.count("history")), before);
}

#[test]
fn a_unit_with_customers_staff_or_units_is_never_archived() {
    let (mut s, admin) = with_admin();
    let (_, th, sp) = three_levels(&mut s, &admin);
    let a = actor(&admin);
    // A customer in SP, and a member of staff in TH.
    let m = s.org.manager.clone();
    let id =
        kam::db::customers::create(s.store(), &actor(&m), &new_customer("甲", "甲有限公司", sp, m.id), GD).unwrap();
    let lina =
        s.db.store
            .write(|tx| {
                reference::insert_staff(
                    tx,
                    &NewStaff { login: Some("xiao"), name: "小李", unit_id: th, role: Role::Manager, phone: None },
                )
            })
            .unwrap();
    let history = s.db.count("history");
    let in_use = |customers, staff, units| SetupRule::InUse { customers, staff, units };
    assert_eq!(rule(archive_unit(s.store(), &a, "SP")), in_use(1, 0, 0));
    assert_eq!(rule(archive_unit(s.store(), &a, "TH")), in_use(0, 1, 1));
    assert_eq!(s.db.count("history"), history);

    // Once the customer moved out, SP may go; it stays named on old records.
    // The administrator moves it (the seeded supervisor's unit is not above SP).
    let dossier = kam::db::customers::load(s.conn(), &id).unwrap();
    let home = s.org.unit;
    kam::db::customers::update(s.store(), &a, &dossier, &[("unit_id", FieldValue::Int(home))], GD).unwrap();
    archive_unit(s.store(), &a, "SP").unwrap();
    assert_eq!(rule(archive_unit(s.store(), &a, "sp")), SetupRule::AlreadyArchived("SP".into()));
    let r = reference::load(s.conn()).unwrap();
    assert!(!r.units.iter().any(|u| u.id == sp), "archived units are not offered");
    assert_eq!(r.unit(sp).map(|u| u.name.as_str()), Some("石牌支局"), "but are still named");
    assert!(unit_tree(s.conn(), true).unwrap().iter().any(|u| u.id == sp && u.archived));
    assert!(!unit_tree(s.conn(), false).unwrap().iter().any(|u| u.id == sp));
    // Nothing moves under an archived unit, and an archived unit does not move.
    assert_eq!(rule(move_unit(s.store(), &a, "SP", Some("GZ"))), SetupRule::Archived("SP".into()));
    assert_eq!(
        rule(add_unit(s.store(), &a, &unit("SP2", "石牌二支局", "440106", Some("SP")))),
        SetupRule::Archived("SP".into())
    );

    // TH once its staff left: archived; SP cannot come back under it until TH does.
    s.db.store
        .write(|tx| tx.exec("UPDATE staff SET status = 'left', updated_by = ?2 WHERE id = ?1", args![lina, admin.id]))
        .unwrap();
    archive_unit(s.store(), &a, "TH").unwrap();
    assert_eq!(rule(restore_unit(s.store(), &a, "SP")), SetupRule::Archived("TH".into()));
    restore_unit(s.store(), &a, "TH").unwrap();
    restore_unit(s.store(), &a, "SP").unwrap();
    assert_eq!(rule(restore_unit(s.store(), &a, "SP")), SetupRule::NotArchived("SP".into()));
    let archived: Vec<(Option<String>, Option<String>)> = setup_history(s.conn())
        .into_iter()
        .filter(|h| h.1 == sp.to_string() && h.3.as_deref() == Some("archived"))
        .map(|h| (h.4, h.5))
        .collect();
    assert_eq!(archived, vec![(Some("0".into()), Some("1".into())), (Some("1".into()), Some("0".into()))]);
    // The schema refuses a delete whatever program tries.
    assert!(s.conn().exec("DELETE FROM org_unit WHERE id = ?1", args![sp]).is_err());
}

#[test]
fn renames_keep_old_and_new_with_who_and_when() {
    let (mut s, admin) = with_admin();
    let (_, th, _) = three_levels(&mut s, &admin);
    let later = actor_at(&admin, at(2026, 11, 24, 10, 30));
    edit_unit(s.store(), &later, "th", Some(" 天河区邮政局大客户中心 "), Some("440104")).unwrap();
    let changes: Vec<Row> =
        setup_history(s.conn()).into_iter().filter(|h| h.1 == th.to_string() && h.2 == "update").collect();
    let got: Vec<(&str, &str, &str, i64, String)> = changes
        .iter()
        .map(|h| {
            (
                h.3.as_deref().unwrap(),
                h.4.as_deref().unwrap(),
                h.5.as_deref().unwrap(),
                h.6,
                read_history_time(h.7.clone()),
            )
        })
        .collect();
    let when = history_time("2026-11-24 10:30:00+08:00");
    assert_eq!(
        got,
        vec![
            ("name", "天河区大客户中心", "天河区邮政局大客户中心", admin.id, when.clone()),
            ("division_code", "440106", "440104", admin.id, when),
        ]
    );
    assert_eq!(rule(edit_unit(s.store(), &later, "TH", None, Some("4401"))), SetupRule::BadDivision);
    assert_eq!(
        rule(edit_unit(s.store(), &later, "XX", Some("名"), None)),
        SetupRule::Unknown(ListKind::Unit, "XX".into())
    );
    // The history reader the screen and `kam unit history` use: newest first, with names.
    let rows = setup::history(s.conn(), "org_unit", th, 10).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].changed_by, "管理员");
    assert_eq!(rows[2].action, "create");
}

#[test]
fn industries_and_service_lines_are_added_renamed_archived_and_restored() {
    let (mut s, admin) = with_admin();
    let a = actor(&admin);
    let fin = add_entry(s.store(), &a, RefList::Industry, "finance", "金融", Some("Finance")).unwrap();
    let logi = add_entry(s.store(), &a, RefList::Industry, "logistics", "物流", None).unwrap();
    rename_entry(s.store(), &a, RefList::Industry, "LOGISTICS", Some("物流仓储"), Some("Logistics")).unwrap();
    assert_eq!(rule(rename_entry(s.store(), &a, RefList::Industry, "logistics", None, None)), SetupRule::EmptyName);
    assert_eq!(
        rule(rename_entry(s.store(), &a, RefList::Industry, "media", Some("传媒"), None)),
        SetupRule::Unknown(ListKind::Industry, "media".into())
    );
    // A customer filed under logistics keeps it after the industry is archived.
    let m = s.org.manager.clone();
    let nc = new_customer("甲", "甲有限公司", s.org.unit, m.id).with("industry_id", FieldValue::Int(logi));
    let id = kam::db::customers::create(s.store(), &actor(&m), &nc, GD).unwrap();
    set_entry_archived(s.store(), &a, RefList::Industry, "logistics", true).unwrap();
    assert_eq!(kam::db::customers::load(s.conn(), &id).unwrap().value("industry_id"), &FieldValue::Int(logi));
    let r = reference::load(s.conn()).unwrap();
    assert_eq!(r.industries.iter().map(|i| i.id).collect::<Vec<_>>(), vec![fin], "only live industries are offered");
    assert_eq!(r.industry(logi).map(|i| i.name_zh.as_str()), Some("物流仓储"));
    assert!(r.is_archived_industry(logi));

    // Service lines: a new one, an archived seeded one still named by id.
    add_entry(s.store(), &a, RefList::ServiceLine, "ems-intl", "国际速递", Some("International express")).unwrap();
    set_entry_archived(s.store(), &a, RefList::ServiceLine, "agency", true).unwrap();
    assert_eq!(
        rule(set_entry_archived(s.store(), &a, RefList::ServiceLine, "agency", true)),
        SetupRule::AlreadyArchived("agency".into())
    );
    let r = reference::load(s.conn()).unwrap();
    assert_eq!(r.service_lines.len(), 10);
    assert!(r.service_lines.iter().any(|l| l.code == "ems-intl"));
    let agency = r.archived.service_lines.iter().find(|l| l.code == "agency").expect("archived apart").id;
    assert_eq!(r.service_line(agency).map(|l| l.name_zh.as_str()), Some("代理"));
    set_entry_archived(s.store(), &a, RefList::ServiceLine, "agency", false).unwrap();
    assert_eq!(reference::load(s.conn()).unwrap().service_lines.len(), 11);

    type Change = (String, String, Option<String>, Option<String>, Option<String>);
    let got: Vec<Change> = setup_history(s.conn()).into_iter().map(|h| (h.0, h.2, h.3, h.4, h.5)).collect();
    let row = |e: &str, a: &str, f: Option<&str>, o: Option<&str>, n: Option<&str>| {
        (e.to_string(), a.to_string(), f.map(String::from), o.map(String::from), n.map(String::from))
    };
    assert_eq!(
        got,
        vec![
            row("industry", "create", None, None, Some("finance 金融")),
            row("industry", "create", None, None, Some("logistics 物流")),
            row("industry", "update", Some("name_zh"), Some("物流"), Some("物流仓储")),
            row("industry", "update", Some("name_en"), Some("物流"), Some("Logistics")),
            row("industry", "update", Some("archived"), Some("0"), Some("1")),
            row("service_line", "create", None, None, Some("ems-intl 国际速递")),
            row("service_line", "update", Some("archived"), Some("0"), Some("1")),
            row("service_line", "update", Some("archived"), Some("1"), Some("0")),
        ]
    );
    assert!(s.conn().exec("DELETE FROM industry WHERE id = ?1", args![fin]).is_err());
    assert!(s.conn().exec("DELETE FROM service_line WHERE code = 'bill'", args![]).is_err());
}

#[test]
fn the_founding_records_the_first_unit_as_its_administrators_work() {
    let mut db = TestDb::new();
    let founding = Founding {
        unit_code: "GZ",
        unit_name: "广州市邮政局大客户中心",
        level: UnitLevel::City,
        division: "440100",
        login: "zhangwei",
        admin_name: "张伟",
        stamp: "2026-11-23 09:00:00",
    };
    let (unit, admin) = found_office(&mut db.store, &founding).unwrap();
    let me = reference::staff_by_login(db.conn(), "zhangwei").unwrap().unwrap();
    assert_eq!((me.id, me.unit_id, me.role), (admin, unit, Role::Admin));
    let created: Vec<(String, i64)> = db
        .conn()
        .rows("SELECT entity, changed_by FROM history WHERE action = 'create' ORDER BY id", args![], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(created, vec![("staff".to_string(), admin), ("org_unit".to_string(), admin)]);
    // The founding defers its foreign keys to the commit: ask SQLite's file that none is broken
    // (PostgreSQL refuses a commit that breaks one and has no such check).
    if db.conn().dialect() == Dialect::Sqlite {
        let fk: i64 = db.conn().row("SELECT count(*) FROM pragma_foreign_key_check", args![], |r| r.get(0)).unwrap();
        assert_eq!(fk, 0);
    }

    // A bad founding writes nothing.
    let mut other = TestDb::new();
    let bad = Founding { division: "4401", ..founding };
    assert!(matches!(found_office(&mut other.store, &bad), Err(SetupError::Rule(SetupRule::BadDivision))));
    assert_eq!((other.count("staff"), other.count("org_unit"), other.count("history")), (0, 0, 0));
}

const GD: kam::domain::tier::TierPreset = kam::domain::tier::TierPreset::GuangdongScore;

#[test]
fn a_file_from_before_the_set_up_is_upgraded_with_its_units_and_industries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A schema-5 file, as kam wrote it before units and lists could change.
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in [
            include_str!("../../migrations/01-init/up.sql"),
            include_str!("../../migrations/02-visits/up.sql"),
            include_str!("../../migrations/03-log-complaints/up.sql"),
            include_str!("../../migrations/04-revenue/up.sql"),
            include_str!("../../migrations/05-speed/up.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO org_unit (code, name, kind, division_code) VALUES ('HQ', '广州市邮政局大客户中心', 'city', '440100');
             INSERT INTO staff (login, name, unit_id, role) VALUES ('guanli', '管理员', 1, 'admin');
             INSERT INTO industry (code, name_zh, name_en) VALUES ('finance', '金融', 'Finance');
             PRAGMA user_version = 5;",
        )
        .unwrap();
    }
    let mut store = kam::db::Store::open(&path).unwrap();
    let r = reference::load(store.conn()).unwrap();
    assert_eq!(r.units.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["HQ"]);
    assert_eq!(r.industries.len(), 1, "old industries are live");
    assert_eq!(r.service_lines.len(), 10);
    let admin = reference::staff_by_login(store.conn(), "guanli").unwrap().unwrap();
    let a = actor(&admin);
    add_unit(&mut store, &a, &unit("TH", "天河区大客户中心", "440106", Some("HQ"))).unwrap();
    set_entry_archived(&mut store, &a, RefList::Industry, "finance", true).unwrap();
    edit_unit(&mut store, &a, "HQ", Some("广州市邮政局"), None).unwrap();
    let changes: Vec<(String, String)> = setup_history(store.conn()).into_iter().map(|h| (h.0, h.2)).collect();
    let pair = |e: &str, a: &str| (e.to_string(), a.to_string());
    assert_eq!(changes, [pair("org_unit", "create"), pair("industry", "update"), pair("org_unit", "update")]);
}
