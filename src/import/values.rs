//! One cell as the value of a dossier or key-person field. Typed fields go
//! through the same validators as the forms; picked ones (unit, staff,
//! industry, choices) are looked up by the name or code a spreadsheet holds.

use super::Problem;
use super::columns::fold;
use crate::db::reference::{Industry, Reference, Unit};
use crate::domain::dossier::{FieldKind, FieldSpec, FieldValue, parse_field};
use crate::i18n::choice_label;

/// Other ways offices write choice values: (as written, code).
const CHOICE_ALIASES: &[(&str, &str)] = &[
    ("商业", "commercial"),
    ("商业客户", "commercial"),
    ("政策", "policy"),
    ("政策性客户", "policy"),
    ("决策人", "decision_maker"),
    ("经办", "handler"),
    ("财务", "finance"),
    ("其它", "other"),
];

/// The value of `cell` for the field; `Null` when the cell is empty.
pub(crate) fn field_value(
    spec: &FieldSpec,
    cell: &str,
    in_wan: bool,
    reference: &Reference,
) -> Result<FieldValue, Problem> {
    if cell.is_empty() {
        return Ok(FieldValue::Null);
    }
    let id =
        |found: Option<i64>, unknown: fn(String) -> Problem| found.map(FieldValue::Int).ok_or(unknown(cell.into()));
    match spec.kind {
        FieldKind::Unit
            if unit(&reference.archived.units, cell).is_some() && unit(&reference.units, cell).is_none() =>
        {
            Err(Problem::Archived(cell.into()))
        }
        FieldKind::Unit => id(unit(&reference.units, cell), Problem::UnknownUnit),
        FieldKind::Industry
            if industry(&reference.archived.industries, cell).is_some()
                && industry(&reference.industries, cell).is_none() =>
        {
            Err(Problem::Archived(cell.into()))
        }
        FieldKind::Industry => id(industry(&reference.industries, cell), Problem::UnknownIndustry),
        FieldKind::Staff => staff(reference, cell).map(FieldValue::Int),
        FieldKind::Choice(codes) => choice(codes, cell)
            .map(|c| FieldValue::Text(c.to_string()))
            .ok_or(Problem::UnknownChoice { value: cell.into(), field: spec.key }),
        FieldKind::Money if in_wan && !cell.ends_with('万') => {
            parse_field(spec, &format!("{cell}万")).map_err(Problem::Field)
        }
        _ => parse_field(spec, cell).map_err(Problem::Field),
    }
}

fn unit(units: &[Unit], cell: &str) -> Option<i64> {
    let folded = fold(cell);
    let by_code = units.iter().find(|u| fold(&u.code) == folded);
    let mut by_name = units.iter().filter(|u| u.name == cell);
    by_code.or_else(|| by_name.next().filter(|_| by_name.next().is_none())).map(|u| u.id)
}

fn industry(industries: &[Industry], cell: &str) -> Option<i64> {
    let folded = fold(cell);
    industries.iter().find(|i| [&i.code, &i.name_zh, &i.name_en].iter().any(|n| fold(n) == folded)).map(|i| i.id)
}

/// A login names one person; a name may be shared, and then it names no one.
pub(crate) fn staff(reference: &Reference, cell: &str) -> Result<i64, Problem> {
    let folded = fold(cell);
    if let Some(s) = reference.staff.iter().find(|s| s.login.as_deref().is_some_and(|l| fold(l) == folded)) {
        return Ok(s.id);
    }
    let named: Vec<i64> = reference.staff.iter().filter(|s| s.name == cell).map(|s| s.id).collect();
    match named.as_slice() {
        [one] => Ok(*one),
        [] => Err(Problem::UnknownStaff(cell.into())),
        _ => Err(Problem::AmbiguousStaff(cell.into())),
    }
}

/// The code of a choice written as its code or its Chinese or English label.
pub(crate) fn choice(codes: &'static [&'static str], cell: &str) -> Option<&'static str> {
    let folded = fold(cell);
    let labelled = codes.iter().copied().find(|code| {
        let (zh, en) = choice_label(code);
        [code, zh, en].iter().any(|n| fold(n) == folded)
    });
    labelled.or_else(|| {
        CHOICE_ALIASES.iter().find(|(name, code)| fold(name) == folded && codes.contains(code)).map(|(_, code)| *code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::reference::{Industry, Unit};
    use crate::domain::dossier::{CUSTOMER_KINDS, DECISION_ROLES, customer_field};
    use crate::domain::staff::{Role, Staff};

    fn reference() -> Reference {
        let person = |id, login: &str, name: &str| Staff {
            id,
            login: Some(login.into()),
            name: name.into(),
            unit_id: 1,
            role: Role::Manager,
        };
        Reference {
            units: vec![Unit {
                id: 1,
                code: "GZ-TH".into(),
                name: "天河区分公司".into(),
                kind: "county".into(),
                parent_id: None,
                division_code: "440106".into(),
            }],
            staff: vec![person(7, "zhangwei", "张伟"), person(8, "zhangwei2", "张伟"), person(9, "lina", "李娜")],
            industries: vec![Industry {
                id: 3,
                code: "finance".into(),
                name_zh: "金融".into(),
                name_en: "Finance".into(),
            }],
            service_lines: Vec::new(),
            ..Reference::default()
        }
    }

    #[test]
    fn picked_fields_by_name_or_code() {
        let r = reference();
        let get = |key: &str, cell: &str| field_value(customer_field(key).unwrap(), cell, false, &r);
        assert_eq!(get("unit_id", "gz-th"), Ok(FieldValue::Int(1)));
        assert_eq!(get("unit_id", "天河区分公司"), Ok(FieldValue::Int(1)));
        assert_eq!(get("owner_a", "李娜"), Ok(FieldValue::Int(9)));
        assert_eq!(get("owner_a", "张伟"), Err(Problem::AmbiguousStaff("张伟".into())));
        assert_eq!(get("owner_a", "zhangwei2"), Ok(FieldValue::Int(8)));
        assert_eq!(get("industry_id", "金融"), Ok(FieldValue::Int(3)));
        assert_eq!(get("industry_id", "农业"), Err(Problem::UnknownIndustry("农业".into())));
        assert_eq!(get("kind", "政策性"), Ok(FieldValue::Text("policy".into())));
        assert_eq!(get("postal_code", "５１０６２０"), Ok(FieldValue::Text("510620".into())));
        assert_eq!(get("fax", ""), Ok(FieldValue::Null));
    }

    #[test]
    fn archived_units_and_industries_are_refused_as_archived() {
        let mut r = reference();
        r.archived.industries.push(Industry {
            id: 4,
            code: "media".into(),
            name_zh: "出版传媒".into(),
            name_en: "Media".into(),
        });
        let old = Unit { id: 2, code: "GZ-DS".into(), name: "东山区分公司".into(), ..r.units[0].clone() };
        r.archived.units.push(old);
        let get = |key: &str, cell: &str| field_value(customer_field(key).unwrap(), cell, false, &r);
        assert_eq!(get("industry_id", "出版传媒"), Err(Problem::Archived("出版传媒".into())));
        assert_eq!(get("industry_id", "media"), Err(Problem::Archived("media".into())));
        assert_eq!(get("unit_id", "gz-ds"), Err(Problem::Archived("gz-ds".into())));
        assert_eq!(get("unit_id", "GZ-TH"), Ok(FieldValue::Int(1)));
    }

    #[test]
    fn choices_by_code_label_or_alias() {
        assert_eq!(choice(CUSTOMER_KINDS, "商业"), Some("commercial"));
        assert_eq!(choice(DECISION_ROLES, "Decision Maker"), Some("decision_maker"));
        assert_eq!(choice(DECISION_ROLES, "财务负责人"), Some("finance"));
        assert_eq!(choice(DECISION_ROLES, "商业"), None);
    }

    #[test]
    fn amounts_in_wan_columns() {
        let spec = customer_field("annual_revenue").unwrap();
        let wan = field_value(spec, "12.5", true, &Reference::default()).unwrap();
        assert_eq!(wan.as_money().map(|m| m.to_fen()), Some(12_500_000));
    }
}
