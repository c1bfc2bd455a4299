#!/usr/bin/env bash
# Install test of the Debian package, as root on a Debian/Ubuntu machine (CI):
#   tests/packaging/deb.sh dist/spse-authenticator_<version>_amd64.deb
# Installs it with apt (Depends from the archive) and checks the installed files; then, in a private
# session (Xvfb, dbus-run-session, a throw-away gnome-keyring: never the user's keyring), the
# installed CLI seeds a vault and the installed app must show oathtool's codes (WebDriver:
# tests/app/tests/installed.rs). Removes the package and checks that the vault, its backups and the
# keyring entry are still there; reinstalls it and opens the same vault without a password; purges
# it. One line per check passed (with its time); exit 1 on the first failure.
# Needs what tests/app/run.sh needs (xvfb xauth dbus gnome-keyring webkit2gtk-driver oathtool
# x11-utils, tauri-driver) plus desktop-file-utils and appstream.
set -euo pipefail

t0=$(date +%s%N)
ok() { printf 'ok  %-74s %5.1f s\n' "$1" "$(( ($(date +%s%N) - t0) / 1000000 ))e-3"; t0=$(date +%s%N); }
fail() { echo "FAIL: $*" >&2; exit 1; }

# Second half, inside the private session: deb.sh --in-session DEB DATA_DIR
in_session() {
  local deb="$1" data="$2" test_bin="$SPSE_TEST_BIN" log vault vid nbackups n f
  eval "$(printf deb-test-pw | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL

  log="$data.test.log"
  SPSE_E2E=1 SPSE_E2E_PRIVATE_KEYRING=1 \
    SPSE_INSTALLED_APP=/usr/bin/spse-authenticator SPSE_APP_BIN=/usr/bin/spse-authenticator \
    SPSE_CLI_BIN=/usr/bin/spse-auth SPSE_INSTALLED_DATA_DIR="$data" \
    "$test_bin" --nocapture >"$log" 2>&1 ||
    { cat "$log" >&2; fail "installed app test (tests/app/tests/installed.rs)"; }
  grep -q "^ok: the installed app shows" "$log" || { cat "$log" >&2; fail "installed app test was skipped"; }
  sed -n 's/^ok: /    /p' "$log"
  ok "installed spse-auth seeded a vault, installed app shows oathtool's codes"

  vault="$data/vault.spse"
  vid="$(grep -ao '"vault_id":"[0-9a-f]*"' "$vault" | head -1 | cut -d'"' -f4)"
  [ -n "$vid" ] || fail "no vault id in $vault"
  keyring_has_entry() {
    gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
      --method org.freedesktop.Secret.Service.SearchItems \
      "{'service': 'spse-authenticator', 'username': '$vid'}" | grep -q /org/freedesktop/secrets/collection/
  }
  keyring_has_entry || fail "no keyring entry spse-authenticator / $vid after seeding"
  sums() { (cd "$data" && sha256sum vault.spse backups/*); }
  local before; before="$(sums)"
  nbackups="$(find "$data/backups" -type f | wc -l)"
  [ "$nbackups" -ge 1 ] || fail "no backup in $data/backups"

  apt-get remove -y -qq spse-authenticator >/dev/null
  for f in /usr/bin/spse-authenticator /usr/bin/spse-auth /usr/share/applications/spse-authenticator.desktop \
    /usr/share/metainfo/id.spse.authenticator.metainfo.xml; do
    [ ! -e "$f" ] || fail "$f left after apt-get remove"
  done
  ok "apt-get remove: binaries, launcher and metainfo gone"
  [ "$(sums)" = "$before" ] || fail "vault or backups changed by apt-get remove"
  ok "vault and its $nbackups backup(s) still there, byte for byte"
  keyring_has_entry || fail "keyring entry spse-authenticator / $vid gone after apt-get remove"
  ok "keyring entry spse-authenticator / <vault id> still there"

  apt-get install -y -qq --no-install-recommends "$deb" >/dev/null 2>&1 || fail "reinstall $deb"
  n="$(/usr/bin/spse-auth --data-dir "$data" list --json </dev/null | grep -o '"issuer"' | wc -l)" ||
    fail "the reinstalled spse-auth cannot open the vault"
  [ "$n" -eq 2 ] || fail "the reinstalled spse-auth lists $n accounts, not 2"
  ok "reinstalled: spse-auth opens the same vault (key from the keyring, no password)"
  apt-get purge -y -qq spse-authenticator >/dev/null
  [ ! -e /usr/bin/spse-auth ] || fail "/usr/bin/spse-auth left after apt-get purge"
  [ "$(sums)" = "$before" ] || fail "apt-get purge touched the vault or its backups"
  keyring_has_entry || fail "apt-get purge removed the keyring entry"
  ok "apt-get purge: package gone, vault, backups and keyring entry kept"
}

if [ "${1:-}" = --in-session ]; then
  t0="$T0"
  in_session "$2" "$3"
  exit 0
fi

[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/spse-authenticator_VERSION_ARCH.deb" >&2; exit 2; }
[ -f "$1" ] || fail "no such file: $1"
[ "$(id -u)" -eq 0 ] || fail "run as root (it installs and removes the package)"
deb="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}" DEBIAN_FRONTEND=noninteractive

# The harness first: a build failure must not leave the package installed and half-tested.
command -v tauri-driver >/dev/null || [ -x "$HOME/.cargo/bin/tauri-driver" ] ||
  fail "tauri-driver missing: cargo install tauri-driver --version '^2' --locked"
# Run later as a plain program: no cargo (and no wait for its lock) inside the session.
test_bin="$(cargo test -q -p spse-app-e2e --test installed --no-run --message-format=json-render-diagnostics |
  grep -o '"executable":"[^"]*/installed-[^"]*"' | cut -d'"' -f4)" ||
  fail "cargo test -p spse-app-e2e --test installed --no-run"
[ -x "$test_bin" ] || fail "no test executable for tests/app/tests/installed.rs"
ok "WebDriver test built (tests/app/tests/installed.rs)"

if dpkg-query -W -f='${Status}' spse-authenticator 2>/dev/null | grep -q installed; then
  apt-get purge -y -qq spse-authenticator >/dev/null
fi
apt-get install -y -qq --no-install-recommends "$deb" >"${TMPDIR:-/tmp}/spse-deb-install.log" 2>&1 ||
  { cat "${TMPDIR:-/tmp}/spse-deb-install.log" >&2; fail "apt-get install $deb"; }
ok "apt-get install ./$(basename "$deb") (Depends resolved from the archive)"

files=(/usr/bin/spse-authenticator /usr/bin/spse-auth
  /usr/share/applications/spse-authenticator.desktop
  /usr/share/metainfo/id.spse.authenticator.metainfo.xml
  /usr/share/doc/spse-authenticator/copyright
  /usr/share/icons/hicolor/{32x32,128x128,256x256,512x512}/apps/spse-authenticator.png)
for f in "${files[@]}"; do [ -f "$f" ] || fail "$f not installed"; done
for f in /usr/bin/spse-authenticator /usr/bin/spse-auth; do
  [ -x "$f" ] || fail "$f not executable"
  ! ldd "$f" | grep 'not found' || fail "$f: a shared library is missing"
done
/usr/bin/spse-auth --version >/dev/null || fail "spse-auth --version"
ok "${#files[@]} files in place; binaries run and find every shared library"
out="$(desktop-file-validate /usr/share/applications/spse-authenticator.desktop 2>&1)" || fail "desktop-file-validate: $out"
! grep -E ': (error|warning):' <<<"$out" || fail "desktop-file-validate reports the above"
ok "desktop-file-validate: no error, no warning"
out="$(appstreamcli validate --no-net /usr/share/metainfo/id.spse.authenticator.metainfo.xml 2>&1)" ||
  fail "appstreamcli validate --no-net: $out"
ok "appstreamcli validate --no-net"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/xdg/data" "$tmp/xdg/config" "$tmp/xdg/cache" "$tmp/run" && chmod 700 "$tmp/run"
# A fresh keyring (XDG_DATA_HOME) and private folders for the web view; the vault in $tmp/vault.
# The session bus's and the accessibility daemons' chatter is filtered out of the output.
XDG_DATA_HOME="$tmp/xdg/data" XDG_CONFIG_HOME="$tmp/xdg/config" XDG_CACHE_HOME="$tmp/xdg/cache" \
  XDG_RUNTIME_DIR="$tmp/run" T0="$t0" SPSE_TEST_BIN="$test_bin" \
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash "$self" --in-session "$deb" "$tmp/vault" \
  > >(grep --line-buffered -v -e 'SpiRegistry daemon') 2> >(grep --line-buffered -v -e 'dbus-daemon\[' >&2)
echo "deb.sh: all checks passed"
