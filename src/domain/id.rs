//! The 14-digit customer ID `AAAAAA SSSSS BBB` (SPEC §2.1).
//!
//! `AAAAAA` is the administrative-division code, `SSSSS` the key customer's
//! sequence in that division (from 00001), `BBB` the branch (000 = the
//! headquarters or a customer without branches). A branch shares the first
//! 11 digits with its headquarters, so the hierarchy is derivable.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

const DIVISION_LEN: usize = 6;
const SEQUENCE_LEN: usize = 5;
const BRANCH_LEN: usize = 3;
const ID_LEN: usize = DIVISION_LEN + SEQUENCE_LEN + BRANCH_LEN;
/// Length of the grouped form `440100 00001 000`.
const GROUPED_LEN: usize = ID_LEN + 2;
const HEADQUARTERS_BRANCH: &str = "000";

pub const MAX_SEQUENCE: u32 = 99_999;
pub const MAX_BRANCH: u16 = 999;

/// Why an ID was refused or could not be assigned; the UI translates each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IdError {
    #[error("expected {expected} digits, found {found} characters")]
    WrongLength { expected: usize, found: usize },
    #[error("only the digits 0-9 are allowed")]
    NotDigits,
    #[error("the division code must not start with 0")]
    BadDivision,
    #[error("the customer sequence 00000 is not used; sequences start at 00001")]
    ZeroSequence,
    #[error("customer sequence {0} is beyond 99999")]
    SequenceOutOfRange(u32),
    #[error("branch number {0} is beyond 999")]
    BranchOutOfRange(u16),
    #[error("all customer sequences 00001-99999 of this division are in use")]
    DivisionFull,
    #[error("branches can only be added under a headquarters (branch 000)")]
    NotHeadquarters,
    #[error("all branch numbers 001-999 of this headquarters are in use")]
    BranchesFull,
}

/// A 6-digit administrative-division code (行政区划代码), e.g. 440100.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode(String);

impl DivisionCode {
    /// Surrounding whitespace is ignored; otherwise exactly six ASCII
    /// digits, the first 1-9 (no division code starts with 0).
    pub fn parse(text: &str) -> Result<DivisionCode, IdError> {
        let digits = text.trim();
        check_digits(digits, DIVISION_LEN)?;
        if digits.starts_with('0') {
            return Err(IdError::BadDivision);
        }
        Ok(DivisionCode(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DivisionCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DivisionCode::parse(s)
    }
}

impl TryFrom<String> for DivisionCode {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DivisionCode::parse(&s)
    }
}

impl From<DivisionCode> for String {
    fn from(code: DivisionCode) -> String {
        code.0
    }
}

/// A validated 14-digit customer ID. Ordering is the numeric order, since
/// every ID has the same length.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CustomerId(String);

impl CustomerId {
    /// Validates an ID from an import or a search box. Surrounding
    /// whitespace is ignored, and the grouped form `440100 00001 000` that
    /// `formatted` shows is accepted so a copied ID pastes back.
    pub fn parse(text: &str) -> Result<CustomerId, IdError> {
        let trimmed = text.trim();
        let digits = ungroup(trimmed).unwrap_or_else(|| trimmed.to_owned());
        check_digits(&digits, ID_LEN)?;
        DivisionCode::parse(&digits[..DIVISION_LEN])?;
        if &digits[DIVISION_LEN..DIVISION_LEN + SEQUENCE_LEN] == "00000" {
            return Err(IdError::ZeroSequence);
        }
        Ok(CustomerId(digits))
    }

    pub fn new(division: &DivisionCode, sequence: u32, branch: u16) -> Result<CustomerId, IdError> {
        if sequence == 0 {
            return Err(IdError::ZeroSequence);
        }
        if sequence > MAX_SEQUENCE {
            return Err(IdError::SequenceOutOfRange(sequence));
        }
        if branch > MAX_BRANCH {
            return Err(IdError::BranchOutOfRange(branch));
        }
        Ok(CustomerId(format!("{division}{sequence:05}{branch:03}")))
    }

    pub fn division(&self) -> DivisionCode {
        DivisionCode(self.0[..DIVISION_LEN].to_owned())
    }

    pub fn sequence(&self) -> u32 {
        digits_value(&self.0[DIVISION_LEN..DIVISION_LEN + SEQUENCE_LEN])
    }

    pub fn branch(&self) -> u16 {
        // Three digits are at most 999, so the narrowing cannot truncate.
        u16::try_from(digits_value(&self.0[DIVISION_LEN + SEQUENCE_LEN..])).unwrap_or(u16::MAX)
    }

    /// Branch 000: the headquarters, or a customer with no branches.
    pub fn is_headquarters(&self) -> bool {
        self.0.ends_with(HEADQUARTERS_BRANCH)
    }

    /// The headquarters this ID belongs to (itself for a headquarters).
    pub fn headquarters(&self) -> CustomerId {
        CustomerId(format!("{}{HEADQUARTERS_BRANCH}", &self.0[..DIVISION_LEN + SEQUENCE_LEN]))
    }

    /// True when `self` is a branch (not the headquarters itself) of `headquarters`.
    pub fn is_branch_of(&self, headquarters: &CustomerId) -> bool {
        !self.is_headquarters() && headquarters.is_headquarters() && self.headquarters() == *headquarters
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped for reading: `440100 00001 000`.
    pub fn formatted(&self) -> String {
        let (division, rest) = self.0.split_at(DIVISION_LEN);
        let (sequence, branch) = rest.split_at(SEQUENCE_LEN);
        format!("{division} {sequence} {branch}")
    }
}

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CustomerId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CustomerId::parse(s)
    }
}

impl TryFrom<String> for CustomerId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CustomerId::parse(&s)
    }
}

impl From<CustomerId> for String {
    fn from(id: CustomerId) -> String {
        id.0
    }
}

/// The ID for a new headquarters customer in `division`: the sequence
/// after the highest one in use (`None` when the division has none yet).
pub fn next_customer_id(division: &DivisionCode, max_sequence_in_use: Option<u32>) -> Result<CustomerId, IdError> {
    let next = match max_sequence_in_use {
        None => 1,
        Some(max) if max >= MAX_SEQUENCE => return Err(IdError::DivisionFull),
        Some(max) => max + 1,
    };
    CustomerId::new(division, next, 0)
}

/// The ID for a new branch of `headquarters`: the branch number after the
/// highest one in use (`None`, or `Some(0)` for the headquarters itself,
/// when it has no branches yet).
pub fn next_branch_id(headquarters: &CustomerId, max_branch_in_use: Option<u16>) -> Result<CustomerId, IdError> {
    if !headquarters.is_headquarters() {
        return Err(IdError::NotHeadquarters);
    }
    let next = match max_branch_in_use {
        None => 1,
        Some(max) if max >= MAX_BRANCH => return Err(IdError::BranchesFull),
        Some(max) => max + 1,
    };
    CustomerId::new(&headquarters.division(), headquarters.sequence(), next)
}

fn check_digits(text: &str, expected: usize) -> Result<(), IdError> {
    let found = text.chars().count();
    if found != expected {
        return Err(IdError::WrongLength { expected, found });
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::NotDigits);
    }
    Ok(())
}

/// `440100 00001 000` → `44010000001000`; `None` if not in that shape.
fn ungroup(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let grouped =
        bytes.len() == GROUPED_LEN && bytes[DIVISION_LEN] == b' ' && bytes[DIVISION_LEN + 1 + SEQUENCE_LEN] == b' ';
    grouped.then(|| text.replace(' ', ""))
}

/// Value of a run of at most 5 ASCII digits (validated on construction).
fn digits_value(digits: &str) -> u32 {
    digits.bytes().fold(0, |value, digit| value * 10 + u32::from(digit - b'0'))
}

/// A valid ID standing for a short test name ("A", "gold"), ordered as the
/// names' first three letters are, so domain tests can keep readable names.
#[cfg(test)]
pub(crate) fn test_id(name: &str) -> CustomerId {
    if let Ok(id) = CustomerId::parse(name) {
        return id;
    }
    let n = name.bytes().chain(std::iter::repeat(0)).take(3).fold(0u32, |n, b| n * 128 + u32::from(b));
    let division = DivisionCode::parse("440100").expect("a valid division");
    CustomerId::new(&division, n / 1000 + 1, u16::try_from(n % 1000).expect("below 1000")).expect("a valid ID")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guangzhou() -> DivisionCode {
        DivisionCode::parse("440100").unwrap()
    }

    fn id(text: &str) -> CustomerId {
        CustomerId::parse(text).unwrap()
    }

    #[test]
    fn division_code_rules() {
        assert_eq!(guangzhou().as_str(), "440100");
        assert_eq!(DivisionCode::parse(" 310108 ").unwrap().as_str(), "310108");
        assert_eq!(DivisionCode::parse("44010"), Err(IdError::WrongLength { expected: 6, found: 5 }));
        assert_eq!(DivisionCode::parse("44010a"), Err(IdError::NotDigits));
        assert_eq!(DivisionCode::parse("４４０１００"), Err(IdError::NotDigits));
        assert_eq!(DivisionCode::parse("040100"), Err(IdError::BadDivision));
        assert!(DivisionCode::parse("100000").is_ok());
        assert!(DivisionCode::parse("999999").is_ok());
    }

    #[test]
    fn parses_valid_ids_and_splits_them() {
        let branch = id("44010000001002");
        assert_eq!(branch.division(), guangzhou());
        assert_eq!(branch.sequence(), 1);
        assert_eq!(branch.branch(), 2);
        assert!(!branch.is_headquarters());
        assert_eq!(branch.headquarters(), id("44010000001000"));
        assert_eq!(branch.as_str(), "44010000001002");
        assert_eq!(branch.to_string(), "44010000001002");
        assert_eq!(branch.formatted(), "440100 00001 002");

        let top = id("31010899999999");
        assert_eq!(top.sequence(), 99_999);
        assert_eq!(top.branch(), 999);
    }

    #[test]
    fn parse_accepts_whitespace_and_the_grouped_form() {
        assert_eq!(id("  44010000001000\t"), id("44010000001000"));
        assert_eq!(id("440100 00001 000"), id("44010000001000"));
        let original = id("31010800042007");
        assert_eq!(CustomerId::parse(&original.formatted()), Ok(original));
    }

    #[test]
    fn parse_rejects_malformed_ids() {
        assert_eq!(CustomerId::parse("4401000000100"), Err(IdError::WrongLength { expected: 14, found: 13 }));
        assert_eq!(CustomerId::parse("440100000010000"), Err(IdError::WrongLength { expected: 14, found: 15 }));
        assert!(matches!(CustomerId::parse(""), Err(IdError::WrongLength { found: 0, .. })));
        assert!(matches!(CustomerId::parse("4401 0000001000"), Err(IdError::WrongLength { found: 15, .. })));
        assert_eq!(CustomerId::parse("4401000000100x"), Err(IdError::NotDigits));
        assert_eq!(CustomerId::parse("440100-00001-0"), Err(IdError::NotDigits));
        assert_eq!(CustomerId::parse("04010000001000"), Err(IdError::BadDivision));
        assert_eq!(CustomerId::parse("44010000000000"), Err(IdError::ZeroSequence));
        assert_eq!(CustomerId::parse("44010000000001"), Err(IdError::ZeroSequence));
    }

    #[test]
    fn new_checks_ranges() {
        assert_eq!(CustomerId::new(&guangzhou(), 1, 0), Ok(id("44010000001000")));
        assert_eq!(CustomerId::new(&guangzhou(), 99_999, 999), Ok(id("44010099999999")));
        assert_eq!(CustomerId::new(&guangzhou(), 0, 0), Err(IdError::ZeroSequence));
        assert_eq!(CustomerId::new(&guangzhou(), 100_000, 0), Err(IdError::SequenceOutOfRange(100_000)));
        assert_eq!(CustomerId::new(&guangzhou(), 1, 1000), Err(IdError::BranchOutOfRange(1000)));
    }

    #[test]
    fn next_customer_id_takes_the_next_free_sequence() {
        assert_eq!(next_customer_id(&guangzhou(), None), Ok(id("44010000001000")));
        assert_eq!(next_customer_id(&guangzhou(), Some(0)), Ok(id("44010000001000")));
        assert_eq!(next_customer_id(&guangzhou(), Some(41)), Ok(id("44010000042000")));
        assert_eq!(next_customer_id(&guangzhou(), Some(99_998)), Ok(id("44010099999000")));
        assert_eq!(next_customer_id(&guangzhou(), Some(99_999)), Err(IdError::DivisionFull));
        assert_eq!(next_customer_id(&guangzhou(), Some(u32::MAX)), Err(IdError::DivisionFull));
    }

    #[test]
    fn next_branch_id_numbers_branches_under_a_headquarters() {
        let hq = id("44010000042000");
        assert_eq!(next_branch_id(&hq, None), Ok(id("44010000042001")));
        assert_eq!(next_branch_id(&hq, Some(0)), Ok(id("44010000042001")));
        assert_eq!(next_branch_id(&hq, Some(7)), Ok(id("44010000042008")));
        assert_eq!(next_branch_id(&hq, Some(998)), Ok(id("44010000042999")));
        assert_eq!(next_branch_id(&hq, Some(999)), Err(IdError::BranchesFull));
        assert_eq!(next_branch_id(&id("44010000042003"), None), Err(IdError::NotHeadquarters));
        let branch = next_branch_id(&hq, None).unwrap();
        assert!(branch.is_branch_of(&hq));
        assert!(!hq.is_branch_of(&hq));
        assert!(!branch.is_branch_of(&id("44010000043000")));
    }

    #[test]
    fn ids_order_numerically_and_serialize_as_strings() {
        assert!(id("44010000002000") > id("44010000001999"));
        let json = serde_json::to_string(&id("44010000001002")).unwrap();
        assert_eq!(json, "\"44010000001002\"");
        let back: CustomerId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id("44010000001002"));
        assert!(serde_json::from_str::<CustomerId>("\"44010000000000\"").is_err());
        assert!(serde_json::from_str::<DivisionCode>("\"012345\"").is_err());
    }
}
