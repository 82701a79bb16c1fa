//! Shared fixtures for the storage tests: a database in its own temporary
//! directory, a small seeded organisation, actors with a fixed clock and a
//! builder for valid new customers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use tempfile::TempDir;

use kam::db::customers::NewCustomer;
use kam::db::reference::{self, NewStaff};
use kam::db::{Actor, Location, Store};
use kam::domain::dossier::FieldValue;
use kam::domain::id::{CustomerId, DivisionCode};
use kam::domain::money::Money;
use kam::domain::staff::{Role, Staff};

/// The division the seeded unit serves: Guangzhou Tianhe.
pub const DIVISION: &str = "440106";

/// "Now" for every actor unless a test says otherwise: 2026-11-23 09:00.
pub fn fixed_now() -> NaiveDateTime {
    at(2026, 11, 23, 9, 0)
}

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).expect("valid time")
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// An actor stamping at [`fixed_now`].
pub fn actor(staff: &Staff) -> Actor {
    actor_at(staff, fixed_now())
}

pub fn actor_at(staff: &Staff, at: NaiveDateTime) -> Actor {
    Actor { staff: staff.clone(), at }
}

/// A fresh database that lives as long as this value: a file in a temporary
/// directory, or with `KAM_TEST_ENGINE=postgres` a database of its own on
/// the run's throwaway PostgreSQL cluster (the same storage tests on both
/// engines: see README, Tests).
pub struct TestDb {
    // Declared first so the store's connection closes before the directory goes.
    pub store: Store,
    /// The file (on PostgreSQL, a path in `dir` nothing is written to).
    pub path: PathBuf,
    pub location: Location,
    pub dir: TempDir,
}

/// The engine the storage tests run on this time.
pub fn on_postgres() -> bool {
    match std::env::var("KAM_TEST_ENGINE").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("KAM_TEST_ENGINE={other}: sqlite or postgres"),
    }
}

impl TestDb {
    pub fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kam.db");
        let location =
            if on_postgres() { Location::Server(fresh_server_database()) } else { Location::File(path.clone()) };
        let store = Store::open_or_create_at(&location, kam::db::DbKind::Real).expect("open a fresh database");
        TestDb { store, path, location, dir }
    }

    /// A second, independent connection to the same database.
    pub fn reopen(&self) -> Store {
        Store::open_existing_at(&self.location).expect("open the same database again")
    }

    pub fn conn(&self) -> &kam::db::Conn {
        self.store.conn()
    }

    /// `SELECT count(*)` of a table, optionally with a WHERE clause.
    pub fn count(&self, table_and_where: &str) -> i64 {
        count(self.store.conn(), table_and_where)
    }
}

/// What a history row's time must read as on the engine under test, for a
/// write whose actor stamped `actor_stamp` (a time of record,
/// `2026-11-23 09:00:00+08:00`, or as shown, without the offset). Compare it
/// with what was read through [`read_history_time`].
///
/// On SQLite history takes the writer's stamp: exactly `actor_stamp`. On
/// PostgreSQL the triggers stamp the server's clock (`now()`: users cannot
/// forge history times), so the time read must be a time within the last
/// few minutes of the real clock, and so not the actor's fixed time: both
/// sides then read as a marker of the server's clock, keeping the form
/// (offset or none) of the stamp.
pub fn history_time(actor_stamp: &str) -> String {
    if !on_postgres() {
        return actor_stamp.to_string();
    }
    assert!(!is_server_now(actor_stamp), "the actor's stamp {actor_stamp} must differ from the server's clock");
    server_clock(actor_stamp)
}

/// A history time as read (stored, or as shown), for comparing with
/// [`history_time`]: as it is on SQLite; on PostgreSQL, checked to be the
/// server's clock now (the last few minutes), then read as its marker.
pub fn read_history_time(read: String) -> String {
    if !on_postgres() {
        return read;
    }
    assert!(is_server_now(&read), "a history time on PostgreSQL is the server's clock at the write, not {read}");
    server_clock(&read)
}

/// `stamp` with its date and time replaced by a marker, its offset kept.
fn server_clock(stamp: &str) -> String {
    format!("<the server's clock>{}", stamp.get("2026-11-23 09:00:00".len()..).unwrap_or_default())
}

/// A time (with its offset or in the bureau's zone) of the last few minutes.
fn is_server_now(stamp: &str) -> bool {
    let Some(at) = kam::time::civil(stamp) else { return false };
    let now = kam::time::now();
    at <= now + chrono::Duration::seconds(2) && at >= now - chrono::Duration::minutes(10)
}

/// The schema version the engine under test reports: one per schema step
/// (`STEPS` in `src/db/store.rs` for a file, `migrations-pg/` on a server).
pub fn schema_version() -> i64 {
    if !on_postgres() {
        return kam::db::schema_version();
    }
    let steps = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations-pg"))
        .expect("migrations-pg")
        .filter(|entry| entry.as_ref().is_ok_and(|e| e.path().join("up.sql").is_file()))
        .count();
    i64::try_from(steps).expect("a small count")
}

pub fn count(conn: &impl kam::db::sql::Sql, table_and_where: &str) -> i64 {
    use kam::db::sql::args;
    conn.row(&format!("SELECT count(*) FROM {table_and_where}"), args![], |r| r.get(0))
        .unwrap_or_else(|e| panic!("count {table_and_where}: {e}"))
}

/// The seeded organisation: one unit and four people in it.
pub struct Org {
    pub unit: i64,
    pub manager: Staff,
    pub manager2: Staff,
    pub supervisor: Staff,
    pub leader: Staff,
}

/// A database with [`Org`] seeded through the reference functions.
pub struct Seeded {
    pub db: TestDb,
    pub org: Org,
}

impl Seeded {
    pub fn new() -> Seeded {
        let mut db = TestDb::new();
        let org = seed_org(&mut db.store);
        Seeded { db, org }
    }
    pub fn store(&mut self) -> &mut Store {
        &mut self.db.store
    }
    pub fn conn(&self) -> &kam::db::Conn {
        self.db.store.conn()
    }
    /// Enters `unit`'s yearly revenue (yuan) for 2026 as the supervisor: the U of the tier shares.
    pub fn set_unit_revenue(&mut self, unit: i64, amount: &str) {
        let sup = actor(&self.org.supervisor);
        kam::db::revenue::set_unit_revenue(&mut self.db.store, &sup, unit, 2026, None, yuan(amount))
            .expect("unit revenue");
    }
}

/// Inserts unit 440106 and a manager, a second manager, a supervisor and a leader.
pub fn seed_org(store: &mut Store) -> Org {
    store
        .write(|tx| {
            let unit = reference::insert_unit(tx, "440106", "天河区分公司大客户中心", "county", None, DIVISION)?;
            let person = |login: &str, name: &str, role: Role| -> Result<Staff, kam::db::DbError> {
                let id = reference::insert_staff(
                    tx,
                    &NewStaff { login: Some(login), name, unit_id: unit, role, phone: Some("13800000000") },
                )?;
                Ok(Staff { id, login: Some(login.to_string()), name: name.to_string(), unit_id: unit, role })
            };
            Ok(Org {
                unit,
                manager: person("zhangwei", "张伟", Role::Manager)?,
                manager2: person("lina", "李娜", Role::Manager)?,
                supervisor: person("wangfang", "王芳", Role::Supervisor)?,
                leader: person("liuqiang", "刘强", Role::Leader)?,
            })
        })
        .expect("seed the organisation")
}

/// Adds another unit (in another division) for tests that need two.
pub fn add_unit(store: &mut Store, code: &str, division: &str) -> i64 {
    store
        .write(|tx| reference::insert_unit(tx, code, &format!("单位{code}"), "county", None, division))
        .expect("insert a unit")
}

pub fn yuan(text: &str) -> Money {
    Money(Decimal::from_str(text).expect("decimal literal"))
}

pub fn text(s: &str) -> FieldValue {
    FieldValue::Text(s.to_string())
}

/// A valid new customer in division 440106: short and full name, commercial,
/// target stage, the given unit and account manager A.
pub fn new_customer(short_name: &str, full_name: &str, unit_id: i64, owner_a: i64) -> NewCustomer {
    let mut values: BTreeMap<&'static str, FieldValue> = BTreeMap::new();
    values.insert("short_name", text(short_name));
    values.insert("full_name", text(full_name));
    values.insert("kind", text("commercial"));
    values.insert("stage", text("target"));
    values.insert("unit_id", FieldValue::Int(unit_id));
    values.insert("owner_a", FieldValue::Int(owner_a));
    NewCustomer {
        division: DivisionCode::parse(DIVISION).expect("division"),
        headquarters: None,
        values,
        reason: "本单位首先接触并签订意向协议".to_string(),
    }
}

/// Optional parts of a new customer, chained onto [`new_customer`].
pub trait NewCustomerExt: Sized {
    fn with(self, key: &'static str, value: FieldValue) -> Self;
    fn in_division(self, division: &str) -> Self;
    fn branch_of(self, headquarters: &CustomerId) -> Self;
    /// The estimated annual revenue X in yuan (what tiers read while the ledger is empty).
    fn revenue(self, annual: &str) -> Self {
        self.with("annual_revenue", FieldValue::Money(yuan(annual)))
    }
}

impl NewCustomerExt for NewCustomer {
    fn with(mut self, key: &'static str, value: FieldValue) -> Self {
        self.values.insert(key, value);
        self
    }
    fn in_division(mut self, division: &str) -> Self {
        self.division = DivisionCode::parse(division).expect("division");
        self
    }
    fn branch_of(mut self, headquarters: &CustomerId) -> Self {
        self.headquarters = Some(headquarters.clone());
        self
    }
}

pub fn cid(text: &str) -> CustomerId {
    CustomerId::parse(text).expect("customer id")
}

/// Unix permission bits of a file.
#[cfg(unix)]
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

/// What could act on a terminal or reorder / hide text: C0 and C1 controls and
/// DEL, bidi embeddings, overrides, isolates and marks, zero-width and other
/// invisible format characters (soft hyphen, invisible operators, tags), the
/// byte-order mark, line and paragraph separators.
pub fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// A new database on the test cluster with kam's schema, as its superuser's
/// URL: copied from a template made once per run (the schema takes a second
/// to build, a copy a few milliseconds).
pub fn fresh_server_database() -> String {
    use std::sync::OnceLock;
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    let cluster = crate::pg_cluster::cluster();
    let template = TEMPLATE.get_or_init(|| {
        let name = cluster.fresh_database("template");
        let url = cluster.url(&name, crate::pg_cluster::SUPERUSER);
        drop(Store::open_existing_at(&Location::Server(url)).expect("kam's schema on the test cluster"));
        name
    });
    let name = cluster.fresh_database_from(template, "storage");
    cluster.url(&name, crate::pg_cluster::SUPERUSER)
}
