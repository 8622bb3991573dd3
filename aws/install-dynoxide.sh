#!/usr/bin/env bash
# Installs Dynoxide, a DynamoDB-compatible server shipped as one static binary in the npm package
# @dynoxide/<os>-<cpu>, into a cache folder for the aws/ tests, and links it as CACHE_DIR/bin/dynoxide.
# Does nothing when that version is there already. Needs npm only when it has to install.
# Usage: install-dynoxide.sh CACHE_DIR VERSION
set -euo pipefail
home=${1:?cache folder}
version=${2:?version}
link="$home/bin/dynoxide"

if [ -x "$link" ] && [ "$("$link" --version 2>/dev/null)" = "dynoxide $version" ]; then
  exit 0
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "install-dynoxide: no Dynoxide package for $(uname -s); the aws/ DynamoDB tests need one" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) cpu=x64 ;;
  aarch64 | arm64) cpu=arm64 ;;
  *) echo "install-dynoxide: no Dynoxide package for $(uname -m); the aws/ DynamoDB tests need one" >&2; exit 1 ;;
esac
package="@dynoxide/$os-$cpu"

if ! command -v npm >/dev/null 2>&1; then
  echo "install-dynoxide: npm is needed to install $package@$version (Debian: apt-get install npm)" >&2
  exit 1
fi
mkdir -p "$home/bin"
echo "install-dynoxide: installing $package@$version into $home" >&2
npm install --prefix "$home" --no-audit --no-fund --no-save --loglevel=error "$package@$version" >&2
ln -sfn "$home/node_modules/$package/dynoxide" "$link"
"$link" --version >/dev/null
