//! The demo's revenue ledger: 24 months per customer up to last month, split over
//! a few service lines, with the patterns a monthly analysis should find (steady,
//! growing, falling, stopped, new, one-off), and the units' own revenue.
//!
//! Integer arithmetic on fen throughout (no floats for money, even in test data).

use chrono::NaiveDate;

use super::org::Org;
use super::rng::SplitMix64;
use crate::db::revenue::{RevenueEntry, estimates_after, set_one_off_in, set_unit_revenue_in, write_entries_in};
use crate::db::{Actor, DbError, Store, Tx, reference};
use crate::domain::money::Money;
use crate::domain::revenue::{Month, StatusRules};
use crate::domain::tier::TierPreset;

/// How many months of ledger the demo has.
pub const MONTHS: i64 = 24;
/// Customers per transaction.
const BATCH: u64 = 2_000;

/// The shape of a customer's revenue over the 24 months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    Steady,
    Growing,
    /// Falling month on month over the last four months (warning).
    Falling,
    /// A sharp fall last month (watch).
    Dropped,
    /// Nothing for the last few months (churned).
    Stopped {
        months: i64,
    },
    /// First revenue some months ago.
    New {
        from: i64,
    },
    /// One large mailing in one month (一次性客户).
    OneOff {
        at: i64,
    },
}

fn pattern(rng: &mut SplitMix64) -> Pattern {
    match rng.below(1000) {
        0..20 => Pattern::Stopped { months: rng.between(3, 6) },
        20..60 => Pattern::Falling,
        60..100 => Pattern::Dropped,
        100..130 => Pattern::New { from: rng.between(12, 22) },
        130..140 => Pattern::OneOff { at: rng.between(17, 23) },
        140..200 => Pattern::Growing,
        _ => Pattern::Steady,
    }
}

/// Per-mille factor for month `i` (0 = oldest) of `pattern`.
fn factor(rng: &mut SplitMix64, pattern: Pattern, i: i64, calendar_month: u32) -> i64 {
    let last = MONTHS - 1;
    let noise = rng.between(880, 1120);
    let season = match calendar_month {
        2 => 780,
        12 => 1180,
        _ => 1000,
    };
    let shape = match pattern {
        Pattern::Steady => 1000,
        Pattern::Growing => 800 + i * 20,
        Pattern::Falling if i > last - 4 => return 1000 - (i - (last - 4)) * 150,
        Pattern::Falling => 1000,
        Pattern::Dropped if i == last => return rng.between(350, 550),
        Pattern::Dropped => 1000,
        Pattern::Stopped { months } if i > last - months => 0,
        Pattern::Stopped { .. } => 1000,
        Pattern::New { from } if i < from => 0,
        Pattern::New { .. } => 1000,
        Pattern::OneOff { at } if i == at => return 6000,
        Pattern::OneOff { .. } => 0,
    };
    shape * noise / 1000 * season / 1000
}

/// The service lines in the order `lines` draws from, letters the most used.
const LINE_CODES: [&str; 10] =
    ["letters", "bill", "dm", "express", "parcels", "logistics", "press", "philately", "savings", "agency"];

/// The service lines a customer uses (indexes into [`LINE_CODES`]) and each one's weight.
fn lines(rng: &mut SplitMix64, line_count: usize, policy: bool) -> Vec<(usize, i64)> {
    const POPULAR: [(usize, u32); 10] =
        [(0, 30), (1, 12), (2, 12), (3, 20), (4, 8), (5, 6), (6, 6), (7, 2), (8, 2), (9, 2)];
    let count = if policy { rng.count(1, 2) } else { rng.count(1, 4) };
    let mut chosen: Vec<(usize, i64)> = Vec::new();
    while chosen.len() < count.min(line_count) {
        let line = *rng.weighted(&POPULAR) % line_count;
        if !chosen.iter().any(|(l, _)| *l == line) {
            chosen.push((line, rng.between(1, 10)));
        }
    }
    chosen.sort_unstable();
    chosen
}

/// Writes every customer's ledger, then brings statuses and tiers in line.
/// Returns the number of ledger cells written.
pub fn generate(store: &mut Store, seed: u64, today: NaiveDate, preset: TierPreset) -> Result<usize, DbError> {
    let reference = reference::load(store.conn())?;
    // The administrator by role: their login may have gone to the OS login's owner.
    let admin = reference
        .staff
        .iter()
        .find(|s| s.role == crate::domain::staff::Role::Admin)
        .cloned()
        .ok_or_else(|| DbError::Invalid(crate::db::Invalid::Demo("demo has no administrator")))?;
    let at = today.and_hms_opt(8, 0, 0).unwrap_or_default();
    let actor = Actor { staff: admin, at };
    let last = Month::of(today).prev();
    let first = last.plus(1 - MONTHS);
    let line_ids: Vec<i64> = LINE_CODES
        .iter()
        .filter_map(|code| reference.service_lines.iter().find(|l| l.code == *code).map(|l| l.id))
        .collect();
    let reasons: Vec<i64> =
        crate::db::setup::list_entries(store.conn(), crate::db::setup::RefList::ReturnReason, false)?
            .into_iter()
            .map(|r| r.id)
            .collect();

    let mut after = None;
    let mut cells = 0;
    loop {
        let batch = estimates_after(store.conn(), after.as_ref(), BATCH)?;
        let Some(last_estimate) = batch.last() else { break };
        after = Some(last_estimate.customer_id.clone());
        cells += store.write(|tx| {
            let mut entries = Vec::new();
            let mut one_offs = Vec::new();
            for estimate in &batch {
                let (id, policy, annual_fen) = (&estimate.customer_id, estimate.policy, estimate.annual.to_fen());
                let mut rng = SplitMix64::new(seed ^ fnv(id.as_str()));
                let pattern = pattern(&mut rng);
                if matches!(pattern, Pattern::OneOff { .. }) {
                    one_offs.push(id.clone());
                }
                let split = lines(&mut rng, line_ids.len(), policy);
                let weights: i64 = split.iter().map(|(_, w)| w).sum();
                for (i, month) in (0i64..).zip(Month::range(first, last)) {
                    let total = annual_fen / 12 * factor(&mut rng, pattern, i, month.month()) / 1000;
                    for (line, weight) in &split {
                        let amount = total * weight / weights.max(1);
                        if amount > 0 {
                            entries.push(RevenueEntry {
                                customer_id: id.clone(),
                                month,
                                service_line_id: line_ids[*line],
                                amount: Money::from_fen(amount),
                            });
                        }
                    }
                }
            }
            write_entries_in(tx, &actor, &entries)?;
            let (volume, returns) = super::volume::derive(&entries, &line_ids, &reasons, seed);
            crate::db::volume::write_volume_in(tx, &actor, &volume)?;
            crate::db::volume::write_returns_in(tx, &actor, &returns)?;
            for id in &one_offs {
                set_one_off_in(tx, &actor, id, true)?;
            }
            Ok(entries.len())
        })?;
    }
    store.write(|tx| crate::db::revenue::refresh_statuses_in(tx, &actor, &StatusRules::default(), None))?;
    // Tiers now follow the ledger rather than the typed estimates.
    crate::db::customers::retier_all(store, &actor, preset)?;
    Ok(cells)
}

/// Each unit's yearly revenue for last year and this year, and this year's
/// months up to `last` (December a little higher, February lower).
///
/// The same at any demo size: at 100,000 customers the key customers then
/// take far more than their unit (shares over 100%). Growing the units with
/// the demo made every customer's share tiny and left no ranked customer, so
/// no visit standard and no Today workload to measure; the large demo is for
/// measuring, and keeps the small demo's spread of tiers.
pub fn write_unit_revenue(tx: &Tx<'_>, org: &Org, today: NaiveDate) -> Result<(), DbError> {
    let last = Month::of(today).prev();
    let at = today.and_hms_opt(8, 0, 0).unwrap_or_default();
    // The administrator by role: their login may have gone to the OS login's owner.
    let admin = reference::load(tx)?
        .staff
        .into_iter()
        .find(|s| s.role == crate::domain::staff::Role::Admin)
        .ok_or_else(|| DbError::Invalid(crate::db::Invalid::Demo("demo has no administrator")))?;
    let actor = Actor { staff: admin, at };
    for unit in &org.units {
        let yearly_fen = unit.revenue_yuan * 100;
        for (year, scale) in [(last.year() - 1, 950), (last.year(), 1000)] {
            set_unit_revenue_in(tx, &actor, unit.id, year, None, Money::from_fen(yearly_fen * scale / 1000))?;
        }
        for month in Month::range(last.january(), last) {
            let season = match month.month() {
                2 => 800,
                12 => 1150,
                _ => 1000,
            };
            let amount = yearly_fen / 12 * season / 1000;
            set_unit_revenue_in(tx, &actor, unit.id, month.year(), Some(month.month()), Money::from_fen(amount))?;
        }
    }
    Ok(())
}

/// FNV-1a: a stable hash of the customer ID, so each customer's revenue does
/// not depend on the order customers are generated in.
pub(super) fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
