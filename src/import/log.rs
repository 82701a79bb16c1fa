//! Marketing-log sheets (营销日志): entries written before kam, one a row —
//! `客户编号, 日期, 客户经理, 营销阶段, 内容[, 沟通方式, 客户需求, 合作情况,
//! 客户满意度, 下一步, 下一步期限, 我方参与人员, 客户参与人员]`. Each becomes an
//! entry whose author is the account manager the row names; whoever imports
//! it is recorded as having entered it.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::columns::{Aliases, Columns, NOT_USED, fold};
use super::csv_file::{Row, Table};
use super::{BadRow, FileProblem, Parsed, Problem};
use crate::db::marketing::NewLogEntry;
use crate::db::reference::Reference;
use crate::domain::complaint::Satisfaction;
use crate::domain::id::CustomerId;
use crate::domain::marketing_log::{DealStage, Method};
use crate::domain::validate::{self, FieldError};
use crate::i18n::{method_label, satisfaction_label, stage_label};

const ID_NAMES: &str = "客户编号 / customer_id";
const DATE_NAMES: &str = "日期 / date";
const MANAGER_NAMES: &str = "客户经理 / manager";
const STAGE_NAMES: &str = "营销阶段 / stage";
const TEXT_NAMES: &str = "内容 / text";

/// How the contact took place when the sheet does not say: kam cannot know,
/// and "other" claims nothing.
pub const DEFAULT_METHOD: Method = Method::Other;

/// One entry of the sheet, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub line: usize,
    /// The account manager who wrote it: the entry's author.
    pub author_id: i64,
    pub entry: NewLogEntry,
}

fn aliases() -> Aliases {
    Aliases::new()
        .with("customer_id", &["客户编号", "编号", "客户代码", "客户ID", "customer_id", "customer", "id"])
        .with("date", &["日期", "日志日期", "记录日期", "沟通日期", "营销日期", "date", "logged_on", "day"])
        .with(
            "manager",
            &["客户经理", "填写人", "记录人", "经理", "登录名", "manager", "author", "written_by", "login", "by"],
        )
        .with("stage", &["营销阶段", "洽谈阶段", "阶段", "stage", "deal_stage"])
        .with("text", &["内容", "沟通内容", "日志内容", "营销内容", "text", "content"])
        .with("method", &["沟通方式", "联系方式", "方式", "method"])
        .with("needs", &["客户需求", "客户业务需求", "业务需求", "需求", "needs"])
        .with("cooperation", &["合作情况", "cooperation"])
        .with("satisfaction", &["客户满意度", "满意度", "satisfaction"])
        .with("next_step", &["下一步", "下一步计划", "next_step"])
        .with("next_due", &["下一步期限", "跟进日期", "next_due", "due"])
        .with("our_people", &["我方参与人员", "我方人员", "our_people"])
        .with("their_people", &["客户参与人员", "客户方人员", "对方人员", "their_people"])
        .with(
            NOT_USED,
            &[
                "客户名称",
                "客户简称",
                "客户全称",
                "简称",
                "全称",
                "名称",
                "序号",
                "备注",
                "name",
                "no",
                "remark",
                "note",
            ],
        )
}

/// Whether `cell` names this value: its code, its Chinese or English label,
/// or one part of a label made of two (`达成协议/签合同`).
fn names(cell: &str, code: &str, (zh, en): (&str, &str)) -> bool {
    let folded = fold(cell);
    let parts = zh.split('/').chain(en.split('/'));
    [code, zh, en].into_iter().chain(parts).any(|n| fold(n) == folded)
}

/// A deal stage by its code or its Chinese or English label.
pub fn deal_stage(cell: &str) -> Option<DealStage> {
    DealStage::ALL.into_iter().find(|s| names(cell, s.code(), stage_label(*s)))
}

/// A way of contact by its code or its Chinese or English label.
pub fn method(cell: &str) -> Option<Method> {
    Method::ALL.into_iter().find(|m| names(cell, m.code(), method_label(*m)))
}

/// A satisfaction level by its code or its Chinese or English label.
pub fn satisfaction(cell: &str) -> Option<Satisfaction> {
    Satisfaction::ALL.into_iter().find(|s| names(cell, s.code(), satisfaction_label(*s)))
}

/// A day as the log form reads it (`2026-10-15`, `2026/10/15`,
/// `2026年10月15日`, `20261015`), or a date and time as a spreadsheet may
/// save one (`2026/10/15 0:00`), of which the day is kept.
pub fn day(cell: &str) -> Result<NaiveDate, Problem> {
    match validate::date(cell) {
        Ok(day) => Ok(day),
        Err(FieldError::Required) => Err(Problem::Field(FieldError::Required)),
        Err(e) => super::visits::visit_time(cell).map(|t| t.date()).map_err(|_| Problem::Field(e)),
    }
}

/// Free text as the log form keeps it: lines joined by a space, then what
/// must never be stored removed, trimmed.
fn text(cell: &str) -> String {
    let joined = cell.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    validate::sanitize_text(&joined).trim().to_string()
}

/// The optional cells that are no free text, read.
struct Picks {
    method: Method,
    satisfaction: Option<Satisfaction>,
    next_due: Option<NaiveDate>,
}

/// The way of contact, the satisfaction and the next step's day of a row;
/// `None` when any of them is bad (each named through `bad`).
fn optional_picks(
    cols: &Columns,
    row: &Row,
    logged_on: Option<NaiveDate>,
    bad: &mut impl FnMut(Option<usize>, Problem),
) -> Option<Picks> {
    let given = |key: &str| cols.index(key).map(|c| (c, row.cell(c).trim())).filter(|(_, cell)| !cell.is_empty());
    let method = match given("method") {
        None => Some(DEFAULT_METHOD),
        Some((c, cell)) => method(cell).or_else(|| {
            bad(Some(c), Problem::UnknownMethod(cell.to_string()));
            None
        }),
    };
    let satisfaction = match given("satisfaction") {
        None => Some(None),
        Some((c, cell)) => match satisfaction(cell) {
            Some(s) => Some(Some(s)),
            None => {
                bad(Some(c), Problem::UnknownSatisfaction(cell.to_string()));
                None
            }
        },
    };
    // The next step is due on or after the entry's own day (the form's rule).
    let next_due = match given("next_due") {
        None => Some(None),
        Some((c, cell)) => match day(cell).and_then(|due| match logged_on {
            Some(on) => validate::due_after(due, on).map_err(Problem::Field),
            None => Ok(due),
        }) {
            Ok(due) => Some(Some(due)),
            Err(p) => {
                bad(Some(c), p);
                None
            }
        },
    };
    Some(Picks { method: method?, satisfaction: satisfaction?, next_due: next_due? })
}

/// Reads a log sheet: every good row, and every bad row with its reasons. An
/// entry dated after `today` is refused: only entries written are imported.
pub fn parse(table: &Table, reference: &Reference, today: NaiveDate) -> Result<Parsed<LogRow>, FileProblem> {
    let cols = Columns::map(&table.headers, &aliases())?;
    let id_col = cols.require("customer_id", ID_NAMES)?;
    let date_col = cols.require("date", DATE_NAMES)?;
    let manager_col = cols.require("manager", MANAGER_NAMES)?;
    let stage_col = cols.require("stage", STAGE_NAMES)?;
    let text_col = cols.require("text", TEXT_NAMES)?;
    let mut out = Parsed::new(table.rows.len(), cols.not_used(&[]));
    let mut seen: HashMap<(CustomerId, NaiveDate, i64, String), usize> = HashMap::new();
    for row in &table.rows {
        let mut problems: Vec<BadRow> = Vec::new();
        let mut bad = |col: Option<usize>, problem: Problem| {
            problems.push(BadRow::new(row.line, col.map(|c| cols.header(c)), problem));
        };
        if super::has_extra_cells(row, cols.headers.len()) {
            bad(None, Problem::ExtraCells);
        }
        let id = super::customer_id(row.cell(id_col)).map_err(|p| bad(Some(id_col), p)).ok();
        let logged_on = day(row.cell(date_col))
            .and_then(|d| if d > today { Err(Problem::FutureDay(d)) } else { Ok(d) })
            .map_err(|p| bad(Some(date_col), p))
            .ok();
        let author = match row.cell(manager_col).trim() {
            "" => Err(Problem::Field(FieldError::Required)),
            cell => super::values::staff(reference, cell),
        }
        .map_err(|p| bad(Some(manager_col), p))
        .ok();
        let stage = match row.cell(stage_col).trim() {
            "" => Err(Problem::Field(FieldError::Required)),
            cell => deal_stage(cell).ok_or_else(|| Problem::UnknownStage(cell.to_string())),
        }
        .map_err(|p| bad(Some(stage_col), p))
        .ok();
        let content = text(row.cell(text_col));
        if content.is_empty() {
            bad(Some(text_col), Problem::Field(FieldError::Required));
        }
        let picked = optional_picks(&cols, row, logged_on, &mut bad);
        let text_of = |key: &str| cols.index(key).map(|c| text(row.cell(c))).unwrap_or_default();
        let (Some(id), Some(logged_on), Some(author), Some(stage), Some(picked)) =
            (id, logged_on, author, stage, picked)
        else {
            out.bad.append(&mut problems);
            continue;
        };
        if !content.is_empty() {
            let first = *seen.entry((id.clone(), logged_on, author, content.clone())).or_insert(row.line);
            if first != row.line {
                bad(None, Problem::DuplicateInFile { first_line: first });
            }
        }
        if !problems.is_empty() {
            out.bad.append(&mut problems);
            continue;
        }
        out.items.push(LogRow {
            line: row.line,
            author_id: author,
            entry: NewLogEntry {
                customer_id: id,
                logged_on,
                method: picked.method,
                stage,
                content,
                needs: text_of("needs"),
                cooperation: text_of("cooperation"),
                satisfaction: picked.satisfaction,
                next_step: text_of("next_step"),
                next_due: picked.next_due,
                our_people: text_of("our_people"),
                their_people: text_of("their_people"),
                visit_id: None,
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::staff::{Role, Staff};
    use crate::import::csv_file::read_table;

    fn reference() -> Reference {
        let staff = |id: i64, login: &str, name: &str| Staff {
            id,
            login: Some(login.into()),
            name: name.into(),
            unit_id: 1,
            role: Role::Manager,
        };
        Reference { staff: vec![staff(7, "jingli01", "王经理")], ..Reference::default() }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn parse_text(text: &str) -> Parsed<LogRow> {
        parse(&read_table(text.as_bytes()).unwrap(), &reference(), today()).unwrap()
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn stages_methods_and_satisfaction_by_label_part_or_code() {
        assert_eq!(deal_stage("初次接触"), Some(DealStage::InitialContact));
        assert_eq!(deal_stage("proposal_negotiation"), Some(DealStage::ProposalNegotiation));
        assert_eq!(deal_stage("Quotation"), Some(DealStage::Quotation));
        assert_eq!(deal_stage("达成协议/签合同"), Some(DealStage::Agreement));
        assert_eq!(deal_stage("签合同"), Some(DealStage::Agreement));
        assert_eq!(deal_stage("contract"), Some(DealStage::Agreement));
        assert_eq!(deal_stage("喝茶"), None);
        assert_eq!(method("电话"), Some(Method::Phone));
        assert_eq!(method("email"), Some(Method::Email));
        assert_eq!(method("传真"), None);
        assert_eq!(satisfaction("基本满意"), Some(Satisfaction::BasicallySatisfied));
        assert_eq!(satisfaction("Unsatisfied"), Some(Satisfaction::Unsatisfied));
        assert_eq!(day("2026/10/15 0:00"), Ok(d(10, 15)));
        assert_eq!(day("2026年10月15日"), Ok(d(10, 15)));
        assert_eq!(day("十月"), Err(Problem::Field(FieldError::Date)));
        assert_eq!(day(" "), Err(Problem::Field(FieldError::Required)));
    }

    #[test]
    fn a_good_sheet_gives_its_entries_with_the_optional_fields_sanitized() {
        let p = parse_text(
            "客户编号,客户名称,日期,客户经理,营销阶段,内容,沟通方式,客户满意度,下一步期限,我方参与人员\n\
             44010600001000,甲,2026-10-15,jingli01,报价,\"提交报价单\u{202E}\n 客户嫌贵\",电话,满意,2026-10-30,李娜\n\
             44010600001000,甲,2026-10-16,王经理,initial_contact,初次拜访,,,,\n",
        );
        assert!(p.bad.is_empty(), "{:?}", p.bad);
        assert_eq!(p.ignored, ["客户名称"]);
        let (a, b) = (&p.items[0], &p.items[1]);
        assert_eq!((a.line, a.author_id, a.entry.stage, a.entry.method), (2, 7, DealStage::Quotation, Method::Phone));
        assert_eq!(a.entry.content, "提交报价单 客户嫌贵", "control and bidi characters dropped, lines joined");
        assert_eq!((a.entry.satisfaction, a.entry.next_due), (Some(Satisfaction::Satisfied), Some(d(10, 30))));
        assert_eq!((a.entry.our_people.as_str(), a.entry.needs.as_str()), ("李娜", ""));
        assert_eq!(
            (b.entry.stage, b.entry.method, b.entry.satisfaction),
            (DealStage::InitialContact, DEFAULT_METHOD, None)
        );
    }

    #[test]
    fn every_bad_line_is_named_with_its_reason() {
        let p = parse_text(
            "客户编号,日期,客户经理,营销阶段,内容,沟通方式,下一步期限\n\
             44010600001000,2026-10-15,jingli01,报价,提交报价单,,\n\
             44010600001000,2026-11-24,jingli01,报价,明天的事,,\n\
             44010600001000,昨天,nobody,喝茶,\u{200B},传真,\n\
             ,,,,,,\n\
             44010600001000,2026/10/15,王经理,签合同,提交报价单,,\n\
             44010600001000,2026-10-20,jingli01,报价,报价后回访,,2026-10-19\n",
        );
        let got: Vec<(usize, Option<&str>, &Problem)> =
            p.bad.iter().map(|b| (b.line, b.column.as_deref(), &b.problem)).collect();
        let required = Problem::Field(FieldError::Required);
        assert_eq!(
            got,
            [
                (3, Some("日期"), &Problem::FutureDay(d(11, 24))),
                (4, Some("日期"), &Problem::Field(FieldError::Date)),
                (4, Some("客户经理"), &Problem::UnknownStaff("nobody".into())),
                (4, Some("营销阶段"), &Problem::UnknownStage("喝茶".into())),
                (4, Some("内容"), &required),
                (4, Some("沟通方式"), &Problem::UnknownMethod("传真".into())),
                (6, None, &Problem::DuplicateInFile { first_line: 2 }),
                (7, Some("下一步期限"), &Problem::Field(FieldError::BeforeRecord { record: d(10, 20) })),
            ]
        );
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.rows, 5, "the blank row is not counted");
    }

    #[test]
    fn a_sheet_without_a_required_column_is_refused_whole() {
        let table =
            read_table("客户编号,日期,客户经理,内容\n44010600001000,2026-10-15,jingli01,x\n".as_bytes()).unwrap();
        assert_eq!(parse(&table, &reference(), today()), Err(FileProblem::MissingColumn(STAGE_NAMES)));
    }
}
