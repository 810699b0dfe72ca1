#!/usr/bin/env bash
# Checks that a change leaves pressmark's output byte-identical (for speed work that must not
# change a single prediction). Runs the release CLI over the PolNeAR dev and train texts, the
# CoNLL-2003 dev texts, the seed article, our gold articles and the fuzz seed corpus.
#   bash bench/same_output.sh save    # before the change: write the reference outputs
#   bash bench/same_output.sh check   # after: compare, print the first differing lines, exit 1 if any
# Outputs go to target/same-output/ (not committed). Needs ../shared beside the project root.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${PRESSMARK_SHARED:-$(pwd)/../shared}"
mode="${1:-check}"
[ -d "$SHARED/data" ] || { echo "same_output: $SHARED/data is missing" >&2; exit 2; }
cargo build --release --bin pressmark 2>&1 | grep -v -E '^\s*(Compiling|Finished)' >&2 || true
dir=target/same-output
mkdir -p "$dir/in" "$dir/ref" "$dir/new"
# inputs, as JSON Lines {"id","text"}
python3 - "$SHARED" "$dir/in" <<'PY'
import json, os, sys, glob
shared, out = sys.argv[1], sys.argv[2]
def write(name, items):
    with open(os.path.join(out, name + ".jsonl"), "w") as f:
        for i, t in items:
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
for split in ("dev", "train"):
    with open(f"{shared}/data/polnear/{split}.jsonl") as f:
        write("polnear-" + split, [(f"{split}{n}", json.loads(l)["text"]) for n, l in enumerate(f)])
docs, doc, line = [], [], []
for l in open(f"{shared}/data/conll2003/dev.txt"):
    tok = l.split()[0] if l.split() else ""
    if tok == "-DOCSTART-":
        if doc: docs.append("\n".join(doc)); doc = []
    elif not tok:
        if line: doc.append(" ".join(line)); line = []
    else:
        line.append(tok)
if line: doc.append(" ".join(line))
if doc: docs.append("\n".join(doc))
write("conll-dev", list(enumerate(docs)))
files = [f"{shared}/examples/seed-article.txt"] + sorted(glob.glob("tests/golden/*.txt"))
write("articles", [(os.path.basename(p), open(p, encoding="utf-8").read()) for p in files])
seeds = []
for p in sorted(glob.glob("fuzz/seeds/*")):
    b = open(p, "rb").read()
    try:
        seeds.append((os.path.basename(p), b.decode("utf-8")))
    except UnicodeDecodeError:
        pass
write("fuzz-seeds", seeds)
PY
target_dir="$dir/new"
[ "$mode" = save ] && target_dir="$dir/ref"
for f in "$dir"/in/*.jsonl; do
  name=$(basename "$f")
  target/release/pressmark annotate --jsonl < "$f" > "$target_dir/$name" || true
done
if [ "$mode" = save ]; then
  echo "same_output: reference saved in $dir/ref ($(cat "$dir"/ref/*.jsonl | wc -l) lines)"
  exit 0
fi
status=0
for f in "$dir"/ref/*.jsonl; do
  name=$(basename "$f")
  if cmp -s "$f" "$dir/new/$name"; then
    echo "same     $name"
  else
    echo "DIFFERS  $name ($(diff <(cat "$f") <(cat "$dir/new/$name") | grep -c '^<') lines)"
    diff "$f" "$dir/new/$name" | head -c 1500; echo
    status=1
  fi
done
exit $status
