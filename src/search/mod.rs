//! Search keys: pinyin and query parsing.
