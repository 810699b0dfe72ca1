#!/usr/bin/env bash
# Scores a names model file in the full pipeline without installing it: the model is copied into
# src/entity/names.model for one release build of the CLI, the names tables of CoNLL-2003 dev,
# news-dev and our own gold articles are printed, and the committed model is put back.
#   bash bench/try_model.sh target/ner_eval/seed1.model
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${PRESSMARK_SHARED:-$(pwd)/../shared}"
model="$1"
backup=$(mktemp)
cp src/entity/names.model "$backup"
trap 'cp "$backup" src/entity/names.model; rm -f "$backup"; nice cargo build --quiet --release --bin pressmark' EXIT
cp "$model" src/entity/names.model
nice cargo build --quiet --release --bin pressmark
CLI=(target/release/pressmark annotate --jsonl)
echo "== $model: $(gzip -9c "$model" | wc -c) B gzipped"
python3 "$SHARED/scorers/ner_bar.py" "$SHARED/data/conll2003/dev.txt" --types PER,ORG,LOC,MISC -- "${CLI[@]}" 2>&1 \
  | grep -E '^(overall)' || true
python3 "$SHARED/scorers/article_bar.py" "$SHARED"/data/news-dev/[0-9]*.json -- "${CLI[@]}" | grep -E '^(LOC|MISC|ORG|PER|NAMES)'
echo "names-gold and golden:"
python3 "$SHARED/scorers/article_bar.py" tests/names-gold/*.json -- "${CLI[@]}" | grep -E '^NAMES'
python3 "$SHARED/scorers/article_bar.py" "$SHARED/examples/seed-article.json" tests/golden/*.json -- "${CLI[@]}" | grep -E '^NAMES'
