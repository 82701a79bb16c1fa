//! One test for every stored code: each enum's strum mapping (written once,
//! in its `#[strum(...)]` attributes) against what the schema accepts.
//!
//! The CHECK lists are read from the schema the migrations build (the
//! `CREATE TABLE` text SQLite keeps, `ALTER TABLE … ADD COLUMN` included), so
//! a renamed variant, a new variant without a migration, or a migration that
//! drops a code fails here, before an existing database meets it.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::str::FromStr;

use rusqlite::Connection;
use serde::Serialize;
use strum::IntoEnumIterator;

use crate::db::appraisal::{CloseStatus, EntryKind};
use crate::domain::appraisal::goals::GoalIndicator;
use crate::domain::complaint::{Category, Channel, ComplaintState, Locality, Satisfaction, Severity, Transition};
use crate::domain::contract::{ContractKind, ContractStatus, CopyKind, Outcome, StepScope};
use crate::domain::dossier::{CUSTOMER_KINDS, DECISION_ROLES, STAGES, STATUSES};
use crate::domain::holidays::Holiday;
use crate::domain::marketing_log::{DealStage, Method};
use crate::domain::org::UnitLevel;
use crate::domain::recurrence::RepeatUnit;
use crate::domain::request::{Area, DayCount, RequestChannel, RequestKind, RequestStatus, RequestStep, ServiceMode};
use crate::domain::revenue::CustomerStatus;
use crate::domain::staff::Role;
use crate::domain::tier::{Tier, TierPreset};
use crate::domain::visit::{ParticipantRole, VisitKind, VisitState, VisitStatus};
use crate::domain::visit_standard::StandardPreset;

/// Where the codes of one enum (or code list) must be accepted.
enum Stored {
    /// `table.column` has a `CHECK (column IN (…))`: exactly these codes.
    Check(&'static [(&'static str, &'static str)]),
    /// No CHECK (a free column, a config value or a file's text): the codes
    /// are listed here, so that changing one is a decision this test shows.
    Listed(&'static [&'static str]),
}

struct Case {
    name: &'static str,
    codes: Vec<&'static str>,
    stored: Stored,
    /// Problems found while mapping the variants (round trip, serde, ALL).
    problems: Vec<String>,
}

/// The codes of every variant, in declaration order, with what does not
/// round-trip through the one mapping (`code()`/`from_code()` are thin
/// wrappers of the same strum derives).
fn mapped<E>(name: &'static str, all: &[E], stored: Stored) -> Case
where
    E: IntoEnumIterator + Copy + PartialEq + Debug + Into<&'static str> + FromStr,
{
    let mut problems = Vec::new();
    let variants: Vec<E> = E::iter().collect();
    if variants != all {
        problems.push(format!("{name}::ALL is {all:?}, the variants are {variants:?}"));
    }
    let codes: Vec<&'static str> = variants.iter().map(|v| (*v).into()).collect();
    for (v, code) in variants.iter().zip(&codes) {
        match code.parse::<E>() {
            Ok(back) if back == *v => {}
            _ => problems.push(format!("{name}: '{code}' does not read back as {v:?}")),
        }
    }
    if "not-a-code".parse::<E>().is_ok() || "".parse::<E>().is_ok() {
        problems.push(format!("{name}: an unknown code was accepted"));
    }
    Case { name, codes, stored, problems }
}

/// As [`mapped`], and serde (config files, JSON output) writes the same code.
fn mapped_serde<E>(name: &'static str, all: &[E], stored: Stored) -> Case
where
    E: IntoEnumIterator + Copy + PartialEq + Debug + Into<&'static str> + FromStr + Serialize,
{
    let mut case = mapped(name, all, stored);
    for v in E::iter() {
        let code: &'static str = v.into();
        let json = serde_json::to_string(&v).expect("a unit variant serializes");
        if json != format!("\"{code}\"") {
            case.problems.push(format!("{name}: serde writes {json} for {v:?}, the stored code is '{code}'"));
        }
    }
    case
}

fn listed(name: &'static str, codes: &'static [&'static str], stored: Stored) -> Case {
    Case { name, codes: codes.to_vec(), stored, problems: Vec::new() }
}

fn cases() -> Vec<Case> {
    use Stored::{Check, Listed};
    vec![
        mapped("UnitLevel", &UnitLevel::ALL, Check(&[("org_unit", "kind")])),
        mapped_serde("Role", &Role::ALL, Check(&[("staff", "role")])),
        mapped_serde("CustomerStatus", &CustomerStatus::ALL, Check(&[("customer", "status")])),
        listed("STATUSES", STATUSES, Check(&[("customer", "status")])),
        listed("CUSTOMER_KINDS", CUSTOMER_KINDS, Check(&[("customer", "kind")])),
        listed("STAGES", STAGES, Check(&[("customer", "stage")])),
        listed("DECISION_ROLES", DECISION_ROLES, Check(&[("key_person", "decision_role")])),
        mapped_serde("RepeatUnit", &RepeatUnit::ALL, Check(&[("visit_series", "unit")])),
        mapped_serde("VisitKind", &VisitKind::ALL, Check(&[("visit", "kind")])),
        mapped_serde(
            "VisitState",
            &[VisitState::Planned, VisitState::Done, VisitState::Cancelled],
            Check(&[("visit", "state")]),
        ),
        mapped_serde(
            "ParticipantRole",
            &[ParticipantRole::AccountManager, ParticipantRole::Supervisor, ParticipantRole::Leader],
            Check(&[("visit_staff", "role")]),
        ),
        mapped_serde("Method", &Method::ALL, Check(&[("marketing_log", "method")])),
        mapped_serde("DealStage", &DealStage::ALL, Check(&[("marketing_log", "stage")])),
        mapped_serde(
            "Satisfaction",
            &Satisfaction::ALL,
            Check(&[
                ("marketing_log", "satisfaction"),
                ("complaint", "satisfaction"),
                ("complaint_event", "satisfaction"),
            ]),
        ),
        mapped_serde("Channel", &Channel::ALL, Check(&[("complaint", "channel")])),
        mapped_serde("Category", &Category::ALL, Check(&[("complaint", "category")])),
        mapped_serde("Severity", &Severity::ALL, Check(&[("complaint", "severity")])),
        mapped_serde("Locality", &Locality::ALL, Check(&[("complaint", "locality")])),
        mapped_serde("ComplaintState", &ComplaintState::ALL, Check(&[("complaint", "state")])),
        mapped_serde("EntryKind", &EntryKind::ALL, Check(&[("appraisal_entry", "kind")])),
        mapped_serde("RequestChannel", &RequestChannel::ALL, Check(&[("service_request", "channel")])),
        mapped_serde("RequestKind", &RequestKind::ALL, Check(&[("service_request", "kind")])),
        mapped_serde("ServiceMode", &ServiceMode::ALL, Check(&[("service_request", "mode")])),
        mapped_serde("Area", &Area::ALL, Check(&[("service_request", "area")])),
        mapped_serde(
            "RequestStatus",
            &RequestStatus::ALL,
            Check(&[
                ("service_request", "status"),
                ("service_request_event", "from_status"),
                ("service_request_event", "to_status"),
            ]),
        ),
        // A step's code is the timeline's kind (with `received`, the first line).
        mapped_serde("RequestStep", &RequestStep::ALL, Check(&[("service_request_event", "kind")])),
        mapped_serde("DayCount", &DayCount::ALL, Listed(&["calendar", "working"])),
        mapped("CloseStatus", &[CloseStatus::Closed, CloseStatus::Open], Check(&[("appraisal_close", "status")])),
        mapped_serde("GoalIndicator", &GoalIndicator::ALL, Check(&[("goal_target", "indicator")])),
        mapped("ContractKind", &ContractKind::ALL, Check(&[("contract", "kind")])),
        mapped("ContractStatus", &ContractStatus::ALL, Check(&[("contract", "status")])),
        mapped_serde("StepScope", &StepScope::ALL, Check(&[("contract_step", "scope")])),
        mapped("Outcome", &Outcome::ALL, Check(&[("contract_step", "outcome")])),
        mapped("CopyKind", &CopyKind::ALL, Check(&[("contract_copy", "kind")])),
        mapped_serde("PlanStatus", &crate::domain::plan::PlanStatus::ALL, Check(&[("marketing_plan", "status")])),
        mapped_serde("PipelineStep", &crate::domain::pipeline::Step::ALL, Check(&[("prospect_step", "step")])),
        // customer.tier has no CHECK (the preset decides); the codes are in config files too.
        mapped_serde(
            "Tier",
            &Tier::ALL,
            Listed(&[
                "diamond", "platinum", "gold", "silver", "vip", "general", "district", "company", "branch", "none",
            ]),
        ),
        mapped_serde("TierPreset", &TierPreset::ALL, Listed(&["guangdong-score", "shantou", "letter-bands", "shibei"])),
        mapped_serde(
            "StandardPreset",
            &StandardPreset::ALL,
            Listed(&["guangdong-letters", "shantou", "shanghai", "class"]),
        ),
        mapped_serde("Holiday", &Holiday::ALL, Listed(&["new_year", "spring_festival", "mid_autumn", "postal_day"])),
        mapped_serde(
            "VisitStatus",
            &[VisitStatus::Planned, VisitStatus::Done, VisitStatus::Cancelled, VisitStatus::Overdue],
            Listed(&["planned", "done", "cancelled", "overdue"]),
        ),
    ]
}

/// The quoted codes of `column IN ('a','b',…)` in a table's CREATE text.
fn check_list(create: &str, column: &str) -> Option<Vec<String>> {
    let needle = format!("{column} IN (");
    let start = create.match_indices(&needle).map(|(i, _)| i).find(|&i| {
        // the column itself, not a longer name ending in it
        create[..i].chars().last().is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    })? + needle.len();
    let end = start + create[start..].find(')')?;
    Some(create[start..end].split(',').map(|code| code.trim().trim_matches('\'').to_string()).collect())
}

fn schema() -> Connection {
    let mut conn = Connection::open_in_memory().expect("memory database");
    super::migrate_to_version(&mut conn, usize::try_from(super::schema_version()).expect("a positive version"))
        .expect("every step applies");
    conn
}

fn create_text(conn: &Connection, table: &str) -> String {
    conn.query_row("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))
        .unwrap_or_else(|e| panic!("table {table}: {e}"))
}

#[test]
fn every_stored_code_is_the_one_the_schema_allows_and_reads_back() {
    let conn = schema();
    let mut problems = Vec::new();
    for case in cases() {
        problems.extend(case.problems);
        let codes: BTreeSet<&str> = case.codes.iter().copied().collect();
        if codes.len() != case.codes.len() {
            problems.push(format!("{}: two variants share a code: {:?}", case.name, case.codes));
        }
        match case.stored {
            Stored::Check(columns) => {
                for (table, column) in columns {
                    let Some(allowed) = check_list(&create_text(&conn, table), column) else {
                        problems.push(format!("{}: {table}.{column} has no CHECK list", case.name));
                        continue;
                    };
                    let allowed: BTreeSet<&str> = allowed.iter().map(String::as_str).collect();
                    if allowed != codes {
                        problems.push(format!(
                            "{}: {table}.{column} allows {allowed:?}, the codes are {codes:?}",
                            case.name
                        ));
                    }
                }
            }
            Stored::Listed(expected) => {
                if case.codes != expected {
                    problems.push(format!("{}: codes {:?}, stored as {expected:?}", case.name, case.codes));
                }
            }
        }
    }
    // The tier presets are rows of their own table as well.
    let mut preset_rows: Vec<String> = conn
        .prepare("SELECT code FROM tier_preset ORDER BY rowid")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("tier_preset rows");
    preset_rows.sort();
    let mut preset_codes: Vec<String> = TierPreset::ALL.iter().map(|p| p.code().to_string()).collect();
    preset_codes.sort();
    if preset_rows != preset_codes {
        problems.push(format!("tier_preset rows {preset_rows:?}, TierPreset codes {preset_codes:?}"));
    }
    // A transition's code is the timeline's `kind` (no CHECK: notes share the column).
    let steps: BTreeSet<&str> = Transition::ALL.iter().map(|t| t.code()).collect();
    let expected: BTreeSet<&str> =
        ["assign", "start", "escalate", "resolve", "confirm", "close", "reopen", "close_unsatisfied"].into();
    if steps != expected {
        problems.push(format!("Transition codes {steps:?}, stored as {expected:?}"));
    }
    assert!(problems.is_empty(), "stored codes out of step:\n{}", problems.join("\n"));
}

/// Typed input keeps its old leniency: any case, surrounding blanks, and
/// `district` for a county centre (the stored code stays `county`).
#[test]
fn unit_levels_read_as_typed() {
    assert_eq!(UnitLevel::from_code(" District "), Some(UnitLevel::County));
    assert_eq!(UnitLevel::from_code("BUREAU"), Some(UnitLevel::Bureau));
    assert_eq!(UnitLevel::County.code(), "county");
    assert_eq!(UnitLevel::from_code("town"), None);
}

#[test]
fn check_lists_are_read_from_the_create_text() {
    let create = "CREATE TABLE t (kind TEXT CHECK (kind IN ('a','b')), subkind TEXT CHECK (subkind IN ('x')))";
    assert_eq!(check_list(create, "kind"), Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(check_list(create, "subkind"), Some(vec!["x".to_string()]));
    assert_eq!(check_list(create, "other"), None);
}
