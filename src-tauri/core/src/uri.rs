//! Key URI (`otpauth://TYPE/LABEL?PARAMS`) parsing and formatting.
//!
//! Follows Google's Key URI Format with the tolerance real enrolment QR codes need (see
//! `tests/data/cases.tsv`). IMPLEMENTATION PENDING (helper: uri/otp/migration).

use crate::otp::{Params, Secret};

/// A non-fatal remark about an enrolment, shown to the user next to the account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Warning {
    /// The secret is shorter than 128 bits (RFC 4226 §4); `bits` is its length.
    WeakSecret {
        /// Length of the secret in bits.
        bits: usize,
    },
    /// A Google Authenticator export batch is incomplete: part(s) missing.
    MissingBatchParts {
        /// Batch id from the export.
        batch_id: i32,
        /// 0-based index of the part that was imported.
        batch_index: i32,
        /// Number of parts in the batch.
        batch_size: i32,
    },
}

/// One account as enrolled: everything a Key URI carries that this app keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The issuer (for SPSE: the LPSE), "" when none is given.
    pub issuer: String,
    /// The account name (for SPSE: the user ID), "" when none is given.
    pub account: String,
    /// The shared secret (redacted in `Debug`).
    pub secret: Secret,
    /// Type, algorithm, digits, period, counter.
    pub params: Params,
    /// Remarks for the user (weak secret, incomplete export batch…).
    pub warnings: Vec<Warning>,
}

/// PLACEHOLDER until the uri branch lands.
pub fn parse_payload(_text: &str) -> crate::error::Result<Vec<Enrolment>> {
    Err(crate::error::Error::new(
        crate::error::ErrorKind::InvalidUri,
        "not implemented yet",
    ))
}
