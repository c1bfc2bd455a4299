//! The recovery-password key slot: the vault's data key wrapped with a key derived from a password.
//!
//! KEK = Argon2id(password, salt, m, t, p) (32 bytes, parameters stored in the slot);
//! wrapped key = AES-256-GCM(KEK, nonce, data key) with the vault id as associated data, so a slot
//! copied into another vault's header does not open it. Changing the password replaces only the
//! slot; the data key (and so the keyring entry and every backup's ciphertext) stays the same.

use aes_gcm::aead::{Aead, KeyInit, Payload as AeadPayload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result};
use crate::keystore::DataKey;
use crate::vault::KeySlot;

/// Shortest recovery password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Argon2id cost parameters, as stored in a [`KeySlot::Password`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Iterations.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// What new slots use: 64 MiB, 3 iterations, 1 lane (OWASP's second Argon2id option is
    /// 19 MiB × 2; this is costlier for an attacker and still well under a second on a laptop).
    pub const DEFAULT: KdfParams = KdfParams {
        m_cost_kib: 64 * 1024,
        t_cost: 3,
        p_cost: 1,
    };

    /// Largest accepted when reading a slot (a guard against a header that asks for terabytes).
    const MAX_M_COST_KIB: u32 = 1024 * 1024;
    const MAX_T_COST: u32 = 16;
    const MAX_P_COST: u32 = 16;
}

fn damaged_slot(why: &str) -> Error {
    Error::new(
        ErrorKind::VaultDamaged,
        format!("vault damaged: the recovery-password slot is unreadable ({why})"),
    )
}

fn derive(password: &str, salt: &[u8], p: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    if p.m_cost_kib > KdfParams::MAX_M_COST_KIB
        || p.t_cost > KdfParams::MAX_T_COST
        || p.p_cost > KdfParams::MAX_P_COST
    {
        return Err(damaged_slot("its Argon2id parameters are out of range"));
    }
    let params = argon2::Params::new(p.m_cost_kib, p.t_cost, p.p_cost, Some(32))
        .map_err(|e| damaged_slot(&format!("Argon2id parameters: {e}")))?;
    let kdf = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    kdf.hash_password_into(password.as_bytes(), salt, out.as_mut())
        .map_err(|e| damaged_slot(&format!("Argon2id: {e}")))?;
    Ok(out)
}

/// Checks a new recovery password. Errors: [`ErrorKind::InvalidInput`] when it is shorter than
/// [`MIN_PASSWORD_CHARS`] or only white space.
pub fn check_new_password(password: &str) -> Result<()> {
    if password.trim().is_empty() || password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "the recovery password is too short: use at least {MIN_PASSWORD_CHARS} characters \
                 (a few unrelated words are easy to remember and hard to guess)"
            ),
        ));
    }
    Ok(())
}

/// A new password slot wrapping `key` for vault `vault_id` with `params` (fresh random salt and
/// nonce). Errors: [`ErrorKind::InvalidInput`] for a too-short password.
pub fn wrap(password: &str, key: &DataKey, vault_id: &str, params: KdfParams) -> Result<KeySlot> {
    use rand::RngCore;
    check_new_password(password)?;
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let kek = derive(password, &salt, params)?;
    let wrapped = Aes256Gcm::new(kek.as_ref().into())
        .encrypt(
            Nonce::from_slice(&nonce),
            AeadPayload {
                msg: key.as_bytes(),
                aad: vault_id.as_bytes(),
            },
        )
        .map_err(|_| Error::new(ErrorKind::Io, "wrapping the vault key failed"))?;
    Ok(KeySlot::Password {
        m_cost_kib: params.m_cost_kib,
        t_cost: params.t_cost,
        p_cost: params.p_cost,
        salt: data_encoding::BASE64.encode(&salt),
        nonce: data_encoding::BASE64.encode(&nonce),
        wrapped_key: data_encoding::BASE64.encode(&wrapped),
    })
}

/// The data key from a password `slot` of vault `vault_id`.
///
/// Errors: [`ErrorKind::WrongPassword`] (nothing else is learnt), [`ErrorKind::VaultDamaged`] for
/// a malformed slot, [`ErrorKind::InvalidInput`] when `slot` is not a password slot.
pub fn unwrap(password: &str, slot: &KeySlot, vault_id: &str) -> Result<DataKey> {
    let KeySlot::Password {
        m_cost_kib,
        t_cost,
        p_cost,
        salt,
        nonce,
        wrapped_key,
    } = slot
    else {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "internal: not a password slot",
        ));
    };
    let b64 = |s: &str, what: &str| {
        data_encoding::BASE64
            .decode(s.as_bytes())
            .map_err(|_| damaged_slot(&format!("bad {what}")))
    };
    let salt = b64(salt, "salt")?;
    let nonce = b64(nonce, "nonce")?;
    let wrapped = b64(wrapped_key, "wrapped key")?;
    if salt.len() < 8 || nonce.len() != 12 || wrapped.len() != 48 {
        return Err(damaged_slot("wrong field lengths"));
    }
    let params = KdfParams {
        m_cost_kib: *m_cost_kib,
        t_cost: *t_cost,
        p_cost: *p_cost,
    };
    let kek = derive(password, &salt, params)?;
    let plain = Zeroizing::new(
        Aes256Gcm::new(kek.as_ref().into())
            .decrypt(
                Nonce::from_slice(&nonce),
                AeadPayload {
                    msg: &wrapped,
                    aad: vault_id.as_bytes(),
                },
            )
            .map_err(|_| {
                Error::new(
                    ErrorKind::WrongPassword,
                    "wrong recovery password: it does not open this vault; nothing was changed",
                )
            })?,
    );
    let mut k = [0u8; 32];
    k.copy_from_slice(&plain);
    let key = DataKey::from_bytes(k);
    zeroize::Zeroize::zeroize(&mut k);
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };

    #[test]
    fn wrap_unwrap_round_trip_wrong_password_and_other_vault() {
        let key = DataKey::generate();
        let slot = wrap("correct horse battery", &key, "vault-a", CHEAP).expect("wrap");
        let back = unwrap("correct horse battery", &slot, "vault-a").expect("unwrap");
        assert_eq!(back.as_bytes(), key.as_bytes());
        let e = unwrap("correct horse batterx", &slot, "vault-a").expect_err("wrong");
        assert_eq!(e.kind(), ErrorKind::WrongPassword);
        let e = unwrap("correct horse battery", &slot, "vault-b").expect_err("other vault");
        assert_eq!(e.kind(), ErrorKind::WrongPassword);
        assert_eq!(
            wrap("short", &key, "v", CHEAP).expect_err("short").kind(),
            ErrorKind::InvalidInput
        );
        let text = serde_json::to_string(&slot).expect("json");
        assert!(!text.contains("correct horse"));
    }

    #[test]
    fn absurd_parameters_in_a_slot_are_refused_not_run() {
        let key = DataKey::generate();
        let KeySlot::Password {
            salt,
            nonce,
            wrapped_key,
            ..
        } = wrap("correct horse battery", &key, "v", CHEAP).expect("wrap")
        else {
            panic!("a password slot")
        };
        let slot = KeySlot::Password {
            m_cost_kib: u32::MAX,
            t_cost: 1,
            p_cost: 1,
            salt,
            nonce,
            wrapped_key,
        };
        let e = unwrap("correct horse battery", &slot, "v").expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::VaultDamaged);
    }

    /// Real parameters once, with the time printed (`cargo test -- --nocapture`).
    #[test]
    fn default_parameters_cost() {
        let key = DataKey::generate();
        let t0 = std::time::Instant::now();
        let slot = wrap("correct horse battery", &key, "v", KdfParams::DEFAULT).expect("wrap");
        let t1 = t0.elapsed();
        let back = unwrap("correct horse battery", &slot, "v").expect("unwrap");
        assert_eq!(back.as_bytes(), key.as_bytes());
        eprintln!("Argon2id m=64 MiB t=3 p=1: wrap {t1:?}");
    }
}
