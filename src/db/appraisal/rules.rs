//! The bureau's appraisal rules (考核办法, SPEC §10, the values marked *ref*):
//! dated versions, one a month at most, written once by the administrator
//! and never changed; a month is appraised by the version in force then
//! ([`settings::in_force`]), or the reference values when none is.

use super::AppraisalProblem;
use crate::db::sql::{Sql, args};
use crate::db::{Actor, Conn, DbError, Invalid, Store};
use crate::domain::appraisal::settings::{self, AppraisalSettings};
use crate::domain::revenue::Month;

/// Every stored version, earliest first. A version's month is the column's
/// (the JSON's own `effective_from` is read over by it).
pub fn rules_versions(conn: &Conn) -> Result<Vec<AppraisalSettings>, DbError> {
    let rows: Vec<(i64, String)> =
        conn.rows("SELECT effective_from, rules FROM appraisal_rules ORDER BY effective_from", args![], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    rows.into_iter()
        .map(|(from, json)| {
            let mut version: AppraisalSettings = serde_json::from_str(&json)
                .map_err(|e| DbError::Invalid(Invalid::Constraint(format!("appraisal rules of {from}: {e}"))))?;
            if let Some(month) = Month::from_key(from) {
                version.effective_from = month;
            }
            Ok(version)
        })
        .collect()
}

/// The rules that govern `month`: the latest version not after it, else
/// the reference values ([`AppraisalSettings::default`]).
pub fn rules_in_force(conn: &Conn, month: Month) -> Result<AppraisalSettings, DbError> {
    let versions = rules_versions(conn)?;
    Ok(settings::in_force(&versions, month).cloned().unwrap_or_default())
}

/// The administrator dates a new version of the rules. Refused when it does
/// not hold together ([`AppraisalSettings::validate`]) or when a version
/// from the same month exists (a version is never changed).
pub fn set_rules(store: &mut Store, actor: &Actor, rules: &AppraisalSettings) -> Result<(), DbError> {
    actor.staff.may_administer()?;
    rules.validate().map_err(AppraisalProblem::Rules)?;
    let json = serde_json::to_string(rules).map_err(|e| DbError::Invalid(Invalid::Constraint(e.to_string())))?;
    let from = rules.effective_from;
    store.write(|tx| {
        let exists: bool = tx.row(
            "SELECT EXISTS (SELECT 1 FROM appraisal_rules WHERE effective_from = ?1)",
            args![from.key()],
            |r| r.get(0),
        )?;
        if exists {
            return Err(AppraisalProblem::RulesExist(from).into());
        }
        tx.exec(
            "INSERT INTO appraisal_rules (effective_from, rules, set_by, set_at) VALUES (?1, ?2, ?3, ?4)",
            args![from.key(), json, actor.staff.id, actor.stamp()],
        )
        .map_err(crate::db::error::constraint_as_invalid)?;
        Ok(())
    })
}
