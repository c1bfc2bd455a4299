//! A real NTP server for the clock tests, and the library that shifts a program's clock.
//!
//! [`Chrony`] is Debian's `chronyd` serving this machine's time on 127.0.0.1 on a free port: it
//! never touches the system clock (`-x`), has no command socket, runs as the invoking user
//! (`-U`; as root it would drop to its own user) and is killed when dropped. [`libfaketime`] is
//! Debian's `faketime` library: with `LD_PRELOAD` and `FAKETIME` in a program's environment, that
//! program (and only it) sees a shifted clock. Used by the CLI's and the app's clock tests.

use std::net::UdpSocket;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use spse_auth_clock::{Options, Server};

/// What the clock tests need, for their skip and panic messages.
pub const TIME_SERVER_NEEDS: &str = "chronyd and faketime (apt-get install chrony faketime)";

/// A chronyd serving this machine's time on 127.0.0.1:`port`; killed on drop.
pub struct Chrony {
    port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Chrony {
    /// Starts chronyd on a free port and waits until it answers SNTP (at most 20 s); panics
    /// when it cannot be started or exits first.
    pub fn start() -> Chrony {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_udp_port();
        let d = dir.path().display();
        let conf = format!(
            "port {port}\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 8\n\
             cmdport 0\nbindcmdaddress /\npidfile {d}/chronyd.pid\ndriftfile {d}/drift\n"
        );
        let conf_file = dir.path().join("chrony.conf");
        std::fs::write(&conf_file, conf).expect("write chrony.conf");
        let child = Command::new(chronyd())
            .args(["-x", "-d", "-U", "-f"])
            .arg(&conf_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start chronyd ({TIME_SERVER_NEEDS}): {e}"));
        let mut chrony = Chrony {
            port,
            child,
            _dir: dir,
        };
        chrony.wait_until_it_answers();
        chrony
    }

    fn wait_until_it_answers(&mut self) {
        let server = Server::parse(&self.server()).expect("server");
        let options = Options {
            query_timeout: Duration::from_millis(500),
            deadline: Duration::from_secs(1),
            ..Options::default()
        };
        let t0 = Instant::now();
        loop {
            let check = spse_auth_clock::check(std::slice::from_ref(&server), &options);
            if check.offset_secs.is_some() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("chronyd exited ({status}) before answering: {check:?}");
            }
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "chronyd did not answer within 20 s: {check:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn server(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Chrony {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The chronyd program (it lives in /usr/sbin, which a normal user's PATH may lack).
fn chronyd() -> PathBuf {
    ["/usr/sbin/chronyd", "/sbin/chronyd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("chronyd"))
}

/// libfaketime (Debian's `faketime` package; the folder is per architecture); panics when it is
/// not installed.
pub fn libfaketime() -> PathBuf {
    let arch = std::env::consts::ARCH;
    [
        format!("/usr/lib/{arch}-linux-gnu/faketime/libfaketime.so.1"),
        "/usr/lib/faketime/libfaketime.so.1".to_string(),
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
    .unwrap_or_else(|| panic!("libfaketime.so.1 not found ({TIME_SERVER_NEEDS})"))
}

/// A UDP port on 127.0.0.1 that nothing listens on (bound, noted, closed).
pub fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port")
        .port()
}
