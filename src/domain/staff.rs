//! Staff roles (SPEC §1) and what each may do. Pure rules: the db layer asks these
//! before it writes, so a refused action is refused whatever screen asked for it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

    pub fn code(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Leader => "leader",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only the customer's account managers or a supervisor may change this customer")]
    NotYourCustomer,
    #[error("only a supervisor may decide registrations")]
    SupervisorOnly,
    #[error("leaders read but do not edit")]
    ReadOnlyRole,
    #[error("only a supervisor or a customer administrator may do this")]
    RecordsKeeperOnly,
    #[error("only a supervisor may hand a customer to another account manager or unit")]
    ReassignSupervisorOnly,
    #[error("only an administrator may manage staff and reference data")]
    AdministratorOnly,
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

    /// Handing a customer to another account manager or unit (the A/B owners,
    /// the responsible unit) is a supervisor's decision (SPEC §1).
    pub fn may_reassign(&self) -> Result<(), Refusal> {
        match self.role {
            Role::Supervisor | Role::Admin => Ok(()),
            Role::Leader => Err(Refusal::ReadOnlyRole),
            Role::Manager => Err(Refusal::ReassignSupervisorOnly),
        }
    }

    /// The staff registry and reference data are the administrator's.
    pub fn may_administer(&self) -> Result<(), Refusal> {
        if self.role == Role::Admin { Ok(()) } else { Err(Refusal::AdministratorOnly) }
    }

    /// Approving registrations and overriding tiers are a supervisor's decisions.
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
