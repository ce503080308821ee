"""The encoding engine (nanotok.engine) against tiktoken, conversation rendering and token shards through it.

Used by bench/run.py (sections "Encoding engine" and "Token shards through the engine"); runnable alone:

    python bench/engine_bench.py [--quick]    # trains a tokenizer on the default corpus, prints the markdown

Every row says which engine encoded it. `RustBPETokenizer.encode` and the chat methods encode through the engine
themselves (bench/run.py measures the chat methods), and so does `nanotok_encode` (nanotok.shards.encode_unit): its
shards are measured with the engine forced to tiktoken (`engine="tiktoken"`, as `NANOTOK_ENGINE=tiktoken` does) and
with the default engine, and asserted byte-identical.
"""
import os, shutil, statistics, sys, tempfile, time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

SINGLE_TARGET, BATCH_TARGET, SHARDS_TARGET = 2.5, 3.5, 2.0

def med(xs): return statistics.median(xs)

def paired(xs, ys) -> float:
    "Median over rounds of x/y (x and y measured in the same round)."
    return med([x / y for x, y in zip(xs, ys)])

def interleaved(fns: dict, reps: int) -> dict:
    "Wall seconds of each no-argument callable, `reps` rounds, taking turns (the first one rotates each round)."
    import gc
    names, wall = list(fns), {k: [] for k in fns}
    for r in range(reps):
        for name in names[r % len(names):] + names[:r % len(names)]:
            gc.collect()
            t0 = time.perf_counter()
            fns[name]()
            wall[name].append(time.perf_counter() - t0)
    return wall

# ---------------------------------------------------------------- encoding: the engine side by side with tiktoken
def engine_encoders(rtok, texts, n: int) -> dict:
    "(mode, implementation) -> (engine name, callable encoding all `texts`, output normaliser)."
    import numpy as np
    import nanotok.engine as E
    enc = rtok.enc
    flat = lambda rows: [list(map(int, r)) for r in rows]
    fns = {}
    fns[("single", "tiktoken encode_ordinary")] = ("tiktoken", lambda: [enc.encode_ordinary(t) for t in texts], None)
    fns[("batch, 1 thread", "tiktoken encode_ordinary_batch")] = (
        "tiktoken", lambda: enc.encode_ordinary_batch(texts, num_threads=1), None)
    fns[(f"batch, {n} threads", "tiktoken encode_ordinary_batch")] = (
        "tiktoken", lambda: enc.encode_ordinary_batch(texts, num_threads=n), None)
    fns[("numpy, single", "tiktoken encode_to_numpy")] = (
        "tiktoken", lambda: [enc.encode_to_numpy(t, disallowed_special=()) for t in texts], flat)
    fns[(f"numpy, batch, {n} threads", "tiktoken encode_to_numpy loop")] = (
        "tiktoken", lambda: np.concatenate([enc.encode_to_numpy(t, disallowed_special=()) for t in texts]), None)
    fns[("single", "RustBPETokenizer.encode")] = (E.engine_for(rtok).name, lambda: [rtok.encode(t) for t in texts], None)
    for name in ("fastokens", "tiktoken"):
        eng = E.engine_for(rtok, name)
        label = f"nanotok.engine ({name})"
        fns[("single", label)] = (eng.name, lambda name=name: [E.encode_rows(rtok, t, engine=name) for t in texts], None)
        for k in (1, n):
            mode = f"batch, {k} thread{'s' * (k > 1)}"
            fns[(mode, label)] = (eng.name, lambda k=k, name=name: E.encode_rows(rtok, texts, num_threads=k, engine=name), None)
        fns[("numpy, single", label)] = (eng.name, lambda name=name: [E.encode_rows(rtok, t, as_numpy=True, engine=name)
                                                                      for t in texts], flat)
        fns[(f"numpy, batch, {n} threads", label)] = (eng.name, lambda eng=eng: E.encode_flat(eng, texts, n)[0], None)
    return fns

def bench_engine_encoding(cfg, rtok, texts, n: int) -> tuple:
    "Rows of the markdown table and the targets: MB/s of every way, the engine's speed-up over tiktoken in each mode."
    import numpy as np
    fns = engine_encoders(rtok, texts, n)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    want = [rtok.enc.encode_ordinary(t) for t in texts]
    want_flat = np.concatenate([np.array(w, dtype=np.uint32) for w in want])
    for (mode, name), (_, fn, norm) in fns.items():
        out = fn()
        ok = (np.array_equal(out, want_flat) if mode.startswith("numpy, batch") else (norm(out) if norm else out) == want)
        assert ok, f"{mode}, {name}: other ids than tiktoken"
    times = interleaved({k: v[1] for k, v in fns.items()}, cfg["encode_reps"])
    raw = {mode: next(t for (m, nm), t in times.items() if m == mode and nm.startswith("tiktoken")) for mode, _ in fns}
    rows = [f"{len(texts):,} held-out documents of up to 1,000 characters ({mb:.1f} MB, vocab {cfg['encode_vocab']:,}); "
            f"MB/s, median (min–max) of {cfg['encode_reps']} interleaved rounds; identical ids asserted. × tiktoken: "
            "median over rounds of tiktoken's time / this one's, same mode (above 1 is faster). `numpy, batch`: one "
            "uint32 array for all texts (the engine's `encode_flat`; tiktoken: a loop of `encode_to_numpy`).", "",
            "| mode | implementation | engine | MB/s | × tiktoken |", "|---|---|---|---|---|"]
    for (mode, name), t in times.items():
        speeds = sorted(mb / x for x in t)
        rows.append(f"| {mode} | {name} | {fns[(mode, name)][0]} | {med(speeds):.1f} ({speeds[0]:.1f}–{speeds[-1]:.1f}) "
                    f"| {paired(raw[mode], t):.2f} |")
    fast = "nanotok.engine (fastokens)"
    single = paired(times[("single", "tiktoken encode_ordinary")], times[("single", fast)])
    batch = paired(times[(f"batch, {n} threads", "tiktoken encode_ordinary_batch")], times[(f"batch, {n} threads", fast)])
    eng = fns[("single", fast)][0]
    targets = [(f"encode one text at a time, nanotok.engine vs tiktoken encode_ordinary (engine: {eng})", f"{single:.2f}x",
                single >= SINGLE_TARGET, f"target {SINGLE_TARGET}x; identical ids"),
               (f"encode a list, {n} threads, nanotok.engine vs tiktoken encode_ordinary_batch(num_threads={n}) "
                f"(engine: {eng})", f"{batch:.2f}x", batch >= BATCH_TARGET, f"target {BATCH_TARGET}x; identical ids")]
    return rows, targets

# ---------------------------------------------------------------- token shards: nanotok_encode before / after
def same_tree(a: Path, b: Path) -> bool:
    "Do directories `a` and `b` hold the same files with the same bytes?"
    fa, fb = sorted(p.name for p in a.iterdir()), sorted(p.name for p in b.iterdir())
    return fa == fb and all((a/n).read_bytes() == (b/n).read_bytes() for n in fa)

def bench_shards(mb: float, vocab: int, reps: int, log=print) -> tuple:
    "nanotok_encode on one process with the engine forced to tiktoken vs the default engine (1 and 2 threads): MB/s."
    import nanotok.shards as S, nanotok.engine as E
    from encode_shards import make_corpus
    from nanotok.rust import RustBPETokenizer
    tmp = Path(tempfile.mkdtemp(prefix="nanotok-bench-engine-shards-"))
    try:
        tok_dir, parquet, texts, size_mb = make_corpus(tmp, mb, vocab)
        engine = E.engine_for(RustBPETokenizer.from_directory(tok_dir), "auto").name
        def job(out, choice, threads):
            def run():
                shutil.rmtree(tmp/out, ignore_errors=True)
                E._BUILT.clear()   # each run builds its engine, as a fresh nanotok_encode process does
                S.encode_shards([parquet], tmp/out, tok_dir, shard_tokens=1_000_000, progress=False, threads=threads,
                                engine=choice)
            return run
        label = {"tiktoken": "engine tiktoken (the reference)", "auto": f"engine auto ({engine})"}
        def name(choice, k): return f"nanotok_encode, {label[choice]}, {k} thread{'s' * (k > 1)}"
        fns = {name(c, k): job(f"{c}{k}", c, k) for k in (1, 2) for c in ("tiktoken", "auto")}
        for f in fns.values(): f()
        identical = all(same_tree(tmp/"tiktoken1", tmp/d) for d in ("tiktoken2", "auto1", "auto2"))
        log(f"shards: {len(fns)} ways x {reps} rounds on {size_mb:.1f} MB; byte-identical: {identical}")
        times = interleaved(fns, reps)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows = [f"`nanotok_encode` on one process (`workers=1`), {size_mb:.1f} MB of the default corpus as parquet, vocab "
            f"{vocab:,}, the whole job (tokenizer load and engine build, reading, encoding, shards, indexes); median of "
            f"{reps} interleaved rounds. The same code (nanotok.shards.encode_unit through nanotok.engine), with the "
            "engine forced to tiktoken (`engine=\"tiktoken\"`, as `NANOTOK_ENGINE=tiktoken` does) and with the default "
            f"(`auto`). Shards byte-identical across all four: {identical}.", "",
            "| variant | engine | MB/s | × engine tiktoken, same threads |", "|---|---|---|---|"]
    targets = []
    for k in (1, 2):
        base = times[name("tiktoken", k)]
        for c in ("tiktoken", "auto"):
            t = times[name(c, k)]
            speeds = sorted(size_mb / x for x in t)
            rows.append(f"| {name(c, k)} | {'tiktoken' if c == 'tiktoken' else engine} | {med(speeds):.2f} "
                        f"({speeds[0]:.2f}–{speeds[-1]:.2f}) | {paired(base, t):.2f} |")
        ratio = paired(base, times[name("auto", k)])
        targets.append((f"nanotok_encode, 1 process, {k} thread{'s' * (k > 1)}: engine auto ({engine}) vs engine "
                        "tiktoken, MB/s", f"{ratio:.2f}x", ratio >= SHARDS_TARGET and identical,
                        f"target {SHARDS_TARGET}x; shards byte-identical: {identical}"))
    return rows, targets

# ---------------------------------------------------------------- alone
def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args(argv)
    cfg = dict(encode_vocab=4096 if a.quick else 32768, encode_mb=0.3 if a.quick else 2.0, encode_reps=3 if a.quick else 7)
    from run import heldout_texts, corpus_documents, usable_cores
    from nanotok.rust import RustBPETokenizer
    rtok = RustBPETokenizer.train_from_iterator(corpus_documents(1_000_000 if a.quick else 20_000_000), cfg["encode_vocab"])
    rows, targets = bench_engine_encoding(cfg, rtok, heldout_texts(cfg["encode_mb"]), usable_cores())
    rows2, t2 = bench_shards(1.0 if a.quick else 24, cfg["encode_vocab"], 2 if a.quick else 5)
    for name, fig, ok, note in targets + t2: print(f"| {name} | {fig} | {'met' if ok else '**NOT met**'} | {note} |")
    print("\n".join(rows + [""] + rows2))

if __name__ == "__main__": main()
