//! Visit sheets (拜访记录): visits already made, one a row —
//! `客户编号, 拜访时间, 拜访方式, 客户经理[, 时长(分钟), 拜访目的, 业务情况, 客户意见,
//! 存在问题, 新需求, 下一步]`. Each is recorded as a done visit in the diary of
//! the account manager who made it.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::columns::{Aliases, Columns, NOT_USED, fold};
use super::csv_file::Table;
use super::{BadRow, FileProblem, Parsed, Problem};
use crate::db::reference::Reference;
use crate::domain::id::CustomerId;
use crate::domain::money::to_halfwidth;
use crate::domain::validate::FieldError;
use crate::domain::visit::VisitKind;
use crate::i18n::visit_kind_label;

const ID_NAMES: &str = "客户编号 / customer_id";
const AT_NAMES: &str = "拜访时间 / visited_at";
const KIND_NAMES: &str = "拜访方式 / kind";
const MANAGER_NAMES: &str = "客户经理 / manager";

/// Minutes a visit lasted when the sheet does not say.
pub const DEFAULT_MINUTES: i64 = 60;

/// One visit of the sheet, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRow {
    pub line: usize,
    pub customer_id: CustomerId,
    pub at: NaiveDateTime,
    pub kind: VisitKind,
    /// The staff member who made it (whose diary it goes in).
    pub manager_id: i64,
    pub duration_min: i64,
    pub purpose: String,
    pub business: String,
    pub opinions: String,
    pub problems: String,
    pub new_needs: String,
    pub next_step: String,
}

fn aliases() -> Aliases {
    Aliases::new()
        .with("customer_id", &["客户编号", "编号", "客户代码", "客户ID", "customer_id", "customer", "id"])
        .with("at", &["拜访时间", "拜访日期", "时间", "日期", "visited_at", "time", "date", "at"])
        .with("kind", &["拜访方式", "拜访类型", "方式", "类型", "kind", "type"])
        .with("manager", &["客户经理", "拜访人", "经理", "登录名", "manager", "login", "by"])
        .with("duration", &["时长", "时长(分钟)", "分钟", "duration", "minutes"])
        .with("purpose", &["拜访目的", "目的", "purpose"])
        .with("business", &["业务情况", "洽谈业务", "business"])
        .with("opinions", &["客户意见", "意见", "opinions"])
        .with("problems", &["存在问题", "问题", "problems"])
        .with("new_needs", &["新需求", "需求", "new_needs", "needs"])
        .with("next_step", &["下一步", "下一步计划", "next_step"])
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

/// A visit kind by its code or its Chinese or English label.
pub fn visit_kind(cell: &str) -> Option<VisitKind> {
    let folded = fold(cell);
    VisitKind::ALL.into_iter().find(|k| {
        let (zh, en) = visit_kind_label(*k);
        [k.code(), zh, en].iter().any(|n| fold(n) == folded)
    })
}

/// `2026-10-15 14:30`, `2026/10/15 14:30:00`, `2026年10月15日 14:30`, or a
/// date alone (the visit is then placed at 00:00 of that day).
pub fn visit_time(cell: &str) -> Result<NaiveDateTime, Problem> {
    let text: String = cell.chars().map(to_halfwidth).collect();
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Field(FieldError::Required));
    }
    let norm = text.replace(['/', '年', '月'], "-").replace('日', " ");
    let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
    for f in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&norm, f) {
            return Ok(t);
        }
    }
    for f in ["%Y-%m-%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&norm, f) {
            return Ok(d.and_time(NaiveTime::MIN));
        }
    }
    Err(Problem::VisitTime(text.to_string()))
}

/// Reads a visit sheet: every good row, and every bad row with its reasons.
/// A visit after `now` is refused: only visits made can be imported.
pub fn parse(table: &Table, reference: &Reference, now: NaiveDateTime) -> Result<Parsed<VisitRow>, FileProblem> {
    let cols = Columns::map(&table.headers, &aliases())?;
    let id_col = cols.require("customer_id", ID_NAMES)?;
    let at_col = cols.require("at", AT_NAMES)?;
    let kind_col = cols.require("kind", KIND_NAMES)?;
    let manager_col = cols.require("manager", MANAGER_NAMES)?;
    let text_col = |key: &str| cols.index(key);
    let mut out = Parsed::new(table.rows.len(), cols.not_used(&[]));
    let mut seen: HashMap<(CustomerId, NaiveDateTime, VisitKind, i64), usize> = HashMap::new();
    for row in &table.rows {
        let mut problems: Vec<BadRow> = Vec::new();
        let mut bad = |col: Option<usize>, problem: Problem| {
            problems.push(BadRow::new(row.line, col.map(|c| cols.header(c)), problem));
        };
        if super::has_extra_cells(row, cols.headers.len()) {
            bad(None, Problem::ExtraCells);
        }
        let id = super::customer_id(row.cell(id_col)).map_err(|p| bad(Some(id_col), p)).ok();
        let at = visit_time(row.cell(at_col))
            .and_then(|t| if t > now { Err(Problem::FutureVisit(t)) } else { Ok(t) })
            .map_err(|p| bad(Some(at_col), p))
            .ok();
        let kind = match row.cell(kind_col).trim() {
            "" => Err(Problem::Field(FieldError::Required)),
            text => visit_kind(text).ok_or_else(|| Problem::UnknownVisitKind(text.to_string())),
        }
        .map_err(|p| bad(Some(kind_col), p))
        .ok();
        let manager = match row.cell(manager_col).trim() {
            "" => Err(Problem::Field(FieldError::Required)),
            text => super::values::staff(reference, text),
        }
        .map_err(|p| bad(Some(manager_col), p))
        .ok();
        let duration = match text_col("duration").map(|c| (c, row.cell(c).trim())) {
            None | Some((_, "")) => Some(DEFAULT_MINUTES),
            Some((c, text)) => {
                let digits: String = text.chars().map(to_halfwidth).collect();
                let digits = digits.trim_end_matches("分钟").trim();
                match digits.parse::<i64>() {
                    Ok(n) if (1..=24 * 60).contains(&n) => Some(n),
                    _ => {
                        bad(Some(c), Problem::Field(FieldError::Count));
                        None
                    }
                }
            }
        };
        let text = |key: &str| text_col(key).map(|c| row.cell(c).trim().to_string()).unwrap_or_default();
        let (Some(id), Some(at), Some(kind), Some(manager), Some(duration)) = (id, at, kind, manager, duration) else {
            out.bad.append(&mut problems);
            continue;
        };
        let first = *seen.entry((id.clone(), at, kind, manager)).or_insert(row.line);
        if first != row.line {
            bad(None, Problem::DuplicateInFile { first_line: first });
        }
        if !problems.is_empty() {
            out.bad.append(&mut problems);
            continue;
        }
        out.items.push(VisitRow {
            line: row.line,
            customer_id: id,
            at,
            kind,
            manager_id: manager,
            duration_min: duration,
            purpose: text("purpose"),
            business: text("business"),
            opinions: text("opinions"),
            problems: text("problems"),
            new_needs: text("new_needs"),
            next_step: text("next_step"),
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

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(10, 0, 0).unwrap()
    }

    fn parse_text(text: &str) -> Parsed<VisitRow> {
        parse(&read_table(text.as_bytes()).unwrap(), &reference(), now()).unwrap()
    }

    #[test]
    fn kinds_by_label_or_code_and_times_with_or_without_the_hour() {
        assert_eq!(visit_kind("上门拜访"), Some(VisitKind::InPerson));
        assert_eq!(visit_kind("phone"), Some(VisitKind::Phone));
        assert_eq!(visit_kind("Satisfaction survey"), Some(VisitKind::Survey));
        assert_eq!(visit_kind("喝茶"), None);
        let d = NaiveDate::from_ymd_opt(2026, 10, 15).unwrap();
        assert_eq!(visit_time("2026-10-15 14:30"), Ok(d.and_hms_opt(14, 30, 0).unwrap()));
        assert_eq!(visit_time("2026/10/15 14:30:00"), Ok(d.and_hms_opt(14, 30, 0).unwrap()));
        assert_eq!(visit_time("2026年10月15日 9:05"), Ok(d.and_hms_opt(9, 5, 0).unwrap()));
        assert_eq!(visit_time("2026-10-15"), Ok(d.and_hms_opt(0, 0, 0).unwrap()));
        assert_eq!(visit_time("15.10.2026"), Err(Problem::VisitTime("15.10.2026".into())));
        assert_eq!(visit_time(" "), Err(Problem::Field(FieldError::Required)));
    }

    #[test]
    fn a_good_sheet_gives_its_visits_with_the_optional_fields() {
        let p = parse_text(
            "客户编号,客户名称,拜访时间,拜访方式,客户经理,时长(分钟),拜访目的,客户意见\n\
             44010600001000,甲,2026-10-15 14:30,上门拜访,jingli01,90,年度续约,满意\n\
             44010600001000,甲,2026-10-16,电话短信,王经理,,,\n",
        );
        assert!(p.bad.is_empty(), "{:?}", p.bad);
        assert_eq!(p.ignored, ["客户名称"]);
        let v = &p.items[0];
        assert_eq!((v.line, v.kind, v.manager_id, v.duration_min), (2, VisitKind::InPerson, 7, 90));
        assert_eq!((v.purpose.as_str(), v.opinions.as_str(), v.business.as_str()), ("年度续约", "满意", ""));
        assert_eq!((p.items[1].kind, p.items[1].duration_min), (VisitKind::Phone, DEFAULT_MINUTES));
    }

    #[test]
    fn every_bad_line_is_named_with_its_reason() {
        let p = parse_text(
            "客户编号,拜访时间,拜访方式,客户经理\n\
             44010600001000,2026-10-15 14:30,上门拜访,jingli01\n\
             44010600001000,2026-12-01,上门拜访,jingli01\n\
             44010600001000,昨天,喝茶,nobody\n\
             ,2026-10-15,,\n\
             44010600001000,2026-10-15 14:30,in_person,jingli01\n",
        );
        let got: Vec<(usize, Option<&str>, &Problem)> =
            p.bad.iter().map(|b| (b.line, b.column.as_deref(), &b.problem)).collect();
        let required = Problem::Field(FieldError::Required);
        assert_eq!(
            got,
            [
                (
                    3,
                    Some("拜访时间"),
                    &Problem::FutureVisit(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_time(NaiveTime::MIN))
                ),
                (4, Some("拜访时间"), &Problem::VisitTime("昨天".into())),
                (4, Some("拜访方式"), &Problem::UnknownVisitKind("喝茶".into())),
                (4, Some("客户经理"), &Problem::UnknownStaff("nobody".into())),
                (5, Some("客户编号"), &required),
                (5, Some("拜访方式"), &required),
                (5, Some("客户经理"), &required),
                (6, None, &Problem::DuplicateInFile { first_line: 2 }),
            ]
        );
        assert_eq!(p.items.len(), 1);
    }
}
