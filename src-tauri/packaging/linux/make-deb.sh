#!/usr/bin/env bash
# Packs the release binaries into DIST_DIR/spse-authenticator_<version>_<arch>.deb and, when
# rpmbuild is installed, DIST_DIR/spse-authenticator-<version>-1.<arch>.rpm. Builds nothing: run
#   cargo build --release -p spse-authenticator -p spse-auth-cli
# first. Usage: [CARGO_TARGET_DIR=DIR] src-tauri/packaging/linux/make-deb.sh DIST_DIR
# Needs Debian's dpkg-dev (dpkg-shlibdeps) and help2man; rpm for the .rpm (SPSE_NO_RPM=1 skips it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 DIST_DIR" >&2; exit 2; }
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/release"
for b in spse-authenticator spse-auth; do
  [ -x "$bin/$b" ] || { echo "make-deb: $bin/$b missing; build it first: cargo build --release -p spse-authenticator -p spse-auth-cli (CARGO_TARGET_DIR=$target)" >&2; exit 1; }
done

# Version and homepage from the workspace's Cargo.toml ([workspace.package]).
ws() { awk -v k="$1" '/^\[/{s=($0=="[workspace.package]")} s && $1==k {split($0,a,"\""); print a[2]; exit}' "$root/Cargo.toml"; }
version="$(ws version)" homepage="$(ws repository)"
[ -n "$version" ] || { echo "make-deb: no version in [workspace.package] of $root/Cargo.toml" >&2; exit 1; }
grep -q "<release version=\"$version\"" "$here/id.spse.authenticator.metainfo.xml" ||
  { echo "make-deb: add a <release version=\"$version\" …> entry to $here/id.spse.authenticator.metainfo.xml" >&2; exit 1; }
arch="$(dpkg --print-architecture)"
mkdir -p "$1" && dist="$(cd "$1" && pwd)"
command -v help2man >/dev/null || { echo "make-deb: help2man missing (apt-get install help2man)" >&2; exit 1; }
# Dates in the package (changelog, man page, file times) from the last commit: reproducible.
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pkg="$work/debian/spse-authenticator"   # where dpkg-shlibdeps expects a package's files
install -Dm755 "$bin/spse-authenticator" "$pkg/usr/bin/spse-authenticator"
install -Dm755 "$bin/spse-auth" "$pkg/usr/bin/spse-auth"
strip --remove-section=.comment --remove-section=.note "$pkg/usr/bin/"*
install -Dm644 "$here/spse-authenticator.desktop" "$pkg/usr/share/applications/spse-authenticator.desktop"
install -Dm644 "$here/id.spse.authenticator.metainfo.xml" "$pkg/usr/share/metainfo/id.spse.authenticator.metainfo.xml"
for icon in 32x32:32x32 128x128:128x128 256x256:128x128@2x 512x512:icon; do
  src="$root/icons/${icon#*:}.png"
  if [ -f "$src" ]; then install -Dm644 "$src" "$pkg/usr/share/icons/hicolor/${icon%%:*}/apps/spse-authenticator.png"; fi
done
doc="$pkg/usr/share/doc/spse-authenticator"
install -Dm644 "$here/copyright" "$doc/copyright"
printf 'spse-authenticator (%s) unstable; urgency=medium\n\n  * Release %s; see %s.\n\n -- SPSE Authenticator developers <packaging@example.invalid>  %s\n' \
  "$version" "$version" "$homepage" "$(date -R -u -d "@$SOURCE_DATE_EPOCH")" | gzip -9n > "$doc/changelog.gz"
man="$pkg/usr/share/man/man1"
mkdir -p "$man"
gzip -9n < "$here/spse-authenticator.1" > "$man/spse-authenticator.1.gz"
help2man --no-info --section 1 --include "$here/spse-auth.h2m" \
  --name "TOTP codes for SPSE (LPSE) accounts, from the command line" "$pkg/usr/bin/spse-auth" |
  gzip -9n > "$man/spse-auth.1.gz"
chmod 644 "$doc/changelog.gz" "$man/"*

# Depends: the shared libraries the binaries link, as Debian package names with versions, plus the
# tray icon's AppIndicator library, which the app loads at run time (dlopen: no ELF dependency).
mkdir -p "$pkg/DEBIAN"
printf 'Source: spse-authenticator\n\nPackage: spse-authenticator\nArchitecture: any\n' > "$work/debian/control"
# (Debian 12's dpkg-shlibdeps also warns "binaries to analyze should already be installed in their
# package's directory" for the app, with an empty file name: a spurious message, filtered out.)
depends="$(cd "$work" && dpkg-shlibdeps -O -e "$pkg/usr/bin/spse-authenticator" -e "$pkg/usr/bin/spse-auth" \
  2> >(grep -v "binaries to analyze should already be installed" >&2) | sed -n 's/^shlibs:Depends=//p')"
[ -n "$depends" ] || { echo "make-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

cat > "$pkg/DEBIAN/control" <<EOF
Package: spse-authenticator
Version: $version
Architecture: $arch
Maintainer: SPSE Authenticator developers <packaging@example.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
Depends: $depends, libayatana-appindicator3-1 | libappindicator3-1
Recommends: gnome-keyring | libkf5wallet-bin
Suggests: xdg-desktop-portal
Section: utils
Priority: optional
Homepage: $homepage
Description: TOTP authenticator for SPSE (LPSE) e-procurement logins
 SPSE Authenticator shows the rolling two-factor (TOTP) codes for accounts at
 SPSE, Indonesia's government e-procurement system. Accounts are added from a
 screenshot of the enrolment QR code, a pasted image or straight off the
 screen. The secrets are encrypted (AES-256-GCM); their key is kept in the
 desktop's keyring through the Secret Service (GNOME Keyring, KWallet).
 .
 This package holds the desktop app and the spse-auth command line tool,
 which share the same accounts.
EOF
deb="$dist/spse-authenticator_${version}_${arch}.deb"
dpkg-deb --build --root-owner-group -Zxz "$pkg" "$deb" >/dev/null
echo "$deb"

# The same files as an RPM. Requires: rpm's own ELF scan (sonames such as
# libwebkit2gtk-4.1.so.0()(64bit)), which every RPM distribution resolves to its own packages.
if [ "${SPSE_NO_RPM:-}" != 1 ] && command -v rpmbuild >/dev/null; then
  rm -rf "$pkg/DEBIAN"
  rarch="$(uname -m)"
  cat > "$work/spse-authenticator.spec" <<EOF
Name: spse-authenticator
Version: $version
Release: 1
Summary: TOTP authenticator for SPSE (LPSE) e-procurement logins
License: MIT OR Apache-2.0
URL: $homepage
Recommends: (gnome-keyring or kf5-kwallet or kwalletd5)
# The tray icon's AppIndicator library, loaded at run time (Fedora's and openSUSE's names).
Requires: (libayatana-appindicator-gtk3 or libayatana-appindicator3-1)
%global debug_package %{nil}
%global __os_install_post %{nil}
%description
SPSE Authenticator shows the rolling two-factor (TOTP) codes for accounts at
SPSE, Indonesia's government e-procurement system. The secrets are encrypted;
their key is kept in the desktop's keyring through the Secret Service. Holds
the desktop app and the spse-auth command line tool.
%install
cp -a "$pkg/." "%{buildroot}/"
%files
%defattr(-,root,root,-)
/usr/bin/spse-authenticator
/usr/bin/spse-auth
/usr/share/applications/spse-authenticator.desktop
/usr/share/metainfo/id.spse.authenticator.metainfo.xml
/usr/share/icons/hicolor/*/apps/spse-authenticator.png
/usr/share/man/man1/spse-authenticator.1.gz
/usr/share/man/man1/spse-auth.1.gz
%doc /usr/share/doc/spse-authenticator
EOF
  rpmbuild -bb --quiet --target "$rarch" --define "_topdir $work/rpm" --define "_build_id_links none" \
    --define "_rpmdir $work/rpm/out" "$work/spse-authenticator.spec" >/dev/null 2>"$work/rpm.log" ||
    { cat "$work/rpm.log" >&2; exit 1; }
  cp "$work/rpm/out/$rarch/spse-authenticator-$version-1.$rarch.rpm" "$dist/"
  echo "$dist/spse-authenticator-$version-1.$rarch.rpm"
fi
