//! The demo generator's random numbers: SplitMix64 (Steele, Lea & Flood 2014).
//!
//! Hand-written rather than taken from `rand`: this is test data, and what
//! matters is that one seed gives byte-identical data on every machine and with
//! every crate version, for ever (snapshots and screen tests rely on it).
//! Statistical quality hardly matters; SplitMix64 is more than good enough and
//! fits in a dozen lines. Do not change the algorithm or the way the helpers
//! below consume numbers without accepting that every demo database changes.

#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0). Multiply-and-shift, without the
    /// rejection step: the bias is below n / 2^64, invisible in demo data.
    pub fn below(&mut self, n: u64) -> u64 {
        // Below 2^128 shifted down by 64: always fits, the fallback is never taken.
        u64::try_from((u128::from(self.next_u64()) * u128::from(n)) >> 64).unwrap_or(0)
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add(self.below(span).cast_signed())
    }

    /// A number in `lo..=hi` of a narrower type (an hour, a day of the year, a
    /// year); draws exactly as [`Self::between`] does.
    pub fn in_range<T>(&mut self, lo: T, hi: T) -> T
    where
        T: Copy + Into<i64> + TryFrom<i64>,
    {
        // `between` stays within lo..=hi, all of which T holds.
        T::try_from(self.between(lo.into(), hi.into())).unwrap_or(lo)
    }

    /// A count in `lo..=hi`; draws exactly as [`Self::between`] does.
    pub fn count(&mut self, lo: usize, hi: usize) -> usize {
        debug_assert!(lo <= hi);
        lo + self.index(hi - lo + 1)
    }

    /// An index into a slice of `len` items (`len` must not be 0).
    pub fn index(&mut self, len: usize) -> usize {
        // Below `len`, so it fits a usize: the fallback is never taken.
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// True with a probability of `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// One item, each as likely as its weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut roll = self.below(total);
        for (item, weight) in items {
            let weight = u64::from(*weight);
            if roll < weight {
                return item;
            }
            roll -= weight;
        }
        &items[items.len() - 1].0
    }

    /// `count` distinct items in list order (all of them if there are fewer).
    pub fn some_of<'a, T>(&mut self, items: &'a [T], count: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = Vec::with_capacity(count);
        while chosen.len() < count.min(items.len()) {
            let i = self.index(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| &items[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_splitmix64() {
        // First outputs of the reference C implementation seeded with 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn helpers_stay_in_range() {
        let mut rng = SplitMix64::new(42);
        for _ in 0..10_000 {
            assert!(rng.below(7) < 7);
            let x = rng.between(-3, 3);
            assert!((-3..=3).contains(&x));
        }
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.between(5, 5), 5);
        let picked = rng.some_of(&[1, 2, 3, 4], 3);
        assert_eq!(picked.len(), 3);
        assert!(picked.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(rng.some_of(&[1, 2], 5).len(), 2);
        assert_eq!(*rng.weighted(&[("a", 0), ("b", 1)]), "b");
        // The typed draws take the same numbers as `between`.
        let (mut a, mut b, mut c) = (SplitMix64::new(7), SplitMix64::new(7), SplitMix64::new(7));
        for _ in 0..1000 {
            let x = a.between(3, 9);
            assert_eq!(i64::from(b.in_range(3u32, 9)), x);
            assert_eq!(c.count(3, 9) as u64, x.unsigned_abs());
        }
    }
}
