"""IFEval scoring throughput: AlignKit's `align eval ifeval` vs the reference Python scorer, in one run.

Peer: the google-research IFEval scorer as vendored by lm-eval 0.4.13 (`lm_eval/tasks/ifeval/`: instructions.py,
instructions_registry.py, instructions_util.py, utils.process_results), with nltk 3.10.4, langdetect 1.0.9 and the
punkt_tab English data from ../shared/data/ifeval. lm-eval is installed with --no-deps and its ifeval package is
imported on its own (the rest of lm_eval needs torch/datasets, which the scorer never touches).
Versions: scripts/fixtures/requirements-ifeval.txt.

Both sides score the same 541 GPT-4 responses (strict + loose, all instructions):
  * scoring: best of --repeat passes with everything loaded, in process CPU time (the machine is shared, so wall
    time is noisy; both are printed) (AlignKit: `align eval ifeval --bench-repeat N`);
  * end to end: one fresh process each (interpreter/binary start, loading profiles and Punkt data, scoring),
    in user + system CPU time of the child process.
Prints a table, or with --json one object per line in DESIGN.md's benchmark format (ratio = AlignKit / peer).

Usage: swift build -c release --product align
       /work/venv-ifeval/bin/python scripts/peers/bench_ifeval.py [--repeat 5] [--json]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import types

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data", "ifeval")
PROMPTS = os.path.join(SHARED, "input_data.jsonl")
RESPONSES = os.path.join(SHARED, "input_response_data_gpt4_20231107_145030.jsonl")
ALIGN = os.path.join(ROOT, ".build", "release", "align")


def nltk_data_dir():
    """A temporary NLTK_DATA holding tokenizers/punkt_tab/english from the shared data."""
    d = tempfile.mkdtemp(prefix="ifeval_nltk_")
    dst = os.path.join(d, "tokenizers", "punkt_tab", "english")
    shutil.copytree(os.path.join(SHARED, "punkt_tab_english"), dst)
    return d


def import_reference():
    """Imports lm_eval.tasks.ifeval.utils without executing lm_eval/__init__ and lm_eval/tasks/__init__."""
    import importlib.util
    spec = importlib.util.find_spec("lm_eval")
    base = os.path.dirname(spec.origin)
    for name, path in [("lm_eval", base), ("lm_eval.tasks", os.path.join(base, "tasks")),
                       ("lm_eval.tasks.ifeval", os.path.join(base, "tasks", "ifeval"))]:
        m = types.ModuleType(name)
        m.__path__ = [path]
        sys.modules[name] = m
    from lm_eval.tasks.ifeval import utils
    return utils


def load_docs():
    with open(PROMPTS, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    with open(RESPONSES, encoding="utf-8") as f:
        by_prompt = {r["prompt"]: r["response"] for r in map(json.loads, f)}
    return [(d, by_prompt[d["prompt"]]) for d in docs]


def score_python(utils, docs):
    strict = loose = 0
    for doc, response in docs:
        r = utils.process_results(doc, [response])
        strict += r["prompt_level_strict_acc"]
        loose += r["prompt_level_loose_acc"]
    return strict, loose


def peer_child():
    """End-to-end peer process: import, load, score once (the parent measures its CPU time)."""
    utils = import_reference()
    score_python(utils, load_docs())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--peer-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if "NLTK_DATA" not in os.environ:
        os.environ["NLTK_DATA"] = nltk_data_dir()
    if args.peer_child:
        peer_child()
        return
    if not os.path.exists(ALIGN):
        sys.exit(f"{ALIGN} not found: run `swift build -c release --product align` first")

    utils = import_reference()
    docs = load_docs()
    strict, loose = score_python(utils, docs)  # warm-up: loads langdetect profiles and Punkt
    runs = [timed(lambda: score_python(utils, docs)) for _ in range(args.repeat)]
    best_cpu = min(cpu for cpu, _ in runs)
    best_wall = min(wall for _, wall in runs)
    peer_rate = len(docs) / best_cpu

    out = subprocess.run([ALIGN, "eval", "ifeval", "--responses", RESPONSES, "--prompts", PROMPTS,
                          "--bench-repeat", str(args.repeat), "--threads", "1"], check=True, capture_output=True, text=True)
    ours = json.loads(out.stdout.strip().splitlines()[-1])


    peer_e2e = child_cpu(lambda: subprocess.run([sys.executable, __file__, "--peer-child"], check=True,
                                                capture_output=True, env=os.environ))
    ours_e2e = child_cpu(lambda: subprocess.run([ALIGN, "eval", "ifeval", "--responses", RESPONSES, "--prompts",
                                                 PROMPTS, "--json", "--threads", "1"], check=True, capture_output=True))
    rows = [
        {"bench": "ifeval", "case": f"score {len(docs)} GPT-4 responses (strict+loose), warm", "unit": "responses/s",
         "alignkit": ours["alignkit"], "peer": "lm-eval 0.4.13 ifeval (google-research scorer)",
         "peer_value": peer_rate, "ratio": ours["alignkit"] / peer_rate,
         "alignkit_wall_rate": len(docs) / ours["wall_seconds"], "peer_wall_rate": len(docs) / best_wall},
        {"bench": "ifeval", "case": f"end to end: fresh process, load, score {len(docs)}", "unit": "responses/s",
         "alignkit": len(docs) / ours_e2e, "peer": "lm-eval 0.4.13 ifeval (python3 process)",
         "peer_value": len(docs) / peer_e2e, "ratio": peer_e2e / ours_e2e},
    ]
    if args.json:
        for r in rows:
            print(json.dumps(r))
        return
    print(f"peer prompt-level strict/loose followed: {strict}/{loose} of {len(docs)} "
          "(lm-eval's a-z letter variant: keys 1122/1129 use a random letter)")
    print(f"{'case':62} {'AlignKit':>10} {'peer':>10} {'ratio':>7}")
    for r in rows:
        print(f"{r['case']:62} {r['alignkit']:10.1f} {r['peer_value']:10.1f} {r['ratio']:7.2f}")
    print(f"(CPU-time rates; wall-clock scoring rates: AlignKit {rows[0]['alignkit_wall_rate']:.1f}, "
          f"peer {rows[0]['peer_wall_rate']:.1f})")


def timed(fn):
    """(CPU seconds of this process, wall seconds) spent in fn()."""
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def child_cpu(fn):
    """User + system CPU seconds of the child processes fn() runs."""
    before = os.times()
    fn()
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


if __name__ == "__main__":
    main()
