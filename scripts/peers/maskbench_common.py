"""TBM over the MaskBench files that every engine walked.

Each engine's headline TBM (`align bench grammar`, `grammar_maskbench.py`) pools the masks of the files it
walked, and the engines walk different files: a schema one engine refuses or times out on adds nothing to
its pool but may add heavy masks to another's. This script reads the per-file mask times that both
harnesses write with `--mask-times PATH` and reports each engine's masks, mean, p50 and p99 over the files
present in every input, beside its own pooled figures.

usage: maskbench_common.py alignkit.jsonl llg.jsonl xgr.jsonl [--json]
Standard library only; the inputs are JSON lines {"file", "engine", "tbm_us": [...]}.
"""
import json, sys


def pct(xs, p):
    """The same percentile as both harnesses: sorted[int((n - 1) * p)]."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, int((len(s) - 1) * p))]


def load(path):
    """file name -> mask times (µs), and the engine name, of one --mask-times file."""
    per_file, engine = {}, None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                per_file[row["file"]] = [float(x) for x in row["tbm_us"]]
                engine = row["engine"]
            except (ValueError, KeyError, TypeError) as e:
                sys.exit(f"{path}:{n}: expected {{file, engine, tbm_us}}: {e}")
    return engine or path, per_file


def stats(times):
    return dict(masks=len(times), tbm_mean=sum(times) / max(len(times), 1), tbm_p50=pct(times, 0.5), tbm_p99=pct(times, 0.99))


def main(argv):
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) < 2:
        sys.exit(__doc__)
    runs = [load(p) for p in paths]
    common = set.intersection(*(set(pf) for _, pf in runs))
    rows = []
    for engine, pf in runs:
        pooled = [x for ts in pf.values() for x in ts]
        shared = [x for name in sorted(common) for x in pf[name]]
        rows.append((engine, len(pf), stats(pooled), stats(shared)))
    if "--json" in argv:
        for engine, files, pooled, shared in rows:
            print(json.dumps({"bench": "grammar_maskbench_common", "engine": engine, "files_walked": files,
                              "common_files": len(common), "pooled": pooled, "common": shared}))
        return
    print(f"{len(common)} files walked by every engine")
    print(f"{'engine':<10} {'files':>6} {'masks':>7} {'mean':>8} {'p50':>8} {'p99':>9}   (common files; pooled p50 / p99)")
    for engine, files, pooled, shared in rows:
        print(f"{engine:<10} {files:>6} {shared['masks']:>7} {shared['tbm_mean']:>8.1f} {shared['tbm_p50']:>8.1f} "
              f"{shared['tbm_p99']:>9.1f}   ({pooled['tbm_p50']:.1f} / {pooled['tbm_p99']:.1f} over {pooled['masks']} masks)")


if __name__ == "__main__":
    main(sys.argv[1:])
