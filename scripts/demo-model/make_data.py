#!/usr/bin/env python3
"""Step 1 of the bundled model's recipe: data files and the byte-level BPE tokenizer.

Source text: Anthropic HH-RLHF, harmless-base, test split (MIT; ../shared/data/preferences/hh-rlhf-harmless-base).
Rows are split by position, before any training, so the demo's held-out figures never see training text:
  rows 0 ..< 2000   -> the training pool (pretraining text, ACT/DPO training prompts and pairs)
  rows 2000 ..< 2312 -> held out (held-out preference pairs, held-out prompts)

Writes into OUT (default: Sources/AlignRecipes/Resources/Demo):
  model/tokenizer.json            4,096-token byte-level BPE (tokenizers, BpeTrainer) trained on the pool's dialogues
  model/tokenizer_config.json     special tokens and a chat template rendering HH's "\\n\\nHuman: … \\n\\nAssistant:" format
  and into WORK (default: .build-demo-model, not committed):
  sft.jsonl                       prompt/completion rows from the pool (chosen dialogues), for `align train sft`
Also writes OUT/{train,heldout}_prompts.jsonl: the first human turn of each row (≤ 200 characters, deduplicated)
as a single-turn prompt in HH's format, for sampling.

Pinned: tokenizers==0.23.3 (scripts/demo-model/requirements.txt). Deterministic: no randomness is used.
"""
import argparse
import gzip
import json
import os

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

ASSISTANT = "\n\nAssistant:"
HUMAN = "\n\nHuman:"
POOL = 2000

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'user' %}{{ '\n\nHuman: ' + message['content'] }}"
    "{% elif message['role'] == 'assistant' %}{{ '\n\nAssistant: ' + message['content'] }}"
    "{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}{{ '\n\nAssistant:' }}{% endif %}"
)


def split_last_turn(dialogue):
    """(prompt ending with "\\n\\nAssistant:", final response without its leading space)."""
    i = dialogue.rfind(ASSISTANT)
    return dialogue[: i + len(ASSISTANT)], dialogue[i + len(ASSISTANT):].strip()


def first_turn(dialogue):
    """The first human message as a single-turn prompt, or None if it is empty."""
    start = dialogue.find(HUMAN)
    end = dialogue.find(ASSISTANT, start)
    text = dialogue[start + len(HUMAN): end].strip()
    return text or None


def write_jsonl(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def train_tokenizer(texts, path):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=4096, min_frequency=2, special_tokens=["<pad>", "<s>", "</s>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer=trainer)
    tok.save(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hh", default="../shared/data/preferences/hh-rlhf-harmless-base/test.jsonl.gz")
    ap.add_argument("--out", default="Sources/AlignRecipes/Resources/Demo")
    ap.add_argument("--work", default=".build-demo-model")
    args = ap.parse_args()
    with gzip.open(args.hh, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    pool, held = rows[:POOL], rows[POOL:]
    os.makedirs(os.path.join(args.out, "model"), exist_ok=True)
    os.makedirs(args.work, exist_ok=True)

    train_tokenizer([r["chosen"] for r in pool] + [split_last_turn(r["rejected"])[1] for r in pool],
                    os.path.join(args.out, "model", "tokenizer.json"))
    config = {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": None,
              "add_bos_token": False, "add_eos_token": False, "model_max_length": 512,
              "tokenizer_class": "PreTrainedTokenizerFast", "chat_template": CHAT_TEMPLATE}
    with open(os.path.join(args.out, "model", "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")

    sft = []
    for r in pool:
        prompt, response = split_last_turn(r["chosen"])
        if response:
            sft.append({"prompt": prompt, "completion": " " + response})
    write_jsonl(os.path.join(args.work, "sft.jsonl"), sft)

    for name, part, offset in (("train_prompts.jsonl", pool, 0), ("heldout_prompts.jsonl", held, POOL)):
        prompts, seen = [], set()
        for i, r in enumerate(part):
            text = first_turn(r["chosen"])
            if text and text not in seen and len(text) <= 200:
                seen.add(text)
                prompts.append({"id": f"hh-{offset + i}", "prompt": f"{HUMAN} {text}{ASSISTANT}"})
        write_jsonl(os.path.join(args.out, name), prompts)
    print(f"sft rows {len(sft)}")


if __name__ == "__main__":
    main()
