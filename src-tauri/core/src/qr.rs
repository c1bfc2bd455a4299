//! qr: pending.
