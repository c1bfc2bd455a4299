//! accounts: pending.
