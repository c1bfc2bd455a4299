//! The command line's own hints, appended to the front-end-neutral messages of the core: which
//! `spse-auth` command or flag to use next. Each is chosen by the error's kind at the call that
//! can raise it (a kind alone is not enough: `NotFound` also means "no vault yet"), so the core
//! never speaks of flags or commands and the app localises by kind.

use spse_auth_core::error::Detail;
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

/// A failed screen scan (nothing found, or no capture) gets the route without the screen.
pub fn add_a_screenshot(e: CoreError) -> anyhow::Error {
    match e.kind() {
        ErrorKind::NoQrFound | ErrorKind::CaptureFailed => {
            anyhow::anyhow!("{} (`spse-auth add SCREENSHOT.png`)", e.message())
        }
        _ => e.into(),
    }
}

/// The hints carried by a core error's detail, whatever command raised it: how to restore the
/// newest backup that opens ([`Detail::NewestBackup`], a damaged vault) and how to give the
/// recovery password ([`Detail::RecoveryPassword`]). Other errors are returned as they are.
pub fn by_detail(e: anyhow::Error) -> anyhow::Error {
    // Only a core error on its own: one wrapped in context keeps its wording.
    let Some(core) = e
        .downcast_ref::<CoreError>()
        .filter(|_| e.chain().count() == 1)
    else {
        return e;
    };
    let hint = match (&core.detail, core.kind()) {
        (Detail::NewestBackup(id), ErrorKind::VaultDamaged) => {
            format!("; restore it with `spse-auth backup restore {id}`")
        }
        (Detail::RecoveryPassword(_), _) => {
            " (spse-auth asks for it on a terminal, or reads it with --password-stdin)".to_string()
        }
        _ => return e,
    };
    anyhow::anyhow!("{}{hint}", core.message())
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

    #[test]
    fn detail_hints_name_the_command_and_flag() {
        let damaged = CoreError::new(ErrorKind::VaultDamaged, "vault damaged: …")
            .with_detail(Detail::NewestBackup("20260101T000000000Z-0badf00d".into()));
        assert_eq!(
            by_detail(damaged.into()).to_string(),
            "vault damaged: …; restore it with `spse-auth backup restore 20260101T000000000Z-0badf00d`"
        );
        let locked = CoreError::new(ErrorKind::VaultKeyMissing, "vault key missing: …")
            .with_detail(Detail::RecoveryPassword("vault.spse".into()));
        assert!(by_detail(locked.into())
            .to_string()
            .ends_with("or reads it with --password-stdin)"));
        // Without such a detail, or wrapped in context: unchanged.
        let plain = CoreError::new(ErrorKind::VaultDamaged, "vault damaged: no backup opens");
        assert_eq!(
            by_detail(plain.into()).to_string(),
            "vault damaged: no backup opens"
        );
        let wrapped = anyhow::Error::from(
            CoreError::new(ErrorKind::VaultDamaged, "inner")
                .with_detail(Detail::NewestBackup("x".into())),
        )
        .context("outer");
        assert_eq!(format!("{:#}", by_detail(wrapped)), "outer: inner");
    }

    #[test]
    fn a_failed_scan_points_at_add() {
        let none = CoreError::new(ErrorKind::NoQrFound, "no QR code found on the screen; …");
        assert_eq!(
            add_a_screenshot(none).to_string(),
            "no QR code found on the screen; … (`spse-auth add SCREENSHOT.png`)"
        );
        let other = CoreError::new(ErrorKind::NotOtpauth, "not an enrolment");
        assert_eq!(add_a_screenshot(other).to_string(), "not an enrolment");
    }
}
