//! The store on a PostgreSQL server as a province sets it up: `kam init`'s
//! founding as a superuser, `kam staff add` making the person's own login
//! role in their kam role's group, and that person, connecting as that role,
//! being who kam says they are.

use kam::db::reference::{self, NewStaff};
use kam::db::setup::{self, Founding};
use kam::db::sql::{Sql, args};
use kam::db::{Actor, Location, Store};
use kam::domain::org::UnitLevel;
use kam::domain::staff::{Role, Staff};

use crate::pg_cluster::{SUPERUSER, cluster};

fn founded() -> (String, Store, Staff) {
    let cluster = cluster();
    let name = cluster.fresh_database("pg_store");
    let url = cluster.url(&name, SUPERUSER);
    let mut store = Store::open_existing_at(&Location::Server(url)).expect("the schema, as a superuser");
    let founding = Founding {
        unit_code: "GD",
        unit_name: "广东省邮政分公司大客户中心",
        level: UnitLevel::Province,
        division: "440000",
        login: "wangfang",
        admin_name: "王芳",
        stamp: "2026-12-06 09:00:00+08:00",
    };
    let (unit, admin) = setup::found_office(&mut store, &founding).expect("found the province");
    let admin =
        Staff { id: admin, login: Some("wangfang".into()), name: "王芳".into(), unit_id: unit, role: Role::Admin };
    (name, store, admin)
}

fn groups_of(store: &Store, login: &str) -> Vec<String> {
    store
        .conn()
        .rows(
            "SELECT g.rolname::text FROM pg_roles u JOIN pg_auth_members m ON m.member = u.oid \
             JOIN pg_roles g ON g.oid = m.roleid WHERE u.rolname = ?1 ORDER BY 1",
            args![login],
            |r| r.get(0),
        )
        .expect("the login's groups")
}

#[test]
fn founding_and_staff_add_make_login_roles_and_the_login_is_the_person() {
    let (database, mut store, admin) = founded();
    assert_eq!(groups_of(&store, "wangfang"), ["kam_admin"], "the founding administrator's login");
    let actor = Actor { staff: admin.clone(), at: kam::time::now() };
    let new =
        NewStaff { login: Some("zhangwei"), name: "张伟", unit_id: admin.unit_id, role: Role::Manager, phone: None };
    reference::add_staff(&mut store, &actor, &new).expect("kam staff add");
    assert_eq!(groups_of(&store, "zhangwei"), ["kam_manager"]);

    // Connecting as that role, the session is that member of staff, and no
    // flag makes it anyone else.
    let url = cluster().url(&database, "zhangwei");
    let manager = Store::open_existing_at(&Location::Server(url)).expect("zhangwei connects");
    let account = manager.server_account().expect("the session's login").expect("a server");
    assert_eq!(account.login, "zhangwei");
    assert_ne!(account.uid, 0, "not a superuser: may not act for others");
    let asked = Some(kam::identity::Asked::Flag("wangfang".into()));
    assert!(
        kam::identity::decide(manager.kind(), &account, manager.owner(), asked).is_err(),
        "--user on a server is refused to an ordinary login"
    );
    let me = reference::staff_by_login(manager.conn(), &account.login).expect("read").expect("a member of staff");
    assert_eq!((me.name.as_str(), me.role), ("张伟", Role::Manager));
}

#[test]
fn an_ordinary_login_cannot_bring_the_schema_up_and_is_told_who_can() {
    let cluster = cluster();
    let name = cluster.fresh_database("pg_store_empty");
    // A login role that exists but is no superuser, on a database without kam's schema.
    let mut su = cluster.connect(&name);
    su.batch("CREATE ROLE lina LOGIN").unwrap_or_else(|e| panic!("create lina: {e}"));
    let err =
        Store::open_existing_at(&Location::Server(cluster.url(&name, "lina"))).err().expect("refused").to_string();
    assert!(err.contains("version 0") && err.contains("kam init"), "{err}");
}

#[test]
fn kam_check_on_a_server_finds_a_history_row_changed_behind_the_triggers() {
    let (_, store, _) = founded();
    let before = kam::db::check::check(store.conn()).expect("check");
    assert!(before.chain.ok() && before.chain.rows > 0, "{:?}", before.chain);
    store
        .conn()
        .exec_batch(
            "ALTER TABLE history DISABLE TRIGGER history_no_update;
             UPDATE history SET new_value = '改过' WHERE id = (SELECT min(id) FROM history);
             ALTER TABLE history ENABLE TRIGGER history_no_update;",
        )
        .expect("a superuser goes behind the triggers");
    let after = kam::db::check::check(store.conn()).expect("check");
    assert_eq!(after.chain.broken.len(), 1, "{:?}", after.chain);
}
