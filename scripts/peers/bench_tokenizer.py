#!/usr/bin/env python3
"""Peer side of `align bench tokenizer`: encode throughput of huggingface/tokenizers (Rust, via Python).

Three jobs (run with the pinned venv of scripts/fixtures/requirements-tokenizers.txt):

  # 1. the benchmark text: ~4 MB of mixed local text (Python code, reStructuredText docs, multilingual prose)
  python scripts/peers/bench_tokenizer.py make-text /tmp/bench-text.txt
  # 2. a Llama-3-style 128k-vocabulary byte-level BPE, trained on the CPython stdlib (not committed: ~8 MB)
  python scripts/peers/bench_tokenizer.py make-128k /tmp/tokenizer-128k.json
  # 4. (optional) a parity spot check on the benchmark text itself: ids, tokens and offsets of the whole file
  python scripts/peers/bench_tokenizer.py verify --tokenizer F --text F --align .build/release/align
  # 3. the measurement: encode_batch over the text's lines with RAYON_NUM_THREADS threads, best of --repeat
  python scripts/peers/bench_tokenizer.py run --tokenizer F --text F --threads 2

`run` prints one JSON object: {"peer": "tokenizers <version>", "threads", "bytes", "seconds", "mb_per_s",
"tokens"}. `align bench tokenizer --peer PYTHON` calls it in the same run and reports the ratio.
"""
import argparse
import glob
import json
import os
import sys
import time

STDLIB = "/root/.pyenv/versions/3.11.7/lib/python3.11"
LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def stdlib_files(patterns):
    files = []
    for p in patterns:
        files += sorted(glob.glob(os.path.join(STDLIB, p), recursive=True))
    return [f for f in files if "site-packages" not in f]


def read(f):
    with open(f, encoding="utf-8", errors="replace") as fh:
        return fh.read()


def make_text(out, target=4_000_000):
    """Mixed text: 50% Python code, 35% docs/prose (.txt/.rst), 15% multilingual test data."""
    parts = []
    for patterns, share in ((["**/*.py"], 0.50), (["**/*.txt", "**/*.rst"], 0.35),
                            (["test/test_unicode*.py", "test/test_codecs.py", "test/cjkencodings/*.txt"], 0.15)):
        budget, got = int(target * share), 0
        for f in stdlib_files(patterns):
            t = read(f)
            parts.append(t)
            got += len(t.encode("utf-8"))
            if got >= budget:
                break
    text = "".join(parts)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(json.dumps({"text": out, "bytes": len(text.encode("utf-8"))}))


def make_128k(out):
    from tokenizers import Tokenizer, Regex, models, pre_tokenizers, decoders, processors, trainers
    tok = Tokenizer(models.BPE(ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_REGEX), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    special = ["<|begin_of_text|>", "<|end_of_text|>"] + [f"<|reserved_special_token_{i}|>" for i in range(254)]
    trainer = trainers.BpeTrainer(vocab_size=128_256, min_frequency=1, special_tokens=special, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    corpus = [read(f) for f in stdlib_files(["**/*.py", "**/*.txt", "**/*.rst", "**/*.md"])]
    tok.train_from_iterator(corpus, trainer=trainer)
    tok.save(out)
    print(json.dumps({"tokenizer": out, "vocab_size": tok.get_vocab_size()}))


def run(args):
    os.environ["RAYON_NUM_THREADS"] = str(args.threads)  # must be set before the rayon pool starts
    os.environ["TOKENIZERS_PARALLELISM"] = "true" if args.threads > 1 else "false"
    import tokenizers
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(args.tokenizer)
    text = read(args.text)
    lines = text.splitlines(keepends=True)
    nbytes = len(text.encode("utf-8"))
    tok.encode_batch(lines[:2000])  # warm up
    best, ntok = float("inf"), 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        encs = tok.encode_batch(lines)
        best = min(best, time.perf_counter() - t0)
        ntok = sum(len(e.ids) for e in encs)
    print(json.dumps({"peer": f"tokenizers {tokenizers.__version__}", "threads": args.threads, "bytes": nbytes,
                      "seconds": best, "mb_per_s": nbytes / best / 1e6, "tokens": ntok}))


def verify(args):
    import subprocess
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(args.tokenizer)
    text = read(args.text)
    enc = tok.encode(text)
    out = subprocess.run([args.align, "tokenize", "--tokenizer", args.tokenizer, "--file", args.text, "--json"],
                         check=True, capture_output=True, text=True).stdout
    ours = json.loads(out)
    result = {"tokenizer": args.tokenizer, "tokens": len(enc.ids), "ids_equal": ours["ids"] == enc.ids,
              "tokens_equal": ours["tokens"] == enc.tokens,
              "offsets_equal": [tuple(o) for o in ours["offsets"]] == enc.offsets}
    print(json.dumps(result))
    return 0 if all(v for k, v in result.items() if k.endswith("_equal")) else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("make-text"); a.add_argument("out")
    b = sub.add_parser("make-128k"); b.add_argument("out")
    c = sub.add_parser("run")
    c.add_argument("--tokenizer", required=True)
    c.add_argument("--text", required=True)
    c.add_argument("--threads", type=int, default=2)
    c.add_argument("--repeat", type=int, default=3)
    v = sub.add_parser("verify")
    v.add_argument("--tokenizer", required=True)
    v.add_argument("--text", required=True)
    v.add_argument("--align", default=".build/release/align")
    args = ap.parse_args()
    if args.cmd == "make-text":
        make_text(args.out)
    elif args.cmd == "make-128k":
        make_128k(args.out)
    elif args.cmd == "verify":
        return verify(args)
    else:
        run(args)


if __name__ == "__main__":
    sys.exit(main())
