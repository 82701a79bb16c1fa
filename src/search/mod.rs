//! Search: pinyin keys and query parsing.
pub mod pinyin;

pub use self::pinyin::{
    SHORT_QUERY_CHARS, UNIT_SEPARATOR, is_short_query, key_prefixes, match_ranges, normalize_query, search_key,
    sort_key,
};
