#!/usr/bin/env python3
"""What Python's own objects cost against the CLI, for the "Python within 10 % of the CLI" target.

Times, on the same JSON Lines file of {"id","text"}, alternated ROUNDS times (best of each printed,
wall and CPU seconds; CPU moves less with the other processes on a shared machine):
  * the CLI on one thread (annotation + JSON text written to a pipe);
  * `json.loads` of that output: the cheapest other way to hand Python the same dicts;
  * `pressmark.annotate_many(texts, threads=1)`: one Rust thread annotates while the calling
    thread builds the dicts;
  * the same in calls of 20 texts (what a caller that feeds small batches pays);
  * `pressmark.annotate_arrow(texts)`: the Arrow columns, no dict per entity (needs pyarrow).

usage: target/py/bin/python bench/python_objects.py DOCS.jsonl   (after `npm run wheel` and a pip
install of the wheel into target/py, as bench/scale.sh does; ROUNDS=3 by default)
"""
import json
import os
import resource
import subprocess
import sys
import time

import pressmark

ROUNDS = int(os.environ.get("ROUNDS", "3"))
CLI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "pressmark")


def cpu_seconds(who=resource.RUSAGE_SELF):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed(work):
    """(wall, CPU) seconds of work(), CPU of this process and of the children it waited for."""
    wall, cpu = time.perf_counter(), cpu_seconds() + cpu_seconds(resource.RUSAGE_CHILDREN)
    result = work()
    return (time.perf_counter() - wall, cpu_seconds() + cpu_seconds(resource.RUSAGE_CHILDREN) - cpu), result


def main():
    path = sys.argv[1]
    raw = open(path, "rb").read()
    texts = [json.loads(line)["text"] for line in raw.splitlines() if line.strip()]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    runs = {}

    def cli():
        return subprocess.run([CLI, "annotate", "--jsonl", "--threads", "1"], input=raw, capture_output=True, check=True).stdout

    def in_twenties():
        return [doc for k in range(0, len(texts), 20) for doc in pressmark.annotate_many(texts[k : k + 20], threads=1)]

    for _ in range(ROUNDS):
        for name, work in (
            ("CLI --threads 1", cli),
            ("annotate_many(threads=1)", lambda: pressmark.annotate_many(texts, threads=1)),
            ("annotate_many(threads=1), 20 texts a call", in_twenties),
            ("annotate_arrow(threads=1)", lambda: pressmark.annotate_arrow(texts)),
        ):
            (wall, cpu), result = timed(work)
            runs.setdefault(name, []).append((wall, cpu))
            if name == "CLI --threads 1":
                (wall, cpu), _ = timed(lambda: [json.loads(line) for line in result.splitlines()])
                runs.setdefault("json.loads of the CLI's output", []).append((wall, cpu))
            del result
    print(f"bench/python_objects: {mb:.1f} MB, {len(texts)} texts, best of {ROUNDS} (load {os.getloadavg()[0]:.1f})")
    cli_wall, cli_cpu = (min(r[k] for r in runs["CLI --threads 1"]) for k in (0, 1))
    for name, results in runs.items():
        wall, cpu = min(r[0] for r in results), min(r[1] for r in results)
        if name.startswith("json.loads"):
            print(f"   {name:<42} {wall:5.2f} s, CPU {cpu:5.2f} s (on top of the CLI's, to have the dicts)")
            continue
        print(
            f"   {name:<42} {wall:5.2f} s ({mb / wall:5.2f} MB/s, {100 * cli_wall / wall:3.0f} % of the CLI's), "
            f"CPU {cpu:5.2f} s ({100 * cli_cpu / cpu:3.0f} % of the CLI's MB per CPU-second)"
        )


if __name__ == "__main__":
    main()
