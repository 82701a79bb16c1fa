//! Search: pinyin keys and query parsing.
pub mod pinyin;

pub use self::pinyin::{UNIT_SEPARATOR, match_ranges, normalize_query, search_key, sort_key};
