//! A small seeded generator (xorshift64*) for generated test cases: the same seed gives the same
//! cases, so a failure can be replayed.

/// xorshift64*: deterministic for a seed; not for anything but tests.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed` (0 is replaced by 1: xorshift never leaves 0).
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// A generator seeded from `SPSE_TEST_SEED`, else from the clock; prints the seed on stderr
    /// (`SPSE_TEST_SEED=…`) so that a failing run can be replayed.
    pub fn from_env_or_clock() -> Self {
        let seed = std::env::var("SPSE_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
                    | 1
            });
        eprintln!("SPSE_TEST_SEED={seed}");
        Rng::new(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_sequence_and_below_stays_below() {
        let mut a = Rng::new(0x5eed_1234_abcd_0042);
        let mut b = Rng::new(0x5eed_1234_abcd_0042);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert!(xs.windows(2).all(|w| w[0] != w[1]));
        assert!((0..1000).all(|_| a.below(7) < 7));
        assert_eq!(a.below(0), 0);
        assert_ne!(Rng::new(0).next_u64(), 0);
    }
}
