"""PyTorch peer for `align bench generate`: transformers' `model.generate` (greedy, KV cache) on the tiny
Llama (../shared/data/models/tiny-llama) or (--model 135m) the random SmolLM-135M-shaped Llama that
bench_model.py builds, fp32, torch.set_num_threads(--threads).

For a batch of B random prompts of P tokens (all real, no padding), it times
  prefill  = generate(max_new_tokens=1)           (one forward over B·P tokens plus generate's overhead)
  full     = generate(max_new_tokens=N, min_new_tokens=N)
and reports medians; AlignKit times the same two calls of its TokenGenerator, so
  prefill tokens/s = B·P / prefill,  decode tokens/s = B·(N − 1) / (full − prefill).
Prints one JSON line {"prefill_s", "full_s", "torch", "transformers", "threads"}.

--mode best-of times best-of-N as `align bench generate` does (Sources/AlignCLI/Bench/SearchBench.swift): one random
prompt of P tokens, generate(num_return_sequences=B, do_sample=True, temperature=1, top_k=50, min = max = N new
tokens), then the completions decoded with the tiny Llama's tokenizer.json and scored by keyword coverage of
"the", "and", "of" (the same reward), argmax kept. Prints {"best_of_s", "torch", "transformers", "threads"}.
Versions: scripts/fixtures/requirements-generation.txt (torch 2.15.0, transformers 5.23.0).
"""
import argparse
import json
import os
import time

import torch
import transformers

from bench_model import build  # same directory: the tiny Llama or the random 135M-shaped Llama

KEYWORDS = ["the", "and", "of"]


def best_of(model, a):
    """Median seconds of one best-of-B call: sampling, decoding and reward scoring."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(a.tiny_dir, "tokenizer.json"))
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(3, model.config.vocab_size, (1, a.prompt_len), generator=g)
    mask = torch.ones_like(ids)
    seed = [0]

    def run():
        seed[0] += 1
        torch.manual_seed(seed[0])
        with torch.inference_mode():
            out = model.generate(input_ids=ids, attention_mask=mask, do_sample=True, temperature=1.0, top_k=50,
                                 top_p=1.0, num_return_sequences=a.batch, max_new_tokens=a.new_tokens,
                                 min_new_tokens=a.new_tokens, pad_token_id=0)
        texts = tok.decode_batch(out[:, a.prompt_len:].tolist(), skip_special_tokens=False)
        rewards = [sum(k in t.lower() for k in KEYWORDS) / len(KEYWORDS) for t in texts]
        return max(range(len(rewards)), key=rewards.__getitem__)

    return median_seconds(run, a.runs)


def median_seconds(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["tiny", "135m"], default="tiny")
    p.add_argument("--tiny-dir", default="../shared/data/models/tiny-llama")
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--prompt-len", type=int, default=128)
    p.add_argument("--new-tokens", type=int, default=64)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--mode", choices=["decode", "best-of"], default="decode")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = build(a.model, a.tiny_dir).float().eval()
    if a.mode == "best-of":
        print(json.dumps(dict(best_of_s=best_of(model, a), torch=torch.__version__,
                              transformers=transformers.__version__, threads=torch.get_num_threads())))
        return
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(3, model.config.vocab_size, (a.batch, a.prompt_len), generator=g)
    mask = torch.ones_like(ids)

    def gen(n):
        with torch.inference_mode():
            model.generate(input_ids=ids, attention_mask=mask, do_sample=False, max_new_tokens=n, min_new_tokens=n,
                           pad_token_id=0)

    prefill = median_seconds(lambda: gen(1), a.runs)
    full = median_seconds(lambda: gen(a.new_tokens), a.runs)
    print(json.dumps(dict(prefill_s=prefill, full_s=full, torch=torch.__version__,
                          transformers=transformers.__version__, threads=torch.get_num_threads())))


if __name__ == "__main__":
    main()
