//! Staff roles (SPEC §1) and what each may do. Pure rules: the db layer asks these
//! before it writes, so a refused action is refused whatever screen asked for it.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// 客户经理
    Manager,
    /// 大客户中心总监 / 主管
    Supervisor,
    /// 客户管理员
    Admin,
    /// 首席客户经理 / unit leader: reads everything, leads senior visits.
    Leader,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Manager, Role::Supervisor, Role::Admin, Role::Leader];
}

stored_code!(Role);

/// A member of staff as the rest of the program needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub login: Option<String>,
    pub name: String,
    pub unit_id: i64,
    pub role: Role,
}

/// Why an action was refused, in terms the UI can translate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only the customer's account managers or a supervisor may change this customer")]
    NotYourCustomer,
    #[error("only a supervisor may decide registrations")]
    SupervisorOnly,
    #[error("leaders read but do not edit")]
    ReadOnlyRole,
    #[error("only a supervisor or a customer administrator may do this")]
    RecordsKeeperOnly,
    #[error("only an administrator may manage staff and reference data")]
    AdministratorOnly,
    /// A decision about a customer (registration, tier override, reassignment,
    /// closing a complaint the customer is unsatisfied with) belongs to the
    /// supervisors of its unit and of the units above it.
    #[error("only a supervisor of {unit} or a unit above it decides this")]
    DecidedBy {
        /// The customer's unit, by name.
        unit: String,
    },
    /// A complaint is worked on by the people who answer for it (SPEC §8):
    /// see `db::access` for the rules.
    #[error(
        "only the complaint's handler, the customer's account managers or a supervisor of {unit} or a unit above it work on this complaint"
    )]
    NotYourComplaint {
        /// The customer's unit, by name.
        unit: String,
    },
    /// A service request is worked on by the customer's account managers
    /// and the supervisors above them (SPEC §9): see `db::access`.
    #[error("only the customer's account managers or a supervisor of {unit} or a unit above it work on this request")]
    NotYourRequest {
        /// The customer's unit, by name.
        unit: String,
    },
    /// A step of a contract's approval chain is decided by its role in its
    /// body (SPEC §12): see `domain::contract::approvers`.
    #[error("only a {} of {unit} decides this step of the contract's approval", .role.code())]
    ApprovalStep {
        role: Role,
        /// The nearest unit whose members decide it, by name.
        unit: String,
    },
}

/// The unit whose customer a decision is about: its name, and its id with
/// the ids of the units above it, nearest first (units form a tree: county
/// centre → city centre → province centre).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidingUnit {
    pub name: String,
    pub unit_and_above: Vec<i64>,
}

impl Staff {
    /// Account managers edit the customers they own (A or B); supervisors and
    /// administrators edit any; leaders only read.
    pub fn may_edit_customer(&self, owner_a: i64, owner_b: Option<i64>) -> Result<(), Refusal> {
        match self.role {
            Role::Supervisor | Role::Admin => Ok(()),
            Role::Leader => Err(Refusal::ReadOnlyRole),
            Role::Manager if owner_a == self.id || owner_b == Some(self.id) => Ok(()),
            Role::Manager => Err(Refusal::NotYourCustomer),
        }
    }

    /// Anyone but a leader may file a registration for a new customer.
    pub fn may_register_customer(&self) -> Result<(), Refusal> {
        if self.role == Role::Leader { Err(Refusal::ReadOnlyRole) } else { Ok(()) }
    }

    /// Bulk imports, unit revenue, re-tiering: the work of the customer
    /// administrator (客户管理员) and of supervisors.
    pub fn may_keep_records(&self) -> Result<(), Refusal> {
        match self.role {
            Role::Supervisor | Role::Admin => Ok(()),
            _ => Err(Refusal::RecordsKeeperOnly),
        }
    }

    /// The staff registry and reference data are the administrator's.
    pub fn may_administer(&self) -> Result<(), Refusal> {
        if self.role == Role::Admin { Ok(()) } else { Err(Refusal::AdministratorOnly) }
    }

    /// Decisions about a customer of `unit` (SPEC §2.3, §11.2: "a conflict goes
    /// to the next-level centre"): a supervisor of that unit or of a unit above
    /// it decides, and the administrator, who keeps the records of every unit.
    /// Anyone else is told whose decision it is.
    pub fn may_decide_for(&self, unit: &DecidingUnit) -> Result<(), Refusal> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Supervisor if unit.unit_and_above.contains(&self.unit_id) => Ok(()),
            _ => Err(Refusal::DecidedBy { unit: unit.name.clone() }),
        }
    }

    /// Reading the team's log entries and commenting on them is a supervisor's work.
    pub fn may_decide(&self) -> Result<(), Refusal> {
        match self.role {
            Role::Supervisor | Role::Admin => Ok(()),
            _ => Err(Refusal::SupervisorOnly),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(id: i64, role: Role) -> Staff {
        Staff { id, login: None, name: "x".into(), unit_id: 1, role }
    }

    #[test]
    fn managers_edit_only_their_own_customers() {
        let m = staff(7, Role::Manager);
        assert_eq!(m.may_edit_customer(7, None), Ok(()));
        assert_eq!(m.may_edit_customer(3, Some(7)), Ok(()));
        assert_eq!(m.may_edit_customer(3, Some(4)), Err(Refusal::NotYourCustomer));
    }

    /// Issue 12: a supervisor approved the registration of another unit's customer.
    #[test]
    fn decisions_belong_to_the_supervisors_of_the_unit_and_those_above() {
        let mut sup = staff(1, Role::Supervisor);
        // Unit 3 (a county centre) under 2 (the city centre) under 1 (the province).
        let county = DecidingUnit { name: "天河区大客户中心".into(), unit_and_above: vec![3, 2, 1] };
        for unit in [3, 2, 1] {
            sup.unit_id = unit;
            assert_eq!(sup.may_decide_for(&county), Ok(()), "a supervisor of unit {unit}");
        }
        let refusal = Refusal::DecidedBy { unit: "天河区大客户中心".into() };
        sup.unit_id = 4; // a sibling county
        assert_eq!(sup.may_decide_for(&county), Err(refusal.clone()));
        assert_eq!(refusal.to_string(), "only a supervisor of 天河区大客户中心 or a unit above it decides this");
        // A supervisor of the county does not decide for the city above it.
        sup.unit_id = 3;
        let city = DecidingUnit { name: "广州市大客户中心".into(), unit_and_above: vec![2, 1] };
        assert!(sup.may_decide_for(&city).is_err());
        for role in [Role::Manager, Role::Leader] {
            let mut s = staff(1, role);
            s.unit_id = 3;
            assert_eq!(s.may_decide_for(&county), Err(refusal.clone()), "{role:?}");
        }
        let mut admin = staff(1, Role::Admin);
        admin.unit_id = 4;
        assert_eq!(admin.may_decide_for(&county), Ok(()));
    }

    #[test]
    fn supervisors_decide_and_leaders_read() {
        assert_eq!(staff(1, Role::Supervisor).may_decide(), Ok(()));
        assert_eq!(staff(1, Role::Manager).may_decide(), Err(Refusal::SupervisorOnly));
        assert_eq!(staff(1, Role::Leader).may_edit_customer(1, None), Err(Refusal::ReadOnlyRole));
        assert_eq!(staff(1, Role::Leader).may_register_customer(), Err(Refusal::ReadOnlyRole));
        assert_eq!(staff(1, Role::Admin).may_keep_records(), Ok(()));
        assert_eq!(staff(1, Role::Manager).may_keep_records(), Err(Refusal::RecordsKeeperOnly));
        assert_eq!(staff(1, Role::Leader).may_keep_records(), Err(Refusal::RecordsKeeperOnly));
    }
}
