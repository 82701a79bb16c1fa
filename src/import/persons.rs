//! Key-person sheets (相关重要人士, SPEC §3 group 3): one person per row, found
//! by customer ID and name.

use std::collections::{BTreeMap, HashMap};

use super::columns::{Aliases, Columns, NOT_USED};
use super::csv_file::Table;
use super::values::field_value;
use super::{BadRow, FileProblem, Parsed, Problem};
use crate::db::reference::Reference;
use crate::domain::dossier::{FieldValue, PERSON_FIELDS};
use crate::domain::id::CustomerId;
use crate::domain::validate::FieldError;

/// One key person, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub line: usize,
    pub customer_id: CustomerId,
    pub name: String,
    /// The fields the row gives, the name included; empty cells give nothing.
    pub values: BTreeMap<&'static str, FieldValue>,
}

fn aliases() -> Aliases {
    Aliases::new()
        .with("customer_id", &["客户编号", "编号", "客户代码", "客户ID", "customer_id", "customer", "id"])
        .with("name", &["姓名", "名字", "人员姓名", "name"])
        .with("title", &["职务", "职位", "title", "position"])
        .with("decision_role", &["决策角色", "角色", "decision_role", "role"])
        .with("phone", &["电话", "手机", "联系电话", "phone", "mobile"])
        .with("birthday", &["生日", "出生日期", "birthday"])
        .with("interests", &["兴趣", "爱好", "兴趣爱好", "interests"])
        .with("taboos", &["忌讳", "禁忌", "taboos"])
        .with_fields(PERSON_FIELDS.iter())
        .with(NOT_USED, &["客户名称", "客户简称", "客户全称", "简称", "全称", "序号", "备注", "no", "remark", "note"])
}

pub fn parse(table: &Table, reference: &Reference) -> Result<Parsed<PersonRow>, FileProblem> {
    let cols = Columns::map(&table.headers, &aliases())?;
    let id_col = cols.require("customer_id", "客户编号 / customer_id")?;
    let name_col = cols.require("name", "姓名 / name")?;
    let mut out = Parsed::new(table.rows.len(), cols.not_used(&[]));
    let mut seen: HashMap<(CustomerId, String), usize> = HashMap::new();
    for row in &table.rows {
        let mut problems: Vec<BadRow> = Vec::new();
        let mut bad = |col: Option<usize>, problem: Problem| {
            problems.push(BadRow::new(row.line, col.map(|c| cols.header(c)), problem));
        };
        if super::has_extra_cells(row, cols.headers.len()) {
            bad(None, Problem::ExtraCells);
        }
        let id = super::customer_id(row.cell(id_col)).map_err(|p| bad(Some(id_col), p)).ok();
        let mut values = BTreeMap::new();
        for (col, key) in cols.fields() {
            let Some(spec) = PERSON_FIELDS.iter().find(|f| f.key == key) else { continue };
            match field_value(spec, row.cell(col), cols.in_wan(col), reference) {
                Ok(FieldValue::Null) => {}
                Ok(value) => {
                    values.insert(spec.key, value);
                }
                Err(p) => bad(Some(col), p),
            }
        }
        let name = values.get("name").and_then(FieldValue::as_text).map(str::to_string);
        if name.is_none() && row.cell(name_col).is_empty() {
            bad(Some(name_col), Problem::Field(FieldError::Required));
        }
        let (Some(customer_id), Some(name)) = (id, name) else {
            out.bad.append(&mut problems);
            continue;
        };
        let first = *seen.entry((customer_id.clone(), name.clone())).or_insert(row.line);
        if first != row.line {
            bad(None, Problem::DuplicateInFile { first_line: first });
        }
        if problems.is_empty() {
            out.items.push(PersonRow { line: row.line, customer_id, name, values });
        } else {
            out.bad.append(&mut problems);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::csv_file::read_table;

    #[test]
    fn persons_with_roles_by_label() {
        let text = "客户编号,客户名称,姓名,职务,决策角色,生日,兴趣\n\
                    44010600001000,华信,陈明,总经理,决策者,1975-03-08,高尔夫\n\
                    44010600001000,华信,李红,,经办,,\n\
                    44010600001000,华信,陈明,,,,\n\
                    44010600001000,华信,,,,,\n\
                    44010600001000,华信,王五,,老板,1975-02-30,\n";
        let p = parse(&read_table(text.as_bytes()).unwrap(), &Reference::default()).unwrap();
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[0].values["decision_role"], FieldValue::Text("decision_maker".into()));
        assert_eq!(p.items[1].values["decision_role"], FieldValue::Text("handler".into()));
        assert!(!p.items[1].values.contains_key("title"));
        let found: Vec<(usize, &Problem)> = p.bad.iter().map(|b| (b.line, &b.problem)).collect();
        assert_eq!(found[0], (4, &Problem::DuplicateInFile { first_line: 2 }));
        assert_eq!(found[1], (5, &Problem::Field(FieldError::Required)));
        assert!(matches!(found[2], (6, Problem::UnknownChoice { field: "decision_role", .. })));
        assert_eq!(found[3], (6, &Problem::Field(FieldError::Date)));
        assert_eq!(p.ignored, ["客户名称"]);
    }
}
