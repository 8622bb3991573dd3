#!/usr/bin/env bash
# Puts centernet.json + centernet.bin (from the npm package @vladmandic/human@3.3.6) into the folder given as $1,
# after checking them against detector/model.sha256. The package tarball is cached in
# ${CATWRANGLER_CACHE:-~/.cache/catwrangler} and never downloaded again while it is there.
set -euo pipefail
out=${1:?usage: fetch-model.sh OUTPUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
pkg="@vladmandic/human@3.3.6"
tarball=vladmandic-human-3.3.6.tgz
cache=${CATWRANGLER_CACHE:-$HOME/.cache/catwrangler}

verify() { (cd "$1" && sha256sum --quiet -c "$here/model.sha256"); }

if [ -f "$out/centernet.json" ] && [ -f "$out/centernet.bin" ] && verify "$out" >/dev/null 2>&1; then
  exit 0
fi
mkdir -p "$cache" "$out"
if [ ! -s "$cache/$tarball" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "ERROR: the detector model comes from the npm package $pkg, and npm is not installed." >&2
    echo "       Install Node.js + npm (e.g. apt-get install nodejs npm), or put $tarball into $cache, then build again." >&2
    exit 1
  fi
  echo "fetching model: npm pack $pkg (into $cache, once)"
  tmp=$(mktemp -d "$cache/pack.XXXXXX")
  if ! (cd "$tmp" && npm pack --silent "$pkg" >/dev/null); then
    rm -rf "$tmp"
    echo "ERROR: 'npm pack $pkg' failed; check npm's access to its registry, then build again." >&2
    exit 1
  fi
  mv "$tmp/$tarball" "$cache/$tarball"
  rm -rf "$tmp"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$cache/$tarball" -C "$tmp" package/models/centernet.json package/models/centernet.bin
if ! verify "$tmp/package/models"; then
  echo "ERROR: the CenterNet model files in $cache/$tarball do not match detector/model.sha256." >&2
  echo "       Delete $cache/$tarball and build again; if it still fails, the package changed upstream: do not use it." >&2
  exit 1
fi
cp "$tmp/package/models/centernet.json" "$tmp/package/models/centernet.bin" "$out/"
echo "model: centernet.json + centernet.bin verified (sha256) -> $out"
