//! Generated customers: names, dossier fields, tier inputs, IDs and branches,
//! written with the same db functions the application uses.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDateTime, NaiveTime};

use super::names::{self, ANCHORS, DISTRICTS, District, INDUSTRIES, IndustrySpec};
use super::org::{Org, OrgUnit, mobile, person_name};
use super::people::{self, Values};
use super::rng::SplitMix64;
use super::{DemoOptions, DemoSummary};
use crate::db::customers::{Registration, file_registration_in, insert_customer};
use crate::db::records::{RecordKind, insert_in};
use crate::db::{Actor, DbError, Tx};
use crate::domain::dossier::{FieldValue, customer_fields, normalize_company_name};
use crate::domain::id::{CustomerId, DivisionCode};
use crate::domain::money::Money;
use crate::domain::staff::Staff;

fn text(s: impl Into<String>) -> FieldValue {
    FieldValue::Text(s.into())
}

fn yuan(amount: i64) -> FieldValue {
    FieldValue::Money(Money::from_fen(amount * 100))
}

/// Who a headquarters is, before its dossier is filled in.
struct Identity {
    short: String,
    full: String,
    district: usize,
    industry: usize,
    policy: bool,
    email_domain: String,
    /// Fixed revenue of an anchor customer, in yuan.
    revenue: Option<i64>,
    anchor: Option<usize>,
}

/// Writes customers family by family (a headquarters and its branches).
pub struct CustomerWriter<'a> {
    rng: SplitMix64,
    org: &'a Org,
    options: &'a DemoOptions,
    /// Normalised full names already used, so names do not repeat.
    used_names: HashSet<String>,
    /// The last customer sequence used in each division.
    sequences: HashMap<&'static str, u32>,
    anchors_written: usize,
}

impl<'a> CustomerWriter<'a> {
    pub fn new(rng: SplitMix64, org: &'a Org, options: &'a DemoOptions) -> CustomerWriter<'a> {
        CustomerWriter { rng, org, options, used_names: HashSet::new(), sequences: HashMap::new(), anchors_written: 0 }
    }

    /// Writes one headquarters and up to `room - 1` branches; returns how many
    /// customers were written.
    pub fn write_family(&mut self, tx: &Tx<'_>, room: usize, summary: &mut DemoSummary) -> Result<usize, DbError> {
        let who = self.identity();
        let district = &DISTRICTS[who.district];
        let unit = self.responsible_unit(&who);
        let owner_a = self.owner_a(unit, &who);
        let owner_b = self.owner_b(unit, &owner_a);
        let actor = Actor { staff: owner_a, at: self.stamp() };

        let persons = people::key_persons(&mut self.rng, who.policy, self.options.today);
        let competitors = if who.policy { Vec::new() } else { people::competitors(&mut self.rng) };
        let registration = match (who.anchor, self.rng.below(1000)) {
            (Some(_), _) => "approved",
            (None, 0..30) => "pending",
            (None, 30..40) => "rejected",
            _ => "approved",
        };
        let mut values = self.dossier(&who, district, unit, owner_b.as_ref(), &persons, registration);
        values.insert("owner_a", FieldValue::Int(actor.staff.id));

        let division = district.division;
        let sequence = self.sequences.entry(division).or_insert(0);
        *sequence += 1;
        let sequence = *sequence;
        let id = customer_id(division, sequence, 0)?;
        // A customer already approved (or rejected) is on the books by the city
        // centre's supervisor's decision (the access rules ask it of whoever
        // writes one); a pending one by its account manager.
        let approver = Actor { staff: self.org.supervisors[0].clone(), at: actor.at };
        let writer = if registration == "pending" { &actor } else { &approver };
        insert_customer(tx, writer, &id, &values, self.options.preset, registration)?;
        if registration != "approved" {
            self.file_registration(tx, &actor, &id, unit, &who, registration)?;
        }
        for person in &persons {
            insert_in(tx, &actor, RecordKind::KeyPerson, &id, person)?;
        }
        for competitor in &competitors {
            insert_in(tx, &actor, RecordKind::Competitor, &id, competitor)?;
        }
        summary.key_persons += persons.len();
        summary.competitors += competitors.len();

        // About one headquarters in ten has 1–3 branches elsewhere in the city.
        let branches =
            if !who.policy && room > 1 && self.rng.chance(100) { self.rng.count(1, 3).min(room - 1) } else { 0 };
        // Each branch in a different district, so their names differ too.
        let all: Vec<usize> = (0..DISTRICTS.len()).collect();
        let places: Vec<usize> = self.rng.some_of(&all, branches).into_iter().copied().collect();
        for (branch, place) in (1u16..).zip(places) {
            let branch_id = customer_id(division, sequence, branch)?;
            let branch_actor = Actor { staff: approver.staff.clone(), at: self.stamp() };
            let values = self.branch_dossier(&who, &values, &DISTRICTS[place]);
            insert_customer(tx, &branch_actor, &branch_id, &values, self.options.preset, "approved")?;
        }
        summary.branches += branches;
        Ok(1 + branches)
    }

    /// The next headquarters: the anchors first, then ~8% policy customers
    /// among generated companies.
    fn identity(&mut self) -> Identity {
        if let Some(anchor) = ANCHORS.get(self.anchors_written) {
            let index = self.anchors_written;
            self.anchors_written += 1;
            self.used_names.insert(normalize_company_name(anchor.full));
            return Identity {
                short: anchor.short.to_string(),
                full: anchor.full.to_string(),
                district: names::district_index(anchor.district),
                industry: names::industry_index(anchor.industry),
                policy: anchor.policy,
                email_domain: anchor.email_domain.to_string(),
                revenue: Some(anchor.revenue),
                anchor: Some(index),
            };
        }
        let weights: Vec<(usize, u32)> = DISTRICTS.iter().enumerate().map(|(i, d)| (i, d.weight)).collect();
        let district = *self.rng.weighted(&weights);
        if self.rng.chance(80)
            && let Some(who) = self.policy_body(district)
        {
            return who;
        }
        self.company(district)
    }

    /// A party or government body of the district; None once all are taken.
    fn policy_body(&mut self, district: usize) -> Option<Identity> {
        let d = &DISTRICTS[district];
        for _ in 0..8 {
            let (pattern, suffix) = self.rng.pick(names::POLICY_BODIES);
            let full = pattern.replace("{d}", d.name);
            if self.used_names.insert(normalize_company_name(&full)) {
                return Some(Identity {
                    short: format!("{}{suffix}", d.short),
                    full,
                    district,
                    industry: names::industry_index("government"),
                    policy: true,
                    email_domain: "gz.gov.cn".to_string(),
                    revenue: None,
                    anchor: None,
                });
            }
        }
        None
    }

    /// A company (or, in education and health, sometimes an institution) with a
    /// full name not used before: prefix + brand + trade word + legal form.
    fn company(&mut self, district: usize) -> Identity {
        let weights: Vec<(usize, u32)> = INDUSTRIES.iter().enumerate().map(|(i, s)| (i, s.weight)).collect();
        let industry = *self.rng.weighted(&weights);
        let spec = &INDUSTRIES[industry];
        let d = &DISTRICTS[district];
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (mut brand, pinyin) = *self.rng.pick(names::BRANDS);
            let mut pinyin = pinyin.to_string();
            let compound;
            if attempt > 30 {
                // The simple names are running out: two brands make 50,000 more.
                let (second, second_pinyin) = *self.rng.pick(names::BRANDS);
                compound = format!("{brand}{second}");
                brand = &compound;
                pinyin.push_str(second_pinyin);
            }
            let (short, full) = company_name(&mut self.rng, spec, d, brand);
            if self.used_names.insert(normalize_company_name(&full)) || attempt > 1000 {
                let host = match self.rng.below(3) {
                    0 => format!("{pinyin}.com.cn"),
                    1 => format!("gz{pinyin}.com"),
                    _ => format!("{pinyin}-gz.com"),
                };
                return Identity {
                    short,
                    full,
                    district,
                    industry,
                    policy: false,
                    email_domain: host,
                    revenue: None,
                    anchor: None,
                };
            }
        }
    }

    /// Mostly the district's centre; big or city-wide business also goes to the
    /// city centre or a specialised bureau, some to a branch office.
    fn responsible_unit(&mut self, who: &Identity) -> &'a OrgUnit {
        let org = self.org;
        let short = DISTRICTS[who.district].short;
        match who.anchor {
            Some(0) => return org.unit("GZ-TH"),
            Some(_) => return org.city(),
            None => {}
        }
        let roll = self.rng.below(100);
        match org.district_centre(short) {
            Some(centre) => match roll {
                0..55 => centre,
                55..65 => {
                    let offices: Vec<&OrgUnit> = org.branch_offices(short).collect();
                    if offices.is_empty() { centre } else { offices[self.rng.index(offices.len())] }
                }
                65..82 => org.city(),
                82..94 if !who.policy => org.unit("GZ-SD"),
                _ if !who.policy => org.unit("GZ-HJ"),
                _ => centre,
            },
            None => match roll {
                0..60 => org.city(),
                60..85 if !who.policy => org.unit("GZ-SD"),
                _ if !who.policy => org.unit("GZ-HJ"),
                _ => org.city(),
            },
        }
    }

    /// An account manager of the unit (or of the city centre if it has none).
    /// The first anchor belongs to the first manager, the demo's own user.
    fn owner_a(&mut self, unit: &OrgUnit, who: &Identity) -> Staff {
        if who.anchor == Some(0) {
            return self.org.first_manager.clone();
        }
        let managers = if unit.managers.is_empty() { &self.org.city().managers } else { &unit.managers };
        self.rng.pick(managers).clone()
    }

    /// About three in ten customers have an assistant (B) manager.
    fn owner_b(&mut self, unit: &OrgUnit, owner_a: &Staff) -> Option<Staff> {
        if !self.rng.chance(300) {
            return None;
        }
        let candidates: Vec<&Staff> =
            unit.managers.iter().chain(&self.org.city().managers).filter(|s| s.id != owner_a.id).collect();
        (!candidates.is_empty()).then(|| candidates[self.rng.index(candidates.len())].clone())
    }

    /// When the dossier was last updated: 0–250 days before today, in office
    /// hours, so that some dossiers are stale under every tier's cadence.
    fn stamp(&mut self) -> NaiveDateTime {
        let day = self.options.today.checked_sub_days(Days::new(self.rng.below(251))).unwrap_or(self.options.today);
        let seconds = 8 * 3600 + self.rng.in_range(0u32, 10 * 3600 - 1);
        let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap_or(NaiveTime::MIN);
        day.and_time(time)
    }

    fn dossier(
        &mut self,
        who: &Identity,
        district: &District,
        unit: &OrgUnit,
        owner_b: Option<&Staff>,
        persons: &[Values],
        registration: &str,
    ) -> Values {
        let rng = &mut self.rng;
        let spec = &INDUSTRIES[who.industry];
        let mut v: Values = customer_fields().map(|f| (f.key, FieldValue::Null)).collect();
        v.insert("short_name", text(&who.short));
        v.insert("full_name", text(&who.full));
        v.insert("kind", text(if who.policy { "policy" } else { "commercial" }));
        let stage = if registration == "approved" {
            rng.weighted(&[("target", 8), ("developing", 15), ("signed", 27), ("maintained", 45), ("lost", 5)])
        } else {
            rng.weighted(&[("target", 7), ("developing", 3)])
        };
        v.insert("stage", text(*stage));
        v.insert("unit_id", FieldValue::Int(unit.id));
        v.insert("owner_b", owner_b.map_or(FieldValue::Null, |s| FieldValue::Int(s.id)));
        v.insert("industry_id", FieldValue::Int(self.org.industry_ids[who.industry]));
        fill_contact(rng, &mut v, district, &who.email_domain, who.policy);
        let person_named = |role: &str| {
            persons
                .iter()
                .find(|p| p.get("decision_role").and_then(FieldValue::as_text) == Some(role))
                .and_then(|p| p.get("name").and_then(FieldValue::as_text))
                .map(str::to_string)
        };
        let boss = person_named("decision_maker").unwrap_or_else(|| person_name(rng));
        v.insert("legal_rep", text(&boss));
        v.insert("contact_name", text(person_named("handler").unwrap_or_else(|| person_name(rng))));

        let employees = employees(rng, who);
        v.insert("scale", text(scale(employees, who.policy)));
        v.insert("business_scope", text(*rng.pick(spec.business_scopes)));
        v.insert("main_products", text(*rng.pick(spec.main_products)));
        v.insert("services_used", text(services(rng, spec)));

        let revenue = who.revenue.unwrap_or_else(|| annual_revenue(rng, who.policy));
        let fen = if revenue < 1_000_000 && rng.chance(500) { rng.between(0, 99) } else { 0 };
        v.insert("annual_revenue", FieldValue::Money(Money::from_fen(revenue * 100 + fen)));
        v.insert("postal_spending", text(spending(rng, revenue)));
        if rng.chance(if who.policy { 250 } else { 80 }) {
            v.insert("monthly_payroll", yuan(rng.between(2_000, 200_000) * 100));
        }

        // About half the dossiers have the extended group filled in.
        if who.anchor.is_some() || rng.chance(550) {
            let count = rng.count(3, 6);
            let depts: Vec<&str> = rng.some_of(names::DEPARTMENTS, count).into_iter().copied().collect();
            v.insert("org_chart", text(format!("下设{}", depts.join("、"))));
            let deputy = person_name(rng);
            let (top, second) = if who.policy { ("局长", "副局长") } else { ("总经理", "副总经理") };
            v.insert("leaders", text(format!("{top} {boss}；{second} {deputy}")));
            if !who.policy {
                let wan = *rng.pick(&[50, 100, 200, 500, 1_000, 3_000, 5_000, 10_000]);
                v.insert("registered_capital", yuan(wan * 10_000));
            }
            v.insert("financial_situation", text(*rng.pick(names::FINANCIAL_SITUATIONS)));
            v.insert("business_plan", text(*rng.pick(names::BUSINESS_PLANS)));
            v.insert("employees", FieldValue::Int(employees));
            v.insert("potential", text(*rng.pick(names::POTENTIALS)));
            v.insert("strengths", text(*rng.pick(names::STRENGTHS)));
            v.insert("weaknesses", text(*rng.pick(names::WEAKNESSES)));
            v.insert("credit", text(*rng.pick(names::CREDITS)));
        }
        v
    }

    /// A branch: the headquarters' identity and owners, its own address,
    /// contact and (smaller) revenue.
    fn branch_dossier(&mut self, who: &Identity, hq: &Values, district: &District) -> Values {
        let rng = &mut self.rng;
        let mut v: Values = customer_fields().map(|f| (f.key, FieldValue::Null)).collect();
        for key in ["kind", "stage", "unit_id", "owner_a", "owner_b", "industry_id", "business_scope", "main_products"]
        {
            v.insert(key, hq.get(key).cloned().unwrap_or_default());
        }
        let kind = if who.full.contains("公司") { "分公司" } else { "分部" };
        let full = format!("{}{}{kind}", who.full, district.short);
        self.used_names.insert(normalize_company_name(&full));
        v.insert("full_name", text(full));
        v.insert("short_name", text(format!("{}{}分部", who.short, district.short)));
        fill_contact(rng, &mut v, district, &who.email_domain, false);
        v.insert("legal_rep", text(person_name(rng)));
        v.insert("contact_name", text(person_name(rng)));
        v.insert("scale", text(scale(rng.between(20, 300), false)));
        v.insert("services_used", text(services(rng, &INDUSTRIES[who.industry])));
        let revenue = rng.between(10_000, 200_000);
        v.insert("annual_revenue", yuan(revenue));
        v.insert("postal_spending", text(spending(rng, revenue)));
        v
    }

    /// Records the registration of a customer not (yet) approved (SPEC §2.3).
    ///
    /// The one place the demo writes SQL itself: `db` has no function that files
    /// a registration for a customer inserted with a known ID (`customers::create`
    /// assigns the ID itself). It belongs in `db::customers`; see the report.
    fn file_registration(
        &mut self,
        tx: &Tx<'_>,
        actor: &Actor,
        id: &CustomerId,
        unit: &OrgUnit,
        who: &Identity,
        decision: &str,
    ) -> Result<(), DbError> {
        let service = self.rng.pick(INDUSTRIES[who.industry].typical_services);
        let reason = format!("{}有意将{service}业务交由邮政办理，申请登记开发", who.short);
        // A rejection is filed as decided by the one who decided it: the city
        // centre's supervisor, who decides for every unit below it.
        let (filer, decided) = if decision == "rejected" {
            // (The draw that once picked a supervisor keeps the demo's random stream as it was.)
            let _ = self.rng.pick(&self.org.supervisors);
            let supervisor = &self.org.supervisors[0];
            let at = actor.at.checked_add_signed(chrono::TimeDelta::hours(2)).unwrap_or(actor.at);
            let filer = Actor { staff: supervisor.clone(), at: actor.at };
            (filer, Some((false, supervisor.id, at, "与其他单位已登记客户重复，按“谁开发、谁受益”归原登记单位")))
        } else {
            (actor.clone(), None)
        };
        let registration = Registration { unit: unit.id, owner: actor.staff.id, reason: &reason, decided };
        file_registration_in(tx, &filer, id, &registration)?;
        Ok(())
    }
}

fn customer_id(division: &str, sequence: u32, branch: u16) -> Result<CustomerId, DbError> {
    let division = DivisionCode::parse(division).map_err(DbError::Id)?;
    CustomerId::new(&division, sequence, branch).map_err(DbError::Id)
}

/// Short and full name of a generated company in `district`.
fn company_name(rng: &mut SplitMix64, spec: &IndustrySpec, district: &District, brand: &str) -> (String, String) {
    let institution = matches!(spec.code, "education" | "health") && rng.chance(300);
    if institution {
        let (short_word, full) = match (spec.code, rng.below(2)) {
            ("education", 0) => ("实验学校", format!("广州市{}{brand}实验学校", district.name)),
            ("education", _) => ("职校", format!("广州{brand}职业技术学校")),
            (_, 0) => ("医院", format!("广州{brand}医院")),
            _ => ("门诊部", format!("广州市{}{brand}门诊部", district.name)),
        };
        return (format!("{brand}{short_word}"), full);
    }
    let word = rng.pick(spec.name_words);
    let form = rng.weighted(names::LEGAL_FORMS);
    let prefix = match rng.below(100) {
        0..45 => format!("广州市{}", district.short),
        45..70 => "广州".to_string(),
        70..90 => "广州市".to_string(),
        _ => "广东".to_string(),
    };
    (format!("{brand}{word}"), format!("{prefix}{brand}{word}{form}"))
}

/// Address, postal code, contact department, phone, email and fax.
fn fill_contact(rng: &mut SplitMix64, v: &mut Values, district: &District, domain: &str, policy: bool) {
    let street = rng.pick(district.streets);
    let number = rng.between(1, 999);
    // Some customers of the outer districts sit in a town's village (service
    // requests read them as rural). Chosen from the house number, so the
    // stream draws what it drew before and every other value stays the same.
    let rural = names::rural_place(district.name, number);
    let mut address = match rural {
        Some((town, village)) => format!("广州市{}{town}{village}{}号", district.name, number % 200 + 1),
        None => format!("广州市{}{street}{number}号", district.name),
    };
    if !policy && rng.chance(450) {
        let building = rng.pick(names::BUILDINGS);
        let (brand, _) = rng.pick(names::BRANDS);
        let floor = rng.between(2, 38);
        if rural.is_none() {
            address.push_str(&format!("{brand}{building}{floor}楼"));
        }
    }
    v.insert("address", text(address));
    v.insert("postal_code", text(*rng.pick(district.postal_codes)));
    v.insert("contact_dept", text(*rng.pick(names::CONTACT_DEPTS)));
    let phone = if rng.chance(700) { landline(rng) } else { mobile(rng) };
    v.insert("phone", text(phone));
    if rng.chance(750) {
        let local = if policy { "bgs" } else { rng.pick(names::EMAIL_LOCALS) };
        let local = if policy { format!("{local}{}", &district.division[4..]) } else { local.to_string() };
        v.insert("email", text(format!("{local}@{domain}")));
    }
    if rng.chance(300) {
        v.insert("fax", text(landline(rng)));
    }
}

/// A Guangzhou landline: area code 020 and eight digits.
fn landline(rng: &mut SplitMix64) -> String {
    let first = rng.pick(&[2, 3, 8]);
    format!("020-{first}{:07}", rng.below(10_000_000))
}

fn employees(rng: &mut SplitMix64, who: &Identity) -> i64 {
    if who.anchor.is_some() {
        return rng.between(2_000, 20_000);
    }
    match rng.below(100) {
        0..40 => rng.between(10, 99),
        40..75 => rng.between(100, 299),
        75..93 => rng.between(300, 999),
        _ => rng.between(1_000, 8_000),
    }
}

fn scale(employees: i64, policy: bool) -> &'static str {
    match (policy, employees) {
        (true, _) => "机关单位",
        (false, 1_000..) => "大型企业",
        (false, 300..) => "中型企业",
        (false, 50..) => "小型企业",
        _ => "微型企业",
    }
}

/// Last year's postal revenue in yuan: mostly 10,000–300,000, a tail in the
/// millions (integers only, like all money in kam).
fn annual_revenue(rng: &mut SplitMix64, policy: bool) -> i64 {
    if policy {
        return rng.between(10_000, 600_000);
    }
    match rng.below(1000) {
        // Skewed low inside the band: the smaller of two draws.
        0..700 => 10_000 + rng.between(0, 90_000).min(rng.between(0, 90_000)),
        700..900 => rng.between(100_000, 300_000),
        900..970 => rng.between(300_000, 1_000_000),
        970..995 => rng.between(1_000_000, 5_000_000),
        _ => rng.between(5_000_000, 30_000_000),
    }
}

/// The typical services of the industry first, sometimes one or two more.
fn services(rng: &mut SplitMix64, spec: &IndustrySpec) -> String {
    const ALL: &[&str] = &["函件", "帐单", "商函", "特快", "包件", "物流", "报刊", "集邮", "储汇", "代理"];
    let typical = rng.count(1, spec.typical_services.len());
    let mut used: Vec<&str> = spec.typical_services[..typical].to_vec();
    let extras = rng.count(0, 2);
    for extra in rng.some_of(ALL, extras) {
        if !used.contains(extra) {
            used.push(extra);
        }
    }
    used.join("、")
}

/// The free-text summary of postal spending, consistent with the revenue.
fn spending(rng: &mut SplitMix64, revenue: i64) -> String {
    let annual = Money::from_fen(revenue * 100).format_wan();
    let monthly = Money::from_fen(revenue * 100 / 12).format_wan();
    let trend = match rng.below(10) {
        0..2 => "与上年基本持平".to_string(),
        n => format!("{}{}%", names::GROWTH[(n % 2) as usize], rng.between(2, 35)),
    };
    format!("年用邮约{annual}万元，月均约{monthly}万元，{trend}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revenue_is_mostly_small_with_a_long_tail() {
        let mut rng = SplitMix64::new(3);
        let draws: Vec<i64> = (0..10_000).map(|_| annual_revenue(&mut rng, false)).collect();
        let small = draws.iter().filter(|r| (10_000..=300_000).contains(*r)).count();
        let millions = draws.iter().filter(|r| **r >= 1_000_000).count();
        assert!(small > 8_500, "{small}");
        assert!((100..=600).contains(&millions), "{millions}");
        assert!(draws.iter().all(|r| *r >= 10_000));
    }

    #[test]
    fn brands_are_distinct() {
        let mut brands: Vec<&str> = names::BRANDS.iter().map(|(b, _)| *b).collect();
        let n = brands.len();
        brands.sort_unstable();
        brands.dedup();
        assert_eq!(brands.len(), n);
        assert!(n >= 200);
    }

    #[test]
    fn generated_contacts_pass_the_form_validators() {
        use crate::domain::validate;
        let mut rng = SplitMix64::new(11);
        for _ in 0..500 {
            let mut v = Values::new();
            let district = &DISTRICTS[rng.index(DISTRICTS.len())];
            let policy = rng.chance(100);
            fill_contact(&mut rng, &mut v, district, "huaxin.com.cn", policy);
            let get = |k: &str| v.get(k).and_then(FieldValue::as_text).map(str::to_string);
            assert!(validate::phone(&get("phone").unwrap()).is_ok());
            assert!(validate::postal_code(&get("postal_code").unwrap()).is_ok());
            if let Some(email) = get("email") {
                assert!(validate::email(&email).is_ok(), "{email}");
            }
            if let Some(fax) = get("fax") {
                assert!(validate::phone(&fax).is_ok(), "{fax}");
            }
        }
        assert!(validate::phone(&mobile(&mut rng)).is_ok());
    }
}
