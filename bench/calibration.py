#!/usr/bin/env python3
"""Reliability of the names' confidences: bins of confidence against precision, and the expected
calibration error (ECE), for PER/ORG/LOC/MISC on CoNLL-2003 dev and on news-dev.

An entity counts as correct when its span and label are exactly a gold entity's. ECE is the
mean over entities of |precision of its bin - mean confidence of its bin|, ten bins of 0.1.
The conventions rules read the confidences as thresholds (0.4, 0.7, 0.9), so they have to mean
what they say.

    python3 bench/calibration.py SHARED -- target/release/pressmark annotate --jsonl

With `--split MODEL_CLI` (the model alone: `target/release/pressmark-ner`, built with
`cargo build --release --features train --bin pressmark-ner`), each table is followed by the ECE
of two groups: the names as the model gave them (same span and label in the model's own output),
and the names the rules after the model made or relabelled (they keep a confidence from the model),
and what the ECE would be if those had a confidence of at least 0.9.
"""
import glob
import json
import subprocess
import sys

NAMES = {"PER", "ORG", "LOC", "MISC"}


def conll_docs(shared):
    """CoNLL-2003 dev as texts (tokens joined by spaces, sentences by newlines, as the shared
    scorer's --dump-gold writes them) with gold spans in code points."""
    docs, toks = [], []

    def flush():
        if not toks:
            return
        text, spans, start, cur = "", [], None, None
        for sent in toks:
            if text:
                text += "\n"
            line_start = len(text)
            for n, (word, tag) in enumerate(sent):
                if n:
                    text += " "
                a = len(text)
                text += word
                ty = tag[2:] if tag != "O" else None
                begins = ty is not None and (tag.startswith("B-") or ty != cur or start is None)
                if cur is not None and (ty != cur or begins):
                    spans.append((start, prev_end, cur))
                    start, cur = None, None
                if begins:
                    start, cur = a, ty
                prev_end = len(text)
            if cur is not None:
                spans.append((start, prev_end, cur))
                start, cur = None, None
            assert line_start <= len(text)
        docs.append((f"conll{len(docs)}", text, set(spans)))
        toks.clear()

    sent = []
    with open(f"{shared}/data/conll2003/dev.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                if sent:
                    toks.append(sent)
                    sent = []
                continue
            if parts[0] == "-DOCSTART-":
                flush()
                continue
            sent.append((parts[0], parts[-1]))
    if sent:
        toks.append(sent)
    flush()
    return docs


def news_docs(shared):
    docs = []
    for path in sorted(glob.glob(f"{shared}/data/news-dev/[0-9]*.json")):
        d = json.load(open(path, encoding="utf-8"))
        gold = {(e["start"], e["end"], e["label"]) for e in d["entities"] if e["label"] in NAMES}
        docs.append((d["id"], d["text"], gold))
    return docs


def own_docs():
    """Our own invented gold articles (tests/names-gold and tests/golden): text written for this
    repository, so the rules' confidence can be checked on news prose that is not news-dev."""
    root = __file__.rsplit("/", 2)[0]
    docs = []
    for path in sorted(glob.glob(f"{root}/tests/names-gold/*.json") + glob.glob(f"{root}/tests/golden/*.json")):
        d = json.load(open(path, encoding="utf-8"))
        gold = {(e["start"], e["end"], e["label"]) for e in d["entities"] if e["label"] in NAMES}
        docs.append((path, d["text"], gold))
    return docs


def predict(cmd, docs):
    lines = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t, _ in docs)
    out = subprocess.run(cmd, input=lines, capture_output=True, text=True, check=True).stdout
    pred = {}
    for line in out.splitlines():
        r = json.loads(line)
        pred[r["id"]] = [e for e in r["entities"] if e["label"] in NAMES]
    return pred


def bins_of(pairs):
    bins = [[] for _ in range(10)]
    for c, ok in pairs:
        bins[min(int(c * 10), 9)].append((c, ok))
    return bins


def ece_of(pairs):
    ece = 0.0
    for b in bins_of(pairs):
        if b:
            ece += len(b) / len(pairs) * abs(sum(ok for _, ok in b) / len(b) - sum(c for c, _ in b) / len(b))
    return ece


def table(name, docs, pred, model_pred=None):
    pairs, own, changed = [], [], []
    for i, _, gold in docs:
        from_model = {(e["start"], e["end"], e["label"]) for e in model_pred[i]} if model_pred else set()
        for e in pred[i]:
            key = (e["start"], e["end"], e["label"])
            pair = (e["confidence"], key in gold)
            pairs.append(pair)
            (own if key in from_model else changed).append(pair)
    print(f"== {name}: {len(pairs)} predicted names")
    print("confidence      n   mean conf   precision     gap")
    for k, b in enumerate(bins_of(pairs)):
        if not b:
            continue
        conf = sum(c for c, _ in b) / len(b)
        prec = sum(ok for _, ok in b) / len(b)
        print(f"{k / 10:.1f}-{(k + 1) / 10:.1f}  {len(b):6d}   {conf:9.3f}   {prec:9.3f}  {prec - conf:+6.3f}")
    ece = ece_of(pairs)
    print(f"ECE {ece:.3f}  ({name})")
    if model_pred is not None:
        for what, group in (("as the model gave them", own), ("made or relabelled by the rules", changed)):
            if group:
                right = sum(ok for _, ok in group)
                mean = sum(c for c, _ in group) / len(group)
                print(
                    f"  names {what}: {len(group)}, mean confidence {mean:.3f}, precision"
                    f" {right / len(group):.3f}, ECE {ece_of(group):.3f}"
                )
        # what the whole table's ECE would be if the rules' names were reported as sure (0.9, the
        # conventions' SURE threshold) instead of keeping the model's confidence
        floored = own + [(max(c, 0.9), ok) for c, ok in changed]
        print(f"  ECE if the rules' names had a confidence of at least 0.9: {ece_of(floored):.3f}")
    return ece


def main():
    if "--" not in sys.argv:
        sys.exit("usage: calibration.py SHARED [--split MODEL_CLI] -- CLI...")
    sep = sys.argv.index("--")
    shared, cmd = sys.argv[1], sys.argv[sep + 1 :]
    opts = sys.argv[2:sep]
    model_cmd = None
    if opts[:1] == ["--split"] and len(opts) == 2:
        model_cmd = [opts[1], "annotate", "--jsonl"]
    elif opts:
        sys.exit("usage: calibration.py SHARED [--split MODEL_CLI] -- CLI...")
    sets = [("CoNLL-2003 dev", conll_docs(shared)), ("news-dev", news_docs(shared))]
    if model_cmd:
        sets.append(("our own gold (tests/names-gold, tests/golden)", own_docs()))
    for name, docs in sets:
        table(name, docs, predict(cmd, docs), predict(model_cmd, docs) if model_cmd else None)


if __name__ == "__main__":
    main()
