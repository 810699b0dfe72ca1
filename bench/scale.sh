#!/usr/bin/env bash
# The archive-scale figures of the README's "At scale" section (issue 14): the CLI's speed-up on
# all cores, Python annotate_many (dicts) and annotate_arrow (Arrow columns) against the CLI, the
# Spark job per core with where its CPU per MB goes (four jobs: 10 and 30 MB, writing Parquet and
# writing nothing), and time and peak memory for 100 MB of JSON Lines. Builds what it measures
# first. ~15-20 min on 2 cores.
#   bash bench/scale.sh           (npm run bench:scale)
#   SPARK=0 / VALGRIND=0          without the Spark job / the instruction counts (valgrind)
#   REPEATS=5, CLI_REPEATS=11     more runs per figure (best of them is printed)
#   SPARK_ROUNDS=2                the four Spark jobs twice, alternated (each one's least-CPU run counts)
#   SPARK_MB=60                   the larger Spark job's size (30 MB; the smaller one has 10)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --spark
cargo build --quiet --release --bin pressmark
npm run --silent wheel >/dev/null
wheel=$(ls -t target/wheels/pressmark-*-abi3-*.whl | head -n 1)
target/py/bin/pip install --quiet --disable-pip-version-check --no-index --no-deps --force-reinstall "$wheel"
python3 bench/scale.py
