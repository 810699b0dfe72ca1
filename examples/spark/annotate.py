"""Annotates news articles with pressmark on Apache Spark.

    python examples/spark/annotate.py INPUT OUTPUT_DIR [--master URL] [--format json|parquet] [--no-output]
    spark-submit examples/spark/annotate.py INPUT OUTPUT_DIR    (the wheel in the executors' Python)

INPUT is JSON Lines or Parquet of {id, text} (a file or a folder of files; the format follows the
name's suffix unless --format says). OUTPUT_DIR receives two Parquet tables:

  documents/  one row per article: id, entities, entities_index, quotes, scare_quotes (nested,
              the CLI's schema; see FIELDS below) and error (null, or why the row was skipped)
  quotes/     one row per quote, ready for SQL: article_id, quote_index, speaker_name, speaker,
              quote, start, end, direct, confidence

Offsets are code points (Python str indices), as from the CLI. JSON ids are read as strings;
Parquet ids keep their type.

Each Python worker imports the pressmark wheel once (the names model loads once per process and
Spark reuses the workers), then annotates whole Arrow batches with one call to
pressmark.annotate_arrow, which builds the nested Arrow columns in Rust: no per-row Python call
and no dict per entity or quote. The job prints its timings, its batches and the Python
workers' CPU seconds in the annotation and in the rest of the Arrow handling (--no-output
annotates and writes nothing, for measuring what the writing costs); the README's "At scale"
section has the measured figures (`bash bench/scale.sh`).
"""

import argparse
import os
import sys
import time

# The nested columns. An entity's `value` is a struct, not the CLI's JSON union: `date` (ISO 8601)
# for DATE, `number` for PERCENT and MONEY, `currency` (ISO 4217) for MONEY. Flags that the CLI
# prints only when true (relative, partial, open_end, headline, nested) are true or null.
SPAN = "struct<start: int, end: int, text: string>"
FIELDS = {
    "entities": "array<struct<start: int, end: int, label: string, text: string, confidence: double, "
    "entity_id: int, value: struct<date: string, number: double, currency: string>, relative: boolean>>",
    "entities_index": "array<struct<id: int, name: string, label: string, mentions: int>>",
    "quotes": f"array<struct<start: int, end: int, text: string, speaker: {SPAN}, speaker_name: string, "
    f"speaker_entity_id: int, cue: {SPAN}, direct: boolean, partial: boolean, open_end: boolean, "
    "headline: boolean, nested: boolean, group: int, confidence: double>>",
    "scare_quotes": f"array<{SPAN}>",
    "error": "string",
}

# Rows per Arrow batch handed to annotate_arrow: ~2.5 MB of news, a fraction of a second of work.
BATCH_ROWS = 500


def annotate_batches(batches, arrow_schema, cpu_annotate=None, cpu_arrow=None, batch_count=None, row_count=None):
    """mapInArrow's function, run in the executors' Python workers: Arrow batches of {id, text}
    in, batches of `arrow_schema` (id + FIELDS) out. `cpu_annotate` and `cpu_arrow` (Spark
    accumulators, optional) receive the CPU seconds of the annotation (pressmark.annotate_arrow,
    which builds the nested columns in Rust) and of the rest (Arrow to str, the error column,
    the batch), the job's own split of the workers' cost; `batch_count` and `row_count` count
    the batches and rows annotated."""
    import pressmark  # once per worker process: the wheel, with the embedded model
    import pyarrow as pa

    limit = pressmark.MAX_TEXT_BYTES
    annotated_schema = pa.schema([arrow_schema.field(name) for name in pressmark.arrow.COLUMNS])
    for batch in batches:
        started = time.process_time()
        texts = batch.column("text").to_pylist()
        errors = [None] * len(texts)
        for i, text in enumerate(texts):
            # A bad row must not fail the job: annotate an empty text and say why, as the CLI
            # reports the line and goes on.
            if text is None:
                errors[i], texts[i] = "no text", ""
            elif len(text) * 4 > limit and len(text.encode()) > limit:  # UTF-8: ≤ 4 bytes a char
                errors[i] = f"text is {len(text.encode()) >> 20} MB; the limit is {limit >> 20} MB"
                texts[i] = ""
        # threads=1: Spark already runs one task per core.
        before = time.process_time()
        annotated = pressmark.annotate_arrow(texts, threads=1, schema=annotated_schema)
        after = time.process_time()
        columns = [batch.column("id"), *annotated.columns, pa.array(errors, type=pa.string())]
        out = pa.RecordBatch.from_arrays(columns, schema=arrow_schema)
        if cpu_annotate is not None:
            cpu_annotate.add(after - before)
            cpu_arrow.add(time.process_time() - after + before - started)
        if batch_count is not None:
            batch_count.add(1)
            row_count.add(len(texts))
        yield out


def main(argv=None):
    parser = argparse.ArgumentParser(description="Annotate {id, text} articles with pressmark on Spark.")
    parser.add_argument("input", help="JSON Lines or Parquet of {id, text} (file or folder)")
    parser.add_argument("output_dir", help="receives documents/ and quotes/ (Parquet; replaced if present)")
    parser.add_argument("--master", help="Spark master URL (default: local[*]; spark-submit's when submitted)")
    parser.add_argument("--format", choices=["json", "parquet"], help="input format (default: from the suffix)")
    parser.add_argument(
        "--no-output",
        action="store_true",
        help="annotate but write nothing (Spark's noop sink): for measuring what the writing costs",
    )
    parser.add_argument(
        "--batch-rows", type=int, default=BATCH_ROWS, help=f"rows per annotate_arrow call (default {BATCH_ROWS})"
    )
    parser.add_argument(
        "--documents-only", action="store_true", help="write documents/ only, not the flat quotes/ table"
    )
    parser.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting, as spark-submit's --conf (repeatable; spark.hadoop.parquet.* reach the Parquet writer)",
    )
    args = parser.parse_args(argv)
    fmt = args.format or ("parquet" if args.input.rstrip("/").endswith(".parquet") else "json")

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import to_arrow_schema

    started = time.perf_counter()
    builder = SparkSession.builder.appName("pressmark-annotate")
    # Under spark-submit (which starts the JVM and hands Python its gateway) the master is
    # spark-submit's own unless --master is given here too.
    if args.master or "PYSPARK_GATEWAY_PORT" not in os.environ:
        builder = builder.master(args.master or "local[*]")
    for setting in args.conf:
        key, _, value = setting.partition("=")
        builder = builder.config(key, value)
    spark = (
        builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch_rows))
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    # Four input splits per core at least (of 1 MB or more), not one: articles differ in cost, and
    # with one split per core the slowest one sets the pace. Large inputs keep Spark's 128 MB splits.
    cores = spark.sparkContext.defaultParallelism
    spark.conf.set("spark.sql.files.minPartitionNum", str(4 * cores))
    spark.conf.set("spark.sql.files.openCostInBytes", str(1 << 20))
    ready = time.perf_counter()

    if fmt == "json":
        # An explicit schema: no inference pass over the whole input; ids of any JSON type
        # arrive as strings.
        articles = spark.read.schema("id string, text string").json(args.input)
    else:
        articles = spark.read.parquet(args.input).select("id", "text")
    id_type = articles.schema["id"].dataType.simpleString()
    ddl = f"id {id_type}, " + ", ".join(f"`{name}` {type_ddl}" for name, type_ddl in FIELDS.items())
    schema = spark.createDataFrame([], ddl).schema
    arrow_schema = to_arrow_schema(schema)
    cpu_annotate = spark.sparkContext.accumulator(0.0)
    cpu_arrow = spark.sparkContext.accumulator(0.0)
    batch_count = spark.sparkContext.accumulator(0)
    row_count = spark.sparkContext.accumulator(0)
    documents = articles.mapInArrow(
        lambda batches: annotate_batches(batches, arrow_schema, cpu_annotate, cpu_arrow, batch_count, row_count),
        schema,
    )

    def work():
        """What the Python workers did, for the last line of the job's report."""
        return (
            f"{row_count.value} rows annotated in {batch_count.value} batches; Python workers' CPU: "
            f"annotate {cpu_annotate.value:.2f} s, Arrow {cpu_arrow.value:.2f} s"
        )

    out = args.output_dir.rstrip("/")
    if args.no_output:
        documents.write.format("noop").mode("overwrite").save()
        annotated = time.perf_counter()
        print(
            f"pressmark-spark: nothing written; {cores} cores; start-up {ready - started:.1f} s, "
            f"annotate + write documents {annotated - ready:.1f} s; {work()}",
            file=sys.stderr,
        )
        spark.stop()
        return 0
    documents.write.mode("overwrite").parquet(f"{out}/documents")
    annotated = time.perf_counter()

    # The flat table, from the written documents (annotating once).
    written = spark.read.parquet(f"{out}/documents")
    if args.documents_only:
        print(
            f"pressmark-spark: documents only; {cores} cores; start-up {ready - started:.1f} s, "
            f"annotate + write documents {annotated - ready:.1f} s; {work()}",
            file=sys.stderr,
        )
        spark.stop()
        return 0
    quotes = written.select("id", F.posexplode("quotes").alias("quote_index", "q")).select(
        F.col("id").alias("article_id"),
        "quote_index",
        F.col("q.speaker_name").alias("speaker_name"),
        F.col("q.speaker.text").alias("speaker"),
        F.col("q.text").alias("quote"),
        F.col("q.start").alias("start"),
        F.col("q.end").alias("end"),
        F.col("q.direct").alias("direct"),
        F.col("q.confidence").alias("confidence"),
    )
    quotes.write.mode("overwrite").parquet(f"{out}/quotes")
    finished = time.perf_counter()

    # Counted from what was written: row counts come from the Parquet footers, and only the small
    # error column is read (summing size(quotes) would decode every quote again).
    documents_written = written.count()
    skipped = written.where(F.col("error").isNotNull()).count()
    quotes_written = spark.read.parquet(f"{out}/quotes").count()
    print(
        f"pressmark-spark: {documents_written} documents ({skipped} skipped), {quotes_written} quotes; "
        f"{cores} cores; start-up {ready - started:.1f} s, annotate + write documents "
        f"{annotated - ready:.1f} s, quotes table {finished - annotated:.1f} s; {work()}",
        file=sys.stderr,
    )
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
