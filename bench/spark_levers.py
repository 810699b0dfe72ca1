"""The Spark job's levers, measured (issue 14): the 30 MB job of bench/scale.py as it ships and with
one change each, alternated ROUNDS times, the CPU of its JVM and Python workers printed with the load
average. CPU seconds, not wall time: they move less with the other processes on a shared machine
(but still some, through shared caches; compare the spread of the plain runs).
    python3 bench/spark_levers.py        (after bash bench/scale.sh, whose wheel and corpus it uses)
"""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402  (this folder's bench/scale.py)

ROUNDS = int(os.environ.get("ROUNDS", "2"))


def main():
    path = os.path.join(scale.OUT, "news-30mb.jsonl")
    if not os.path.exists(path):
        sys.exit("bench/spark_levers: run bash bench/scale.sh first (it writes the 30 MB corpus)")
    conf = tempfile.mkdtemp(prefix="pressmark-levers-")
    with open(os.path.join(conf, "spark-defaults.conf"), "w") as f:
        f.write("spark.sql.parquet.compression.codec uncompressed\n")
    variants = {
        "as shipped (500 rows a batch, snappy Parquet, both tables)": ((), None),
        "2000 rows a batch": (("--batch-rows", "2000"), None),
        "uncompressed Parquet": ((), conf),
        "no quotes table (documents only)": (("--documents-only",), None),
    }
    print(f"bench/spark_levers: the Spark job on 30 MB, local[{scale.CORES}], {ROUNDS} rounds alternated")
    for round_ in range(ROUNDS):
        for name, (options, conf_dir) in variants.items():
            env = dict(os.environ)
            if conf_dir:
                os.environ["SPARK_CONF_DIR"] = conf_dir
            before = scale.load()
            wall, _, annotate, cpu, workers = scale.run_spark(path, os.path.join(scale.OUT, "spark-levers"), *options)
            os.environ.clear()
            os.environ.update(env)
            print(
                f"   {name:<58} CPU {cpu['all']:5.1f} s: JVM {cpu['jvm']:5.1f}, Python workers {cpu['workers']:5.1f} "
                f"(annotate_arrow {workers['annotate']:4.1f}, Arrow {workers['arrow']:4.1f}); annotate + write "
                f"{annotate:5.1f} s (load average {before} → {scale.load()})",
                flush=True,
            )


if __name__ == "__main__":
    main()
