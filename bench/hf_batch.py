"""Batch encoding with HuggingFaceTokenizer: `encode(list_of_texts)` against a Python loop of `encode(text)`.

Trains a HuggingFaceTokenizer on standard-library source (or loads a saved one), cuts held-out
text into documents, asserts that both ways give identical ids, then times them side by side
in one run, interleaved (loop, batch, loop, batch, ...) so drift on a shared machine hits both
alike, and prints the medians and their ratio. The batch path is the tokenizers library's own
multi-threaded `encode_batch_fast`; its thread count is the library's (set RAYON_NUM_THREADS
to change it), so the ratio grows with the number of CPU cores.

    python bench/hf_batch.py                       # trains an 8k-vocab tokenizer on ~3 MB of stdlib text first
    python bench/hf_batch.py --tokenizer DIR       # a directory with tokenizer.json
    python bench/hf_batch.py --doc-chars 300 --n-docs 20000 --reps 7
"""
import argparse, os, statistics, sysconfig, time
from pathlib import Path
from nanotok.hf import HuggingFaceTokenizer

def stdlib_text(max_chars: int) -> list:
    "Source files of the standard library, sorted by path, until `max_chars`."
    root, docs, n = Path(sysconfig.get_paths()["stdlib"]), [], 0
    for p in sorted(root.glob("*.py")):
        try: t = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError): continue
        docs.append(t); n += len(t)
        if n >= max_chars: break
    return docs

def loop_and_batch(tok, texts: list) -> tuple:
    "Two callables encoding `texts` with `tok`: a Python loop of `encode(text)`, and one `encode(texts)`; same ids asserted."
    loop = lambda: [tok.encode(t) for t in texts]
    batch = lambda: tok.encode(texts)
    assert loop() == batch(), "batch and loop give different ids"
    return loop, batch

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokenizer", help="directory with a tokenizer.json (default: train one)")
    ap.add_argument("--vocab-size", type=int, default=8192)
    ap.add_argument("--train-chars", type=int, default=3_000_000)
    ap.add_argument("--doc-chars", type=int, default=1000, help="characters per document in the batch")
    ap.add_argument("--n-docs", type=int, default=5000)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()

    docs = stdlib_text(a.train_chars + a.doc_chars * a.n_docs)
    split = next(i for i in range(len(docs)) if sum(map(len, docs[:i + 1])) >= a.train_chars)
    train, held = docs[:split + 1], "\n".join(docs[split + 1:])
    if a.tokenizer: tok = HuggingFaceTokenizer.from_directory(a.tokenizer)
    else:
        t0 = time.perf_counter(); tok = HuggingFaceTokenizer.train_from_iterator(train, a.vocab_size)
        print(f"trained {tok} on {sum(map(len, train)):,} chars in {time.perf_counter() - t0:.2f} s")
    if len(held) < a.doc_chars * 10: held = "\n".join(train)   # not enough held-out text: reuse
    texts = [held[(i * a.doc_chars) % max(1, len(held) - a.doc_chars):][:a.doc_chars] for i in range(a.n_docs)]
    mb = sum(len(t.encode()) for t in texts) / 1e6

    loop, batch = loop_and_batch(tok, texts)

    times = {"loop": [], "batch": []}
    for _ in range(a.reps):
        for name, f in (("loop", loop), ("batch", batch)):
            t0 = time.perf_counter(); f(); times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{len(texts):,} texts of {a.doc_chars} chars ({mb:.1f} MB), {a.reps} reps, "
          f"{os.cpu_count()} CPUs (usable: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}), "
          f"RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', 'unset')}")
    for k in ("loop", "batch"):
        print(f"  {k:5s} median {med[k] * 1e3:8.1f} ms  ({mb / med[k]:6.1f} MB/s)  all: {[round(t * 1e3, 1) for t in times[k]]}")
    print(f"batch is {med['loop'] / med['batch']:.2f}x faster than the Python loop")

if __name__ == "__main__": main()
