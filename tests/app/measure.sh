#!/usr/bin/env bash
# Measures, side by side in one headless session (Xvfb, private keyring):
#  - launch → first window, and launch → first code visible (the app prints a line from `--measure`
#    once the UI has painted its first codes; the empty window prints it once its page has loaded);
#  - PSS (from /proc/PID/smaps_rollup) of the process and all its children 8 s after launch,
# for the app with 100 accounts, an empty Tauri 2 window (examples/empty.rs) and OTPClient.
# Needs: the app, the example and the CLI built in release or debug (MODE=release|debug, default
# release), xvfb, dbus, gnome-keyring, xdotool, and `otpclient` (apt-get install otpclient).
set -euo pipefail
source "$(dirname "$0")/common.sh"
MODE="${MODE:-release}"
APP_BIN="${SPSE_APP_BIN:-$CARGO_TARGET_DIR/$MODE/spse-authenticator}"
CLI_BIN="${SPSE_CLI_BIN:-$CARGO_TARGET_DIR/$MODE/spse-auth}"
EMPTY_BIN="${EMPTY_BIN:-$CARGO_TARGET_DIR/$MODE/examples/empty}"
ensure_headless "$@"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
seed_accounts "$tmp/vault" 100
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"

run() { # name command…
  local name="$1"; shift
  local t0 pid win first="-" boot="-" pss
  t0=$(now_ms)
  "$@" > "$tmp/$name.out" 2>/dev/null &
  pid=$!
  win=$(wait_window "$pid")
  if [ "$name" != otpclient ]; then
    for _ in $(seq 1 2000); do
      if grep -q first_code_visible_unix_ms "$tmp/$name.out"; then
        first=$(( $(sed -n 's/.*first_code_visible_unix_ms=\([0-9]*\).*/\1/p' "$tmp/$name.out") - t0 ))
        if grep -q bootstrap_unix_ms "$tmp/$name.out"; then
          boot=$(( $(sed -n 's/.*bootstrap_unix_ms=\([0-9]*\).*/\1/p' "$tmp/$name.out") - t0 ))
        fi
        break
      fi
      sleep 0.01
    done
  fi
  local rem=$(( 8000 - ($(now_ms) - t0) ))
  if [ "$rem" -gt 0 ]; then sleep "$((rem / 1000)).$(printf %03d $((rem % 1000)))"; fi
  read -r pss nproc < <(pss_tree "$pid")
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  printf "%-22s window %6s ms   page's first call %6s ms   first code %6s ms   PSS %6d kB (%d MB) in %d processes\n" \
    "$name" "$win" "$boot" "$first" "$pss" $((pss / 1024)) "$nproc"
}

echo "== $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), mode $MODE"
# The empty window as WebKitGTK runs it by default (GPU compositing), and with the software
# rendering the app chooses (see prefer_software_rendering in src-tauri/src/main.rs).
run empty-tauri "$EMPTY_BIN" --measure
WEBKIT_DISABLE_COMPOSITING_MODE=1 run empty-tauri-software "$EMPTY_BIN" --measure
SPSE_AUTH_DATA_DIR="$tmp/vault" run app "$APP_BIN" --measure
WEBKIT_DISABLE_COMPOSITING_MODE=0 SPSE_AUTH_DATA_DIR="$tmp/vault" run app-gpu-compositing "$APP_BIN" --measure
if command -v otpclient >/dev/null; then
  run otpclient otpclient
else
  echo "otpclient not installed (apt-get install otpclient)"
fi
