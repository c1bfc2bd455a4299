#!/usr/bin/env bash
# Screenshots with made-up accounts, for the README (light theme, 1x), in tests/app/screenshots/:
# main-{en,id}.png (the main window), tray-{en,id}.png (the tray menu, opened in trayer),
# clock-{en,id}.png (the clock banner: the app's clock 90 s ahead of a chronyd on 127.0.0.1),
# keyring-unavailable-en.png.
# Needs the app and CLI built (cargo build -p spse-authenticator -p spse-auth-cli) and
# xvfb, dbus, gnome-keyring, imagemagick (`import`), xdotool, trayer, chrony, faketime.
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

# The tray menu, opened with a click on the icon in a real XEmbed tray (trayer, top right).
trayer --edge top --align right --widthtype request --height 32 --SetDockType false >/dev/null 2>&1 &
trayer_pid=$!
for lang in en id; do
  case $lang in en) L=en_US.UTF-8 ;; id) L=id_ID.UTF-8 ;; esac
  SPSE_AUTH_DATA_DIR="$data/vault" LANG=$L LC_ALL=$L XDG_CONFIG_HOME="$data/xdg-$lang" XDG_CACHE_HOME="$data/xdg-$lang" \
    "$APP_BIN" >/dev/null 2>&1 &
  pid=$!
  wait_window "$pid" >/dev/null
  sleep 3
  icon="$(xwininfo -root -tree | awk '/"trayer"\)/{p=1} p && /"tray-icon tray app/{print $1; exit}')"
  [ -n "$icon" ] || { echo "screenshot: no tray icon in trayer" >&2; exit 1; }
  xdotool mousemove --window "$icon" 8 8 click 1
  sleep 1
  # The menu hangs below the icon at the screen's top right corner.
  import -window root -crop 520x300+760+0 +repage "$out/tray-$lang.png"
  echo "wrote $out/tray-$lang.png"
  xdotool key Escape
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
kill "$trayer_pid" 2>/dev/null || true

# The clock banner: a chronyd on 127.0.0.1 (never touching the system clock) and the app's own
# clock 90 s ahead (libfaketime in its environment only).
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$data/chrony"
printf 'port %s\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 8\ncmdport 0\nbindcmdaddress /\npidfile %s/pid\ndriftfile %s/drift\n' \
  "$port" "$data/chrony" "$data/chrony" > "$data/chrony/chrony.conf"
/usr/sbin/chronyd -x -d -U -f "$data/chrony/chrony.conf" >/dev/null 2>&1 &
chrony_pid=$!
"$CLI_BIN" clock --server "127.0.0.1:$port" >/dev/null 2>&1 || sleep 2
faketime_lib="$(ls /usr/lib/*/faketime/libfaketime.so.1 | head -n 1)"
printf '{"time_servers": ["127.0.0.1:%s"]}' "$port" > "$data/vault/settings.json"
for lang in en id; do
  case $lang in en) L=en_US.UTF-8 ;; id) L=id_ID.UTF-8 ;; esac
  SPSE_AUTH_DATA_DIR="$data/vault" LANG=$L LC_ALL=$L XDG_CONFIG_HOME="$data/xdg-$lang" XDG_CACHE_HOME="$data/xdg-$lang" \
    LD_PRELOAD="$faketime_lib" FAKETIME=+90s FAKETIME_DONT_FAKE_MONOTONIC=1 "$APP_BIN" >/dev/null 2>&1 &
  pid=$!
  wait_window "$pid" >/dev/null
  sleep 4
  shoot "$pid" "$out/clock-$lang.png"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
kill "$chrony_pid" 2>/dev/null || true
rm -f "$data/vault/settings.json"

# The same vault when the Secret Service cannot be reached at all (no session bus): the app asks
# for the recovery password.
export SPSE_AUTH_DATA_DIR="$data/vault" LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 XDG_CONFIG_HOME="$data/xdg-k" XDG_CACHE_HOME="$data/xdg-k"
DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent "$APP_BIN" >/dev/null 2>&1 &
pid=$!
sleep 5
shoot "$pid" "$out/keyring-unavailable-en.png"
kill "$pid"; wait "$pid" 2>/dev/null || true
