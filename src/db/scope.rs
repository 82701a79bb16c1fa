//! "The customers a staff member answers for" as SQL, shared by the reads
//! behind Today, the standards and the log quotas.
//!
//! Written out per case rather than as `(?1 IS NULL OR c.owner_a = ?1 …)`:
//! SQLite plans a statement once, and with that generic form it cannot use the
//! owner or unit index, so every Today read scanned all customers.

use super::engine::Value;

/// A condition on customer alias `c` and its parameters, numbered from `first`:
/// customers owned by `owner` (as A or B), else those of `unit`, else all.
pub(crate) fn responsible(owner: Option<i64>, unit: Option<i64>, first: usize) -> (String, Vec<Value>) {
    match (owner, unit) {
        (Some(o), Some(u)) => (
            format!("(c.owner_a = ?{first} OR c.owner_b = ?{first}) AND c.unit_id = ?{}", first + 1),
            vec![Value::Integer(o), Value::Integer(u)],
        ),
        (Some(o), None) => (format!("(c.owner_a = ?{first} OR c.owner_b = ?{first})"), vec![Value::Integer(o)]),
        (None, Some(u)) => (format!("c.unit_id = ?{first}"), vec![Value::Integer(u)]),
        (None, None) => ("1".to_string(), Vec::new()),
    }
}

/// Customers a visit standard applies to: ranked ones (not general, not
/// unranked). Spelled as the ranks that are in, not those that are out: an
/// index on (…, tier_rank) can seek an IN list, but not a NOT IN.
pub(crate) fn ranked() -> String {
    use crate::domain::tier::Tier;
    let ranks: Vec<String> = Tier::ALL
        .iter()
        .filter(|t| !matches!(t, Tier::General | Tier::Unranked))
        .map(|t| t.rank().to_string())
        .collect();
    format!("c.tier_rank IN ({})", ranks.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_case_names_only_the_parameters_it_binds() {
        assert_eq!(responsible(None, None, 3), ("1".to_string(), vec![]));
        let (sql, args) = responsible(Some(7), None, 3);
        assert_eq!(sql, "(c.owner_a = ?3 OR c.owner_b = ?3)");
        assert_eq!(args, vec![Value::Integer(7)]);
        let (sql, args) = responsible(None, Some(2), 1);
        assert_eq!((sql.as_str(), args.len()), ("c.unit_id = ?1", 1));
        let (sql, args) = responsible(Some(7), Some(2), 4);
        assert!(sql.contains("?4") && sql.contains("?5") && args.len() == 2, "{sql}");
    }
}
