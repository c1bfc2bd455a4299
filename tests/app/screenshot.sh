#!/usr/bin/env bash
# Screenshots of the main window with made-up accounts, for the README:
# tests/app/screenshots/main-en.png and main-id.png (light theme, 1x).
# Needs the app and CLI built (cargo build -p spse-authenticator -p spse-auth-cli) and
# xvfb, dbus, gnome-keyring, imagemagick (`import`), xdotool.
set -euo pipefail
source "$(dirname "$0")/common.sh"
ensure_headless "$@"

out="$ROOT/tests/app/screenshots"
mkdir -p "$out"
data="$(mktemp -d)"
trap 'rm -rf "$data" 2>/dev/null || true' EXIT
seed_accounts "$data/vault" 6
# With a recovery password (made up), as recommended: no banner asking for one.
printf 'contoh sandi pemulihan' | "$CLI_BIN" --data-dir "$data/vault" --password-stdin recovery set >/dev/null 2>&1
shoot() { # PID FILE: the biggest visible window of PID, captured from the root window (WebKit paints with GL)
  local wid
  wid=$(for w in $(xdotool search --onlyvisible --pid "$1"); do
          eval "$(xdotool getwindowgeometry --shell "$w")"; echo "$((WIDTH * HEIGHT)) $w"; done | sort -n | tail -1 | cut -d' ' -f2)
  eval "$(xdotool getwindowgeometry --shell "$wid")"
  import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$2"
  echo "wrote $2"
}

for lang in en id; do
  case $lang in en) L=en_US.UTF-8 ;; id) L=id_ID.UTF-8 ;; esac
  mkdir -p "$data/xdg-$lang"
  SPSE_AUTH_DATA_DIR="$data/vault" LANG=$L LC_ALL=$L XDG_CONFIG_HOME="$data/xdg-$lang" XDG_CACHE_HOME="$data/xdg-$lang" \
    "$APP_BIN" >/dev/null 2>&1 &
  pid=$!
  wait_window "$pid" >/dev/null
  sleep 2
  # Show a calm moment (10+ seconds left in the 30 s period), not the expiry warning.
  while [ $(( $(date +%s) % 30 )) -gt 18 ] || [ $(( $(date +%s) % 30 )) -lt 2 ]; do sleep 0.5; done
  shoot "$pid" "$out/main-$lang.png"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

# The same vault when the Secret Service cannot be reached at all (no session bus): the app asks
# for the recovery password.
export SPSE_AUTH_DATA_DIR="$data/vault" LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 XDG_CONFIG_HOME="$data/xdg-k" XDG_CACHE_HOME="$data/xdg-k"
DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent "$APP_BIN" >/dev/null 2>&1 &
pid=$!
sleep 5
shoot "$pid" "$out/keyring-unavailable-en.png"
kill "$pid"; wait "$pid" 2>/dev/null || true
