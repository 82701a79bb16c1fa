//! The office's organisation and reference lists (SPEC §1, §3): the unit tree
//! (province, city, county/district centres, specialised bureaus, branch
//! offices), the industries and the service lines. Pure rules: which codes,
//! names and parents are acceptable, and why a change is refused.

use strum::{EnumIter, EnumString, IntoStaticStr};

use super::validate::sanitize_text;

/// The level of a unit in the tree (SPEC §1: three levels of key-account
/// centre, specialised bureaus and branch offices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum UnitLevel {
    /// 省局
    Province,
    /// 市局
    City,
    /// 县/区局 (stored as `county`; `district` is accepted as the same)
    #[strum(to_string = "county", serialize = "district")]
    County,
    /// 专业局 (letters & philately, express & logistics)
    Bureau,
    /// 支局
    Branch,
}

impl UnitLevel {
    pub const ALL: [UnitLevel; 5] =
        [UnitLevel::Province, UnitLevel::City, UnitLevel::County, UnitLevel::Bureau, UnitLevel::Branch];

    /// The code stored in `org_unit.kind`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// A stored or typed code, in any case; `district` means a county/district centre.
    pub fn from_code(code: &str) -> Option<UnitLevel> {
        code.trim().parse().ok()
    }

    /// Higher levels have smaller ranks; a specialised bureau ranks with the
    /// county centres (it sits under a city or the province).
    fn rank(self) -> u8 {
        match self {
            UnitLevel::Province => 0,
            UnitLevel::City => 1,
            UnitLevel::County | UnitLevel::Bureau => 2,
            UnitLevel::Branch => 3,
        }
    }

    /// A unit sits under a unit of a higher level: a district centre under a
    /// city, a branch under a district centre, a bureau or a city.
    pub fn may_sit_under(self, parent: UnitLevel) -> bool {
        parent.rank() < self.rank()
    }

    /// The usual level of a new unit under `parent`.
    pub fn below(parent: UnitLevel) -> UnitLevel {
        match parent {
            UnitLevel::Province => UnitLevel::City,
            UnitLevel::City => UnitLevel::County,
            UnitLevel::County | UnitLevel::Bureau | UnitLevel::Branch => UnitLevel::Branch,
        }
    }
}

/// Which reference list a rule speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    Unit,
    Industry,
    ServiceLine,
    /// The reasons returned mail is counted under (退信原因).
    ReturnReason,
}

/// The longest code: short enough to type and to fit a list column.
pub const MAX_CODE: usize = 16;
/// The longest name of a unit, industry or service line.
pub const MAX_NAME: usize = 40;

/// Why a change to the organisation or a reference list is refused, in terms
/// the UI translates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupRule {
    #[error("a code is 1 to 16 letters, digits, - or _")]
    BadCode,
    #[error("the code {0} is taken")]
    DuplicateCode(String),
    #[error("no {0:?} has the code {1}")]
    Unknown(ListKind, String),
    #[error("the name is required")]
    EmptyName,
    #[error("the name is longer than {MAX_NAME} characters")]
    NameTooLong,
    #[error("a division code is 6 digits, e.g. 440106")]
    BadDivision,
    #[error("unknown level {0}")]
    UnknownLevel(String),
    #[error("{unit} cannot move under {parent}: {parent} is {unit} itself or one of its units")]
    Cycle { unit: String, parent: String },
    #[error("a {level:?} cannot sit under a {parent:?}")]
    LevelOrder { level: UnitLevel, parent: UnitLevel },
    #[error("{0} is archived")]
    Archived(String),
    #[error("{0} is already archived")]
    AlreadyArchived(String),
    #[error("{0} is not archived")]
    NotArchived(String),
    #[error("the unit still has {customers} customers, {staff} staff and {units} units")]
    InUse { customers: i64, staff: i64, units: i64 },
}

/// A full-width letter, digit or sign (as a Chinese input method types it) as ASCII.
fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A code as typed: trimmed, full-width letters and digits made ASCII.
pub fn check_code(text: &str) -> Result<String, SetupRule> {
    let code: String = text.chars().map(halfwidth).collect::<String>().trim().to_string();
    let mut chars = code.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !first_ok || !rest_ok || code.len() > MAX_CODE {
        return Err(SetupRule::BadCode);
    }
    Ok(code)
}

/// A name as typed: without invisible or control characters, trimmed, not empty.
pub fn check_name(text: &str) -> Result<String, SetupRule> {
    let name = sanitize_text(text).trim().to_string();
    if name.is_empty() {
        return Err(SetupRule::EmptyName);
    }
    if name.chars().count() > MAX_NAME {
        return Err(SetupRule::NameTooLong);
    }
    Ok(name)
}

/// An optional second name (the English one): blank is `None`.
pub fn check_optional_name(text: Option<&str>) -> Result<Option<String>, SetupRule> {
    match text.map(|t| sanitize_text(t).trim().to_string()).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => check_name(&t).map(Some),
    }
}

/// True when putting `unit` under `new_parent` would make a unit its own
/// ancestor: the new parent is the unit itself or lies below it.
/// `parent_of` gives each unit's current parent.
pub fn creates_cycle(unit: i64, new_parent: i64, mut parent_of: impl FnMut(i64) -> Option<i64>) -> bool {
    let mut at = Some(new_parent);
    // A tree already broken by another program could loop; a path longer than
    // any real tree is treated as a cycle too.
    for _ in 0..10_000 {
        match at {
            None => return false,
            Some(u) if u == unit => return true,
            Some(u) => at = parent_of(u),
        }
    }
    true
}

/// Units in tree order (each followed by the units below it, siblings by
/// code) with their depth. `units` holds (id, parent, code); a unit whose
/// parent is missing is shown at the top.
pub fn tree_order(units: &[(i64, Option<i64>, &str)]) -> Vec<(usize, usize)> {
    let known = |id: i64| units.iter().any(|u| u.0 == id);
    let mut roots: Vec<usize> = (0..units.len()).filter(|&i| units[i].1.is_none_or(|p| !known(p))).collect();
    roots.sort_by(|a, b| units[*a].2.cmp(units[*b].2));
    let mut out = Vec::with_capacity(units.len());
    let mut seen = vec![false; units.len()];
    let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|i| (i, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push((i, depth));
        let mut children: Vec<usize> = (0..units.len()).filter(|&c| units[c].1 == Some(units[i].0)).collect();
        children.sort_by(|a, b| units[*b].2.cmp(units[*a].2));
        stack.extend(children.into_iter().map(|c| (c, depth + 1)));
    }
    // Units caught in a loop written by another program still appear.
    out.extend((0..units.len()).filter(|&i| !seen[i]).map(|i| (i, 0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_nest_downwards() {
        assert!(UnitLevel::County.may_sit_under(UnitLevel::City));
        assert!(UnitLevel::Branch.may_sit_under(UnitLevel::County));
        assert!(UnitLevel::Branch.may_sit_under(UnitLevel::Bureau));
        assert!(UnitLevel::Bureau.may_sit_under(UnitLevel::Province));
        assert!(!UnitLevel::City.may_sit_under(UnitLevel::County));
        assert!(!UnitLevel::County.may_sit_under(UnitLevel::County));
        assert!(!UnitLevel::County.may_sit_under(UnitLevel::Bureau));
        assert!(!UnitLevel::Province.may_sit_under(UnitLevel::Branch));
        assert_eq!(UnitLevel::below(UnitLevel::City), UnitLevel::County);
        assert_eq!(UnitLevel::from_code("district"), Some(UnitLevel::County));
        assert_eq!(UnitLevel::from_code(" Branch "), Some(UnitLevel::Branch));
        assert_eq!(UnitLevel::from_code("team"), None);
    }

    #[test]
    fn codes_are_short_and_plain() {
        assert_eq!(check_code(" GZ-TH "), Ok("GZ-TH".into()));
        assert_eq!(check_code("ＴＨ"), Ok("TH".into()), "full-width letters from an input method");
        assert_eq!(check_code("real_estate"), Ok("real_estate".into()));
        assert_eq!(check_code(""), Err(SetupRule::BadCode));
        assert_eq!(check_code("-TH"), Err(SetupRule::BadCode));
        assert_eq!(check_code("天河"), Err(SetupRule::BadCode));
        assert_eq!(check_code("T H"), Err(SetupRule::BadCode));
        assert_eq!(check_code(&"A".repeat(17)), Err(SetupRule::BadCode));
        assert_eq!(check_code(&"A".repeat(16)), Ok("A".repeat(16)));
    }

    #[test]
    fn names_are_cleaned_and_bounded() {
        assert_eq!(check_name(" 天河区\u{200B}大客户中心 "), Ok("天河区大客户中心".into()));
        assert_eq!(check_name(" \u{202E} "), Err(SetupRule::EmptyName));
        assert_eq!(check_name(&"名".repeat(MAX_NAME)).map(|n| n.chars().count()), Ok(MAX_NAME));
        assert_eq!(check_name(&"名".repeat(MAX_NAME + 1)), Err(SetupRule::NameTooLong));
        assert_eq!(check_optional_name(Some("  ")), Ok(None));
        assert_eq!(check_optional_name(Some("Finance")), Ok(Some("Finance".into())));
    }

    #[test]
    fn a_unit_cannot_move_under_itself_or_below_itself() {
        // 1 ─ 2 ─ 3, and 4 apart.
        let parent = |u: i64| match u {
            2 => Some(1),
            3 => Some(2),
            _ => None,
        };
        assert!(creates_cycle(1, 1, parent));
        assert!(creates_cycle(1, 3, parent));
        assert!(creates_cycle(2, 3, parent));
        assert!(!creates_cycle(3, 1, parent));
        assert!(!creates_cycle(2, 4, parent));
        // A loop written by another program is not followed forever.
        assert!(creates_cycle(9, 5, |u| Some(if u == 5 { 6 } else { 5 })));
    }

    #[test]
    fn tree_order_puts_children_under_their_parent() {
        let units =
            [(1, None, "GZ"), (2, Some(1), "GZ-TH"), (3, Some(2), "GZ-TH-SP"), (4, Some(1), "GZ-BY"), (5, None, "AA")];
        let order: Vec<(&str, usize)> = tree_order(&units).into_iter().map(|(i, d)| (units[i].2, d)).collect();
        assert_eq!(order, vec![("AA", 0), ("GZ", 0), ("GZ-BY", 1), ("GZ-TH", 1), ("GZ-TH-SP", 2)]);
        // A loop still lists every unit once.
        let looped = [(1, Some(2), "A"), (2, Some(1), "B")];
        assert_eq!(tree_order(&looped).len(), 2);
    }
}
