//! Issue 12: a supervisor approved the registration of a customer owned by
//! another unit (only the role was checked). Decisions about a customer —
//! registration approve/reject, tier override, reassignment — are for the
//! supervisors of its unit or of a unit above it (SPEC §2.3, §11.2); anyone
//! else is told whose decision it is, and nothing is written.

use crate::common;
use crate::support;

use crossterm::event::KeyCode;

use common::*;
use kam::db::reference::{self, NewStaff};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Store, customers};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::staff::{Refusal, Role, Staff};
use kam::domain::tier::{Tier, TierPreset};
use kam::i18n::Lang;

const GD: TierPreset = TierPreset::GuangdongScore;

/// The seeded county centre placed under a city centre under a province
/// centre, with a sibling county; a supervisor in each, and an administrator
/// in the sibling county.
struct Tree {
    s: Seeded,
    city_sup: Staff,
    province_sup: Staff,
    sibling_sup: Staff,
    admin: Staff,
    customer: CustomerId,
}

fn staff_in(store: &mut Store, login: &str, unit: i64, role: Role) -> Staff {
    store
        .write(|tx| {
            let new = NewStaff { login: Some(login), name: login, unit_id: unit, role, phone: None };
            let id = reference::insert_staff(tx, &new)?;
            Ok(Staff { id, login: Some(login.into()), name: login.into(), unit_id: unit, role })
        })
        .unwrap()
}

fn tree() -> Tree {
    let mut s = Seeded::new();
    let (province, city, sibling) = s
        .store()
        .write(|tx| {
            let province = reference::insert_unit(tx, "GD", "广东省大客户中心", "province", None, "440000")?;
            let city = reference::insert_unit(tx, "GZ", "广州市大客户中心", "city", Some(province), "440100")?;
            let sibling = reference::insert_unit(tx, "GZ-YX", "越秀区大客户中心", "county", Some(city), "440104")?;
            Ok((province, city, sibling))
        })
        .unwrap();
    s.conn().exec("UPDATE org_unit SET parent_id = ?1 WHERE id = ?2", args![city, s.org.unit]).unwrap();
    let city_sup = staff_in(s.store(), "city_sup", city, Role::Supervisor);
    let province_sup = staff_in(s.store(), "province_sup", province, Role::Supervisor);
    let sibling_sup = staff_in(s.store(), "sibling_sup", sibling, Role::Supervisor);
    let admin = staff_in(s.store(), "admin", sibling, Role::Admin);
    let m = s.org.manager.clone();
    let new = new_customer("华信物流", "广州华信物流有限公司", s.org.unit, m.id);
    let customer = customers::create(s.store(), &actor(&m), &new, GD).unwrap();
    Tree { s, city_sup, province_sup, sibling_sup, admin, customer }
}

fn history_len(s: &Seeded) -> i64 {
    s.db.count("history")
}

fn decided_by_the_county() -> Refusal {
    Refusal::DecidedBy { unit: "天河区分公司大客户中心".into() }
}

fn refused<T: std::fmt::Debug>(result: Result<T, DbError>) {
    match result {
        Err(DbError::Refused(r)) => assert_eq!(r, decided_by_the_county()),
        other => panic!("expected the county's supervisors to decide, got {other:?}"),
    }
}

#[test]
fn a_supervisor_of_another_unit_is_refused_every_decision() {
    let mut t = tree();
    let other = actor(&t.sibling_sup);
    let before = history_len(&t.s);
    let id = t.customer.clone();
    refused(customers::decide_registration(t.s.store(), &other, &id, true, "同意"));
    refused(customers::decide_registration(t.s.store(), &other, &id, false, "不同意"));
    refused(customers::override_tier(t.s.store(), &other, &id, Some(Tier::Diamond), "省中心特批", GD));
    refused(customers::override_tier(t.s.store(), &other, &id, None, "", GD));
    let base = customers::load(t.s.conn(), &id).unwrap();
    let m2 = t.s.org.manager2.id;
    refused(customers::update(t.s.store(), &other, &base, &[("owner_a", FieldValue::Int(m2))], GD));
    refused(customers::update(t.s.store(), &other, &base, &[("owner_b", FieldValue::Int(m2))], GD));
    let sibling = t.sibling_sup.unit_id;
    refused(customers::update(t.s.store(), &other, &base, &[("unit_id", FieldValue::Int(sibling))], GD));
    assert_eq!(history_len(&t.s), before, "nothing refused left a trace");
    let now = customers::load(t.s.conn(), &id).unwrap();
    assert_eq!((now.registration.as_str(), now.tier_override), ("pending", None));

    // The refusal names who decides, in both languages.
    let refusal = decided_by_the_county();
    assert_eq!(kam::ui::refusal_text(Lang::Zh, &refusal), "只有天河区分公司大客户中心或其上级单位的主管可以决定此事");
    assert_eq!(
        kam::ui::refusal_text(Lang::En, &refusal),
        "only a supervisor of 天河区分公司大客户中心 or a unit above it decides this"
    );
}

#[test]
fn supervisors_of_the_unit_and_above_decide_and_so_does_the_administrator() {
    let mut t = tree();
    let id = t.customer.clone();
    let own = actor(&t.s.org.supervisor);
    customers::override_tier(t.s.store(), &own, &id, Some(Tier::Gold), "本单位主管", GD).unwrap();
    customers::override_tier(t.s.store(), &actor(&t.city_sup), &id, Some(Tier::Platinum), "市中心", GD).unwrap();
    customers::override_tier(t.s.store(), &actor(&t.province_sup), &id, Some(Tier::Diamond), "省中心特批", GD).unwrap();
    customers::decide_registration(t.s.store(), &actor(&t.city_sup), &id, true, "同意").unwrap();
    assert_eq!(customers::load(t.s.conn(), &id).unwrap().registration, "approved");
    // The administrator keeps what they could do: here from the sibling county.
    let base = customers::load(t.s.conn(), &id).unwrap();
    let m2 = t.s.org.manager2.id;
    customers::update(t.s.store(), &actor(&t.admin), &base, &[("owner_a", FieldValue::Int(m2))], GD).unwrap();
    // A supervisor of the unit hands it to another unit (the giving unit decides).
    let base = customers::load(t.s.conn(), &id).unwrap();
    let sibling = t.sibling_sup.unit_id;
    customers::update(t.s.store(), &own, &base, &[("unit_id", FieldValue::Int(sibling))], GD).unwrap();
    // Now it is the sibling county's customer: its own supervisor no longer decides.
    let r = customers::override_tier(t.s.store(), &own, &id, None, "", GD);
    assert!(matches!(&r, Err(DbError::Refused(Refusal::DecidedBy { unit })) if unit == "越秀区大客户中心"), "{r:?}");
    customers::override_tier(t.s.store(), &actor(&t.sibling_sup), &id, None, "", GD).unwrap();
}

/// In the app: the demo's 天河 supervisor (zhuguan2) presses `a` on a pending
/// registration of another district's customer and is told who decides,
/// before any form opens; the city supervisor (zhuguan) gets the form.
#[test]
fn the_dossier_refuses_before_the_form_and_names_who_decides() {
    use support::*;
    let (_dir, path) = demo_db(60);
    let (pending, unit): (String, String) = Store::open(&path)
        .unwrap()
        .conn()
        .row(
            "SELECT c.id, u.name FROM customer c JOIN org_unit u ON u.id = c.unit_id \
             WHERE c.registration = 'pending' AND u.code NOT IN ('GZ', 'GZ-TH', 'GZ-TH-SP') LIMIT 1",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a pending registration outside 天河");
    let open = |lang: Lang, login: &str| {
        let mut app = app_on(&path, lang, login);
        app.handle(&key(KeyCode::Char('/')));
        type_text(&mut app, &pending);
        press(&mut app, &[KeyCode::Enter, KeyCode::Enter]);
        app.handle(&key(KeyCode::Char('a')));
        screen(&mut app, 100, 30)
    };
    let zh = open(Lang::Zh, "zhuguan2");
    assert!(zh.contains(&format!("只有{unit}或其上级单位的主管可以决定此事")), "{zh}");
    let en = open(Lang::En, "zhuguan2");
    assert!(en.contains(&format!("only a supervisor of {unit} or a unit above it decides this")), "{en}");
    let city = open(Lang::Zh, "zhuguan");
    assert!(!city.contains("只有") && city.contains("审批"), "{city}");
}
