//! The access rules of `db/access.rs` enforced by PostgreSQL itself
//! (`migrations-pg/02-access`): each member of staff connects as their own
//! login role and writes plain SQL, as they could with `psql`; what kam
//! would refuse them, the database refuses (SQLSTATE 42501), and what kam
//! lets them do goes through.
//!
//! The province of every test: a city centre with two districts under it,
//! an administrator and a leader at the city, a city supervisor and a city
//! account manager, a supervisor and two account managers in 天河, one
//! account manager in 越秀; a customer for each 天河 manager, one they share
//! (owner A the second, owner B the first), one in 越秀, each with a
//! pending registration filed by the administrator.

use kam::db::engine::{FromValue, PgConn};

use crate::pg_cluster::{SUPERUSER, cluster};
use crate::pg_schema::database_with_schema;

const CITY: i64 = 1;
const TIANHE: i64 = 2;
const YUEXIU: i64 = 3;

const ADMIN: i64 = 1;
const LEADER: i64 = 2;
const CITY_SUP: i64 = 3;
const SUP_TH: i64 = 4;
const M_CITY: i64 = 5;
const M_TH1: i64 = 6;
const M_TH2: i64 = 7;
const M_YX: i64 = 8;

/// Staff: id, login suffix, name, unit, role.
const STAFF: &[(i64, &str, &str, i64, &str)] = &[
    (ADMIN, "admin", "管理员", CITY, "admin"),
    (LEADER, "leader", "首席客户经理", CITY, "leader"),
    (CITY_SUP, "city_sup", "市中心主管", CITY, "supervisor"),
    (SUP_TH, "sup_th", "天河主管", TIANHE, "supervisor"),
    (M_CITY, "m_city", "市中心经理", CITY, "manager"),
    (M_TH1, "m_th1", "天河经理甲", TIANHE, "manager"),
    (M_TH2, "m_th2", "天河经理乙", TIANHE, "manager"),
    (M_YX, "m_yx", "越秀经理", YUEXIU, "manager"),
];

/// 天河, owner A: 天河经理甲.
const C_TH1: &str = "44010600000001";
/// 天河, owner A: 天河经理乙 (a unit colleague's).
const C_TH2: &str = "44010600000002";
/// 天河, owner A: 天河经理乙, owner B: 天河经理甲.
const C_SHARED: &str = "44010600000003";
/// 越秀, owner A: 越秀经理.
const C_YX: &str = "44010400000001";

struct Province {
    db: String,
    /// A superuser session: the set-up, and `kam migrate`'s way in.
    owner: PgConn,
}

impl Province {
    fn new(purpose: &str) -> Province {
        let (db, mut owner) = database_with_schema(purpose);
        let mut setup = String::from(
            "INSERT INTO org_unit (id, code, name, kind, parent_id, division_code) VALUES
                 (1, 'GZ', '广州市大客户中心', 'city', NULL, '440100'),
                 (2, 'TH', '天河区大客户中心', 'county', 1, '440106'),
                 (3, 'YX', '越秀区大客户中心', 'county', 1, '440104');",
        );
        for (id, who, name, unit, role) in STAFF {
            setup.push_str(&format!(
                "INSERT INTO staff (id, login, name, unit_id, role) VALUES ({id}, '{db}_{who}', '{name}', {unit}, '{role}');"
            ));
        }
        for (id, unit, a, b) in [
            (C_TH1, TIANHE, M_TH1, None),
            (C_TH2, TIANHE, M_TH2, None),
            (C_SHARED, TIANHE, M_TH2, Some(M_TH1)),
            (C_YX, YUEXIU, M_YX, None),
        ] {
            let b = b.map_or("NULL".to_string(), |b: i64| b.to_string());
            setup.push_str(&format!(
                "INSERT INTO customer (id, short_name, full_name, name_norm, unit_id, owner_a, owner_b,
                     dossier_updated_on, update_due_on, created_by, created_at, updated_by, updated_at)
                 VALUES ('{id}', '客户{id}', '客户{id}有限公司', '客户{id}', {unit}, {a}, {b}, current_date,
                     current_date, {ADMIN}, now(), {ADMIN}, now());
                 INSERT INTO customer_profile (customer_id) VALUES ('{id}');
                 INSERT INTO customer_search (customer_id, key) VALUES ('{id}', '客户{id}');
                 INSERT INTO registration (customer_id, unit_id, owner_id, reason, filed_by, filed_at)
                 VALUES ('{id}', {unit}, {a}, '新客户', {ADMIN}, now());"
            ));
        }
        // Rows added later take ids after the fixed ones.
        setup.push_str(
            "SELECT setval(pg_get_serial_sequence('org_unit', 'id'), 100);
             SELECT setval(pg_get_serial_sequence('staff', 'id'), 100);",
        );
        owner.batch(&setup).unwrap_or_else(|e| panic!("the province's set-up: {e}"));
        // The first administrator's login comes with the set-up (a superuser);
        // the administrator makes the others, as `kam staff add` will.
        owner.execute(&format!("SELECT kam_create_login('{db}_admin', 'admin')"), &[]).unwrap();
        let province = Province { db, owner };
        let mut admin = province.login("admin");
        for (_, who, _, _, role) in &STAFF[1..] {
            let login = province.login_name(who);
            ok(&mut admin, &format!("SELECT kam_create_login('{login}', '{role}')"));
        }
        province
    }

    fn login_name(&self, who: &str) -> String {
        format!("{}_{who}", self.db)
    }

    /// A session as this member of staff's own login role.
    fn login(&self, who: &str) -> PgConn {
        let login = self.login_name(who);
        PgConn::connect(&cluster().conninfo(&self.db, &login)).unwrap_or_else(|e| panic!("connect as {login}: {e}"))
    }
}

/// Runs a statement that must go through; returns how many rows it wrote.
#[track_caller]
fn ok(conn: &mut PgConn, sql: &str) -> u64 {
    conn.execute(sql, &[]).unwrap_or_else(|e| panic!("refused, but allowed by access.rs: {sql}\n{e}"))
}

/// Runs a statement the database must refuse as a privilege matter (42501);
/// returns the server's message.
#[track_caller]
fn refused(conn: &mut PgConn, sql: &str) -> String {
    match conn.execute(sql, &[]) {
        Ok(n) => panic!("allowed ({n} rows), but access.rs refuses it: {sql}"),
        Err(e) => {
            assert_eq!(e.sql_state(), Some("42501"), "{sql}: {e}");
            e.to_string()
        }
    }
}

#[track_caller]
fn one<T: FromValue>(conn: &mut PgConn, sql: &str) -> T {
    let rows = conn.query(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}"));
    assert_eq!(rows.len(), 1, "{sql}");
    rows[0].get(0).unwrap()
}

fn new_customer(id: &str, unit: i64, owner: i64, by: i64, registration: &str) -> String {
    format!(
        "INSERT INTO customer (id, short_name, full_name, name_norm, unit_id, owner_a, registration,
             dossier_updated_on, update_due_on, created_by, created_at, updated_by, updated_at)
         VALUES ('{id}', '新客户', '新客户有限公司', '新客户', {unit}, {owner}, '{registration}', current_date,
             current_date, {by}, now(), {by}, now())"
    )
}

fn key_person(customer: &str, by: i64) -> String {
    format!(
        "INSERT INTO key_person (customer_id, name, birthday, created_by, created_at, updated_by, updated_at)
         VALUES ('{customer}', '王总', '1970-05-01', {by}, now(), {by}, now()) RETURNING id"
    )
}

fn visit(customer: &str, owner: i64, by: i64) -> String {
    format!(
        "INSERT INTO visit (customer_id, kind, planned_at, owner_id, created_by, created_at, updated_by, updated_at)
         VALUES ('{customer}', 'senior_visit', now() + interval '1 day', {owner}, {by}, now(), {by}, now())"
    )
}

fn log_entry(customer: &str, by: i64) -> String {
    format!(
        "INSERT INTO marketing_log (customer_id, logged_on, method, stage, content, author_id, created_by,
             created_at, updated_by, updated_at)
         VALUES ('{customer}', current_date, 'visit', 'initial_contact', '初次拜访', {by}, {by}, now(), {by}, now())"
    )
}

fn complaint(number: &str, customer: &str, by: i64) -> String {
    format!(
        "INSERT INTO complaint (number, received_at, channel, received_by, customer_id, complainant, category,
             description, deadline, created_by, created_at, updated_by, updated_at)
         VALUES ('{number}', now(), 'phone', {by}, '{customer}', '李先生', 'delay', '邮件延误',
             now() + interval '2 days', {by}, now(), {by}, now())"
    )
}

fn revenue(customer: &str, month: i64, amount: i64, by: i64) -> String {
    format!(
        "INSERT INTO revenue (customer_id, month, service_line_id, amount, created_by, created_at, updated_by, updated_at)
         VALUES ('{customer}', {month}, 1, {amount}, {by}, now(), {by}, now())"
    )
}

/// A table added without row-level security, or a SECURITY DEFINER
/// function whose search path a caller could choose, would be a way round
/// every rule below.
#[test]
fn every_table_is_under_row_level_security_and_every_definer_function_has_its_path() {
    let (_, mut su) = database_with_schema("rls_everywhere");
    let open: Vec<String> = su
        .query(
            "SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
             AND NOT (relrowsecurity AND relforcerowsecurity) ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0).unwrap())
        .collect();
    assert!(open.is_empty(), "tables without forced row-level security: {open:?}");
    let tables: i64 = one(&mut su, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    assert!(tables > 25, "{tables} tables");

    let unpinned: Vec<String> = su
        .query(
            "SELECT proname::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosecdef
             AND NOT coalesce(proconfig::text LIKE '%search_path=%', false) ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0).unwrap())
        .collect();
    assert!(unpinned.is_empty(), "SECURITY DEFINER functions without a fixed search_path: {unpinned:?}");
    let (volatility, definer): (String, bool) = {
        let rows = su
            .query("SELECT provolatile::text, prosecdef FROM pg_proc WHERE proname = 'kam_current_staff'", &[])
            .unwrap();
        (rows[0].get(0).unwrap(), rows[0].get(1).unwrap())
    };
    assert_eq!((volatility.as_str(), definer), ("s", true), "kam_current_staff is STABLE and SECURITY DEFINER");
}

#[test]
fn who_you_are_is_the_session_login_whatever_role_you_set() {
    let mut p = Province::new("who");
    let mut m = p.login("m_th1");
    assert_eq!(one::<i64>(&mut m, "SELECT id FROM kam_current_staff()"), M_TH1);
    assert_eq!(one::<String>(&mut m, "SELECT role FROM kam_current_staff()"), "manager");
    assert_eq!(one::<i64>(&mut m, "SELECT unit_id FROM kam_current_staff()"), TIANHE);

    // SET ROLE changes the rights in use, not the person.
    m.batch("SET ROLE kam_manager").unwrap();
    assert_eq!(one::<String>(&mut m, "SELECT current_user::text"), "kam_manager");
    assert_eq!(one::<i64>(&mut m, "SELECT id FROM kam_current_staff()"), M_TH1);
    refused(&mut m, &format!("UPDATE customer SET short_name = '改', updated_by = {M_TH1} WHERE id = '{C_YX}'"));
    m.batch("RESET ROLE").unwrap();
    // Nor can a manager take up a group they are not in.
    let err = m.batch("SET ROLE kam_admin").unwrap_err();
    assert_eq!(err.sql_state(), Some("42501"), "{err}");

    // The superuser is no member of staff (and writes for others: below).
    let mut su = cluster().connect(&p.db);
    assert_eq!(one::<Option<i64>>(&mut su, "SELECT id FROM kam_current_staff()"), None);

    // Someone who has left keeps their login role but is no longer anyone.
    p.owner.execute(&format!("UPDATE staff SET status = 'left' WHERE id = {M_TH2}"), &[]).unwrap();
    let mut gone = p.login("m_th2");
    assert_eq!(one::<Option<i64>>(&mut gone, "SELECT id FROM kam_current_staff()"), None);
    let msg = refused(&mut gone, &key_person(C_TH2, M_TH2));
    assert!(msg.contains("no active member of staff"), "{msg}");

    // A login in a kam group with no staff row writes nothing either.
    p.owner.batch(&format!("CREATE ROLE {}_stranger LOGIN IN ROLE kam_supervisor", p.db)).unwrap();
    let mut stranger = p.login("stranger");
    assert_eq!(one::<i64>(&mut stranger, "SELECT count(*) FROM customer"), 4, "reads, as every kam user");
    refused(
        &mut stranger,
        &format!("UPDATE customer SET short_name = '改', updated_by = {SUP_TH} WHERE id = '{C_TH1}'"),
    );
    refused(&mut stranger, &new_customer("44010600000009", TIANHE, M_TH1, SUP_TH, "pending"));
}

#[test]
fn account_managers_change_their_own_customers_only() {
    let p = Province::new("own_customers");
    let mut m = p.login("m_th1");

    let edit =
        |id: &str| format!("UPDATE customer SET annual_revenue = 5000000, updated_by = {M_TH1} WHERE id = '{id}'");
    assert_eq!(ok(&mut m, &edit(C_TH1)), 1, "owner A");
    assert_eq!(ok(&mut m, &edit(C_SHARED)), 1, "owner B");
    let by: i64 = one(
        &mut m,
        &format!("SELECT changed_by FROM history WHERE entity_id = '{C_TH1}' AND field = 'annual_revenue'"),
    );
    assert_eq!(by, M_TH1, "the history names who changed it");

    let msg = refused(&mut m, &edit(C_TH2));
    assert!(msg.contains("row-level security"), "a unit colleague's customer: {msg}");
    refused(&mut m, &edit(C_YX));
    let mut city = p.login("m_city");
    refused(&mut city, &format!("UPDATE customer SET status = 'watch', updated_by = {M_CITY} WHERE id = '{C_TH1}'"));
    assert_eq!(one::<i64>(&mut m, "SELECT count(*) FROM customer WHERE annual_revenue IS NOT NULL"), 2);

    // Archiving is an edit too; deleting is nobody's.
    ok(&mut m, &format!("UPDATE customer SET archived = 1, updated_by = {M_TH1} WHERE id = '{C_SHARED}'"));
    refused(&mut m, &format!("UPDATE customer SET archived = 1, updated_by = {M_TH1} WHERE id = '{C_TH2}'"));

    // Decisions about their own customer are not theirs: reassignment,
    // moving it to another unit, the registration, a tier override.
    for change in [
        format!("owner_a = {M_TH2}"),
        format!("owner_b = {M_TH2}"),
        format!("unit_id = {YUEXIU}"),
        "registration = 'approved'".to_string(),
        "tier_override = 'vip', tier_override_reason = '战略客户'".to_string(),
    ] {
        let msg = refused(&mut m, &format!("UPDATE customer SET {change}, updated_by = {M_TH1} WHERE id = '{C_TH1}'"));
        assert!(
            msg.contains("only a supervisor of 天河区大客户中心 or a unit above it decides this"),
            "{change}: {msg}"
        );
    }
    // What never changes is no column a user may update.
    refused(&mut m, &format!("UPDATE customer SET created_by = {M_TH1}, updated_by = {M_TH1} WHERE id = '{C_TH1}'"));
    refused(&mut m, &format!("UPDATE customer SET id = '44010600000099', updated_by = {M_TH1} WHERE id = '{C_TH1}'"));

    // Anyone but a leader registers a new customer, pending; not already decided.
    ok(&mut m, &new_customer("44010600000010", TIANHE, M_TH1, M_TH1, "pending"));
    ok(&mut m, "INSERT INTO customer_profile (customer_id, address) VALUES ('44010600000010', '天河路1号')");
    ok(&mut m, "INSERT INTO customer_search (customer_id, key) VALUES ('44010600000010', '新客户')");
    refused(&mut m, &new_customer("44010600000011", TIANHE, M_TH1, M_TH1, "approved"));

    // The administrator's unit policy lets managers edit their unit's customers.
    let mut admin = p.login("admin");
    ok(
        &mut admin,
        &format!(
            "INSERT INTO setting (key, value, updated_by, updated_at) VALUES ('managers_edit_unit', '1', {ADMIN}, now())"
        ),
    );
    assert_eq!(ok(&mut m, &edit(C_TH2)), 1, "a unit colleague's customer, by the unit policy");
    refused(&mut m, &edit(C_YX));
    refused(&mut m, &format!("UPDATE customer SET owner_a = {M_TH1}, updated_by = {M_TH1} WHERE id = '{C_TH2}'"));
    ok(&mut admin, &format!("UPDATE setting SET value = '0', updated_by = {ADMIN} WHERE key = 'managers_edit_unit'"));
    refused(&mut m, &edit(C_TH2));
}

#[test]
fn supervisors_decide_for_their_unit_and_the_units_below_it() {
    let p = Province::new("decisions");
    let decide = |customer: &str, by: i64| {
        format!(
            "UPDATE registration SET decision = 'approved', decided_by = {by}, decided_at = now(), decision_note = '同意'
             WHERE customer_id = '{customer}' AND decision = 'pending'"
        )
    };
    let approve = |customer: &str, by: i64| {
        format!("UPDATE customer SET registration = 'approved', updated_by = {by} WHERE id = '{customer}'")
    };

    // An account manager decides nothing, not even about their own customer.
    let mut m = p.login("m_th1");
    refused(&mut m, &decide(C_TH1, M_TH1));
    refused(&mut m, &approve(C_TH1, M_TH1));
    refused(
        &mut m,
        &format!(
            "INSERT INTO registration (customer_id, unit_id, owner_id, reason, filed_by, filed_at, decision, decided_by,
                 decided_at) VALUES ('{C_TH1}', {TIANHE}, {M_TH1}, '再登记', {M_TH1}, now(), 'approved', {M_TH1}, now())"
        ),
    );

    // The 天河 supervisor decides for 天河 …
    let mut sup = p.login("sup_th");
    assert_eq!(ok(&mut sup, &decide(C_TH1, SUP_TH)), 1);
    assert_eq!(ok(&mut sup, &approve(C_TH1, SUP_TH)), 1);
    let by: i64 = one(
        &mut sup,
        &format!("SELECT changed_by FROM history WHERE entity = 'registration' AND customer_id = '{C_TH1}'"),
    );
    assert_eq!(by, SUP_TH);
    ok(
        &mut sup,
        &format!(
            "UPDATE customer SET tier_override = 'vip', tier_override_reason = '战略客户', updated_by = {SUP_TH} WHERE id = '{C_TH2}'"
        ),
    );
    ok(&mut sup, &format!("UPDATE customer SET owner_a = {M_TH1}, updated_by = {SUP_TH} WHERE id = '{C_TH2}'"));
    ok(&mut sup, &new_customer("44010600000020", TIANHE, M_TH2, SUP_TH, "approved"));
    // … not for the district beside it,
    let msg = refused(&mut sup, &decide(C_YX, SUP_TH));
    assert!(msg.contains("row-level security"), "{msg}");
    let msg = refused(&mut sup, &approve(C_YX, SUP_TH));
    assert!(msg.contains("only a supervisor of 越秀区大客户中心 or a unit above it decides this"), "{msg}");
    refused(&mut sup, &format!("UPDATE customer SET owner_a = {M_TH1}, updated_by = {SUP_TH} WHERE id = '{C_YX}'"));
    refused(&mut sup, &format!("UPDATE customer SET unit_id = {TIANHE}, updated_by = {SUP_TH} WHERE id = '{C_YX}'"));
    refused(&mut sup, &new_customer("44010400000021", YUEXIU, M_YX, SUP_TH, "approved"));
    // … though, like every supervisor (access.rs), they edit its dossier.
    ok(&mut sup, &format!("UPDATE customer SET short_name = '越秀新名', updated_by = {SUP_TH} WHERE id = '{C_YX}'"));
    // A registration's filing is fixed: only the decision columns are written.
    refused(
        &mut sup,
        &format!("UPDATE registration SET reason = '改', decided_by = {SUP_TH} WHERE customer_id = '{C_TH2}'"),
    );

    // The city supervisor decides for both districts below the city.
    let mut city = p.login("city_sup");
    assert_eq!(ok(&mut city, &decide(C_YX, CITY_SUP)), 1);
    ok(&mut city, &approve(C_YX, CITY_SUP));
    ok(
        &mut city,
        &format!(
            "UPDATE customer SET owner_a = {M_CITY}, unit_id = {CITY}, updated_by = {CITY_SUP} WHERE id = '{C_YX}'"
        ),
    );
    // Now a city customer: the 天河 supervisor does not decide above their unit.
    refused(
        &mut sup,
        &format!(
            "UPDATE customer SET tier_override = 'vip', tier_override_reason = 'x', updated_by = {SUP_TH} WHERE id = '{C_YX}'"
        ),
    );

    // The administrator decides for every unit.
    let mut admin = p.login("admin");
    ok(&mut admin, &decide(C_SHARED, ADMIN));

    // A unit's own revenue figure: its supervisors and those above, the administrator.
    let unit_revenue = |unit: i64, by: i64| {
        format!(
            "INSERT INTO unit_revenue (unit_id, year, month, amount, updated_by, updated_at) VALUES ({unit}, 2026, 1, 100, {by}, now())
             ON CONFLICT (unit_id, year, month) DO UPDATE SET amount = excluded.amount + 1, updated_by = excluded.updated_by,
             updated_at = excluded.updated_at"
        )
    };
    ok(&mut sup, &unit_revenue(TIANHE, SUP_TH));
    ok(&mut city, &unit_revenue(TIANHE, CITY_SUP));
    ok(&mut admin, &unit_revenue(YUEXIU, ADMIN));
    refused(&mut sup, &unit_revenue(YUEXIU, SUP_TH));
    refused(&mut sup, &unit_revenue(CITY, SUP_TH));
    refused(&mut m, &unit_revenue(TIANHE, M_TH1));
}

#[test]
fn leaders_read_everything_and_write_nothing_but_their_visits() {
    let p = Province::new("leaders");
    let mut l = p.login("leader");
    assert_eq!(one::<i64>(&mut l, "SELECT count(*) FROM customer"), 4);
    assert_eq!(one::<i64>(&mut l, "SELECT count(*) FROM staff"), 8);
    assert!(one::<i64>(&mut l, "SELECT count(*) FROM history") > 0);

    for forbidden in [
        format!("UPDATE customer SET short_name = '改', updated_by = {LEADER} WHERE id = '{C_TH1}'"),
        format!("UPDATE customer SET dossier_updated_on = current_date + 1 WHERE id = '{C_TH1}'"),
        new_customer("44010100000001", CITY, LEADER, LEADER, "pending"),
        format!("UPDATE customer_profile SET address = '改' WHERE customer_id = '{C_TH1}'"),
        format!(
            "INSERT INTO registration (customer_id, unit_id, owner_id, reason, filed_by, filed_at)
             VALUES ('{C_TH1}', {CITY}, {LEADER}, '认领', {LEADER}, now())"
        ),
        key_person(C_TH1, LEADER),
        format!(
            "INSERT INTO competitor (customer_id, name, created_by, created_at, updated_by, updated_at)
             VALUES ('{C_TH1}', '顺丰', {LEADER}, now(), {LEADER}, now())"
        ),
        log_entry(C_TH1, LEADER),
        complaint("TS2026000001", C_TH1, LEADER),
        revenue(C_TH1, 202601, 100, LEADER),
        format!(
            "INSERT INTO fluctuation_note (customer_id, month, explanation, written_by, written_at)
             VALUES ('{C_TH1}', 202601, '季节性', {LEADER}, now())"
        ),
        format!(
            "INSERT INTO unit_revenue (unit_id, year, month, amount, updated_by, updated_at) VALUES ({CITY}, 2026, 0, 1, {LEADER}, now())"
        ),
        format!("UPDATE staff SET phone = '1', updated_by = {LEADER} WHERE id = {LEADER}"),
        format!(
            "INSERT INTO setting (key, value, updated_by, updated_at) VALUES ('managers_edit_unit', '1', {LEADER}, now())"
        ),
        format!("UPDATE org_unit SET name = '改', updated_by = {LEADER} WHERE id = {CITY}"),
    ] {
        refused(&mut l, &forbidden);
    }
    // Deleting search keys (a repair) is the administrator's: others' deletes reach no row.
    assert_eq!(ok(&mut l, "DELETE FROM customer_search"), 0);
    assert_eq!(one::<i64>(&mut l, "SELECT count(*) FROM customer_search"), 4);
    assert_eq!(one::<i64>(&mut l, "SELECT count(*) FROM customer WHERE short_name = '改'"), 0);

    // A complaint and a log entry written by others: still nothing to do with them.
    let mut m = p.login("m_th1");
    ok(&mut m, &complaint("TS2026000002", C_TH1, M_TH1));
    ok(&mut m, &log_entry(C_TH1, M_TH1));
    let msg = refused(&mut l, &format!("UPDATE complaint SET team = '市场部', updated_by = {LEADER}"));
    assert!(msg.contains("leaders read but do not edit"), "{msg}");
    refused(
        &mut l,
        &format!("INSERT INTO log_comment (log_id, author_id, comment, created_at) VALUES (1, {LEADER}, '好', now())"),
    );

    // Leaders lead senior visits (access.rs Work::Visits): for any customer.
    ok(&mut l, &visit(C_YX, LEADER, LEADER));
    ok(&mut l, &format!("INSERT INTO visit_staff (visit_id, staff_id, role) VALUES (1, {LEADER}, 'leader')"));
    ok(&mut l, &format!("UPDATE visit SET purpose = '高层拜访', updated_by = {LEADER} WHERE id = 1"));
}

#[test]
fn a_customers_records_are_written_by_those_who_edit_the_customer() {
    let p = Province::new("records");
    let mut m = p.login("m_th1");
    let mut other = p.login("m_yx");

    // Key persons and their occasion days.
    let person: i64 = one(&mut m, &key_person(C_TH1, M_TH1));
    ok(&mut m, &format!("INSERT INTO person_occasion (person_id, month_day) VALUES ({person}, '05-01')"));
    refused(&mut other, &key_person(C_TH1, M_YX));
    refused(&mut other, &format!("INSERT INTO person_occasion (person_id, month_day) VALUES ({person}, '06-01')"));
    refused(&mut other, &format!("UPDATE key_person SET title = '总经理', updated_by = {M_YX} WHERE id = {person}"));
    ok(&mut m, &format!("UPDATE key_person SET title = '总经理', updated_by = {M_TH1} WHERE id = {person}"));
    // A record stays with its customer.
    refused(
        &mut m,
        &format!("UPDATE key_person SET customer_id = '{C_SHARED}', updated_by = {M_TH1} WHERE id = {person}"),
    );
    // Derived rows are replaced by deleting; another's are out of reach (skipped).
    assert_eq!(ok(&mut other, &format!("DELETE FROM person_occasion WHERE person_id = {person}")), 0);
    assert_eq!(ok(&mut m, &format!("DELETE FROM person_occasion WHERE person_id = {person}")), 1);

    ok(
        &mut m,
        &format!(
            "INSERT INTO competitor (customer_id, name, created_by, created_at, updated_by, updated_at)
             VALUES ('{C_SHARED}', '顺丰', {M_TH1}, now(), {M_TH1}, now())"
        ),
    );
    refused(
        &mut m,
        &format!(
            "INSERT INTO competitor (customer_id, name, created_by, created_at, updated_by, updated_at)
             VALUES ('{C_TH2}', '顺丰', {M_TH1}, now(), {M_TH1}, now())"
        ),
    );

    // The dossier's profile: by its editors, after the customer row names them
    // (kam writes the customer row first; the profile's history takes its author from it).
    refused(&mut other, &format!("UPDATE customer_profile SET address = '越秀路' WHERE customer_id = '{C_TH1}'"));
    refused(&mut m, &format!("UPDATE customer_profile SET address = '天河路' WHERE customer_id = '{C_TH1}'"));
    {
        let mut tx = m.transaction().unwrap();
        tx.execute(
            &format!("UPDATE customer SET version = version + 1, updated_by = {M_TH1} WHERE id = '{C_TH1}'"),
            &[],
        )
        .unwrap();
        tx.execute(&format!("UPDATE customer_profile SET address = '天河路' WHERE customer_id = '{C_TH1}'"), &[])
            .unwrap();
        tx.commit().unwrap();
    }
    let by: i64 =
        one(&mut m, &format!("SELECT changed_by FROM history WHERE field = 'address' AND customer_id = '{C_TH1}'"));
    assert_eq!(by, M_TH1);
    refused(&mut other, &format!("UPDATE customer_search SET key = '隐藏' WHERE customer_id = '{C_TH1}'"));

    // Visits, the marketing log, revenue and its explanations.
    ok(&mut m, &visit(C_TH1, M_TH1, M_TH1));
    refused(&mut other, &visit(C_TH1, M_YX, M_YX));
    refused(&mut other, &format!("UPDATE visit SET purpose = '改', updated_by = {M_YX} WHERE id = 1"));
    refused(
        &mut other,
        &format!("INSERT INTO visit_staff (visit_id, staff_id, role) VALUES (1, {M_YX}, 'account_manager')"),
    );
    refused(
        &mut other,
        &format!(
            "INSERT INTO visit_series (customer_id, kind, every, unit, until, created_by, created_at)
             VALUES ('{C_TH1}', 'phone', 1, 'weeks', current_date + 30, {M_YX}, now())"
        ),
    );
    ok(&mut m, &format!("INSERT INTO visit_staff (visit_id, staff_id, role) VALUES (1, {M_TH1}, 'account_manager')"));
    assert_eq!(ok(&mut other, "DELETE FROM visit_staff WHERE visit_id = 1"), 0);
    refused(&mut m, &format!("UPDATE visit_staff SET owner_id = {M_YX} WHERE visit_id = 1"));
    ok(&mut m, &format!("UPDATE visit SET state = 'done', done_at = now(), updated_by = {M_TH1} WHERE id = 1"));

    ok(&mut m, &log_entry(C_TH1, M_TH1));
    refused(&mut other, &log_entry(C_TH1, M_YX));

    ok(&mut m, &revenue(C_TH1, 202601, 10000, M_TH1));
    ok(&mut m, &format!("UPDATE revenue SET amount = 20000, updated_by = {M_TH1} WHERE customer_id = '{C_TH1}'"));
    refused(&mut other, &revenue(C_TH1, 202602, 10000, M_YX));
    refused(&mut other, &format!("UPDATE revenue SET amount = 0, updated_by = {M_YX} WHERE customer_id = '{C_TH1}'"));
    assert_eq!(
        one::<String>(&mut m, &format!("SELECT amount::text FROM revenue WHERE customer_id = '{C_TH1}'")),
        "20000"
    );
    let note = |by: i64| {
        format!(
            "INSERT INTO fluctuation_note (customer_id, month, explanation, written_by, written_at)
             VALUES ('{C_TH1}', 202601, '季节性', {by}, now())
             ON CONFLICT (customer_id, month) DO UPDATE SET explanation = '补充', written_by = excluded.written_by"
        )
    };
    ok(&mut m, &note(M_TH1));
    refused(&mut other, &note(M_YX));

    // Supervisors comment on log entries; the entry's author marks them seen.
    let mut sup = p.login("sup_th");
    ok(
        &mut sup,
        &format!(
            "INSERT INTO log_comment (log_id, author_id, comment, created_at) VALUES (1, {SUP_TH}, '很好', now())"
        ),
    );
    refused(
        &mut other,
        &format!("INSERT INTO log_comment (log_id, author_id, comment, created_at) VALUES (1, {M_YX}, '好', now())"),
    );
    refused(&mut other, "UPDATE log_comment SET seen_at = now() WHERE id = 1");
    assert_eq!(ok(&mut m, "UPDATE log_comment SET seen_at = now() WHERE id = 1"), 1);
    refused(&mut m, "UPDATE log_comment SET comment = '改' WHERE id = 1");
}

#[test]
fn nobody_writes_in_someone_elses_name() {
    let mut p = Province::new("authors");
    let mut m = p.login("m_th1");

    for forged in [
        key_person(C_TH1, M_TH2),
        format!(
            "INSERT INTO key_person (customer_id, name, created_by, created_at, updated_by, updated_at)
             VALUES ('{C_TH1}', '王总', {M_TH1}, now(), {M_TH2}, now())"
        ),
        format!("UPDATE customer SET short_name = '改', updated_by = {M_TH2} WHERE id = '{C_TH1}'"),
        log_entry(C_TH1, M_TH2),
        complaint("TS2026000001", C_TH1, M_TH2),
        visit(C_TH1, M_TH1, M_TH2),
        revenue(C_TH1, 202601, 1, M_TH2),
    ] {
        let msg = refused(&mut m, &forged);
        assert!(msg.contains(&format!("must name you (staff {M_TH1}), not {M_TH2}")), "{forged}: {msg}");
    }
    // Leaving the author as it was writes in the last author's name too…
    let msg = refused(&mut m, &format!("UPDATE customer SET short_name = '改' WHERE id = '{C_TH1}'"));
    assert!(msg.contains(&format!("must name you (staff {M_TH1}), not {ADMIN}")), "{msg}");
    // … unless nothing the history records moves (saving a key person
    // touches the dossier's dates; kam does it without an author).
    ok(
        &mut m,
        &format!(
            "UPDATE customer SET dossier_updated_on = current_date + 1, update_due_on = current_date + 90 WHERE id = '{C_TH1}'"
        ),
    );

    // Events and comments name their writer as well.
    ok(&mut m, &complaint("TS2026000002", C_TH1, M_TH1));
    let event = |by: i64| {
        format!(
            "INSERT INTO complaint_event (complaint_id, kind, by_id, at)
             SELECT id, 'follow_up', {by}, now() FROM complaint WHERE number = 'TS2026000002'"
        )
    };
    refused(&mut m, &event(M_TH2));
    assert_eq!(ok(&mut m, &event(M_TH1)), 1);
    let mut sup = p.login("sup_th");
    ok(&mut sup, &log_entry(C_TH1, SUP_TH));
    refused(
        &mut sup,
        &format!(
            "INSERT INTO log_comment (log_id, author_id, comment, created_at) SELECT max(id), {ADMIN}, '好', now() FROM marketing_log"
        ),
    );

    // Acting for someone else (kam.acting) is the owner's alone.
    m.batch("SET kam.acting = 'root'").unwrap();
    let msg = refused(&mut m, &key_person(C_TH1, M_TH1));
    assert!(msg.contains("acts for someone else"), "{msg}");
    m.batch("RESET kam.acting").unwrap();
    ok(&mut m, &key_person(C_TH1, M_TH1));

    // Administrators are no exception.
    let mut admin = p.login("admin");
    refused(&mut admin, &format!("UPDATE staff SET phone = '1', updated_by = {M_TH1} WHERE id = {M_TH1}"));
    refused(&mut admin, "INSERT INTO industry (code, name_zh, name_en) VALUES ('x', '制造', 'Manufacturing')");

    // The owner copies a bureau's rows with their authors (`kam migrate`).
    let owner = &mut p.owner;
    owner.execute(&key_person(C_TH1, M_TH2), &[]).unwrap();
    owner.batch("SET kam.acting = 'root'").unwrap();
    owner
        .execute(&format!("UPDATE customer SET short_name = '迁入', updated_by = {M_TH2} WHERE id = '{C_TH1}'"), &[])
        .unwrap();
    let acted: String = one(owner, "SELECT acted_by FROM history_acted ORDER BY history_id DESC LIMIT 1");
    assert_eq!(acted, "root");

    let who: Vec<i64> = m
        .query("SELECT DISTINCT changed_by FROM history WHERE entity = 'key_person' ORDER BY 1", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0).unwrap())
        .collect();
    assert_eq!(who, vec![M_TH1, M_TH2], "the manager's own, and the one the owner copied");
}

#[test]
fn reference_tables_are_written_by_administrators_only() {
    let p = Province::new("reference");
    let writes = |by: i64| {
        vec![
            format!(
                "INSERT INTO staff (login, name, unit_id, role, updated_by, updated_at) VALUES ('x{by}', '新人', {TIANHE}, 'manager', {by}, now())"
            ),
            format!("UPDATE staff SET role = 'admin', updated_by = {by} WHERE id = {by}"),
            format!(
                "INSERT INTO org_unit (code, name, kind, parent_id, division_code, updated_by, updated_at) VALUES ('N{by}', '新区', 'county', 1, '440111', {by}, now())"
            ),
            format!("UPDATE org_unit SET parent_id = NULL, updated_by = {by} WHERE id = {TIANHE}"),
            format!(
                "INSERT INTO industry (code, name_zh, name_en, updated_by, updated_at) VALUES ('i{by}', '制造', 'Manufacturing', {by}, now())"
            ),
            format!("UPDATE service_line SET name_zh = '函件业务', updated_by = {by} WHERE id = 1"),
            format!("INSERT INTO setting (key, value, updated_by, updated_at) VALUES ('k{by}', '1', {by}, now())"),
        ]
    };
    for (who, id) in [("m_th1", M_TH1), ("sup_th", SUP_TH), ("city_sup", CITY_SUP), ("leader", LEADER)] {
        let mut conn = p.login(who);
        for sql in writes(id) {
            let msg = refused(&mut conn, &sql);
            assert!(msg.contains("row-level security"), "{who}: {sql}: {msg}");
        }
    }
    let mut admin = p.login("admin");
    for sql in writes(ADMIN) {
        ok(&mut admin, &sql);
    }
    // The tier presets are fixed in the schema: not even the administrator writes them.
    refused(&mut admin, "UPDATE tier_preset SET name_zh = '改'");
    refused(&mut admin, "INSERT INTO tier_preset VALUES ('mine', '我的', 'Mine')");
}

#[test]
fn nobody_deletes_history_or_records() {
    let mut p = Province::new("no_deletes");
    p.owner.batch(&key_person(C_TH1, M_TH1)).unwrap();
    for who in ["m_th1", "sup_th", "city_sup", "admin", "leader"] {
        let mut conn = p.login(who);
        for sql in [
            "DELETE FROM history",
            "DELETE FROM history_chain",
            "DELETE FROM history_acted",
            "UPDATE history SET changed_by = 1",
            "INSERT INTO history (entity, entity_id, action, changed_by) VALUES ('customer', 'x', 'create', 1)",
            "TRUNCATE history",
            "DELETE FROM customer",
            "DELETE FROM customer_profile",
            "DELETE FROM registration",
            "DELETE FROM key_person",
            "DELETE FROM visit",
            "DELETE FROM marketing_log",
            "DELETE FROM complaint",
            "DELETE FROM complaint_event",
            "DELETE FROM revenue",
            "DELETE FROM staff",
            "DELETE FROM org_unit",
            "DELETE FROM setting",
            "UPDATE revenue_month SET amount = 0",
            "ALTER TABLE customer DISABLE ROW LEVEL SECURITY",
            "DROP POLICY customer_update ON customer",
        ] {
            refused(&mut conn, sql);
        }
    }
    let n: i64 = one(&mut p.owner, "SELECT count(*) FROM history");
    assert!(n >= 5, "the history is all there: {n}");
}

#[test]
fn complaints_are_worked_on_by_those_who_answer_for_them() {
    let p = Province::new("complaints");
    let mut receiver = p.login("m_yx");
    let mut handler = p.login("m_th1");
    let mut bystander = p.login("m_th2");
    let mut sup = p.login("sup_th");
    let step = |set: &str, by: i64| {
        format!("UPDATE complaint SET {set}, updated_by = {by}, version = version + 1 WHERE id = 1")
    };
    let event = |kind: &str, by: i64| {
        format!("INSERT INTO complaint_event (complaint_id, kind, by_id, at) VALUES (1, '{kind}', {by}, now())")
    };

    // Whoever receives a complaint files it, for any customer, and hands it over.
    ok(&mut receiver, &complaint("TS2026000001", C_TH1, M_YX));
    ok(&mut receiver, &step(&format!("state = 'assigned', handler_id = {M_TH1}"), M_YX));
    ok(&mut receiver, &event("assign", M_YX));
    // Then it is the handler's: the receiver, a unit colleague, are told who works on it.
    let msg = refused(&mut receiver, &step("team = '市场部'", M_YX));
    assert!(msg.contains("work on this complaint"), "{msg}");
    refused(&mut bystander, &step("team = '市场部'", M_TH2));
    refused(&mut bystander, &event("follow_up", M_TH2));

    ok(&mut handler, &step("state = 'in_progress'", M_TH1));
    ok(&mut handler, &step("state = 'escalated'", M_TH1));
    // Escalated: the handler keeps following it, but its next step is a decision.
    ok(&mut handler, &step("team = '市场部、客服部'", M_TH1));
    ok(&mut handler, &event("team", M_TH1));
    let msg = refused(&mut handler, &step("state = 'resolved', result = '已改派'", M_TH1));
    assert!(msg.contains("only a supervisor of 天河区大客户中心 or a unit above it decides this"), "{msg}");
    let mut city_manager = p.login("m_city");
    refused(&mut city_manager, &step("state = 'resolved', result = '已改派'", M_CITY));
    ok(&mut sup, &step("state = 'resolved', result = '已改派'", SUP_TH));

    // Closing over the customer's dissatisfaction is a supervisor's decision too.
    ok(&mut handler, &step("state = 'confirmed', satisfaction = 'unsatisfied'", M_TH1));
    let close = |by: i64| step("state = 'closed', closed_at = now()", by);
    refused(&mut handler, &close(M_TH1));
    ok(&mut sup, &close(SUP_TH));
    assert_eq!(one::<String>(&mut sup, "SELECT state FROM complaint WHERE id = 1"), "closed");
    // The timeline is never rewritten, by anyone.
    refused(&mut sup, "UPDATE complaint_event SET note = '改'");
    // A complaint keeps its number, customer and receiver.
    refused(&mut sup, &step(&format!("customer_id = '{C_YX}'"), SUP_TH));
    refused(&mut sup, &step(&format!("received_by = {SUP_TH}"), SUP_TH));
}

fn service_request(number: &str, customer: &str, by: i64, status: &str) -> String {
    format!(
        "INSERT INTO service_request (number, received_at, channel, received_by, customer_id, requester, kind, mode,
             area, description, due_at, status, created_by, created_at, updated_by, updated_at)
         VALUES ('{number}', now(), 'service_centre', {by}, '{customer}', '李先生', 'pickup', 'on_call', 'city',
             '下午三点前揽收月结帐单', now() + interval '1 day', '{status}', {by}, now(), {by}, now())"
    )
}

/// SPEC §9 (issue 18): whoever takes the call receives a request, for any
/// customer; the customer's account managers and the supervisors above them
/// work it; the receiver notifies or cancels it while it is open.
#[test]
fn service_requests_are_received_by_anyone_and_worked_by_those_who_answer_for_them() {
    let p = Province::new("requests");
    let mut receiver = p.login("m_yx");
    let mut owner = p.login("m_th1");
    let mut bystander = p.login("m_th2");
    let mut sup = p.login("sup_th");
    let mut leader = p.login("leader");
    // By number: refused inserts use up ids.
    let step = |n: i64, set: &str, by: i64| {
        format!(
            "UPDATE service_request SET {set}, updated_by = {by}, version = version + 1 WHERE number = 'FW2026-00000{n}'"
        )
    };
    let event = |n: i64, kind: &str, by: i64| {
        format!(
            "INSERT INTO service_request_event (request_id, kind, by_id, at)
             VALUES ((SELECT id FROM service_request WHERE number = 'FW2026-00000{n}'), '{kind}', {by}, now())"
        )
    };

    // Anyone but a leader receives one, for any customer, in their own name.
    refused(&mut leader, &service_request("FW2026-000009", C_TH1, LEADER, "open"));
    refused(&mut receiver, &service_request("FW2026-000009", C_TH1, M_TH1, "open"));
    refused(&mut receiver, &service_request("FW2026-000009", C_TH1, M_YX, "done"));
    ok(&mut receiver, &service_request("FW2026-000001", C_TH1, M_YX, "open"));
    ok(&mut receiver, &event(1, "received", M_YX));
    ok(&mut receiver, &service_request("FW2026-000002", C_TH1, M_YX, "open"));
    // The receiver tells the account manager, or cancels one received in error.
    ok(&mut receiver, &step(1, "status = 'notified', notified_at = now()", M_YX));
    ok(&mut receiver, &event(1, "notify", M_YX));
    ok(&mut receiver, &step(2, "status = 'cancelled', cancel_reason = '重复登记'", M_YX));
    // Then the request is the account manager's: the receiver and a colleague are told whose.
    let msg = refused(&mut receiver, &step(1, "status = 'in_progress'", M_YX));
    assert!(msg.contains("work on this request") && msg.contains("天河区大客户中心"), "{msg}");
    refused(&mut receiver, &event(1, "start", M_YX));
    refused(&mut bystander, &step(1, "phone_contact_at = now()", M_TH2));
    refused(&mut leader, &step(1, "phone_contact_at = now()", LEADER));
    ok(&mut owner, &step(1, "phone_contact_at = now()", M_TH1));
    ok(&mut owner, &step(1, "status = 'in_progress'", M_TH1));
    ok(&mut owner, &event(1, "start", M_TH1));
    // The unit's supervisor directs it too, and finishes it with its result.
    ok(&mut sup, &step(1, "status = 'done', done_at = now(), result = '已揽收 120 件'", SUP_TH));
    assert_eq!(one::<String>(&mut sup, "SELECT status FROM service_request WHERE number = 'FW2026-000001'"), "done");
    // Done needs a result; the timeline and the request are never rewritten or deleted.
    ok(&mut owner, &service_request("FW2026-000003", C_TH1, M_TH1, "notified"));
    let no_result = conn_error(&mut owner, &step(3, "status = 'done', done_at = now()", M_TH1));
    assert_eq!(no_result.as_deref(), Some("23514"), "a done request without its result");
    refused(&mut sup, "UPDATE service_request_event SET note = '改'");
    refused(&mut sup, "DELETE FROM service_request_event");
    refused(&mut sup, "DELETE FROM service_request");
    // A request keeps its number, customer and receiver.
    refused(&mut sup, &step(3, &format!("customer_id = '{C_YX}'"), SUP_TH));
    refused(&mut sup, &step(3, &format!("received_by = {SUP_TH}"), SUP_TH));
    refused(&mut sup, &step(3, "number = 'FW2026-000099'", SUP_TH));
}

/// The SQLSTATE of a statement that must fail.
#[track_caller]
fn conn_error(conn: &mut PgConn, sql: &str) -> Option<String> {
    match conn.execute(sql, &[]) {
        Ok(n) => panic!("allowed ({n} rows): {sql}"),
        Err(e) => e.sql_state().map(str::to_string),
    }
}

#[test]
fn logins_are_made_by_administrators_for_members_of_staff() {
    let mut p = Province::new("logins");
    let groups = |conn: &mut PgConn, login: &str| -> Vec<String> {
        conn.query(
            &format!(
                "SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = '{login}' ORDER BY 1"
            ),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0).unwrap())
        .collect()
    };
    let m_th2 = format!("{}_m_th2", p.db);
    assert_eq!(groups(&mut p.owner, &m_th2), vec!["kam_manager"]);
    let can_login: bool = one(&mut p.owner, &format!("SELECT rolcanlogin FROM pg_roles WHERE rolname = '{m_th2}'"));
    assert!(can_login);

    // A new member of staff: the staff row, then the login, in one transaction.
    let mut admin = p.login("admin");
    let newcomer = format!("{}_newcomer", p.db);
    {
        let mut tx = admin.transaction().unwrap();
        tx.execute(
            &format!(
                "INSERT INTO staff (login, name, unit_id, role, updated_by, updated_at)
                 VALUES ('{newcomer}', '新人', {YUEXIU}, 'manager', {ADMIN}, now())"
            ),
            &[],
        )
        .unwrap();
        tx.execute(&format!("SELECT kam_create_login('{newcomer}', 'manager')"), &[]).unwrap();
        tx.commit().unwrap();
    }
    let mut newcomer_conn = p.login("newcomer");
    assert_eq!(one::<String>(&mut newcomer_conn, "SELECT name FROM kam_current_staff()"), "新人");

    // A role change: the administrator changes the registry, then the group.
    ok(&mut admin, &format!("UPDATE staff SET role = 'supervisor', updated_by = {ADMIN} WHERE id = {M_TH2}"));
    ok(&mut admin, &format!("SELECT kam_create_login('{m_th2}', 'supervisor')"));
    assert_eq!(groups(&mut p.owner, &m_th2), vec!["kam_supervisor"]);

    // Only for a member of staff with that role.
    for (login, role) in [(m_th2.as_str(), "admin"), ("nobody_here", "manager"), (m_th2.as_str(), "owner")] {
        let err = admin.execute(&format!("SELECT kam_create_login('{login}', '{role}')"), &[]).unwrap_err();
        assert_eq!(err.sql_state(), Some("22023"), "{login} as {role}: {err}");
    }
    // Never a way into a superuser or one of kam's own roles.
    p.owner
        .execute(
            &format!("INSERT INTO staff (login, name, unit_id, role) VALUES ('{SUPERUSER}', '超级', 1, 'admin')"),
            &[],
        )
        .unwrap();
    p.owner
        .execute("INSERT INTO staff (login, name, unit_id, role) VALUES ('kam_owner', '拥有者', 1, 'admin')", &[])
        .unwrap();
    for login in [SUPERUSER, "kam_owner"] {
        let msg = refused(&mut admin, &format!("SELECT kam_create_login('{login}', 'admin')"));
        assert!(msg.contains("is no plain login"), "{msg}");
    }
    // Nobody but an administrator makes logins.
    for who in ["m_th1", "sup_th", "leader"] {
        let mut conn = p.login(who);
        let msg = refused(&mut conn, &format!("SELECT kam_create_login('{m_th2}', 'supervisor')"));
        assert!(msg.contains("only an administrator creates logins"), "{who}: {msg}");
    }
}

/// `kam_rerate_customers` (migrations-pg/03-ledger-statuses) lets a writer
/// whose revenue entry opened a new ledger month re-rate the customers they
/// do not edit, in their own name: to the status the ledger gives under the
/// database's rules, and to nothing else.
#[test]
fn a_new_ledger_month_rerates_others_customers_only_as_the_ledger_says() {
    let mut p = Province::new("rerate");
    // Steady revenue June to October for 天河经理乙's customer, as the owner (an import).
    for month in 202606..=202610 {
        ok(&mut p.owner, &revenue(C_TH2, month, 10_000, SUP_TH));
    }
    let mut m = p.login("m_th1");
    let status = |m: &mut PgConn| one::<String>(m, &format!("SELECT status FROM customer WHERE id = '{C_TH2}'"));
    let rerate = |by: i64, rules: &str| format!("SELECT kam_rerate_customers('{C_TH2}', {by}, now(), {rules})");
    // October is the ledger month: the customer is normal, and re-rating changes nothing.
    assert_eq!(one::<i64>(&mut m, &rerate(M_TH1, "30, 3, 3")), 0);
    assert_eq!(status(&mut m), "normal");
    // Rules of the caller's choosing, or someone else's name: refused.
    let msg = refused(&mut m, &rerate(M_TH1, "0, 1, 1"));
    assert!(msg.contains("not the database's"), "{msg}");
    refused(&mut m, &rerate(M_TH2, "30, 3, 3"));
    refused(&mut p.login("leader"), &rerate(LEADER, "30, 3, 3"));
    // 天河经理甲 opens November with their own customer: the colleague's has
    // nothing in it, so the ledger says watch, in 天河经理甲's name.
    ok(&mut m, &revenue(C_TH1, 202611, 10_000, M_TH1));
    assert_eq!(one::<i64>(&mut m, &rerate(M_TH1, "30, 3, 3")), 1);
    assert_eq!(status(&mut m), "watch");
    let by: i64 = one(
        &mut m,
        &format!(
            "SELECT changed_by FROM history WHERE entity_id = '{C_TH2}' AND field = 'status' ORDER BY id DESC LIMIT 1"
        ),
    );
    assert_eq!(by, M_TH1);
    // The administrator's rules are the database's.
    ok(
        &mut p.login("admin"),
        &format!(
            "INSERT INTO setting (key, value, updated_by, updated_at) VALUES ('status_rules', '50,2,1', {ADMIN}, now())"
        ),
    );
    refused(&mut m, &rerate(M_TH1, "30, 3, 3"));
    assert_eq!(one::<i64>(&mut m, &rerate(M_TH1, "50, 2, 1")), 1, "one empty month is churned under 50,2,1");
    assert_eq!(status(&mut m), "churned");
}

/// The server's rating (`kam_ledger_status`) is `StatusRules::status`, for
/// every ledger of a few months drawn from a handful of amounts and for
/// several rules.
#[test]
fn the_servers_status_rating_is_the_rules_rating() {
    use kam::domain::money::Money;
    use kam::domain::revenue::StatusRules;
    let mut p = Province::new("rating");
    let values: [i64; 5] = [0, 100, 69, 70, -10];
    let rules = [
        StatusRules::default(),
        StatusRules { watch_fall_percent: 50, warning_decline_months: 2, churned_empty_months: 1 },
        StatusRules { watch_fall_percent: 0, warning_decline_months: 0, churned_empty_months: 0 },
        StatusRules { watch_fall_percent: 30, warning_decline_months: 1, churned_empty_months: 4 },
    ];
    let mut cases = Vec::new();
    for r in &rules {
        let count = values.len().pow(r.months_needed());
        let n = r.months_needed() as usize;
        for code in (0..count).step_by(7) {
            let mut k = code;
            let amounts: Vec<i64> = (0..n)
                .map(|_| {
                    let v = values[k % values.len()];
                    k /= values.len();
                    v
                })
                .collect();
            for earlier in [false, true] {
                cases.push((*r, amounts.clone(), earlier));
            }
        }
    }
    let mut sql = String::from("SELECT ARRAY[");
    for (i, (r, amounts, earlier)) in cases.iter().enumerate() {
        let list: Vec<String> = amounts.iter().map(i64::to_string).collect();
        sql.push_str(&format!(
            "{}kam_ledger_status(ARRAY[{}]::numeric[], {earlier}, {}, {}, {})",
            if i == 0 { "" } else { ", " },
            list.join(","),
            r.watch_fall_percent,
            r.warning_decline_months,
            r.churned_empty_months
        ));
    }
    sql.push_str("]::text[]");
    let server: Vec<String> = {
        let rows = p.owner.query(&format!("SELECT array_to_string(({sql}), ',')"), &[]).unwrap();
        rows[0].get::<String>(0).unwrap().split(',').map(str::to_string).collect()
    };
    assert!(cases.len() > 1000, "{} cases", cases.len());
    for ((r, amounts, earlier), server) in cases.iter().zip(&server) {
        let months: Vec<Money> = amounts.iter().map(|f| Money::from_fen(*f)).collect();
        let had_before = *earlier && months.iter().all(|m| m.to_fen() <= 0);
        assert_eq!(r.status(&months, had_before).code(), server, "{r:?} {amounts:?} earlier {earlier}");
    }
}

/// The analysis report (migrations-pg/06): written and submitted by whoever
/// decides for its unit, reopened by a supervisor of the unit or above only,
/// never moved to another unit or month, never deleted.
#[test]
fn analysis_reports_are_the_units_supervisors_and_reopened_by_them_only() {
    let p = Province::new("analysis_report");
    let draft = |unit: i64, by: i64| {
        format!(
            "INSERT INTO analysis_report (unit_id, kind, month, competition, created_by, created_at, updated_by, updated_at)
             VALUES ({unit}, 'monthly', 202610, '同业降价', {by}, now(), {by}, now())"
        )
    };
    for who in ["m_th1", "leader"] {
        refused(&mut p.login(who), &draft(TIANHE, if who == "leader" { LEADER } else { M_TH1 }));
    }
    let mut sup = p.login("sup_th");
    refused(&mut sup, &draft(YUEXIU, SUP_TH));
    assert_eq!(ok(&mut sup, &draft(TIANHE, SUP_TH)), 1);
    let by: i64 =
        one(&mut sup, "SELECT changed_by FROM history WHERE entity = 'analysis_report' AND field = 'competition'");
    assert_eq!(by, SUP_TH);
    // The city's supervisor decides for the units below the city.
    let mut city = p.login("city_sup");
    ok(
        &mut city,
        &format!("UPDATE analysis_report SET plan = '走访', updated_by = {CITY_SUP} WHERE unit_id = {TIANHE}"),
    );
    // Submitted in one's own name only.
    refused(
        &mut sup,
        &format!(
            "UPDATE analysis_report SET status = 'submitted', figures = '{{}}', submitted_by = {CITY_SUP},
                 submitted_at = now(), updated_by = {SUP_TH} WHERE unit_id = {TIANHE}"
        ),
    );
    ok(
        &mut sup,
        &format!(
            "UPDATE analysis_report SET status = 'submitted', figures = '{{}}', submitted_by = {SUP_TH},
                 submitted_at = now(), updated_by = {SUP_TH} WHERE unit_id = {TIANHE}"
        ),
    );
    // The administrator writes reports but does not reopen a submitted one.
    let reopen =
        |by: i64| format!("UPDATE analysis_report SET status = 'draft', updated_by = {by} WHERE unit_id = {TIANHE}");
    refused(&mut p.login("admin"), &reopen(ADMIN));
    refused(&mut p.login("m_th1"), &reopen(M_TH1));
    assert_eq!(ok(&mut sup, &reopen(SUP_TH)), 1);
    let status: String = one(&mut sup, &format!("SELECT status FROM analysis_report WHERE unit_id = {TIANHE}"));
    assert_eq!(status, "draft");
    // Never moved, never deleted.
    refused(&mut sup, &format!("UPDATE analysis_report SET unit_id = {YUEXIU}, updated_by = {SUP_TH}"));
    refused(&mut sup, "DELETE FROM analysis_report");
}

/// Issue 16: revenue known only for a period of months (未分月) is written as
/// the ledger is (by whoever edits the customer, in their own name, the
/// amount only, never deleted), and a unit's period total as its other
/// figures (by whoever decides for the unit).
#[test]
fn period_totals_follow_the_rules_of_the_ledger_and_of_the_units_figures() {
    let p = Province::new("period_totals");
    let mut m = p.login("m_th1");
    let total = |customer: &str, by: i64| {
        format!(
            "INSERT INTO revenue_period (customer_id, first_month, last_month, service_line_id, amount,
                 created_by, created_at, updated_by, updated_at)
             VALUES ('{customer}', 202501, 202510, 1, 100, {by}, now(), {by}, now())"
        )
    };
    ok(&mut m, &total(C_TH1, M_TH1));
    let msg = refused(&mut m, &total(C_TH2, M_TH1));
    assert!(msg.contains("row-level security"), "a unit colleague's customer: {msg}");
    refused(&mut m, &total(C_SHARED, M_TH2));
    ok(&mut m, &format!("UPDATE revenue_period SET amount = 200, updated_by = {M_TH1} WHERE customer_id = '{C_TH1}'"));
    let by: i64 = one(&mut m, "SELECT changed_by FROM history WHERE field LIKE 'revenue:202501-202510:%'");
    assert_eq!(by, M_TH1, "the change is in the history, in the writer's name");
    refused(&mut m, &format!("UPDATE revenue_period SET last_month = 202511, updated_by = {M_TH1}"));
    refused(&mut m, "DELETE FROM revenue_period");

    let unit_total = |unit: i64, first: i64, by: i64| {
        format!(
            "INSERT INTO unit_revenue_period (unit_id, first_month, last_month, amount, updated_by, updated_at)
             VALUES ({unit}, {first}, 202510, 100, {by}, now())"
        )
    };
    let mut sup = p.login("sup_th");
    ok(&mut sup, &unit_total(TIANHE, 202501, SUP_TH));
    refused(&mut sup, &unit_total(YUEXIU, 202501, SUP_TH));
    refused(&mut m, &unit_total(TIANHE, 202503, M_TH1));
    refused(&mut sup, "DELETE FROM unit_revenue_period");
    assert_eq!(one::<i64>(&mut m, "SELECT count(*) FROM history WHERE entity = 'unit_revenue_period'"), 1);
}

/// Volume and returned mail (migration 07-volume) as revenue: written by
/// those who edit the customer, in their own name, the customer and month
/// never moved, nothing deleted; the reason list is the administrators'.
#[test]
fn volume_and_returned_mail_are_written_by_those_who_edit_the_customer() {
    let p = Province::new("volume");
    let mut m = p.login("m_th1");
    let volume = |customer: &str, pieces: i64, by: i64| {
        format!(
            "INSERT INTO volume (customer_id, month, service_line_id, pieces, created_by, created_at, updated_by, \
             updated_at) VALUES ('{customer}', 202610, 1, {pieces}, {by}, now(), {by}, now())"
        )
    };
    let returns = |customer: &str, by: i64| {
        format!(
            "INSERT INTO returned_mail (customer_id, month, posted, returned, created_by, created_at, updated_by, \
             updated_at) VALUES ('{customer}', 202610, 500, 12, {by}, now(), {by}, now())"
        )
    };
    let reason = |customer: &str, by: i64| {
        format!(
            "INSERT INTO returned_mail_reason (customer_id, month, reason_id, pieces, created_by, created_at, \
             updated_by, updated_at) VALUES ('{customer}', 202610, 1, 5, {by}, now(), {by}, now())"
        )
    };
    ok(&mut m, &volume(C_TH1, 1200, M_TH1));
    ok(&mut m, &returns(C_TH1, M_TH1));
    ok(&mut m, &reason(C_TH1, M_TH1));
    // A colleague's customer, or in someone else's name: refused.
    for forbidden in [
        volume(C_TH2, 10, M_TH1),
        returns(C_TH2, M_TH1),
        reason(C_TH2, M_TH1),
        volume(C_SHARED, 10, M_TH2),
        format!("UPDATE volume SET month = 202609, updated_by = {M_TH1} WHERE customer_id = '{C_TH1}'"),
        format!(
            "UPDATE returned_mail SET customer_id = '{C_SHARED}', updated_by = {M_TH1} WHERE customer_id = '{C_TH1}'"
        ),
        format!(
            "INSERT INTO return_reason (code, name_zh, name_en, updated_by, updated_at) VALUES ('x', '破损', 'x', {M_TH1}, now())"
        ),
        "DELETE FROM volume".to_string(),
        "DELETE FROM returned_mail_reason".to_string(),
    ] {
        refused(&mut m, &forbidden);
    }
    // A change of a count is in the history, in the writer's name.
    ok(&mut m, &format!("UPDATE volume SET pieces = 1500, updated_by = {M_TH1} WHERE customer_id = '{C_TH1}'"));
    let (by, old, new): (i64, String, String) = {
        let by = one(&mut m, "SELECT changed_by FROM history WHERE entity = 'volume'");
        let old = one(&mut m, "SELECT old_value FROM history WHERE entity = 'volume'");
        let new = one(&mut m, "SELECT new_value FROM history WHERE entity = 'volume'");
        (by, old, new)
    };
    assert_eq!((by, old.as_str(), new.as_str()), (M_TH1, "1200", "1500"));
    // The reason list is the administrators'.
    let mut admin = p.login("admin");
    ok(
        &mut admin,
        &format!(
            "INSERT INTO return_reason (code, name_zh, name_en, updated_by, updated_at) VALUES ('damaged', '破损', 'Damaged', {ADMIN}, now())"
        ),
    );
    assert_eq!(one::<i64>(&mut m, "SELECT count(*) FROM return_reason"), 6);
}

/// Issue 17 (migrations-pg/10-log-import): a log entry written on paper by
/// one manager is entered by another person in the author's name only by
/// whoever decides for the customer's unit (a supervisor of it or of a unit
/// above it, the administrator); the row and the history name the one who
/// entered it. A manager writes entries in their own name only, and nobody
/// enters in another's name without being named as the one who entered it.
#[test]
fn log_entries_in_anothers_name_are_entered_by_those_who_decide_for_the_unit() {
    let p = Province::new("log_import");
    let entry = |customer: &str, author: i64, by: i64, text: &str| {
        format!(
            "INSERT INTO marketing_log (customer_id, logged_on, method, stage, content, author_id, created_by,
                 created_at, updated_by, updated_at)
             VALUES ('{customer}', current_date - 30, 'visit', 'quotation', '{text}', {author}, {by}, now(), {by}, now())"
        )
    };
    // A manager: their own only, even about their own customer.
    let mut m = p.login("m_th1");
    ok(&mut m, &entry(C_TH1, M_TH1, M_TH1, "本人"));
    let msg = refused(&mut m, &entry(C_TH1, M_TH2, M_TH1, "代同事"));
    assert!(
        msg.contains(&format!("must name you (staff {M_TH1}), not {M_TH2}"))
            && msg.contains("only a supervisor of 天河区大客户中心 or a unit above it"),
        "{msg}"
    );
    // The unit's supervisor enters the unit's managers' entries, as the one who entered them.
    let mut sup = p.login("sup_th");
    ok(&mut sup, &entry(C_TH1, M_TH1, SUP_TH, "补录"));
    let (author, by): (i64, i64) = (
        one(&mut sup, "SELECT author_id FROM marketing_log WHERE content = '补录'"),
        one(&mut sup, "SELECT created_by FROM marketing_log WHERE content = '补录'"),
    );
    assert_eq!((author, by), (M_TH1, SUP_TH));
    let actor: i64 = one(
        &mut sup,
        "SELECT changed_by FROM history WHERE entity = 'marketing_log' AND entity_id =
             (SELECT id::text FROM marketing_log WHERE content = '补录') AND action = 'create'",
    );
    assert_eq!(actor, SUP_TH, "the history names who entered it");
    // … never in the author's name as the one who entered it, and not for another unit.
    refused(&mut sup, &entry(C_TH1, M_TH1, M_TH1, "冒名"));
    let msg = refused(&mut sup, &entry(C_YX, M_YX, SUP_TH, "越秀的"));
    assert!(msg.contains("only a supervisor of 越秀区大客户中心 or a unit above it"), "{msg}");
    // The city's supervisor decides for the districts below; the administrator for all.
    let mut city = p.login("city_sup");
    ok(&mut city, &entry(C_YX, M_YX, CITY_SUP, "市中心补录"));
    let mut admin = p.login("admin");
    ok(&mut admin, &entry(C_TH2, M_TH2, ADMIN, "管理员补录"));
    // The author never changes afterwards.
    refused(
        &mut sup,
        &format!("UPDATE marketing_log SET author_id = {M_TH2}, updated_by = {SUP_TH} WHERE content = '补录'"),
    );
    // The author reads the supervisors' comments on an entry entered for them.
    ok(
        &mut sup,
        &format!(
            "INSERT INTO log_comment (log_id, author_id, comment, created_at)
             SELECT id, {SUP_TH}, '请跟进', now() FROM marketing_log WHERE content = '补录'"
        ),
    );
    assert_eq!(ok(&mut m, "UPDATE log_comment SET seen_at = now() WHERE comment = '请跟进'"), 1);
    assert_eq!(one::<i64>(&mut m, "SELECT count(*) FROM marketing_log"), 4);
}

/// Issue 17: the goal indicators' yearly targets are read by everyone and
/// set by whoever decides for the unit (a supervisor of it or of a unit
/// above it, the administrator), in their own name, never deleted, never
/// moved to another unit, year or indicator.
#[test]
fn goal_targets_are_set_by_those_who_decide_for_the_unit() {
    let p = Province::new("goal_target");
    let set = |unit: i64, by: i64, target: &str| {
        format!(
            "INSERT INTO goal_target (unit_id, year, indicator, target, set_by, set_at)
             VALUES ({unit}, 2026, 'retention-rate', '{target}', {by}, now())"
        )
    };
    for (who, id) in [("m_th1", M_TH1), ("leader", LEADER)] {
        refused(&mut p.login(who), &set(TIANHE, id, "0.9"));
    }
    let mut sup = p.login("sup_th");
    refused(&mut sup, &set(YUEXIU, SUP_TH, "0.9"));
    refused(&mut sup, &set(TIANHE, CITY_SUP, "0.9"));
    assert_eq!(ok(&mut sup, &set(TIANHE, SUP_TH, "0.9")), 1);
    // The city's supervisor and the administrator decide for the units below.
    let update = |by: i64, target: &str| {
        format!(
            "UPDATE goal_target SET target = '{target}', set_by = {by}, version = version + 1 WHERE unit_id = {TIANHE}"
        )
    };
    assert_eq!(ok(&mut p.login("city_sup"), &update(CITY_SUP, "0.92")), 1);
    assert_eq!(ok(&mut p.login("admin"), &set(YUEXIU, ADMIN, "0.8")), 1);
    // Others read it, and change nothing.
    let mut manager = p.login("m_th1");
    let target: String = one(&mut manager, &format!("SELECT target FROM goal_target WHERE unit_id = {TIANHE}"));
    assert_eq!(target, "0.92");
    refused(&mut manager, &update(M_TH1, "0.5"));
    let history: i64 = one(&mut manager, "SELECT count(*) FROM history WHERE entity = 'goal_target'");
    assert_eq!(history, 3, "two settings and a change");
    let by: i64 = one(
        &mut sup,
        "SELECT changed_by FROM history WHERE entity = 'goal_target' AND action = 'update' AND new_value = '0.92'",
    );
    assert_eq!(by, CITY_SUP);
    refused(&mut sup, &format!("UPDATE goal_target SET year = 2027, set_by = {SUP_TH} WHERE unit_id = {TIANHE}"));
    refused(&mut sup, "DELETE FROM goal_target");
}
