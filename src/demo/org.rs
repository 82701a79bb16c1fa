//! The demo bureau: Guangzhou's key-account centres, bureaus and branch offices,
//! their staff, and the industry table.

use std::collections::HashSet;

use super::names::{self, INDUSTRIES};
use super::rng::SplitMix64;
use crate::db::reference::{NewStaff, insert_industry, insert_staff_at, insert_unit};
use crate::db::{DbError, Tx};
use crate::domain::staff::{Role, Staff};

struct UnitPlan {
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    parent: Option<&'static str>,
    division: &'static str,
    /// The district (short name) the unit serves; None for city-wide units.
    district: Option<&'static str>,
    /// The unit's annual revenue in yuan: the denominator of a customer's share.
    revenue: i64,
    /// How many account managers work here.
    managers: usize,
}

const UNITS: &[UnitPlan] = &[
    UnitPlan {
        code: "GZ",
        name: "广州市邮政局大客户中心",
        kind: "city",
        parent: None,
        division: "440100",
        district: None,
        revenue: 300_000_000,
        managers: 1,
    },
    UnitPlan {
        code: "GZ-TH",
        name: "天河区邮政局大客户中心",
        kind: "county",
        parent: Some("GZ"),
        division: "440106",
        district: Some("天河"),
        revenue: 120_000_000,
        managers: 2,
    },
    UnitPlan {
        code: "GZ-YX",
        name: "越秀区邮政局大客户中心",
        kind: "county",
        parent: Some("GZ"),
        division: "440104",
        district: Some("越秀"),
        revenue: 90_000_000,
        managers: 1,
    },
    UnitPlan {
        code: "GZ-HZ",
        name: "海珠区邮政局大客户中心",
        kind: "county",
        parent: Some("GZ"),
        division: "440105",
        district: Some("海珠"),
        revenue: 70_000_000,
        managers: 1,
    },
    UnitPlan {
        code: "GZ-BY",
        name: "白云区邮政局大客户中心",
        kind: "county",
        parent: Some("GZ"),
        division: "440111",
        district: Some("白云"),
        revenue: 80_000_000,
        managers: 1,
    },
    UnitPlan {
        code: "GZ-PY",
        name: "番禺区邮政局大客户中心",
        kind: "county",
        parent: Some("GZ"),
        division: "440113",
        district: Some("番禺"),
        revenue: 60_000_000,
        managers: 1,
    },
    UnitPlan {
        code: "GZ-SD",
        name: "广州市邮政局速递物流分公司",
        kind: "bureau",
        parent: Some("GZ"),
        division: "440100",
        district: None,
        revenue: 150_000_000,
        managers: 1,
    },
    UnitPlan {
        code: "GZ-HJ",
        name: "广州市邮政局函件集邮局",
        kind: "bureau",
        parent: Some("GZ"),
        division: "440100",
        district: None,
        revenue: 50_000_000,
        managers: 1,
    },
    UnitPlan {
        code: "GZ-TH-SP",
        name: "天河石牌邮政支局",
        kind: "branch",
        parent: Some("GZ-TH"),
        division: "440106",
        district: Some("天河"),
        revenue: 8_000_000,
        managers: 1,
    },
    UnitPlan {
        code: "GZ-YX-BJ",
        name: "越秀北京路邮政支局",
        kind: "branch",
        parent: Some("GZ-YX"),
        division: "440104",
        district: Some("越秀"),
        revenue: 6_000_000,
        managers: 1,
    },
    UnitPlan {
        code: "GZ-BY-JX",
        name: "白云京溪邮政支局",
        kind: "branch",
        parent: Some("GZ-BY"),
        division: "440111",
        district: Some("白云"),
        revenue: 5_000_000,
        managers: 1,
    },
];

/// An org unit as the customer generator needs it.
pub struct OrgUnit {
    pub id: i64,
    pub kind: &'static str,
    pub district: Option<&'static str>,
    pub revenue_yuan: i64,
    pub managers: Vec<Staff>,
}

/// Everything written before the customers, with the ids they got.
pub struct Org {
    pub units: Vec<OrgUnit>,
    /// The first account manager: the one the OS login maps to.
    pub first_manager: Staff,
    pub supervisors: Vec<Staff>,
    pub staff_count: usize,
    /// Industry ids, parallel to [`INDUSTRIES`].
    pub industry_ids: Vec<i64>,
}

impl Org {
    pub fn city(&self) -> &OrgUnit {
        &self.units[0]
    }

    pub fn unit(&self, code: &str) -> &OrgUnit {
        let i = UNITS.iter().position(|u| u.code == code).unwrap_or(0);
        &self.units[i]
    }

    /// The district centre serving a district, if it has one.
    pub fn district_centre(&self, short: &str) -> Option<&OrgUnit> {
        self.units.iter().find(|u| u.kind == "county" && u.district == Some(short))
    }

    pub fn branch_offices(&self, short: &str) -> impl Iterator<Item = &OrgUnit> {
        self.units.iter().filter(move |u| u.kind == "branch" && u.district == Some(short))
    }
}

/// The login each member of staff gets. The OS login takes the first account
/// manager's place; if it equals someone else's default login, that person gets
/// the first manager's default instead, so logins stay unique.
fn login_for(default: &str, os_login: Option<&str>, is_first_manager: bool) -> String {
    match os_login {
        Some(os) if is_first_manager => os.to_string(),
        Some(os) if os == default => "jingli01".to_string(),
        _ => default.to_string(),
    }
}

pub fn person_name(rng: &mut SplitMix64) -> String {
    format!("{}{}", rng.weighted(names::SURNAMES), rng.pick(names::GIVEN_NAMES))
}

pub fn mobile(rng: &mut SplitMix64) -> String {
    format!("{}{:08}", rng.pick(names::MOBILE_PREFIXES), rng.below(100_000_000))
}

/// Writes units, staff and industries.
/// `stamp`: when the history says the staff were registered (the demo's clock).
pub fn create(tx: &Tx<'_>, rng: &mut SplitMix64, os_login: Option<&str>, stamp: &str) -> Result<Org, DbError> {
    let mut ids: Vec<i64> = Vec::with_capacity(UNITS.len());
    for plan in UNITS {
        let parent = plan.parent.and_then(|code| UNITS.iter().position(|u| u.code == code)).map(|i| ids[i]);
        ids.push(insert_unit(tx, plan.code, plan.name, plan.kind, parent, plan.division)?);
    }
    let unit_id = |code: &str| UNITS.iter().position(|u| u.code == code).map_or(ids[0], |i| ids[i]);

    let mut used_names = HashSet::new();
    let mut staff_count = 0;
    let mut add = |rng: &mut SplitMix64, login: String, unit: i64, role: Role| -> Result<Staff, DbError> {
        let name = loop {
            let name = person_name(rng);
            if used_names.insert(name.clone()) {
                break name;
            }
        };
        let phone = mobile(rng);
        let new = NewStaff { login: Some(&login), name: &name, unit_id: unit, role, phone: Some(&phone) };
        let id = insert_staff_at(tx, &new, stamp)?;
        // On a server each member of staff connects with their own login.
        crate::db::reference::login_for(tx, Some(&login), role)?;
        staff_count += 1;
        Ok(Staff { id, login: Some(login), name, unit_id: unit, role })
    };

    // The first manager works at 天河, where the anchor 电信帐务中心 is, so the
    // demo opens on a portfolio with a recognisable customer in it.
    let mut manager_units: Vec<usize> = vec![1];
    for (i, plan) in UNITS.iter().enumerate() {
        let already = usize::from(i == 1);
        manager_units.extend(std::iter::repeat_n(i, plan.managers - already));
    }
    let mut managers: Vec<Vec<Staff>> = UNITS.iter().map(|_| Vec::new()).collect();
    let mut first_manager = None;
    for (n, &unit) in manager_units.iter().enumerate() {
        let login = login_for(&format!("jingli{:02}", n + 1), os_login, n == 0);
        let staff = add(rng, login, ids[unit], Role::Manager)?;
        if n == 0 {
            first_manager = Some(staff.clone());
        }
        managers[unit].push(staff);
    }
    let supervisors = vec![
        add(rng, login_for("zhuguan", os_login, false), unit_id("GZ"), Role::Supervisor)?,
        add(rng, login_for("zhuguan2", os_login, false), unit_id("GZ-TH"), Role::Supervisor)?,
    ];
    add(rng, login_for("guanli", os_login, false), unit_id("GZ"), Role::Admin)?;
    add(rng, login_for("lingdao", os_login, false), unit_id("GZ"), Role::Leader)?;

    let mut industry_ids = Vec::with_capacity(INDUSTRIES.len());
    for spec in INDUSTRIES {
        industry_ids.push(insert_industry(tx, spec.code, spec.name_zh, spec.name_en)?);
    }

    let units = UNITS
        .iter()
        .zip(ids)
        .zip(managers)
        .map(|((plan, id), managers)| OrgUnit {
            id,
            kind: plan.kind,
            district: plan.district,
            revenue_yuan: plan.revenue,
            managers,
        })
        .collect();
    let first_manager =
        first_manager.ok_or_else(|| DbError::Invalid(crate::db::Invalid::Demo("demo plan has no account manager")))?;
    Ok(Org { units, first_manager, supervisors, staff_count, industry_ids })
}

/// Checks the plan refers only to districts that exist (a unit test runs it).
#[cfg(test)]
pub fn plan_is_consistent() -> bool {
    UNITS.iter().all(|u| {
        u.managers > 0
            && u.parent.is_none_or(|p| UNITS.iter().any(|x| x.code == p))
            && u.district.is_none_or(|d| names::DISTRICTS.iter().any(|x| x.short == d && x.division == u.division))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_refers_to_known_units_and_districts() {
        assert!(plan_is_consistent());
        let managers: usize = UNITS.iter().map(|u| u.managers).sum();
        assert_eq!(managers, 12);
    }

    #[test]
    fn os_login_takes_the_first_managers_place() {
        assert_eq!(login_for("jingli01", None, true), "jingli01");
        assert_eq!(login_for("jingli01", Some("root"), true), "root");
        assert_eq!(login_for("guanli", Some("root"), false), "guanli");
        assert_eq!(login_for("guanli", Some("guanli"), false), "jingli01");
    }
}
