//! Search: pinyin keys and query parsing.
pub mod pinyin;

pub use self::pinyin::{
    SHORT_QUERY_CHARS, UNIT_SEPARATOR, is_short_query, match_ranges, normalize_query, search_key, search_starts,
    sort_key,
};
