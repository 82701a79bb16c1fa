//! The approval chain of each tier, as the bureau sets it (SPEC §12: "each
//! city bureau's own approval flow"): stored as data per tier, kam's default
//! ([`crate::domain::contract::default_chain`]) where the bureau set none.
//! A contract copies its tier's chain when it is submitted, so a change
//! reaches the contracts submitted after it.

use super::ContractError;
use crate::db::sql::{Optional, Sql, args};
use crate::db::{Actor, Conn, DbError, Invalid, Store};
use crate::domain::contract::{ChainStep, check_chain, default_chain};
use crate::domain::tier::Tier;

/// The chain contracts of `tier` go up now.
pub fn chain_for(conn: &Conn, tier: Tier) -> Result<Vec<ChainStep>, DbError> {
    let stored: Option<String> =
        conn.row("SELECT steps FROM contract_chain WHERE tier = ?1", args![tier.code()], |r| r.get(0)).optional()?;
    // A chain this build cannot read (a newer kam's) falls back to the default.
    Ok(stored
        .and_then(|json| serde_json::from_str::<Vec<ChainStep>>(&json).ok())
        .unwrap_or_else(|| default_chain(tier)))
}

/// Every tier's chain, and whether the bureau set it (false: kam's default).
pub fn chains(conn: &Conn) -> Result<Vec<(Tier, Vec<ChainStep>, bool)>, DbError> {
    let set: Vec<String> = conn.rows("SELECT tier FROM contract_chain ORDER BY tier", args![], |r| r.get(0))?;
    Tier::ALL.into_iter().map(|tier| Ok((tier, chain_for(conn, tier)?, set.iter().any(|t| t == tier.code())))).collect()
}

/// The administrator sets the chain of `tier` (with history); contracts
/// submitted afterwards go up it.
pub fn set_chain(store: &mut Store, actor: &Actor, tier: Tier, steps: &[ChainStep]) -> Result<(), DbError> {
    actor.staff.may_administer()?;
    check_chain(steps).map_err(|e| DbError::Invalid(Invalid::Contract(ContractError::Chain(e))))?;
    let steps: Vec<ChainStep> = steps
        .iter()
        .map(|s| ChainStep { name: crate::domain::validate::sanitize_text(s.name.trim()), ..s.clone() })
        .collect();
    let json = serde_json::to_string(&steps).map_err(|e| DbError::Invalid(Invalid::Constraint(e.to_string())))?;
    store.write(|tx| {
        tx.exec(
            "INSERT INTO contract_chain (tier, steps, set_by, set_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (tier) DO UPDATE SET steps = excluded.steps, set_by = excluded.set_by, \
             set_at = excluded.set_at, version = contract_chain.version + 1",
            args![tier.code(), json, actor.staff.id, actor.stamp()],
        )?;
        Ok(())
    })
}
