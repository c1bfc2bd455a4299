//! keystore: pending.
