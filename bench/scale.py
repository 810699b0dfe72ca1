"""Archive-scale figures (issue 14): the CLI on all cores, the Python wheel, the Spark job, and
100 MB of JSON Lines through the CLI. Run by bench/scale.sh, which builds everything first.

The corpus is news: the PolNeAR dev and train articles from ../shared (read at run time, never
committed), whole articles as JSON Lines {"id", "text"}, repeated with new ids up to each size.
MB = 10^6 bytes of article text (UTF-8), the same count for every runner. Wall-clock times are
the best of REPEATS runs; the machine's load average is printed beside them, because the cores
are shared and a busy machine lowers every speed-up.
"""

import json
import os
import shutil
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SHARED = os.environ.get("PRESSMARK_SHARED", os.path.join(REPO, "..", "shared"))
OUT = os.path.join(REPO, "target", "bench-scale")
CLI = os.path.join(REPO, "target", "release", "pressmark")
PY = os.path.join(REPO, "target", "py", "bin", "python")
JOB = os.path.join(REPO, "examples", "spark", "annotate.py")
REPEATS = int(os.environ.get("REPEATS", "3"))
# The CLI runs are short: more of them, alternated, give both settings a chance at a quiet moment.
CLI_REPEATS = int(os.environ.get("CLI_REPEATS", "7"))
CORES = os.cpu_count() or 1
# Rounds of the four Spark jobs; each job's least-CPU run counts.
SPARK_ROUNDS = int(os.environ.get("SPARK_ROUNDS", "1"))
# The larger Spark job's MB (the smaller one has 10): the further MB's CPU is the difference of two
# jobs' 20-40 CPU-seconds of fixed cost, so a larger difference makes it steadier.
SPARK_MB = int(os.environ.get("SPARK_MB", "30"))


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def articles():
    texts = []
    for split in ("dev", "train"):
        path = os.path.join(SHARED, "data", "polnear", f"{split}.jsonl")
        if not os.path.exists(path):
            sys.exit(f"bench/scale: {path} is missing; the benchmark reads its news from ../shared")
        with open(path, encoding="utf-8") as f:
            texts += [t.strip() for t in (json.loads(line)["text"] for line in f if line.strip()) if t.strip()]
    return texts


def corpus(name, megabytes, texts):
    """Writes OUT/name.jsonl with at least `megabytes` MB of article text; returns (path, docs, MB)."""
    path = os.path.join(OUT, f"{name}.jsonl")
    size, docs = 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while size < megabytes * 1e6:
            text = texts[docs % len(texts)]
            f.write(json.dumps({"id": f"{name}-{docs}", "text": text}, ensure_ascii=False) + "\n")
            size += len(text.encode("utf-8"))
            docs += 1
    return path, docs, size / 1e6


def run_cli(path, *args):
    """One CLI run on `path`: (wall seconds, CPU seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen([CLI, "annotate", "--jsonl", *args, path], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench/scale: the CLI failed on {path} ({proc.returncode})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


# Times annotate_many on texts already in memory: (wall, CPU) seconds of the fastest of N calls
# and the seconds its result then takes to free (the caller's objects: freed when the caller
# drops them, as a consumer of the CLI's output frees what it parsed), then the same of the CLI
# (`run_cli` below, with argv[4] threads) run on the same file between them: this machine's speed
# drifts by 10 % over minutes, so only runs alternated in one window compare.
PYTHON_TIMER = """
import json, sys, time, pressmark
sys.path.insert(0, sys.argv[5])
from scale import run_cli
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
mode = sys.argv[2]
pressmark.annotate("warm-up: the model loads once per process")
runs, cli_runs = [], []
for _ in range(int(sys.argv[3])):
    cli_runs.append(run_cli(sys.argv[1], "--threads", sys.argv[4])[:2])
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "arrow":
        result = pressmark.annotate_arrow(texts)
    else:
        result = pressmark.annotate_many(texts, threads=None if mode == "all" else int(mode))
    called, called_cpu = time.perf_counter(), time.process_time()
    del result
    runs.append((called - start, called_cpu - cpu, time.perf_counter() - called))
wall, cpu, free = min(runs)
print(wall, cpu, free, *min(cli_runs))
"""

# Reads the texts, then annotates them all into dicts ("all"), into Arrow columns ("arrow") or
# not at all ("none"; "arrow-none" imports pyarrow too), for the instruction counts.
PYTHON_ONCE = """
import json, sys, pressmark
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
if sys.argv[2] == "all":
    pressmark.annotate_many(texts, threads=1)
elif sys.argv[2].startswith("arrow"):
    import pyarrow
    if sys.argv[2] == "arrow":
        pressmark.annotate_arrow(texts)
"""


def instructions(command):
    """Instructions the command executes, counted by valgrind's callgrind."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    line = next(l for l in proc.stderr.splitlines() if "Collected" in l)
    return int(line.split(":")[-1])


def best_python(path, threads, cli_threads):
    """(wall seconds, CPU seconds, seconds to free its result) of the fastest annotate_many (or
    annotate_arrow) run, texts already in memory, and (wall, CPU) of the fastest CLI run with
    `cli_threads`, run alternately with it."""
    out = subprocess.run(
        [PY, "-c", PYTHON_TIMER, path, threads, str(REPEATS), str(cli_threads), os.path.dirname(os.path.abspath(__file__))],
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu, free, cli_wall, cli_cpu = map(float, out.stdout.split())
    return (wall, cpu, free), (cli_wall, cli_cpu)


def tree_cpu_seconds(root):
    """CPU seconds (user + system) so far of `root` and every process below it, from /proc:
    {pid: (kind, seconds)}, kind "driver" (the job's own Python), "jvm" (Spark's JVM) or "workers"
    (the Python workers and their daemon)."""
    parents, cpu, names = {}, {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                head, tail = f.read().rsplit(")", 1)
        except OSError:
            continue  # gone meanwhile
        fields = tail.split()
        parents[int(entry)] = int(fields[1])
        names[int(entry)] = head.split("(", 1)[1]
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    tree, stack = {}, [root]
    while stack:
        pid = stack.pop()
        kind = "driver" if pid == root else "jvm" if names.get(pid) == "java" else "workers"
        tree[pid] = (kind, cpu.get(pid, 0.0))
        stack += [child for child, parent in parents.items() if parent == pid]
    return tree


def run_spark(path, output, *options):
    """One job: (wall s, start-up s, annotate + write s, CPU s {"driver", "jvm", "workers", "all"},
    the job's own split of the workers' CPU {"annotate", "arrow"}). The CPU is sampled from /proc
    every half second while the job runs (its processes end with it); the last sample of each
    process counts."""
    env = dict(os.environ, PYSPARK_PYTHON=PY)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [PY, "-W", "ignore::FutureWarning", JOB, path, output, "--master", f"local[{CORES}]", *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = {}
    while proc.poll() is None:
        seen.update(tree_cpu_seconds(proc.pid))
        time.sleep(0.5)
    cpu = {"driver": 0.0, "jvm": 0.0, "workers": 0.0}
    for kind, seconds in seen.values():
        cpu[kind] += seconds
    cpu["all"] = sum(cpu.values())
    stderr = proc.stderr.read()
    wall = time.perf_counter() - start
    line = next((l for l in stderr.splitlines() if l.startswith("pressmark-spark:")), None)
    if proc.returncode != 0 or line is None:
        sys.exit(f"bench/scale: the Spark job failed:\n{stderr[-3000:]}")
    startup = float(line.split("start-up ")[1].split(" s")[0])
    annotate = float(line.split("annotate + write documents ")[1].split(" s")[0])
    python = line.split("Python workers' CPU: annotate ")[1]
    worker_split = {"annotate": float(python.split(" s")[0]), "arrow": float(python.split("Arrow ")[1].split(" s")[0])}
    return wall, startup, annotate, cpu, worker_split


ANNOTATE = "annotate_arrow (annotation + Arrow columns)"


def spark_figures(texts, path10, mb10):
    """The Spark job on 10 and SPARK_MB (30) MB, writing its tables and writing nothing: per core beyond the
    fixed cost, and where each further MB's CPU goes (JVM, Python workers: annotate_arrow, the
    Arrow conversion and the rest, the writing)."""
    path30, docs30, mb30 = corpus(f"news-{SPARK_MB}mb", SPARK_MB, texts)
    print(f"\n3. Spark job, local[{CORES}], on {mb10:.1f} MB and {mb30:.1f} MB, writing its tables and writing nothing")
    before = load()
    runs = {}
    # SPARK_ROUNDS > 1 runs the four jobs again, alternated, and keeps each job's run with the least
    # CPU in all: the one least inflated by the other processes on a shared machine.
    # The CLI (one thread, 10 MB) runs between the jobs too: the machine's speed drifts over the
    # minutes the jobs take, so the ratio compares with the CLI's CPU per MB in the same minutes.
    cli_between = []
    for _ in range(SPARK_ROUNDS):
        cli_between.append(run_cli(path10, "--threads", "1"))
        for label, options in (("write", ()), ("noop", ("--no-output",))):
            for mb, path in ((mb10, path10), (mb30, path30)):
                run = run_spark(path, os.path.join(OUT, f"spark-{mb:.0f}mb"), *options)
                if (label, mb) not in runs or run[3]["all"] < runs[label, mb][3]["all"]:
                    runs[label, mb] = run
                wall, startup, annotate, cpu, workers = run
                print(
                    f"   {mb:.1f} MB, {'Parquet' if label == 'write' else 'nothing written'}: {wall:.1f} s in all "
                    f"(start-up {startup:.1f} s, annotate + write {annotate:.1f} s); CPU {cpu['all']:.1f} s: "
                    f"JVM {cpu['jvm']:.1f}, Python workers {cpu['workers']:.1f} (annotate_arrow "
                    f"{workers['annotate']:.1f}, to and from Arrow {workers['arrow']:.1f}), driver {cpu['driver']:.1f} "
                    f"(load {load()})",
                    flush=True,
                )
    cli_between.append(run_cli(path10, "--threads", "1"))
    cli_cpu_per_mb = min(cpu for _, cpu, _ in cli_between) / mb10
    cli_mbps = mb10 / min(wall for wall, _, _ in cli_between)
    print(
        f"   the CLI (one thread, {mb10:.1f} MB) between the jobs: {cli_mbps:.2f} MB/s, {cli_cpu_per_mb:.3f} "
        f"CPU-seconds per MB (best of {len(cli_between)} runs)"
    )
    after = load()

    def per_mb(label, what):
        """CPU seconds per further MB (large run minus 10 MB run): no fixed cost in it."""
        small, large = runs[label, mb10], runs[label, mb30]
        pick = (lambda run: run[3][what]) if what in small[3] else (lambda run: run[4][what])
        return (pick(large) - pick(small)) / (mb30 - mb10)

    small, large = runs["write", mb10], runs["write", mb30]
    marginal = (mb30 - mb10) / max(large[2] - small[2], 1e-9) / CORES
    overhead = small[2] - mb10 / (marginal * CORES)
    marginal_job = (mb30 - mb10) / max(large[0] - small[0], 1e-9) / CORES
    print(
        f"   per core, beyond the fixed cost (wall): {marginal:.2f} MB/s annotating and writing documents/ "
        f"({cli_mbps / marginal:.2f}× slower than the CLI's {cli_mbps:.2f} on one thread between the jobs), "
        f"{marginal_job:.2f} MB/s for the whole job with its quotes table ({cli_mbps / marginal_job:.2f}×); target within 2×"
    )
    # CPU seconds do not shrink when other processes take the cores, so these figures hold on a
    # busy machine too: what each further MB costs, against the CLI's CPU per MB.
    total = per_mb("write", "all")
    split = {
        ANNOTATE: per_mb("noop", "annotate"),
        "Python to/from Arrow": per_mb("noop", "arrow"),
        "rest of the Python workers (Arrow IPC, pyspark)": per_mb("noop", "workers")
        - per_mb("noop", "annotate")
        - per_mb("noop", "arrow"),
        "JVM without writing (read JSON, Arrow to rows)": per_mb("noop", "jvm") + per_mb("noop", "driver"),
        "writing the Parquet tables (documents + quotes)": total - per_mb("noop", "all"),
    }
    print(
        f"   CPU per further MB: {total:.3f} s ({1 / total:.2f} MB per CPU-second; {total / cli_cpu_per_mb:.2f}× "
        f"the CLI's {cli_cpu_per_mb:.3f} s; target within 2×), of which:"
    )
    for what, seconds in split.items():
        print(f"     {what:<50} {seconds:6.3f} s  {seconds / total * 100:3.0f} %  ({seconds / cli_cpu_per_mb:.2f}× the CLI's)")
    print(
        "   (the JVM's parts are differences between two runs' 20-40 CPU-seconds, mostly its fixed cost, which "
        "varies by a few seconds from run to run: they can come out negative; the Python workers' are measured "
        "inside the job and steadier)"
    )
    whole = runs["write", mb30][3]["all"] / mb30
    print(
        f"   the whole {mb30:.0f} MB job, fixed cost included: {whole:.3f} CPU-seconds per MB "
        f"({whole / cli_cpu_per_mb:.1f}× the CLI's)"
    )
    # The same ratio against the annotation inside the same runs: both sides suffer the same load
    # (a crowded machine inflates CPU seconds too, through shared caches), so this one is steadier.
    print(
        f"   the job's CPU per MB against its own annotate_arrow's: {total / split[ANNOTATE]:.2f}× "
        f"(what Spark adds around the annotation, measured under the same load)"
    )
    print(
        f"   fixed cost: start-up {large[1]:.1f} s + {overhead:.1f} s per job; "
        f"{small[3]['all'] - total * mb10:.0f} CPU-seconds (JVM start and JIT) (load average {before} → {after})"
    )
    return {
        "marginal_mbps_per_core": marginal,
        "overhead_s": overhead,
        "startup_s": large[1],
        "marginal_mb_per_cpu_s": 1 / total,
        "cpu_per_mb_vs_cli": total / cli_cpu_per_mb,
        "cpu_per_mb_vs_own_annotate": total / split[ANNOTATE],
        "cpu_per_mb_split": split,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    texts = articles()
    results = {"cores": CORES, "repeats": REPEATS}
    print(f"bench/scale: {CORES} cores, best of {CLI_REPEATS} (CLI) or {REPEATS}; MB = 10^6 bytes of article text")

    path10, docs10, mb10 = corpus("news-10mb", 10, texts)
    print(f"\n1. CLI on {mb10:.1f} MB of news ({docs10} articles, JSON Lines)")
    cli = {}
    # Alternated, so that a burst of load on the shared machine hits both settings alike.
    before = load()
    runs = {threads: [] for threads in (1, CORES)}
    for _ in range(CLI_REPEATS):
        for threads in runs:
            runs[threads].append(run_cli(path10, "--threads", str(threads)))
    for threads, results_of in runs.items():
        wall, cpu, rss = min(results_of)
        cli[threads] = mb10 / wall
        # CPU / wall: how many cores the run actually had on average; on a busy machine a second
        # thread can only help if this rises above 1.
        print(
            f"   --threads {threads}: {wall:.2f} s, {mb10 / wall:.2f} MB/s, CPU {cpu:.2f} s "
            f"({mb10 / cpu:.2f} MB per CPU-second, {cpu / wall:.2f} cores in use), peak {rss:.0f} MB"
        )
    print(f"   (load average {before} → {load()})")
    speedup = cli[CORES] / cli[1]
    print(f"   speed-up --threads {CORES} / --threads 1: {speedup:.2f}× (target ≥ 1.8× on 2 cores)")
    results["cli"] = {"mb": mb10, "mbps_1": cli[1], f"mbps_{CORES}": cli[CORES], "speedup": speedup}

    print(f"\n2. Python annotate_many on the same {mb10:.1f} MB (texts in a list, dicts out), each against the CLI run alternately with it")
    before = load()
    figures = {}
    for mode, label, cli_threads in (
        ("all", "annotate_many, threads=None", CORES),
        ("1", "annotate_many, threads=1", 1),
        ("arrow", "annotate_arrow (Arrow columns, no dicts; one thread)", 1),
    ):
        (wall, cpu, free), (cli_wall, cli_cpu_s) = best_python(path10, mode, cli_threads)
        figures[mode] = (mb10 / wall, mb10 / cli_wall, cpu / cli_cpu_s)
        print(
            f"   {label}: {mb10 / wall:.2f} MB/s, {cli_wall / wall * 100:.0f} % of the CLI's "
            f"{mb10 / cli_wall:.2f} (--threads {cli_threads}); {mb10 / cpu:.2f} MB per CPU-second "
            f"({cli_cpu_s / cpu * 100:.0f} % of the CLI's); freeing the result afterwards "
            f"{free * 1000:.0f} ms ({cli_wall / (wall + free) * 100:.0f} % of the CLI's with it)"
        )
    print(f"   (load average {before} → {load()}; target: within 10 % of the CLI)")
    results["python"] = {
        "mbps_all": figures["all"][0],
        "vs_cli_all": figures["all"][0] / figures["all"][1],
        "mbps_1": figures["1"][0],
        "vs_cli_1": figures["1"][0] / figures["1"][1],
        "arrow_cpu_vs_cli": figures["arrow"][2],
    }

    if shutil.which("valgrind") and os.environ.get("VALGRIND", "1") != "0":
        # Instructions do not depend on what the other processes on the machine are doing.
        path1, docs1, mb1 = corpus("news-1mb", 1, texts)
        cli_i = instructions([CLI, "annotate", "--jsonl", "--threads", "1", path1])
        cli_0 = instructions([CLI, "annotate", "--jsonl", "--threads", "1", os.devnull])
        py_i = instructions([PY, "-c", PYTHON_ONCE, path1, "all"])
        py_0 = instructions([PY, "-c", PYTHON_ONCE, path1, "none"])
        arrow_i = instructions([PY, "-c", PYTHON_ONCE, path1, "arrow"])
        arrow_0 = instructions([PY, "-c", PYTHON_ONCE, path1, "arrow-none"])
        cli_n, py_n = (cli_i - cli_0) / mb1, (py_i - py_0) / mb1
        arrow_n = (arrow_i - arrow_0) / mb1
        print(
            f"   instructions per MB on {mb1:.1f} MB, one thread (valgrind, whatever the load): "
            f"CLI {cli_n / 1e6:.0f} M, annotate_many {py_n / 1e6:.0f} M ({(py_n / cli_n - 1) * 100:+.1f} %), "
            f"annotate_arrow {arrow_n / 1e6:.0f} M ({(arrow_n / cli_n - 1) * 100:+.1f} %)"
        )
        results["python"]["instructions_vs_cli"] = py_n / cli_n
        results["python"]["arrow_instructions_vs_cli"] = arrow_n / cli_n

    if os.environ.get("SPARK", "1") != "0":
        results["spark"] = spark_figures(texts, path10, mb10)

    print("\n4. 100 MB of JSON Lines through the CLI (all cores), and 10 MB for comparison")
    path100, docs100, mb100 = corpus("news-100mb", 100, texts)
    before = load()
    wall100, cpu100, rss100 = run_cli(path100)
    wall10, _, rss10 = run_cli(path10)
    print(
        f"   {mb100:.1f} MB ({docs100} articles, {os.path.getsize(path100) / 1e6:.0f} MB of JSON): "
        f"{wall100:.1f} s, {mb100 / wall100:.2f} MB/s, peak memory {rss100:.0f} MB"
    )
    print(f"   {mb10:.1f} MB: {wall10:.1f} s, peak memory {rss10:.0f} MB (load average {before} → {load()})")
    results["cli_100mb"] = {"mb": mb100, "seconds": wall100, "peak_mb": rss100, "peak_mb_10mb": rss10}
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
