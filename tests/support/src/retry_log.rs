//! The retry log: every time a test's harness starts something again after a failure it did not
//! cause (a crashed keyring daemon, a WebDriver session that would not start, a CLI run that ended
//! without a word), it says so here, so that a retry that then succeeds is still seen.
//!
//! Invariant: nothing secret is ever written (callers pass what happened and where, never a
//! command's arguments or output that may hold a made-up secret).

use std::io::Write;

/// Says that the harness starts something again after a failure: on stderr (shown with a failing
/// test's output) and, when `SPSE_E2E_RETRY_LOG` names a file, appended to it with the test's
/// name (`.ci/test` and `tests/app/run.sh` print that file at their end, green or red).
pub fn note_retry(what: &str) {
    eprintln!("{what}");
    if let Some(path) = std::env::var_os("SPSE_E2E_RETRY_LOG") {
        let test = std::thread::current().name().unwrap_or("?").to_string();
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{test}: {what}");
        }
    }
}
