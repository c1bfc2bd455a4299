//! A plain text of Key URIs, one a line (Google's Key URI Format, [`crate::uri::format`]): what
//! Aegis, Ente Auth, 2FAS and most authenticators import as "plain text", and what
//! [`crate::formats::text`] reads back. Holds every secret in the clear.

use zeroize::Zeroizing;

use crate::enrolment::Enrolment;

/// The Key URI of every entry, one a line, each line ending in `\n`; in a buffer zeroized when
/// dropped. Every type this app has is a Key URI type, so nothing is skipped.
pub fn write(entries: &[Enrolment]) -> Zeroizing<String> {
    let uris: Vec<Zeroizing<String>> = entries
        .iter()
        .map(|e| Zeroizing::new(crate::uri::format(e)))
        .collect();
    let mut out = Zeroizing::new(String::with_capacity(
        uris.iter().map(|u| u.len() + 1).sum(),
    ));
    for u in &uris {
        out.push_str(u);
        out.push('\n');
    }
    out
}
