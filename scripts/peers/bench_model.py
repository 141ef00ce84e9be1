"""PyTorch peer for `align bench model`: forward and forward+backward seconds of a Llama-shaped
causal LM on a [B, T] batch, with the same loss AlignKit times (mean cross-entropy of the next
token, via F.cross_entropy on the logits), fp32, torch.set_num_threads(--threads).

Models: "tiny" loads ../shared/data/models/tiny-llama (--tiny-dir); "135m" builds a random
SmolLM-135M-shaped LlamaForCausalLM (V 49152, C 576, 30 layers, 9 heads / 3 KV heads, MLP 1536,
tied embeddings). Prints one JSON line: {"forward_s": median, "forward_backward_s": median, ...}.
Versions: requirements pinned in scripts/fixtures/requirements-models.txt (torch 2.15.0, transformers 5.23.0).
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F
import transformers


def build(name, tiny_dir):
    if name == "tiny":
        return transformers.LlamaForCausalLM.from_pretrained(tiny_dir, dtype=torch.float32)
    cfg = transformers.LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                                   num_attention_heads=9, num_key_value_heads=3, max_position_embeddings=2048,
                                   rms_norm_eps=1e-5, tie_word_embeddings=True,
                                   rope_parameters=dict(rope_type="default", rope_theta=10000.0))
    torch.manual_seed(0)
    return transformers.LlamaForCausalLM(cfg)


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
    p.add_argument("--model", choices=["tiny", "135m"], required=True)
    p.add_argument("--tiny-dir", default="../shared/data/models/tiny-llama")
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = build(a.model, a.tiny_dir).float()
    v = model.config.vocab_size
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(3, v, (a.batch, a.seq), generator=g)
    labels = torch.cat([ids[:, 1:], torch.full((a.batch, 1), -100)], dim=1)

    def loss():
        logits = model(input_ids=ids).logits  # [B, T, V]
        return F.cross_entropy(logits.view(-1, v), labels.view(-1), ignore_index=-100)

    def forward():
        with torch.inference_mode():
            loss()

    def forward_backward():
        model.zero_grad(set_to_none=True)
        loss().backward()

    model.eval()
    fwd = median_seconds(forward, a.runs)
    fb = median_seconds(forward_backward, a.runs)
    print(json.dumps(dict(forward_s=fwd, forward_backward_s=fb, torch=torch.__version__,
                          transformers=transformers.__version__, threads=torch.get_num_threads(),
                          parameters=sum(t.numel() for t in model.parameters()))))


if __name__ == "__main__":
    main()
