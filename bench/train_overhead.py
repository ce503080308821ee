#!/usr/bin/env python
"""What does `nanotok_train` cost on top of rustbpe's own training? And does its memory stay flat on parquet input?

Rerunnable: `python bench/train_overhead.py [--reps 5] [--copies 2] [--factor 4]`. Every figure is a median of
`--reps` runs, measured side by side in one run (the variants take turns, so a busy machine slows them alike).

Part 1, the default corpus (vocab 32768):
  A  rustbpe alone        in-process, the same documents already in a list: only `rustbpe.Tokenizer().train_from_iterator`
  B  nanotok_train        the whole command in a fresh process (interpreter start, imports incl. torch, reading, training,
                          checks, saving tokenizer + token_bytes.pt)
  C  train_and_save       the same job in-process with the imports done (what B costs beyond start-up)
  D  rustbpe script       a fresh process that imports rustbpe, reads the default corpus and trains: the smallest script
                          a user could write instead of B
  Ratios: B/A (the issue's target), C/A, B/D.

Part 2, parquet input: the default corpus written `copies` times (1x) and `copies * factor` times (Nx) into parquet
files with 1024-row row groups (nanochat's shard layout). The documents repeat, so rustbpe's own counts are the same
at both sizes and any growth of peak memory with file size is the reader's.
  peak RSS of: nanotok_train on each file; our reader alone (read_parquet); a naive reader (pq.read_table().to_pylist(),
  the control that does grow); rustbpe alone fed by our reader.
  time at Nx: nanotok_train (whole process) vs rustbpe alone on the same documents in a list (B/A at scale).
"""
import argparse, os, resource, statistics, subprocess, sys, tempfile, time, shutil, platform
from pathlib import Path

PY = sys.executable
VOCAB = 32768

# Peak memory is the child's own high-water mark (VmHWM in /proc/self/status, written to stderr at exit). The
# kernel's ru_maxrss would not do: it keeps the maximum across fork+exec, so a child of a big parent reports the
# parent's size.
HWM = ("import atexit, sys\n"
       "def _hwm():\n"
       "    for line in open('/proc/self/status'):\n"
       "        if line.startswith('VmHWM:'): sys.stderr.write('\\nVMHWM_KB ' + line.split()[1] + '\\n')\n"
       "atexit.register(_hwm)\n")

def run_child(code: str, *args) -> tuple:
    "Run `python -c code args`; (wall seconds, peak RSS in MiB, stdout, CPU seconds of the child)."
    t = time.perf_counter()
    p = subprocess.Popen([PY, "-c", HWM + code, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    r = resource.getrusage(resource.RUSAGE_CHILDREN)   # cumulative over waited children: take the difference
    cpu = r.ru_utime + r.ru_stime - run_child.cpu_seen; run_child.cpu_seen += cpu
    if p.returncode != 0: raise RuntimeError(f"child failed ({p.returncode}):\n{err[-2000:]}")
    kb = [l.split()[1] for l in err.splitlines() if l.startswith("VMHWM_KB ")]
    return wall, (int(kb[-1]) / 1024 if kb else float("nan")), out, cpu
run_child.cpu_seen = 0.0

def self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime

TRAIN_CLI = "import sys; from nanotok.train import main; sys.exit(main())"
RUSTBPE_SCRIPT = """
import sys, time, rustbpe
from nanotok.pattern import SPLIT_PATTERN
from nanotok.train import default_corpus
tok = rustbpe.Tokenizer(); tok.train_from_iterator(default_corpus(), int(sys.argv[1]) - 9, pattern=SPLIT_PATTERN)
"""
RUSTBPE_LIST = """
import sys, time, rustbpe
from nanotok.pattern import SPLIT_PATTERN
from nanotok.train import read_parquet
docs = [d[:10000] for d in read_parquet(sys.argv[1])]
t = time.perf_counter()
tok = rustbpe.Tokenizer(); tok.train_from_iterator(iter(docs), int(sys.argv[2]) - 9, pattern=SPLIT_PATTERN)
print(time.perf_counter() - t)
"""
RUSTBPE_STREAM = """
import sys, rustbpe
from nanotok.pattern import SPLIT_PATTERN
from nanotok.train import read_parquet, limit_documents
tok = rustbpe.Tokenizer(); tok.train_from_iterator(limit_documents(read_parquet(sys.argv[1])), int(sys.argv[2]) - 9, pattern=SPLIT_PATTERN)
"""
READER = """
import sys
from nanotok.train import read_parquet
print(sum(len(d) for d in read_parquet(sys.argv[1])))
"""
NAIVE = """
import sys, pyarrow.parquet as pq
docs = pq.read_table(sys.argv[1], columns=["text"]).column("text").to_pylist()
print(sum(len(d) for d in docs))
"""
BASELINE = "import nanotok.train, rustbpe, pyarrow.parquet"

def med(xs): return statistics.median(xs)

def part1(reps: int, tmp: Path):
    import rustbpe
    from nanotok.pattern import SPLIT_PATTERN
    from nanotok.train import default_corpus, train_and_save
    docs = list(default_corpus())
    train_and_save(None, VOCAB, tmp/"inproc", progress=False)   # warm-up: C measures the job with imports (torch) done
    print(f"default corpus: {len(docs):,} documents, {sum(map(len, docs)):,} characters; vocab {VOCAB}; {reps} reps\n")
    W = {k: [] for k in "ABCD"}; U = {k: [] for k in "ABCD"}; reports = []
    def inproc(key, f):
        t, c = time.perf_counter(), self_cpu(); res = f()
        W[key].append(time.perf_counter() - t); U[key].append(self_cpu() - c); return res
    def child(key, *a):
        wall, _, _, cpu = run_child(*a); W[key].append(wall); U[key].append(cpu)
    for r in range(reps):
        inproc("A", lambda: rustbpe.Tokenizer().train_from_iterator(iter(docs), VOCAB - 9, pattern=SPLIT_PATTERN))
        child("B", TRAIN_CLI, "--out", tmp/"cli", "--no-progress")
        reports.append(inproc("C", lambda: train_and_save(None, VOCAB, tmp/"inproc", progress=False)))
        child("D", RUSTBPE_SCRIPT, VOCAB)
        print(f"  rep {r + 1}: " + "  ".join(f"{k} {W[k][-1]:.2f}s ({U[k][-1]:.2f} cpu)" for k in "ABCD"), flush=True)
    start = med(run_child("import sys")[0] for _ in range(3))
    imports = med(run_child("import nanotok.train, nanotok.rust")[0] for _ in range(3)) - start
    torch_import = med(run_child("import torch")[0] for _ in range(3)) - start
    a, b, c, d = (med(W[k]) for k in "ABCD")
    ua, ub, uc, ud = (med(U[k]) for k in "ABCD")
    print(f"\nmedians                                    wall         CPU (all threads)")
    print(f"A  rustbpe alone (docs in a list)       {a:6.2f} s          {ua:6.2f} s")
    print(f"B  nanotok_train, whole process         {b:6.2f} s {b / a:5.2f}x  {ub:6.2f} s {ub / ua:5.2f}x  (vs A)")
    print(f"C  train_and_save, in-process           {c:6.2f} s {c / a:5.2f}x  {uc:6.2f} s {uc / ua:5.2f}x  (vs A)")
    print(f"D  rustbpe script, whole process        {d:6.2f} s          {ud:6.2f} s")
    print(f"   B vs D (whole process vs whole process): wall {b / d:.2f}x, CPU {ub / ud:.2f}x")
    print(f"   of C: reading+training {med(r.train_s for r in reports):.2f} s, checks {med(r.check_s for r in reports):.2f} s, "
          f"saving+reload {med(r.save_s for r in reports):.2f} s")
    print(f"   fixed costs in B: interpreter start {start:.2f} s, nanotok imports {imports:.2f} s, "
          f"torch import (for token_bytes.pt) {torch_import:.2f} s")
    return dict(A=a, B=b, C=c, D=d)

def write_parquet(path: Path, copies: int):
    import pyarrow as pa, pyarrow.parquet as pq
    from nanotok.train import default_corpus
    docs = list(default_corpus())
    schema = pa.schema([("text", pa.string())])
    with pq.ParquetWriter(path, schema) as w:
        for _ in range(copies):
            for i in range(0, len(docs), 1024):
                w.write_table(pa.table({"text": docs[i:i + 1024]}, schema=schema), row_group_size=1024)
    return path.stat().st_size

def part2(reps: int, copies: int, factor: int, tmp: Path):
    sizes = {}
    for name, n in (("1x", copies), (f"{factor}x", copies * factor)):
        p = tmp/f"corpus_{name}.parquet"
        sizes[name] = (p, write_parquet(p, n), n)
    print("\nparquet files: " + ", ".join(f"{k}: {c} copies, {s / 2**20:.0f} MiB on disk" for k, (_, s, c) in sizes.items()))
    base_rss = run_child(BASELINE)[1]
    print(f"\npeak RSS (MiB; a process that only imports nanotok.train, rustbpe and pyarrow: {base_rss:.0f})")
    print(f"{'':34}" + "".join(f"{k:>10}" for k in sizes) + "    growth")
    rows = {
        "nanotok_train (vocab 32768)": lambda p: run_child(TRAIN_CLI, "--input", p, "--out", tmp/"pq_out", "--no-progress")[1],
        "rustbpe fed by read_parquet": lambda p: run_child(RUSTBPE_STREAM, p, VOCAB)[1],
        "read_parquet alone": lambda p: run_child(READER, p)[1],
        "naive read_table().to_pylist()": lambda p: run_child(NAIVE, p)[1],
    }
    mem = {}
    for label, f in rows.items():
        vals = [f(p) for p, _, _ in sizes.values()]
        mem[label] = vals
        print(f"{label:34}" + "".join(f"{v:10.0f}" for v in vals) + f"    {vals[-1] / vals[0]:.2f}x")
    big = list(sizes.values())[-1][0]
    T, L = [], []
    for r in range(reps):
        T.append(run_child(TRAIN_CLI, "--input", big, "--out", tmp/"pq_out", "--no-progress")[0])
        L.append(float(run_child(RUSTBPE_LIST, big, VOCAB)[2]))
        print(f"  rep {r + 1}: nanotok_train {T[-1]:.2f} s, rustbpe alone {L[-1]:.2f} s", flush=True)
    t, l = med(T), med(L)
    print(f"\ntime on the {list(sizes)[-1]} file: nanotok_train whole process {t:.2f} s, rustbpe alone on the same "
          f"documents in a list {l:.2f} s: {t / l:.2f}x")
    return mem, t / l

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--copies", type=int, default=2, help="copies of the default corpus in the 1x parquet file")
    ap.add_argument("--factor", type=int, default=4, help="the big parquet file is this many times the small one")
    ap.add_argument("--skip-parquet", action="store_true")
    args = ap.parse_args()
    import rustbpe, tiktoken
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, "
          f"tiktoken {tiktoken.__version__}")
    tmp = Path(tempfile.mkdtemp(prefix="nanotok-bench-"))
    try:
        part1(args.reps, tmp)
        if not args.skip_parquet: part2(max(1, args.reps // 2), args.copies, args.factor, tmp)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")

if __name__ == "__main__": main()
