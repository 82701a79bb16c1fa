//! A customer's key persons and competitors (dossier groups 3 and 4).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};

use super::names;
use super::org::{mobile, person_name};
use super::rng::SplitMix64;
use crate::domain::dossier::{COMPETITOR_FIELDS, FieldValue, PERSON_FIELDS};

pub type Values = BTreeMap<&'static str, FieldValue>;

fn text(s: impl Into<String>) -> FieldValue {
    FieldValue::Text(s.into())
}

/// Every field of a record present, NULL where unknown: the insert's column list
/// (and so its cached statement) is then the same for every record.
fn blank(fields: &[crate::domain::dossier::FieldSpec]) -> Values {
    fields.iter().map(|f| (f.key, FieldValue::Null)).collect()
}

const ROLES: [&str; 4] = ["decision_maker", "handler", "finance", "other"];

/// 1–4 key persons, the decision maker first. About one in eight has a birthday
/// in the week starting `today`, so the demo always has greetings to send.
pub fn key_persons(rng: &mut SplitMix64, policy: bool, today: NaiveDate) -> Vec<Values> {
    let count = *rng.weighted(&[(1usize, 20), (2, 35), (3, 30), (4, 15)]);
    let mut used: Vec<String> = Vec::new();
    (0..count)
        .map(|i| {
            let role = ROLES[i];
            let name = loop {
                let name = person_name(rng);
                if !used.contains(&name) {
                    used.push(name.clone());
                    break name;
                }
            };
            person(rng, name, role, policy, today)
        })
        .collect()
}

fn person(rng: &mut SplitMix64, name: String, role: &'static str, policy: bool, today: NaiveDate) -> Values {
    let titles = match (role, policy) {
        ("decision_maker", false) => names::TITLES_DECISION,
        ("handler", false) => names::TITLES_HANDLER,
        ("finance", false) => names::TITLES_FINANCE,
        (_, false) => names::TITLES_OTHER,
        ("decision_maker", true) => names::POLICY_TITLES_DECISION,
        ("handler", true) => names::POLICY_TITLES_HANDLER,
        ("finance", true) => names::POLICY_TITLES_FINANCE,
        (_, true) => names::POLICY_TITLES_OTHER,
    };
    let mut v = blank(PERSON_FIELDS);
    v.insert("name", text(name));
    v.insert("title", text(*rng.pick(titles)));
    v.insert("decision_role", text(role));
    v.insert("birthday", FieldValue::Date(birthday(rng, today)));
    v.insert("phone", text(mobile(rng)));
    if rng.chance(300) {
        v.insert("email", text(format!("{}@qq.com", rng.between(10_000_000, 2_999_999_999))));
    }
    v.insert("ethnicity", text(*rng.weighted(names::ETHNICITIES)));
    v.insert("marital_status", text(*rng.pick(names::MARITAL)));
    if rng.chance(400) {
        v.insert("family", text(*rng.pick(names::FAMILY)));
    }
    v.insert("education", text(*rng.pick(names::EDUCATION)));
    if rng.chance(800) {
        let n = rng.count(1, 2);
        let picked: Vec<&str> = rng.some_of(names::INTERESTS, n).into_iter().copied().collect();
        v.insert("interests", text(picked.join("；")));
    }
    if rng.chance(500) {
        v.insert("taboos", text(*rng.pick(names::TABOOS)));
    }
    if rng.chance(600) {
        let event = rng.pick(names::IMPORTANT_EVENTS);
        v.insert("important_dates", text(format!("{event} {}月{}日", rng.between(1, 12), rng.between(1, 28))));
    }
    if rng.chance(100) {
        v.insert("competitor_ties", text(*rng.pick(names::COMPETITOR_TIES)));
    }
    v
}

/// Born 1960–1995; one in eight within the seven days starting `today`.
fn birthday(rng: &mut SplitMix64, today: NaiveDate) -> NaiveDate {
    let year: i32 = rng.in_range(1960, 1995);
    let fallback = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    if rng.chance(125) {
        let soon = today.checked_add_days(Days::new(rng.below(7))).unwrap_or(today);
        // 29 February in a year without it becomes the 28th.
        NaiveDate::from_ymd_opt(year, soon.month(), soon.day())
            .or_else(|| NaiveDate::from_ymd_opt(year, soon.month(), 28))
            .unwrap_or(fallback)
    } else {
        NaiveDate::from_yo_opt(year, rng.in_range(1, 365)).unwrap_or(fallback)
    }
}

/// 0–3 competitors serving the customer, each a different company.
pub fn competitors(rng: &mut SplitMix64) -> Vec<Values> {
    let count = *rng.weighted(&[(0usize, 30), (1, 35), (2, 25), (3, 10)]);
    rng.some_of(names::COMPETITORS, count)
        .into_iter()
        .map(|(name, offer)| {
            let mut v = blank(COMPETITOR_FIELDS);
            v.insert("name", text(*name));
            v.insert("product_price", text(*offer));
            v.insert("volume", text(*rng.pick(names::VOLUMES)));
            v.insert("market_share", text(format!("约{}%", rng.between(1, 12) * 5)));
            v.insert("marketing_means", text(*rng.pick(names::MARKETING_MEANS)));
            if rng.chance(600) {
                v.insert("personal_ties", text(*rng.pick(names::PERSONAL_TIES)));
            }
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persons_have_every_field_and_a_decision_maker_first() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut rng = SplitMix64::new(7);
        for _ in 0..200 {
            let persons = key_persons(&mut rng, false, today);
            assert!((1..=4).contains(&persons.len()));
            assert_eq!(persons[0]["decision_role"], text("decision_maker"));
            for p in &persons {
                assert_eq!(p.len(), PERSON_FIELDS.len());
                let FieldValue::Date(d) = p["birthday"] else { panic!("no birthday") };
                assert!((1960..=1995).contains(&d.year()));
            }
        }
    }

    #[test]
    fn some_birthdays_fall_in_the_coming_week() {
        let today = NaiveDate::from_ymd_opt(2028, 2, 25).unwrap();
        let mut rng = SplitMix64::new(1);
        let soon = (0..2000)
            .map(|_| birthday(&mut rng, today))
            .filter(|b| {
                let this_year = NaiveDate::from_ymd_opt(2028, b.month(), b.day()).unwrap();
                this_year >= today && this_year < today + Days::new(7)
            })
            .count();
        assert!(soon > 150, "{soon}");
    }
}
