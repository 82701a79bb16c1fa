//! `kam import customers|persons|revenue|unit-revenue|visits|log|receivables FILE [--dry-run]`: a CSV file as Excel
//! saves it, checked whole. Any bad row, whether the file or the database finds
//! it, is listed with its line and nothing is written; a good file is written in
//! one transaction, and importing it again changes nothing.

use std::path::Path;

use anyhow::{Context, Result, anyhow};

use super::CommandEnv;
use crate::cli::ImportKind;
use crate::db::DbError;
use crate::db::import::ImportReport;
use crate::domain::complaint::Satisfaction;
use crate::domain::dossier::{FieldKind, PERSON_FIELDS, customer_fields};
use crate::domain::marketing_log::{DealStage, Method};
use crate::domain::visit::VisitKind;
use crate::domain::volume::ReturnsError;
use crate::i18n::{
    Lang, choice_label, field_label, fill, method_label, satisfaction_label, stage_label, visit_kind_label,
};
use crate::import::csv_file::{Table, read_table};
use crate::import::{self, BadRow, FileProblem, Problem};
use crate::ui::widgets::text::clean_lines;
use crate::ui::{field_error_text, id_error_text, refusal_text};

pub fn run(env: &mut CommandEnv, kind: ImportKind, file: &Path, dry_run: bool) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| file.display().to_string())?;
    let outcome = import_bytes(env, kind, &bytes, dry_run)?;
    crate::outln!("{}", outcome.summary(env.lang, kind, dry_run));
    if outcome.bad.is_empty() {
        return Ok(());
    }
    for b in &outcome.bad {
        crate::errln!("{}", bad_row_text(env.lang, b));
    }
    let mut lines: Vec<usize> = outcome.bad.iter().map(|b| b.line).collect();
    lines.dedup();
    Err(anyhow!(fill(env.lang.text().import_bad_rows, &[&lines.len()])))
}

/// What an import found and did (nothing, when any row is bad).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub encoding: &'static str,
    /// Data rows read.
    pub rows: usize,
    /// Headers of the columns not imported.
    pub ignored: Vec<String>,
    /// Every bad row, whether the file or the database refused it, in line order.
    pub bad: Vec<BadRow>,
    pub report: ImportReport,
}

impl Outcome {
    /// What `summary_raw` says, with anything quoted from the file made
    /// harmless for the terminal (escape sequences, bidi controls).
    pub fn summary(&self, lang: Lang, kind: ImportKind, dry_run: bool) -> String {
        clean_lines(&self.summary_raw(lang, kind, dry_run))
    }

    /// The encoding, the columns not imported, and the counts unless rows were refused.
    fn summary_raw(&self, lang: Lang, kind: ImportKind, dry_run: bool) -> String {
        let t = lang.text();
        let mut out = vec![fill(t.import_encoding, &[&self.encoding])];
        if !self.ignored.is_empty() {
            out.push(fill(t.import_not_used, &[&self.ignored.join(", ")]));
        }
        if !self.bad.is_empty() {
            return out.join("\n");
        }
        let c = self.report.counts;
        let counts = if dry_run { t.import_dry_run } else { t.import_summary };
        out.push(fill(counts, &[&self.rows, &c.inserted, &c.updated, &c.unchanged]));
        if kind == ImportKind::Revenue {
            out.push(t.import_per_entry.to_string());
            if !dry_run {
                out.push(fill(t.import_statuses, &[&self.report.statuses_changed]));
            }
        }
        match kind {
            ImportKind::Volume => out.push(t.volume_per_entry.to_string()),
            ImportKind::Returns => out.push(t.volume_returns_per_entry.to_string()),
            ImportKind::Visits => out.push(t.import_visits_done.to_string()),
            ImportKind::Log => out.push(t.import_log_authors.to_string()),
            ImportKind::Receivables => out.push(t.import_receivables_note.to_string()),
            _ => {}
        }
        out.join("\n")
    }
}

/// Checks the file and, unless it is a dry run or any row is bad, imports it.
/// Errors (a refused user, an unreadable file, storage) come translated.
pub fn import_bytes(env: &mut CommandEnv, kind: ImportKind, bytes: &[u8], dry_run: bool) -> Result<Outcome> {
    let lang = env.lang;
    // Asked first so that a refused user is not shown the file's problems; the
    // database functions ask again, whoever calls them. Log entries are
    // everyone's but a leader's to bring in (their own; others' by deciding
    // for the customer's unit), row by row.
    let may_import = match kind {
        ImportKind::Log => env.actor.staff.may_register_customer(),
        _ => env.actor.staff.may_keep_records(),
    };
    may_import.map_err(|r| anyhow!(refusal_text(lang, &r)))?;
    let table = read_table(bytes).map_err(|p| anyhow!(file_problem_text(lang, &p)))?;
    import_table(env, kind, &table, dry_run).map_err(|e| match e {
        Failure::File(p) => anyhow!(file_problem_text(lang, &p)),
        Failure::Db(DbError::Refused(r)) => anyhow!(refusal_text(lang, &r)),
        Failure::Db(e) => anyhow::Error::from(e),
    })
}

enum Failure {
    File(FileProblem),
    Db(DbError),
}

impl From<DbError> for Failure {
    fn from(e: DbError) -> Failure {
        Failure::Db(e)
    }
}

impl From<FileProblem> for Failure {
    fn from(p: FileProblem) -> Failure {
        Failure::File(p)
    }
}

fn import_table(env: &mut CommandEnv, kind: ImportKind, table: &Table, dry_run: bool) -> Result<Outcome, Failure> {
    let (store, actor) = (&mut env.store, &env.actor);
    // With bad rows already found, the database is still asked (without
    // writing) so that the rows only it can refuse are listed too.
    let (rows, ignored, mut bad, report) = match kind {
        ImportKind::Revenue => {
            let p = import::revenue::parse(table, &env.reference, actor.today())?;
            let dry = dry_run || !p.bad.is_empty();
            let report = crate::db::import::revenue_items(store, actor, &env.rules, &p.items, dry)?;
            (p.rows, p.ignored, p.bad, report)
        }
        ImportKind::Customers => {
            let p = import::customers::parse(table, &env.reference)?;
            let dry = dry_run || !p.bad.is_empty();
            let reason = env.lang.text().import_registration_reason;
            // New customers join the others under the preset their tiers are
            // computed under; a changed preset is applied to all at once
            // (`kam retier --apply`), never to the imported ones alone.
            let preset = crate::db::customers::stored_preset(store.conn())?
                .and_then(|code| crate::domain::tier::TierPreset::from_code(&code))
                .unwrap_or(env.preset);
            let report = crate::db::import::customers(store, actor, preset, &p.items, reason, dry)?;
            (p.rows, p.ignored, p.bad, report)
        }
        ImportKind::Persons => {
            let p = import::persons::parse(table, &env.reference)?;
            let dry = dry_run || !p.bad.is_empty();
            let report = crate::db::import::persons(store, actor, &p.items, dry)?;
            (p.rows, p.ignored, p.bad, report)
        }
        ImportKind::Volume => {
            let p = import::volume::parse(table, &env.reference, actor.today())?;
            let dry = dry_run || !p.bad.is_empty();
            let report = crate::db::import::volume(store, actor, &p.items, dry)?;
            (p.rows, p.ignored, p.bad, report)
        }
        ImportKind::Returns => {
            let reasons = crate::db::setup::list_entries(store.conn(), crate::db::setup::RefList::ReturnReason, true)?;
            let p = import::returns::parse(table, &reasons, actor.today())?;
            let dry = dry_run || !p.bad.is_empty();
            let report = crate::db::import::returns(store, actor, &p.items, dry)?;
            (p.rows, p.ignored, p.bad, report)
        }
        ImportKind::Visits => {
            let p = import::visits::parse(table, &env.reference, actor.at)?;
            let dry = dry_run || !p.bad.is_empty();
            let report = crate::db::import::visits(store, actor, &p.items, dry)?;
            (p.rows, p.ignored, p.bad, report)
        }
        ImportKind::Log => {
            let p = import::log::parse(table, &env.reference, actor.today())?;
            let dry = dry_run || !p.bad.is_empty();
            let report = crate::db::import::log_entries(store, actor, &p.items, dry)?;
            (p.rows, p.ignored, p.bad, report)
        }
        ImportKind::Receivables => {
            let p = import::receivables::parse(table, &env.reference, actor.today())?;
            let dry = dry_run || !p.bad.is_empty();
            let report = crate::db::import::receivables(store, actor, &p.items, dry)?;
            (p.rows, p.ignored, p.bad, report)
        }
        ImportKind::UnitRevenue => {
            let p = import::unit_revenue::parse(table, &env.reference, actor.today())?;
            let dry = dry_run || !p.bad.is_empty();
            let report = crate::db::import::unit_revenue(store, actor, &p.items, dry)?;
            (p.rows, p.ignored, p.bad, report)
        }
    };
    bad.extend(report.bad.iter().cloned());
    bad.sort_by_key(|b| b.line);
    Ok(Outcome { encoding: table.encoding, rows, ignored, bad, report })
}

/// What `bad_row_text_raw` says, with anything quoted from the file made
/// harmless for the terminal (escape sequences, bidi controls).
pub fn bad_row_text(lang: Lang, b: &BadRow) -> String {
    clean_lines(&bad_row_text_raw(lang, b))
}

/// `第 3 行  月份: 不是月份…`
fn bad_row_text_raw(lang: Lang, b: &BadRow) -> String {
    let line = fill(lang.text().import_line, &[&b.line]);
    match &b.column {
        Some(column) => format!("{line}  {column}: {}", problem_text(lang, &b.problem)),
        None => format!("{line}  {}", problem_text(lang, &b.problem)),
    }
}

pub fn problem_text(lang: Lang, p: &Problem) -> String {
    let t = lang.text();
    match p {
        Problem::Field(e) => field_error_text(lang, e),
        Problem::Id(e) => id_error_text(lang, e),
        Problem::IdScientific => t.import_err_id_scientific.into(),
        Problem::Month { text, why } => fill(t.import_err_month, &[text, &crate::ui::month_error_text(lang, *why)]),
        Problem::FutureMonth(m) => fill(t.import_err_future_month, &[m]),
        Problem::UnknownCustomer(id) => fill(t.import_err_customer_unknown, &[id]),
        Problem::UnknownServiceLine(s) => fill(t.import_err_line_unknown, &[s]),
        Problem::UnknownUnit(s) => fill(t.import_err_unit_unknown, &[s]),
        Problem::AmbiguousUnit(s) => fill(t.import_err_unit_ambiguous, &[s]),
        Problem::UnknownStaff(s) => fill(t.import_err_staff_unknown, &[s]),
        Problem::AmbiguousStaff(s) => fill(t.import_err_staff_ambiguous, &[s]),
        Problem::UnknownIndustry(s) => fill(t.import_err_industry_unknown, &[s]),
        Problem::Archived(s) => fill(t.setup_archived, &[s]),
        Problem::UnknownChoice { value, field } => fill(t.import_err_choice, &[value, &choices(lang, field)]),
        Problem::DuplicateInFile { first_line } => fill(t.import_err_duplicate, &[first_line]),
        Problem::ExtraCells => t.import_err_extra_cells.into(),
        Problem::MissingForNew(key) => fill(t.import_err_missing_for_new, &[&lang.pick(field_label(key))]),
        Problem::NoIdOrName => t.import_err_no_id_or_name.into(),
        Problem::AmbiguousName(ids) => {
            fill(t.import_err_name_ambiguous, &[&ids.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", ")])
        }
        Problem::SimilarName { id, full_name } => fill(t.import_err_similar_name, &[id, full_name]),
        Problem::AmbiguousPerson => t.import_err_person_ambiguous.into(),
        Problem::PeriodShape(p) => fill(t.err_period_shape, &[&crate::i18n::period_label(lang, *p)]),
        Problem::DoubleCount { month, period, other_line } => {
            let month = month.map(|m| m.to_string()).unwrap_or_default();
            let period = crate::i18n::period_label(lang, *period);
            match other_line {
                Some(other) => fill(t.import_err_double_count_line, &[&month, &period, other]),
                None => fill(t.import_err_double_count_stored, &[&month, &period]),
            }
        }
        Problem::PeriodOverlap { other, other_line } => {
            let other = crate::i18n::period_label(lang, *other);
            match other_line {
                Some(line) => fill(t.import_err_period_overlap_line, &[&other, line]),
                None => fill(t.import_err_period_overlap_stored, &[&other]),
            }
        }
        Problem::Returns(ReturnsError::ReturnedOverPosted { returned, posted }) => {
            fill(t.volume_err_returned_over_posted, &[returned, posted])
        }
        Problem::Returns(ReturnsError::ReasonsOverReturned { reasons, returned }) => {
            fill(t.volume_err_reasons_over_returned, &[reasons, returned])
        }
        Problem::UnitNotAllowed { unit, why } => fill(t.import_err_unit_not_allowed, &[unit, &refusal_text(lang, why)]),
        Problem::VisitTime(text) => fill(t.import_err_visit_time, &[text]),
        Problem::FutureVisit(at) => fill(t.import_err_future_visit, &[&at.format("%Y-%m-%d %H:%M")]),
        Problem::UnknownVisitKind(text) => {
            let kinds: Vec<&str> = VisitKind::ALL.iter().map(|k| lang.pick(visit_kind_label(*k))).collect();
            fill(t.import_err_visit_kind, &[text, &kinds.join(t.import_visit_kinds_separator)])
        }
        Problem::CustomerNotAllowed(why) => fill(t.import_err_customer_not_allowed, &[&refusal_text(lang, why)]),
        Problem::FutureDay(day) => fill(t.import_err_future_log, &[day]),
        Problem::UnknownStage(text) => {
            let stages: Vec<&str> = DealStage::ALL.iter().map(|s| lang.pick(stage_label(*s))).collect();
            fill(t.import_err_stage, &[text, &stages.join(t.import_visit_kinds_separator)])
        }
        Problem::UnknownMethod(text) => {
            let methods: Vec<&str> = Method::ALL.iter().map(|m| lang.pick(method_label(*m))).collect();
            fill(t.import_err_method, &[text, &methods.join(t.import_visit_kinds_separator)])
        }
        Problem::UnknownSatisfaction(text) => {
            let levels: Vec<&str> = Satisfaction::ALL.iter().map(|s| lang.pick(satisfaction_label(*s))).collect();
            fill(t.import_err_satisfaction, &[text, &levels.join(t.import_visit_kinds_separator)])
        }
        Problem::LogNotAllowed(why) => fill(t.import_err_log_not_allowed, &[&refusal_text(lang, why)]),
        Problem::AuthorNotAllowed(why) => fill(t.import_err_log_author, &[&refusal_text(lang, why)]),
    }
}

/// The values a choice field takes, as the user writes them.
fn choices(lang: Lang, field: &str) -> String {
    let spec = customer_fields().chain(PERSON_FIELDS.iter()).find(|f| f.key == field);
    match spec.map(|f| f.kind) {
        Some(FieldKind::Choice(codes)) => {
            codes.iter().map(|c| lang.pick(choice_label(c))).collect::<Vec<_>>().join("/")
        }
        _ => String::new(),
    }
}

/// What `file_problem_text_raw` says, with anything quoted from the file made
/// harmless for the terminal (escape sequences, bidi controls).
pub fn file_problem_text(lang: Lang, p: &FileProblem) -> String {
    clean_lines(&file_problem_text_raw(lang, p))
}

fn file_problem_text_raw(lang: Lang, p: &FileProblem) -> String {
    let t = lang.text();
    match p {
        FileProblem::Encoding => t.import_err_encoding.into(),
        FileProblem::Empty => t.import_err_empty.into(),
        FileProblem::Unreadable(e) => fill(t.import_err_unreadable, &[e]),
        FileProblem::MissingColumn(names) => fill(t.import_err_missing_column, &[names]),
        FileProblem::DuplicateColumn(h) => fill(t.import_err_duplicate_column, &[h]),
        FileProblem::UnknownColumns(hs) => fill(t.import_err_unknown_columns, &[&hs.join(", ")]),
        FileProblem::NoRevenueColumns => t.import_err_no_revenue_columns.into(),
        FileProblem::UnknownReasonColumns(hs) => fill(t.volume_err_unknown_reason_columns, &[&hs.join(", ")]),
    }
}
