#!/usr/bin/env python3
"""What Python's own objects cost against the CLI, for the "Python within 10 % of the CLI" target.

Times, on the same JSON Lines file of {"id","text"}: the CLI on one thread (annotation + JSON text),
`json.loads` of that output (the cheapest other way to hand Python the same dicts) and
`pressmark.annotate_many(texts, threads=1)` (annotation + dicts built in Rust).

usage: target/py/bin/python bench/python_objects.py DOCS.jsonl   (after `npm run wheel` and a pip
install of the wheel into target/py, as bench/scale.sh does)
"""
import json, subprocess, sys, time

import pressmark

path = sys.argv[1]
raw = open(path, "rb").read()
texts = [json.loads(line)["text"] for line in raw.splitlines() if line.strip()]
mb = sum(len(t.encode()) for t in texts) / 1e6

t0 = time.perf_counter()
out = subprocess.run(["target/release/pressmark", "annotate", "--jsonl", "--threads", "1"], input=raw,
                     capture_output=True, check=True).stdout
cli = time.perf_counter() - t0
t0 = time.perf_counter()
parsed = [json.loads(line) for line in out.splitlines()]
loads = time.perf_counter() - t0
t0 = time.perf_counter()
docs = pressmark.annotate_many(texts, threads=1)
many = time.perf_counter() - t0
print(f"{mb:.1f} MB: CLI one thread {cli:.2f} s ({mb / cli:.2f} MB/s); json.loads of its output "
      f"{loads:.2f} s; annotate_many(threads=1) {many:.2f} s ({mb / many:.2f} MB/s, "
      f"{100 * cli / many:.0f} % of the CLI)")
