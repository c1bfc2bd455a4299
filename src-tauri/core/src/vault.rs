//! vault: pending.
