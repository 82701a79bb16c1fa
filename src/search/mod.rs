//! Search keys: pinyin and query parsing.
pub mod pinyin;
pub mod worker;

pub use self::pinyin::{UNIT_SEPARATOR, match_ranges, normalize_query, search_key};
