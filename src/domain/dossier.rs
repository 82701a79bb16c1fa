//! The dossier's field catalogue (SPEC §3): which fields each record has, of what
//! kind, and which are required. Forms, storage and history labels are driven by
//! this one table, so a field is added in one place.

use chrono::NaiveDate;

use super::money::Money;
use super::validate::{self, FieldError};

/// What a field holds and how its text is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    LongText,
    PostalCode,
    Phone,
    Email,
    /// Yuan, stored as integer fen.
    Money,
    Date,
    Count,
    /// One of a fixed list of codes, shown through the locale table.
    Choice(&'static [&'static str]),
    Industry,
    Unit,
    Staff,
}

impl FieldKind {
    /// Reference and choice fields are picked from a list, not typed.
    pub fn is_picked(self) -> bool {
        matches!(self, FieldKind::Choice(_) | FieldKind::Industry | FieldKind::Unit | FieldKind::Staff)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Column name in storage and key in the locale table.
    pub key: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

const fn field(key: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec { key, kind, required: false }
}
const fn required(key: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec { key, kind, required: true }
}

pub const CUSTOMER_KINDS: &[&str] = &["commercial", "policy"];
pub const STAGES: &[&str] = &["target", "developing", "signed", "maintained", "lost"];
pub const STATUSES: &[&str] = &["normal", "watch", "warning", "churned"];
pub const DECISION_ROLES: &[&str] = &["decision_maker", "handler", "finance", "other"];

/// Group 1 of SPEC §3 plus the ownership and tier inputs kept on the dossier.
pub const BASIC_FIELDS: &[FieldSpec] = &[
    required("short_name", FieldKind::Text),
    required("full_name", FieldKind::Text),
    required("kind", FieldKind::Choice(CUSTOMER_KINDS)),
    required("stage", FieldKind::Choice(STAGES)),
    required("unit_id", FieldKind::Unit),
    required("owner_a", FieldKind::Staff),
    field("owner_b", FieldKind::Staff),
    field("industry_id", FieldKind::Industry),
    field("address", FieldKind::Text),
    field("postal_code", FieldKind::PostalCode),
    field("legal_rep", FieldKind::Text),
    field("contact_dept", FieldKind::Text),
    field("contact_name", FieldKind::Text),
    field("phone", FieldKind::Phone),
    field("email", FieldKind::Email),
    field("fax", FieldKind::Phone),
    field("scale", FieldKind::Text),
    field("business_scope", FieldKind::LongText),
    field("main_products", FieldKind::LongText),
    field("services_used", FieldKind::Text),
    field("postal_spending", FieldKind::LongText),
    field("annual_revenue", FieldKind::Money),
    field("monthly_payroll", FieldKind::Money),
];

/// Group 2 of SPEC §3.
pub const EXTENDED_FIELDS: &[FieldSpec] = &[
    field("org_chart", FieldKind::LongText),
    field("leaders", FieldKind::Text),
    field("registered_capital", FieldKind::Money),
    field("financial_situation", FieldKind::LongText),
    field("business_plan", FieldKind::LongText),
    field("employees", FieldKind::Count),
    field("potential", FieldKind::LongText),
    field("strengths", FieldKind::LongText),
    field("weaknesses", FieldKind::LongText),
    field("credit", FieldKind::Text),
];

/// Group 3 of SPEC §3: the customer's important people.
pub const PERSON_FIELDS: &[FieldSpec] = &[
    required("name", FieldKind::Text),
    field("title", FieldKind::Text),
    required("decision_role", FieldKind::Choice(DECISION_ROLES)),
    field("birthday", FieldKind::Date),
    field("phone", FieldKind::Phone),
    field("email", FieldKind::Email),
    field("ethnicity", FieldKind::Text),
    field("marital_status", FieldKind::Text),
    field("family", FieldKind::Text),
    field("education", FieldKind::Text),
    field("interests", FieldKind::LongText),
    field("taboos", FieldKind::LongText),
    field("important_dates", FieldKind::LongText),
    field("competitor_ties", FieldKind::LongText),
];

/// Group 4 of SPEC §3: who else serves this customer.
pub const COMPETITOR_FIELDS: &[FieldSpec] = &[
    required("name", FieldKind::Text),
    field("product_price", FieldKind::LongText),
    field("volume", FieldKind::Text),
    field("market_share", FieldKind::Text),
    field("marketing_means", FieldKind::LongText),
    field("personal_ties", FieldKind::LongText),
];

/// 档案资料完整率 (SPEC §15; the bureau chooses the required fields, SPEC
/// is silent on which): the fields a complete dossier has filled. The
/// required fields of [`BASIC_FIELDS`] (always filled: a dossier cannot be
/// saved without them) and the rest of SPEC §3 group 1 that describes who
/// the customer is and how it deals with the post: industry, address,
/// postal code, person in charge, the dealing department and its contact,
/// phone, scale, business scope, main products, postal services used and
/// postal spending. Email and fax are left out (many customers have none),
/// as are the estimates and group 2, which a dossier fills over time.
pub const COMPLETENESS_FIELDS: &[&str] = &[
    "short_name",
    "full_name",
    "kind",
    "stage",
    "unit_id",
    "owner_a",
    "industry_id",
    "address",
    "postal_code",
    "legal_rep",
    "contact_dept",
    "contact_name",
    "phone",
    "scale",
    "business_scope",
    "main_products",
    "services_used",
    "postal_spending",
];

/// The fields [`COMPLETENESS_FIELDS`] names, with their kinds.
pub fn completeness_fields() -> impl Iterator<Item = &'static FieldSpec> {
    COMPLETENESS_FIELDS.iter().filter_map(|key| customer_field(key))
}

/// Every customer column a form may write.
pub fn customer_fields() -> impl Iterator<Item = &'static FieldSpec> {
    BASIC_FIELDS.iter().chain(EXTENDED_FIELDS.iter())
}

pub fn customer_field(key: &str) -> Option<&'static FieldSpec> {
    customer_fields().find(|f| f.key == key)
}

/// A stored value of one field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FieldValue {
    #[default]
    Null,
    Text(String),
    Int(i64),
    Money(Money),
    Date(NaiveDate),
}

impl FieldValue {
    pub fn is_null(&self) -> bool {
        matches!(self, FieldValue::Null)
    }
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FieldValue::Text(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_int(&self) -> Option<i64> {
        match self {
            FieldValue::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_money(&self) -> Option<Money> {
        match self {
            FieldValue::Money(m) => Some(*m),
            _ => None,
        }
    }
    /// The text a form shows for a typed field (reference fields are looked up by the UI).
    pub fn edit_text(&self) -> String {
        match self {
            FieldValue::Null => String::new(),
            FieldValue::Text(s) => s.clone(),
            FieldValue::Int(i) => i.to_string(),
            FieldValue::Money(m) => m.yuan().normalize().to_string(),
            FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

/// Turns what the user typed into a value, or says what is wrong with it.
/// Picked fields arrive already as codes or ids in text form.
pub fn parse_field(spec: &FieldSpec, input: &str) -> Result<FieldValue, FieldError> {
    let input = validate::sanitize_text(input);
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return if spec.required { Err(FieldError::Required) } else { Ok(FieldValue::Null) };
    }
    Ok(match spec.kind {
        FieldKind::Text => FieldValue::Text(validate::max_len(trimmed, 200)?),
        FieldKind::LongText => FieldValue::Text(validate::max_len(trimmed, 2000)?),
        FieldKind::PostalCode => FieldValue::Text(validate::postal_code(trimmed)?),
        FieldKind::Phone => FieldValue::Text(validate::phone(trimmed)?),
        FieldKind::Email => FieldValue::Text(validate::email(trimmed)?),
        FieldKind::Money => FieldValue::Money(validate::amount(trimmed)?),
        FieldKind::Date => FieldValue::Date(validate::date(trimmed)?),
        FieldKind::Count => FieldValue::Int(validate::count(trimmed)?),
        FieldKind::Choice(codes) => {
            if codes.contains(&trimmed) {
                FieldValue::Text(trimmed.to_string())
            } else {
                return Err(FieldError::NotInList);
            }
        }
        FieldKind::Industry | FieldKind::Unit | FieldKind::Staff => {
            FieldValue::Int(trimmed.parse().map_err(|_| FieldError::NotInList)?)
        }
    })
}

/// Normalises a company name for duplicate detection: drops spaces, brackets and
/// the legal-form words that make two spellings of one company look different.
pub fn normalize_company_name(name: &str) -> String {
    const NOISE: &[&str] =
        &["股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "(", ")", "（", "）", " ", "　", "·", "-"];
    let mut s = name.trim().to_lowercase();
    for n in NOISE {
        s = s.replace(n, "");
    }
    s
}

/// Normalises an address for duplicate detection.
pub fn normalize_address(address: &str) -> String {
    address
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，' | '-' | '—' | '(' | ')' | '（' | '）'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_within_each_record() {
        for fields in [PERSON_FIELDS, COMPETITOR_FIELDS] {
            let mut keys: Vec<_> = fields.iter().map(|f| f.key).collect();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), fields.len());
        }
        let mut keys: Vec<_> = customer_fields().map(|f| f.key).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }

    #[test]
    fn a_complete_dossier_has_every_required_field_and_group_one() {
        assert_eq!(completeness_fields().count(), COMPLETENESS_FIELDS.len(), "each is a customer field");
        for spec in BASIC_FIELDS.iter().filter(|f| f.required) {
            assert!(COMPLETENESS_FIELDS.contains(&spec.key), "{} is required", spec.key);
        }
        assert!(completeness_fields().all(|f| BASIC_FIELDS.contains(f)), "group 1 only");
    }

    #[test]
    fn required_field_left_empty_is_refused() {
        let spec = customer_field("short_name").unwrap();
        assert_eq!(parse_field(spec, "   "), Err(FieldError::Required));
        assert_eq!(parse_field(customer_field("fax").unwrap(), ""), Ok(FieldValue::Null));
    }

    #[test]
    fn typed_fields_parse_or_explain() {
        let postal = customer_field("postal_code").unwrap();
        assert_eq!(parse_field(postal, "510620"), Ok(FieldValue::Text("510620".into())));
        assert!(parse_field(postal, "51062").is_err());
        let kind = customer_field("kind").unwrap();
        assert_eq!(parse_field(kind, "policy"), Ok(FieldValue::Text("policy".into())));
        assert_eq!(parse_field(kind, "pirate"), Err(FieldError::NotInList));
        let money = customer_field("annual_revenue").unwrap();
        assert!(matches!(parse_field(money, "12.5万"), Ok(FieldValue::Money(_))));
    }

    #[test]
    fn company_names_normalise_for_duplicates() {
        assert_eq!(normalize_company_name("广州 华信物流（集团）有限公司"), normalize_company_name("广州华信物流"));
        assert_eq!(normalize_address("天河路 1 号（东门）"), "天河路1号东门");
    }
}
