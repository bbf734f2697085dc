#!/usr/bin/env bash
# Copies rrweb's replayer (the UMD build of the npm package `rrweb`) into the renderer's resources, so that
# `./mvnw verify` needs no node at build time. Run it again to move to another rrweb version:
#   renderer/scripts/vendor-rrweb.sh 2.2.2
set -euo pipefail
version="${1:-2.2.2}"
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../src/main/resources/replayer"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts "rrweb@$version" >/dev/null)
cp "$work/node_modules/rrweb/dist/rrweb.umd.min.cjs" "$target/rrweb.min.js"
cp "$work/node_modules/rrweb/dist/style.min.css" "$target/rrweb.min.css"
cp "$work/node_modules/rrweb/LICENSE" "$target/rrweb.LICENSE" 2>/dev/null || true
echo "rrweb@$version" > "$target/rrweb.VERSION"
echo "vendored rrweb@$version into $target"
