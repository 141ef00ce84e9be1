"""Training parity, TRL vs AlignKit: the same tiny model, data, order and hyperparameters for N steps.

For every objective below, trains a small random Llama (the shared tiny Llama's architecture and 32k
tokenizer, narrowed to hidden 64, 2 layers, MLP 172; 2.1M parameters, drawn once by torch with seed 1234 and
saved as safetensors) on the first 2*N short single-turn pairs of HH-RLHF harmless-base (test split), in file order, once with
TRL 1.16 and once with `align train`, and compares the per-step training losses (logging_steps 1).

Identical on both sides:
  * initial weights: the small Llama as saved; the reward model adds a `score` head drawn once by torch
    (seed 0) and saved with the model (LlamaForSequenceClassification folder), so both sides load it;
  * data: prompt/chosen/rejected text written once to <work>/pairs.jsonl (explicit prompt = the longest
    common prefix ending at "\\n\\nAssistant:"; only pairs whose prompt+completion fit in MAX_TOKENS);
  * order: sequential (TRL `train_sampling_strategy="sequential"`, AlignKit `shuffle: false`);
  * optimizer: AdamW (betas 0.9/0.999, eps 1e-8, weight_decay 0), linear schedule without warmup from
    LEARNING_RATE, max_grad_norm 1, batch 2 pairs, no gradient accumulation, fp32 on the CPU, no dropout.
  * tokenizer: the tiny Llama's, with `bos_token` removed from tokenizer_config.json. TRL's experimental
    CPO/ORPO trainers prepend the tokenizer's BOS to every prompt while DPOTrainer and RewardTrainer do not
    (the post-processor adds none); without a BOS token all four tokenize these rows identically.

Objectives (TRL trainer and config → AlignKit command and config keys):
  dpo_sigmoid  DPOTrainer loss_type sigmoid, beta 0.1            align train dpo  loss_type: sigmoid
  ipo          DPOTrainer loss_type ipo, beta 0.1                align train dpo  loss_type: ipo
  robust       DPOTrainer loss_type robust, label_smoothing 0.1  align train dpo  loss_type: robust
  orpo         experimental ORPOTrainer, beta 0.1                align train dpo  objective: orpo
  simpo        experimental CPOTrainer loss_type simpo,          align train dpo  objective: cpo,
               cpo_alpha 0, beta 2.0, simpo_gamma 1.0                              loss_type: simpo, cpo_alpha: 0
  reward       RewardTrainer (Bradley–Terry)                     align train reward
  kto          KTOTrainer, beta 0.1 (loss_type kto)              align train kto  beta: 0.1
               on the pairs unpaired (chosen → label true, rejected → false), interleaved row by row

Run (from the repository root, after `swift build -c release --product align $(scripts/swift-flags)`):
  /work/venv/bin/python scripts/parity/parity.py [--steps 20] [--objectives dpo_sigmoid,ipo,...]
It prints one table row per objective: steps compared, max relative loss difference, pass/fail at 1e-3.
The fixture for `swift test` (scripts/fixtures/training_parity_fixture.py) reuses this file's TRL side.
"""
import argparse
import contextlib
import gzip
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared", "data"))
MODEL = os.path.join(SHARED, "models", "tiny-llama")
HH = os.path.join(SHARED, "preferences", "hh-rlhf-harmless-base", "test.jsonl.gz")
MAX_TOKENS = 64          # longest prompt+completion kept (no truncation on either side)
LEARNING_RATE = 1e-4
BATCH = 2
TOLERANCE = 1e-3

COMMON = dict(learning_rate=LEARNING_RATE, per_device_train_batch_size=BATCH, gradient_accumulation_steps=1,
              lr_scheduler_type="linear", warmup_steps=0, weight_decay=0.0, max_grad_norm=1.0, logging_steps=1,
              seed=42)

# name → (TRL trainer kind, TRL-specific config, AlignKit command, AlignKit config keys)
OBJECTIVES = {
    "dpo_sigmoid": ("dpo", dict(loss_type=["sigmoid"], beta=0.1), "dpo", dict(loss_type="sigmoid", beta=0.1)),
    "ipo": ("dpo", dict(loss_type=["ipo"], beta=0.1), "dpo", dict(loss_type="ipo", beta=0.1)),
    "robust": ("dpo", dict(loss_type=["robust"], beta=0.1, label_smoothing=0.1), "dpo",
               dict(loss_type="robust", beta=0.1, label_smoothing=0.1)),
    "orpo": ("orpo", dict(beta=0.1), "dpo", dict(objective="orpo", beta=0.1)),
    "simpo": ("cpo", dict(loss_type="simpo", cpo_alpha=0.0, beta=2.0, simpo_gamma=1.0), "dpo",
              dict(objective="cpo", loss_type="simpo", cpo_alpha=0.0, beta=2.0, simpo_gamma=1.0)),
    "reward": ("reward", dict(center_rewards_coefficient=None), "reward", dict()),
    "kto": ("kto", dict(beta=0.1), "kto", dict(beta=0.1)),
}


def split_prompt(chosen, rejected):
    """The longest common prefix of both dialogues that ends at "\\n\\nAssistant:" (data README)."""
    n = 0
    while n < min(len(chosen), len(rejected)) and chosen[n] == rejected[n]:
        n += 1
    cut = chosen[:n].rfind("\n\nAssistant:")
    if cut < 0:
        return None
    k = cut + len("\n\nAssistant:")
    return chosen[:k], chosen[k:], rejected[k:]


def load_pairs(count, tokenizer):
    """The first `count` single-turn pairs (in file order) whose sides fit MAX_TOKENS with EOS."""
    out = []
    with gzip.open(HH, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            parts = split_prompt(row["chosen"], row["rejected"])
            if parts is None:
                continue
            prompt, chosen, rejected = parts
            if prompt.count("\n\nHuman:") != 1 or not chosen.strip() or not rejected.strip():
                continue
            if not chosen.startswith(" ") or not rejected.startswith(" "):
                continue  # the completion must start a new pre-token so joint and split tokenization agree
            lengths = [len(tokenizer(prompt + c)["input_ids"]) + 1 for c in (chosen, rejected)]
            if max(lengths) > MAX_TOKENS:
                continue
            out.append(dict(prompt=prompt, chosen=chosen, rejected=rejected))
            if len(out) == count:
                break
    return out


def prepare(work, pairs_count):
    """Writes <work>/model (tiny Llama, no BOS), <work>/reward-model (+ score head) and <work>/pairs.jsonl."""
    import torch
    import transformers
    os.makedirs(work, exist_ok=True)
    model_dir = os.path.join(work, "model")
    if os.path.exists(model_dir):
        shutil.rmtree(model_dir)
    config = transformers.AutoConfig.from_pretrained(MODEL)
    config.update(dict(hidden_size=64, intermediate_size=172, num_hidden_layers=2, num_attention_heads=4,
                       num_key_value_heads=2, head_dim=16))
    torch.manual_seed(1234)
    transformers.LlamaForCausalLM(config).save_pretrained(model_dir, safe_serialization=True)
    for name in ["tokenizer.json", "tokenizer_config.json", "generation_config.json"]:
        shutil.copy(os.path.join(MODEL, name), model_dir)
    cfg_path = os.path.join(model_dir, "tokenizer_config.json")
    with open(cfg_path) as f:
        cfg = json.load(f)
    cfg.pop("bos_token", None)
    with open(cfg_path, "w") as f:
        json.dump(cfg, f, indent=2)
    tok = transformers.AutoTokenizer.from_pretrained(model_dir)
    assert tok.bos_token_id is None, "the parity tokenizer must have no BOS token"
    torch.manual_seed(0)
    rm = transformers.AutoModelForSequenceClassification.from_pretrained(model_dir, num_labels=1, dtype=torch.float32)
    rm.config.pad_token_id = tok.pad_token_id
    rm_dir = os.path.join(work, "reward-model")
    rm.save_pretrained(rm_dir, safe_serialization=True)
    tok.save_pretrained(rm_dir)
    shutil.copy(cfg_path, os.path.join(rm_dir, "tokenizer_config.json"))
    pairs = load_pairs(pairs_count, tok)
    if len(pairs) < pairs_count:
        sys.exit(f"only {len(pairs)} pairs fit {MAX_TOKENS} tokens; need {pairs_count}")
    with open(os.path.join(work, "pairs.jsonl"), "w") as f:
        for p in pairs:
            f.write(json.dumps(p) + "\n")
    # KTO's unpaired rows: one file both sides read, so the order is the same (TRL's unpair_preference_dataset
    # would put every chosen row of a batch before every rejected one).
    with open(os.path.join(work, "unpaired.jsonl"), "w") as f:
        for p in pairs:
            for key, label in (("chosen", True), ("rejected", False)):
                f.write(json.dumps(dict(prompt=p["prompt"], completion=p[key], label=label)) + "\n")
    return model_dir, rm_dir, os.path.join(work, "pairs.jsonl")


def trl_run(kind, extra, model_dir, rm_dir, data_file, steps, out_dir, collect_tokens=False):
    """Trains with TRL and returns (per-step training losses, tokenized rows if asked)."""
    import torch
    import transformers
    import trl
    from datasets import load_dataset

    class Logs(transformers.TrainerCallback):
        def __init__(self):
            self.losses = []

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs is not None and "loss" in logs:
                self.losses.append(logs["loss"])

    torch.manual_seed(42)
    torch.set_num_threads(1)  # one thread: identical results run to run, and far faster on a busy 2-core machine
    tok = transformers.AutoTokenizer.from_pretrained(model_dir)
    data = load_dataset("json", data_files=data_file, split="train")
    common = dict(output_dir=out_dir, max_steps=steps, save_strategy="no", report_to="none", use_cpu=True,
                  bf16=False, fp16=False, gradient_checkpointing=False, train_sampling_strategy="sequential",
                  dataloader_drop_last=False, **COMMON)
    logs = Logs()
    if kind == "reward":
        model = transformers.AutoModelForSequenceClassification.from_pretrained(rm_dir, num_labels=1, dtype=torch.float32)
        args = trl.RewardConfig(max_length=1024, **common, **extra)
        trainer = trl.RewardTrainer(model=model, args=args, processing_class=tok, train_dataset=data, callbacks=[logs])
    else:
        model = transformers.AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
        if kind == "dpo":
            args = trl.DPOConfig(max_length=1024, **common, **extra)
            trainer = trl.DPOTrainer(model=model, args=args, processing_class=tok, train_dataset=data, callbacks=[logs])
        elif kind == "orpo":
            from trl.experimental.orpo import ORPOConfig, ORPOTrainer
            args = ORPOConfig(max_length=1024, **common, **extra)
            trainer = ORPOTrainer(model=model, args=args, processing_class=tok, train_dataset=data, callbacks=[logs])
        elif kind == "kto":
            args = trl.KTOConfig(max_length=1024, **common, **extra)
            trainer = trl.KTOTrainer(model=model, args=args, processing_class=tok, train_dataset=data, callbacks=[logs])
        elif kind == "cpo":
            from trl.experimental.cpo import CPOConfig, CPOTrainer
            args = CPOConfig(max_length=1024, **common, **extra)
            trainer = CPOTrainer(model=model, args=args, processing_class=tok, train_dataset=data, callbacks=[logs])
        else:
            raise ValueError(kind)
    tokens = tokenized_rows(kind, trainer.train_dataset) if collect_tokens else None
    with contextlib.redirect_stdout(sys.stderr):  # transformers prints its log dicts; stdout is the table
        trainer.train()
    return logs.losses, tokens


def tokenized_rows(kind, dataset):
    """(prompt ids, chosen completion ids, rejected completion ids) per row, as each TRL trainer made them."""
    rows = []
    for r in dataset:
        if kind == "dpo":
            rows.append(dict(prompt=r["prompt_ids"], chosen=r["chosen_ids"], rejected=r["rejected_ids"]))
        elif kind in ("orpo", "cpo"):
            n = len(r["prompt_input_ids"])
            assert r["chosen_input_ids"][:n] == r["prompt_input_ids"] == r["rejected_input_ids"][:n]
            rows.append(dict(prompt=r["prompt_input_ids"], chosen=r["chosen_input_ids"][n:],
                             rejected=r["rejected_input_ids"][n:]))
        else:
            rows.append(dict(chosen=r["chosen_ids"], rejected=r["rejected_ids"]))
    return rows


def alignkit_run(align, command, keys, model_dir, rm_dir, data_file, steps, out_dir):
    """Trains with `align train <command>` and returns the per-step losses from metrics.jsonl."""
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    config = dict(COMMON, max_steps=steps, shuffle=False, save_steps=0, output_dir=out_dir, max_length=1024, **keys)
    config_file = os.path.join(out_dir, "..", os.path.basename(out_dir) + ".json")
    with open(config_file, "w") as f:
        json.dump(config, f, indent=1)
    model = rm_dir if command == "reward" else model_dir
    cmd = [align, "train", command, "--model", model, "--data", data_file, "--config", config_file]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    with open(os.path.join(out_dir, "metrics.jsonl")) as f:
        return [json.loads(line)["loss"] for line in f if line.strip()]


def max_relative_difference(ours, theirs):
    return max(abs(a - b) / max(abs(b), 1e-12) for a, b in zip(ours, theirs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--objectives", default=",".join(OBJECTIVES))
    ap.add_argument("--align", default=os.path.join(ROOT, ".build", "release", "align"))
    ap.add_argument("--work", default="/tmp/alignkit-parity")
    ap.add_argument("--json", help="also write per-step losses of both sides to this file")
    a = ap.parse_args()
    model_dir, rm_dir, data_file = prepare(a.work, a.steps * BATCH)
    rows, detail = [], {}
    for name in a.objectives.split(","):
        kind, trl_extra, command, keys = OBJECTIVES[name]
        data = os.path.join(a.work, "unpaired.jsonl") if kind == "kto" else data_file
        theirs, _ = trl_run(kind, trl_extra, model_dir, rm_dir, data, a.steps, os.path.join(a.work, "trl-" + name))
        ours = alignkit_run(a.align, command, keys, model_dir, rm_dir, data, a.steps,
                            os.path.join(a.work, "alignkit-" + name))
        n = min(len(ours), len(theirs))
        diff = max_relative_difference(ours[:n], theirs[:n])
        ok = n == a.steps and diff <= TOLERANCE
        rows.append((name, n, diff, theirs[0], theirs[n - 1], ok))
        detail[name] = dict(trl=theirs, alignkit=ours)
        print(f"{name}: {n} steps, max rel diff {diff:.2e}", file=sys.stderr)
    print(f"| objective | steps compared | max relative loss difference | TRL loss step 1 → {a.steps} | within {TOLERANCE:g} |")
    print("| --- | --- | --- | --- | --- |")
    for name, n, diff, first, last, ok in rows:
        print(f"| {name} | {n} | {diff:.2e} | {first:.4f} → {last:.4f} | {'yes' if ok else 'NO'} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(detail, f, indent=1)
    sys.exit(0 if all(r[5] for r in rows) else 1)


if __name__ == "__main__":
    main()
