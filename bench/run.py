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
- token shards (MB/s): nanotok_encode on one process, engine tiktoken against engine auto, both through
  `nanotok.shards` (bench/engine_bench.py), the shards asserted byte-identical.
- growth: training time and extra peak memory at 1x, 2x, 4x, 8x the corpus (natural text: prefixes of
  `nanotok.train.default_corpus`, this Python's standard library, whose order is already shuffled).
"""
import argparse, gc, json, math, os, platform, re, statistics, sys, time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

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
OVERHEAD_TARGET, HF_BATCH_TARGET, RENDER_TARGET = 1.05, 3.0, 2.0   # time <= 1.05x the raw library's; speed-ups
RENDER_ONE_VS_NANOCHAT, RENDER_MANY_VS_NANOCHAT = 2.0, 2.5   # through the engine, against nanochat's own loop
# The engine's targets are bench/engine_bench.py's; these are their values, for the rows of a run where it failed.
ENGINE_SINGLE_TARGET, ENGINE_BATCH_TARGET, ENGINE_SHARDS_TARGET = 2.5, 3.5, 2.0
NANOCHAT_LOOP, PLAIN_LOOP = "nanochat's render loop", "plain part-by-part loop"   # bench/render.py's baselines

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

# ---------------------------------------------------------------- targets
MET, NOT_MET, WITHIN_NOISE, NOT_MEASURED = "met", "**NOT met**", "within noise", "not measured"

class Target(NamedTuple):
    "One row of the targets table: what, the threshold, what this run measured, the result, a note."
    name: str
    threshold: str
    figure: str
    result: str
    note: str = ""

def speedup_target(name, speed: float, goal: float, note: str = "") -> Target:
    "A target 'at least `goal` times as fast as the baseline' (`speed`: baseline time / ours, paired)."
    return Target(name, f"≥ {goal:g}x", f"{speed:.2f}x", MET if speed >= goal else NOT_MET, note)

def overhead_target(name, speed: float, cpu_speed: float, raw_times) -> Target:
    """A target 'at most OVERHEAD_TARGET times the raw library's time', in speed terms (raw time / ours >= 1/bound).
    Not met, but with less extra time than the raw library's own spread in this run: within noise."""
    extra, s, bound = 1 / speed - 1, rel_spread(raw_times), OVERHEAD_TARGET - 1
    more = f"{extra:.1%} more time" if extra > 0 else f"{-extra:.1%} less time"
    note = f"CPU time: {cpu_speed:.3f}x; the raw library's own runs vary by {s:.0%}"
    if extra <= bound: result = MET
    elif extra < s:
        result = WITHIN_NOISE
        note += f", more than the {extra:.1%} extra time: this run cannot tell"
    else: result = NOT_MET
    return Target(name, f"≥ {1 / OVERHEAD_TARGET:.3f}x (at most {bound:.0%} more time)", f"{speed:.3f}x ({more})",
                  result, note)

def from_engine_bench(t) -> Target:
    "A target row of bench/engine_bench.py: a Target, or (name, figure, ok, note) whose note says 'target Nx'."
    if isinstance(t, Target): return t
    if len(t) == 5: return Target(*t)
    name, figure, ok, note = t
    m = re.search(r"target ([\d.]+)x;?\s*", note)
    threshold = f"≥ {float(m.group(1)):g}x" if m else "(see note)"
    if m: note = (note[:m.start()] + note[m.end():]).strip("; ")
    if "byte-identical" in note: threshold += ", byte-identical shards"
    elif "identical ids" in note: threshold += ", identical ids"
    return Target(name, threshold, figure, MET if ok else NOT_MET, note)

def not_measured(names_thresholds, why: str, result: str = NOT_MEASURED) -> list:
    return [Target(name, threshold, "—", result, why) for name, threshold in names_thresholds]

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
            f"median (min–max) of {cfg['train_reps']}. Speed × raw: the raw library's time / this trainer's, paired "
            "(wall time; CPU: all threads' CPU time). Extra memory = peak RSS − RSS before training; memory ÷ raw: "
            "this trainer's extra memory / the raw library's, paired (below 1 is less).", "",
            "| vocab | trainer | time (s) | speed × raw (wall) | speed × raw (CPU) | extra peak memory (MiB) | "
            "memory ÷ raw | process peak (MiB) |",
            "|---|---|---|---|---|---|---|---|"]
    targets = []
    for name, v, c in jobs:
        r, raw = res[(name, v, c)], res[(RAW_OF.get(name, name), v, c)]
        t, rt = [x["seconds"] for x in r], [x["seconds"] for x in raw]
        m, rm = [x["extra"] for x in r], [x["extra"] for x in raw]
        speed, cpu_speed = paired(rt, t), paired([x["cpu"] for x in raw], [x["cpu"] for x in r])
        rows.append(f"| {v:,} | {name} | {spread(t)} | {speed:.3f} | {cpu_speed:.3f} | {spread(m, fmt='{:.0f}')} | "
                    f"{paired(m, rm):.2f} | {med([x['peak'] for x in r]):.0f} |")
        if name in RAW_OF:
            targets.append(overhead_target(f"training overhead: {name} vs {RAW_OF[name]}, vocab {v:,}",
                                           speed, cpu_speed, rt))
    return rows, targets

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
            "| trainer | corpus | characters | time (s) | time ÷ time at 1x | extra peak memory (MiB) | "
            "memory ÷ memory at 1x |",
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
            targets.append(Target(
                f"training memory grows sub-linearly with the corpus: {n}, vocab {cfg['growth_vocab']:,}, from "
                f"1x = {chars[0]:,} to {GROWTH[-1]}x = {chars[-1]:,} characters",
                "growth exponent < 1", f"exponent {sm:.2f}: {m[-1] / m[0]:.2f}x the memory for "
                f"{chars[-1] / chars[0]:.1f}x the characters", MET if sm < 1 else NOT_MET,
                f"extra peak memory {m[0]:.0f} MiB at 1x, {m[-1]:.0f} MiB at {GROWTH[-1]}x; time exponent {st:.2f}"))
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
            "Speed × raw: the raw library's time / this one's, paired.", "",
            "| mode | implementation | MB/s | speed × raw library |", "|---|---|---|---|"]
    targets = []
    for (mode, name), t in times.items():
        raw = RAW_ENCODER.get(name)
        speed = f"{paired(times[(mode, raw)], t):.3f}" if raw else "1 (raw)"
        rows.append(f"| {mode} | {name} | {spread([mb / x for x in t], fmt='{:.1f}')} | {speed} |")
        if raw:
            sp, cpu_sp = paired(times[(mode, raw)], t), paired(cpu[(mode, raw)], cpu[(mode, name)])
            targets.append(overhead_target(f"encoding overhead: {name} vs {raw}, {mode}", sp, cpu_sp,
                                           times[(mode, raw)]))
    h = "nanotok HuggingFaceTokenizer"
    loop = times[("single", h)]
    one, many = paired(loop, times[("batch, 1 thread", h)]), paired(loop, times[(f"batch, {n} threads", h)])
    note = f"with 1 thread the batch is {one:.2f}x the loop"
    if many < HF_BATCH_TARGET and HF_BATCH_TARGET / one > n:   # what threads must add on top of the 1-thread gain
        note += (f", so {HF_BATCH_TARGET:g}x needs a {HF_BATCH_TARGET / one:.1f}x parallel speed-up: "
                 f"bounded by core count ({n} cores here)")
    targets.append(speedup_target(f"HF batch encode vs a Python loop of encode(text): {h}, {n} threads", many,
                                  HF_BATCH_TARGET, note))
    return rows, targets

# ---------------------------------------------------------------- conversation rendering
def bench_rendering(cfg, rtok, htok) -> tuple:
    import random, render   # bench/render.py: conversations, the two baselines, nanotok's two methods
    prose, code = render.stdlib_texts(1_500_000)
    rows = [f"Rendering {cfg['render_n']:,} conversations per workload (bench/render.py's generator), "
            f"conversations/s, median (min–max) of {cfg['render_reps']}; identical ids and masks asserted. Two "
            f"baselines, both encoding each part with the backend's library as nanochat does: `{NANOCHAT_LOOP}` is "
            f"nanochat's render_conversation as written there (with its deepcopy of a conversation that has a system "
            f"message); `{PLAIN_LOOP}` is the same algorithm without the deepcopy. Speed ×: the baseline's time / "
            "this one's, paired.", "",
            f"| tokenizer | workload | implementation | conversations/s | speed × {NANOCHAT_LOOP} | "
            f"speed × {PLAIN_LOOP} |", "|---|---|---|---|---|---|"]
    targets = []
    for tname, tok in (("RustBPETokenizer", rtok), ("HuggingFaceTokenizer", htok)):
        rng, total = random.Random(0), {}
        for wname, make in render.WORKLOADS:
            convs = [make(rng, prose, code) for _ in range(cfg["render_n"])]
            impls = render.renderers(tok, convs)
            render.check_renderers(impls, convs)
            log(f"rendering: {tname}, {wname.split(' (')[0]}: {len(impls)} ways x {len(convs)} conversations, "
                f"{cfg['render_reps']} reps")
            times, _ = interleaved(impls, cfg["render_reps"])
            for k, t in times.items():
                rows.append(f"| {tname} | {wname.split(' (')[0]} | {k} | "
                            f"{spread([len(convs) / x for x in t], fmt='{:,.0f}')} | "
                            f"{paired(times[NANOCHAT_LOOP], t):.2f} | {paired(times[PLAIN_LOOP], t):.2f} |")
                total[k] = [a + b for a, b in zip(total.get(k, [0] * len(t)), t)]   # per round, both workloads
        threads = f"batched and threaded, on {usable_cores()} cores here"
        if tname == "RustBPETokenizer":   # the engine's targets: against nanochat's own loop
            for k, goal in (("render_conversation", RENDER_ONE_VS_NANOCHAT),
                            ("render_conversations", RENDER_MANY_VS_NANOCHAT)):
                note = (f"identical ids and masks; {paired(total[PLAIN_LOOP], total[k]):.2f}x the {PLAIN_LOOP}"
                        + (f"; {threads}" if k == "render_conversations" else ""))
                targets.append(speedup_target(
                    f"rendering: {tname}.{k} vs {NANOCHAT_LOOP}, same tokenizer, both workloads "
                    f"(engine: {engine_name(tok)})", paired(total[NANOCHAT_LOOP], total[k]), goal, note))
        for k in ("render_conversation", "render_conversations"):
            note = f"{paired(total[NANOCHAT_LOOP], total[k]):.2f}x {NANOCHAT_LOOP}"
            if k == "render_conversations": note += f"; {threads}"
            targets.append(speedup_target(f"rendering: {tname}.{k} vs the {PLAIN_LOOP}, both workloads",
                                          paired(total[PLAIN_LOOP], total[k]), RENDER_TARGET, note))
    return rows, targets

def engine_name(tok) -> str:
    "The engine nanotok.engine picks for `tok`."
    import nanotok.engine as E
    return E.engine_for(tok).name

# ---------------------------------------------------------------- the encoding engine, token shards
def engine_targets_expected(n: int) -> list:
    "(name, threshold) of the engine's encoding targets: the rows of a run where bench/engine_bench.py failed."
    return [("encode one text at a time: nanotok.engine vs tiktoken encode_ordinary", f"≥ {ENGINE_SINGLE_TARGET:g}x, identical ids"),
            (f"encode a list, {n} threads: nanotok.engine vs tiktoken encode_ordinary_batch(num_threads={n})",
             f"≥ {ENGINE_BATCH_TARGET:g}x, identical ids")]

def shards_targets_expected() -> list:
    return [(f"nanotok_encode, 1 process, {k} thread{'s' * (k > 1)}: MB/s through the engine vs the tiktoken path",
             f"≥ {ENGINE_SHARDS_TARGET:g}x, byte-identical shards") for k in (1, 2)]

def guarded(fn, expected: list) -> tuple:
    "Run one of bench/engine_bench.py's benchmarks; where it fails, a section that says why and 'not measured' rows."
    try:
        rows, targets = fn()
    except Exception as e:   # a missing engine, or an engine_bench.py being rewired: report it, run the rest
        why = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}".strip(": ").replace("|", "/")
        if isinstance(e, AssertionError):   # a check failed (other ids, other shards): that is a result
            log(f"  check failed: {why}")
            return [f"A check failed in this run ({why})."], not_measured(expected, f"check failed: {why}", NOT_MET)
        log(f"  not measured: {why}")
        return [f"Not measured in this run ({why})."], not_measured(expected, why)
    targets = [from_engine_bench(t) for t in targets]
    return rows, targets or not_measured(expected, "the benchmark reported no target")

def bench_engine(cfg, rtok) -> tuple:
    def run():
        from engine_bench import bench_engine_encoding
        texts = heldout_texts(cfg["encode_mb"])
        log(f"encoding engine: nanotok.engine vs tiktoken on {len(texts):,} documents, {cfg['encode_reps']} reps")
        return bench_engine_encoding(cfg, rtok, texts, usable_cores())
    return guarded(run, engine_targets_expected(usable_cores()))

def bench_engine_shards(cfg) -> tuple:
    def run():
        from engine_bench import bench_shards
        log(f"token shards: nanotok_encode, tiktoken path vs through the engine, {cfg['shards_mb']} MB, "
            f"{cfg['shards_reps']} reps")
        return bench_shards(cfg["shards_mb"], cfg["encode_vocab"], cfg["shards_reps"], log=log)
    return guarded(run, shards_targets_expected())

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
    rayon, engine = os.environ.get("RAYON_NUM_THREADS"), os.environ.get("NANOTOK_ENGINE")
    return (f"{os.cpu_count()} CPUs ({usable_cores()} usable, {cpu_model()}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {libs}; "
            f"RAYON_NUM_THREADS={rayon or 'unset'} (the thread count of the Rust thread pool that rustbpe's training "
            "and tokenizers' training and batch encoding use; unset: one thread per core); "
            f"NANOTOK_ENGINE={engine or 'unset'} (nanotok's encoding engine switch; unset: fastokens where it loads, "
            "else tiktoken)")

HOW_TO_READ = """\
### How to read this report

- **Speed ratio (×)**: the baseline's time / ours, so **above 1 is faster, below 1 slower** (1.25x: the same work \
in 80% of the time). Every × in this report is this, except columns whose header says `÷` (memory ÷ raw, \
time ÷ time at 1x): those divide our figure by the other, so below 1 is less.
- **Paired median**: the implementations take turns in rounds (A, B, C, then B, C, A, ...), and a ratio is the \
median over rounds of the two times measured in the same round, not the ratio of the two medians: pairing cancels \
the slow drift of a busy machine, the median drops the rounds a burst of load hit.
- **median (min–max)**: each figure is the median of the runs, with the fastest and slowest beside it. "The raw \
library's own runs vary by N%": (slowest − fastest) / median of the raw library's times in this run.
- **Result**: **met**: the figure passes the threshold in this run. **NOT met**: it does not. **within noise**: an \
overhead target not met, but by less extra time than the raw library's own runs vary in this run, so this run \
cannot tell (a run on a quiet machine decides). **not measured**: the benchmark did not run here (the note says \
why).
"""

def report(cmd, machine, load, sections, targets, seconds, quick, date) -> str:
    out = ["## Benchmarks", "", f"Command: `{cmd}`  ", f"Date: {date}  ", f"Machine: {machine}  ",
           f"Load average (1 min) at start / end: {load[0]:.2f} / {load[1]:.2f}; the whole run took "
           f"{seconds / 60:.1f} min.", ""]
    if quick: out += ["**Quick mode**: small corpus, vocabs and few repetitions, a smoke test; the results below are "
                      "indicative only. Run `python bench/run.py` for the figures.", ""]
    out += [HOW_TO_READ, "### Targets", "", "| target | threshold | measured | result | note |", "|---|---|---|---|---|"]
    out += [f"| {t.name} | {t.threshold} | {t.figure} | {t.result} | {t.note} |" for t in targets]
    counts = {r: sum(t.result == r for t in targets) for r in (MET, NOT_MET, WITHIN_NOISE, NOT_MEASURED)}
    out += ["", f"{len(targets)} targets: " + ", ".join(f"{n} {r.strip('*')}" for r, n in counts.items()) + "."]
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
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
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
    md = report(cmd, machine, (load0, os.getloadavg()[0]), sections, targets, time.perf_counter() - t0, args.quick,
                date)
    print(md)
    Path(args.out).write_text(md, encoding="utf-8")
    log(f"written to {args.out}")

if __name__ == "__main__": main()
