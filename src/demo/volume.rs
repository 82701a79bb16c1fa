//! The demo's volume (用邮量) and returned mail (退信): pieces for every
//! customer-month-line of revenue, at a plausible price per piece of each
//! service line, and returned mail for about one customer in five (the ones
//! that post letters, bills or direct mail), with its reasons.

use super::rng::SplitMix64;
use crate::db::revenue::RevenueEntry;
use crate::db::volume::{ReturnsEntry, VolumeEntry};
use crate::domain::volume::Returns;

/// Fen per piece, by the index of `revenue::LINE_CODES`: letters, bill mail,
/// direct mail, express, parcels, logistics, newspapers, philately, savings
/// (transactions), agency (transactions).
const FEN_PER_PIECE: [i64; 10] = [120, 80, 60, 1800, 1500, 6000, 250, 1000, 400, 300];

/// The lines whose pieces come back as returned mail: letters, bill mail, direct mail.
const ADDRESSED: [usize; 3] = [0, 1, 2];

/// Volume for `entries` (one customer-month-line each) and returned mail for
/// some customers. `line_ids[i]` is the id of `LINE_CODES[i]`; `reasons` the
/// return reasons' ids in list order.
pub fn derive(
    entries: &[RevenueEntry],
    line_ids: &[i64],
    reasons: &[i64],
    seed: u64,
) -> (Vec<VolumeEntry>, Vec<ReturnsEntry>) {
    let mut volume = Vec::with_capacity(entries.len());
    let mut returns: Vec<ReturnsEntry> = Vec::new();
    for e in entries {
        let Some(index) = line_ids.iter().position(|id| *id == e.service_line_id) else { continue };
        let mut rng =
            SplitMix64::new(seed ^ super::revenue::fnv(e.customer_id.as_str()) ^ e.month.key().cast_unsigned() << 8);
        // The price drifts a little month to month: pieces do not follow revenue exactly.
        let price = FEN_PER_PIECE[index % FEN_PER_PIECE.len()] * rng.between(900, 1100) / 1000;
        let pieces = u64::try_from(e.amount.to_fen() / price.max(1)).unwrap_or(0).max(1);
        volume.push(VolumeEntry {
            customer_id: e.customer_id.clone(),
            month: e.month,
            service_line_id: e.service_line_id,
            pieces,
        });
        // About one customer in five keeps returned-mail figures for its addressed mail.
        let keeps = super::revenue::fnv(e.customer_id.as_str()).is_multiple_of(5);
        if !keeps || !ADDRESSED.contains(&index) || reasons.is_empty() {
            continue;
        }
        let returned = pieces * u64::try_from(rng.between(5, 40)).unwrap_or(5) / 1000;
        match returns.iter_mut().find(|r| r.customer_id == e.customer_id && r.month == e.month) {
            Some(r) => {
                r.returns.posted += pieces;
                r.returns.returned += returned;
                if let Some(first) = r.reasons.first_mut() {
                    first.1 += returned;
                }
            }
            None => {
                // Most returns are for unclear addresses; the rest spread over the other reasons.
                let unclear = returned * 6 / 10;
                let rest = returned - unclear;
                let mut by_reason = vec![(reasons[0], unclear)];
                let others = &reasons[1..];
                if !others.is_empty() && rest > 0 {
                    let pick = usize::try_from(rng.below(others.len() as u64)).unwrap_or(0);
                    by_reason.push((others[pick], rest));
                } else {
                    by_reason[0].1 += rest;
                }
                returns.push(ReturnsEntry {
                    customer_id: e.customer_id.clone(),
                    month: e.month,
                    returns: Returns { posted: pieces, returned },
                    reasons: by_reason,
                });
            }
        }
    }
    (volume, returns)
}
