#!/usr/bin/env python3
"""Lists the name errors of the release CLI on hand-annotated articles (CONVENTIONS.md format), for
error analysis: each missed gold name (FN), each wrong prediction (FP) and each right span with the
wrong label, with a little context. Reads the articles given on the command line (e.g. ../shared's
news-dev); prints counts per error class at the end.

usage: python3 bench/name_errors.py ARTICLE.json|DOCS.jsonl [...] [--labels PER,ORG,LOC,MISC] [--cli PATH]
(a .jsonl file holds one {"id","text","entities"} per line, as `ner_bar.py --dump-gold` writes CoNLL dev)
"""
import json, subprocess, sys
from collections import Counter

args = sys.argv[1:]
labels = {"PER", "ORG", "LOC", "MISC"}
if "--labels" in args:
    i = args.index("--labels")
    labels = set(args[i + 1].split(","))
    del args[i:i + 2]
cli = "target/release/pressmark"
if "--cli" in args:
    i = args.index("--cli")
    cli = args[i + 1]
    del args[i:i + 2]
docs = []
for p in args:
    if p.endswith(".jsonl"):
        docs.extend(json.loads(line) for line in open(p) if line.strip())
    else:
        docs.append(json.load(open(p)))
inp = "".join(json.dumps({"id": i, "text": d["text"]}) + "\n" for i, d in enumerate(docs))
out = subprocess.run([cli, "annotate", "--jsonl"], input=inp, capture_output=True,
                     text=True, check=True).stdout.splitlines()
classes = Counter()
for d, line in zip(docs, out):
    pred = {(e["start"], e["end"]): e["label"] for e in json.loads(line)["entities"] if e["label"] in labels}
    gold = {(e["start"], e["end"]): e["label"] for e in d["entities"] if e["label"] in labels}
    text = d["text"]
    def ctx(s, e):
        return (text[max(0, s - 30):s] + "[" + text[s:e] + "]" + text[e:e + 30]).replace("\n", " ")
    print(f"== {d.get('id', '?')}")
    for span in sorted(set(gold) | set(pred)):
        g, p = gold.get(span), pred.get(span)
        if g == p:
            continue
        if g and p:
            kind = f"LABEL {g}->{p}"
        elif g:
            over = [q for q in pred if q[0] < span[1] and span[0] < q[1]]
            kind = f"FN {g}" + (" (overlap)" if over else "")
        else:
            over = [q for q in gold if q[0] < span[1] and span[0] < q[1]]
            kind = f"FP {p}" + (" (overlap)" if over else "")
        classes[kind] += 1
        print(f"  {kind:18} {ctx(*span)}")
print("\n== counts")
for k, v in classes.most_common():
    print(f"  {v:4} {k}")
