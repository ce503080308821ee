"""The encoding engine (nanotok.engine) against tiktoken, conversation rendering and token shards through it.

Used by bench/run.py (sections "Encoding engine" and "Token shards through the engine"); runnable alone:

    python bench/engine_bench.py [--quick]    # trains a tokenizer on the default corpus, prints the markdown

Every row says which engine encoded it. `RustBPETokenizer.encode` and the chat methods encode through the engine
themselves (bench/run.py measures the chat methods); token shards through the engine are measured with a prototype
(`engine_encode_unit` below) until the shards chapter calls the engine itself; its shards are asserted
byte-identical to the current code's.
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
def engine_encode_unit(payload, unit: dict, work_dir, settings: dict) -> dict:
    """Prototype of `nanotok.shards.encode_unit` through the engine: `encode_flat` + `add_specials` (<|bos|> per
    document), ids to little-endian uint16/uint32 bytes with numpy, document starts from the offsets."""
    import array
    import numpy as np
    import nanotok.shards as S, nanotok.engine as E
    if isinstance(payload, str): payload = S._WORKER_PAYLOAD[payload]
    tok = S.payload_tokenizer(payload)
    eng, bos, dtype = E.engine_for(tok), tok.get_bos_token_id(), settings["dtype"]
    bin_path, docs_path = S._unit_files(work_dir, unit["unit"])
    counts = {"unit": unit["unit"], "tokens": 0, "documents": 0, "chars": 0}
    starts = []
    with open(bin_path, "wb") as f:
        for batch in S._batches(S.unit_documents(unit, settings["doc_cap"], settings["doc_chars"]), settings["batch_chars"]):
            ids, offsets = E.add_specials(*E.encode_flat(eng, batch, settings["threads"]), bos)
            starts.append(offsets[:-1] + counts["tokens"])
            f.write(ids.astype("<u2" if dtype == "uint16" else "<u4").tobytes())
            counts["tokens"] += len(ids); counts["documents"] += len(batch); counts["chars"] += sum(map(len, batch))
    with open(docs_path, "wb") as f:
        f.write((np.concatenate(starts) if starts else np.zeros(0)).astype("<u8").tobytes())
    return counts

def before_encode_unit(payload, unit: dict, work_dir, settings: dict) -> dict:
    """`nanotok.shards.encode_unit` as it was before the engine: tiktoken itself (a loop of `encode_ordinary` with 1
    thread, `encode_ordinary_batch` with more), lists of ids, `ids_to_bytes`. Kept here as the fixed baseline."""
    import array, sys as _sys
    import nanotok.shards as S
    if isinstance(payload, str): payload = S._WORKER_PAYLOAD[payload]
    tok = S.payload_tokenizer(payload)
    enc, bos, dtype = tok.enc, tok.get_bos_token_id(), settings["dtype"]
    bin_path, docs_path = S._unit_files(work_dir, unit["unit"])
    counts = {"unit": unit["unit"], "tokens": 0, "documents": 0, "chars": 0}
    starts = array.array("Q")
    with open(bin_path, "wb") as f:
        for batch in S._batches(S.unit_documents(unit, settings["doc_cap"], settings["doc_chars"]), settings["batch_chars"]):
            threads = settings["threads"]
            rows = enc.encode_ordinary_batch(batch, num_threads=threads) if threads > 1 else [enc.encode_ordinary(d) for d in batch]
            rows = [[bos] + r for r in rows]
            n = counts["tokens"]
            for r in rows: starts.append(n); n += len(r)
            f.write(S.ids_to_bytes(rows, dtype))
            counts["tokens"] = n; counts["documents"] += len(batch); counts["chars"] += sum(map(len, batch))
    if _sys.byteorder == "big": starts.byteswap()
    with open(docs_path, "wb") as f: f.write(starts)
    return counts

def shards_wired() -> bool:
    "Does nanotok.shards encode through nanotok.engine already?"
    import nanotok.shards as S, nanotok.engine as E
    return any(v is getattr(E, k, None) for k, v in vars(S).items() if k in ("engine_for", "encode_flat", "add_specials"))

def same_tree(a: Path, b: Path) -> bool:
    "Do directories `a` and `b` hold the same files with the same bytes?"
    fa, fb = sorted(p.name for p in a.iterdir()), sorted(p.name for p in b.iterdir())
    return fa == fb and all((a/n).read_bytes() == (b/n).read_bytes() for n in fa)

def bench_shards(mb: float, vocab: int, reps: int, log=print) -> tuple:
    "nanotok_encode on one process, today's encode_unit vs the engine prototype (1 and 2 threads): MB/s, identical shards."
    import pyarrow as pa, pyarrow.parquet as pq
    import nanotok.shards as S
    from encode_shards import make_corpus
    tmp = Path(tempfile.mkdtemp(prefix="nanotok-bench-engine-shards-"))
    try:
        tok_dir, parquet, texts, size_mb = make_corpus(tmp, mb, vocab)
        current = S.encode_unit
        after = current if shards_wired() else engine_encode_unit
        import nanotok.engine as E
        def job(out, unit_fn, threads):
            def run():
                shutil.rmtree(tmp/out, ignore_errors=True)
                E._BUILT.clear()   # each run builds its engine, as a fresh nanotok_encode process does
                S.encode_unit = unit_fn
                try: S.encode_shards([parquet], tmp/out, tok_dir, shard_tokens=1_000_000, progress=False, threads=threads)
                finally: S.encode_unit = current
            return run
        fns = {"today (tiktoken), 1 thread": job("today1", before_encode_unit, 1),
               "today (tiktoken), 2 threads": job("today2", before_encode_unit, 2),
               "through the engine, 1 thread": job("eng1", after, 1), "through the engine, 2 threads": job("eng2", after, 2)}
        for f in fns.values(): f()
        identical = all(same_tree(tmp/"today1", tmp/d) for d in ("today2", "eng1", "eng2"))
        from nanotok.rust import RustBPETokenizer
        import nanotok.engine as E
        engine = E.engine_for(RustBPETokenizer.from_directory(tok_dir)).name
        log(f"shards: {len(fns)} ways x {reps} rounds on {size_mb:.1f} MB; byte-identical: {identical}")
        times = interleaved(fns, reps)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows = [f"`nanotok_encode` on one process (`workers=1`), {size_mb:.1f} MB of the default corpus as parquet, vocab "
            f"{vocab:,}, the whole job (tokenizer load and engine build, reading, encoding, shards, indexes); median of "
            f"{reps} interleaved rounds. "
            "`today`: encode_unit as it was before the engine (tiktoken, lists; bench/engine_bench.py's "
            "before_encode_unit); `engine`: through nanotok.engine (the shards chapter's encode_unit once it calls the "
            f"engine, until then engine_encode_unit's prototype). Shards byte-identical across all four: {identical}.", "",
            "| variant | engine | MB/s | × today, same threads |", "|---|---|---|---|"]
    targets = []
    for k in (1, 2):
        base = times[f"today (tiktoken), {k} thread{'s' * (k > 1)}"]
        for name in (f"today (tiktoken), {k} thread{'s' * (k > 1)}", f"through the engine, {k} thread{'s' * (k > 1)}"):
            t = times[name]
            speeds = sorted(size_mb / x for x in t)
            eng = "tiktoken" if name.startswith("today") else engine
            rows.append(f"| {name} | {eng} | {med(speeds):.2f} ({speeds[0]:.2f}–{speeds[-1]:.2f}) | {paired(base, t):.2f} |")
        ratio = paired(base, times[f"through the engine, {k} thread{'s' * (k > 1)}"])
        targets.append((f"nanotok_encode, 1 process, {k} thread{'s' * (k > 1)}: engine vs today's MB/s "
                        f"(engine: {engine})", f"{ratio:.2f}x", ratio >= SHARDS_TARGET and identical,
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
