//! Recovery passwords and confirmations: where a password comes from (the terminal, not echoed,
//! or standard input lines with `--password-stdin`, in the order the README gives), zeroized
//! after use; opening a vault whose keyring key is missing with its recovery password.

use std::io::{IsTerminal, Read};

use anyhow::Context;
use spse_auth_core::accounts::{KeyringState, Store};
use zeroize::Zeroizing;

/// Where passwords come from: standard input lines (`--password-stdin`) or the terminal.
///
/// With `--password-stdin` the lines are consumed in order: first the password that opens the
/// vault (only when its keyring key is missing), then, for `recovery set`, the new password.
pub struct Passwords {
    stdin_lines: Option<std::vec::IntoIter<Zeroizing<String>>>,
}

impl Passwords {
    /// Reads every line of standard input now when `from_stdin` (`--password-stdin`); otherwise
    /// passwords are asked on the terminal when needed.
    pub fn new(from_stdin: bool) -> anyhow::Result<Self> {
        if !from_stdin {
            return Ok(Passwords { stdin_lines: None });
        }
        let mut text = Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut text)
            .context("--password-stdin: reading standard input")?;
        let lines: Vec<Zeroizing<String>> = text
            .lines()
            .map(|l| Zeroizing::new(l.trim_end_matches('\r').to_string()))
            .collect();
        Ok(Passwords {
            stdin_lines: Some(lines.into_iter()),
        })
    }

    /// True when passwords come from standard input (`--password-stdin`).
    pub fn reads_stdin(&self) -> bool {
        self.stdin_lines.is_some()
    }

    /// True when both standard input and standard error are a terminal (we may ask).
    pub fn interactive() -> bool {
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }

    /// The next password: a line of standard input, or asked on the terminal (not echoed).
    /// `None` when neither is possible.
    pub fn next(&mut self, prompt: &str) -> anyhow::Result<Option<Zeroizing<String>>> {
        if let Some(lines) = self.stdin_lines.as_mut() {
            return match lines.next() {
                Some(l) => Ok(Some(l)),
                None => {
                    anyhow::bail!("--password-stdin: standard input has no more password lines")
                }
            };
        }
        if !Self::interactive() {
            return Ok(None);
        }
        let p = Zeroizing::new(rpassword::prompt_password(prompt).context("reading the password")?);
        Ok(Some(p))
    }
}

/// Asks `question` on stderr and reads the answer from stdin: "y", "yes" or "ya" (any case) is
/// yes; an empty answer is `default_yes`; anything else, or a read error, is no.
pub fn ask_yes(question: &str, default_yes: bool) -> bool {
    eprint!("{question} ");
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    let a = answer.trim().to_lowercase();
    if a.is_empty() {
        return default_yes;
    }
    matches!(a.as_str(), "y" | "yes" | "ya")
}

/// Opens the vault with the recovery password when its keyring key is missing or the keyring is
/// unreachable, then puts the key back in the keyring. Does nothing when the vault opens as it is,
/// or has no recovery password (the command then fails with "vault key missing"). With `strict`
/// false, a vault whose status cannot be read is left for the command to report.
pub fn unlock_if_needed(store: &mut Store, pw: &mut Passwords, strict: bool) -> anyhow::Result<()> {
    let st = match store.status() {
        Ok(s) => s,
        Err(_) if !strict => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if st.ready || !st.has_recovery_password {
        return Ok(());
    }
    let why = match st.keyring {
        KeyringState::NoEntry => "the system keyring has no key for this vault",
        KeyringState::Locked => "the system keyring is locked",
        _ => "the system keyring is unavailable",
    };
    if Passwords::interactive() && !pw.reads_stdin() {
        eprintln!("spse-auth: {why}; open the vault with its recovery password.");
    }
    let Some(password) = pw.next("Recovery password: ")? else {
        return Ok(());
    };
    store.unlock_with_password(&password)?;
    match st.keyring {
        KeyringState::NoEntry => {
            let store_it = if !pw.reads_stdin() && Passwords::interactive() {
                ask_yes(
                    "Store the vault key in the system keyring again, so that the password is not needed next time? [Y/n]",
                    true,
                )
            } else {
                true
            };
            if store_it {
                match store.restore_keyring_key() {
                    Ok(()) => eprintln!(
                        "spse-auth: opened with the recovery password; the vault key was stored in the system keyring again"
                    ),
                    Err(e) => eprintln!(
                        "spse-auth: opened with the recovery password; the vault key could not be stored in the keyring: {e}"
                    ),
                }
            } else {
                eprintln!(
                    "spse-auth: opened with the recovery password; the keyring was left as it is"
                );
            }
        }
        _ => eprintln!(
            "spse-auth: opened with the recovery password ({why}; the key was not stored in it)"
        ),
    }
    Ok(())
}
