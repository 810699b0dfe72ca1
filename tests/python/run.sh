#!/usr/bin/env bash
# The Python tests, on the wheel that `npm run wheel` left in target/wheels/:
#   1. the API (test_api.py) in a fresh virtual environment, the wheel installed with pip;
#   2. annotate_arrow (test_arrow.py) and the Spark job (test_spark.py) in target/py (scripts/setup.sh --spark), the same wheel in it.
# Both compare with the release CLI (npm run build) on ../shared data, and fail when either is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
wheel=$(ls -t target/wheels/pressmark-*-abi3-*.whl 2>/dev/null | head -n 1)
[ -n "$wheel" ] || { echo "tests/python: no wheel in target/wheels (npm run wheel)" >&2; exit 1; }
[ -x target/py/bin/python ] || { echo "tests/python: no target/py (bash scripts/setup.sh --spark)" >&2; exit 1; }

fresh=target/py-fresh
rm -rf "$fresh"
python3 -m venv "$fresh"
"$fresh/bin/pip" install --quiet --disable-pip-version-check --no-index --no-deps "$wheel"
(cd tests/python && "../../$fresh/bin/python" -m unittest -v test_api)

target/py/bin/pip install --quiet --disable-pip-version-check --no-index --no-deps --force-reinstall "$wheel"
(cd tests/python && PYSPARK_PYTHON="$PWD/../../target/py/bin/python" ../../target/py/bin/python -W ignore::FutureWarning -m unittest -v test_arrow test_spark)
