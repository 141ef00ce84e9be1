#!/usr/bin/env python3
"""Peer side of `align bench grammar`: llguidance and xgrammar on the same maskbench files, the same
tokenizer (token id -> bytes decoded from tokenizer.json exactly as AlignKit's CLI does), the same
instance text (compact JSON, file key order, ensure_ascii=False) and the same greedy longest-match
token split. Reports TTFM (compile + first mask) and TBM (mask time per token while walking valid
instances) percentiles and the MaskBench counts. Single thread. Pinned in requirements-grammar.txt.

usage: grammar_maskbench.py --data DIR --tokenizer tokenizer.json [--every K] [--limit N] [--engine llg|xgr|both]
       [--cpu-time]   (process CPU time instead of wall time, as `align bench grammar --cpu-time`)
       [--file-timeout S]   (files run in a forked worker; one still running after S wall seconds
                              is killed and counted as a timeout)
"""
import argparse, json, os, time

def gpt2_unicode_to_byte():
    bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b); cs.append(256 + n); n += 1
    return {chr(c): b for b, c in zip(bs, cs)}

def load_vocab(path):
    tj = json.load(open(path))
    special = {a["content"]: a["id"] for a in tj.get("added_tokens", []) if a.get("special")}
    vocab = tj["model"]["vocab"]
    size = max(max(vocab.values()), max(special.values(), default=0)) + 1
    u2b = gpt2_unicode_to_byte()
    tokens = [b""] * size
    for piece, i in vocab.items():
        if piece in special:
            continue
        if all(ch in u2b for ch in piece):
            tokens[i] = bytes(u2b[ch] for ch in piece)
        else:
            tokens[i] = piece.replace("\u2581", " ").encode()
    by_bytes = {}
    for i, t in enumerate(tokens):
        if t and (t not in by_bytes or i < by_bytes[t]):
            by_bytes[t] = i
    eos = special.get("</s>", 0)
    return tokens, by_bytes, eos

def greedy(bs, by_bytes):
    out, i = [], 0
    while i < len(bs):
        for ln in range(min(32, len(bs) - i), 0, -1):
            t = by_bytes.get(bs[i:i + ln])
            if t is not None:
                out.append(t); i += ln; break
        else:
            return None
    return out

def pct(xs, p):
    if not xs: return float("nan")
    s = sorted(xs); return s[min(len(s) - 1, int((len(s) - 1) * p))]

class LLG:
    name = "llguidance"
    def __init__(self, tok_path, tokens, eos):
        import llguidance, llguidance.numpy as ln
        from llguidance import LLTokenizer, LLMatcher
        self.ln, self.LLMatcher = ln, LLMatcher
        self.tok = LLTokenizer(tok_path, eos_token=eos)
        self.mask = ln.allocate_token_bitmask(1, self.tok.vocab_size)
    def compile(self, schema):
        g = self.LLMatcher.grammar_from_json_schema(schema)
        m = self.LLMatcher(self.tok, g, log_level=0)
        if m.is_error(): raise ValueError(m.get_error())
        return g
    def matcher(self, g):
        return self.LLMatcher(self.tok, g, log_level=0)
    def fill(self, m):
        self.ln.fill_next_token_bitmask(m, self.mask, 0)
    def accept(self, m, t):
        return m.consume_token(t) and not m.is_error()
    def accepting(self, m):
        return m.is_accepting()

class XGR:
    name = "xgrammar"
    def __init__(self, tok_path, tokens, eos):
        import xgrammar as xgr
        self.xgr = xgr
        info = xgr.TokenizerInfo(tokens, xgr.VocabType.RAW, vocab_size=len(tokens), stop_token_ids=[eos])
        self.compiler = xgr.GrammarCompiler(info, max_threads=1, cache_enabled=False)
        self.mask = xgr.allocate_token_bitmask(1, len(tokens))
    def compile(self, schema):
        return self.compiler.compile_json_schema(json.dumps(schema), any_whitespace=True, strict_mode=False)
    def matcher(self, g):
        return self.xgr.GrammarMatcher(g)
    def fill(self, m):
        m.fill_next_token_bitmask(self.mask, 0)
    def accept(self, m, t):
        return m.accept_token(t)
    def accepting(self, m):
        return m.is_completed() if hasattr(m, "is_completed") else m.is_terminated()

clock = time.perf_counter

def run_file(engine, f, by_bytes):
    """One file: its counts and its TTFM / TBM samples (µs)."""
    r = dict(compile_errors=0, valid_accepted=0, valid_rejected=0, invalid_blocked=0, invalid_accepted=0)
    ttfm, tbm = [], []
    d = json.load(open(f))
    t0 = clock()
    try:
        g = engine.compile(d["schema"])
        m = engine.matcher(g)
        engine.fill(m)
    except Exception:
        r["compile_errors"] += 1
        return r, ttfm, tbm
    ttfm.append((clock() - t0) * 1e6)
    for t in d.get("tests", []):
        ids = greedy(json.dumps(t["data"], separators=(",", ":"), ensure_ascii=False).encode(), by_bytes)
        if ids is None: continue
        m = engine.matcher(g)
        ok = True
        for tid in ids:
            if t["valid"]:
                s = clock(); engine.fill(m); tbm.append((clock() - s) * 1e6)
            if not engine.accept(m, tid): ok = False; break
        ok = ok and engine.accepting(m)
        key = ("valid_" if t["valid"] else "invalid_") + (("accepted" if ok else "rejected") if t["valid"] else ("accepted" if ok else "blocked"))
        r[key] += 1
    return r, ttfm, tbm

class Worker:
    """A forked child that runs files one after another (warm, as an in-process run), so a file can be
    stopped after `timeout` wall seconds: the child is killed, the file counted as a timeout, and a new
    child started. Process CPU time is per process, so --cpu-time deltas stay exact in the child."""
    def __init__(self, engine, by_bytes):
        import multiprocessing as mp
        self.engine, self.by_bytes, self.ctx = engine, by_bytes, mp.get_context("fork")
        self.start()
    def start(self):
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=self.loop, args=(child,), daemon=True)
        self.proc.start()
    def loop(self, conn):
        try:  # warm-up: the engine's lazy per-tokenizer setup, as the first file of an in-process run pays it
            self.engine.fill(self.engine.matcher(self.engine.compile({"type": "string"})))
        except Exception:
            pass
        while True:
            f = conn.recv()
            conn.send(run_file(self.engine, f, self.by_bytes))
    def run(self, f, timeout):
        self.conn.send(f)
        if self.conn.poll(timeout):
            return self.conn.recv()
        self.proc.kill(); self.proc.join()
        self.start()
        return None

def run(engine, files, by_bytes, timeout=None, per_file=None):
    """Runs every file; `per_file`, when a list, receives (file name, its TBM samples) per walked file."""
    r = dict(files=0, compile_errors=0, timeouts=0, valid_accepted=0, valid_rejected=0, invalid_blocked=0, invalid_accepted=0)
    ttfm, tbm = [], []
    worker = Worker(engine, by_bytes) if timeout is not None else None
    for f in files:
        r["files"] += 1
        out = run_file(engine, f, by_bytes) if worker is None else worker.run(f, timeout)
        if out is None:
            r["timeouts"] += 1; continue
        counts, ft, fb = out
        for k, v in counts.items(): r[k] += v
        ttfm += ft; tbm += fb
        if per_file is not None and fb: per_file.append((os.path.basename(f), fb))
    r.update(tbm_mean=sum(tbm) / max(len(tbm), 1), tbm_p50=pct(tbm, .5), tbm_p99=pct(tbm, .99),
             ttfm_p50=pct(ttfm, .5), ttfm_p90=pct(ttfm, .9), ttfm_p99=pct(ttfm, .99), masks=len(tbm))
    return r

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True); ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--limit", type=int); ap.add_argument("--engine", default="both")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--cpu-time", action="store_true")
    ap.add_argument("--file-timeout", type=float, help="wall seconds per file (each file runs in a forked child)")
    ap.add_argument("--mask-times", help="write one JSON line per walked file, {file, engine, tbm_us: [...]}, here "
                    "(for scripts/peers/maskbench_common.py); with --engine both, the engine name is inserted before the suffix")
    a = ap.parse_args()
    global clock
    if a.cpu_time:
        clock = time.process_time
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    tokens, by_bytes, eos = load_vocab(a.tokenizer)
    files = sorted(os.path.join(a.data, f) for f in os.listdir(a.data) if f.endswith(".json"))[:: a.every][: a.limit]
    engines = []
    if a.engine in ("llg", "both"): engines.append(LLG(a.tokenizer, tokens, eos))
    if a.engine in ("xgr", "both"): engines.append(XGR(a.tokenizer, tokens, eos))
    for e in engines:
        per_file = [] if a.mask_times else None
        r = run(e, files, by_bytes, a.file_timeout, per_file)
        if a.mask_times:
            root, ext = os.path.splitext(a.mask_times)
            path = a.mask_times if len(engines) == 1 else f"{root}-{e.name}{ext}"
            with open(path + ".tmp", "w") as out:
                for name, fb in per_file:
                    out.write(json.dumps({"file": name, "engine": e.name, "tbm_us": [round(x, 2) for x in fb]}) + "\n")
            os.replace(path + ".tmp", path)
        for k, v in r.items():
            print(json.dumps({"bench": "grammar_maskbench", "case": k, "peer": e.name, "peer_value": round(v, 1) if isinstance(v, float) else v}))

if __name__ == "__main__":
    main()
