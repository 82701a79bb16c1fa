//! Which column holds which field. Headers are matched in Chinese or English,
//! with or without a unit in brackets (`收入(元)`), full-width brackets, a
//! required-field star (`*客户简称`) or spaces.

use super::FileProblem;
use crate::domain::dossier::FieldSpec;
use crate::domain::money::to_halfwidth;
use crate::i18n::field_label;

/// The key of columns that are known but read by people only (names next to
/// an ID, totals, remarks): never refused, never imported.
pub const NOT_USED: &str = "";

/// Folds a header or a typed value for comparison: half-width, lower case,
/// without spaces, stars, underscores or hyphens.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            c => to_halfwidth(c),
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '-' | '\u{feff}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A header folded without its unit, and whether the unit is 万元 (the amounts
/// below it are then read in 万).
pub fn fold_header(header: &str) -> (String, bool) {
    let folded = fold(header);
    for (suffix, wan) in
        [("(万元)", true), ("(单位:万元)", true), ("(元)", false), ("(单位:元)", false), ("(yuan)", false)]
    {
        if let Some(rest) = folded.strip_suffix(suffix) {
            return (rest.to_string(), wan);
        }
    }
    (folded, false)
}

/// The names a field's column may have, folded.
#[derive(Debug, Clone, Default)]
pub struct Aliases(Vec<(String, &'static str)>);

impl Aliases {
    pub fn new() -> Aliases {
        Aliases::default()
    }

    /// `names` all mean `key` (the first name given for a header wins).
    pub fn with(mut self, key: &'static str, names: &[&str]) -> Aliases {
        for name in names {
            let (folded, _) = fold_header(name);
            if !self.0.iter().any(|(n, _)| *n == folded) {
                self.0.push((folded, key));
            }
        }
        self
    }

    /// Every field of a catalogue also answers to its storage key and its form labels.
    pub fn with_fields(mut self, fields: impl Iterator<Item = &'static FieldSpec>) -> Aliases {
        for f in fields {
            let (zh, en) = field_label(f.key);
            self = self.with(f.key, &[f.key, zh, en]);
        }
        self
    }

    pub fn key_of(&self, header: &str) -> Option<&'static str> {
        let (folded, _) = fold_header(header);
        self.0.iter().find(|(n, _)| *n == folded).map(|(_, k)| *k)
    }
}

/// The header row read against the aliases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub headers: Vec<String>,
    keys: Vec<Option<&'static str>>,
    wan: Vec<bool>,
}

impl Columns {
    /// Reads the headers. Two columns for the same field refuse the file: which
    /// one holds the truth cannot be guessed.
    pub fn map(headers: &[String], aliases: &Aliases) -> Result<Columns, FileProblem> {
        let mut keys: Vec<Option<&'static str>> = Vec::with_capacity(headers.len());
        for h in headers {
            let key = aliases.key_of(h);
            if key.is_some_and(|k| k != NOT_USED) && keys.contains(&key) {
                return Err(FileProblem::DuplicateColumn(h.clone()));
            }
            keys.push(key);
        }
        let wan = headers.iter().map(|h| fold_header(h).1).collect();
        Ok(Columns { headers: headers.to_vec(), keys, wan })
    }

    pub fn index(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| *k == Some(key))
    }

    /// The column of a field the import cannot do without.
    pub fn require(&self, key: &str, names: &'static str) -> Result<usize, FileProblem> {
        self.index(key).ok_or(FileProblem::MissingColumn(names))
    }

    pub fn header(&self, i: usize) -> &str {
        &self.headers[i]
    }

    /// Amounts under this column are in 万元.
    pub fn in_wan(&self, i: usize) -> bool {
        self.wan.get(i).copied().unwrap_or(false)
    }

    /// (column, field key) of every recognised column.
    pub fn fields(&self) -> impl Iterator<Item = (usize, &'static str)> + '_ {
        self.keys.iter().enumerate().filter_map(|(i, k)| k.map(|k| (i, k)))
    }

    /// Headers of the columns known to be not used, and of those no alias
    /// matched, except the columns `taken` by the caller.
    pub fn not_used(&self, taken: &[usize]) -> Vec<String> {
        let known = self.fields().filter(|(_, k)| *k == NOT_USED).map(|(i, _)| i);
        let mut cols: Vec<usize> = known.chain(self.unknown()).filter(|i| !taken.contains(i)).collect();
        cols.sort_unstable();
        cols.into_iter().map(|i| self.headers[i].clone()).collect()
    }

    /// Columns no alias matched (headerless ones excluded).
    pub fn unknown(&self) -> impl Iterator<Item = usize> + '_ {
        self.keys.iter().enumerate().filter(|(i, k)| k.is_none() && !self.headers[*i].is_empty()).map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fold_with_units_and_full_width_brackets() {
        assert_eq!(fold_header("收入（元）"), ("收入".to_string(), false));
        assert_eq!(fold_header(" *预估年收入(万元) "), ("预估年收入".to_string(), true));
        assert_eq!(fold_header("Customer_ID"), ("customerid".to_string(), false));
    }

    #[test]
    fn a_field_given_twice_refuses_the_file() {
        let aliases = Aliases::new().with("customer_id", &["客户编号", "id"]);
        let headers = vec!["客户编号".to_string(), "备注".to_string(), "ID".to_string()];
        assert_eq!(Columns::map(&headers, &aliases), Err(FileProblem::DuplicateColumn("ID".into())));
        let cols = Columns::map(&headers[..2], &aliases).unwrap();
        assert_eq!(cols.index("customer_id"), Some(0));
        assert_eq!(cols.unknown().collect::<Vec<_>>(), [1]);
    }
}
