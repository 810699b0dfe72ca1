#!/usr/bin/env python3
"""Turns hand-marked articles into gold JSON for the shared scorers.

A marked article is plain text where each name is written `[[LABEL|words]]`; the output JSON
(`NAME.json` beside `NAME.md`) holds the plain text and `entities` with code-point offsets, end
exclusive, as ../shared/examples/CONVENTIONS.md describes. Quotes are not marked here.

usage: python3 scripts/markup_gold.py FILE.md [...]
"""
import json, re, sys

MARK = re.compile(r"\[\[(PER|ORG|LOC|MISC)\|([^\]|]+)\]\]")

for path in sys.argv[1:]:
    if path.endswith("README.md"):
        continue
    marked = open(path, encoding="utf-8").read()
    text, entities, pos = [], [], 0
    length = 0
    for m in MARK.finditer(marked):
        before = marked[pos:m.start()]
        text.append(before)
        length += len(before)
        words = m.group(2)
        entities.append({"start": length, "end": length + len(words), "label": m.group(1), "text": words})
        text.append(words)
        length += len(words)
        pos = m.end()
    text.append(marked[pos:])
    plain = "".join(text).strip("\n") + "\n"
    assert "[[" not in plain and "]]" not in plain, f"{path}: a mark is not closed"
    for e in entities:
        assert plain[e["start"]:e["end"]] == e["text"]
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    out = {"id": name, "kind": "invented", "text": plain, "entities": entities, "quotes": [],
           "scare_quotes": [], "notes": "Invented for pressmark; names marked by hand (tests/names-gold/README.md)."}
    with open(path.rsplit(".", 1)[0] + ".json", "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{path}: {len(entities)} names")
