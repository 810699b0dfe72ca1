"""The pressmark wheel's API, installed with pip in a fresh virtual environment (tests/python/run.sh):
the CLI's schema and output, str-index offsets, errors, and threads that change nothing."""

import ast
import gc
import json
import multiprocessing
import os
import threading
import unittest

import pressmark
from common import cli_documents, interrupt_a_long_call, need, polnear_dev, SHARED


def slices_match(test, text, doc):
    """Every offset pair of `doc` slices `text` to the text it reports."""
    spans = list(doc["entities"]) + list(doc["quotes"]) + list(doc["scare_quotes"])
    spans += [q[k] for q in doc["quotes"] for k in ("speaker", "cue") if q[k] is not None]
    for s in spans:
        test.assertEqual(text[s["start"] : s["end"]], s["text"], s)
    return len(spans)


class SameAsTheCli(unittest.TestCase):
    def test_annotate_gives_the_clis_documents_on_polnear_dev(self):
        articles = polnear_dev()
        expected = cli_documents(articles)
        for aid, text in articles:
            self.assertEqual(pressmark.annotate(text), expected[aid], aid)

    def test_keys_come_in_the_clis_order(self):
        # The dicts are copies of per-shape templates: their keys must still print as the CLI's.
        articles = polnear_dev()[:20]
        expected = cli_documents(articles)
        for doc, (aid, _) in zip(pressmark.annotate_many([t for _, t in articles]), articles):
            self.assertEqual(json.dumps(doc), json.dumps(expected[aid]), aid)

    def test_the_seed_article(self):
        with open(need(os.path.join(SHARED, "examples", "seed-article.txt")), encoding="utf-8") as f:
            text = f.read()
        doc = pressmark.annotate(text)
        self.assertEqual(doc, cli_documents([("seed", text)])["seed"])
        self.assertGreater(slices_match(self, text, doc), 50)
        self.assertEqual(sorted(doc), ["entities", "entities_index", "quotes", "scare_quotes"])
        self.assertIn("Khalifa Haftar", {c["name"] for c in doc["entities_index"] if c["label"] == "PER"})
        speakers = {q["speaker_name"] for q in doc["quotes"]}
        self.assertIn("Wolfram Lacher", speakers)

    def test_values_and_confidences_are_plain_numbers(self):
        doc = pressmark.annotate("On May 20, 2020, the fund lost $4.5 million, or 12 percent, said Jane Doe.")
        values = {e["label"]: e.get("value") for e in doc["entities"]}
        self.assertEqual(values["DATE"], "2020-05-20")
        self.assertEqual(values["MONEY"], {"amount": 4500000.0, "currency": "USD"})
        self.assertEqual(values["PERCENT"], 12.0)
        for e in doc["entities"]:
            # the 3-decimal value itself, not a widened f32 (0.9300000071525574)
            self.assertEqual(e["confidence"], round(e["confidence"], 3))


class Offsets(unittest.TestCase):
    def test_offsets_are_str_indices_after_astral_characters(self):
        text = "😀🇫🇷 𝕏 “We are done,” said Jane Smith, the mayor of Springfield. 👍🏽 Paris agreed."
        doc = pressmark.annotate(text)
        self.assertGreaterEqual(slices_match(self, text, doc), 4)
        found = {e["text"]: e["start"] for e in doc["entities"]}
        self.assertEqual(found["Jane Smith"], text.index("Jane Smith"))
        self.assertEqual(found["Paris"], text.index("Paris"))
        quote = doc["quotes"][0]
        self.assertEqual((quote["text"], quote["speaker_name"]), ("We are done,", "Jane Smith"))
        self.assertEqual(quote["start"], text.index("We are"))

    def test_empty_and_whitespace_texts(self):
        empty = {"entities": [], "entities_index": [], "quotes": [], "scare_quotes": []}
        self.assertEqual(pressmark.annotate(""), empty)
        self.assertEqual(pressmark.annotate_many(["", " \n\u2028 "]), [empty, empty])
        self.assertEqual(pressmark.annotate_many([]), [])


class GarbageCollector(unittest.TestCase):
    def test_the_collector_is_left_as_it_was(self):
        # annotate_many pauses the cyclic collector while it builds the dicts, and only then.
        self.assertTrue(gc.isenabled())
        pressmark.annotate_many(["Jane Smith said so."] * 3, threads=2)
        pressmark.annotate("Jane Smith said so.")
        self.assertTrue(gc.isenabled())
        gc.disable()
        try:
            pressmark.annotate_many(["Jane Smith said so."])
            self.assertFalse(gc.isenabled())
        finally:
            gc.enable()
        with self.assertRaises(TypeError):
            pressmark.annotate_many(["a", 3])
        self.assertTrue(gc.isenabled())


class Errors(unittest.TestCase):
    def test_annotate_refuses_what_is_not_a_str(self):
        for bad in (3, b"Jane Smith said so.", None, ["text"]):
            with self.assertRaisesRegex(TypeError, "text must be str, not"):
                pressmark.annotate(bad)

    def test_a_lone_surrogate_is_a_value_error(self):
        with self.assertRaisesRegex(ValueError, "not valid Unicode"):
            pressmark.annotate("Jane \ud800 Smith")
        with self.assertRaisesRegex(ValueError, r"texts\[1\] is not valid Unicode"):
            pressmark.annotate_many(["fine", "\udfff"])

    def test_a_text_over_the_limit_is_a_value_error(self):
        text = "a" * (pressmark.MAX_TEXT_BYTES + 1)
        with self.assertRaisesRegex(ValueError, "the limit is 20 MB"):
            pressmark.annotate(text)
        with self.assertRaisesRegex(ValueError, r"texts\[0\] is 20 MB of UTF-8; the limit is 20 MB"):
            pressmark.annotate_many([text])

    def test_annotate_many_argument_errors(self):
        with self.assertRaisesRegex(TypeError, "not one str"):
            pressmark.annotate_many("Jane Smith said so.")
        with self.assertRaisesRegex(TypeError, r"texts\[2\] must be str, not int"):
            pressmark.annotate_many(["a", "b", 3])
        with self.assertRaisesRegex(TypeError, "iterable of str, not NoneType"):
            pressmark.annotate_many(None)
        for bad in (0, -2):
            with self.assertRaisesRegex(ValueError, "threads must be None or at least 1"):
                pressmark.annotate_many(["a"], threads=bad)
        with self.assertRaises(TypeError):
            pressmark.annotate_many(["a"], threads="2")


class Threads(unittest.TestCase):
    def test_every_thread_count_gives_the_same_output_in_input_order(self):
        texts = [text for _, text in polnear_dev()]
        texts += ["", "Short one, said Bob Jones."] * 3
        one = pressmark.annotate_many(texts, threads=1)
        self.assertEqual(one, [pressmark.annotate(t) for t in texts])
        for threads in (2, 3, None):
            self.assertEqual(pressmark.annotate_many(texts, threads=threads), one, threads)
        # any iterable, consumed once
        self.assertEqual(pressmark.annotate_many((t for t in texts), threads=2), one)


def annotate_in_child(texts):
    return pressmark.annotate_many(texts, threads=2)


class LongLivedThreads(unittest.TestCase):
    """annotate_many's threads outlive the call; a forked process and concurrent callers still work."""

    def test_a_forked_child_annotates(self):
        texts = [text for _, text in polnear_dev()[:10]]
        here = pressmark.annotate_many(texts, threads=2)  # the parent's threads are running now
        with multiprocessing.get_context("fork").Pool(1) as pool:
            # In the child, the parent's threads do not exist: without its own, this would hang.
            self.assertEqual(pool.apply_async(annotate_in_child, (texts,)).get(timeout=120), here)

    def test_concurrent_callers(self):
        texts = [text for _, text in polnear_dev()[:12]]
        want = [pressmark.annotate(t) for t in texts]
        results = {}

        def call(k):
            results[k] = pressmark.annotate_many(texts[k:] + texts[:k], threads=2)

        callers = [threading.Thread(target=call, args=(k,)) for k in range(4)]
        for t in callers:
            t.start()
        for t in callers:
            t.join(timeout=300)
        for k in range(4):
            self.assertEqual(results[k], want[k:] + want[:k], k)


class Interrupt(unittest.TestCase):
    def test_ctrl_c_ends_a_long_annotate_many(self):
        interrupt_a_long_call(self, "many")


class Package(unittest.TestCase):
    """The installed package: typed (py.typed), and its stubs name every key the output has."""

    def test_stubs_cover_the_output(self):
        folder = os.path.dirname(pressmark.__file__)
        self.assertTrue(os.path.exists(os.path.join(folder, "py.typed")))
        with open(os.path.join(folder, "_pressmark.pyi"), encoding="utf-8") as f:
            stub = ast.parse(f.read())
        fields = {
            node.name: {item.target.id for item in node.body if isinstance(item, ast.AnnAssign)}
            for node in stub.body
            if isinstance(node, ast.ClassDef)
        }
        functions = {node.name for node in stub.body if isinstance(node, ast.FunctionDef)}
        self.assertEqual(functions, {"annotate", "annotate_many", "_annotate_columns"})
        keys = {name: set() for name in ("Document", "Entity", "EntityIndexEntry", "Quote", "Span", "Money")}
        for _, text in polnear_dev():
            doc = pressmark.annotate(text)
            keys["Document"] |= set(doc)
            for e in doc["entities"]:
                keys["Entity"] |= set(e)
                if isinstance(e.get("value"), dict):
                    keys["Money"] |= set(e["value"])
            for c in doc["entities_index"]:
                keys["EntityIndexEntry"] |= set(c)
            for q in doc["quotes"]:
                keys["Quote"] |= set(q)
                for k in ("speaker", "cue"):
                    if q[k]:
                        keys["Span"] |= set(q[k])
        for name, seen in keys.items():
            self.assertTrue(seen, name)
            self.assertLessEqual(seen, fields[name], name)


if __name__ == "__main__":
    unittest.main()
