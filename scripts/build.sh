#!/usr/bin/env bash
# Builds the wasm module into the npm package (bindings/js/lib/), copies the package's browser files
# to www/pkg/ (the page runs on the package: one build, one worker), and builds the native CLI into
# target/release/pressmark.
#   WASM_OPT=0 scripts/build.sh   skips wasm-opt (a size step only, 7-9 s) in a dev loop
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH"
CRATE=pressmark   # the lib name, '-' turned into '_'
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')

# 1. The wasm: `cargo rustc --crate-type cdylib`, not `cargo build`, which silently drops LTO for a
#    cdylib+rlib crate (rust-lang/cargo#9672). [profile.wasm] = release with opt-level 3, and wasm
#    SIMD on (every current browser has it): measured on 1 MB of news text in Node, opt-level "z"
#    ran at 1.5 MB/s (833 kB gzipped), "s" 2.2, 3 2.6, 3 + simd128 3.3, and wasm-opt -O3 3.8
#    (883 kB gzipped: within the 1 MB page budget).
cargo rustc --quiet --profile wasm --target wasm32-unknown-unknown --lib --crate-type cdylib -- -C target-feature=+simd128
PKG=bindings/js/lib   # the package's runtime files; the glue and the wasm are generated here
# --target web: an ES module that finds its wasm through new URL(…, import.meta.url) and also runs
# in Node (which the package feeds the bytes through initSync).
wasm-bindgen --target web --no-typescript --out-dir "$PKG" \
  "$TARGET_DIR/wasm32-unknown-unknown/wasm/$CRATE.wasm"
if [ "${WASM_OPT:-1}" != 0 ]; then
  # npm binaryen 132, never Debian bookworm's 108: its output fails at init (WebAssembly.Table.set).
  # Start-up: V8 compiles each function on its first call (baseline code, on the calling thread)
  # and re-compiles the hot ones optimised in the background, used from their next call on.
  # --no-inline: the names model's load loops stay functions of their own, called once per 1024
  # words, so V8 can switch to their optimised code between calls (WORDS_PER_CALL in
  # src/entity/model.rs); inlined into their one caller they ran as baseline code throughout.
  # -ocimfs 100: a function with one caller is inlined only when small. By default every one
  # was, which made document::run_with 174 kB: compiled whole on the first call (even for the
  # warm-up's empty text) and ~1 s of optimising CPU once hot. With the limit the wasm is 5 kB
  # smaller gzipped and the first call faster (bench/model_load.mjs), at the same MB/s.
  node_modules/.bin/wasm-opt --no-inline='*add_brown_words*' --no-inline='*add_list_phrases*' \
    -O3 -ocimfs 100 --enable-simd \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$PKG/${CRATE}_bg.wasm" -o "$PKG/${CRATE}_bg.wasm"
fi
# The page loads the package's browser entry from www/pkg/: the same files a bundler would copy.
rm -rf www/pkg
mkdir -p www/pkg
cp "$PKG"/{browser.js,client.js,core.js,options.js,"$CRATE.js","${CRATE}_bg.wasm"} www/pkg/
# The worker as one file (the package's worker.js with core.js, options.js and the glue bundled
# in, unminified): a module worker has no <link rel="modulepreload">, and its imports were one
# more round trip before the names model could load (~60 ms at load 7, bench/startup.mjs). It
# sits beside the wasm, so the glue's new URL('pressmark_bg.wasm', import.meta.url) is unchanged.
# worker.js's bare imports of core.js's own imports (there for unbundled use, see worker.js) are
# already in the bundle, so esbuild's note that it drops them is silenced.
node_modules/.bin/esbuild "$PKG/worker.js" --bundle --format=esm --log-level=warning \
  --log-override:ignored-bare-import=silent --outfile=www/pkg/worker.js

# 2. The native CLI (release profile: optimised for speed).
cargo build --quiet --release --bin pressmark

raw=$(stat -c %s "$PKG/${CRATE}_bg.wasm")
gz=$(gzip -9c "$PKG/${CRATE}_bg.wasm" | wc -c)
printf 'build: %s/%s_bg.wasm %s bytes (%s gzipped), copied to www/pkg/; CLI %s/release/pressmark\n' \
  "$PKG" "$CRATE" "$raw" "$gz" "$TARGET_DIR"
