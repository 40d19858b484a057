#!/usr/bin/env python3
"""End-to-end benchmark of conflictdb: extract, ingest, the sqlite3 floor,
memory on a large corpus, every report, and a streamed query.

    python3 scripts/bench.py [--articles 30000] [--large 100000] [--work DIR]

Builds the release binary and the corpus generator, generates corpora of
real article text (examples/bench_corpus.rs) and prints a Markdown table of
wall time, throughput and peak resident memory (of the measured process,
from wait4). BENCHMARKS.md records the figures and the machine.
"""
import argparse
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "conflictdb")
GEN = os.path.join(ROOT, "target", "release", "examples", "bench_corpus")


def run(args, stdout=subprocess.DEVNULL, stderr=None):
    """Runs a command; returns (seconds, peak RSS in MB, stdout bytes); its
    standard error goes into the list `stderr` if one is given."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=stdout, stderr=subprocess.PIPE)
    out = proc.stdout.read() if stdout == subprocess.PIPE else b""
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(args)} failed:\n{err.decode(errors='replace')}")
    if stderr is not None:
        stderr.append(err.decode(errors="replace"))
    return seconds, usage.ru_maxrss / 1024, out


def phases(stderr):
    """The phases of an ingest, from its summary line (wall seconds)."""
    m = re.search(r"extracting and storing ([\d.]+) s, (?:indexing ([\d.]+) s, )?merging ([\d.]+) s", stderr)
    if not m:
        return ""
    storing, indexing, merging = m.groups()
    return f" (storing {storing} s, indexing {indexing or 0} s, merging {merging} s)"


def corpus(n, path):
    if not os.path.exists(path):
        run([GEN, str(n), path])
    return path


def fresh_db(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return "sqlite://" + path


def floor(corpus_path, db_path):
    """sqlite3 alone: the same article texts into one table, one transaction."""
    import json

    texts = []
    with open(corpus_path, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            texts.append(a["title"] + "\n\n" + a["maintext"])
    fresh_db(db_path)
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    start = time.perf_counter()
    with con:
        con.executemany("INSERT INTO articles (text) VALUES (?)", ((t,) for t in texts))
    seconds = time.perf_counter() - start
    con.close()
    return seconds


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, default=30000, help="corpus for throughput (default 30000)")
    p.add_argument("--large", type=int, default=100000, help="corpus for memory and reports (default 100000)")
    p.add_argument("--work", default="/tmp/conflictdb-bench", help="where corpora and databases go")
    p.add_argument("--floor", nargs=2, metavar=("CORPUS", "DB"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.floor:
        print(floor(*args.floor))
        return
    os.makedirs(args.work, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "conflictdb", "--example", "bench_corpus"],
                   cwd=ROOT, check=True)
    os.chdir(ROOT)
    rows = []

    def row(what, seconds, rss, count=None, unit="articles"):
        rate = f"{count / seconds:,.0f} {unit}/s" if count else ""
        rows.append((what, f"{seconds:.2f} s", rate, f"{rss:.0f} MB" if rss else ""))
        print(f"  {what}: {seconds:.2f} s {rate} {rss:.0f} MB", file=sys.stderr)

    small = corpus(args.articles, os.path.join(args.work, f"corpus-{args.articles}.jsonl"))
    large = corpus(args.large, os.path.join(args.work, f"corpus-{args.large}.jsonl"))
    n = args.articles

    s, rss, _ = run([BIN, "extract", small])
    row(f"extract {n:,} articles", s, rss, n)
    db = os.path.join(args.work, "small.db")
    # Three runs, the median kept: the machine's speed drifts by a third
    # within an hour, and a single run can land anywhere in that.
    runs = []
    for _ in range(3):
        url = fresh_db(db)
        run([BIN, "migrate", "--database-url", url])
        # Not quiet: the summary line gives the phases (no progress bar off a terminal).
        err = []
        s, rss, _ = run([BIN, "ingest", "--database-url", url, small], stderr=err)
        runs.append((s, rss, phases(err[0])))
    runs.sort()
    s, rss, split = runs[1]
    spread = ", ".join(f"{r[0]:.2f}" for r in runs)
    row(f"ingest {n:,} articles (migrated empty database), median of 3 runs ({spread} s){split}",
        s, max(r[1] for r in runs), n)
    ingest_small = s
    # In a child process: the texts it holds would otherwise count in the
    # peak RSS that wait4 reports for every later child (fork copies it).
    # Best of 3: it takes about a second, and the machine's speed drifts.
    f = min(float(subprocess.run([sys.executable, __file__, "--floor", small, os.path.join(args.work, "floor.db")],
                                 check=True, capture_output=True, text=True).stdout) for _ in range(3))
    row(f"floor: sqlite3 inserts the same {n:,} texts, one transaction (best of 3)", f, 0, n)
    rows.append(("ingest / floor", f"{ingest_small / f:.1f}x", "", ""))

    m = args.large
    s, rss, _ = run([BIN, "extract", large])
    row(f"extract {m:,} articles", s, rss, m)
    big = os.path.join(args.work, "large.db")
    url = fresh_db(big)
    err = []
    s, rss, _ = run([BIN, "ingest", "--database-url", url, large], stderr=err)
    row(f"ingest {m:,} articles (new database file){phases(err[0])}", s, rss, m)

    con = sqlite3.connect(big)
    figures = con.execute("SELECT count(*) FROM casualty_figures").fetchone()[0]
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    incidents = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
    con.close()
    rows.append((f"database: {figures:,} figures, {events:,} article events merged into {incidents:,} events, "
                 f"{os.path.getsize(big) / 2**20:,.0f} MB", "", "", ""))
    _, _, names = run([BIN, "report", "--list", "--format", "csv"], stdout=subprocess.PIPE)
    for name in [line.split(",")[0] for line in names.decode().splitlines()[1:]]:
        best = min(run([BIN, "report", name, "--database-url", url, "--format", "csv"])[0:2] for _ in range(3))
        row(f"report {name} (best of 3, whole process)", best[0], best[1])
    s, rss, out = run([BIN, "query", "--database-url", url, "--format", "csv",
                       "SELECT * FROM figure_view"], stdout=subprocess.PIPE)
    lines = out.count(b"\n") - 1
    row(f"query SELECT * FROM figure_view ({lines:,} rows to CSV)", s, rss, lines, "rows")

    print(f"\n{platform.node()}: {os.cpu_count()} cores, {platform.platform()}\n")
    print("| what | time | throughput | peak RSS |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
