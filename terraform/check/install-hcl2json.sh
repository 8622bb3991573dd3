#!/usr/bin/env bash
# Installs HashiCorp's HCL parser compiled to WebAssembly (npm package @cdktf/hcl2json) into a cache folder for
# the Terraform checks. Does nothing when that version is there already. Needs npm only when it has to install.
# Usage: install-hcl2json.sh CACHE_DIR VERSION
set -euo pipefail
home=${1:?cache folder}
version=${2:?version}
package="@cdktf/hcl2json"
manifest="$home/node_modules/$package/package.json"

installed() {
  [ -f "$manifest" ] && node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' "$manifest" "$version"
}

if ! command -v node >/dev/null 2>&1; then
  echo "install-hcl2json: node is needed to run the Terraform checks (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if installed; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-hcl2json: npm is needed to install $package@$version (Debian: apt-get install npm)" >&2
  exit 1
fi
mkdir -p "$home"
echo "install-hcl2json: installing $package@$version into $home" >&2
npm install --prefix "$home" --no-audit --no-fund --no-save --loglevel=error "$package@$version" >&2
installed
