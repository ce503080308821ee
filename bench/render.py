"""Conversations per second: nanotok's render_conversation against the plain part-by-part loop.

Renders realistic conversations (a system prompt, several turns, python tool calls and their
outputs, Unicode) with three implementations, side by side in one run, interleaved
(A, B, C, A, B, C, ...) so drift on a shared machine hits all alike, and reports medians:

- `nanochat loop`: nanochat's algorithm as written there: `deepcopy` when there is a system
  message, one `encode` per part (nanochat's: tiktoken's `encode_ordinary`, or tokenizers' `encode`),
  lists extended one part at a time, specials looked up per call;
- `plain loop`: the same without the `deepcopy` (the fairest plain baseline);
- `render_conversation`: nanotok, one conversation per call;
- `render_conversations`: nanotok's batch API, the whole list in one call.

Both nanotok methods encode through nanotok.engine (for RustBPETokenizer: fastokens, or tiktoken with
NANOTOK_ENGINE=tiktoken); the baselines call the backend's library directly, as nanochat does.

Every implementation's output is asserted identical before timing.

    python bench/render.py                      # trains a 16k-vocab tokenizer on ~6 MB of stdlib text first
    python bench/render.py --tokenizer DIR      # use a saved tokenizer (e.g. ~/.cache/nanotok/tokenizer)
    python bench/render.py --quick
"""
import argparse, copy, random, statistics, sys, sysconfig, time, inspect, re
from pathlib import Path
from nanotok.tokenizer import RustBPETokenizer
import nanotok.chat  # noqa: F401  (attaches the chat methods)

# ---------------------------------------------------------------- the plain baseline (nanochat's algorithm)
def nanochat_encoder(tok):
    """What nanochat's own `encode(text)` does for one str, on `tok`'s library: `enc.encode_ordinary` (tiktoken) or
    `tokenizer.encode(..., add_special_tokens=False).ids` (tokenizers), after its isinstance check. The baselines use
    it instead of `tok.encode`, so they stay nanochat's whatever engine nanotok's own encode uses."""
    if hasattr(tok, "enc"):
        encode_ordinary = tok.enc.encode_ordinary
        def encode(text):
            if isinstance(text, str): return encode_ordinary(text)
            raise ValueError(f"Invalid input type: {type(text)}")
    else:
        hf = tok.tokenizer
        def encode(text):
            if isinstance(text, str): return hf.encode(text, add_special_tokens=False).ids
            raise ValueError(f"Invalid input type: {type(text)}")
    return encode

def nanochat_render(tok, conversation, max_tokens=2048, deepcopy=True, encode=None):
    encode = encode or nanochat_encoder(tok)
    ids, mask = [], []
    def add_tokens(token_ids, mask_val):
        if isinstance(token_ids, int): token_ids = [token_ids]
        ids.extend(token_ids)
        mask.extend([mask_val] * len(token_ids))
    if conversation["messages"][0]["role"] == "system":
        if deepcopy:
            conversation = copy.deepcopy(conversation)
            messages = conversation["messages"]
            messages[1]["content"] = messages[0]["content"] + "\n\n" + messages[1]["content"]
            messages = messages[1:]
        else:
            m = conversation["messages"]
            messages = [{"role": "user", "content": m[0]["content"] + "\n\n" + m[1]["content"]}] + m[2:]
    else:
        messages = conversation["messages"]
    bos = tok.get_bos_token_id()
    user_start, user_end = tok.encode_special("<|user_start|>"), tok.encode_special("<|user_end|>")
    assistant_start, assistant_end = tok.encode_special("<|assistant_start|>"), tok.encode_special("<|assistant_end|>")
    python_start, python_end = tok.encode_special("<|python_start|>"), tok.encode_special("<|python_end|>")
    output_start, output_end = tok.encode_special("<|output_start|>"), tok.encode_special("<|output_end|>")
    add_tokens(bos, 0)
    for i, message in enumerate(messages):
        must_be_from = "user" if i % 2 == 0 else "assistant"
        if message["role"] != must_be_from: raise ValueError(f"Message {i} is from {message['role']} but should be from {must_be_from}")
        content = message["content"]
        if message["role"] == "user":
            if not isinstance(content, str): raise ValueError("User messages are simply expected to be strings")
            value_ids = encode(content)
            add_tokens(user_start, 0); add_tokens(value_ids, 0); add_tokens(user_end, 0)
        elif message["role"] == "assistant":
            add_tokens(assistant_start, 0)
            if isinstance(content, str):
                add_tokens(encode(content), 1)
            elif isinstance(content, list):
                for part in content:
                    value_ids = encode(part["text"])
                    if part["type"] == "text": add_tokens(value_ids, 1)
                    elif part["type"] == "python":
                        add_tokens(python_start, 1); add_tokens(value_ids, 1); add_tokens(python_end, 1)
                    elif part["type"] == "python_output":
                        add_tokens(output_start, 0); add_tokens(value_ids, 0); add_tokens(output_end, 0)
                    else: raise ValueError(f"Unknown part type: {part['type']}")
            else: raise ValueError(f"Unknown content type: {type(content)}")
            add_tokens(assistant_end, 1)
    return ids[:max_tokens], mask[:max_tokens]

# ---------------------------------------------------------------- realistic conversations
UNICODE = ["写一段 Python 打印3的倍数。", "可以使用 for 循环：先遍历，再判断余数。", "这个问题的答案是 42，对吗？",
           "日本語でも説明してください。", "Voilà, ça marche très bien — merci !", "Привет! Посчитай, пожалуйста, сумму.",
           "Ñandú, pingüino y acción: ¿cuántos hay?", "∑ᵢ xᵢ² ≥ 0 ⇒ ok ✓", "Great, thanks 🙂👍", "Schöne Grüße aus Köln."]
SYSTEMS = ["You are a helpful assistant. Answer concisely and use the Python tool for any arithmetic.",
           "You are nanochat, a small language model. Be friendly, precise, and say when you are unsure.",
           "你是一个乐于助人的助手。请用简洁的语言回答问题。"]

def stdlib_texts(max_chars):
    "Docstrings (prose) and function sources (code) of the standard library."
    prose, code, total = [], [], 0
    for p in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py")):
        try: src = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError): continue
        prose += [d.strip() for d in re.findall(r'"""(.*?)"""', src, re.S) if len(d.strip()) > 80]
        code += [m.group(0) for m in re.finditer(r"^    def .*?(?=^    def |\Z)", src, re.S | re.M) if 100 < len(m.group(0)) < 1500]
        total += len(src)
        if total >= max_chars: break
    return prose, code

def chat_conversation(rng, prose, code):
    msgs = [{"role": "system", "content": rng.choice(SYSTEMS)}] if rng.random() < 0.7 else []
    for _ in range(rng.randint(2, 5)):
        msgs.append({"role": "user", "content": rng.choice(UNICODE) + " " + rng.choice(prose)[:rng.randint(60, 400)]})
        if rng.random() < 0.5:
            msgs.append({"role": "assistant", "content": rng.choice(prose)[:rng.randint(200, 1200)] + " " + rng.choice(UNICODE)})
        else:
            parts = []
            for _ in range(rng.randint(1, 3)):
                parts.append({"type": "text", "text": rng.choice(prose)[:rng.randint(40, 300)]})
                parts.append({"type": "python", "text": rng.choice(code)[:rng.randint(40, 600)]})
                parts.append({"type": "python_output", "text": repr([rng.randint(0, 999) for _ in range(rng.randint(1, 12))])})
            parts.append({"type": "text", "text": rng.choice(UNICODE)})
            msgs.append({"role": "assistant", "content": parts})
    return {"messages": msgs}

def tool_conversation(rng, prose, code):
    "GSM8K-style, as nanochat's SFT renders it: many short text / python / output parts."
    msgs = [{"role": "system", "content": rng.choice(SYSTEMS)}]
    for _ in range(rng.randint(1, 2)):
        a, b = rng.randint(2, 999), rng.randint(2, 99)
        msgs.append({"role": "user", "content": f"{rng.choice(UNICODE)} A shop sells {a} apples a day for {b} days; "
                                                  f"{rng.choice(prose)[:rng.randint(80, 250)]} How many apples in total?"})
        parts = []
        for _ in range(rng.randint(2, 5)):
            x, y = rng.randint(1, 999), rng.randint(1, 99)
            parts += [{"type": "text", "text": f"It sells {x} per day for {y} days, so "},
                      {"type": "python", "text": f"{x}*{y}"}, {"type": "python_output", "text": str(x * y)},
                      {"type": "text", "text": f" apples. "}]
        parts.append({"type": "text", "text": f"#### {a * b}"})
        msgs.append({"role": "assistant", "content": parts})
    return {"messages": msgs}

WORKLOADS = (("chat (system prompt, 2-5 turns, tool calls, Unicode)", chat_conversation),
             ("tool use (GSM8K-style, many short parts)", tool_conversation))

# ---------------------------------------------------------------- timing
def timed(fn):
    t0 = time.perf_counter(); out = fn(); return time.perf_counter() - t0, out

def renderers(tok, convs) -> dict:
    "The implementations compared, each a no-argument callable rendering all of `convs` with `tok`."
    nc = nanochat_encoder(tok)
    fns = {
        "nanochat loop": lambda: [nanochat_render(tok, c, encode=nc) for c in convs],
        "plain loop (no deepcopy)": lambda: [nanochat_render(tok, c, deepcopy=False, encode=nc) for c in convs],
        "render_conversation": lambda: [tok.render_conversation(c) for c in convs],
        "render_conversations": lambda: tok.render_conversations(convs),
    }
    return fns

def check_renderers(impls, convs) -> list:
    "Assert every implementation gives the nanochat loop's output and leaves `convs` unchanged; the output."
    before = copy.deepcopy(convs)
    ref = impls["nanochat loop"]()
    for name, fn in impls.items(): assert fn() == ref, f"{name} differs from the nanochat loop"
    assert convs == before, "an implementation mutated its input"
    return ref

def bench(tok, convs, reps):
    impls = renderers(tok, convs)
    ref = check_renderers(impls, convs)
    times = {k: [] for k in impls}
    for _ in range(reps):
        for name, fn in impls.items(): times[name].append(timed(fn)[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    n_tok = sum(len(i) for i, _ in ref)
    for k, v in times.items():
        print(f"  {k:26} {len(convs) / med[k]:9,.0f} conv/s  (median of {reps}; min {min(v)*1e3:7.1f} ms, max {max(v)*1e3:7.1f} ms)"
              f"  {med['plain loop (no deepcopy)'] / med[k]:5.2f}x vs plain loop, {med['nanochat loop'] / med[k]:5.2f}x vs nanochat")
    return med, n_tok

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokenizer", help="directory of a saved tokenizer (default: train one)")
    ap.add_argument("--vocab", type=int, default=16384)
    ap.add_argument("--n", type=int, default=2000, help="conversations per workload")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-hf", action="store_true", help="skip the HuggingFace backend")
    args = ap.parse_args(argv)
    if args.quick: args.n, args.reps, args.vocab = 300, 3, 4096
    prose, code = stdlib_texts(6_000_000 if not args.quick else 1_500_000)
    if args.tokenizer: tok = RustBPETokenizer.from_directory(args.tokenizer)
    else:
        t0 = time.perf_counter()
        tok = RustBPETokenizer.train_from_iterator(prose + code + UNICODE * 50 + SYSTEMS * 50, args.vocab)
        print(f"trained {tok} on {len(prose) + len(code):,} stdlib texts in {time.perf_counter() - t0:.1f} s")
    toks = [("RustBPETokenizer", tok)]
    if not args.no_hf:
        try:
            from nanotok.tokenizer import HuggingFaceTokenizer
            t0 = time.perf_counter()
            htok = HuggingFaceTokenizer.train_from_iterator(prose + code + UNICODE * 50 + SYSTEMS * 50, args.vocab)
            print(f"trained {htok} in {time.perf_counter() - t0:.1f} s")
            toks.append(("HuggingFaceTokenizer", htok))
        except ImportError: print("nanotok has no HuggingFaceTokenizer: skipped")
    for tname, tok in toks:
        print(f"=== {tname}")
        run_workloads(tok, prose, code, args)

def run_workloads(tok, prose, code, args):
    rng = random.Random(0)
    total = {}
    for name, make in WORKLOADS:
        convs = [make(rng, prose, code) for _ in range(args.n)]
        n_parts = sum(1 + (len(m["content"]) if isinstance(m["content"], list) else 1) for c in convs for m in c["messages"])
        print(f"{name}: {len(convs)} conversations, {n_parts / len(convs):.1f} parts each")
        med, n_tok = bench(tok, convs, args.reps)
        print(f"  {n_tok / len(convs):.0f} tokens per conversation; identical output asserted")
        for k, v in med.items(): total[k] = total.get(k, 0) + v
    r = total["plain loop (no deepcopy)"] / total["render_conversation"]
    rb = total["plain loop (no deepcopy)"] / total["render_conversations"]
    print(f"both workloads: render_conversation {r:.2f}x, render_conversations {rb:.2f}x the plain loop "
          f"({total['nanochat loop'] / total['render_conversation']:.2f}x / {total['nanochat loop'] / total['render_conversations']:.2f}x "
          f"nanochat's); target >= 2x: {'met' if r >= 2 else 'NOT met'} one at a time, {'met' if rb >= 2 else 'NOT met'} batched")

if __name__ == "__main__": main()
