#!/usr/bin/env bash
# Packs the npm package (bindings/js/, built by scripts/build.sh) into dist/pressmark-<version>.tgz
# with `npm pack`, and prints the tarball's size (it is gzipped) and its file list.
set -euo pipefail
cd "$(dirname "$0")/.."
for f in bindings/js/lib/pressmark.js bindings/js/lib/pressmark_bg.wasm; do
  [ -f "$f" ] || { echo "pack: $f is missing: run scripts/build.sh first" >&2; exit 1; }
done
mkdir -p dist
name=$(npm pack ./bindings/js --pack-destination dist --silent | tail -n 1)
tgz="dist/$name"
printf 'pack: %s %s bytes (gzipped); %s files\n' "$tgz" "$(stat -c %s "$tgz")" "$(tar -tzf "$tgz" | wc -l)"
