"""pressmark.annotate_arrow (needs pyarrow; run in target/py by tests/python/run.sh): the Arrow
columns equal the CLI's documents in the Spark job's shape, whatever the threads or the schema."""

import unittest

import pressmark
import pyarrow as pa
from common import cli_documents, interrupt_a_long_call, polnear_documents
from test_spark import as_spark_row


class AnnotateArrow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.docs = polnear_documents(300) + [("empty", ""), ("astral", "😀 “We are done,” said Jane Smith in 𝕏 Paris.")]
        cls.expected = cli_documents(cls.docs)
        cls.texts = [text for _, text in cls.docs]
        cls.batch = pressmark.annotate_arrow(cls.texts)

    def test_rows_equal_the_clis_documents(self):
        self.batch.validate(full=True)
        self.assertEqual(self.batch.schema, pressmark.arrow_schema())
        rows = self.batch.to_pylist()
        self.assertEqual(len(rows), len(self.docs))
        for (doc_id, _), row in zip(self.docs, rows):
            want = as_spark_row(self.expected[doc_id])
            del want["error"]
            self.assertEqual(row, want, doc_id)
        self.assertGreater(sum(len(r["quotes"]) for r in rows), 1000)

    def test_threads_change_nothing(self):
        for threads in (2, 3, None):
            self.assertTrue(pressmark.annotate_arrow(self.texts, threads=threads).equals(self.batch), threads)

    def test_a_schema_of_the_callers(self):
        # Spark's: other item names, a subset of fields in another order, int64 offsets.
        span = pa.struct([("text", pa.string()), ("start", pa.int64())])
        schema = pa.schema(
            [
                ("scare_quotes", pa.list_(pa.field("element", span))),
                ("quotes", pa.list_(pa.field("element", pa.struct([("speaker", span), ("confidence", pa.float64())])))),
            ]
        )
        batch = pressmark.annotate_arrow(self.texts, schema=schema)
        batch.validate(full=True)
        self.assertEqual(batch.schema, schema)
        for (doc_id, _), row in zip(self.docs, batch.to_pylist()):
            doc = self.expected[doc_id]
            self.assertEqual(row["scare_quotes"], [{"text": s["text"], "start": s["start"]} for s in doc["scare_quotes"]])
            want = [
                {
                    "speaker": q["speaker"] and {"text": q["speaker"]["text"], "start": q["speaker"]["start"]},
                    "confidence": q["confidence"],
                }
                for q in doc["quotes"]
            ]
            self.assertEqual(row["quotes"], want, doc_id)

    def test_errors(self):
        with self.assertRaisesRegex(ValueError, "not 'id'"):
            pressmark.annotate_arrow(["a"], schema=pa.schema([("id", pa.string())]))
        with self.assertRaisesRegex(ValueError, r"entities\[\] has no field 'lemma'"):
            pressmark.annotate_arrow(["a"], schema=pa.schema([("entities", pa.list_(pa.struct([("lemma", pa.string())])))]))
        with self.assertRaisesRegex(TypeError, r"texts\[1\] must be str, not int"):
            pressmark.annotate_arrow(["a", 1])
        with self.assertRaisesRegex(TypeError, "not one str"):
            pressmark.annotate_arrow("Jane Smith said so.")
        self.assertEqual(pressmark.annotate_arrow([]).num_rows, 0)


class Interrupt(unittest.TestCase):
    def test_ctrl_c_ends_a_long_annotate_arrow(self):
        interrupt_a_long_call(self, "arrow")


if __name__ == "__main__":
    unittest.main()
