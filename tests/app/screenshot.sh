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
for lang in en id; do
  case $lang in en) L=en_US.UTF-8 ;; id) L=id_ID.UTF-8 ;; esac
  mkdir -p "$data/xdg-$lang"
  SPSE_AUTH_DATA_DIR="$data/vault" LANG=$L LC_ALL=$L XDG_CONFIG_HOME="$data/xdg-$lang" XDG_CACHE_HOME="$data/xdg-$lang" \
    "$APP_BIN" >/dev/null 2>&1 &
  pid=$!
  wait_window "$pid" >/dev/null
  sleep 3
  # The biggest visible window of the app; captured from the root window (WebKit paints with GL).
  wid=$(for w in $(xdotool search --onlyvisible --pid "$pid"); do
          eval "$(xdotool getwindowgeometry --shell "$w")"; echo "$((WIDTH * HEIGHT)) $w"; done | sort -n | tail -1 | cut -d' ' -f2)
  eval "$(xdotool getwindowgeometry --shell "$wid")"
  import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$out/main-$lang.png"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "wrote $out/main-$lang.png"
done
