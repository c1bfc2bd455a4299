//! `spse-auth scan [--dry-run] [--replace]`: adds the accounts whose enrolment QR is on the
//! screen, or with `--dry-run` prints what it would do and saves nothing.

use std::io::Write;

use spse_auth_core::accounts::{AddStatus, Store};

use crate::hints;
use crate::output::{dash, print_outcome};

/// Captures every monitor and adds (or previews) the enrolments found there.
pub fn run(
    store: &mut Store,
    dry_run: bool,
    replace: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let found = spse_auth_screen::enrolments().map_err(hints::add_a_screenshot)?;
    if !dry_run {
        for o in &store.add(found, replace).map_err(hints::use_replace)? {
            print_outcome(o, out)?;
        }
        return Ok(());
    }
    for o in &store.preview(&found)? {
        let (status, id) = match o.status {
            AddStatus::Added => ("would-add", "-"),
            AddStatus::NeedsReplace if replace => ("would-replace", o.account.id.as_str()),
            AddStatus::NeedsReplace => ("needs-replace", o.account.id.as_str()),
            AddStatus::Replaced => ("would-replace", o.account.id.as_str()),
            AddStatus::Unchanged => ("unchanged", o.account.id.as_str()),
            // `preview` of enrolments never skips (only per-entry imports do).
            AddStatus::Skipped => ("skipped", "-"),
        };
        writeln!(
            out,
            "{status} {id} {} {}",
            dash(&o.account.issuer),
            dash(&o.account.account)
        )?;
    }
    Ok(())
}
