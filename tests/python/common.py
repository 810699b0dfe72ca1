"""What the Python tests share: paths, the shared data they read, and the CLI as the reference."""

import json
import os
import signal
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("PRESSMARK_SHARED", os.path.join(REPO, "..", "shared"))
CLI = os.environ.get("PRESSMARK_CLI", os.path.join(REPO, "target", "release", "pressmark"))


def need(path):
    """The path, or a loud failure: the tests never skip for lack of their data."""
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"{path} is missing: the Python tests read ../shared (the evaluation data beside the "
            "repository) and the release CLI (npm run build)"
        )
    return path


def polnear_dev():
    """The PolNeAR dev articles as (id, text)."""
    with open(need(os.path.join(SHARED, "data", "polnear", "dev.jsonl")), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    if len(rows) < 50:
        raise AssertionError(f"only {len(rows)} PolNeAR dev articles")
    return [(r["id"], r["text"]) for r in rows]


def polnear_documents(limit=300):
    """A few hundred documents from PolNeAR dev: every article whole, then groups of three
    paragraphs of each, up to `limit` (ids are strings)."""
    articles = polnear_dev()
    docs = [(aid, text) for aid, text in articles]
    for aid, text in articles:
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        for k in range(0, len(paragraphs), 3):
            docs.append((f"{aid}#p{k}", "\n\n".join(paragraphs[k : k + 3])))
    return docs[:limit]


def cli_jsonl(lines):
    """Runs `pressmark annotate --jsonl` on the given JSON Lines; returns {id: document}."""
    proc = subprocess.run(
        [need(CLI), "annotate", "--jsonl"],
        input="".join(line + "\n" for line in lines).encode("utf-8"),
        capture_output=True,
        check=False,
    )
    out = {}
    for line in proc.stdout.decode("utf-8").split("\n"):
        if line:
            doc = json.loads(line)
            out[doc.pop("id")] = doc
    return out, proc.returncode, proc.stderr.decode("utf-8")


def cli_documents(docs):
    """The CLI's documents for (id, text) pairs, by id; fails on any refused line."""
    out, code, err = cli_jsonl(json.dumps({"id": i, "text": t}) for i, t in docs)
    if code != 0:
        raise AssertionError(f"the CLI refused a line: {err}")
    return out



# A child that annotates ~150 MB of PolNeAR dev (the articles repeated): long enough that only a
# call which looks for signals while it runs can end soon after Ctrl-C.
INTERRUPTED_CHILD = """
import json, sys, pressmark
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
texts = [r["text"] for r in rows]
texts = texts * (150_000_000 // sum(len(t) for t in texts) + 1)
call = {"many": lambda: pressmark.annotate_many(texts), "arrow": lambda: pressmark.annotate_arrow(texts)}[sys.argv[2]]
print("started", flush=True)
try:
    call()
except KeyboardInterrupt:
    # and the threads left behind serve the next call
    few = texts[:3]
    again = pressmark.annotate_many(few) if sys.argv[2] == "many" else pressmark.annotate_arrow(few).to_pylist()
    assert len(again) == 3 and all(len(d["entities"]) > 0 for d in again), again
    print("interrupted", flush=True)
    sys.exit(3)
print("finished", flush=True)
"""


def interrupt_a_long_call(test, which, seconds=5):
    """Starts `pressmark.annotate_many` or `annotate_arrow` ("many", "arrow") on ~150 MB in a child
    Python, sends it SIGINT half a second into the call, and asserts that the call raised
    KeyboardInterrupt within `seconds` and that the next call in that process still works."""
    path = need(os.path.join(SHARED, "data", "polnear", "dev.jsonl"))
    child = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_CHILD, path, which], stdout=subprocess.PIPE, text=True
    )
    try:
        test.assertEqual(child.stdout.readline().strip(), "started")
        time.sleep(0.5)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=60)
        waited = time.monotonic() - sent
    finally:
        child.kill()
    test.assertEqual(out.strip(), "interrupted")
    test.assertEqual(child.returncode, 3)
    test.assertLess(waited, seconds, f"{which}: {waited:.1f} s from SIGINT to KeyboardInterrupt")


if __name__ == "__main__":
    sys.exit("a helper module for the tests in this folder")
