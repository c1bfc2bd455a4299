//! Unit tests of the median, the threshold and `check`, against small SNTP servers on loopback
//! written here (a real chronyd under faketime is the CLI's e2e test, tests/e2e/clock.rs).

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::*;

/// Seconds from 1900 (NTP's era 0) to 1970.
const NTP_UNIX: f64 = 2_208_988_800.0;

/// An NTP timestamp for `SystemTime::now()` shifted by `shift_secs`.
fn ntp_now(shift_secs: f64) -> [u8; 8] {
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64();
    let t = unix + shift_secs + NTP_UNIX;
    let secs = t.floor() as u64 as u32;
    let frac = ((t - t.floor()) * 4_294_967_296.0) as u32;
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&secs.to_be_bytes());
    b[4..].copy_from_slice(&frac.to_be_bytes());
    b
}

/// A one-socket SNTP server on 127.0.0.1 whose clock is `shift_secs` off this computer's
/// (negative: behind). It answers `replies` requests, then ends. `stratum` 0 sends a Kiss-o'-Death.
fn fake_server(shift_secs: f64, replies: usize, stratum: u8) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let addr = socket.local_addr().expect("addr");
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    std::thread::spawn(move || {
        for _ in 0..replies {
            let mut req = [0u8; 48];
            let Ok((n, from)) = socket.recv_from(&mut req) else {
                return;
            };
            assert_eq!(n, 48, "an SNTP request is 48 bytes");
            let received = ntp_now(shift_secs);
            let mut reply = [0u8; 48];
            reply[0] = 0x24; // LI 0, version 4, mode 4 (server)
            reply[1] = stratum;
            reply[12..16].copy_from_slice(if stratum == 0 { b"RATE" } else { b"TEST" });
            reply[16..24].copy_from_slice(&received); // reference time
            reply[24..32].copy_from_slice(&req[40..48]); // originate = the request's transmit
            reply[32..40].copy_from_slice(&received);
            reply[40..48].copy_from_slice(&ntp_now(shift_secs));
            socket.send_to(&reply, from).expect("reply");
        }
    });
    addr
}

/// A port on 127.0.0.1 that nothing listens on (bound, noted, closed).
fn closed_port() -> SocketAddr {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port")
}

fn servers(addrs: &[SocketAddr]) -> Vec<Server> {
    addrs
        .iter()
        .map(|a| Server::parse(&a.to_string()).expect("server"))
        .collect()
}

fn answered(a: &ServerAnswer) -> f64 {
    match a.outcome {
        Outcome::Answered { offset_secs, .. } => offset_secs,
        Outcome::Failed { ref error } => panic!("{} failed: {error}", a.server),
    }
}

fn failed(a: &ServerAnswer) -> ErrorKind {
    match a.outcome {
        Outcome::Answered { offset_secs, .. } => panic!("{} answered {offset_secs}", a.server),
        Outcome::Failed { ref error } => error.kind(),
    }
}

#[test]
fn median_of_odd_even_and_empty() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[4.0]), Some(4.0));
    assert_eq!(median(&[90.0, -3.0, 1.0]), Some(1.0));
    assert_eq!(median(&[2.0, 1.0, 100.0, 3.0]), Some(2.5));
    assert_eq!(median(&[-90.0, -91.0]), Some(-90.5));
}

#[test]
fn threshold_is_exclusive_and_symmetric() {
    assert!(!is_off(0.0, 15.0));
    assert!(!is_off(15.0, 15.0));
    assert!(!is_off(-15.0, 15.0));
    assert!(is_off(15.001, 15.0));
    assert!(is_off(-15.001, 15.0));
    assert!(is_off(-90.0, THRESHOLD_SECS));
}

#[test]
fn a_server_90_s_behind_means_this_computer_is_90_s_ahead() {
    let check = check(&servers(&[fake_server(-90.0, 1, 2)]), &Options::default());
    let offset = check.offset_secs.expect("an offset");
    assert!((offset - 90.0).abs() < 0.5, "{offset}");
    assert!(check.off);
    assert_eq!(check.error, None);
    assert!((answered(&check.servers[0]) - offset).abs() < 1e-9);
}

#[test]
fn a_server_ahead_gives_a_negative_offset_and_small_ones_are_not_off() {
    let behind = check(&servers(&[fake_server(90.0, 1, 2)]), &Options::default());
    assert!(
        (behind.offset_secs.expect("offset") + 90.0).abs() < 0.5,
        "{behind:?}"
    );
    assert!(behind.off);
    let close = check(&servers(&[fake_server(-2.0, 1, 2)]), &Options::default());
    assert!(
        (close.offset_secs.expect("offset") - 2.0).abs() < 0.5,
        "{close:?}"
    );
    assert!(!close.off);
}

#[test]
fn the_median_of_three_servers_ignores_one_wild_server() {
    let addrs = [
        fake_server(-1.0, 1, 2),
        fake_server(-3600.0, 1, 2),
        fake_server(-2.0, 1, 2),
    ];
    let check = check(&servers(&addrs), &Options::default());
    let offset = check.offset_secs.expect("offset");
    assert!((offset - 2.0).abs() < 0.5, "{check:?}");
    assert!(!check.off);
    assert!((answered(&check.servers[1]) - 3600.0).abs() < 0.5);
}

#[test]
fn with_one_server_down_the_answer_comes_from_the_other() {
    let addrs = [closed_port(), fake_server(-40.0, 1, 2)];
    let check = check(&servers(&addrs), &Options::default());
    assert_eq!(failed(&check.servers[0]), ErrorKind::ServerUnreachable);
    assert!(
        (check.offset_secs.expect("offset") - 40.0).abs() < 0.5,
        "{check:?}"
    );
    assert!(check.off);
    assert_eq!(check.error, None);
}

#[test]
fn no_server_answering_is_no_server_answered_with_each_reason() {
    let silent = UdpSocket::bind("127.0.0.1:0").expect("bind"); // never answers
    let addrs = [
        closed_port(),
        silent.local_addr().expect("addr"),
        fake_server(-5.0, 1, 0),
    ];
    let options = Options {
        query_timeout: Duration::from_millis(300),
        ..Options::default()
    };
    let t0 = Instant::now();
    let check = check(&servers(&addrs), &options);
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    assert_eq!(check.offset_secs, None);
    assert!(!check.off);
    assert_eq!(
        check.error.as_ref().map(Error::kind),
        Some(ErrorKind::NoServerAnswered)
    );
    let kinds: Vec<ErrorKind> = check.servers.iter().map(failed).collect();
    assert_eq!(
        kinds,
        [
            ErrorKind::ServerUnreachable,
            ErrorKind::Timeout,
            ErrorKind::BadReply
        ]
    );
}

#[test]
fn an_empty_list_is_no_server_answered() {
    let check = check(&[], &Options::default());
    assert_eq!(
        check.error.map(|e| e.kind()),
        Some(ErrorKind::NoServerAnswered)
    );
    assert!(check.servers.is_empty());
}

#[test]
fn the_total_deadline_bounds_a_slow_server() {
    let silent = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let options = Options {
        query_timeout: Duration::from_secs(3),
        deadline: Duration::from_millis(400),
        ..Options::default()
    };
    let t0 = Instant::now();
    let check = check(&servers(&[silent.local_addr().expect("addr")]), &options);
    let took = t0.elapsed();
    assert!(
        took >= Duration::from_millis(390) && took < Duration::from_millis(1500),
        "{took:?}"
    );
    assert_eq!(failed(&check.servers[0]), ErrorKind::Timeout);
}

#[test]
fn the_result_serialises_in_the_documented_shape() {
    let addrs = [fake_server(-20.0, 1, 2), closed_port()];
    let check = check(&servers(&addrs), &Options::default());
    let json = serde_json::to_value(&check).expect("serialise");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["error", "off", "offset_secs", "servers", "threshold_secs"]
    );
    assert_eq!(json["off"], true);
    assert_eq!(json["threshold_secs"], 15.0);
    assert!(json["error"].is_null());
    assert!((json["offset_secs"].as_f64().expect("number") - 20.0).abs() < 0.5);
    let answer = &json["servers"][0];
    assert_eq!(answer["server"], addrs[0].to_string());
    assert!(
        answer["offset_secs"].is_f64() && answer["round_trip_secs"].is_f64(),
        "{answer}"
    );
    assert_eq!(json["servers"][1]["error"]["kind"], "server_unreachable");
    assert!(json["servers"][1].get("offset_secs").is_none());
}

#[test]
fn the_result_can_be_sent_to_another_thread() {
    fn assert_send<T: Send + 'static>() {}
    assert_send::<ClockCheck>();
    assert_send::<Options>();
    assert_send::<Vec<Server>>();
}

#[test]
fn the_default_servers_parse_on_port_123() {
    let servers = default_servers();
    assert_eq!(servers.len(), DEFAULT_SERVERS.len());
    assert!(servers.iter().all(|s| s.port() == Server::DEFAULT_PORT));
}
