#!/usr/bin/env python3
"""Summarises what changed between two runs of bench/same_output.sh (target/same-output/ref, saved
before a change, and target/same-output/new, written by `check` after it): per input file, how many
documents changed, and what changed in them, counted by kind:

  entities      spans or labels added/removed (the names stage; a linker change leaves it alone)
  clusters      entities whose cluster changed (two mentions linked that were not, or unlinked),
                and index names that changed ("Haftar" -> "Khalifa Haftar")
  quotes        quote spans added/removed, direct and reported separately
  speakers      on the same quote span: speaker mention, speaker_name, cue changed; speaker_name
                gained (null -> name) or lost (name -> null)

  python3 bench/output_diff.py [--show N]    # N examples of speaker_name changes per file
"""
import json
import os
import sys
from collections import Counter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "same-output")


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            out[json.dumps(o.get("id"))] = o
    return out


def partition(doc):
    """The clusters as sets of entity spans."""
    groups = {}
    for e in doc.get("entities", []):
        groups.setdefault(e["entity_id"], []).append((e["start"], e["end"]))
    return {frozenset(g) for g in groups.values()}


def main(argv):
    show = int(argv[argv.index("--show") + 1]) if "--show" in argv else 0
    for name in sorted(os.listdir(os.path.join(ROOT, "ref"))):
        ref, new = load(os.path.join(ROOT, "ref", name)), load(os.path.join(ROOT, "new", name))
        c, examples = Counter(), []
        for key, r in ref.items():
            n = new.get(key, {})
            if r == n:
                continue
            c["documents changed"] += 1
            ents = lambda d: {(e["start"], e["end"], e["label"]) for e in d.get("entities", [])}
            c["entities added"] += len(ents(n) - ents(r))
            c["entities removed"] += len(ents(r) - ents(n))
            pr, pn = partition(r), partition(n)
            c["clusters split or merged"] += len(pn - pr)
            names = lambda d: Counter(x["name"] for x in d.get("entities_index", []))
            c["index names changed"] += sum((names(n) - names(r)).values())
            for direct in (True, False):
                kind = "direct" if direct else "reported"
                qs = lambda d: {(q["start"], q["end"]): q for q in d.get("quotes", []) if q["direct"] == direct}
                qr, qn = qs(r), qs(n)
                c[f"{kind} quotes added"] += len(qn.keys() - qr.keys())
                c[f"{kind} quotes removed"] += len(qr.keys() - qn.keys())
                for span in qr.keys() & qn.keys():
                    a, b = qr[span], qn[span]
                    text = lambda s: s and s["text"]
                    if text(a["speaker"]) != text(b["speaker"]):
                        c[f"{kind}: speaker mention changed"] += 1
                    if a["speaker_name"] != b["speaker_name"]:
                        if a["speaker_name"] is None:
                            c[f"{kind}: speaker_name gained"] += 1
                        elif b["speaker_name"] is None:
                            c[f"{kind}: speaker_name lost"] += 1
                        else:
                            c[f"{kind}: speaker_name changed"] += 1
                        if direct and len(examples) < show:
                            examples.append((text(a["speaker"]), a["speaker_name"], text(b["speaker"]), b["speaker_name"]))
                    if text(a["cue"]) != text(b["cue"]):
                        c[f"{kind}: cue changed"] += 1
        print(f"== {name}: {len(ref)} documents")
        for k, v in sorted(c.items()):
            if v:
                print(f"  {k:38} {v}")
        for ex in examples:
            print("    %r / %r  ->  %r / %r" % ex)


if __name__ == "__main__":
    main(sys.argv[1:])
