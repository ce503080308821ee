"""Wrapper overhead of RustBPETokenizer.train_from_iterator against calling rustbpe directly.

Both train on the same documents and vocab size, interleaved (A, B, A, B, ...) so drift on a
shared machine hits both alike; we report medians, min-max, and the ratio of medians.
The direct call is nanochat's recipe: rustbpe training, then a tiktoken Encoding from the ranks.

    python bench/train_wrapper.py            # ~20 MB of stdlib text, vocab 32768, 5 reps
    python bench/train_wrapper.py --quick    # ~2 MB, vocab 4096, 3 reps
"""
import argparse, statistics, sys, sysconfig, time
from pathlib import Path
import rustbpe, tiktoken
from nanotok.rust import RustBPETokenizer
from nanotok.pattern import SPLIT_PATTERN
from nanotok.special import SPECIAL_TOKENS

def stdlib_documents(max_chars):
    "Source files of the Python standard library, sorted, as documents (cropped to 10k chars each)."
    docs, total = [], 0
    for p in sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py")):
        if "site-packages" in p.parts or "test" in p.parts: continue
        try: text = p.read_text(encoding="utf-8")[:10_000]
        except (UnicodeDecodeError, OSError): continue
        docs.append(text); total += len(text)
        if total >= max_chars: break
    return docs

def direct(docs, vocab_size):
    tok = rustbpe.Tokenizer()
    tok.train_from_iterator(iter(docs), vocab_size - len(SPECIAL_TOKENS), pattern=SPLIT_PATTERN)
    ranks = {bytes(k): v for k, v in tok.get_mergeable_ranks()}
    specials = {name: len(ranks) + i for i, name in enumerate(SPECIAL_TOKENS)}
    return tiktoken.Encoding(name="rustbpe", pat_str=tok.get_pattern(), mergeable_ranks=ranks, special_tokens=specials)

def wrapped(docs, vocab_size):
    return RustBPETokenizer.train_from_iterator(iter(docs), vocab_size).enc

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int)
    args = ap.parse_args(argv)
    max_chars, vocab, reps = (2_000_000, 4096, 3) if args.quick else (20_000_000, 32768, 5)
    reps = args.reps or reps
    docs = stdlib_documents(max_chars)
    print(f"{len(docs)} documents, {sum(map(len, docs)):,} chars, vocab {vocab}, {reps} reps")
    times = {"rustbpe direct": [], "RustBPETokenizer": []}
    for _ in range(reps):
        for name, fn in (("rustbpe direct", direct), ("RustBPETokenizer", wrapped)):
            t0 = time.perf_counter(); enc = fn(docs, vocab); times[name].append(time.perf_counter() - t0)
    a, b = (statistics.median(times[k]) for k in times)
    for k, v in times.items(): print(f"{k:18} median {statistics.median(v):7.3f} s  (min {min(v):.3f}, max {max(v):.3f})")
    print(f"overhead of the wrapper: {b / a:.3f}x ({(b / a - 1) * 100:+.1f}%)  target <= 1.05x: {'met' if b / a <= 1.05 else 'NOT met'}")
    return b / a

if __name__ == "__main__": main()
