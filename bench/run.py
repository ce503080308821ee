"""nanotok's benchmark suite: training, encoding, chat rendering and how training cost grows, as ratios.

    python bench/run.py                  # full run (a few minutes on 2 cores)
    python bench/run.py --quick          # smaller corpus, vocabs and repetitions (under a minute)
    python bench/run.py --out FILE.md    # where the markdown report goes (default: bench/results.md)

Every comparison is measured side by side in one run: the implementations take turns (A, B, C, A, B, C, ...,
starting one later each round) so that drift on a shared machine hits all alike, and we report medians with the
min-max spread. Absolute numbers drift from machine to machine and minute to minute; the ratios are the result.

- training: nanotok's RustBPETokenizer against rustbpe called directly (nanochat's recipe, from
  bench/train_wrapper.py), HF's BpeTrainer called directly (nanochat's HuggingFaceTokenizer config) against
  nanotok's HuggingFaceTokenizer; same documents, two vocab sizes. Each training runs in a fresh process, which
  loads the documents, then trains: the time is the training call's; the memory is the process's peak RSS
  (VmHWM, via bench/train_overhead.py's `run_child`; Linux only) minus its RSS just before training.
- encoding (MB/s): a Python loop of single-string encodes, and one batch call with 1 and N threads; nanotok's
  RustBPETokenizer against tiktoken, nanotok's HuggingFaceTokenizer against tokenizers. Same ids asserted.
- encoding engine (MB/s): nanotok.engine (fastokens, and tiktoken as the reference) side by side with tiktoken
  itself: one text at a time, a batch with 1 and N threads, numpy output (bench/engine_bench.py); every row names
  the engine that encoded it.
- rendering (conversations/s): bench/render.py's conversations and plain part-by-part implementation, nanochat's
  own loop, nanotok's two methods (which encode through nanotok.engine).
- token shards (MB/s): nanotok_encode on one process, today against the engine (bench/engine_bench.py), the
  shards asserted byte-identical.
- growth: training time and extra peak memory at 1x, 2x, 4x, 8x the corpus (natural text: prefixes of
  `nanotok.train.default_corpus`, this Python's standard library, whose order is already shuffled).
"""
import argparse, gc, json, math, os, platform, statistics, sys, time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
from train_overhead import run_child   # noqa: E402  (fresh process; wall time, peak RSS, stdout)

# ---------------------------------------------------------------- configuration of the two modes
# train_chars None: the whole train split of the default corpus (what `nanotok_train` trains on by default);
# growth_base None: 1/8 of it, so that 8x is the whole split.
FULL = dict(train_chars=None, vocabs=(4096, 32768), train_reps=9, shards_mb=24, shards_reps=5,
            growth_vocab=8192, growth_reps=3,
            encode_vocab=32768, encode_mb=2.0, encode_reps=7,
            render_n=1000, render_reps=5)
QUICK = dict(train_chars=1_000_000, vocabs=(1024, 4096), train_reps=2, shards_mb=1, shards_reps=2,
             growth_vocab=2048, growth_reps=2, growth_base=250_000,
             encode_vocab=4096, encode_mb=0.5, encode_reps=3,
             render_n=150, render_reps=3)
GROWTH = (1, 2, 4, 8)
OVERHEAD_TARGET, HF_BATCH_TARGET, RENDER_TARGET = 1.05, 3.0, 2.0
RENDER_ONE_VS_NANOCHAT, RENDER_MANY_VS_NANOCHAT = 2.0, 2.5   # through the engine, against nanochat's own loop

START = time.perf_counter()
def log(*a): print(f"[{time.perf_counter() - START:5.0f} s]", *a, file=sys.stderr, flush=True)

# ---------------------------------------------------------------- measuring
def interleaved(fns: dict, reps: int) -> tuple:
    "Wall and CPU seconds (all threads) of each no-argument callable in `fns`, `reps` times, taking turns."
    names, wall, cpu = list(fns), {k: [] for k in fns}, {k: [] for k in fns}
    for r in range(reps):
        for name in names[r % len(names):] + names[:r % len(names)]:   # the start rotates each round
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            fns[name]()
            wall[name].append(time.perf_counter() - t0); cpu[name].append(time.process_time() - c0)
    return wall, cpu

def paired(xs, ys) -> float:
    """Median over rounds of x/y, x and y measured in the same round: the ratio we report.
    Pairing cancels slow drift of a shared machine; the median drops rounds that a burst of load hit."""
    return med([x / y for x, y in zip(xs, ys)])

def med(xs): return statistics.median(xs)

def spread(xs, scale=1.0, fmt="{:.2f}") -> str:
    "'median (min-max)' of `xs` times `scale`."
    v = sorted(x * scale for x in xs)
    return f"{fmt.format(med(v))} ({fmt.format(v[0])}–{fmt.format(v[-1])})"

def rel_spread(xs) -> float:
    "Run-to-run spread as a fraction of the median: (max - min) / median."
    return (max(xs) - min(xs)) / med(xs)

def verdict(ok: bool) -> str: return "met" if ok else "**NOT met**"

# ---------------------------------------------------------------- the corpus
def corpus_documents(max_chars: int) -> list:
    "The first `max_chars` characters of nanotok's default corpus (standard library code and docs), as documents."
    from nanotok.train import default_corpus, limit_documents
    return list(limit_documents(default_corpus("train"), max_chars=max_chars))

def corpus_size() -> int:
    from nanotok.train import default_corpus
    return sum(map(len, default_corpus("train")))

def heldout_texts(mb: float, doc_chars: int = 1000) -> list:
    "Held-out documents of the default corpus cut to `doc_chars`, cycled until about `mb` MB of UTF-8."
    from nanotok.train import default_corpus
    docs = list(default_corpus("heldout", doc_chars=doc_chars))
    texts, n = [], 0
    while n < mb * 1e6:
        for d in docs:
            texts.append(d); n += len(d.encode())
            if n >= mb * 1e6: break
    return texts

# ---------------------------------------------------------------- training, one run per fresh process
def hf_direct(docs, vocab_size):
    "HF's BpeTrainer called directly, configured as nanochat's HuggingFaceTokenizer.train_from_iterator (no progress bar)."
    from tokenizers import Tokenizer, Regex, pre_tokenizers, decoders
    from tokenizers.models import BPE
    from tokenizers.trainers import BpeTrainer
    from nanotok.pattern import SPLIT_PATTERN
    from nanotok.special import SPECIAL_TOKENS
    tok = Tokenizer(BPE(byte_fallback=True, unk_token=None, fuse_unk=False))
    tok.normalizer = None
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(pattern=Regex(SPLIT_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = None
    trainer = BpeTrainer(vocab_size=vocab_size, show_progress=False, min_frequency=0,
                         initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=SPECIAL_TOKENS)
    tok.train_from_iterator(iter(docs), trainer)
    return tok

def nanotok_hf(docs, vocab_size):
    from nanotok.hf import HuggingFaceTokenizer
    return HuggingFaceTokenizer.train_from_iterator(iter(docs), vocab_size)

def trainers() -> dict:
    "Name -> train(docs, vocab_size); raw library first, then the nanotok class that wraps it."
    import train_wrapper
    return {"rustbpe direct": train_wrapper.direct, "nanotok RustBPETokenizer": train_wrapper.wrapped,
            "HF BpeTrainer direct": hf_direct, "nanotok HuggingFaceTokenizer": nanotok_hf}
RAW_OF = {"nanotok RustBPETokenizer": "rustbpe direct", "nanotok HuggingFaceTokenizer": "HF BpeTrainer direct"}

def rss_mib() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1]) / 1024
    return float("nan")

def child_train(name: str, vocab_size: str, max_chars: str):
    "In a fresh process: load the documents, train once, print JSON with the training time and RSS before it."
    docs = corpus_documents(int(max_chars))
    train = trainers()[name]
    gc.collect()
    before = rss_mib()
    t0, c0 = time.perf_counter(), time.process_time()
    train(docs, int(vocab_size))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_before": before, "chars": sum(map(len, docs))}))

CHILD = f"import sys; sys.path.insert(0, {str(BENCH_DIR)!r}); import run; run.child_train(*sys.argv[1:])"

def train_once(name, vocab, chars) -> dict:
    _, peak, out, _ = run_child(CHILD, name, vocab, chars)
    res = json.loads(out.strip().splitlines()[-1])
    res["peak"], res["extra"] = peak, peak - res["rss_before"]
    return res

def run_children(jobs: list, reps: int) -> dict:
    "Run each (name, vocab, chars) job `reps` times, taking turns; job -> list of results."
    out = {j: [] for j in jobs}
    for r in range(reps):
        for j in jobs[r % len(jobs):] + jobs[:r % len(jobs)]: out[j].append(train_once(*j))
        log(f"  round {r + 1}/{reps} done")
    return out

def check_same_training():
    "The raw and nanotok trainers must do the same work: same vocab on a small corpus."
    docs, t = corpus_documents(200_000), trainers()
    assert t["rustbpe direct"](docs, 1024)._mergeable_ranks == t["nanotok RustBPETokenizer"](docs, 1024)._mergeable_ranks
    assert t["HF BpeTrainer direct"](docs, 1024).to_str() == nanotok_hf(docs, 1024).tokenizer.to_str()

def bench_training(cfg) -> tuple:
    n_chars = cfg["train_chars"] or corpus_size()
    log(f"training: {len(trainers())} trainers x vocab {cfg['vocabs']} on {n_chars:,} chars, {cfg['train_reps']} reps")
    check_same_training()
    jobs = [(name, v, n_chars) for v in cfg["vocabs"] for name in trainers()]
    res = run_children(jobs, cfg["train_reps"])
    chars = res[jobs[0]][0]["chars"]
    rows = [f"Training on the same {chars:,} characters (default corpus), each run in a fresh process; "
            f"median (min–max) of {cfg['train_reps']}. × raw: median over rounds of this run / the raw library's run "
            "in the same round (time: wall; CPU: all threads). Extra memory = peak RSS − RSS before training.", "",
            "| vocab | trainer | time (s) | × raw | CPU × raw | extra peak memory (MiB) | × raw | process peak (MiB) |",
            "|---|---|---|---|---|---|---|---|"]
    targets = []
    for name, v, c in jobs:
        r, raw = res[(name, v, c)], res[(RAW_OF.get(name, name), v, c)]
        t, rt = [x["seconds"] for x in r], [x["seconds"] for x in raw]
        m, rm = [x["extra"] for x in r], [x["extra"] for x in raw]
        ratio, cpu_ratio = paired(t, rt), paired([x["cpu"] for x in r], [x["cpu"] for x in raw])
        rows.append(f"| {v:,} | {name} | {spread(t)} | {ratio:.3f} | {cpu_ratio:.3f} | {spread(m, fmt='{:.0f}')} | "
                    f"{paired(m, rm):.2f} | {med([x['peak'] for x in r]):.0f} |")
        if name in RAW_OF:
            targets.append((f"training overhead, {name} vs {RAW_OF[name]}, vocab {v:,}", f"{ratio:.3f}x time",
                            ratio <= OVERHEAD_TARGET, noise_note(ratio, cpu_ratio, rt)))
    return rows, targets

def noise_note(ratio, cpu_ratio, raw_times) -> str:
    "CPU-time ratio and the raw library's own run-to-run spread, to judge a wall-time ratio on a busy machine."
    s = rel_spread(raw_times)
    note = f"CPU time {cpu_ratio:.3f}x; the raw library's own spread {s:.0%}"
    if ratio > OVERHEAD_TARGET and ratio - 1 < s: note += " (the excess is within it)"
    return note

# ---------------------------------------------------------------- how training cost grows with the corpus
def slope(xs, ys) -> float:
    "Least-squares slope of log(y) against log(x): 1 is linear growth, below 1 sub-linear."
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-9)) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)

def bench_growth(cfg) -> tuple:
    base = cfg.get("growth_base") or corpus_size() // GROWTH[-1]
    names = ["nanotok RustBPETokenizer", "nanotok HuggingFaceTokenizer"]
    log(f"growth: {names} at {GROWTH} x {base:,} chars, vocab {cfg['growth_vocab']}, {cfg['growth_reps']} reps")
    jobs = [(n, cfg["growth_vocab"], base * k) for n in names for k in GROWTH]
    res = run_children(jobs, cfg["growth_reps"])
    rows = [f"Training cost against corpus size (1x ≈ {base:,} characters, whole documents of the default corpus, vocab "
            f"{cfg['growth_vocab']:,}), each run in a fresh process; median of {cfg['growth_reps']}. "
            "Growth exponent: slope of log(cost) against log(size) (1 = linear).", "",
            "| trainer | corpus | characters | time (s) | × 1x | extra peak memory (MiB) | × 1x |",
            "|---|---|---|---|---|---|---|"]
    targets = []
    for n in names:
        r = [res[(n, cfg["growth_vocab"], base * k)] for k in GROWTH]
        t = [med([x["seconds"] for x in rr]) for rr in r]
        m = [med([x["extra"] for x in rr]) for rr in r]
        chars = [rr[0]["chars"] for rr in r]
        for k, c, ti, mi in zip(GROWTH, chars, t, m):
            rows.append(f"| {n} | {k}x | {c:,} | {ti:.2f} | {ti / t[0]:.2f} | {mi:.0f} | {mi / m[0]:.2f} |")
        st, sm = slope(chars, t), slope(chars, m)
        rows.append(f"| {n} | growth exponent | | | {st:.2f} | | {sm:.2f} |")
        if n == names[0]:
            targets.append((f"training memory grows sub-linearly ({n}, 1x→8x)",
                            f"exponent {sm:.2f} ({m[-1] / m[0]:.2f}x memory for {chars[-1] / chars[0]:.1f}x text)",
                            sm < 1, f"time exponent {st:.2f}"))
    return rows, targets

# ---------------------------------------------------------------- encoding throughput
@contextmanager
def hf_threads(parallel: bool):
    "Let the tokenizers library use its thread pool (RAYON_NUM_THREADS or all cores) or one thread."
    old = os.environ.get("TOKENIZERS_PARALLELISM")
    os.environ["TOKENIZERS_PARALLELISM"] = "true" if parallel else "false"
    try: yield
    finally:
        if old is None: del os.environ["TOKENIZERS_PARALLELISM"]
        else: os.environ["TOKENIZERS_PARALLELISM"] = old

def with_hf_threads(fn, parallel):
    def call():
        with hf_threads(parallel): return fn()
    return call

def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

def encoders(rtok, htok, texts, n_threads) -> dict:
    "(mode, implementation) -> callable encoding all `texts`; nanotok's loop and batch come from bench/hf_batch.py."
    from hf_batch import loop_and_batch
    enc, raw_hf = rtok.enc, htok.tokenizer
    r_loop, _ = loop_and_batch(rtok, texts)
    h_loop, h_batch = loop_and_batch(htok, texts)
    fns = {("single", "nanotok RustBPETokenizer"): r_loop,
           ("single", "tiktoken"): lambda: [enc.encode_ordinary(t) for t in texts],
           ("single", "nanotok HuggingFaceTokenizer"): h_loop,
           ("single", "tokenizers"): lambda: [raw_hf.encode(t, add_special_tokens=False).ids for t in texts]}
    for k, par in ((1, False), (n_threads, True)):
        mode = f"batch, {k} thread{'s' * (k > 1)}"
        fns[(mode, "nanotok RustBPETokenizer")] = lambda k=k: rtok.encode(texts, num_threads=k)
        fns[(mode, "tiktoken")] = lambda k=k: enc.encode_ordinary_batch(texts, num_threads=k)
        fns[(mode, "nanotok HuggingFaceTokenizer")] = with_hf_threads(h_batch, par)
        fns[(mode, "tokenizers")] = with_hf_threads(
            lambda: [e.ids for e in raw_hf.encode_batch_fast(texts, add_special_tokens=False)], par)
    return fns
RAW_ENCODER = {"nanotok RustBPETokenizer": "tiktoken", "nanotok HuggingFaceTokenizer": "tokenizers"}

def train_in_process(cfg) -> tuple:
    from nanotok.rust import RustBPETokenizer
    from nanotok.hf import HuggingFaceTokenizer
    docs = corpus_documents(cfg["train_chars"] or corpus_size())
    return (RustBPETokenizer.train_from_iterator(docs, cfg["encode_vocab"]),
            HuggingFaceTokenizer.train_from_iterator(docs, cfg["encode_vocab"]))

def bench_encoding(cfg, rtok, htok) -> tuple:
    texts = heldout_texts(cfg["encode_mb"])
    mb, n = sum(len(t.encode()) for t in texts) / 1e6, usable_cores()
    fns = encoders(rtok, htok, texts, n)
    log(f"encoding: {len(fns)} ways x {mb:.1f} MB, {cfg['encode_reps']} reps")
    ref = {"RustBPE": fns[("single", "tiktoken")](), "HF": fns[("single", "tokenizers")]()}
    for (mode, name), fn in fns.items():
        assert fn() == ref["HF" if "HuggingFace" in name or name == "tokenizers" else "RustBPE"], f"{mode} {name} differs"
    times, cpu = interleaved(fns, cfg["encode_reps"])
    rows = [f"Encoding {len(texts):,} held-out documents of up to 1,000 characters ({mb:.1f} MB; vocab "
            f"{cfg['encode_vocab']:,}); MB/s, median (min–max) of {cfg['encode_reps']}; identical ids asserted. "
            f"single = a Python loop of encode(text); batch = one encode(list) call with 1 thread (tiktoken "
            f"num_threads=1; tokenizers with TOKENIZERS_PARALLELISM=false) or N = {n} threads (usable cores). "
            "× raw: median over rounds of the raw library's time / this one's in the same round (above 1 is faster).", "",
            "| mode | implementation | MB/s | × raw library |", "|---|---|---|---|"]
    targets = []
    for (mode, name), t in times.items():
        raw = RAW_ENCODER.get(name)
        speed = f"{paired(times[(mode, raw)], t):.3f}" if raw else "1 (raw)"
        rows.append(f"| {mode} | {name} | {spread([mb / x for x in t], fmt='{:.1f}')} | {speed} |")
        if raw:
            overhead, cpu_overhead = paired(t, times[(mode, raw)]), paired(cpu[(mode, name)], cpu[(mode, raw)])
            targets.append((f"encoding overhead, {name} vs {raw}, {mode}", f"{overhead:.3f}x time",
                            overhead <= OVERHEAD_TARGET, noise_note(overhead, cpu_overhead, times[(mode, raw)])))
    h = "nanotok HuggingFaceTokenizer"
    loop = times[("single", h)]
    one, many = paired(loop, times[("batch, 1 thread", h)]), paired(loop, times[(f"batch, {n} threads", h)])
    note = f"with 1 thread the batch is {one:.2f}x the loop"
    if many < HF_BATCH_TARGET and HF_BATCH_TARGET / one > n:   # what threads must add on top of the 1-thread gain
        note += (f", so {HF_BATCH_TARGET:g}x needs a {HF_BATCH_TARGET / one:.1f}x parallel speed-up: "
                 f"bounded by core count ({n} cores here)")
    targets.append((f"HF batch encode vs a Python loop ({h}, {n} threads)", f"{many:.2f}x", many >= HF_BATCH_TARGET, note))
    return rows, targets

# ---------------------------------------------------------------- conversation rendering
def bench_rendering(cfg, rtok, htok) -> tuple:
    import random, render   # bench/render.py: conversations, the plain implementation, nanotok's two methods
    prose, code = render.stdlib_texts(1_500_000)
    rows = [f"Rendering {cfg['render_n']:,} conversations per workload (bench/render.py's generator), conversations/s, "
            f"median (min–max) of {cfg['render_reps']}; identical ids and masks asserted; × plain loop: paired as above. `plain loop`: nanochat's "
            "part-by-part algorithm without its deepcopy; `nanochat loop`: as written in nanochat.", "",
            "| tokenizer | workload | implementation | conversations/s | × plain loop |", "|---|---|---|---|---|"]
    targets = []
    for tname, tok in (("RustBPETokenizer", rtok), ("HuggingFaceTokenizer", htok)):
        rng, total = random.Random(0), {}
        for wname, make in render.WORKLOADS:
            convs = [make(rng, prose, code) for _ in range(cfg["render_n"])]
            impls = render.renderers(tok, convs)
            render.check_renderers(impls, convs)
            log(f"rendering: {tname}, {wname.split(' (')[0]}: {len(impls)} ways x {len(convs)} conversations, {cfg['render_reps']} reps")
            times, _ = interleaved(impls, cfg["render_reps"])
            plain = times["plain loop (no deepcopy)"]
            for k, t in times.items():
                rows.append(f"| {tname} | {wname.split(' (')[0]} | {k} | {spread([len(convs) / x for x in t], fmt='{:,.0f}')} | "
                            f"{paired(plain, t):.2f} |")
                total[k] = [a + b for a, b in zip(total.get(k, [0] * len(t)), t)]   # per round, both workloads
        for k, goal in (("render_conversation", RENDER_ONE_VS_NANOCHAT), ("render_conversations", RENDER_MANY_VS_NANOCHAT)):
            if tname != "RustBPETokenizer": break   # the targets are the fast engine's (the HF rows are in the table)
            ratio = paired(total["nanochat loop"], total[k])
            targets.append((f"rendering, {tname}.{k} vs nanochat's loop (both workloads; engine: {engine_name(tok)})",
                            f"{ratio:.2f}x", ratio >= goal, f"target {goal}x; identical ids and masks"))
        for k in ("render_conversation", "render_conversations"):
            ratio = paired(total["plain loop (no deepcopy)"], total[k])
            note = f"{paired(total['nanochat loop'], total[k]):.2f}x nanochat's own loop"
            if k == "render_conversations": note += f"; batched and threaded, on {usable_cores()} cores here"
            targets.append((f"rendering, {tname}.{k} vs the plain loop (both workloads)", f"{ratio:.2f}x",
                            ratio >= RENDER_TARGET, note))
    return rows, targets

def engine_name(tok) -> str:
    "The engine nanotok.engine picks for `tok`."
    import nanotok.engine as E
    return E.engine_for(tok).name

# ---------------------------------------------------------------- the encoding engine, token shards
def bench_engine(cfg, rtok) -> tuple:
    from engine_bench import bench_engine_encoding
    texts = heldout_texts(cfg["encode_mb"])
    log(f"encoding engine: nanotok.engine vs tiktoken on {len(texts):,} documents, {cfg['encode_reps']} reps")
    return bench_engine_encoding(cfg, rtok, texts, usable_cores())

def bench_engine_shards(cfg) -> tuple:
    from engine_bench import bench_shards
    log(f"token shards: nanotok_encode today vs through the engine, {cfg['shards_mb']} MB, {cfg['shards_reps']} reps")
    return bench_shards(cfg["shards_mb"], cfg["encode_vocab"], cfg["shards_reps"], log=log)

# ---------------------------------------------------------------- the machine and the report
def version(dist):
    try: return metadata.version(dist)
    except metadata.PackageNotFoundError: return "not installed"

def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"): return line.split(":", 1)[1].strip()
    except OSError: pass
    return platform.processor() or platform.machine()

def machine_line() -> str:
    libs = ", ".join(f"{d} {version(d)}" for d in ("nanotok", "rustbpe", "tiktoken", "fastokens", "tokenizers", "torch"))
    return (f"{os.cpu_count()} CPUs ({usable_cores()} usable, {cpu_model()}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {libs}; RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', 'unset')}; "
            f"NANOTOK_ENGINE={os.environ.get('NANOTOK_ENGINE', 'unset')}")

def report(cmd, machine, load, sections, targets, seconds, quick) -> str:
    out = ["## Benchmarks", "", f"Command: `{cmd}`  ", f"Machine: {machine}  ",
           f"Load average (1 min) at start / end: {load[0]:.2f} / {load[1]:.2f}; the whole run took {seconds / 60:.1f} min.", ""]
    if quick: out += ["**Quick mode**: small corpus, vocabs and few repetitions, a smoke test; the verdicts below are "
                      "indicative only. Run `python bench/run.py` for the figures.", ""]
    out += ["### Targets", "", "| target | figure | result | note |", "|---|---|---|---|"]
    out += [f"| {name} | {fig} | {verdict(ok)} | {note} |" for name, fig, ok, note in targets]
    for title, rows in sections: out += ["", f"### {title}", "", *rows]
    return "\n".join(out) + "\n"

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small corpus, vocabs and repetitions (under a minute)")
    ap.add_argument("--out", default=str(BENCH_DIR / "results.md"), help="markdown report (default: bench/results.md)")
    args = ap.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    cmd = "python bench/run.py" + (" --quick" if args.quick else "")
    t0, load0, machine = time.perf_counter(), os.getloadavg()[0], machine_line()
    log(machine)
    sections, targets = [], []
    rows, tg = bench_training(cfg); sections.append(("Training", rows)); targets += tg
    rows, tg_growth = bench_growth(cfg); sections.append(("How training cost grows with the corpus", rows))
    log("training the tokenizers for encoding and rendering (in-process)")
    rtok, htok = train_in_process(cfg)
    rows, tg = bench_encoding(cfg, rtok, htok); sections.append(("Encoding throughput", rows)); targets += tg
    rows, tg = bench_engine(cfg, rtok); sections.append(("Encoding engine", rows)); targets += tg
    rows, tg = bench_rendering(cfg, rtok, htok); sections.append(("Conversation rendering", rows)); targets += tg
    rows, tg = bench_engine_shards(cfg); sections.append(("Token shards through the engine", rows)); targets += tg
    targets += tg_growth
    md = report(cmd, machine, (load0, os.getloadavg()[0]), sections, targets, time.perf_counter() - t0, args.quick)
    print(md)
    Path(args.out).write_text(md, encoding="utf-8")
    log(f"written to {args.out}")

if __name__ == "__main__": main()
