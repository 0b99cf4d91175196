"""Markdown tables for docs/quality.md from `rrcnn eval --json` output.

Each argument is FILE.json or FILE.json=LABEL (LABEL names the model in the tables). A file may
hold any of the parts --baselines, --persistence and --repair; each part present is printed:

  - baselines: per file, a PSNR table (one row per noise level, one column per method, the
    best baseline and the model's margin over it), then the same with MSE and 95% intervals;
  - persistence: one table, a column per file;
  - repair: one table, a row per file and damage kind.

  /usr/bin/python3 tools/quality/tables.py results/seed.baselines.json=seed-recipe
"""

import argparse
import json
import os
import sys

BASELINE_KEYS = ("noisy", "mean_digit", "blur", "median")


def method_name(m):
	"""A method's name for the tables (images need not be digits: Fashion-MNIST)."""
	if m["method"] == "noisy":
		return "noisy input"
	if m["method"] == "mean_digit":
		return "mean training image"
	if m["method"] == "blur":
		return f"Gaussian blur (sigma {m['param']:g})"
	if m["method"] == "median":
		return f"median filter ({int(m['param'])}x{int(m['param'])})"
	return model_header(m)


def load(arg):
	path, _, label = arg.partition("=")
	with open(path) as f:
		data = json.load(f)
	return label or data.get("checkpoint", path), data


def source(data):
	"""The data source, relative to the working directory when inside it."""
	text = data.get("data", "?")
	path, sep, rest = text.partition(" [")
	if os.path.isabs(path) and os.path.abspath(path).startswith(os.getcwd() + os.sep):
		path = os.path.relpath(path)
	return path + sep + rest


def level(alpha):
	return "random (U(0,1) per digit)" if alpha == "random" else f"{alpha:g}"


def interval(lo, hi, fmt):
	return f"[{fmt.format(lo)}, {fmt.format(hi)}]"


def model_header(m):
	return f"model, {m['steps']} steps, dropout {m['dropout']:g}"


def baselines_tables(label, data):
	part = data["baselines"]
	levels = part["levels"]
	models = [m for m in levels[0]["methods"] if m["method"] == "model"]
	first_model = model_header(models[0])
	out = [f"**{label}** on {data['digits']} held-out images of `{source(data)}` "
	       f"(noise seed {data['seed']}); blur sigma and median window chosen per level on "
	       f"{part['tuning_digits']} noisy training images. PSNR in dB of the mean MSE.", ""]
	head = ["noise alpha", "noisy input", "mean training image", "Gaussian blur", "median filter"]
	head += [model_header(m) for m in models]
	head += ["best baseline", f"{first_model} minus best baseline"]
	out.append("| " + " | ".join(head) + " |")
	out.append("|" + "---|" * len(head))
	for lv in levels:
		by = {m["method"]: m for m in lv["methods"] if m["method"] != "model"}
		mods = [m for m in lv["methods"] if m["method"] == "model"]
		cells = [level(lv["alpha"]), f"{by['noisy']['psnr']:.2f}", f"{by['mean_digit']['psnr']:.2f}",
		         f"{by['blur']['psnr']:.2f} (sigma {by['blur']['param']:g})",
		         f"{by['median']['psnr']:.2f} ({int(by['median']['param'])}x{int(by['median']['param'])})"]
		for m in mods:
			div = f", {m['diverged']} diverged" if m["diverged"] else ""
			cells.append(f"{m['psnr']:.2f}{div}")
		best = max(BASELINE_KEYS, key=lambda k: by[k]["psnr"])
		cells.append(f"{by[best]['psnr']:.2f} ({method_name(by[best])})")
		cells.append(f"{mods[0]['psnr'] - by[best]['psnr']:+.2f}")
		out.append("| " + " | ".join(cells) + " |")
	out += ["", "With 95% intervals over the digits (MSE: mean +- 1.96 standard errors; PSNR: that "
	        "interval mapped through PSNR):", "",
	        "| noise alpha | method | MSE | 95% interval | PSNR dB | 95% interval |", "|---|---|---|---|---|---|"]
	for lv in levels:
		for m in lv["methods"]:
			out.append(f"| {level(lv['alpha'])} | {method_name(m)} | {m['mse']:.5f} | "
			           f"{interval(*m['mse_ci95'], '{:.5f}')} | {m['psnr']:.2f} | "
			           f"{interval(*m['psnr_ci95'], '{:.2f}')} |")
	return "\n".join(out)


def persistence_table(items):
	items = [(label, d) for label, d in items if "persistence" in d]
	if not items:
		return ""
	steps = [s["step"] for s in items[0][1]["persistence"]["steps"]]
	p0 = items[0][1]["persistence"]
	out = [f"Persistence: PSNR (dB) of one rollout read at each step, noise alpha {p0['alpha']}, "
	       f"dropout {p0['dropout']:g}; [95% interval]; digits whose cells left +-1000 or became "
	       f"non-finite are counted as diverged.", ""]
	head = ["step"] + [f"{label} ({d['digits']} digits)" for label, d in items]
	out.append("| " + " | ".join(head) + " |")
	out.append("|" + "---|" * len(head))
	for i, step in enumerate(steps):
		cells = [str(step)]
		for _, d in items:
			rows = {s["step"]: s for s in d["persistence"]["steps"]}
			s = rows.get(step)
			if s is None:
				cells.append("")
				continue
			first = d["persistence"]["steps"][0]["psnr"]
			div = f", **{s['diverged']} of {d['digits']} diverged** (max cell {s['max_abs_cell']:.3g})" if s["diverged"] else ""
			delta = f" ({s['psnr'] - first:+.2f} vs step {d['persistence']['steps'][0]['step']})" if i else ""
			cells.append(f"{s['psnr']:.2f} {interval(*s['psnr_ci95'], '{:.2f}')}{delta}{div}")
		out.append("| " + " | ".join(cells) + " |")
	return "\n".join(out)


def repair_table(items):
	"""One row per model and damage kind: the share of the damaged region's lost PSNR won back
	at each recovery point, and what the damage costs the whole image at the last one."""
	items = [(label, d) for label, d in items if "repair" in d]
	if not items:
		return ""
	r0 = items[0][1]["repair"]
	if "kinds" not in r0:
		raise SystemExit("tables.py: a --repair part without 'kinds' (made by an older rrcnn eval): rerun it")
	at = r0["recover_steps"]
	out = [f"Repair: at step {r0['damage_step']} each digit is damaged with one of the studio's "
	       f"brushes, centred on the ink pixel nearest its centre of mass (strokes along x); noise "
	       f"alpha {r0['alpha']}, dropout {r0['dropout']:g}. Recovered: share of the damaged "
	       f"region's lost PSNR won back, (damaged - just after) / (never damaged - just after), "
	       f"the same rollout never damaged as reference; bootstrap 95% intervals. Whole: the whole "
	       f"image's PSNR, damaged minus never damaged (dB). An ink stroke is signal a user adds: a "
	       f"denoiser may keep it (no target).", ""]
	head = ["model", "digits", "damage", "cells", "region PSNR just after"]
	head += [f"recovered +{s}" for s in at]
	head += [f"whole +{at[-1]}", "diverged (damaged / never)"]
	out.append("| " + " | ".join(head) + " |")
	out.append("|" + "---|" * len(head))
	for label, d in items:
		r = d["repair"]
		und = r["undamaged"][-1]["diverged"]
		for name, k in r["kinds"].items():
			cells = [label, str(d["digits"]), k["label"], f"{k['mean_region_cells']:.0f}",
			         f"{k['region_after_damage']['psnr']:.2f}"]
			for a in k["after"]:
				v, ci = a["recovered"], a["recovered_ci95"]
				cells.append("n/a" if v is None else
				             f"{v:.0%} {interval((ci[0] or 0) * 100, (ci[1] or 0) * 100, '{:.0f}')}%")
			last = k["after"][-1]
			cells.append("n/a" if last["whole_change_db"] is None else f"{last['whole_change_db']:+.2f}")
			cells.append(f"{last['diverged']} / {und}")
			out.append("| " + " | ".join(cells) + " |")
	return "\n".join(out)


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("files", nargs="+", help="FILE.json or FILE.json=LABEL")
	args = ap.parse_args()
	items = [load(a) for a in args.files]
	parts = [baselines_tables(label, d) for label, d in items if "baselines" in d]
	parts += [persistence_table(items), repair_table(items)]
	print("\n\n".join(p for p in parts if p))


if __name__ == "__main__":
	sys.exit(main())
