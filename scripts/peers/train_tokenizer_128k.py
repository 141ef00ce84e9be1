#!/usr/bin/env python3
"""Trains the 128k byte-level BPE tokenizer that `align bench grammar` and grammar_maskbench.py use for
issue 7's large-vocabulary run (a Llama-3-sized vocabulary: 128,000 ids). Nothing is downloaded: the
corpus is the text under ../shared/data (the preference sets, IFEval prompts and responses, the
JSON-Schema-Test-Suite and JSONSchemaBench's schema collections), read in sorted path order.

Pre-tokenizer: Llama 3's split regex (tiktoken cl100k pattern: contractions, letter runs with one
leading non-letter, digit runs of 1-3, punctuation runs, newlines, spaces) followed by GPT-2's
byte-to-unicode mapping (`ByteLevel(use_regex=False)`), so every token is a byte string decodable by
AlignKit's GrammarVocabulary. Special tokens `<pad>`=0, `<s>`=1, `</s>`=2 as in tokenizer-32k.json.

Corpus size: 255 files, 45.9 MB. With min_frequency=2 the trainer runs out of pairs at 107,549 tokens;
the default min_frequency=1 lets it go on to 128,000: merges are taken in count order, so the first
107,290 merges are exactly the min_frequency=2 ones and the last ~20k merge pairs seen once in the corpus
(ties broken by the trainer's pair order). The vocabulary size (mask width, trie size) is what the
grammar benchmark measures, so the count-1 tail is acceptable there; it is not a tokenizer to model with.

Left out of the corpus: `jsonschemabench/maskbench` (the benchmark's own instances, so the tokenizer is
not fitted to the text it is measured on) and `models/` (weights, the 32k tokenizer). Deterministic: the
trainer breaks count ties by pair ids, and the script prints the sha256 of the written file.

usage: train_tokenizer_128k.py [--shared ../shared/data] [--out bench-out/tokenizer-128k.json] [--vocab 128000]
       [--min-frequency 1]
Pinned: tokenizers in requirements-grammar.txt.
"""
import argparse, gzip, hashlib, json, os, sys

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers

# Llama 3 / tiktoken cl100k_base pre-tokenization pattern (meta-llama/llama3 tokenizer.py, `pat_str`).
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
                  r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
TEXT_SUFFIXES = (".json", ".jsonl", ".md", ".txt", ".csv", ".tab", ".jsonl.gz")
SKIP_DIRS = ("models", os.path.join("jsonschemabench", "maskbench"))


def corpus_files(shared):
    """Sorted text files under `shared`, minus the skipped folders."""
    out = []
    for root, dirs, files in os.walk(shared):
        rel = os.path.relpath(root, shared)
        dirs[:] = sorted(d for d in dirs if os.path.normpath(os.path.join(rel, d)) not in SKIP_DIRS)
        out += [os.path.join(root, f) for f in files if f.endswith(TEXT_SUFFIXES)]
    return sorted(out)


def documents(paths, stats):
    """Yields file texts in chunks of lines (UTF-8, invalid bytes replaced); counts bytes in `stats`."""
    for p in paths:
        opener = gzip.open if p.endswith(".gz") else open
        with opener(p, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        stats["bytes"] += len(text.encode("utf-8"))
        stats["files"] += 1
        lines = text.splitlines(keepends=True)
        for i in range(0, len(lines), 256):
            yield "".join(lines[i:i + 256])


def build(vocab_size, min_frequency):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=min_frequency, show_progress=False,
                                  special_tokens=["<pad>", "<s>", "</s>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    return tok, trainer


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(repo, "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(repo, "bench-out", "tokenizer-128k.json"))
    ap.add_argument("--vocab", type=int, default=128000)
    ap.add_argument("--min-frequency", type=int, default=1)
    a = ap.parse_args()
    paths = corpus_files(a.shared)
    if not paths:
        sys.exit(f"no text files under {a.shared}")
    stats = dict(files=0, bytes=0)
    tok, trainer = build(a.vocab, a.min_frequency)
    tok.train_from_iterator(documents(paths, stats), trainer=trainer)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tmp = a.out + ".tmp"
    tok.save(tmp)
    os.replace(tmp, a.out)   # atomic: a reader never sees a half-written file
    digest = hashlib.sha256(open(a.out, "rb").read()).hexdigest()
    size = tok.get_vocab_size()
    print(json.dumps(dict(out=a.out, vocab_size=size, requested=a.vocab, merges=len(json.load(open(a.out))["model"]["merges"]),
                          corpus_files=stats["files"], corpus_bytes=stats["bytes"], sha256=digest)))
    if size < a.vocab:
        print(f"note: the corpus ran out of pairs with count >= {a.min_frequency} at {size} tokens (asked {a.vocab})",
              file=sys.stderr)


if __name__ == "__main__":
    main()
