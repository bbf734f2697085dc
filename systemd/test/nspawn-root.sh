#!/usr/bin/env bash
# Prints the path of a directory holding a minimal Debian bookworm root with systemd and what Truffles needs, building
# it the first time as a tarball and unpacking that once beside it (containers boot it with --volatile=overlay, so it
# stays unchanged). The tarball is keyed on the package list (and ROOT_FORMAT), so a changed list builds a new one;
# it lives outside the repository (TRUFFLES_NSPAWN_CACHE, default /var/cache/truffles-nspawn). Packages come from the
# mirror apt on this host already uses. Test-only: production hosts install Truffles with systemd/install.sh.
set -euo pipefail

CACHE=${TRUFFLES_NSPAWN_CACHE:-/var/cache/truffles-nspawn}
# systemd as PID 1 and D-Bus; then polkit (the api restarts units through it) and the services' tools
BOOT_PACKAGES=systemd,systemd-sysv,dbus
PACKAGES=(polkitd openjdk-17-jre-headless chromium ffmpeg bubblewrap git nginx-light curl ca-certificates fonts-liberation
  procps iproute2)

say() { printf '%s\n' "$*" >&2; }

mirror() { # the first Debian mirror this host's apt uses
  local uri
  uri=$(grep -hoE '^(URIs:|deb)[[:space:]]+[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
    /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  [[ $uri == http* ]] || uri=http://deb.debian.org/debian
  printf '%s\n' "$uri"
}

# raise it when a change to how the root is built (not its package list) must build a new one
ROOT_FORMAT=1
key=$(printf '%s\n' "$ROOT_FORMAT" "$BOOT_PACKAGES" "${PACKAGES[@]}" | sha256sum | cut -c1-16)
tarball=$CACHE/bookworm-$key.tar.zst
unpacked=$CACHE/bookworm-$key.root

unpack() {
  [[ -f $unpacked/.unpacked ]] && return 0
  rm -rf "$unpacked.new"
  mkdir -p "$unpacked.new"
  tar -C "$unpacked.new" --zstd -xf "$tarball"
  touch "$unpacked.new/.unpacked"
  rm -rf "$unpacked"
  mv "$unpacked.new" "$unpacked"
}

if [[ -s $tarball ]]; then
  unpack
  printf '%s\n' "$unpacked"
  exit 0
fi

command -v debootstrap >/dev/null || { say "debootstrap is missing: apt-get install debootstrap"; exit 2; }
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/build.XXXXXX")
trap 'umount -R "$work/root/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
started=$SECONDS
say "Building a bookworm root for the systemd test in $work (once per package list) ..."
debootstrap --variant=minbase --include="$BOOT_PACKAGES" bookworm "$work/root" "$(mirror)" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
cp /etc/apt/sources.list.d/debian.sources "$work/root/etc/apt/sources.list.d/" 2>/dev/null || true
mount -t proc proc "$work/root/proc"
chroot "$work/root" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c \
  "apt-get update -q && apt-get install -y -q --no-install-recommends ${PACKAGES[*]} && apt-get clean" \
  >"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; exit 1; }
umount "$work/root/proc"
rm -rf "$work/root/var/lib/apt/lists/"*
# a root without a machine-id gets a fresh one at each boot (volatile overlay), which is what a test wants
: >"$work/root/etc/machine-id"
tar -C "$work/root" --zstd -cf "$work/root.tar.zst" .
mv "$work/root.tar.zst" "$tarball"
say "Built $tarball in $((SECONDS - started)) s ($(du -h "$tarball" | cut -f1))"
unpack
printf '%s\n' "$unpacked"
