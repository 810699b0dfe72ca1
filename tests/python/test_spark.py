"""The Spark job (examples/spark/annotate.py) in local mode, run as a user runs it, on a few hundred
PolNeAR dev documents: its Parquet read back and compared with the CLI's output for the same
documents. Needs Java and pyspark (scripts/setup.sh --spark) and the wheel installed in the same
environment (tests/python/run.sh does both)."""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

import pyarrow as pa
import pyarrow.parquet as pq
from common import REPO, cli_documents, polnear_documents

JOB = os.path.join(REPO, "examples", "spark", "annotate.py")


def run_job(input_path, output_dir, *options):
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    proc = subprocess.run(
        [sys.executable, JOB, input_path, output_dir, "--master", "local[2]", *options],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"the Spark job failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc.stderr


def as_spark_row(doc):
    """The CLI's document in the job's Parquet shape: values as structs, absent flags as null."""
    entity_keys = ("start", "end", "label", "text", "confidence", "entity_id")
    entities = []
    for e in doc["entities"]:
        row = {k: e[k] for k in entity_keys}
        value = e.get("value")
        if value is None:
            row["value"] = None
        elif isinstance(value, str):
            row["value"] = {"date": value, "number": None, "currency": None}
        elif isinstance(value, dict):
            row["value"] = {"date": None, "number": value["amount"], "currency": value["currency"]}
        else:
            row["value"] = {"date": None, "number": float(value), "currency": None}
        row["relative"] = e.get("relative")
        entities.append(row)
    quotes = []
    for q in doc["quotes"]:
        row = {k: q[k] for k in ("start", "end", "text", "speaker", "speaker_name", "cue", "direct")}
        for flag in ("speaker_entity_id", "partial", "open_end", "headline", "nested", "group"):
            row[flag] = q.get(flag)
        row["confidence"] = q["confidence"]
        quotes.append(row)
    return {
        "entities": entities,
        "entities_index": doc["entities_index"],
        "quotes": quotes,
        "scare_quotes": doc["scare_quotes"],
        "error": None,
    }


class SparkJob(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="pressmark-spark-")
        cls.docs = polnear_documents(300)
        assert len(cls.docs) >= 200, len(cls.docs)
        cls.expected = cli_documents(cls.docs)
        cls.input = os.path.join(cls.tmp.name, "articles.jsonl")
        with open(cls.input, "w", encoding="utf-8") as f:
            for doc_id, text in cls.docs:
                f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
            f.write(json.dumps({"id": "no-text"}) + "\n")  # a bad row: reported, not fatal
        cls.output = os.path.join(cls.tmp.name, "out")
        cls.log = run_job(cls.input, cls.output)
        cls.rows = {r["id"]: r for r in pq.read_table(os.path.join(cls.output, "documents")).to_pylist()}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_documents_equal_the_clis(self):
        self.assertEqual(len(self.rows), len(self.docs) + 1)
        quotes = 0
        for doc_id, _ in self.docs:
            row = dict(self.rows[doc_id])
            del row["id"]
            self.assertEqual(row, as_spark_row(self.expected[doc_id]), doc_id)
            quotes += len(row["quotes"])
        self.assertGreater(quotes, 1000)
        self.assertIn(f"{len(self.docs) + 1} documents (1 skipped), {quotes} quotes", self.log)

    def test_a_row_without_text_is_reported_and_left_empty(self):
        row = self.rows["no-text"]
        self.assertEqual(row["error"], "no text")
        self.assertEqual((row["entities"], row["quotes"]), ([], []))

    def test_the_flat_quotes_table(self):
        table = pq.read_table(os.path.join(self.output, "quotes"))
        self.assertEqual(
            table.column_names,
            ["article_id", "quote_index", "speaker_name", "speaker", "quote", "start", "end", "direct", "confidence"],
        )
        got = sorted(table.to_pylist(), key=lambda r: (r["article_id"], r["quote_index"]))
        want = []
        for doc_id, _ in self.docs:
            for n, q in enumerate(self.expected[doc_id]["quotes"]):
                speaker = q["speaker"]["text"] if q["speaker"] else None
                want.append(
                    {
                        "article_id": doc_id,
                        "quote_index": n,
                        "speaker_name": q["speaker_name"],
                        "speaker": speaker,
                        "quote": q["text"],
                        "start": q["start"],
                        "end": q["end"],
                        "direct": q["direct"],
                        "confidence": q["confidence"],
                    }
                )
        want.sort(key=lambda r: (r["article_id"], r["quote_index"]))
        self.assertEqual(got, want)
        self.assertTrue(any(r["speaker_name"] for r in got))

    def test_the_log_counts_rows_and_batches(self):
        rows, batches = (int(n) for n in re.search(r"(\d+) rows annotated in (\d+) batches", self.log).groups())
        self.assertEqual(rows, len(self.docs) + 1)
        # 500 rows a batch by default: one batch per input split of the small file.
        self.assertLessEqual(batches, 16)

    def test_batch_rows_and_documents_only(self):
        docs = self.docs[:60]
        path = os.path.join(self.tmp.name, "articles-60.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for doc_id, text in docs:
                f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        output = os.path.join(self.tmp.name, "out-small-batches")
        log = run_job(path, output, "--batch-rows", "3", "--documents-only")
        self.assertIn("documents only", log)
        rows, batches = (int(n) for n in re.search(r"(\d+) rows annotated in (\d+) batches", log).groups())
        self.assertEqual(rows, 60)
        self.assertGreaterEqual(batches, 20)  # at most 3 rows in each
        self.assertEqual(sorted(os.listdir(output)), ["documents"])
        table = pq.read_table(os.path.join(output, "documents")).to_pylist()
        self.assertEqual(len(table), 60)
        for row in table:
            doc_id = row.pop("id")
            self.assertEqual(row, as_spark_row(self.expected[doc_id]), doc_id)

    def test_no_output_annotates_and_writes_nothing(self):
        output = os.path.join(self.tmp.name, "out-nothing")
        log = run_job(self.input, output, "--no-output")
        self.assertIn("nothing written", log)
        self.assertIn(f"{len(self.docs) + 1} rows annotated", log)
        annotate_cpu = float(re.search(r"CPU: annotate ([\d.]+) s", log).group(1))
        self.assertGreater(annotate_cpu, 0.0)
        self.assertFalse(os.path.exists(output))

    def test_parquet_input_keeps_the_id_type(self):
        docs = self.docs[:40]
        path = os.path.join(self.tmp.name, "articles.parquet")
        pq.write_table(
            pa.table({"id": pa.array(range(len(docs)), pa.int64()), "text": [t for _, t in docs]}), path
        )
        output = os.path.join(self.tmp.name, "out-parquet")
        run_job(path, output)
        table = pq.read_table(os.path.join(output, "documents"))
        self.assertEqual(table.schema.field("id").type, pa.int64())
        for row in table.to_pylist():
            doc_id = docs[row.pop("id")][0]
            self.assertEqual(row, as_spark_row(self.expected[doc_id]), doc_id)


if __name__ == "__main__":
    unittest.main()
