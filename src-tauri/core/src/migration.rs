//! migration: pending.
