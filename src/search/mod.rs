//! Search: pinyin keys and query parsing, and the list's search as a job for the reader thread.
pub mod list_query;
pub mod pinyin;

pub use self::pinyin::{UNIT_SEPARATOR, match_ranges, normalize_query, search_key, sort_key};
