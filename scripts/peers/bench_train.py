"""PyTorch peers for `align bench train`: one DPO (sigmoid, beta 0.1) training configuration per process, so
that the peak RSS printed at the end belongs to that configuration alone.

Implementations (--impl):
  trl             TRL's DPOTrainer with its defaults (reference model forward every step; with --lora the
                  reference is the policy with the adapter disabled).
  trl-precompute  the same with precompute_ref_log_probs=True (reference log-probs computed once before training;
                  that pass is reported separately as precompute_s and is not in the step rate).
  torch           a plain PyTorch step with no trainer: reference log-probs computed once up front (as AlignKit
                  does), then per step one forward of [chosen; rejected], completion-only summed log-probs,
                  the sigmoid DPO loss, backward, global-norm clipping at 1.0 and AdamW.
Every implementation trains fp32 on the CPU with torch.set_num_threads(--threads), AdamW (lr 1e-6, TRL's default),
no dropout, and the same data: --pairs pairs of random token ids, prompt P tokens, chosen and rejected C tokens each
(no padding, so every implementation processes exactly B·2·(P+C) tokens per step).
Models: the tiny Llama (../shared/data/models/tiny-llama) or the random SmolLM-135M-shaped Llama (bench_model.py).
--lora attaches a PEFT LoRA adapter, r 16, alpha 32, on all linear layers of the decoder blocks.
Step time: median over --steps timed optimizer steps after --warmup untimed ones.
Prints one JSON line {"step_s", "precompute_s", "peak_rss_mb", "torch", "transformers", "trl", "peft", "threads"}.
Versions: scripts/peers/requirements-train.txt.
"""
import argparse
import json
import resource
import time

import torch
import transformers

from bench_model import build  # same directory

LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def random_pairs(n, prompt_len, completion_len, vocab, seed=1):
    g = torch.Generator().manual_seed(seed)
    r = lambda k: torch.randint(3, vocab, (k,), generator=g).tolist()
    return [dict(prompt_ids=r(prompt_len), chosen_ids=r(completion_len), rejected_ids=r(completion_len))
            for _ in range(n)]


def with_lora(model):
    import peft
    cfg = peft.LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=LORA_TARGETS, task_type="CAUSAL_LM")
    return peft.get_peft_model(model, cfg)


class StepTimer(transformers.TrainerCallback):
    def __init__(self):
        self.times, self.t0 = [], None

    def on_step_begin(self, args, state, control, **kw):
        self.t0 = time.perf_counter()

    def on_step_end(self, args, state, control, **kw):
        self.times.append(time.perf_counter() - self.t0)


def run_trl(a, model, pairs, precompute):
    import datasets
    import trl
    tok = transformers.PreTrainedTokenizerFast(tokenizer_file=a.tokenizer, eos_token="</s>", pad_token="<unk>")
    cfg = trl.DPOConfig(output_dir="/tmp/alignkit-bench-trl", per_device_train_batch_size=a.batch,
                        max_steps=a.warmup + a.steps, logging_steps=10**6, save_strategy="no", report_to=[],
                        use_cpu=True, bf16=False, fp16=False, dataloader_num_workers=0, seed=0,
                        precompute_ref_log_probs=precompute, max_length=None, disable_tqdm=True)
    data = datasets.Dataset.from_list(pairs)

    class Trainer(trl.DPOTrainer):
        # The dataset is already tokenized (random ids): skip TRL's text tokenization, keep everything else.
        def _prepare_dataset(self, dataset, *args, **kwargs):
            return dataset

    timer = StepTimer()
    peft_cfg = None
    if a.lora:
        import peft
        peft_cfg = peft.LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=LORA_TARGETS,
                                   task_type="CAUSAL_LM")
    # With its defaults TRL builds the reference from the policy's checkpoint id; the random 135M model has none
    # (TRL 1.16 raises HFValidationError on ''), so it gets a copy of the initial weights: the same reference.
    ref = None
    if not a.lora and not precompute and not getattr(model.config, "_name_or_path", ""):
        import copy
        ref = copy.deepcopy(model)
    t_init = time.perf_counter()
    trainer = Trainer(model=model, ref_model=ref, args=cfg, train_dataset=data, processing_class=tok,
                      peft_config=peft_cfg, callbacks=[timer])
    t0 = time.perf_counter()
    trainer.train()
    total = time.perf_counter() - t0
    steps = timer.times[a.warmup:]
    # TRL may precompute the reference log-probs at construction or at the start of train(): count both, minus steps.
    precompute_s = (t0 - t_init) + total - sum(timer.times) if precompute else 0.0
    return sorted(steps)[len(steps) // 2], precompute_s


def completion_logps(model, ids, prompt_len):
    """Summed log-probs of positions prompt_len… of ids [N, T] (completion-only), shape [N]."""
    logits = model(input_ids=ids).logits[:, prompt_len - 1:-1]  # [N, C, V]
    labels = ids[:, prompt_len:]  # [N, C]
    return torch.log_softmax(logits.float(), -1).gather(-1, labels.unsqueeze(-1)).squeeze(-1).sum(-1)


def run_torch(a, model, pairs):
    def batch_ids(i):
        rows = pairs[i * a.batch:(i + 1) * a.batch]
        seqs = [r["prompt_ids"] + r["chosen_ids"] for r in rows] + [r["prompt_ids"] + r["rejected_ids"] for r in rows]
        return torch.tensor(seqs)  # [2B, P + C]

    n_batches = a.warmup + a.steps
    t0 = time.perf_counter()
    ref = []
    with torch.no_grad():
        ctx = model.disable_adapter() if a.lora else torch.no_grad()
        with ctx:
            for i in range(n_batches):
                ref.append(completion_logps(model, batch_ids(i), a.prompt_len))
    precompute_s = time.perf_counter() - t0
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-6, weight_decay=0.0)
    times = []
    for i in range(n_batches):
        t = time.perf_counter()
        logps = completion_logps(model, batch_ids(i), a.prompt_len)
        b = a.batch
        logits = (logps[:b] - logps[b:]) - (ref[i][:b] - ref[i][b:])
        loss = -torch.nn.functional.logsigmoid(0.1 * logits).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - t)
    steps = times[a.warmup:]
    return sorted(steps)[len(steps) // 2], precompute_s


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--impl", choices=["trl", "trl-precompute", "torch"], required=True)
    p.add_argument("--model", choices=["tiny", "135m"], default="tiny")
    p.add_argument("--tiny-dir", default="../shared/data/models/tiny-llama")
    p.add_argument("--tokenizer", default="../shared/data/models/tokenizer-32k.json")
    p.add_argument("--lora", action="store_true")
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, default=8, help="pairs per step")
    p.add_argument("--prompt-len", type=int, default=64)
    p.add_argument("--completion-len", type=int, default=64)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = build(a.model, a.tiny_dir).float()
    model.config.use_cache = False
    pairs = random_pairs(a.batch * (a.warmup + a.steps), a.prompt_len, a.completion_len,
                         min(model.config.vocab_size, 32000))
    if a.impl == "torch":
        if a.lora:
            model = with_lora(model)
        model.train()
        step_s, precompute_s = run_torch(a, model, pairs)
    else:
        step_s, precompute_s = run_trl(a, model, pairs, a.impl == "trl-precompute")
    import peft
    import trl
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps(dict(step_s=step_s, precompute_s=precompute_s, peak_rss_mb=rss_mb, torch=torch.__version__,
                          transformers=transformers.__version__, trl=trl.__version__, peft=peft.__version__,
                          threads=torch.get_num_threads())))


if __name__ == "__main__":
    main()
