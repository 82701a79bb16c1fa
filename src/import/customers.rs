//! Customer sheets: an office's existing book of key customers, one row each.
//! A row with an ID is that customer; a row without one is found by its exact
//! full name, or becomes a new customer with a system-assigned ID.

use std::collections::{BTreeMap, HashMap};

use super::columns::{Aliases, Columns, NOT_USED};
use super::csv_file::Table;
use super::values::field_value;
use super::{BadRow, FileProblem, Parsed, Problem};
use crate::db::reference::Reference;
use crate::domain::dossier::{FieldValue, customer_field, customer_fields, normalize_company_name};
use crate::domain::id::CustomerId;

/// What a new customer gets when the sheet says nothing: the form's defaults.
pub const NEW_CUSTOMER_DEFAULTS: &[(&str, &str)] = &[("kind", "commercial"), ("stage", "target")];

/// One customer row, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub line: usize,
    pub id: Option<CustomerId>,
    /// The fields the row gives. An empty cell gives nothing: an import fills
    /// and corrects the dossier but never clears what is on file.
    pub values: BTreeMap<&'static str, FieldValue>,
}

impl CustomerRow {
    pub fn full_name(&self) -> Option<&str> {
        self.values.get("full_name").and_then(FieldValue::as_text)
    }

    /// Required fields a new customer would lack (those with defaults aside).
    pub fn missing_for_new(&self) -> Vec<&'static str> {
        customer_fields()
            .filter(|f| f.required && !self.values.contains_key(f.key))
            .filter(|f| !NEW_CUSTOMER_DEFAULTS.iter().any(|(k, _)| *k == f.key))
            .map(|f| f.key)
            .collect()
    }

    /// The values a new customer is created with: the row's, then the defaults.
    pub fn values_for_new(&self) -> BTreeMap<&'static str, FieldValue> {
        let mut values = self.values.clone();
        for (key, code) in NEW_CUSTOMER_DEFAULTS {
            if let Some(spec) = customer_field(key) {
                values.entry(spec.key).or_insert_with(|| FieldValue::Text(code.to_string()));
            }
        }
        values
    }
}

fn aliases() -> Aliases {
    Aliases::new()
        .with("id", &["客户编号", "编号", "客户代码", "客户ID", "customer_id", "id"])
        .with("short_name", &["客户简称", "简称", "short_name", "short name"])
        .with("full_name", &["客户全称", "全称", "客户名称", "单位名称", "full_name", "full name", "name"])
        .with("unit_id", &["责任单位", "所属单位", "单位", "unit", "unit_code"])
        .with("owner_a", &["客户经理", "客户经理(A角)", "A角", "主办客户经理", "owner", "owner_a", "account_manager"])
        .with("owner_b", &["辅助客户经理", "客户经理(B角)", "B角", "协办客户经理", "owner_b"])
        .with("address", &["地址", "客户地址", "address"])
        .with("postal_code", &["邮编", "邮政编码", "postal_code", "postcode", "zip"])
        .with("phone", &["电话", "联系电话", "phone", "tel"])
        .with("industry_id", &["行业", "所属行业", "industry"])
        .with("kind", &["类型", "客户类型", "客户性质", "性质", "kind", "type"])
        .with("annual_revenue", &["预估年收入", "预估年用邮收入", "年收入", "annual_revenue"])
        .with_fields(customer_fields())
        .with(NOT_USED, &["序号", "备注", "no", "remark", "note"])
}

/// Reads a customer sheet. Which rows are new and which update a customer is
/// decided against the database (`db::import`); here each cell is checked.
pub fn parse(table: &Table, reference: &Reference) -> Result<Parsed<CustomerRow>, FileProblem> {
    let cols = Columns::map(&table.headers, &aliases())?;
    let id_col = cols.index("id");
    if id_col.is_none() && cols.index("full_name").is_none() {
        return Err(FileProblem::MissingColumn("客户编号 / 客户全称 (id / full_name)"));
    }
    let mut out = Parsed::new(table.rows.len(), cols.not_used(&[]));
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let mut problems: Vec<BadRow> = Vec::new();
        let mut bad = |col: Option<usize>, problem: Problem| {
            problems.push(BadRow::new(row.line, col.map(|c| cols.header(c)), problem));
        };
        if super::has_extra_cells(row, cols.headers.len()) {
            bad(None, Problem::ExtraCells);
        }
        let id = match id_col.map(|c| (c, row.cell(c))) {
            Some((c, cell)) if !cell.is_empty() => super::customer_id(cell).map_err(|p| bad(Some(c), p)).ok(),
            _ => None,
        };
        let mut values = BTreeMap::new();
        for (col, key) in cols.fields() {
            let Some(spec) = customer_field(key) else { continue };
            match field_value(spec, row.cell(col), cols.in_wan(col), reference) {
                Ok(FieldValue::Null) => {}
                Ok(value) => {
                    values.insert(spec.key, value);
                }
                Err(p) => bad(Some(col), p),
            }
        }
        let parsed = CustomerRow { line: row.line, id, values };
        let key = match (&parsed.id, parsed.full_name()) {
            (Some(id), _) => Some(id.to_string()),
            (None, Some(name)) => Some(format!("name:{}", normalize_company_name(name))),
            // A bad ID was reported already; no ID cell and no name is this row's problem.
            (None, None) if id_col.is_none_or(|c| row.cell(c).is_empty()) => {
                bad(None, Problem::NoIdOrName);
                None
            }
            (None, None) => None,
        };
        if let Some(key) = key {
            let first = *seen.entry(key).or_insert(row.line);
            if first != row.line {
                bad(None, Problem::DuplicateInFile { first_line: first });
            }
        }
        if problems.is_empty() {
            out.items.push(parsed);
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

    fn parse_text(text: &str) -> Parsed<CustomerRow> {
        parse(&read_table(text.as_bytes()).unwrap(), &Reference::default()).unwrap()
    }

    #[test]
    fn cells_become_dossier_values() {
        let p = parse_text(
            "客户编号,客户简称,客户全称,邮编,类型,预估年收入(万元),序号\n\
             44010600001000,华信,广州华信物流有限公司,510620,政策性,12.5,1\n,新客,新客户有限公司,,,,2\n",
        );
        assert!(p.bad.is_empty(), "{:?}", p.bad);
        assert_eq!(p.ignored, ["序号"]);
        let first = &p.items[0];
        assert_eq!(first.id.as_ref().map(|i| i.as_str()), Some("44010600001000"));
        assert_eq!(first.values["kind"], FieldValue::Text("policy".into()));
        assert_eq!(first.values["annual_revenue"].as_money().map(|m| m.to_fen()), Some(12_500_000));
        let second = &p.items[1];
        assert_eq!(second.id, None);
        assert_eq!(second.missing_for_new(), ["unit_id", "owner_a"]);
        assert_eq!(second.values_for_new()["stage"], FieldValue::Text("target".into()));
    }

    #[test]
    fn bad_cells_and_duplicates_are_reported() {
        let p = parse_text(
            "客户编号,客户全称,邮编\n,甲公司,51062\n,,\n,\"甲 (公司)\",\n44010600001000,乙,\n44010600001000,丙,\n",
        );
        let found: Vec<(usize, Problem)> = p.bad.into_iter().map(|b| (b.line, b.problem)).collect();
        assert!(matches!(found[0], (2, Problem::Field(_))));
        // Line 3 is blank and skipped; line 4 is the same company as line 2 once normalised.
        assert_eq!(found[1], (4, Problem::DuplicateInFile { first_line: 2 }));
        assert_eq!(found[2], (6, Problem::DuplicateInFile { first_line: 5 }));
        assert_eq!(found.len(), 3);
        assert_eq!(parse_text("客户全称,邮编\n,510620\n").bad[0].problem, Problem::NoIdOrName);
    }
}
