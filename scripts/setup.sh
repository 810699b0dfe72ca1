#!/usr/bin/env bash
# Idempotent toolchain setup for `npm start`, `npm run build`, `npm test` and .ci/run.
# Installs only what is missing and prints nothing when everything is present.
#   scripts/setup.sh            wasm target, wasm-bindgen CLI, npm devDependencies
#   scripts/setup.sh --browser  the same, plus Debian's chromium for the browser tests
#   scripts/setup.sh --python   the same, plus target/py, a virtual environment with maturin (the wheel)
#   scripts/setup.sh --spark    --python, plus a Java runtime (Debian's default-jre-headless) and
#                               pyspark with its dependencies in target/py (the Spark job's tests)
# Python tools are pinned with their hashes in bindings/python/requirements-build.txt and
# examples/spark/requirements.txt; each list is installed again only when it changed.
# Recipe and measurements: TOOLCHAIN.md (shared notes).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH"

want_browser=0
want_python=0
want_spark=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --python) want_python=1 ;;
    --spark) want_python=1; want_spark=1 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

# 1. Rust's wasm target (not on a fresh machine; ~2 s the first time).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI at exactly the wasm-bindgen version in Cargo.lock (the glue must match the crate).
WB_VER=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VER" ]; then
  echo "setup: no wasm-bindgen in Cargo.lock (run cargo generate-lockfile)" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WB_VER" ]; then
  echo "setup: installing wasm-bindgen-cli $WB_VER (2-3 min on 2 cores)"
  # --locked fails when the registry lacks one of the CLI's locked dependencies: then resolve afresh.
  # CARGO_TARGET_DIR is unset so the 0.5 GB build tree does not land in the project's target dir.
  env -u CARGO_TARGET_DIR cargo install --quiet wasm-bindgen-cli --version "=$WB_VER" --locked \
    || env -u CARGO_TARGET_DIR cargo install --quiet wasm-bindgen-cli --version "=$WB_VER"
fi

# 3. Headless Chromium for the browser tests: Debian's package (playwright cannot download its own here).
if [ "$want_browser" = 1 ] && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "setup: installing Debian's chromium (~40 s, 155 MB)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# 4. npm devDependencies: binaryen (wasm-opt 132; Debian's 108 breaks the module), playwright-core,
#    for the npm package's tests esbuild and typescript (tsc), for the page's tests axe-core.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ ! -x node_modules/.bin/esbuild ] || [ ! -x node_modules/.bin/tsc ] || [ ! -d node_modules/axe-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 5. The Python tooling's virtual environment (the system Python stays untouched).
PY_ENV=target/py
# Installs a hashed requirements list into $PY_ENV unless that exact list is already installed.
pip_install_pinned() {
  local list="$1" stamp="$PY_ENV/.installed-$(basename "$(dirname "$1")")-$(basename "$1")"
  if ! cmp -s "$list" "$stamp"; then
    echo "setup: pip install -r $list into $PY_ENV"
    "$PY_ENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r "$list"
    cp "$list" "$stamp"
  fi
}
if [ "$want_python" = 1 ]; then
  if [ ! -x "$PY_ENV/bin/python" ]; then
    echo "setup: creating the virtual environment $PY_ENV"
    python3 -m venv "$PY_ENV"
  fi
  pip_install_pinned bindings/python/requirements-build.txt
fi

# 6. Spark: a Java runtime (Spark 4 needs Java 17 or later; Debian 12's default is 17) and pyspark.
if [ "$want_spark" = 1 ]; then
  if ! java -version >/dev/null 2>&1; then
    echo "setup: installing Debian's default-jre-headless (~30 s)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
  fi
  # pyspark is a 456 MB source package: ~1-2 min the first time, then skipped.
  pip_install_pinned examples/spark/requirements.txt
fi
