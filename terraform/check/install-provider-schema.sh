#!/usr/bin/env bash
# Puts the AWS provider's schema for the Terraform checks into a cache folder: the .jsii manifest of the npm package
# @cdktn/provider-aws (CDK Terrain bindings generated from the hashicorp/aws provider), fetched once with npm pack,
# both the tarball and the manifest checked against provider-aws.sha256. Does nothing when the manifest is there and
# matches. Needs npm only when it has to fetch the tarball.
# Usage: install-provider-schema.sh CACHE_DIR VERSION      (prints nothing on success but what it had to do)
set -euo pipefail
home=${1:?cache folder}
version=${2:?version}
here=$(cd "$(dirname "$0")" && pwd)
sums="$here/provider-aws.sha256"
pkg="@cdktn/provider-aws@$version"
tarball="cdktn-provider-aws-$version.tgz"
manifest="provider-aws-$version.jsii"

expected() {
  awk -v f="$1" '$2 == f { print $1 }' "$sums"
}
for file in "$tarball" "$manifest"; do
  if [ -z "$(expected "$file")" ]; then
    echo "install-provider-schema: $sums has no checksum for $file; add it when changing the version" >&2
    exit 1
  fi
done
matches() { [ -s "$home/$1" ] && [ "$(sha256sum "$home/$1" | cut -d' ' -f1)" = "$(expected "$1")" ]; }

if matches "$manifest"; then
  exit 0
fi
mkdir -p "$home"
if ! matches "$tarball"; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-provider-schema: the AWS provider's schema comes from the npm package $pkg, and npm is not installed." >&2
    echo "       Install Node.js + npm (Debian: apt-get install nodejs npm), or put $tarball into $home." >&2
    exit 1
  fi
  echo "install-provider-schema: npm pack $pkg (46 MB, into $home, once)" >&2
  tmp=$(mktemp -d "$home/pack.XXXXXX")
  if ! (cd "$tmp" && npm pack --silent "$pkg" >/dev/null); then
    rm -rf "$tmp"
    echo "install-provider-schema: 'npm pack $pkg' failed; check npm's access to its registry, then build again." >&2
    exit 1
  fi
  mv "$tmp/$tarball" "$home/$tarball"
  rm -rf "$tmp"
  if ! matches "$tarball"; then
    echo "install-provider-schema: $home/$tarball does not match $sums: the package changed upstream; do not use it." >&2
    exit 1
  fi
fi
# only the manifest (153 MB of JSON); the package's JavaScript is never unpacked
tar -xzOf "$home/$tarball" package/.jsii >"$home/$manifest.part"
mv "$home/$manifest.part" "$home/$manifest"
if ! matches "$manifest"; then
  rm -f "$home/$manifest"
  echo "install-provider-schema: package/.jsii in $home/$tarball does not match $sums; delete the tarball and build again." >&2
  exit 1
fi
echo "install-provider-schema: $manifest verified (sha256) -> $home" >&2
