//! What can happen (`Msg`) and what screens ask the app to do (`Action`).

use crossterm::event::KeyEvent;

use crate::domain::id::CustomerId;

mod payload;

pub use payload::{
    AnalysisAnswer, AppraisalAnswer, ComplaintRequest, ContractRequest, FormRequest, GoalsAnswer, LogRequest,
    PeriodAnswer, PickAnswer, PipelineForm, SearchAnswer, Section, ServiceForm, VisitRequest,
};

/// An input to the loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick,
    /// The clock passed midnight while the app was open: screens showing
    /// "today" move to the new day (sent by `App`, never by the terminal).
    DayChanged {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    /// The customer list's search came back from the reader thread.
    Searched(SearchAnswer),
    /// A form's customer pick list search came back from the reader thread.
    Picked(PickAnswer),
    /// The monthly analysis came back from the reader thread.
    Analysed(Box<AnalysisAnswer>),
    /// The analysis of a period of months came back from the reader thread.
    PeriodAnalysed(Box<PeriodAnswer>),
    /// The month-end sheets came back from the reader thread.
    Appraised(Box<AppraisalAnswer>),
    /// A unit's goal indicators came back from the reader thread.
    GoalsMeasured(Box<GoalsAnswer>),
}

/// What a screen asks the app to do; screens never reach into each other.
#[derive(Debug)]
pub enum Action {
    Back,
    Quit,
    OpenDossier(CustomerId),
    /// The dossier on its marketing plans tab (Today's plan lines).
    OpenPlans(CustomerId),
    OpenForm(Box<FormRequest>),
    OpenVisitForm(Box<VisitRequest>),
    OpenComplaintForm(Box<ComplaintRequest>),
    /// Receive a service request, or take a step of one.
    OpenServiceForm(Box<ServiceForm>),
    /// One service request with its timeline (from Today or the dossier).
    OpenRequest(i64),
    OpenLogForm(Box<LogRequest>),
    /// Read a marketing log entry in full (its comments too).
    OpenLogEntry(i64),
    /// Open a unit's analysis report (SPEC §13.4).
    OpenReport(crate::db::analysis_report::ReportKey),
    /// The contracts list: waiting for my approval, ending soon, all.
    OpenContracts,
    /// One contract with its chain, copies and log entries.
    OpenContract(i64),
    OpenContractForm(Box<ContractRequest>),
    /// The development pipeline, with the selection on this prospect when given.
    OpenPipeline(Option<CustomerId>),
    /// Start a prospect, or add or edit a line of the ranking table.
    OpenPipelineForm(Box<PipelineForm>),
    /// Propose the missing visits of the month containing this day.
    PlanMonth(chrono::NaiveDate),
    /// Replace the whole stack with one of the main screens.
    Go(MainScreen),
    /// A form saved: close it and let the screen below reload.
    Saved,
    Info(String),
    Error(String),
}

/// The screens reachable from anywhere with 1, 2, 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MainScreen {
    Today,
    Customers,
    Calendar,
    Standards,
    Complaints,
    Log,
    Analysis,
    /// Units, industries and service lines.
    Setup,
    /// The month end: account managers' appraisal and pay.
    Appraisal,
    /// Service requests (SPEC §9).
    Requests,
}
