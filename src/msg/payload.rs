//! The payloads that messages and actions carry: what a form is asked to do
//! (requests, built by one screen and opened by the app) and what a read off
//! the interface thread found (answers). Plain data, so that `msg` names no
//! screen and a screen that sends one need not know the screen that takes it.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::db::analysis::MonthlyAnalysis;
use crate::db::complaints::Complaint;
use crate::db::contracts::Contract;
use crate::db::customers::{CustomerRow, Dossier};
use crate::db::records::{Record, RecordKind};
use crate::db::visits::Visit;
use crate::domain::id::CustomerId;
use crate::domain::tier::Tier;

// Requests: what a form screen opens for.

/// Which part of the dossier an edit form covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Basic,
    Extended,
}

/// What a dossier form is for; the app opens a form screen for it.
#[derive(Debug, Clone)]
pub enum FormRequest {
    NewCustomer { headquarters: Option<CustomerId> },
    EditCustomer { base: Box<Dossier>, section: Section },
    NewRecord { kind: RecordKind, customer: CustomerId },
    EditRecord { kind: RecordKind, base: Box<Record> },
    OverrideTier { id: CustomerId, current: Option<Tier>, reason: String },
    DecideRegistration { id: CustomerId, approve: bool },
}

/// What a visit form is for.
#[derive(Debug, Clone)]
pub enum VisitRequest {
    /// Plan a visit; `follows` is (the earlier visit, its next step) when this
    /// is that visit's next step.
    Plan {
        customer: Option<CustomerId>,
        date: NaiveDate,
        follows: Option<(i64, String)>,
    },
    Record {
        base: Box<Visit>,
    },
    Cancel {
        base: Box<Visit>,
    },
    Edit {
        base: Box<Visit>,
    },
}

/// What a complaint form is for.
#[derive(Debug, Clone)]
pub enum ComplaintRequest {
    File {
        customer: Option<CustomerId>,
    },
    Step {
        base: Box<Complaint>,
    },
    /// The first phone contact (special cases need it before resolving).
    Phone {
        base: Box<Complaint>,
    },
    /// A monthly follow-up note, or the note that the impact is gone.
    FollowUp {
        base: Box<Complaint>,
    },
}

/// What a service-request form is for (SPEC §9).
#[derive(Debug, Clone)]
pub enum ServiceForm {
    /// Receive a request (for this customer, when known).
    Receive { customer: Option<CustomerId> },
    /// A step of the request: its note, the result (done) or the reason (cancel).
    Step { base: Box<crate::db::requests::ServiceRequest>, step: crate::domain::request::RequestStep },
}

/// What a marketing-log form is for.
#[derive(Debug, Clone)]
pub enum LogRequest {
    New {
        customer: Option<CustomerId>,
    },
    FromVisit {
        visit: Box<Visit>,
    },
    Comment {
        log_id: i64,
        customer_name: String,
    },
    /// An agreement-stage entry naming this contract (SPEC §6, §12).
    ForContract {
        contract: Box<Contract>,
    },
}

/// What a development-pipeline form is for (SPEC §13.5–13.6).
#[derive(Debug, Clone)]
pub enum PipelineForm {
    /// Start a prospect at the survey, for this customer when given.
    Start { customer: Option<CustomerId> },
    /// Add a line to `unit`'s industry ranking table, or edit `base`.
    Industry { unit: i64, base: Option<Box<crate::db::pipeline::IndustryRank>> },
}

/// What a contract form is for (SPEC §12).
#[derive(Debug, Clone)]
pub enum ContractRequest {
    /// Draft a contract, for this customer when given.
    New {
        customer: Option<CustomerId>,
    },
    /// Change a draft's terms.
    Edit {
        base: Box<Contract>,
    },
    /// Approve the step waited on, with an opinion.
    Approve {
        base: Box<Contract>,
    },
    /// Refuse the step waited on, with its reason.
    Refuse {
        base: Box<Contract>,
    },
    Sign {
        base: Box<Contract>,
    },
    File {
        base: Box<Contract>,
    },
    End {
        base: Box<Contract>,
    },
    /// Copies sent somewhere.
    Copy {
        base: Box<Contract>,
    },
}

impl ContractRequest {
    /// The contract the form works on, if it exists yet.
    pub fn base(&self) -> Option<&Contract> {
        match self {
            ContractRequest::New { .. } => None,
            ContractRequest::Edit { base }
            | ContractRequest::Approve { base }
            | ContractRequest::Refuse { base }
            | ContractRequest::Sign { base }
            | ContractRequest::File { base }
            | ContractRequest::End { base }
            | ContractRequest::Copy { base } => Some(base),
        }
    }
}

// Answers: reads run on the reader thread (`crate::background`).

/// What a search found: the number of matches and the first rows, or `None`
/// when it could not be run there (the list then runs it itself and reports
/// any error the usual way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchAnswer {
    /// Tells answers to an older query apart from the one now wanted.
    pub generation: u64,
    pub found: Option<(u64, Vec<CustomerRow>)>,
}

/// What a form's customer pick list found: its first rows and whether more
/// match, or `None` when it could not be run there (the form then searches
/// itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickAnswer {
    pub generation: u64,
    pub found: Option<(Vec<CustomerRow>, bool)>,
}

/// A period's figures from the reader thread; `None` when they could not be
/// read there (the screen then reads them itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodAnswer {
    pub generation: u64,
    pub data: Option<Arc<crate::db::period::PeriodView>>,
}

/// A month's analysis from the reader thread; `None` when it could not be read
/// there (the screen then reads it itself and shows any error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisAnswer {
    pub generation: u64,
    pub data: Option<Arc<MonthlyAnalysis>>,
}

/// The month-end sheets from the reader thread; `None` when they could not be
/// read there (the screen then reads them itself and shows any error).
#[derive(Debug, Clone)]
pub struct AppraisalAnswer {
    pub generation: u64,
    pub sheets: Option<Arc<Vec<crate::review::appraisal::ManagerMonth>>>,
}

/// Answers are the same when they are the same read (the sheets are shared, not copied).
impl PartialEq for AppraisalAnswer {
    fn eq(&self, other: &AppraisalAnswer) -> bool {
        self.generation == other.generation
            && match (&self.sheets, &other.sheets) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}
impl Eq for AppraisalAnswer {}
/// A unit's goal indicators from the reader thread, and whether the user
/// sets the unit's targets; `None` when they could not be read there (the
/// panel then reads them itself and shows any error).
#[derive(Debug, Clone)]
pub struct GoalsAnswer {
    pub generation: u64,
    pub data: Option<Arc<crate::review::goals::GoalReport>>,
    pub may_set: bool,
}

/// Answers are told apart by their generation and the figures they share.
impl PartialEq for GoalsAnswer {
    fn eq(&self, other: &GoalsAnswer) -> bool {
        let same = match (&self.data, &other.data) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        self.generation == other.generation && self.may_set == other.may_set && same
    }
}

impl Eq for GoalsAnswer {}
