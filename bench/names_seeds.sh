#!/usr/bin/env bash
# The names model's accuracy over several training seeds, through the whole pipeline: for each
# seed, train a model with the given trainer options, build the CLI with it, and score CoNLL-2003
# dev (ner_bar.py) and news-dev (article_bar.py); then the mean and spread of each. One seed's
# news-dev F1 moves by about a point, far more than issue 15's 0.3 guard, so a change to the
# model's recipe is judged on the mean of its seeds against the mean of the shipped recipe's.
#
#   bash bench/names_seeds.sh                      # the shipped recipe (--epochs 10), seeds 1-3
#   SEEDS="1 2 3 4 5" bash bench/names_seeds.sh -- --epochs 10 --prune 0.8   # a variant: all its trainer options after --
#
# The shipped src/entity/names.model is put back when the script ends (however it ends); the CLIs
# are built in target/names-seeds/ so target/release is left alone. ~1.5 min per seed on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${PRESSMARK_SHARED:-$(pwd)/../shared}"
if [ ! -d "$SHARED/data/conll2003" ] || [ ! -d "$SHARED/data/news-dev" ]; then
  echo "names_seeds: $SHARED/data is missing; this needs ../shared beside the project root" >&2
  exit 2
fi
SEEDS="${SEEDS:-1 2 3}"
[ "${1:-}" = "--" ] && shift
# the shipped recipe's options (bench/ner_eval.sh) unless others are given
[ $# -gt 0 ] || set -- --epochs 10
OUT=target/names-seeds
mkdir -p "$OUT"
cp src/entity/names.model "$OUT/shipped.model"
trap 'cp "$OUT/shipped.model" src/entity/names.model' EXIT

cargo build --quiet --release --features train --bin train
for seed in $SEEDS; do
  ./target/release/train --seed "$seed" "$@" --out "$OUT/seed$seed.model" > "$OUT/train-seed$seed.log" 2>&1
  if cmp -s "$OUT/seed$seed.model" "$OUT/shipped.model"; then echo "seed $seed: the shipped model, byte for byte"; fi
  cp "$OUT/seed$seed.model" src/entity/names.model
  CARGO_TARGET_DIR="$OUT/build" cargo build --quiet --release --bin pressmark
  cli=("$OUT/build/release/pressmark" annotate --jsonl)
  conll=$(python3 "$SHARED/scorers/ner_bar.py" "$SHARED/data/conll2003/dev.txt" --types PER,ORG,LOC,MISC -- "${cli[@]}" 2>&1 \
    | awk '/^overall/ {print $5}')
  news=$(python3 "$SHARED/scorers/article_bar.py" "$SHARED"/data/news-dev/[0-9]*.json -- "${cli[@]}" 2>&1 \
    | awk '/^NAMES/ {print $4}')
  echo "seed $seed: CoNLL dev F1 $conll, news-dev names F1 $news" | tee -a "$OUT/results.txt"
  echo "$seed $conll $news" >> "$OUT/scores.$$"
done
python3 - "$OUT/scores.$$" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for name, col in (("CoNLL dev", 1), ("news-dev", 2)):
    xs = [float(r[col]) for r in rows]
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    print(f"{name}: mean {statistics.mean(xs):.2f}, sd {sd:.2f}, min {min(xs):.2f}, max {max(xs):.2f} over {len(xs)} seeds")
EOF
rm -f "$OUT/scores.$$"
