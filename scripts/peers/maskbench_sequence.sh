#!/usr/bin/env bash
# One interleaved MaskBench sequence (BENCHMARKS.md, issue 7): AlignKit, llguidance, AlignKit, xgrammar,
# AlignKit on the same files and tokenizer, each writing per-file mask times, then every engine over the
# files all of them walked. The three AlignKit runs show the host's drift around the peers' runs.
# Usage: scripts/peers/maskbench_sequence.sh OUT_DIR [TOKENIZER] (default: bench-out/tokenizer-128k.json,
# made by scripts/peers/train_tokenizer_128k.py). Needs a release build of `align` and /work/venv-grammar
# (or PYTHON=...) with llguidance and xgrammar from scripts/peers' requirements.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?output folder}
TOK=${2:-bench-out/tokenizer-128k.json}
PY=${PYTHON:-/work/venv-grammar/bin/python}
DATA=../shared/data/jsonschemabench/maskbench/data
mkdir -p "$OUT"
ak() {
    .build/release/align bench grammar --data "$DATA" --tokenizer "$TOK" --every 6 --file-timeout 60 --cpu-time \
        --mask-times "$OUT/ak$1.jsonl" > "$OUT/ak$1.txt" 2>&1
}
peer() {
    "$PY" scripts/peers/grammar_maskbench.py --data "$DATA" --tokenizer "$TOK" --every 6 --engine "$1" --cpu-time \
        --file-timeout 60 --mask-times "$OUT/$1.jsonl" > "$OUT/$1.txt" 2>&1
}
(date -u; git log --oneline -1) > "$OUT/start.txt"
ak 1; peer llg; ak 2; peer xgr; ak 3
date -u >> "$OUT/start.txt"
for i in 1 2 3; do python3 scripts/peers/maskbench_common.py "$OUT/ak$i.jsonl" "$OUT/llg.jsonl" "$OUT/xgr.jsonl"; done
