#!/usr/bin/env bash
# End-to-end tests of the desktop app, headless: Xvfb (virtual display), a private D-Bus session
# with an unlocked gnome-keyring (real Secret Service), tauri-driver + WebKitWebDriver, the real
# app binary. Usage: tests/app/run.sh [--test FILE] [cargo test filters…] (--test tray: only
# tests/app/tests/tray.rs)
# Needs: xvfb xauth dbus gnome-keyring webkit2gtk-driver oathtool xclip imagemagick (Debian) and
#        `cargo install tauri-driver --version '^2' --locked`.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

# SPSE_E2E_PROFILE=release tests the release build (what .ci/test does: the .deb ships the same
# binaries); the default is the debug build.
if [ "${SPSE_E2E_PROFILE:-debug}" = release ]; then
  cargo build --release --locked -p spse-authenticator -p spse-auth-cli
  export SPSE_APP_BIN="$CARGO_TARGET_DIR/release/spse-authenticator"
  export SPSE_CLI_BIN="$CARGO_TARGET_DIR/release/spse-auth"
else
  cargo build -p spse-authenticator -p spse-auth-cli
fi
cargo test -p spse-app-e2e --no-run

only=()
if [ "${1:-}" = --test ] && [ -n "${2:-}" ]; then
  only=(--test "$2")
  shift 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/run" && chmod 700 "$tmp/run"
# A fresh keyring (an existing login keyring with another password would stay locked).
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"

# SPSE_E2E=1 opts in to the tests; SPSE_E2E_PRIVATE_KEYRING=1 says the keyring is this throw-away
# one (the harness refuses to start the app without both).
inner='eval "$(printf e2e-password | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SPSE_E2E=1 SPSE_E2E_PRIVATE_KEYRING=1
exec cargo test -p spse-app-e2e ${SPSE_E2E_ONLY:-} -- --test-threads=1 "$@"'

export SPSE_E2E_ONLY="${only[*]}"
# The harness notes here every time it started tauri-driver or the app again after a failure
# (tests/app/src/lib.rs, note_retry); printed at the end, whether the tests passed or not.
export SPSE_E2E_RETRY_LOG="$tmp/retries.log"
status=0
if [ -n "${DISPLAY:-}" ] && [ "${SPSE_E2E_OWN_DISPLAY:-1}" = 0 ]; then
  dbus-run-session -- bash -c "$inner" bash "$@" || status=$?
else
  xvfb-run -a -s "-screen 0 1920x1080x24" dbus-run-session -- bash -c "$inner" bash "$@" || status=$?
fi
if [ -s "$SPSE_E2E_RETRY_LOG" ]; then
  echo "== the e2e harness started something again after a failure:"
  cat "$SPSE_E2E_RETRY_LOG"
fi
exit "$status"
