#!/usr/bin/env bash
# Measures, side by side in one headless session (Xvfb, private keyring):
#  - launch → first window, and launch → first code visible (the app prints a line from `--measure`
#    once the UI has painted its first codes; the empty window prints it once its page has loaded);
#  - PSS (from /proc/PID/smaps_rollup) of the process and all its children 8 s after launch,
# for the app with 100 accounts, an empty Tauri 2 window (examples/empty.rs) and OTPClient.
#
# RUNS=N (N > 1) runs, N times and interleaved (so a busy machine slows both alike), the empty
# window with software rendering, the empty window with all the app's engine settings, the app
# with 100 accounts and the app with 1,000 accounts, then prints their medians, the worst run,
# and the app's ratios to both empty windows.
#
# Needs: the app, the example and the CLI built in release or debug (MODE=release|debug, default
# release), xvfb, dbus, gnome-keyring, xdotool, python3, and optionally `otpclient`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
MODE="${MODE:-release}"
RUNS="${RUNS:-1}"
APP_BIN="${SPSE_APP_BIN:-$CARGO_TARGET_DIR/$MODE/spse-authenticator}"
CLI_BIN="${SPSE_CLI_BIN:-$CARGO_TARGET_DIR/$MODE/spse-auth}"
EMPTY_BIN="${EMPTY_BIN:-$CARGO_TARGET_DIR/$MODE/examples/empty}"
ensure_headless "$@"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
seed_accounts "$tmp/vault" 100
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"

# since_launch EVENT (inside run): ms from launch to the program's `EVENT_unix_ms=` line, or "-".
since_launch() {
  local v; v=$(sed -n "s/.*$1_unix_ms=\([0-9]*\).*/\1/p" "$tmp/$name.out" | head -1)
  if [ -n "$v" ]; then echo $((v - t0)); else echo -; fi
}

# run NAME COMMAND…: one launch; prints a line and appends "name first_ms pss_kb" to $tmp/results.
run() {
  local name="$1"; shift
  local t0 pid win first="-" boot="-" setup="-" pss
  t0=$(now_ms)
  "$@" > "$tmp/$name.out" 2>/dev/null &
  pid=$!
  win=$(wait_window "$pid")
  if [ "$name" != otpclient ]; then
    for _ in $(seq 1 2000); do
      if grep -q first_code_visible_unix_ms "$tmp/$name.out"; then
        first=$(since_launch first_code_visible)
        setup=$(since_launch setup)
        boot=$(since_launch bootstrap)
        break
      fi
      sleep 0.01
    done
  fi
  local rem=$(( 8000 - ($(now_ms) - t0) ))
  if [ "$rem" -gt 0 ]; then sleep "$((rem / 1000)).$(printf %03d $((rem % 1000)))"; fi
  read -r pss nproc < <(pss_tree "$pid")
  # Ends the program and waits until its web and network processes are gone too, so the next
  # launch does not share the 2 cores with this one's teardown.
  local tree; mapfile -t tree < <(tree_pids "$pid")
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    local alive=0 q
    for q in "${tree[@]}"; do [ -d /proc/"$q" ] && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.05
  done
  sleep 0.5
  printf "%-22s setup %5s ms   window %6s ms   page's first call %6s ms   first code %6s ms   PSS %6d kB (%d MB) in %d processes   load %s\n" \
    "$name" "$setup" "$win" "$boot" "$first" "$pss" $((pss / 1024)) "$nproc" "$(cut -d' ' -f1 /proc/loadavg)"
  # The app's page also reports its own steps (ui/list.js `startupMarks`), in ms after its
  # navigation started: HTML received, DOM parsed, modules loaded, bootstrap answered, painted.
  # And the program's own steps, in ms after launch: main() entered, Tauri's setup, the web view
  # began loading the page (both programs), the web view shown (src-tauri/src/first_frame.rs),
  # tray and clock check started.
  local step steps=""
  for step in main setup page_load_started web_view_shown_at_load web_view_shown_by_fallback desktop; do
    [ "$(since_launch "$step")" != - ] && steps+=" $step=$(since_launch "$step")"
  done
  [ -n "$steps" ] && echo "    steps:$steps"
  local marks nav
  marks=$(sed -n 's/.*SPSE_AUTH_MEASURE page //p' "$tmp/$name.out")
  nav=$(sed -n 's/.*nav_start_unix=\([0-9]*\).*/\1/p' <<<"$marks")
  if [ -n "$nav" ]; then
    echo "    page: navigation starts $((nav - t0)) ms after launch; then, in ms after it:${marks//nav_start_unix=$nav/}"
  fi
  local served; served=$(sed -n 's/.* served=\([01]\).*/\1/p' <<<"$marks")
  echo "$name $first $pss ${served:--}" >> "$tmp/results"
}

# The session's first window starts the accessibility bus (seconds): an untimed launch first, of
# each program, so that neither's first timed launch is the one that reads its files from disk.
run warm-up "$EMPTY_BIN" --measure > /dev/null
SPSE_AUTH_DATA_DIR="$tmp/vault" run warm-up "$APP_BIN" --measure > /dev/null
: > "$tmp/results"
echo "== $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), mode $MODE, runs $RUNS"
if [ "$RUNS" -le 1 ]; then
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
  exit 0
fi

seed_accounts "$tmp/vault1000" 1000
for i in $(seq 1 "$RUNS"); do
  echo "-- run $i of $RUNS"
  WEBKIT_DISABLE_COMPOSITING_MODE=1 run empty-tauri-software "$EMPTY_BIN" --measure
  # The empty window with every engine setting the app makes for itself (src-tauri/src/
  # web_engine.rs: no compositing, no DMA-BUF renderer, no JavaScript JIT): what those settings
  # alone are worth, apart from the app's own work.
  WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 JSC_useJIT=0 \
    run empty-tauri-lean "$EMPTY_BIN" --measure
  SPSE_AUTH_DATA_DIR="$tmp/vault" run app "$APP_BIN" --measure
  SPSE_AUTH_DATA_DIR="$tmp/vault1000" run app-1000-accounts "$APP_BIN" --measure
done
echo "== summary, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$tmp/results" <<'PY'
import statistics, sys
rows = {}
order = []
served_in = {}  # per launch of the app: did the page get its bootstrap in the HTML
for line in open(sys.argv[1]):
    name, first, pss, served = line.split()
    if name not in rows:
        rows[name] = []
        order.append(name)
        served_in[name] = []
    rows[name].append((None if first == "-" else int(first), int(pss)))
    if served != "-":
        served_in[name].append(served == "1")
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
for name in order:
    firsts = [f for f, _ in rows[name]]
    psss = [p for _, p in rows[name]]
    ok = [f for f in firsts if f is not None]
    print(f"{name:22} first code median {med(firsts) or 0:6.0f} ms  worst {max(ok) if ok else 0:6d} ms   "
          f"PSS median {med(psss) / 1024:6.1f} MB  worst {max(psss) / 1024:6.1f} MB   ({len(firsts)} runs)")
    if served_in[name]:
        print(f"{'':22} the bootstrap came in the HTML in {sum(served_in[name])} of {len(served_in[name])} launches")
base = rows.get("empty-tauri-software")
app = rows.get("app")
if base and app:
    bf, bp = med([f for f, _ in base]), med([p for _, p in base])
    pairs = [a[0] / b[0] for a, b in zip(app, base) if a[0] and b[0]]
    print(f"app / empty window: first code {med([f for f, _ in app]) / bf:.2f}x median, "
          f"{max(f for f, _ in app if f) / bf:.2f}x worst run against the empty window's median, "
          f"{max(pairs):.2f}x worst side-by-side pair; PSS {med([p for _, p in app]) / bp:.2f}x median")
    # The empty window's page load is two-moded: WebKitGTK's ≈ 0.5 s wait for a first frame
    # (README, "Footprint"; the app avoids it) hits some of its launches, so its median depends
    # on how many did. Its fastest launch is the baseline without that wait.
    fastest = min(f for f, _ in base if f)
    print(f"app / empty window's fastest launch: first code {med([f for f, _ in app]) / fastest:.2f}x median "
          f"({fastest} ms; its launches: {', '.join(str(f) for f, _ in base)} ms)")
lean = rows.get("empty-tauri-lean")
if lean and app:
    lf, lp = med([f for f, _ in lean]), med([p for _, p in lean])
    print(f"app / empty window with the app's engine settings: first code "
          f"{med([f for f, _ in app]) / lf:.2f}x median; PSS {med([p for _, p in app]) / lp:.2f}x median")
big = rows.get("app-1000-accounts")
if big and app:
    grow = (med([p for _, p in big]) - med([p for _, p in app])) / 1024
    print(f"app 100 -> 1,000 accounts: PSS {grow:+.1f} MB (medians)")
PY
