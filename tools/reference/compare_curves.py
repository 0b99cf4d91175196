"""Loss-curve parity: our training log against several reference (cax) runs.

Reads JSONL loss logs, one object per optimiser step with "step" and "loss" (written by
`rrcnn train --log FILE` and by train_reference.py --out FILE), averages them over windows of
steps, prints ours next to the reference runs' mean, min and max, and says whether ours lies
within the spread of the reference seeds. A reference run may be shorter than ours (the
reference trains at ~30 s per step on a 2-core CPU): each window uses the reference runs that
cover it, and the table says how many did; the first --ref log must cover all N steps.

Random streams differ between JAX and us, so the comparison is statistical: a window counts as
inside when our mean lies in [min, max] of the reference seeds' window means, widened by the
standard error of the difference of two window means (batches of 8 digits with random noise
levels make single-step losses noisy). Optionally draws a PNG.

  python compare_curves.py --ours ours.jsonl --ref ref_s0.jsonl ref_s1.jsonl ref_s2.jsonl \
      --window 25 --steps 300 --plot docs/images/parity-loss.png

Exit code 0 when at least --min-inside (default 0.8) of the windows are inside, 1 otherwise.
"""

import argparse
import json
import math
import sys


def load(path, steps, prefix_ok=False):
	"""The first `steps` losses of a log; with prefix_ok, as many of them as the log has."""
	losses = {}
	with open(path) as f:
		for line in f:
			line = line.strip()
			if not line:
				continue
			rec = json.loads(line)
			if "step" not in rec:  # the run line rrcnn train writes first
				continue
			losses[int(rec["step"])] = float(rec["loss"])
	n = steps if steps else (max(losses) + 1 if losses else 0)
	if prefix_ok:
		have = 0
		while have < n and have in losses:
			have += 1
		if have == 0:
			sys.exit(f"{path}: no loss for step 0")
		n = have
	missing = [s for s in range(n) if s not in losses]
	if missing:
		sys.exit(f"{path}: no loss for {len(missing)} of the first {n} steps (first missing: {missing[0]})")
	return [losses[s] for s in range(n)]


def windows(values, size):
	out = []
	for start in range(0, len(values) - size + 1, size):
		chunk = values[start:start + size]
		mean = sum(chunk) / size
		var = sum((v - mean) ** 2 for v in chunk) / max(1, size - 1)
		out.append((start, mean, math.sqrt(var / size)))
	return out


def plot(path, ours, refs, size):
	from PIL import Image, ImageDraw

	w, h, pad = 900, 520, 60
	img = Image.new("RGB", (w, h), (255, 255, 255))
	d = ImageDraw.Draw(img)
	n = len(ours)
	all_vals = [v for r in refs + [ours] for v in r if v > 0]
	lo, hi = math.log10(min(all_vals)), math.log10(max(all_vals))

	def xy(step, loss):
		x = pad + (w - 2 * pad) * step / max(1, n - 1)
		y = h - pad - (h - 2 * pad) * (math.log10(max(loss, 1e-12)) - lo) / max(1e-9, hi - lo)
		return x, y

	d.rectangle([pad, pad, w - pad, h - pad], outline=(0, 0, 0))
	for k in range(int(math.floor(lo)), int(math.ceil(hi)) + 1):
		for m in (1, 2, 5):
			v = m * 10 ** k
			if lo <= math.log10(v) <= hi:
				_, y = xy(0, v)
				d.line([pad, y, w - pad, y], fill=(225, 225, 225))
				d.text((8, y - 6), f"{v:g}", fill=(0, 0, 0))
	for s in range(0, n, max(1, n // 6)):
		x, _ = xy(s, 10 ** lo)
		d.text((x - 8, h - pad + 8), str(s), fill=(0, 0, 0))
	d.text((w // 2 - 60, h - 22), "optimiser step", fill=(0, 0, 0))
	d.text((pad, 20), "training loss (log scale); thin: per step, thick: window means", fill=(0, 0, 0))
	colours = [(120, 160, 230), (90, 130, 210), (60, 100, 190), (30, 70, 170)]
	for i, r in enumerate(refs):
		c = colours[i % len(colours)]
		d.line([xy(s, v) for s, v in enumerate(r)], fill=tuple(min(255, x + 90) for x in c), width=1)
	d.line([xy(s, v) for s, v in enumerate(ours)], fill=(250, 180, 120), width=1)
	for i, r in enumerate(refs):
		pts = [xy(start + size / 2, m) for start, m, _ in windows(r, size)]
		d.line(pts, fill=colours[i % len(colours)], width=3)
	pts = [xy(start + size / 2, m) for start, m, _ in windows(ours, size)]
	d.line(pts, fill=(220, 90, 20), width=4)
	d.text((w - pad - 260, pad + 10), "orange: RRCNN Studio (C++)", fill=(220, 90, 20))
	d.text((w - pad - 260, pad + 26), f"blue: cax reference, {len(refs)} seeds", fill=(40, 80, 180))
	img.save(path)


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--ours", required=True, help="JSONL log of rrcnn train --log")
	ap.add_argument("--ref", required=True, nargs="+", help="JSONL logs of train_reference.py, one per seed")
	ap.add_argument("--steps", type=int, default=0, help="compare the first N steps (default: all of ours)")
	ap.add_argument("--window", type=int, default=25)
	ap.add_argument("--min-inside", type=float, default=0.8)
	ap.add_argument("--plot", default=None, help="write a PNG of both curves")
	args = ap.parse_args()

	ours = load(args.ours, args.steps)
	refs = [load(args.ref[0], len(ours))] + [load(p, len(ours), prefix_ok=True) for p in args.ref[1:]]
	for p, r in zip(args.ref, refs):
		print(f"reference {p}: {len(r)} steps")
	wo = windows(ours, args.window)
	wr = [windows(r, args.window) for r in refs]
	print(f"\n{'steps':>11}  {'ours':>9}  {'ref mean':>9}  {'ref min':>9}  {'ref max':>9}  seeds  inside")
	inside = 0
	for i, (start, m, se) in enumerate(wo):
		cover = [w[i] for w in wr if i < len(w)]
		means = [c[1] for c in cover]
		lo, hi = min(means), max(means)
		# Standard error of the difference of two window means (ours vs a typical reference run).
		se_ref = sum(c[2] for c in cover) / len(cover)
		tol = math.sqrt(se * se + se_ref * se_ref)
		ok = lo - tol <= m <= hi + tol
		inside += ok
		print(f"{start:5d}-{start + args.window - 1:<5d}  {m:9.5f}  {sum(means) / len(means):9.5f}  "
		      f"{lo:9.5f}  {hi:9.5f}  {len(cover):5d}  {'yes' if ok else 'NO'}")
	frac = inside / max(1, len(wo))
	tail_o = sum(ours[-args.window:]) / args.window
	tail_r = [sum(r[-args.window:]) / args.window for r in refs if len(r) == len(ours)]
	print(f"\n{inside} of {len(wo)} windows inside the reference spread ({100 * frac:.0f}%); "
	      f"last window: ours {tail_o:.5f}, reference {min(tail_r):.5f}..{max(tail_r):.5f}")
	print("verdict:", "consistent with the reference" if frac >= args.min_inside else "NOT consistent")
	if args.plot:
		plot(args.plot, ours, refs, args.window)
		print("plot:", args.plot)
	return 0 if frac >= args.min_inside else 1


if __name__ == "__main__":
	sys.exit(main())
