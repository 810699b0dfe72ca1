#!/usr/bin/env bash
# Quote extraction and attribution, measured: builds the release CLI, then scores it with the
# shared scorers on PolNeAR dev (direct quotes, speakers, all speech attributions) and on the
# hand-annotated seed article, then breaks the PolNeAR dev direct-quote score down by quote form
# (bench/quote_forms.py) and scores each tests/golden article. Run from anywhere; paths are
# relative to the repository root.
#
#   bench/quote_eval.sh            dev + seed
#   bench/quote_eval.sh train      also the (larger) train split, to check generalisation
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="../shared"
if [[ ! -d "$shared" ]]; then
    echo "quote_eval: $shared is missing: the shared scorers and data must sit beside the repository" >&2
    exit 2
fi
for f in "$shared/scorers/quote_bar.py" "$shared/scorers/article_bar.py" "$shared/data/polnear/dev.jsonl" "$shared/examples/seed-article.json"; do
    if [[ ! -f "$f" ]]; then
        echo "quote_eval: $f is missing: the shared data must sit beside the repository (../shared)" >&2
        exit 2
    fi
done
cargo build --release --quiet
cli=(target/release/pressmark annotate --jsonl)
echo "== PolNeAR dev"
python3 "$shared/scorers/quote_bar.py" "$shared/data/polnear/dev.jsonl" -- "${cli[@]}"
if [[ "${1:-}" == "train" ]]; then
    echo "== PolNeAR train"
    python3 "$shared/scorers/quote_bar.py" "$shared/data/polnear/train.jsonl" -- "${cli[@]}"
fi
echo "== seed article"
python3 "$shared/scorers/article_bar.py" "$shared/examples/seed-article.json" -- "${cli[@]}"
echo
python3 bench/quote_forms.py "$shared/data/polnear/dev.jsonl" -- "${cli[@]}"
