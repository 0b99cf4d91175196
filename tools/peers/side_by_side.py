#!/usr/bin/env python3
"""Ours beside the peers, from the JSON files each benchmark printed on the same machine:
`rrcnn bench` first, then any of tools/peers/bench_torch.py (eager, --graphs) and
tools/reference/bench_reference.py (cax on JAX). One row per measurement (steps/s of the
8-digit and the large rollout, optimiser steps/s of training), one column per program, and the
ratio ours / peer beside each peer's number (above 1: ours is faster). Nothing is asserted.

  python3 tools/peers/side_by_side.py bench_cuda.json bench_torch_eager.json bench_reference.json
  ... --json FILE  also writes the table as JSON (rows of {measure, ours, peers: {name: {steps_per_s, ratio}}})

Used by tools/device/gpu_check.sh for its summary. Exit 1 with one line when a file is missing
or is not a benchmark's JSON.
"""
import argparse
import json
import sys

MEASURES = (("rollout_8", "rollout 8 digits"), ("rollout_large", "rollout {large} digits"),
            ("train", "train (batch {batch})"))


def load(path):
    try:
        with open(path) as f:
            j = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"side_by_side.py: {path}: {e}")
    if not isinstance(j, dict) or "backend" not in j or not any(k in j for k, _ in MEASURES):
        sys.exit(f"side_by_side.py: {path}: not the JSON of a benchmark (no backend and no "
                 f"rollout_8/rollout_large/train)")
    return j


def rate(j, key):
    v = j.get(key)
    return v.get("steps_per_s") if isinstance(v, dict) else None


def table(ours, peers):
    rows = []
    for key, label in MEASURES:
        a = rate(ours, key)
        if a is None:
            continue
        row = {"measure": key, "label": label.format(large=ours.get("rollout_large_digits", "?"),
                                                      batch=ours.get("train_batch", "?")),
               "ours": a, "peers": {}}
        for name, p in peers:
            b = rate(p, key)
            row["peers"][name] = {"steps_per_s": b, "ratio": (a / b) if b else None}
        rows.append(row)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ours", help="the JSON of `rrcnn bench`")
    ap.add_argument("peers", nargs="*", help="JSON files of bench_torch.py / bench_reference.py")
    ap.add_argument("--json", help="also write the table here")
    args = ap.parse_args()
    ours = load(args.ours)
    peers, seen = [], {}
    for path in args.peers:
        p = load(path)
        name = p["backend"]
        seen[name] = seen.get(name, 0) + 1
        peers.append((name if seen[name] == 1 else f"{name}#{seen[name]}", p))
    rows = table(ours, peers)
    ours_name = f"ours ({ours['backend']})"
    print(f"device: {ours.get('device', '?')}")
    for name, p in peers:
        extra = ", ".join(f"{k} {p[k]}" for k in ("torch", "jax") if k in p)
        print(f"  {name}: {p.get('device', '?')}{' (' + extra + ')' if extra else ''}")
    w = max([len(r["label"]) for r in rows] + [8])
    cols = [ours_name] + [n for n, _ in peers]
    widths = [max(len(c), 10) for c in cols]
    print(f"{'steps/s':<{w}}  " + "  ".join(f"{c:>{widths[i] + (9 if i else 0)}}" for i, c in enumerate(cols)))
    for r in rows:
        cells = [f"{r['ours']:>{widths[0]}.2f}"]
        for i, (n, _) in enumerate(peers, 1):
            v = r["peers"][n]
            if v["steps_per_s"] is None:
                cells.append(f"{'-':>{widths[i]}}" + " " * 9)
            else:
                cells.append(f"{v['steps_per_s']:>{widths[i]}.2f} ({v['ratio']:5.2f}x)")
        print(f"{r['label']:<{w}}  " + "  ".join(cells))
    if peers:
        print("(ratio: ours / peer, above 1 ours is faster)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ours": ours.get("backend"), "device": ours.get("device"), "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
