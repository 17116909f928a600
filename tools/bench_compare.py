#!/usr/bin/env python3
"""Join benchmark JSON lines (stdin) into side-by-side tables: Soundmap vs the reference tools.

Input: JSON objects, one per line, {"bench", "case", "tool", "value", "unit", ...}; lines that are
not JSON objects with those keys are ignored. The Soundmap side uses tool "soundmap".
Output: one table per bench, a row per (case, reference tool):
    case | soundmap | reference tool | reference | ratio
ratio > 1 always means Soundmap is faster:
    throughput units (x realtime, queries/s, examples/s, GFLOP/s, ...): soundmap / reference
    latency units (ms, s, us):                                         reference / soundmap
A case may have several reference tools (e.g. "pytorch" and "pytorch-channels-last"): one row each.
Usage: cat results.jsonl | python3 tools/bench_compare.py [--markdown]
Plain Python 3, no dependencies.
"""
import argparse
import json
import re
import sys

SOUNDMAP = "soundmap"
# Lower is better: times, and errors such as a mean absolute error in years.
LATENCY_UNITS = {"ms", "s", "us", "µs", "ns", "years MAE"}
# Higher is better. Any unit that is not a latency unit is treated as a throughput; this set only
# documents the units the benches print.
THROUGHPUT_UNITS = {"x realtime", "queries/s", "examples/s", "GFLOP/s"}
KEYS = ("bench", "case", "tool", "value", "unit")


def read_records(stream):
    recs = []
    for line in stream:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(r, dict) and all(k in r for k in KEYS):
            recs.append(r)
    return recs


def fmt(v):
    if v is None:
        return "—"
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def ratio(sm, ref, unit):
    """> 1 when Soundmap is faster: reference/soundmap for latencies, soundmap/reference otherwise."""
    if sm is None or ref is None or sm == 0 or ref == 0:
        return None
    return ref / sm if unit in LATENCY_UNITS else sm / ref


def natural_key(s):
    """'N=100000,threads=2' sorts after 'N=10000,threads=2': digit runs compare as numbers."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", s)]


def build_tables(recs):
    """{bench: [(case, unit, soundmap_value, ref_tool, ref_value, ratio)]}, in first-seen order."""
    benches = {}
    for r in recs:
        cases = benches.setdefault(r["bench"], {})
        c = cases.setdefault(r["case"], {"unit": r["unit"], "tools": {}})
        c["tools"][r["tool"]] = r["value"]          # last measurement of a (case, tool) wins
    tables = {}
    for bench, cases in benches.items():
        rows = []
        for case, c in sorted(cases.items(), key=lambda kv: natural_key(kv[0])):
            sm = c["tools"].get(SOUNDMAP)
            refs = [(t, v) for t, v in c["tools"].items() if t != SOUNDMAP] or [(None, None)]
            for tool, v in refs:
                rows.append((case, c["unit"], sm, tool, v, ratio(sm, v, c["unit"])))
        tables[bench] = rows
    return tables


def render(tables, markdown):
    out = []
    head = ("case", "unit", "soundmap", "reference tool", "reference", "ratio")
    for bench, rows in tables.items():
        cells = [(case, unit, fmt(sm), tool or "—", fmt(v), "—" if q is None else f"{q:.2f}x")
                 for case, unit, sm, tool, v, q in rows]
        w = [max(len(head[i]), *(len(r[i]) for r in cells)) for i in range(len(head))]
        right = (False, False, True, False, True, True)

        def line(r):
            parts = [r[i].rjust(w[i]) if right[i] else r[i].ljust(w[i]) for i in range(len(r))]
            return ("| " + " | ".join(parts) + " |") if markdown else "  ".join(parts).rstrip()

        out.append(f"## {bench}" if markdown else f"== {bench} ==")
        out.append(line(head))
        if markdown:
            out.append("|" + "|".join(("-" * (w[i] + 1) + ":") if right[i] else "-" * (w[i] + 2)
                                      for i in range(len(head))) + "|")
        else:
            out.append("  ".join("-" * x for x in w))
        out += [line(r) for r in cells]
        out.append("")
    out.append("ratio > 1: Soundmap faster (throughput: soundmap/reference; latency: reference/soundmap)")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description="Side-by-side benchmark tables from JSON lines on stdin.")
    ap.add_argument("--markdown", action="store_true", help="Markdown tables")
    args = ap.parse_args()
    recs = read_records(sys.stdin)
    if not recs:
        sys.exit("bench_compare: no benchmark records on stdin")
    print(render(build_tables(recs), args.markdown))


if __name__ == "__main__":
    main()
