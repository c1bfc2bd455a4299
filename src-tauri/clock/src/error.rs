//! The clock check's one error type.
//!
//! Every variant has a stable [`ErrorKind`] (a snake_case id such as `timeout`), which the front
//! ends use to localise messages; the `Display` text is an English sentence for logs and the CLI.
//! `Error` serialises deliberately as `{"kind": "<id>", "message": "<English text>"}` (the shape
//! of the core's IPC errors), so the app can hand it to the page as it is.

use std::fmt;

use serde::ser::SerializeStruct;

/// Declares [`ErrorKind`] from one table of `Variant => "snake_case_id"`, so that the enum,
/// [`ErrorKind::as_str`] and [`ErrorKind::ALL`] cannot disagree.
macro_rules! error_kinds {
    ($($(#[$doc:meta])* $variant:ident => $id:literal,)+) => {
        /// Stable, machine-readable category of an [`Error`]; `as_str()` gives its snake_case id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorKind {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorKind {
            /// Every kind, in declaration order (front ends check they localise each one).
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant,)+];

            /// The snake_case id, as serialised.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $id,)+
                }
            }
        }
    };
}

error_kinds! {
    /// A server given as `HOST[:PORT]` that is not one (empty host, bad port).
    InvalidServer => "invalid_server",
    /// The server's name could not be resolved (no DNS: typically offline, or a typo).
    Dns => "dns",
    /// The server (or the network) refused or could not be reached: port closed, no route.
    ServerUnreachable => "server_unreachable",
    /// No reply within the per-server timeout or the check's total deadline.
    Timeout => "timeout",
    /// A reply that is not a usable SNTP answer (malformed, unsynchronised server, Kiss-o'-Death).
    BadReply => "bad_reply",
    /// Any other local network failure (e.g. no UDP socket could be opened).
    Network => "network",
    /// Not one of the servers answered: the offset is unknown (offline, or UDP port 123 blocked).
    NoServerAnswered => "no_server_answered",
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error of the clock check: a [`ErrorKind`] plus an English message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// A new error of `kind` with an English `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// The stable kind (for localisation and decisions).
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The English message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("kind", self.kind.as_str())?;
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialise_as_their_ids_and_ids_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for k in ErrorKind::ALL {
            let json = serde_json::to_string(k).expect("serialise");
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert!(k
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(seen.insert(k.as_str()), "duplicate id {k}");
        }
        assert_eq!(ErrorKind::ALL.len(), 7);
    }

    #[test]
    fn an_error_serialises_as_kind_and_message() {
        let e = Error::new(ErrorKind::Timeout, "no answer within 3 s");
        assert_eq!(
            serde_json::to_value(&e).expect("serialise"),
            serde_json::json!({"kind": "timeout", "message": "no answer within 3 s"})
        );
        assert_eq!(e.to_string(), "no answer within 3 s");
        assert_eq!(e.kind(), ErrorKind::Timeout);
    }
}
