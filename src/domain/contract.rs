//! Contracts and agreements (SPEC §12, 合同、合作协议): what a contract is,
//! the approval chain it goes up step by step, who may decide each step,
//! which contracts are filed with the province, and when one is ending.
//!
//! # Status
//! draft → in approval → signed → filed → ended (SPEC §12). A contract in
//! approval waits on one step of its chain at a time; once every step has
//! approved it waits for the signatures (still "in approval", its chain
//! complete). A refusal at any step sends it back to draft with its reason;
//! submitting it again starts the chain again from the first step (a new
//! round: the earlier rounds' decisions stay on record). Filing is for
//! platinum and above (the filing date is required); a contract below
//! platinum goes from signed straight to ended. Any contract not yet ended
//! may be ended (expired, terminated, or a draft abandoned), with a reason.
//!
//! # The chain
//! Stored as data per tier (the bureau may replace a tier's chain); these
//! defaults apply where it has not:
//! - **diamond**: SPEC §12's five steps — the access (city) bureau submits
//!   the original with a cover letter and four copies; the province letters
//!   & philately bureau's departments review it; that bureau's leaders
//!   approve; the province company's market department gathers quality
//!   supervision, operations and finance and answers once (final text and
//!   signing body); the province bureau revises and returns it for signing.
//! - **every other tier**: the city bureau's own flow, which SPEC leaves to
//!   the bureau; the default is a short one: a supervisor of the access
//!   bureau, then a leader of it.
//!
//! # Who decides a step
//! Each step names a role (supervisor 主管 or leader 领导) and the body that
//! decides it ([`StepScope`]): the customer's unit or the access bureau (each
//! with the units above it), the province, or a specialised bureau directly
//! under the province (the province letters & philately bureau). A database
//! that holds no such body (a city bureau running kam alone) records the
//! province's answer when it comes back: a supervisor of the access bureau
//! (or above) enters it, marked as recorded on the province's behalf.
//! Administrators keep records but decide no step.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

use super::org::UnitLevel;
use super::staff::{Role, Staff};
use super::tier::Tier;

/// What kind of agreement it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum ContractKind {
    /// 业务合同
    Contract,
    /// 合作协议
    Agreement,
    /// 框架协议 (a group-level agreement, SPEC §12's price terms)
    Framework,
}

impl ContractKind {
    pub const ALL: [ContractKind; 3] = [ContractKind::Contract, ContractKind::Agreement, ContractKind::Framework];
}

/// Where a contract stands (SPEC §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum ContractStatus {
    /// 起草
    Draft,
    /// 审批中 (and, its chain complete, waiting for the signatures)
    InApproval,
    /// 已签署
    Signed,
    /// 已报省备案
    Filed,
    /// 已终止
    Ended,
}

impl ContractStatus {
    pub const ALL: [ContractStatus; 5] = [
        ContractStatus::Draft,
        ContractStatus::InApproval,
        ContractStatus::Signed,
        ContractStatus::Filed,
        ContractStatus::Ended,
    ];

    /// In force: signed (and filed, where that is due) and not ended.
    pub fn in_force(self) -> bool {
        matches!(self, ContractStatus::Signed | ContractStatus::Filed)
    }
}

/// The body that decides a step of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum StepScope {
    /// The customer's unit, or a unit above it.
    CustomerUnit,
    /// The access bureau (接入局: the city bureau that first registered the
    /// customer), or a unit above it.
    AccessBureau,
    /// A province unit above the access bureau.
    Province,
    /// A specialised bureau directly under that province (the province
    /// letters & philately bureau, 省函件集邮局).
    ProvinceBureau,
}

impl StepScope {
    pub const ALL: [StepScope; 4] =
        [StepScope::CustomerUnit, StepScope::AccessBureau, StepScope::Province, StepScope::ProvinceBureau];
}

/// What a step's decider did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    /// 同意
    Approved,
    /// 退回
    Refused,
}

impl Outcome {
    pub const ALL: [Outcome; 2] = [Outcome::Approved, Outcome::Refused];
}

/// The kind of a copy sent somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum CopyKind {
    /// 原件
    Original,
    /// 正本/副本 (a signed counterpart)
    Counterpart,
    /// 复印件
    Photocopy,
}

impl CopyKind {
    pub const ALL: [CopyKind; 3] = [CopyKind::Original, CopyKind::Counterpart, CopyKind::Photocopy];
}

stored_code!(ContractKind, ContractStatus, StepScope, Outcome, CopyKind);

/// One step of an approval chain: its name (a code of the default chains,
/// which the interface names in each language, or the bureau's own words),
/// who decides it and for which body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStep {
    pub name: String,
    pub role: Role,
    pub scope: StepScope,
}

impl ChainStep {
    fn new(name: &str, role: Role, scope: StepScope) -> ChainStep {
        ChainStep { name: name.to_string(), role, scope }
    }
}

/// The names of the default chains' steps (labelled by the interface).
pub mod step_names {
    pub const CITY_SUBMISSION: &str = "city_submission";
    pub const BUREAU_REVIEW: &str = "bureau_review";
    pub const BUREAU_LEADERS: &str = "bureau_leaders";
    pub const MARKET_DEPARTMENT: &str = "market_department";
    pub const BUREAU_REVISION: &str = "bureau_revision";
    pub const SUPERVISOR_REVIEW: &str = "supervisor_review";
    pub const LEADER_APPROVAL: &str = "leader_approval";
}

/// The chain a contract of `tier` goes up unless the bureau set its own
/// (see the module documentation).
pub fn default_chain(tier: Tier) -> Vec<ChainStep> {
    use step_names::*;
    match tier {
        Tier::Diamond => vec![
            ChainStep::new(CITY_SUBMISSION, Role::Supervisor, StepScope::AccessBureau),
            ChainStep::new(BUREAU_REVIEW, Role::Supervisor, StepScope::ProvinceBureau),
            ChainStep::new(BUREAU_LEADERS, Role::Leader, StepScope::ProvinceBureau),
            ChainStep::new(MARKET_DEPARTMENT, Role::Supervisor, StepScope::Province),
            ChainStep::new(BUREAU_REVISION, Role::Supervisor, StepScope::ProvinceBureau),
        ],
        _ => vec![
            ChainStep::new(SUPERVISOR_REVIEW, Role::Supervisor, StepScope::AccessBureau),
            ChainStep::new(LEADER_APPROVAL, Role::Leader, StepScope::AccessBureau),
        ],
    }
}

/// The longest chain a bureau may set.
pub const MAX_CHAIN_STEPS: usize = 12;

/// Why a chain cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("a chain has at least one step")]
    Empty,
    #[error("a chain has at most {MAX_CHAIN_STEPS} steps")]
    TooLong,
    #[error("step {0} has no name")]
    Unnamed(usize),
    /// Steps are decided by supervisors or leaders.
    #[error("step {0} is decided by a supervisor or a leader")]
    Role(usize),
}

/// Checks a chain the bureau sets.
pub fn check_chain(steps: &[ChainStep]) -> Result<(), ChainError> {
    if steps.is_empty() {
        return Err(ChainError::Empty);
    }
    if steps.len() > MAX_CHAIN_STEPS {
        return Err(ChainError::TooLong);
    }
    for (i, step) in steps.iter().enumerate() {
        if step.name.trim().is_empty() {
            return Err(ChainError::Unnamed(i + 1));
        }
        if !matches!(step.role, Role::Supervisor | Role::Leader) {
            return Err(ChainError::Role(i + 1));
        }
    }
    Ok(())
}

/// Platinum and above are filed with the province once signed (SPEC §12):
/// diamond, platinum, and the Shibei district level that stands with them
/// (as for complaints' cross-department teams).
pub fn needs_filing(tier: Tier) -> bool {
    matches!(tier, Tier::Diamond | Tier::Platinum | Tier::District)
}

/// How far ahead Today and `kam contracts --ending` look by default.
pub const ENDING_SOON_DAYS: u32 = 60;

/// Whether a contract ending on `end_on` ends within `days` of `today`:
/// on or before `today + days` (exactly `days` ahead counts). A contract
/// already past its end that nobody ended is included too: it still needs
/// renewing or ending.
pub fn ends_within(end_on: NaiveDate, today: NaiveDate, days: u32) -> bool {
    (end_on - today).num_days() <= i64::from(days)
}

/// Days from `today` to `end_on` (negative once it has passed).
pub fn days_left(end_on: NaiveDate, today: NaiveDate) -> i64 {
    (end_on - today).num_days()
}

/// Why a contract cannot take a step, or be saved as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContractError {
    /// Only a draft is edited or submitted.
    #[error("only a draft is changed or submitted; this contract is {}", .0.code())]
    NotDraft(ContractStatus),
    /// Approving, refusing and signing need a contract in approval.
    #[error("the contract is {}, not in approval", .0.code())]
    NotInApproval(ContractStatus),
    /// Signed before every step approved.
    #[error("the approval chain is not complete")]
    ChainIncomplete,
    /// Every step has approved: it waits for the signatures.
    #[error("every step has approved; the contract waits for its signatures")]
    ChainComplete,
    #[error("the contract is {}, not signed", .0.code())]
    NotSigned(ContractStatus),
    #[error("contracts of tier {} are not filed with the province", .0.code())]
    FilingNotRequired(Tier),
    #[error("the contract has ended")]
    Ended,
    /// A refusal, or ending a contract before its end date, needs a reason.
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the end date is before the start date")]
    EndBeforeStart,
    /// A field (by storage key) that must be filled: the number always; the
    /// dates and the service lines before the contract is submitted.
    #[error("{0} is required")]
    Missing(&'static str),
    /// A signing, filing or ending date after today.
    #[error("the date is in the future")]
    InFuture,
    #[error("filed before it was signed")]
    FiledBeforeSigned,
    #[error("signed before the last step approved")]
    SignedBeforeApproval,
    /// Another contract has this number.
    #[error("contract number {0} is taken")]
    NumberTaken(String),
    /// The access bureau is the customer's unit or a unit above it.
    #[error("the access bureau is the customer's unit or a unit above it")]
    AccessBureau,
    /// A log entry names a contract only at the agreement stage, and only
    /// one of its own customer.
    #[error("only an agreement-stage entry names a contract, of its own customer")]
    LogLink,
    #[error("{0}")]
    Chain(ChainError),
    /// Copies are one or more.
    #[error("at least one copy")]
    NoCopies,
}

/// Where a contract is in its approval: its status, how many times it was
/// submitted, and (in approval) the step it waits on, from 1; `None` in
/// approval once every step approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approval {
    pub status: ContractStatus,
    pub round: u32,
    pub current: Option<u32>,
    /// Steps in this round's chain.
    pub steps: u32,
}

impl Approval {
    /// A new draft.
    pub fn draft() -> Approval {
        Approval { status: ContractStatus::Draft, round: 0, current: None, steps: 0 }
    }

    /// Every step of the chain approved: it waits for the signatures.
    pub fn chain_complete(&self) -> bool {
        self.status == ContractStatus::InApproval && self.current.is_none()
    }

    /// The step waited on, if any.
    pub fn waiting_on(&self) -> Option<u32> {
        if self.status == ContractStatus::InApproval { self.current } else { None }
    }

    /// Submits a draft for approval up a chain of `steps` steps: a new round
    /// from the first step.
    pub fn submit(self, steps: usize) -> Result<Approval, ContractError> {
        if self.status != ContractStatus::Draft {
            return Err(ContractError::NotDraft(self.status));
        }
        let steps = u32::try_from(steps).map_err(|_| ContractError::Chain(ChainError::TooLong))?;
        if steps == 0 {
            return Err(ContractError::Chain(ChainError::Empty));
        }
        Ok(Approval { status: ContractStatus::InApproval, round: self.round + 1, current: Some(1), steps })
    }

    /// The step waited on approves: the next one is waited on, or, after
    /// the last, the signatures.
    pub fn approve(self) -> Result<Approval, ContractError> {
        let step = self.open_step()?;
        let next = (step < self.steps).then_some(step + 1);
        Ok(Approval { current: next, ..self })
    }

    /// The step waited on refuses: back to draft (the reason is kept with
    /// the step and on the contract).
    pub fn refuse(self, reason: &str) -> Result<Approval, ContractError> {
        self.open_step()?;
        if reason.trim().is_empty() {
            return Err(ContractError::ReasonRequired);
        }
        Ok(Approval { status: ContractStatus::Draft, current: None, ..self })
    }

    fn open_step(&self) -> Result<u32, ContractError> {
        match (self.status, self.current) {
            (ContractStatus::InApproval, Some(step)) => Ok(step),
            (ContractStatus::InApproval, None) => Err(ContractError::ChainComplete),
            (other, _) => Err(ContractError::NotInApproval(other)),
        }
    }

    /// Both sides signed: only after every step approved.
    pub fn sign(self) -> Result<Approval, ContractError> {
        match (self.status, self.current) {
            (ContractStatus::InApproval, None) => Ok(Approval { status: ContractStatus::Signed, ..self }),
            (ContractStatus::InApproval, Some(_)) => Err(ContractError::ChainIncomplete),
            (other, _) => Err(ContractError::NotInApproval(other)),
        }
    }

    /// Filed with the province: a signed contract of platinum and above.
    pub fn file(self, tier: Tier) -> Result<Approval, ContractError> {
        if !needs_filing(tier) {
            return Err(ContractError::FilingNotRequired(tier));
        }
        match self.status {
            ContractStatus::Signed => Ok(Approval { status: ContractStatus::Filed, ..self }),
            other => Err(ContractError::NotSigned(other)),
        }
    }

    /// Ended (expired, terminated, abandoned): from any status but ended.
    pub fn end(self) -> Result<Approval, ContractError> {
        match self.status {
            ContractStatus::Ended => Err(ContractError::Ended),
            _ => Ok(Approval { status: ContractStatus::Ended, current: None, ..self }),
        }
    }
}

/// A unit on the way up from the customer or the access bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainUnit {
    pub id: i64,
    pub level: UnitLevel,
}

/// A specialised bureau and the unit it sits under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bureau {
    pub id: i64,
    pub parent: i64,
}

/// Who decides a step: members of staff of `role` in one of `units`.
/// `on_behalf`: the body the step names is not in the database, so the
/// access bureau's supervisors record its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approvers {
    pub role: Role,
    pub units: Vec<i64>,
    pub on_behalf: bool,
}

impl Approvers {
    pub fn admit(&self, staff: &Staff) -> bool {
        staff.role == self.role && self.units.contains(&staff.unit_id)
    }
}

/// Who decides `step` of a contract whose customer's unit and the units above
/// it are `customer_units`, whose access bureau and the units above it are
/// `access_units` (each nearest first), among the specialised `bureaus`.
pub fn approvers(
    step: &ChainStep,
    customer_units: &[ChainUnit],
    access_units: &[ChainUnit],
    bureaus: &[Bureau],
) -> Approvers {
    let ids = |units: &[ChainUnit]| units.iter().map(|u| u.id).collect::<Vec<_>>();
    let provinces: Vec<i64> = access_units.iter().filter(|u| u.level == UnitLevel::Province).map(|u| u.id).collect();
    let units = match step.scope {
        StepScope::CustomerUnit => ids(customer_units),
        StepScope::AccessBureau => ids(access_units),
        StepScope::Province => provinces,
        StepScope::ProvinceBureau => bureaus.iter().filter(|b| provinces.contains(&b.parent)).map(|b| b.id).collect(),
    };
    if units.is_empty() {
        return Approvers { role: Role::Supervisor, units: ids(access_units), on_behalf: true };
    }
    Approvers { role: step.role, units, on_behalf: false }
}

/// The number kam proposes for a new contract: the access bureau's code,
/// `HT` (合同), the year and the next sequence of that prefix.
pub fn proposed_number(bureau_code: &str, year: i32, taken_in_year: u32) -> String {
    format!("{bureau_code}-HT{year}-{:04}", taken_in_year + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn staff(id: i64, unit: i64, role: Role) -> Staff {
        Staff { id, login: None, name: "x".into(), unit_id: unit, role }
    }

    #[test]
    fn the_diamond_chain_is_spec_twelves_five_steps_and_others_a_short_city_chain() {
        let diamond = default_chain(Tier::Diamond);
        let names: Vec<&str> = diamond.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["city_submission", "bureau_review", "bureau_leaders", "market_department", "bureau_revision"]
        );
        assert_eq!(diamond[0].scope, StepScope::AccessBureau);
        assert_eq!((diamond[2].role, diamond[2].scope), (Role::Leader, StepScope::ProvinceBureau));
        assert_eq!(diamond[3].scope, StepScope::Province);
        for tier in [Tier::Platinum, Tier::Gold, Tier::Silver, Tier::Vip, Tier::General, Tier::District] {
            let chain = default_chain(tier);
            assert_eq!(
                chain.iter().map(|s| (s.role, s.scope)).collect::<Vec<_>>(),
                [(Role::Supervisor, StepScope::AccessBureau), (Role::Leader, StepScope::AccessBureau)],
                "{tier:?}"
            );
            assert_eq!(check_chain(&chain), Ok(()));
        }
    }

    #[test]
    fn approving_every_step_in_turn_completes_the_chain() {
        let a = Approval::draft().submit(3).unwrap();
        assert_eq!((a.status, a.round, a.current, a.steps), (ContractStatus::InApproval, 1, Some(1), 3));
        let a = a.approve().unwrap();
        assert_eq!(a.waiting_on(), Some(2));
        assert_eq!(a.sign(), Err(ContractError::ChainIncomplete));
        let a = a.approve().unwrap().approve().unwrap();
        assert!(a.chain_complete());
        assert_eq!(a.waiting_on(), None);
        assert_eq!(a.approve(), Err(ContractError::ChainComplete));
        assert_eq!(a.refuse("晚了"), Err(ContractError::ChainComplete));
        let signed = a.sign().unwrap();
        assert_eq!(signed.status, ContractStatus::Signed);
        assert_eq!(signed.approve(), Err(ContractError::NotInApproval(ContractStatus::Signed)));
    }

    #[test]
    fn a_refusal_sends_it_back_to_draft_and_a_resubmission_starts_over() {
        let a = Approval::draft().submit(5).unwrap().approve().unwrap().approve().unwrap();
        assert_eq!(a.waiting_on(), Some(3));
        assert_eq!(a.refuse("  "), Err(ContractError::ReasonRequired));
        let back = a.refuse("折扣超出省局审批权限").unwrap();
        assert_eq!((back.status, back.current, back.round), (ContractStatus::Draft, None, 1));
        assert_eq!(back.approve(), Err(ContractError::NotInApproval(ContractStatus::Draft)));
        assert_eq!(back.sign(), Err(ContractError::NotInApproval(ContractStatus::Draft)));
        let again = back.submit(5).unwrap();
        assert_eq!((again.round, again.current), (2, Some(1)), "the chain starts again from its first step");
        // Only a draft is submitted.
        assert_eq!(again.submit(5), Err(ContractError::NotDraft(ContractStatus::InApproval)));
        assert_eq!(Approval::draft().submit(0), Err(ContractError::Chain(ChainError::Empty)));
    }

    #[test]
    fn platinum_and_above_are_filed_and_the_rest_are_not() {
        let filed: Vec<Tier> = Tier::ALL.into_iter().filter(|t| needs_filing(*t)).collect();
        assert_eq!(filed, [Tier::Diamond, Tier::Platinum, Tier::District]);
        let signed = Approval::draft().submit(1).unwrap().approve().unwrap().sign().unwrap();
        assert_eq!(signed.file(Tier::Platinum).unwrap().status, ContractStatus::Filed);
        assert_eq!(signed.file(Tier::Diamond).unwrap().status, ContractStatus::Filed);
        assert_eq!(signed.file(Tier::Gold), Err(ContractError::FilingNotRequired(Tier::Gold)));
        assert_eq!(signed.file(Tier::Vip), Err(ContractError::FilingNotRequired(Tier::Vip)));
        // Filing follows the signing.
        let unsigned = Approval::draft().submit(1).unwrap().approve().unwrap();
        assert_eq!(unsigned.file(Tier::Diamond), Err(ContractError::NotSigned(ContractStatus::InApproval)));
        let filed = signed.file(Tier::Diamond).unwrap();
        assert_eq!(filed.file(Tier::Diamond), Err(ContractError::NotSigned(ContractStatus::Filed)));
        assert!(filed.status.in_force() && signed.status.in_force());
        assert_eq!(filed.end().unwrap().status, ContractStatus::Ended);
        assert_eq!(filed.end().unwrap().end(), Err(ContractError::Ended));
    }

    #[test]
    fn ending_within_sixty_days_counts_the_sixtieth_day_and_not_the_sixty_first() {
        let today = day(2026, 11, 23);
        assert_eq!(days_left(day(2027, 1, 22), today), 60);
        assert!(ends_within(day(2027, 1, 22), today, ENDING_SOON_DAYS), "exactly 60 days ahead");
        assert!(!ends_within(day(2027, 1, 23), today, ENDING_SOON_DAYS), "61 days ahead");
        assert!(ends_within(today, today, ENDING_SOON_DAYS), "ends today");
        assert!(ends_within(day(2026, 10, 31), today, ENDING_SOON_DAYS), "past its end, not ended");
        assert_eq!(days_left(day(2026, 10, 31), today), -23);
        assert!(ends_within(day(2026, 12, 23), today, 30) && !ends_within(day(2026, 12, 24), today, 30));
    }

    #[test]
    fn steps_are_decided_by_their_role_in_their_body() {
        // Province 1 ⊃ city 2 ⊃ county 3; the province letters & philately
        // bureau 4 and the city's own bureau 5.
        let customer = [
            ChainUnit { id: 3, level: UnitLevel::County },
            ChainUnit { id: 2, level: UnitLevel::City },
            ChainUnit { id: 1, level: UnitLevel::Province },
        ];
        let access = &customer[1..];
        let bureaus = [Bureau { id: 4, parent: 1 }, Bureau { id: 5, parent: 2 }];
        let chain = default_chain(Tier::Diamond);
        let first = approvers(&chain[0], &customer, access, &bureaus);
        assert_eq!(first, Approvers { role: Role::Supervisor, units: vec![2, 1], on_behalf: false });
        assert!(first.admit(&staff(1, 2, Role::Supervisor)));
        assert!(!first.admit(&staff(1, 3, Role::Supervisor)), "the county is below the access bureau");
        assert!(!first.admit(&staff(1, 2, Role::Leader)), "a leader does not take a supervisor's step");
        assert!(!first.admit(&staff(1, 2, Role::Admin)), "administrators decide no step");
        let leaders = approvers(&chain[2], &customer, access, &bureaus);
        assert_eq!(leaders, Approvers { role: Role::Leader, units: vec![4], on_behalf: false });
        assert!(!leaders.admit(&staff(1, 5, Role::Leader)), "the city's own bureau is not the province's");
        let market = approvers(&chain[3], &customer, access, &bureaus);
        assert_eq!(market.units, vec![1]);
        let own_unit =
            ChainStep { name: "区局主管".into(), role: Role::Supervisor, scope: StepScope::CustomerUnit };
        assert_eq!(approvers(&own_unit, &customer, access, &bureaus).units, vec![3, 2, 1]);
    }

    #[test]
    fn a_body_missing_from_the_database_is_recorded_by_the_access_bureau() {
        // A city bureau running kam alone: no province above it.
        let customer = [ChainUnit { id: 3, level: UnitLevel::County }, ChainUnit { id: 2, level: UnitLevel::City }];
        let access = &customer[1..];
        let bureaus = [Bureau { id: 5, parent: 2 }];
        for step in &default_chain(Tier::Diamond)[1..] {
            let who = approvers(step, &customer, access, &bureaus);
            assert_eq!(who, Approvers { role: Role::Supervisor, units: vec![2], on_behalf: true }, "{}", step.name);
        }
    }

    #[test]
    fn a_bureau_chain_needs_named_steps_decided_by_supervisors_or_leaders() {
        assert_eq!(check_chain(&[]), Err(ChainError::Empty));
        let step = |name: &str, role| ChainStep { name: name.into(), role, scope: StepScope::AccessBureau };
        assert_eq!(
            check_chain(&[step("主管审核", Role::Supervisor), step(" ", Role::Leader)]),
            Err(ChainError::Unnamed(2))
        );
        assert_eq!(check_chain(&[step("经理", Role::Manager)]), Err(ChainError::Role(1)));
        assert_eq!(check_chain(&vec![step("审核", Role::Leader); 13]), Err(ChainError::TooLong));
    }

    #[test]
    fn proposed_numbers_carry_the_bureau_and_the_year() {
        assert_eq!(proposed_number("GZ", 2026, 0), "GZ-HT2026-0001");
        assert_eq!(proposed_number("GZ", 2026, 41), "GZ-HT2026-0042");
    }

    #[test]
    fn codes_round_trip() {
        for s in ContractStatus::ALL {
            assert_eq!(ContractStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(ContractStatus::ALL.map(ContractStatus::code).join(","), "draft,in_approval,signed,filed,ended");
        assert_eq!(
            StepScope::ALL.map(StepScope::code).join(","),
            "customer_unit,access_bureau,province,province_bureau"
        );
        assert_eq!(CopyKind::ALL.map(CopyKind::code).join(","), "original,counterpart,photocopy");
        assert_eq!(ContractKind::ALL.map(ContractKind::code).join(","), "contract,agreement,framework");
    }
}
