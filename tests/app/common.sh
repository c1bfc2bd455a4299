# Shared by screenshot.sh and measure.sh (sourced): binaries, a headless session, seeding.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
APP_BIN="${SPSE_APP_BIN:-$CARGO_TARGET_DIR/debug/spse-authenticator}"
CLI_BIN="${SPSE_CLI_BIN:-$CARGO_TARGET_DIR/debug/spse-auth}"

# Re-runs the calling script inside Xvfb + a private D-Bus session with an unlocked keyring,
# unless already inside one (SPSE_HEADLESS=1).
ensure_headless() {
  if [ "${SPSE_HEADLESS:-}" != 1 ]; then
    local tmp; tmp="$(mktemp -d)"
    mkdir -p "$tmp/data" "$tmp/run"; chmod 700 "$tmp/run"
    XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" SPSE_HEADLESS=1 \
      xvfb-run -a -s "-screen 0 ${SCREEN:-1280x800x24}" dbus-run-session -- \
      bash -c 'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; export GNOME_KEYRING_CONTROL; exec "$@"' \
      bash "$0" "$@"
    local rc=$?
    rm -rf "$tmp"
    exit $rc
  fi
}

# seed_accounts DIR N: N made-up accounts (several LPSE, one user ID at two LPSE) via the CLI.
seed_accounts() {
  local dir="$1" n="$2" f; f="$(mktemp)"
  python3 - "$n" > "$f" <<'PY'
import base64, hashlib, sys
from urllib.parse import quote
n = int(sys.argv[1])
lpse = ["LPSE Kabupaten Contoh", "LPSE Kota Fiktif", "LPSE Provinsi Sampel", "LPSE Kementerian Contoh"]
people = ["PPK.SITI-02", "KPA.BUDI-01", "POKJA.AGUS-07", "PP.DEWI-11", "AUDITOR.RINA-03"]
for i in range(n):
    issuer = lpse[i % len(lpse)]
    user = people[(i // len(lpse)) % len(people)] if n <= 20 else f"{people[i % len(people)]}-{i:03d}"
    secret = base64.b32encode(hashlib.sha1(f"made-up-{i}".encode()).digest()).decode().rstrip("=")
    extra = "&digits=8&algorithm=SHA256&period=60" if i == 3 else ""
    print(f"otpauth://totp/{quote(issuer)}:{quote(user)}?secret={secret}&issuer={quote(issuer)}{extra}")
PY
  "$CLI_BIN" --data-dir "$dir" add "$f" >/dev/null
  rm -f "$f"
}

# tree_pids PID: PID and all its descendants, one per line.
tree_pids() {
  local pids=("$1") p
  while [ ${#pids[@]} -gt 0 ]; do
    p="${pids[0]}"; pids=("${pids[@]:1}"); echo "$p"
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do pids+=("$c"); done
  done
}

# pss_tree PID: PSS in kB of PID and all its descendants.
pss_tree() {
  local all=() p
  mapfile -t all < <(tree_pids "$1")
  local sum=0 v
  for p in "${all[@]}"; do
    v=$(awk '/^Pss:/{print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
    sum=$((sum + ${v:-0}))
    [ -n "${PSS_DETAIL:-}" ] && echo "    $(tr -d '\0' < /proc/"$p"/comm) ${v:-0} kB" >&2
    [ -n "${PSS_MAPS:-}" ] && pss_maps "$p" >&2
  done
  echo "$sum ${#all[@]}"
}

# pss_maps PID: the mappings of PID with the most PSS (kB), summed by file ([anon], [heap]…).
pss_maps() {
  python3 - "$1" <<'PY' || true
import collections, re, sys
by = collections.Counter()
name = None
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        parts = line.split(None, 5)
        name = parts[5].strip() if len(parts) > 5 else "[anon]"
        name = name.rsplit("/", 1)[-1]
    elif line.startswith("Pss:"):
        by[name] += int(line.split()[1])
for n, kb in by.most_common(12):
    print(f"        {kb:7d} kB  {n}")
PY
}

now_ms() { date +%s%3N; }

# wait_window PID: prints ms until a visible X window of PID exists (needs xdotool).
wait_window() {
  local pid="$1" t0; t0=$(now_ms)
  while [ $(( $(now_ms) - t0 )) -lt 20000 ]; do
    if xdotool search --onlyvisible --pid "$pid" >/dev/null 2>&1; then echo $(( $(now_ms) - t0 )); return; fi
    sleep 0.01
  done
  echo "timeout"
}
