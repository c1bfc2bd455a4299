#!/usr/bin/env bash
# Makes every Windows artefact of SPSE Authenticator from the already-built x64 binaries; it never
# builds Rust itself (and never downloads anything):
#   DIST_DIR/SPSE-Authenticator_<version>_x64-setup.exe    per-user installer (NSIS, installer.nsi)
#   DIST_DIR/SPSE-Authenticator_<version>_x64-portable.zip the programs + README.txt (CRLF)
#   DIST_DIR/SPSE-Authenticator_<version>_x64.msi          per-machine MSI for IT (wixl, .wxs)
#
# Usage: src-tauri/packaging/windows/make.sh DIST_DIR
#   Binaries are taken from $WIN_BIN_DIR, default
#   ${CARGO_TARGET_DIR:-<repo>/target}/x86_64-pc-windows-gnu/release; build them first with
#   cargo build --release --locked --target x86_64-pc-windows-gnu -p spse-auth-cli -p spse-authenticator
#   <version> is the workspace version (top Cargo.toml, read with `cargo metadata`); the binaries
#   must carry the same version in their version resource, or this stops (stale build).
# Needs (Debian): nsis, wixl + msitools, imagemagick, python3; cargo for the version.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
die() { echo "make.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 DIST_DIR"
mkdir -p "$1"
DIST="$(cd "$1" && pwd)"
BIN="${WIN_BIN_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/x86_64-pc-windows-gnu/release}"

for tool in makensis wixl msibuild convert python3 cargo; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian: apt-get install nsis wixl msitools imagemagick python3; cargo from rustup)"
done
missing=()
for f in spse-authenticator.exe spse-auth.exe WebView2Loader.dll; do
  [ -s "$BIN/$f" ] || missing+=("$BIN/$f")
done
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}; build first:
  cargo build --release --locked --target x86_64-pc-windows-gnu -p spse-auth-cli -p spse-authenticator
(or point WIN_BIN_DIR at the folder holding the three files)"

# The one version: [workspace.package] version, as every workspace package inherits it.
VERSION="$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
pkgs = {p["name"]: p["version"] for p in json.load(sys.stdin)["packages"]}
print(pkgs["spse-authenticator"])')"
# Windows version fields are numeric: 1.2.3-beta.1+7 -> 1.2.3 (MSI, NSIS: 1.2.3.0).
NUM="${VERSION%%[-+]*}"
[[ "$NUM" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot make a numeric version out of '$VERSION'"
QUAD="$NUM.0"
# Publisher and copyright as the app's tauri.conf.json says (the CLI's build.rs reads them too).
{ read -r PUBLISHER; read -r COPYRIGHT; } < <(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
b = c.get("bundle", {})
print(b.get("publisher") or c.get("productName") or "SPSE Authenticator")
print(b.get("copyright") or "")' "$ROOT/src-tauri/tauri.conf.json")
ICON="$ROOT/icons/icon.ico"
BASE="SPSE-Authenticator_${VERSION}_x64"

# The binaries must be this version's (a stale target folder would ship old programs under a new name).
for exe in spse-authenticator.exe spse-auth.exe; do
  info="$(python3 "$HERE/pe_info.py" "$BIN/$exe")" || die "$BIN/$exe: not a readable Windows program"
  grep -qx "machine=x64" <<<"$info" || die "$BIN/$exe is not an x64 program"
  got="$(sed -n 's/^ProductVersion=//p' <<<"$info")"
  [ "$got" = "$VERSION" ] || die "$BIN/$exe has version '${got:-none}', the workspace has $VERSION: rebuild it"
done

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/bin"
cp "$BIN/spse-authenticator.exe" "$BIN/spse-auth.exe" "$BIN/WebView2Loader.dll" "$STAGE/bin/"
t0=$(date +%s%N)
elapsed() { local ms=$((($(date +%s%N) - t0) / 1000000)); printf '%d.%01d s' $((ms / 1000)) $((ms % 1000 / 100)); }

# 1. Per-user installer; its welcome/finish side picture: the 128 px icon on the UI's background.
convert -size 164x314 'xc:#f6f7f9' "$ROOT/icons/128x128.png" -geometry +18+56 -composite \
  -alpha off -type TrueColor "BMP3:$STAGE/welcome.bmp" || die "ImageMagick's convert failed (welcome picture)"
rm -f "$DIST/$BASE-setup.exe"
makensis -V2 -WX -DWELCOME_BMP="$STAGE/welcome.bmp" \
  -DVERSION="$VERSION" -DVERSION_QUAD="$QUAD" -DPUBLISHER="$PUBLISHER" -DCOPYRIGHT="$COPYRIGHT" \
  -DBIN_DIR="$STAGE/bin" -DICON="$ICON" -DOUT_FILE="$DIST/$BASE-setup.exe" \
  "$HERE/installer.nsi" >"$STAGE/makensis.log" 2>&1 || { cat "$STAGE/makensis.log" >&2; die "makensis failed"; }
echo "made $DIST/$BASE-setup.exe ($(du -k "$DIST/$BASE-setup.exe" | cut -f1) KiB)"

# 2. Portable zip: the programs at the top level and README.txt with Windows line ends.
sed -e "s/@VERSION@/$VERSION/g" -e 's/\r$//' -e 's/$/\r/' "$HERE/README-portable.txt" >"$STAGE/bin/README.txt"
rm -f "$DIST/$BASE-portable.zip"
python3 - "$DIST/$BASE-portable.zip" "$STAGE/bin" <<'PY'
import os, sys, zipfile
out, src = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name in ["spse-authenticator.exe", "spse-auth.exe", "WebView2Loader.dll", "README.txt"]:
        z.write(os.path.join(src, name), name)
PY
rm -f "$STAGE/bin/README.txt"
echo "made $DIST/$BASE-portable.zip ($(du -k "$DIST/$BASE-portable.zip" | cut -f1) KiB)"

# 3. Per-machine MSI. wixl resolves sources relative to the working folder; it has no
#    <Environment>, so the system PATH entry (the Environment table and its two standard actions)
#    is added afterwards with msibuild, exactly as WiX would write it.
cp "$ICON" "$STAGE/icon.ico"
rm -f "$DIST/$BASE.msi"
(cd "$STAGE" && wixl -a x64 -D Version="$NUM" -D Publisher="$PUBLISHER" -D BinDir=bin -D Icon=icon.ico \
  -o "$STAGE/out.msi" "$HERE/spse-authenticator.wxs" 2>"$STAGE/wixl.log") \
  || { cat "$STAGE/wixl.log" >&2; die "wixl failed"; }
printf 'Environment\tName\tValue\tComponent_\ns72\tl255\tL255\ts72\nEnvironment\tEnvironment\nSystemPath\t=-*PATH\t[~];[INSTALLDIR]\tCliExe\n' \
  >"$STAGE/Environment.idt"
(cd "$STAGE" && msibuild out.msi -i Environment.idt \
  -q "INSERT INTO InstallExecuteSequence (Action, Sequence) VALUES ('RemoveEnvironmentStrings', 3300)" \
  -q "INSERT INTO InstallExecuteSequence (Action, Sequence) VALUES ('WriteEnvironmentStrings', 5200)") \
  || die "msibuild failed (adding the PATH entry to the MSI)"
mv "$STAGE/out.msi" "$DIST/$BASE.msi"
echo "made $DIST/$BASE.msi ($(du -k "$DIST/$BASE.msi" | cut -f1) KiB)"
echo "version $VERSION, publisher '$PUBLISHER', binaries from $BIN ($(elapsed))"
