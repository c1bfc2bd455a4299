//! Bitwarden password-manager exports, JSON and CSV (their one-time-password fields).
//!
//! Sources followed: Bitwarden's help page "Condition a Bitwarden .csv or .json" (the export
//! columns) and Aegis's `BitwardenImporter.java` (beemdevelopment/Aegis).
//! - JSON: `{"encrypted": false, "items": [{"type": 1, "name", "login": {"username", "totp"}}]}`.
//!   An encrypted JSON export (`"encrypted": true`, its items in `data`) is refused with advice.
//! - CSV (RFC 4180: `,` separated, `"` quoted with `""` escapes, line breaks inside quotes): a
//!   header row with `name`, `login_username`, `login_totp` among its columns.
//! - `totp` is a Key URI, a bare Base32 secret (TOTP, SHA1, 6 digits, 30 s), or `steam://SECRET`
//!   (Steam Guard, the secret in Base32). Items without `totp` are not entries (passwords only).
//!   The item's `name` and `username` stand in for an issuer or account the URI lacks.

use serde_json::Value;
use zeroize::Zeroizing;

use super::common::{array_at, damaged, str_at, unsupported, Input};
use super::entry::{from_uri, Fields, SecretField};
use super::{Entry, Format, FormatId};
use crate::enrolment::strip_prefix_ci;
use crate::error::Result;

const NAME: &str = "Bitwarden";

/// Bitwarden's JSON and CSV exports.
pub struct Bitwarden;

impl Format for Bitwarden {
    const ID: FormatId = FormatId::Bitwarden;

    /// JSON: an object with an `items` list, or an encrypted export (`"encrypted": true` and
    /// `encKeyValidation_DO_NOT_EDIT`). CSV: a first line with a `login_totp` column.
    fn sniff(input: &Input<'_>) -> bool {
        match input.json() {
            Some(j) => {
                j.get("items").is_some_and(Value::is_array)
                    || (j.get("encrypted") == Some(&Value::Bool(true))
                        && j.get("encKeyValidation_DO_NOT_EDIT").is_some())
            }
            None => input
                .text
                .and_then(|t| t.lines().next())
                .is_some_and(|header| {
                    header
                        .split(',')
                        .any(|c| c.trim().trim_matches('"') == "login_totp")
                }),
        }
    }

    fn read(input: &Input<'_>, _password: Option<&str>) -> Result<Vec<Entry>> {
        if let Some(json) = input.json() {
            if json.get("encrypted").and_then(Value::as_bool) == Some(true) {
                return Err(unsupported(
                    "Bitwarden's encrypted export cannot be read by this app: in Bitwarden, \
                     export the vault as unencrypted .json or .csv, import it, then delete it",
                ));
            }
            let items = array_at(json, "items", NAME)?;
            return Ok(items
                .iter()
                .filter_map(|item| {
                    let login = item.get("login")?;
                    let totp = str_at(login, "totp");
                    (!totp.trim().is_empty())
                        .then(|| entry(totp, str_at(item, "name"), str_at(login, "username")))
                })
                .collect());
        }
        let text = input.text.unwrap_or("");
        let rows = csv(text).ok_or_else(|| damaged(NAME, "a quoted CSV field is not closed"))?;
        let mut rows = rows.into_iter();
        let header = rows.next().unwrap_or_default();
        let column = |name: &str| header.iter().position(|c| c.trim() == name);
        let totp = column("login_totp").ok_or_else(|| damaged(NAME, "no 'login_totp' column"))?;
        let (name, user) = (column("name"), column("login_username"));
        let cell = |row: &[Zeroizing<String>], i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .map_or(String::new(), |c| c.to_string())
        };
        Ok(rows
            .filter_map(|row| {
                let secret = row.get(totp).filter(|t| !t.trim().is_empty())?;
                Some(entry(secret, &cell(&row, name), &cell(&row, user)))
            })
            .collect())
    }
}

/// The entry of one `totp` field of the item `name` with login `username`.
fn entry(totp: &str, name: &str, username: &str) -> Entry {
    let totp = totp.trim();
    if strip_prefix_ci(totp, "otpauth:").is_some() || strip_prefix_ci(totp, "steam:").is_some() {
        return from_uri(totp, name, username);
    }
    Fields {
        issuer: name,
        account: username,
        otp_type: "totp",
        secret: Some(SecretField::Base32(Zeroizing::new(totp.to_string()))),
        algorithm: None,
        digits: None,
        period: None,
        counter: None,
    }
    .build()
}

/// RFC 4180 CSV → rows of fields (zeroized on drop: a Bitwarden CSV holds passwords). Blank
/// lines are dropped. `None` when a quoted field is not closed.
fn csv(text: &str) -> Option<Vec<Vec<Zeroizing<String>>>> {
    let mut rows = Vec::new();
    let mut row: Vec<Zeroizing<String>> = Vec::new();
    let mut field = Zeroizing::new(String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                }
                row.clear();
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_common_fixture, read};
    use super::*;
    use crate::ErrorKind;

    const JSON: &[u8] = include_bytes!("fixtures/bitwarden.json");
    const CSV: &[u8] = include_bytes!("fixtures/bitwarden.csv");
    const EXPECTED: &[&str] = &[
        "ok LPSE Kota Contoh|budi.santoso",
        "ok LPSE Kota Contoh|budi.santoso (2) renamed_from=budi.santoso",
        "ok Surel Contoh|siti@contoh.test",
        "ok Steam|pemain",
        "skip invalid_secret Forum Contoh|rina",
        "ok Toko Contoh|dewi",
    ];

    #[test]
    fn json_and_csv_exports_give_the_same_entries() {
        check_common_fixture(JSON, None, FormatId::Bitwarden, EXPECTED);
        check_common_fixture(CSV, None, FormatId::Bitwarden, EXPECTED);
    }

    #[test]
    fn csv_quoting() {
        let rows = csv("a,\"b,\"\"c\"\"\r\nd\",e\r\n\r\nf").unwrap();
        let rows: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| r.iter().map(|f| f.as_str()).collect())
            .collect();
        assert_eq!(rows, [vec!["a", "b,\"c\"\r\nd", "e"], vec!["f"]]);
        assert!(csv("a,\"b").is_none());
        let open = b"name,login_totp\nKota,\"GX4A";
        assert_eq!(read(open, None), Err(ErrorKind::ExportDamaged));
    }

    #[test]
    fn json_that_is_not_what_it_claims() {
        let encrypted = br#"{"encrypted": true, "passwordProtected": true, "salt": "AAAA",
            "encKeyValidation_DO_NOT_EDIT": "2.AAAA", "data": "2.AAAA"}"#;
        assert_eq!(read(encrypted, None), Err(ErrorKind::ExportUnsupported));
        let odd = br#"{"items": [1, {"login": null}, {"login": {"totp": 5}}]}"#;
        assert_eq!(read(odd, None).unwrap(), Vec::<String>::new());
    }
}
