#!/usr/bin/env bash
# Reproduces the names model: resources, training (3 seeds), scoring with the shared scorer, speed.
#
#   bash bench/ner_eval.sh            # rebuilds names.res, trains seeds 1-3, installs seed 1
#   SEEDS="1" bash bench/ner_eval.sh  # one seed
#
# Training reads ../shared/data/conll2003/{train,dev}.txt (or $PRESSMARK_SHARED); nothing of the
# corpus is written into the repository. Runs under `nice`; about 10 s per seed on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${PRESSMARK_SHARED:-$(pwd)/../shared}"
SEEDS="${SEEDS:-1 2 3}"
OUT="${OUT:-target/ner_eval}"
mkdir -p "$OUT"

if [ "${SKIP_RESOURCES:-0}" != 1 ]; then
  python3 scripts/build_resources.py
fi
nice -n 10 cargo build --release --features train --bin train
for s in $SEEDS; do
  nice -n 10 ./target/release/train --seed "$s" --epochs 10 --out "$OUT/seed$s.model" 2> "$OUT/train-seed$s.log" | tee "$OUT/seed$s.txt"
done
first=$(echo "$SEEDS" | awk '{print $1}')
cp "$OUT/seed$first.model" src/entity/names.model
nice -n 10 cargo build --release --features train --bin pressmark-ner
python3 "$SHARED/scorers/ner_bar.py" "$SHARED/data/conll2003/dev.txt" --types PER,ORG,LOC,MISC \
  --json "$OUT/dev.json" -- ./target/release/pressmark-ner annotate --jsonl
python3 "$SHARED/scorers/ner_bar.py" "$SHARED/data/conll2003/dev.txt" --dump-gold "$OUT/dev_docs.jsonl" > /dev/null
./target/release/pressmark-ner bench "$OUT/dev_docs.jsonl" 20
echo "sizes: names.model $(wc -c < src/entity/names.model) B raw, $(gzip -9 -c src/entity/names.model | wc -c) B gz;" \
  "names.res $(wc -c < src/entity/names.res) B raw, $(gzip -9 -c src/entity/names.res | wc -c) B gz"
