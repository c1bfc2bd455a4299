//! A time server as the user gives it: `HOST[:PORT]` (`[IPv6]:PORT` or a bare IPv6 address too).
//!
//! Parsing only checks the form; the name is resolved when the server is queried (so that a DNS
//! failure is one server's `dns` answer, not an error of the whole list).

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind};

/// A time server: a host name or IP address and a UDP port (123 unless given).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Server {
    host: String,
    port: u16,
}

impl Server {
    /// The NTP port, used when `HOST` comes without one.
    pub const DEFAULT_PORT: u16 = 123;

    /// Parses `HOST`, `HOST:PORT`, `[IPv6]`, `[IPv6]:PORT` or a bare IPv6 address (port 123).
    /// Fails with `invalid_server` for an empty host, whitespace, or a port that is not 1–65535.
    pub fn parse(text: &str) -> Result<Server, Error> {
        let s = text.trim();
        let invalid = |why: &str| {
            Error::new(
                ErrorKind::InvalidServer,
                format!("{s:?} is not a time server ({why}); give HOST or HOST:PORT"),
            )
        };
        let (host, port) = if let Some(rest) = s.strip_prefix('[') {
            let (host, after) = rest
                .split_once(']')
                .ok_or_else(|| invalid("no closing ]"))?;
            match after {
                "" => (host, None),
                _ => (
                    host,
                    Some(
                        after
                            .strip_prefix(':')
                            .ok_or_else(|| invalid("text after ]"))?,
                    ),
                ),
            }
        } else if s.matches(':').count() > 1 {
            (s, None) // a bare IPv6 address
        } else {
            match s.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (s, None),
            }
        };
        if host.is_empty() {
            return Err(invalid("no host"));
        }
        if host
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "/[]".contains(c))
        {
            return Err(invalid("not a host name or address"));
        }
        let port = match port {
            None => Self::DEFAULT_PORT,
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 => n,
                _ => return Err(invalid("the port must be a number from 1 to 65535")),
            },
        };
        Ok(Server {
            host: host.to_string(),
            port,
        })
    }

    /// The host name or IP address (an IPv6 address without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The UDP port.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl FromStr for Server {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Server::parse(s)
    }
}

/// `HOST:PORT`, or `[IPv6]:PORT`: the form [`Server::parse`] reads back.
impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(s: &str) -> (String, u16) {
        let server = Server::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        (server.host().to_string(), server.port())
    }

    #[test]
    fn host_port_forms_parse() {
        assert_eq!(parsed("time.google.com"), ("time.google.com".into(), 123));
        assert_eq!(parsed(" 127.0.0.1:11123 "), ("127.0.0.1".into(), 11123));
        assert_eq!(parsed("[::1]:9123"), ("::1".into(), 9123));
        assert_eq!(parsed("[::1]"), ("::1".into(), 123));
        assert_eq!(parsed("2001:db8::7"), ("2001:db8::7".into(), 123));
    }

    #[test]
    fn display_reads_back() {
        for s in ["id.pool.ntp.org:123", "127.0.0.1:5", "[::1]:9123"] {
            assert_eq!(Server::parse(s).expect(s).to_string(), s);
        }
        assert_eq!(
            Server::parse("2001:db8::7").expect("v6").to_string(),
            "[2001:db8::7]:123"
        );
    }

    #[test]
    fn malformed_servers_are_invalid_server() {
        for s in [
            "",
            "  ",
            ":123",
            "host:",
            "host:0",
            "host:65536",
            "host:x",
            "[::1",
            "[::1]x",
            "a b",
            "a/b",
        ] {
            let e = Server::parse(s).expect_err(s);
            assert_eq!(e.kind(), ErrorKind::InvalidServer, "{s}");
        }
    }
}
