//! The command line's own hints, appended to the front-end-neutral messages of the core: which
//! `spse-auth` command or flag to use next. Each is chosen by the error's kind at the call that
//! can raise it (a kind alone is not enough: `NotFound` also means "no vault yet"), so the core
//! never speaks of flags or commands and the app localises by kind.

use spse_auth_core::{Error as CoreError, ErrorKind};

/// `no account matches 'Q'` gets ` (see `spse-auth list`)`.
pub fn see_list(e: CoreError) -> anyhow::Error {
    append(e, ErrorKind::NotFound, " (see `spse-auth list`)")
}

/// `no backup 'ID'` gets ` (see `spse-auth backup list`)`.
pub fn see_backup_list(e: CoreError) -> anyhow::Error {
    append(e, ErrorKind::NotFound, " (see `spse-auth backup list`)")
}

/// A re-enrolment that needs confirmation gets how to confirm it: `--replace`.
pub fn use_replace(e: CoreError) -> anyhow::Error {
    append(
        e,
        ErrorKind::ReenrolmentNeedsConfirmation,
        "; run again with --replace to replace the old key",
    )
}

/// `e` with `hint` after its message when it is of `kind`; otherwise `e` as it is.
fn append(e: CoreError, kind: ErrorKind, hint: &str) -> anyhow::Error {
    if e.kind() == kind {
        anyhow::anyhow!("{}{hint}", e.message())
    } else {
        e.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_go_only_on_their_kind() {
        let nf = CoreError::new(ErrorKind::NotFound, "no account matches 'fiktif'");
        assert_eq!(
            see_list(nf).to_string(),
            "no account matches 'fiktif' (see `spse-auth list`)"
        );
        let no_vault = CoreError::new(ErrorKind::VaultKeyMissing, "vault key missing");
        assert_eq!(see_list(no_vault).to_string(), "vault key missing");
        let re = CoreError::new(
            ErrorKind::ReenrolmentNeedsConfirmation,
            "'a b' already exists",
        );
        assert!(use_replace(re)
            .to_string()
            .ends_with("run again with --replace to replace the old key"));
    }
}
