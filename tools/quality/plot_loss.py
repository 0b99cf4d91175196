"""The loss curve of a training run next to the parity curves of docs/parity.md.

Left: the whole run (per-step loss thin, moving mean thick, log scale; the learning rate on the
right axis). Right: its first --parity-steps steps over the cax reference runs and our seed-0
parity run (tools/reference/*.jsonl), the curves docs/parity.md compares, with window means.
The title states how many of the recipe's --recipe-steps steps the log covers, so a partial
run is never shown as the full recipe.

  /usr/bin/python3 tools/quality/plot_loss.py --log run.jsonl --out loss.png

Logs are JSONL, one object per optimiser step with "step" and "loss" (rrcnn train --log).
Needs Debian's python3-matplotlib.
"""

import argparse
import glob
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "reference")


def load(path):
	"""(steps, losses, lrs) of a JSONL log, sorted by step; a later line for a step wins (resumed runs)."""
	recs = {}
	with open(path) as f:
		for line in f:
			line = line.strip()
			if line:
				rec = json.loads(line)
				if "step" not in rec:  # the run line rrcnn train writes first
					continue
				recs[int(rec["step"])] = rec
	steps = sorted(recs)
	return steps, [float(recs[s]["loss"]) for s in steps], [recs[s].get("lr") for s in steps]


def moving_mean(values, size):
	out, acc = [], 0.0
	for i, v in enumerate(values):
		acc += v
		if i >= size:
			acc -= values[i - size]
		out.append(acc / min(i + 1, size))
	return out


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--log", required=True, help="JSONL log of the run (rrcnn train --log)")
	ap.add_argument("--label", default="", help="name of the run (default: the log's file name)")
	ap.add_argument("--ref", nargs="*", default=None,
	                help="reference logs (default: tools/reference/reference_loss_seed*.jsonl)")
	ap.add_argument("--ours-parity", default=os.path.join(REFERENCE, "ours_loss_seed0_300.jsonl"),
	                help="our parity run (default: tools/reference/ours_loss_seed0_300.jsonl)")
	ap.add_argument("--parity-steps", type=int, default=300)
	ap.add_argument("--recipe-steps", type=int, default=8192)
	ap.add_argument("--window", type=int, default=100, help="moving mean of the whole run (default 100)")
	ap.add_argument("--out", required=True, help="PNG to write")
	args = ap.parse_args()
	refs = args.ref if args.ref is not None else sorted(glob.glob(os.path.join(REFERENCE, "reference_loss_seed*.jsonl")))
	steps, losses, lrs = load(args.log)
	label = args.label or os.path.basename(args.log)
	done = steps[-1] + 1 if steps else 0
	status = "the full recipe" if done >= args.recipe_steps else f"{done} of the recipe's {args.recipe_steps} steps"

	fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.6), dpi=100, gridspec_kw={"width_ratios": [3, 2]})
	ax.plot(steps, losses, color="#f0b890", lw=0.5, label="per step")
	ax.plot(steps, moving_mean(losses, args.window), color="#d0601a", lw=2, label=f"mean of {args.window} steps")
	ax.set_yscale("log")
	ax.set_xlabel("optimiser step")
	ax.set_ylabel("training loss (image MSE after the rollout)")
	ax.set_title(f"{label}: {status}", fontsize=10)
	ax.grid(True, which="both", alpha=0.25)
	if any(v is not None for v in lrs):
		lx = ax.twinx()
		lx.plot(steps, [v if v is not None else float("nan") for v in lrs], color="0.45", lw=1, ls="--")
		lx.set_ylabel("learning rate (dashed)")
		lx.set_ylim(0, max(v for v in lrs if v is not None) * 1.1)
	ax.legend(fontsize=8, loc="upper right")

	n = args.parity_steps
	win = 25
	for i, path in enumerate(refs):
		rs, rl, _ = load(path)
		keep = [(s, v) for s, v in zip(rs, rl) if s < n]
		if not keep:
			continue
		xs, ys = zip(*keep)
		bx.plot(xs, ys, color="#9ab8e8", lw=0.5)
		bx.plot(xs, moving_mean(list(ys), win), color="#2a5cb0", lw=1.6,
		        label=f"cax reference, {len(refs)} seeds" if i == 0 else None)
	if args.ours_parity and os.path.exists(args.ours_parity):
		ps, pl, _ = load(args.ours_parity)
		bx.plot(ps[:n], moving_mean(pl[:n], win), color="#3a9a3a", lw=1.6, ls="--", label="our parity run (seed 0)")
	keep = [(s, v) for s, v in zip(steps, losses) if s < n]
	if keep:
		xs, ys = zip(*keep)
		bx.plot(xs, moving_mean(list(ys), win), color="#d0601a", lw=2.2, label=label)
	bx.set_yscale("log")
	bx.set_xlim(0, n)
	bx.set_xlabel("optimiser step")
	bx.set_title(f"first {n} steps against docs/parity.md ({win}-step means)", fontsize=10)
	bx.grid(True, which="both", alpha=0.25)
	bx.legend(fontsize=8, loc="upper right")
	fig.tight_layout()
	fig.savefig(args.out)
	print(f"wrote {args.out} ({label}: {status})")


if __name__ == "__main__":
	main()
