//! Shared by the load and fault tests: starting this test binary again as a
//! child process, a small deterministic random source, the worker of the load
//! test (one account manager, supervisor or leader at work) and the log it keeps.
#![allow(dead_code)]

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{Duration as Span, Local, NaiveDateTime};

use kam::db::complaints::{self, ComplaintFilter, NewComplaint, StepDetails};
use kam::db::customers::{self, CustomerFilter, CustomerQuery};
use kam::db::marketing::{self, LogFilter, NewLogEntry};
use kam::db::visits::{self, NewVisit, Outcome, VisitScope};
use kam::db::{Actor, DbError, Location, Store, history, reference};
use kam::domain::complaint::{Category, Channel, Locality, Severity, allowed_transitions};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::marketing_log::{DealStage, Method};
use kam::domain::staff::{Role, Staff};
use kam::domain::tier::TierPreset;
use kam::domain::visit::{ParticipantRole, VisitKind};
use kam::search::normalize_query;

/// The field every editor of a hot customer writes: their edits collide.
pub const SHARED_FIELD: &str = "potential";

/// This test binary run again as a child, running only the (ignored) test `name`.
pub fn self_command(name: &str) -> Command {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", name, "--ignored", "--nocapture", "--test-threads=1", "--quiet"]);
    cmd
}

/// SplitMix64: enough randomness to vary the work, the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).expect("below n, a usize")
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One operation a worker did: what, on which record, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rec {
    pub worker: usize,
    /// read, visit_plan, visit_done, log, complaint_file, complaint_step, own_edit, hot_edit
    pub op: String,
    /// The customer, complaint or visit the operation is about.
    pub key: String,
    /// The dossier field written, or the complaint's step as `transition>new state`.
    pub field: String,
    /// The unique marker written (a complaint step's note).
    pub value: String,
    /// The version the edit started from (-1 when not versioned).
    pub base: i64,
    /// The version after a successful edit, or the current one a conflict reported.
    pub result: i64,
    pub micros: u64,
    /// ok, conflict, busy or error:…
    pub outcome: String,
}

impl Rec {
    pub fn line(&self) -> String {
        let clean = |s: &str| s.replace(['\t', '\n'], " ");
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.worker,
            self.op,
            clean(&self.key),
            clean(&self.field),
            clean(&self.value),
            self.base,
            self.result,
            self.micros,
            clean(&self.outcome)
        )
    }
    pub fn parse(line: &str) -> Rec {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 9, "a log line has nine fields: {line:?}");
        Rec {
            worker: f[0].parse().unwrap(),
            op: f[1].into(),
            key: f[2].into(),
            field: f[3].into(),
            value: f[4].into(),
            base: f[5].parse().unwrap(),
            result: f[6].parse().unwrap(),
            micros: f[7].parse().unwrap(),
            outcome: f[8].into(),
        }
    }
    pub fn ok(&self) -> bool {
        self.outcome == "ok"
    }
    pub fn is_write(&self) -> bool {
        self.op != "read"
    }
}

/// The quantile of sorted values at `per_mille` (0..=1000), nearest rank.
pub fn quantile(sorted: &[u64], per_mille: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) * per_mille + 500) / 1000]
}

/// The people of one generation of the load test's cast: twelve account
/// managers, two supervisors, the customer administrator and a leader.
pub const CAST: usize = 16;

/// The hot customers of one generation: each pair of its managers shares one.
pub const PAIRS: usize = 6;

/// The login worker `worker` works as. The first sixteen are the demo's
/// people: twelve account managers, two supervisors, the customer
/// administrator and a leader (who only reads). More workers bring more
/// generations of colleagues, each one of the demo's people's twin in the
/// same unit and role (`jingli01g2`, `zhuguang3`, …: see `load::cast`), so
/// that every worker is a person of their own.
pub fn login_of(worker: usize) -> String {
    let demo = match worker % CAST {
        slot @ 0..=11 => format!("jingli{:02}", slot + 1),
        12 => "zhuguan".into(),
        13 => "zhuguan2".into(),
        14 => "guanli".into(),
        _ => "lingdao".into(),
    };
    match worker / CAST {
        0 => demo,
        generation => format!("{demo}g{}", generation + 1),
    }
}

/// The hot customer (its index among all generations') account manager
/// `worker` shares with one colleague of their generation, and the field only
/// they write on it (the shared field is written by everyone).
pub fn hot_share(worker: usize) -> Option<(usize, &'static str)> {
    let slot = worker % CAST;
    let field = if slot.is_multiple_of(2) { "contact_name" } else { "short_name" };
    (slot < 2 * PAIRS).then_some(((worker / CAST) * PAIRS + slot / 2, field))
}

/// One member of staff working as fast as the file lets them.
pub struct Worker {
    pub index: usize,
    store: Store,
    me: Staff,
    /// Their own customers outside the hot ones.
    own: Vec<CustomerId>,
    /// The hot customers they may edit.
    hot: Vec<CustomerId>,
    rng: Rng,
    seq: u32,
    pub recs: Vec<Rec>,
}

fn now() -> NaiveDateTime {
    Local::now().naive_local()
}

fn outcome_of<T>(r: &Result<T, DbError>) -> (String, i64) {
    match r {
        Ok(_) => ("ok".into(), -1),
        Err(DbError::Conflict(c)) => ("conflict".into(), c.current_version),
        Err(e) if e.is_busy() => ("busy".into(), -1),
        Err(e) => (format!("error:{e}"), -1),
    }
}

impl Worker {
    /// Worker `index` on the database at `db` (a file or a server's), working
    /// as [`login_of`]`(index)` as anyone may on a demo; `hot` are the hot
    /// customers of every generation, in [`hot_share`]'s order.
    pub fn open(index: usize, db: &Location, hot: &[String]) -> Worker {
        let store = Store::open_existing_at(db).expect("the worker opens the database");
        let hot: Vec<CustomerId> = hot.iter().map(|id| CustomerId::parse(id).expect("a hot customer ID")).collect();
        let me = reference::staff_by_login(store.conn(), &login_of(index)).unwrap().expect("a demo login");
        let mine = CustomerFilter { owner: Some(me.id), ..CustomerFilter::default() };
        let q = CustomerQuery { filter: mine, ..CustomerQuery::default() };
        let own = customers::page(store.conn(), &q, 0, 1000)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .filter(|id| !hot.contains(id))
            .collect();
        let hot = match (me.role, hot_share(index)) {
            (Role::Manager, Some((k, _))) => vec![hot[k].clone()],
            (Role::Supervisor | Role::Admin, _) => hot.to_vec(),
            _ => Vec::new(),
        };
        Worker { index, store, me, own, hot, rng: Rng::new(index as u64 + 1), seq: 0, recs: Vec::new() }
    }

    fn actor(&self) -> Actor {
        Actor { staff: self.me.clone(), at: now() }
    }

    fn marker(&mut self) -> String {
        self.seq += 1;
        format!("load-{:02}-{:06}", self.index, self.seq)
    }

    /// Logs one operation: `[op, key, field, value]`, the version it started from, when it started, how it ended.
    fn rec(&mut self, what: [&str; 4], base: i64, t: Instant, out: (String, i64)) {
        let micros = u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX);
        let [op, key, field, value] = what.map(String::from);
        self.recs.push(Rec { worker: self.index, op, key, field, value, base, result: out.1, micros, outcome: out.0 });
    }

    /// Works until `until`: a weighted mix of the day's writes, and reading in between.
    pub fn run(&mut self, until: Instant) {
        while Instant::now() < until {
            let roll = self.rng.below(20);
            match self.me.role {
                Role::Manager => match roll {
                    0..=2 => self.visit(),
                    3..=4 => self.log(),
                    5 => self.complaint(),
                    6..=7 => self.own_edit(),
                    8..=10 => self.hot_edit(),
                    _ => self.browse(),
                },
                Role::Supervisor | Role::Admin => match roll {
                    0..=4 => self.hot_edit(),
                    5..=7 => self.complaint_step(),
                    8 => self.log(),
                    _ => self.browse(),
                },
                Role::Leader => self.browse(),
            }
        }
    }

    fn own_customer(&mut self) -> CustomerId {
        let own = if self.own.is_empty() { &self.hot } else { &self.own };
        self.rng.pick(own).clone()
    }

    fn visit(&mut self) {
        let (customer, purpose) = (self.own_customer(), self.marker());
        let new = NewVisit {
            customer_id: customer,
            kind: VisitKind::Phone,
            planned_at: now(),
            duration_min: 30,
            owner_id: self.me.id,
            purpose: purpose.clone(),
            staff: vec![(self.me.id, ParticipantRole::AccountManager)],
            persons: Vec::new(),
            follows_id: None,
        };
        let (actor, t) = (self.actor(), Instant::now());
        let planned = visits::plan(&mut self.store, &actor, &new);
        self.rec(["visit_plan", &purpose, "", &purpose], -1, t, outcome_of(&planned));
        let Ok(id) = planned else { return };
        let base = visits::load(self.store.conn(), id).unwrap();
        let outcome = Outcome { business: format!("{purpose} 谈妥"), ..Outcome::default() };
        let (actor, t) = (self.actor(), Instant::now());
        let done = visits::record_done(&mut self.store, &actor, &base, &outcome);
        self.rec(["visit_done", &purpose, "", &purpose], base.version, t, outcome_of(&done));
    }

    fn log(&mut self) {
        let customer =
            if self.me.role == Role::Manager { self.own_customer() } else { self.rng.pick(&self.hot).clone() };
        let content = self.marker();
        let e = NewLogEntry {
            customer_id: customer.clone(),
            logged_on: now().date(),
            method: Method::Phone,
            stage: DealStage::ProposalNegotiation,
            content: content.clone(),
            needs: "月结帐单寄递".into(),
            cooperation: String::new(),
            satisfaction: None,
            next_step: String::new(),
            next_due: None,
            our_people: String::new(),
            their_people: String::new(),
            visit_id: None,
        };
        let (actor, t) = (self.actor(), Instant::now());
        let r = marketing::write(&mut self.store, &actor, &e);
        self.rec(["log", customer.as_str(), "", &content], -1, t, outcome_of(&r));
    }

    fn complaint(&mut self) {
        let (customer, description) = (self.own_customer(), self.marker());
        let c = NewComplaint {
            customer_id: customer.clone(),
            received_at: now(),
            channel: Channel::Hotline,
            complainant: "陈先生".into(),
            contact: "13900001111".into(),
            category: Category::Delay,
            description: description.clone(),
            severity: Severity::Normal,
            locality: Locality::City,
            department: "投递部".into(),
        };
        let (actor, t) = (self.actor(), Instant::now());
        let r = complaints::file(&mut self.store, &actor, &c);
        self.rec(["complaint_file", customer.as_str(), "", &description], -1, t, outcome_of(&r));
    }

    /// A supervisor takes the next step on an open complaint of their unit (the
    /// ones they answer for), from the list as it was read.
    fn complaint_step(&mut self) {
        let open = ComplaintFilter { open_only: true, unit: Some(self.me.unit_id), ..ComplaintFilter::default() };
        let list = complaints::list(self.store.conn(), &open, now(), 40).unwrap();
        if list.is_empty() {
            return self.browse();
        }
        let base = self.rng.pick(&list).clone();
        let steps = allowed_transitions(base.state, &base.facts());
        if steps.is_empty() {
            return self.browse();
        }
        let step = *self.rng.pick(&steps);
        let note = self.marker();
        let d = StepDetails {
            note: note.clone(),
            handler: Some(self.me.id),
            result: "已加急投递".into(),
            follow_up: false,
        };
        let (actor, t) = (self.actor(), Instant::now());
        let r = complaints::step(&mut self.store, &actor, &base, step, &d);
        let to = r.as_ref().map(|s| s.code()).unwrap_or("-");
        let field = format!("{}>{to}", step.code());
        self.rec(["complaint_step", &base.id.to_string(), &field, &note], base.version, t, outcome_of(&r));
    }

    /// An edit of one of their own customers: nobody else writes it.
    fn own_edit(&mut self) {
        let (customer, value) = (self.own_customer(), self.marker());
        self.edit("own_edit", &customer, "address", &value, Duration::ZERO);
    }

    /// An edit of a customer others edit at the same moment, after a short look
    /// at the form: the shared field, or the one only this manager writes.
    fn hot_edit(&mut self) {
        if self.hot.is_empty() {
            return self.browse();
        }
        let customer = self.rng.pick(&self.hot).clone();
        let field = match hot_share(self.index) {
            Some((_, mine)) if self.rng.below(2) == 0 => mine,
            _ => SHARED_FIELD,
        };
        let value = self.marker();
        let think = Duration::from_micros(self.rng.below(4000) as u64);
        self.edit("hot_edit", &customer, field, &value, think);
    }

    fn edit(&mut self, op: &str, customer: &CustomerId, field: &'static str, value: &str, think: Duration) {
        let base = customers::load(self.store.conn(), customer).unwrap();
        std::thread::sleep(think);
        let changes = [(field, FieldValue::Text(value.to_string()))];
        let (actor, t) = (self.actor(), Instant::now());
        let r = customers::update(&mut self.store, &actor, &base, &changes, TierPreset::GuangdongScore);
        let (outcome, current) = outcome_of(&r);
        let result = r.as_ref().map_or(current, |v| *v);
        self.rec([op, customer.as_str(), field, value], base.version, t, (outcome, result));
    }

    /// What everyone does most: search the list, open a dossier and its history,
    /// look at complaints, the marketing log and the week's visits.
    fn browse(&mut self) {
        let conn = self.store.conn();
        let t = Instant::now();
        match self.rng.below(5) {
            0 => {
                let words = ["广州", "gz", "物流", "wl", "4401", "科技", "load"];
                let word = *self.rng.pick::<&str>(&words);
                let q = CustomerQuery { search: normalize_query(word), ..CustomerQuery::default() };
                customers::count(conn, &q).unwrap();
                customers::page(conn, &q, 0, 20).unwrap();
            }
            1 => {
                let pool = if self.hot.is_empty() { &self.own } else { &self.hot };
                if let Some(id) = pool.get(self.rng.below(pool.len())) {
                    customers::load(conn, id).unwrap();
                    history::for_customer(conn, id, 0, 30).unwrap();
                }
            }
            2 => {
                complaints::list(conn, &ComplaintFilter::default(), now(), 50).unwrap();
            }
            3 => {
                marketing::list(conn, &LogFilter { text: "load".into(), ..LogFilter::default() }, 50).unwrap();
            }
            _ => {
                let from = now() - Span::days(7);
                visits::between(conn, &VisitScope::All, from, now() + Span::days(7)).unwrap();
            }
        }
        self.rec(["read", "", "", ""], -1, t, ("ok".into(), -1));
    }
}
