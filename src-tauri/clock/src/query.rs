//! One SNTP query to one server (RFC 4330, through the `rsntp` crate's blocking client), and the
//! mapping of its failures to stable [`ErrorKind`]s.
//!
//! Invariants: only UDP to the addresses `server` resolves to; nothing is written anywhere; the
//! query returns within `timeout` once the name is resolved (resolution itself is the OS
//! resolver's and may take longer: the caller's total deadline bounds that, see `check`).

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind};
use crate::server::Server;

/// What one server answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reply {
    /// Seconds this computer's clock is ahead of the server's (negative: behind).
    pub offset_secs: f64,
    /// Seconds the request and reply spent on the network (round trip, server time excluded).
    pub round_trip_secs: f64,
}

/// Queries `server`, trying its addresses in turn until one answers; gives up at the first
/// timeout and once `deadline` has passed.
pub(crate) fn query(server: &Server, timeout: Duration, deadline: Instant) -> Result<Reply, Error> {
    let addrs: Vec<SocketAddr> = (server.host(), server.port())
        .to_socket_addrs()
        .map_err(|e| dns_error(server, &e.to_string()))?
        .collect();
    if addrs.is_empty() {
        return Err(dns_error(server, "no address"));
    }
    let mut last = None;
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left < Duration::from_millis(10) {
            break;
        }
        match query_addr(addr, timeout.min(left)) {
            Ok(reply) => return Ok(reply),
            Err(e) => {
                let kind = classify(&e);
                // The address only when the server was named (it says which one of the name's).
                let at = match server.host().parse::<std::net::IpAddr>() {
                    Ok(_) => server.to_string(),
                    Err(_) => format!("{server} ({addr})"),
                };
                let error = Error::new(kind, format!("{at}: {}", describe(kind, &e)));
                if kind == ErrorKind::Timeout {
                    return Err(error);
                }
                last = Some(error);
            }
        }
    }
    Err(last.unwrap_or_else(|| {
        Error::new(
            ErrorKind::Timeout,
            format!("{server}: no answer before the deadline"),
        )
    }))
}

fn dns_error(server: &Server, why: &str) -> Error {
    Error::new(
        ErrorKind::Dns,
        format!("{server}: the name could not be resolved ({why})"),
    )
}

/// One request to one address; rsntp checks the reply (originate timestamp echoed, server mode,
/// synchronised, not a Kiss-o'-Death) and computes RFC 4330's offset ((T2−T1)+(T3−T4))/2, which
/// is server minus local: its negation is how far this computer is ahead.
fn query_addr(addr: SocketAddr, timeout: Duration) -> Result<Reply, rsntp::SynchronizationError> {
    let bind: SocketAddr = match addr {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let config = rsntp::Config::default().bind_address(bind).timeout(timeout);
    let result = rsntp::SntpClient::with_config(config).synchronize(addr)?;
    Ok(Reply {
        offset_secs: -result.clock_offset().as_secs_f64(),
        round_trip_secs: result.round_trip_delay().as_secs_f64(),
    })
}

/// The stable kind of a failed query.
fn classify(e: &rsntp::SynchronizationError) -> ErrorKind {
    use io::ErrorKind as Io;
    match e {
        rsntp::SynchronizationError::ProtocolError(_) => ErrorKind::BadReply,
        rsntp::SynchronizationError::IOError(io) => match io.kind() {
            // A read timeout is EAGAIN on Unix and WSAETIMEDOUT on Windows.
            Io::WouldBlock | Io::TimedOut => ErrorKind::Timeout,
            // An ICMP "port unreachable" reads as a refused (Unix) or reset (Windows) connection.
            // (Wine 8 passes neither on: under Wine a closed port is a `timeout`.)
            Io::ConnectionRefused
            | Io::ConnectionReset
            | Io::HostUnreachable
            | Io::NetworkUnreachable
            | Io::AddrNotAvailable => ErrorKind::ServerUnreachable,
            _ => ErrorKind::Network,
        },
    }
}

/// The English reason for a failed query of `kind`.
fn describe(kind: ErrorKind, e: &rsntp::SynchronizationError) -> String {
    match (kind, e) {
        (ErrorKind::Timeout, _) => "no answer in time".to_string(),
        (ErrorKind::ServerUnreachable, rsntp::SynchronizationError::IOError(io)) => {
            format!("not reachable ({io})")
        }
        (_, rsntp::SynchronizationError::ProtocolError(p)) => format!("unusable reply: {p}"),
        (_, rsntp::SynchronizationError::IOError(io)) => format!("network error: {io}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_map_to_stable_kinds() {
        let io = |k| rsntp::SynchronizationError::IOError(io::Error::from(k));
        assert_eq!(classify(&io(io::ErrorKind::WouldBlock)), ErrorKind::Timeout);
        assert_eq!(classify(&io(io::ErrorKind::TimedOut)), ErrorKind::Timeout);
        assert_eq!(
            classify(&io(io::ErrorKind::ConnectionRefused)),
            ErrorKind::ServerUnreachable
        );
        assert_eq!(
            classify(&io(io::ErrorKind::ConnectionReset)),
            ErrorKind::ServerUnreachable
        );
        assert_eq!(
            classify(&io(io::ErrorKind::PermissionDenied)),
            ErrorKind::Network
        );
        let kod = rsntp::SynchronizationError::ProtocolError(rsntp::ProtocolError::InvalidMode);
        assert_eq!(classify(&kod), ErrorKind::BadReply);
    }

    #[test]
    fn a_closed_local_port_is_unreachable_at_once() {
        // A UDP port nothing listens on: bind one, note it, close it.
        let port = std::net::UdpSocket::bind("127.0.0.1:0")
            .and_then(|s| s.local_addr())
            .expect("a free port")
            .port();
        let server = Server::parse(&format!("127.0.0.1:{port}")).expect("server");
        let t0 = Instant::now();
        let deadline = t0 + Duration::from_secs(5);
        let e = query(&server, Duration::from_secs(3), deadline).expect_err("nothing listens");
        assert_eq!(e.kind(), ErrorKind::ServerUnreachable, "{e}");
        assert!(t0.elapsed() < Duration::from_secs(1), "{:?}", t0.elapsed());
    }

    #[test]
    fn a_silent_server_times_out_after_the_timeout() {
        // A bound socket that never answers.
        let silent = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
        let server =
            Server::parse(&silent.local_addr().expect("addr").to_string()).expect("server");
        let t0 = Instant::now();
        let deadline = t0 + Duration::from_secs(5);
        let e = query(&server, Duration::from_millis(300), deadline).expect_err("silent");
        assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
        let took = t0.elapsed();
        assert!(
            took >= Duration::from_millis(290) && took < Duration::from_secs(2),
            "{took:?}"
        );
    }
}
