//! The week view's hour grid: which hours get rows at a given height. Only
//! real hours are labelled, every visit falls in the row of its own hour, and
//! the grid never has more rows than the screen.

/// The working day shown when no visit falls outside it (08:00–18:59).
const DAY_START: u32 = 8;
const DAY_END: u32 = 18;
/// With rows to spare the grid widens to 07:00–20:59, and no further.
const WIDE_START: u32 = 7;
const WIDE_END: u32 = 20;
/// Rows an hour gets at most when the screen is tall (visits one under another).
const MAX_ROWS_PER_HOUR: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourGrid {
    /// The first hour shown.
    first: u32,
    /// Hours per block of rows: 1, unless the screen is too short to give
    /// every hour a row (then a block covers two or more and is labelled by its first).
    pub hours_per_block: u32,
    /// Rows per block: more than 1 when the screen is tall.
    pub rows_per_block: usize,
    pub blocks: usize,
}

impl HourGrid {
    /// The grid for `rows` rows covering the working day and every hour in `hours` (0–23).
    pub fn fit(hours: impl IntoIterator<Item = u32>, rows: usize) -> HourGrid {
        let (mut first, mut last) = (DAY_START, DAY_END);
        for h in hours {
            let h = h.min(23);
            first = first.min(h);
            last = last.max(h);
        }
        let rows = rows.max(1);
        while ((last - first + 1) as usize) < rows {
            if first > WIDE_START {
                first -= 1;
            } else if last < WIDE_END {
                last += 1;
            } else {
                break;
            }
        }
        let hours = (last - first + 1) as usize;
        if hours <= rows {
            HourGrid {
                first,
                hours_per_block: 1,
                rows_per_block: (rows / hours).clamp(1, MAX_ROWS_PER_HOUR),
                blocks: hours,
            }
        } else {
            // Fewer rows than hours (at most 24), so `rows` fits a u32.
            let per = (last - first + 1).div_ceil(u32::try_from(rows).unwrap_or(u32::MAX));
            HourGrid { first, hours_per_block: per, rows_per_block: 1, blocks: hours.div_ceil(per as usize) }
        }
    }

    /// The first hour of block `b`, for its label.
    pub fn block_start(&self, b: usize) -> u32 {
        let b = u32::try_from(b).unwrap_or(u32::MAX);
        self.first.saturating_add(b.saturating_mul(self.hours_per_block))
    }

    /// The block an hour falls in (every hour of the visits the grid was fitted to has one).
    pub fn block_of(&self, hour: u32) -> Option<usize> {
        let b = (hour.checked_sub(self.first)? / self.hours_per_block) as usize;
        (b < self.blocks).then_some(b)
    }

    /// Rows the grid fills.
    #[cfg(test)]
    fn rows(&self) -> usize {
        self.blocks * self.rows_per_block
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(g: &HourGrid) -> Vec<u32> {
        (0..g.blocks).map(|b| g.block_start(b)).collect()
    }

    #[test]
    fn at_80x24_the_hours_07_to_20_one_row_each() {
        let g = HourGrid::fit([9, 14], 20);
        assert_eq!(labels(&g), (7..=20).collect::<Vec<_>>());
        assert_eq!(g.rows_per_block, 1);
        assert!(g.rows() <= 20);
    }

    #[test]
    fn a_tall_screen_gives_each_hour_more_rows_never_more_hours_than_a_day() {
        let g = HourGrid::fit([], 45);
        assert_eq!(labels(&g), (7..=20).collect::<Vec<_>>());
        assert_eq!(g.rows_per_block, 3);
        assert!(g.rows() <= 45);
        let g = HourGrid::fit([0, 23], 200);
        assert_eq!(labels(&g), (0..=23).collect::<Vec<_>>());
        assert!(labels(&g).iter().all(|h| *h < 24));
    }

    #[test]
    fn early_and_late_visits_widen_the_range_to_their_hours() {
        let g = HourGrid::fit([6, 22], 20);
        assert_eq!(g.block_of(6), Some(0));
        assert_eq!(g.block_start(g.block_of(22).unwrap()), 22);
        assert_eq!(g.block_start(g.block_of(7).unwrap()), 7);
    }

    #[test]
    fn a_short_screen_puts_several_hours_in_a_row() {
        let g = HourGrid::fit([7], 5);
        assert!(g.rows() <= 5, "{g:?}");
        assert_eq!(g.block_start(0), 7);
        for h in 7..=18 {
            let b = g.block_of(h).unwrap();
            assert!(g.block_start(b) <= h && h < g.block_start(b) + g.hours_per_block, "{h} in {b}: {g:?}");
        }
        assert!(HourGrid::fit([], 0).rows() >= 1);
    }
}
