#!/usr/bin/env bash
# The accuracy figures in the README, from the shared scorers run on the release CLI:
#   names: CoNLL-2003 dev (ner_bar.py), real news (news-dev), the seed article and our own gold
#   articles (article_bar.py); quotes and speakers: PolNeAR dev (quote_bar.py) and the same articles.
#   Then the reliability of the names' confidences (bench/calibration.py: bins vs precision, ECE).
# Usage: bash bench/eval.sh          (builds the release CLI first; reads ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${PRESSMARK_SHARED:-$(pwd)/../shared}"
if [ ! -d "$SHARED/scorers" ]; then
  echo "eval: $SHARED/scorers is missing; the evaluation needs ../shared beside the project root" >&2
  exit 2
fi
cargo build --release --bin pressmark 2>&1 | grep -v -E '^\s*(Compiling|Finished)' >&2 || true
CLI=(target/release/pressmark annotate --jsonl)

echo "== names: CoNLL-2003 dev (PER/ORG/LOC/MISC, exact spans on pressmark's own tokens)"
python3 "$SHARED/scorers/ner_bar.py" "$SHARED/data/conll2003/dev.txt" --types PER,ORG,LOC,MISC -- "${CLI[@]}" 2>&1 \
  | grep -E '^(type|LOC|MISC|ORG|PER|overall|unlabeled|throughput)' || true
echo
echo "== quotes: PolNeAR dev"
python3 "$SHARED/scorers/quote_bar.py" "$SHARED/data/polnear/dev.jsonl" -- "${CLI[@]}" 2>&1 | tail -n 20
echo
echo "== real news: ../shared/data/news-dev (20 articles, names and quotes with speakers)"
python3 "$SHARED/scorers/article_bar.py" "$SHARED"/data/news-dev/[0-9]*.json -- "${CLI[@]}"
echo
echo "== the seed article (../shared/examples/seed-article.json)"
python3 "$SHARED/scorers/article_bar.py" "$SHARED/examples/seed-article.json" -- "${CLI[@]}"
echo
echo "== invented news articles for the names model (tests/names-gold/*.json; names only)"
python3 "$SHARED/scorers/article_bar.py" tests/names-gold/*.json -- "${CLI[@]}" | grep -E '^(label|LOC|MISC|ORG|PER|NAMES)'
if compgen -G "tests/golden/*.json" > /dev/null; then
  echo
  echo "== our own gold articles (tests/golden/*.json, invented)"
  python3 "$SHARED/scorers/article_bar.py" tests/golden/*.json -- "${CLI[@]}"
fi
echo
echo "== confidence of the names: reliability (bins vs precision) and expected calibration error"
python3 bench/calibration.py "$SHARED" -- "${CLI[@]}"
