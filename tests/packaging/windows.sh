#!/usr/bin/env bash
# Tests the Windows artefacts that src-tauri/packaging/windows/make.sh put into DIST_DIR, under
# Wine on a virtual display, in a fresh private Wine prefix (removed afterwards):
#   - the .exe files: x64, GUI app / console CLI, icon and version = the workspace version;
#   - SETUP.exe /S: per-user files, Start menu shortcut, uninstall entry, user PATH (REG_EXPAND_SZ,
#     kept entries untouched, no duplicate on reinstall, usable from a new cmd);
#   - the installed CLI on a vault made by itself (Wine's Credential Manager as the keyring):
#     its codes equal oathtool's;
#   - the installed app without WebView2 (Wine has none): our box, English and Indonesian (the
#     latter through Windows' UI language, with LANG removed from the app's environment), its
#     Close button, exit status 0, vault untouched;
#   - the silent uninstaller: programs, shortcut, uninstall entry and PATH entry gone; vault,
#     backups and the Credential Manager entry kept, and still open (portable CLI);
#   - the portable zip (README.txt in CRLF) and its CLI; the MSI: msiexec /qn install, system
#     PATH, major upgrade to a newer build, downgrade refused, uninstall;
#   - a user PATH longer than NSIS can hold is left exactly as it was.
# One line per passed check with its time; exits non-zero at the first failure (KEEP=1 keeps the
# prefix and the logs for a look).
# Usage: tests/packaging/windows.sh DIST_DIR
# Needs (Debian): wine wine64 xvfb xdotool oathtool msitools wixl locales (id_ID source) python3,
# gcc-mingw-w64-x86-64 (the test-only ProcessPrng shim, see .ci/wine-prefix); cargo for the version.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PKG="$ROOT/src-tauri/packaging/windows"
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: $0 DIST_DIR" >&2; exit 2; }
DIST="$(cd "$1" && pwd)"

for tool in wine wineserver Xvfb xdotool oathtool msiinfo msiextract wixl localedef python3 cargo x86_64-w64-mingw32-gcc; do
  command -v "$tool" >/dev/null || { echo "windows.sh: '$tool' is missing (see the header for the Debian packages)" >&2; exit 1; }
done

VERSION="$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
print({p["name"]: p["version"] for p in json.load(sys.stdin)["packages"]}["spse-authenticator"])')"
NUM="${VERSION%%[-+]*}"
BASE="SPSE-Authenticator_${VERSION}_x64"
SETUP="$DIST/$BASE-setup.exe" ZIP="$DIST/$BASE-portable.zip" MSI="$DIST/$BASE.msi"
UPGRADE_CODE="{0E006CF5-C6FD-4BE6-B535-2B286F1A09C6}"
UNINST_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\SPSE Authenticator'
WEBVIEW2_TITLE_EN="SPSE Authenticator – WebView2 Runtime needed"
WEBVIEW2_TITLE_ID="SPSE Authenticator – WebView2 Runtime diperlukan"

T_START=$(date +%s%N)
WORK="$(mktemp -d /tmp/spse-windows-test.XXXXXX)"
XVFB_PID=""
cleanup() {
  local rc=$?
  [ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ] && wineserver -k 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  if [ "${KEEP:-}" = 1 ] || [ $rc -ne 0 ] && [ "${KEEP:-}" != 0 ]; then
    echo "kept for inspection: $WORK (KEEP=0 removes it)"
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT

# ---- reporting ---------------------------------------------------------------------------------
t0=0
begin() { t0=$(date +%s%N); }
secs() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }
ok() { printf 'ok    %-74s %8s\n' "$1" "$(secs "$t0")"; t0=$(date +%s%N); }
fail() { printf 'FAIL  %s\n' "$*" >&2; exit 1; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
expect_in() { grep -qF -- "$2" <<<"$1" || fail "$3: '$2' not found in: $1"; }

# ---- 1. the files themselves (no Wine) ---------------------------------------------------------
begin
for f in "$SETUP" "$ZIP" "$MSI"; do [ -s "$f" ] || fail "missing $f (run src-tauri/packaging/windows/make.sh $DIST)"; done
ok "the three artefacts for version $VERSION exist"

pe() { python3 "$PKG/pe_info.py" "$1" --icon "$ROOT/icons/icon.ico"; }
field() { sed -n "s/^$2=//p" <<<"$1"; }
info="$(pe "$SETUP")"
expect_eq "$(field "$info" machine)" x64 "setup machine"
expect_eq "$(field "$info" ProductName)" "SPSE Authenticator" "setup ProductName"
expect_eq "$(field "$info" ProductVersion)" "$VERSION" "setup ProductVersion"
expect_eq "$(field "$info" fixed_file_version)" "$NUM.0" "setup fixed file version"
expect_eq "$(field "$info" icon_match)" 1 "setup icon = icons/icon.ico"
ok "setup.exe: x64, version info $VERSION, app icon"

PORT="$WORK/Portable SPSE"
mkdir -p "$PORT"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$ZIP" "$PORT"
expect_eq "$(cd "$PORT" && ls | sort | tr '\n' ' ')" "README.txt WebView2Loader.dll spse-auth.exe spse-authenticator.exe " "zip contents"
python3 - "$PORT/README.txt" <<'PY' || fail "README.txt: every line must end in CRLF, with both languages, the data folder, SPSE_AUTH_DATA_DIR and WebView2"
import sys
b = open(sys.argv[1], "rb").read()
lines = b.split(b"\n")[:-1]
assert lines and all(l.endswith(b"\r") for l in lines) and not b.endswith(b"\r\n\r\n\r\n")
t = b.decode("utf-8")
for s in ["BAHASA INDONESIA", "ENGLISH", r"%APPDATA%\spse-authenticator\data", "SPSE_AUTH_DATA_DIR",
          "WebView2", "https://go.microsoft.com/fwlink/p/?LinkId=2124703"]:
    assert s in t, s
PY
ok "portable zip: 2 programs, WebView2Loader.dll, README.txt (CRLF, id + en)"

for exe in spse-authenticator.exe spse-auth.exe; do
  info="$(pe "$PORT/$exe")"
  expect_eq "$(field "$info" machine)" x64 "$exe machine"
  expect_eq "$(field "$info" ProductName)" "SPSE Authenticator" "$exe ProductName"
  expect_eq "$(field "$info" ProductVersion)" "$VERSION" "$exe ProductVersion"
  expect_eq "$(field "$info" FileVersion)" "$VERSION" "$exe FileVersion"
  expect_eq "$(field "$info" fixed_product_version)" "$NUM.0" "$exe fixed product version"
  expect_eq "$(field "$info" icon_match)" 1 "$exe icon = icons/icon.ico"
  [ -n "$(field "$info" CompanyName)" ] || fail "$exe has no CompanyName"
  [ "$exe" = spse-authenticator.exe ] && expect_eq "$(field "$info" subsystem)" 2 "app subsystem (GUI)"
  [ "$exe" = spse-auth.exe ] && expect_eq "$(field "$info" subsystem)" 3 "CLI subsystem (console)"
done
ok "exe resources: app GUI (2), CLI console (3), both icon + version $VERSION"

prop() { msiinfo export "$MSI" Property | tr -d '\r' | awk -F'\t' -v k="$1" '$1 == k { print $2 }'; }
expect_eq "$(prop ProductVersion)" "$NUM" "msi ProductVersion"
expect_eq "$(prop UpgradeCode)" "$UPGRADE_CODE" "msi UpgradeCode (must never change)"
expect_eq "$(prop ALLUSERS)" 1 "msi ALLUSERS (per machine)"
expect_in "$(msiinfo export "$MSI" Upgrade)" "WIX_UPGRADE_DETECTED" "msi MajorUpgrade"
expect_in "$(msiinfo export "$MSI" Shortcut)" "[INSTALLDIR]spse-authenticator.exe" "msi Start menu shortcut"
expect_in "$(msiinfo export "$MSI" Environment)" "=-*PATH" "msi system PATH entry"
mkdir -p "$WORK/msi-x"
(cd "$WORK/msi-x" && msiextract "$MSI" >/dev/null)
for f in spse-authenticator.exe spse-auth.exe WebView2Loader.dll; do
  cmp -s "$WORK/msi-x/SPSE Authenticator/$f" "$PORT/$f" || fail "msi: $f differs from the zip's"
done
ok "msi: version $NUM, stable UpgradeCode, upgrade table, shortcut, PATH, same 3 files as the zip"

# ---- 2. Wine and a display ---------------------------------------------------------------------
export WINEPREFIX="$WORK/wine"
eval "$(bash "$ROOT/.ci/wine-prefix")"
# No menu entries in the host's desktop from the test's shortcuts.
export WINEDLLOVERRIDES="$WINEDLLOVERRIDES;winemenubuilder.exe="
export LANG=C.UTF-8 LC_ALL="" LC_MESSAGES=""
unset LC_ALL LC_MESSAGES
exec 3>"$WORK/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
exec 3>&-
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || fail "Xvfb did not start"
DISPLAY=":$(cat "$WORK/display")"
export DISPLAY
wine_path() { wine winepath -u "$1" 2>/dev/null | tr -d '\r'; }
win_env() { wine cmd /c echo "%$1%" 2>/dev/null | tr -d '\r'; }
LOCALAPPDATA_W="$(win_env LOCALAPPDATA)"
APPDATA_W="$(win_env APPDATA)"
INST_W="$LOCALAPPDATA_W\\Programs\\SPSE Authenticator"
INST="$(wine_path "$INST_W")"
APPDATA_U="$(wine_path "$APPDATA_W")"
DATA="$APPDATA_U/spse-authenticator/data"
SHORTCUT="$APPDATA_U/Microsoft/Windows/Start Menu/Programs/SPSE Authenticator.lnk"
[ -n "$LOCALAPPDATA_W" ] && [ -d "$APPDATA_U" ] || fail "cannot find the prefix's user folders"
ok "fresh Wine prefix (ProcessPrng shim) and Xvfb $DISPLAY"

# reg_query ARGS… -> `wine reg query ARGS…`'s output (CRs removed) and exit status, asked again
# (up to 3 times, with a line on stderr) when reg.exe fails: every caller asks for a key that must
# be there. Once in CI the check below found no credential that the CLI had written and read back
# a moment before, yet a query of the kept prefix afterwards showed it; that check's reg.exe
# errors went to /dev/null, so why it missed is not known. Its errors are printed now.
reg_query() {
  local out err rc try
  err="$(mktemp)"
  for try in 1 2 3; do
    rc=0
    out="$(wine reg query "$@" 2>"$err")" || rc=$?
    [ "$rc" = 0 ] && break
    echo "    wine reg query $1 failed (try $try, exit $rc): $(tr -d '\r' < "$err" | head -3)" >&2
    [ "$try" = 3 ] || sleep 1
  done
  rm -f "$err"
  tr -d '\r' <<<"$out"
  return "$rc"
}
reg_value() { # KEY NAME -> "TYPE<TAB>DATA" or nothing
  reg_query "$1" /v "$2" |
    awk -v n="$2" '$1 == n { t = $2; sub(/^[ ]*[^ ]+[ ]+[^ ]+[ ]+/, ""); print t "\t" $0 }'
}
USER_PATH_BEFORE='C:\Tools;%USERPROFILE%\bin'
wine reg add 'HKCU\Environment' /v Path /t REG_EXPAND_SZ /d "$USER_PATH_BEFORE" /f >/dev/null 2>&1

# ---- 3. per-user installer ---------------------------------------------------------------------
begin
timeout 120 wine "$SETUP" /S || fail "setup.exe /S exited with $?"
wineserver -w
for f in spse-authenticator.exe spse-auth.exe WebView2Loader.dll; do
  cmp -s "$INST/$f" "$PORT/$f" || fail "installed $f missing or not the zip's"
done
[ -f "$INST/uninstall.exe" ] || fail "no uninstall.exe in $INST"
ok "setup.exe /S installs per user into %LOCALAPPDATA%\\Programs\\SPSE Authenticator"

[ -f "$SHORTCUT" ] || fail "no Start menu shortcut at $SHORTCUT"
grep -qa 'spse-authenticator.exe' "$SHORTCUT" || fail "the shortcut does not point at spse-authenticator.exe"
ok "Start menu shortcut (user's Programs) to spse-authenticator.exe"

declare -A want=(
  [DisplayName]="REG_SZ	SPSE Authenticator"
  [DisplayVersion]="REG_SZ	$VERSION"
  [DisplayIcon]="REG_SZ	$INST_W\\spse-authenticator.exe,0"
  [UninstallString]="REG_SZ	\"$INST_W\\uninstall.exe\""
  [QuietUninstallString]="REG_SZ	\"$INST_W\\uninstall.exe\" /S"
  [InstallLocation]="REG_SZ	$INST_W"
  [NoModify]="REG_DWORD	0x1"
  [NoRepair]="REG_DWORD	0x1"
)
for name in "${!want[@]}"; do
  expect_eq "$(reg_value "$UNINST_KEY" "$name")" "${want[$name]}" "uninstall entry $name"
done
publisher="$(reg_value "$UNINST_KEY" Publisher)"
[[ "$publisher" == REG_SZ$'\t'?* ]] || fail "uninstall entry Publisher missing"
size="$(reg_value "$UNINST_KEY" EstimatedSize)"
[[ "$size" == REG_DWORD$'\t'0x* ]] && [ $(( ${size#*$'\t'} )) -gt 1000 ] || fail "EstimatedSize missing or too small: $size"
ok "HKCU uninstall entry: name, version, publisher, icon, (quiet) uninstall, location, size, no modify/repair"

path_entry="REG_EXPAND_SZ	$USER_PATH_BEFORE;$INST_W"
expect_eq "$(reg_value 'HKCU\Environment' Path)" "$path_entry" "user PATH after install"
ok "user PATH: install folder appended once, REG_EXPAND_SZ, %USERPROFILE% kept unexpanded"

timeout 120 wine "$SETUP" /S || fail "second setup.exe /S exited with $?"
wineserver -w
expect_eq "$(reg_value 'HKCU\Environment' Path)" "$path_entry" "user PATH after reinstalling"
ok "reinstall over it (upgrade in place): still one PATH entry, files in place"

# Batch files, not `wine cmd /c "…"`: Wine would escape the inner quotes the Unix way.
bat() { # NAME LINE... -> the Windows path of a new batch file
  printf '%s\r\n' "@echo off" "${@:2}" >"$WORK/$1.cmd"
  wine winepath -w "$WORK/$1.cmd" 2>/dev/null | tr -d '\r'
}
out="$(wine cmd /c "$(bat path-check 'cd /d C:\' 'spse-auth --version')" 2>&1 | tr -d '\r')"
expect_in "$out" "$VERSION" "spse-auth found through PATH in a new cmd"
ok "a new cmd finds spse-auth through the user PATH ($out)"

# ---- 4. the installed CLI on a real vault (Wine's Credential Manager is the keyring) -----------
CLI="$INST/spse-auth.exe"
SECRET="$(python3 -c 'import base64, hashlib; print(base64.b32encode(hashlib.sha1(b"made-up windows packaging test").digest()).decode().rstrip("="))')"
SECRET2="$(python3 -c 'import base64, hashlib; print(base64.b32encode(hashlib.sha1(b"made-up windows packaging test 2").digest()).decode().rstrip("="))')"
out="$(wine "$CLI" add "otpauth://totp/LPSE%20Kota%20Fiktif:PPK.SITI-02?secret=$SECRET&issuer=LPSE%20Kota%20Fiktif" 2>&1 | tr -d '\r')" \
  || fail "spse-auth add: $out"
expect_in "$out" "added" "spse-auth add"
out="$(wine "$CLI" add "otpauth://totp/LPSE%20Kabupaten%20Contoh:POKJA.AGUS-07?secret=$SECRET2&issuer=LPSE%20Kabupaten%20Contoh" 2>&1 | tr -d '\r')" \
  || fail "spse-auth add (second account): $out"
grep -q "$SECRET\|$SECRET2" <<<"$out" && fail "a secret was printed"
[ -f "$DATA/vault.spse" ] || fail "no vault at $DATA/vault.spse"
ls "$DATA/backups/"* >/dev/null 2>&1 || fail "no backup in $DATA/backups after the second change"
ok "installed spse-auth.exe creates the vault in %APPDATA%\\spse-authenticator\\data (+ a backup)"

check_codes() { # CLI label
  local t want got
  for t in 1700000000 1767225600 2000000000; do
    want="$(oathtool --totp -b "$SECRET" -N "@$t")"
    got="$(wine "$1" code "kota fiktif" --at "$t" 2>&1 | tr -d '\r')" || fail "$2 code --at $t: $got"
    expect_eq "$got" "$want" "$2 code --at $t vs oathtool"
  done
}
check_codes "$CLI" "installed spse-auth"
ok "installed spse-auth.exe code --at T equals oathtool --totp (3 times T)"

# Wine keeps generic credentials as registry keys "Generic: <user>.<service>" (never printed here:
# only hashed, the Password value is the encrypted vault key).
CRED_KEY='HKCU\Software\Wine\Credential Manager'
cred_hash() {
  local all
  all="$(reg_query "$CRED_KEY" /s)" || fail "wine reg query $CRED_KEY /s failed"
  sha256sum <<<"$all"
}
# (On failure only the key names are shown: the values include Wine's credential encryption key.)
creds="$(reg_query "$CRED_KEY")" || fail "wine reg query $CRED_KEY failed"
grep -q 'Generic: .*\.spse-authenticator$' <<<"$creds" ||
  fail "no vault key (Generic: ….spse-authenticator) in Wine's Credential Manager; its keys: $(grep '^HKEY' <<<"$creds" | tr '\n' ' ')"
hash_data() { (cd "$DATA" && find . -type f ! -name vault.lock -print0 | sort -z | xargs -0 sha256sum); }
DATA_HASH="$(hash_data)"
CRED_HASH="$(cred_hash)"
ok "the vault key is in Credential Manager (registry Software\\Wine\\Credential Manager)"

# ---- 5. the app without WebView2: our box, then exit 0 -----------------------------------------
# run_app LABEL TITLE CMD...: starts the app, waits for its window, expects exactly one window
# titled TITLE (ours, not Tauri's English error box), presses its Close button and expects the
# process to end with status 0.
run_app() {
  local label="$1" title="$2" pid wid="" rc names
  shift 2
  "$@" >"$WORK/app-$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    wid="$(xdotool search --name "^SPSE Authenticator" 2>/dev/null | head -n 1 || true)"
    [ -n "$wid" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$wid" ] || { kill "$pid" 2>/dev/null; fail "$label: no window titled 'SPSE Authenticator…' within 30 s (log: $(tail -3 "$WORK/app-$label.log"))"; }
  sleep 0.5
  names="$(for w in $(xdotool search --name "SPSE Authenticator|WebView2" 2>/dev/null); do xdotool getwindowname "$w"; done | sort -u)"
  expect_eq "$names" "$title" "$label: the windows shown"
  [ "${SHOT:-}" = 1 ] && import -window root "$WORK/app-$label.png" 2>/dev/null
  # The box's buttons are "Download" (focused) and "Close": Tab, Space presses Close. (On
  # Windows, Escape and the title bar's X close it too; Wine's task dialog ignores Escape, and
  # without a window manager there is no title bar.)
  xdotool windowfocus "$wid" 2>/dev/null || true
  sleep 0.3
  xdotool key Tab space
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill "$pid"; fail "$label: still running 15 s after pressing Close"; fi
  rc=0; wait "$pid" || rc=$?
  expect_eq "$rc" 0 "$label: exit status after Close"
}
APP_W="$INST_W\\spse-authenticator.exe"
run_app en "$WEBVIEW2_TITLE_EN" wine "$INST/spse-authenticator.exe"
ok "app, English Windows: our WebView2 box ('$WEBVIEW2_TITLE_EN'), Close -> exit 0"

LOC="$WORK/locale"
mkdir -p "$LOC"
localedef -i id_ID -f UTF-8 "$LOC/id_ID.UTF-8" 2>/dev/null || [ -d "$LOC/id_ID.UTF-8" ] ||
  fail "cannot build the id_ID.UTF-8 locale (Debian package: locales)"
wineserver -k 2>/dev/null || true
wineserver -w
# Wine takes Windows' UI language from the Unix locale; cmd then removes LANG from the app's
# environment, so the app can only learn "Indonesian" from Windows (GetUserPreferredUILanguages).
ID_BAT="$(bat app-id 'set LANG=' 'set LC_ALL=' 'set LC_MESSAGES=' "start \"\" /wait \"$APP_W\"" 'exit /b %ERRORLEVEL%')"
run_app id "$WEBVIEW2_TITLE_ID" env LOCPATH="$LOC" LANG=id_ID.UTF-8 wine cmd /c "$ID_BAT"
wineserver -k 2>/dev/null || true
wineserver -w
ok "app, Indonesian Windows UI (no LANG in its environment): '$WEBVIEW2_TITLE_ID', exit 0"

# Installing over a running app: deleting a running .exe fails, so the installer asks (silent: yes)
# and closes it (taskkill, politely first), then replaces the files.
wine "$INST/spse-authenticator.exe" >"$WORK/app-running.log" 2>&1 &
app_pid=$!
for _ in $(seq 300); do xdotool search --name "^SPSE Authenticator" >/dev/null 2>&1 && break; sleep 0.1; done
xdotool search --name "^SPSE Authenticator" >/dev/null 2>&1 || fail "the app did not start for the running-app check"
timeout 120 wine "$SETUP" /S || fail "setup.exe /S over the running app exited with $?"
for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app_pid" 2>/dev/null && { kill "$app_pid"; fail "setup.exe /S left the running app running"; }
rc=0; wait "$app_pid" || rc=$?
expect_eq "$rc" 0 "the running app's exit status when the installer closed it"
wineserver -w
cmp -s "$INST/spse-authenticator.exe" "$PORT/spse-authenticator.exe" || fail "app not reinstalled after closing it"
ok "setup.exe /S over a running app closes it (exit 0) and replaces the files"

expect_eq "$(hash_data)" "$DATA_HASH" "data folder after the app's WebView2 exits"
[ -f "$DATA/settings.json" ] && fail "the app wrote settings.json although it could not start"
ok "the app left the vault, backups and settings untouched"

# ---- 6. silent uninstall -----------------------------------------------------------------------
# The NSIS uninstaller copies itself to %TEMP% and runs from there: wait for Wine to settle.
timeout 120 wine "$INST/uninstall.exe" /S || fail "uninstall.exe /S exited with $?"
wineserver -w
[ -e "$INST" ] && fail "install folder still there: $(ls -A "$INST" | tr '\n' ' ')"
[ -e "$SHORTCUT" ] && fail "Start menu shortcut still there"
wine reg query "$UNINST_KEY" >/dev/null 2>&1 && fail "uninstall entry still there"
expect_eq "$(reg_value 'HKCU\Environment' Path)" "REG_EXPAND_SZ	$USER_PATH_BEFORE" "user PATH after uninstall"
ok "uninstall.exe /S removes programs, folder, shortcut, uninstall entry; PATH back to the user's own"

expect_eq "$(hash_data)" "$DATA_HASH" "vault and backups after uninstall"
expect_eq "$(cred_hash)" "$CRED_HASH" "Credential Manager after uninstall"
ok "uninstall kept vault.spse, backups/ and the Credential Manager entry byte for byte"

# ---- 7. the portable zip ----------------------------------------------------------------------
out="$(wine "$PORT/spse-auth.exe" --version 2>&1 | tr -d '\r')"
expect_in "$out" "$VERSION" "portable spse-auth --version"
check_codes "$PORT/spse-auth.exe" "portable spse-auth"
ok "portable spse-auth.exe runs from a folder with a space and opens the kept vault (oathtool codes)"

# ---- 8. the MSI: install, upgrade, downgrade refused, uninstall --------------------------------
PF="$(wine_path 'C:\Program Files\SPSE Authenticator')"
SYS_ENV='HKLM\System\CurrentControlSet\Control\Session Manager\Environment'
msi_product() { # -> ProductCode key(s) of installed "SPSE Authenticator" products
  wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null | tr -d '\r' |
    awk '/^HKEY/ { k = $0 } /DisplayName/ && /SPSE Authenticator/ { print k }' | sort -u
}
msi_install() { # MSI_UNIX_PATH -> msiexec's exit status
  local rc=0
  timeout 180 wine msiexec /i "$(wine winepath -w "$1" 2>/dev/null | tr -d '\r')" /qn || rc=$?
  wineserver -w
  return $rc
}
msi_remove() {
  local path rc=0
  path="$(wine winepath -w "$1" 2>/dev/null | tr -d '\r')"
  timeout 180 wine msiexec /x "$path" /qn || rc=$?
  if [ "$rc" != 0 ]; then
    # Wine's own start-up of msiexec failed once on a fresh machine ("ShellExecuteEx failed:
    # Internal error") and passed when run again: one more try, then the real exit code.
    wineserver -w
    rc=0
    timeout 180 wine msiexec /x "$path" /qn || rc=$?
  fi
  [ "$rc" = 0 ] || fail "msiexec /x $(basename "$1") exited with $rc"
  wineserver -w
}
msi_gone() { # LABEL
  [ -e "$PF/spse-auth.exe" ] && fail "$1: the programs are still there"
  [ -z "$(msi_product)" ] || fail "$1: the product is still registered"
  find "$WINEPREFIX/drive_c" -name 'SPSE Authenticator.lnk' | grep -q . && fail "$1: the shortcut is still there"
  grep -qF 'SPSE Authenticator' <<<"$(reg_value "$SYS_ENV" PATH)" && fail "$1: the system PATH entry is still there"
  expect_eq "$(hash_data)" "$DATA_HASH" "$1: vault and backups"
}
msi_install "$MSI" || fail "msiexec /i /qn exited with $?"
for f in spse-authenticator.exe spse-auth.exe WebView2Loader.dll; do
  cmp -s "$PF/$f" "$PORT/$f" || fail "msi: $PF/$f missing or not the zip's"
done
expect_in "$(reg_value "$SYS_ENV" PATH)" 'C:\Program Files\SPSE Authenticator' "system PATH after the msi"
[ "$(msi_product | wc -l)" = 1 ] || fail "msi: expected one registered product, got: $(msi_product)"
find "$WINEPREFIX/drive_c" -name 'SPSE Authenticator.lnk' | grep -q . || fail "msi: no Start menu shortcut"
out="$(wine "$PF/spse-auth.exe" --version 2>&1 | tr -d '\r')"
expect_in "$out" "$VERSION" "msi spse-auth --version"
ok "msiexec /i /qn: Program Files, Start menu shortcut, system PATH, one product, CLI runs"

msi_remove "$MSI"
msi_gone "msiexec /x"
ok "msiexec /x /qn removes programs, shortcut, system PATH entry; the vault stays"

# A newer build of the same .wxs (patch + 1) must replace it (MajorUpgrade) ...
IFS=. read -r MA MI PA <<<"$NUM"
NEXT="$MA.$MI.$((PA + 1))"
mkdir -p "$WORK/next/bin"
cp "$PORT/spse-authenticator.exe" "$PORT/spse-auth.exe" "$PORT/WebView2Loader.dll" "$WORK/next/bin/"
cp "$ROOT/icons/icon.ico" "$WORK/next/icon.ico"
(cd "$WORK/next" && wixl -a x64 -D Version="$NEXT" -D Publisher="SPSE Authenticator" -D BinDir=bin -D Icon=icon.ico \
  -o next.msi "$PKG/spse-authenticator.wxs" 2>/dev/null) || fail "cannot build the $NEXT test msi"
msi_install "$MSI" || fail "msiexec /i /qn (again) exited with $?"
old_product="$(msi_product)"
msi_install "$WORK/next/next.msi" || fail "msiexec (upgrade to $NEXT) exited with $?"
new_product="$(msi_product)"
[ "$(wc -l <<<"$new_product")" = 1 ] && [ "$new_product" != "$old_product" ] || fail "upgrade: products before '$old_product', after '$new_product'"
expect_eq "$(reg_value "$new_product" DisplayVersion)" "REG_SZ	$NEXT" "upgraded product version"
[ -f "$PF/spse-auth.exe" ] || fail "upgrade removed the programs"
ok "MajorUpgrade: a $NEXT msi replaces $NUM (one product left, files in place)"

# ... and the older one must not go back over it.
rc=0; msi_install "$MSI" || rc=$?
[ "$rc" != 0 ] || fail "installing $NUM over $NEXT succeeded; it must be refused"
expect_eq "$(msi_product)" "$new_product" "products after the refused downgrade"
ok "downgrade to $NUM refused (msiexec exit $rc), $NEXT still installed"

msi_remove "$WORK/next/next.msi"
msi_gone "msiexec /x (upgraded)"
ok "msiexec /x /qn of the upgraded product leaves nothing but the vault"

# ---- 9. a user PATH too long for NSIS's 1024-character strings is left exactly as it was -------
LONG_PATH="C:\Tools"
for i in $(seq 1 60); do LONG_PATH="$LONG_PATH;C:\Long Tools\Folder$i"; done
wine reg add 'HKCU\Environment' /v Path /t REG_EXPAND_SZ /d "$LONG_PATH" /f >/dev/null 2>&1
[ "${#LONG_PATH}" -gt 1100 ] || fail "test setup: the long PATH is only ${#LONG_PATH} characters"
timeout 120 wine "$SETUP" /S || fail "setup.exe /S (long PATH) exited with $?"
wineserver -w
[ -f "$INST/spse-auth.exe" ] || fail "long PATH: not installed"
expect_eq "$(reg_value 'HKCU\Environment' Path)" "REG_EXPAND_SZ	$LONG_PATH" "a ${#LONG_PATH}-character user PATH after install"
timeout 120 wine "$INST/uninstall.exe" /S || fail "uninstall.exe /S (long PATH) exited with $?"
wineserver -w
[ -e "$INST" ] && fail "long PATH: not uninstalled"
expect_eq "$(reg_value 'HKCU\Environment' Path)" "REG_EXPAND_SZ	$LONG_PATH" "a ${#LONG_PATH}-character user PATH after uninstall"
ok "a ${#LONG_PATH}-character user PATH is left untouched by install and uninstall (no truncation)"

printf 'all Windows packaging checks passed in %s\n' "$(secs "$T_START")"
