"""Markdown tables for docs/quality.md from `rrcnn eval --json` output.

Each argument is FILE.json or FILE.json=LABEL (LABEL names the model in the tables). A file may
hold any of the parts --baselines, --persistence and --repair; each part present is printed:

  - baselines: per file, a PSNR table (one row per noise level, one column per method, the
    best baseline and the model's margin over it), then the same with MSE and 95% intervals;
  - persistence: one table, a column per file;
  - repair: one table, a row per file and damage kind;
  - external (tools/anchor/run_anchor.sh's dncnn.json): the anchor beside every --baselines
    file on the same digits;
  - ablation (tools/quality/ablation.py): the recipe-search table, a row per run.

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
	old = [label for label, d in items if "kinds" not in d["repair"]]
	if old:  # one erased disc, from before the brushes were measured: rerun those
		print(f"tables.py: skipping the old one-disc repair part of {', '.join(old)}", file=sys.stderr)
	items = [(label, d) for label, d in items if "kinds" in d["repair"]]
	if not items:
		return ""
	r0 = items[0][1]["repair"]
	at = r0["recover_steps"]
	out = [f"Repair: at step {r0['damage_step']} each digit is damaged with one of the studio's "
	       f"brushes, centred on the ink pixel nearest its centre of mass (strokes along x); noise "
	       f"alpha {r0['alpha']}, dropout {r0['dropout']:g}. Recovered: share of the damaged "
	       f"region's lost PSNR won back, (damaged - just after) / (never damaged - just after), "
	       f"the same rollout never damaged as reference; bootstrap 95% intervals. Whole: the whole "
	       f"image's PSNR, damaged minus never damaged (dB). An ink stroke is signal a user adds: a "
	       f"denoiser may keep it (no target). Where the never-damaged rollout's region is less than "
	       f"1 dB above the damaged one just after the damage, the share is meaningless (n/a).", ""]
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
				gap = a["region_undamaged"]["psnr"] - k["region_after_damage"]["psnr"]
				if v is not None and gap < 1.0:  # the undamaged rollout itself is no better than the hole
					cells.append(f"n/a (never damaged {gap:+.1f} dB)")
					continue
				cells.append("n/a" if v is None else
				             f"{v:.0%} {interval((ci[0] or 0) * 100, (ci[1] or 0) * 100, '{:.0f}')}%")
			last = k["after"][-1]
			cells.append("n/a" if last["whole_change_db"] is None else f"{last['whole_change_db']:+.2f}")
			cells.append(f"{last['diverged']} / {und}")
			out.append("| " + " | ".join(cells) + " |")
	return "\n".join(out)


def level_key(alpha):
	return "random" if alpha == "random" else f"{float(alpha):g}"


def anchor_table(items):
	"""The DnCNN anchor (rrcnn eval --score of its outputs) beside each model's PSNR at its
	horizon with dropout on, from --baselines files on the same digits and noise."""
	anchors = [(label, d) for label, d in items if "external" in d]
	if not anchors:
		return ""
	alabel, a = anchors[0]
	ext = a["external"]
	models = [(label, d) for label, d in items if "baselines" in d and d["digits"] == a["digits"]
	          and source(d) == source(a)]
	by_model = []
	for label, d in models:
		lv = {}
		for l in d["baselines"]["levels"]:
			m = next(m for m in l["methods"] if m["method"] == "model")
			lv[level_key(l["alpha"])] = m
		by_model.append((label, lv))
	out = [f"The anchor ({ext['method']}, tools/anchor/) and the models on the same {a['digits']} held-out "
	       f"digits and noise draws (`rrcnn eval --dump-noisy` inputs, its outputs scored by `rrcnn eval "
	       f"--score`); models after their horizon with dropout 0.5, as the studio runs them. PSNR in dB "
	       f"of the mean MSE, clipped output; 95% intervals in brackets.", ""]
	head = ["noise alpha", ext["method"]]
	for label, _ in by_model:
		head += [label, "minus DnCNN"]
	out.append("| " + " | ".join(head) + " |")
	out.append("|" + "---|" * len(head))
	for l in ext["levels"]:
		q = l["denoised"]
		cells = [level(l["alpha"]), f"{q['psnr']:.2f} {interval(*q['psnr_ci95'], '{:.2f}')}"]
		for _, lv in by_model:
			m = lv.get(level_key(l["alpha"]))
			cells += ["n/a", "n/a"] if m is None else [f"{m['psnr']:.2f} {interval(*m['psnr_ci95'], '{:.2f}')}",
			                                           f"{m['psnr'] - q['psnr']:+.2f}"]
		out.append("| " + " | ".join(cells) + " |")
	return "\n".join(out)


def hours(seconds):
	return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def ablation_table(items):
	"""One row per training run of the recipe search (tools/quality/ablation.py)."""
	runs = [d["ablation"] for _, d in items if "ablation" in d]
	if not runs:
		return ""
	kinds = ["erase_r3", "erase_r6", "erase_stroke", "noise_r4"]
	out = ["Recipe search: every run, including those that did not help (tools/quality/ablation.py). "
	       "PSNR at the horizon (64 steps, dropout 0.5) on the plain eval's digits; persistence: PSNR "
	       "at step 1,024 minus step 64 at alpha 0.5; repair: share of the lost PSNR won back 64 steps "
	       "after the damage (targets of issue 19: erase r3 >= 75%, r6 >= 40%, stroke >= 60%, noise disc "
	       ">= 60%). Commands below the table.", ""]
	head = ["run", "seed", "steps", "wall time", "last 100 loss", "PSNR 0.25 / 0.5 / 0.75",
	        "1024 - 64 (diverged)", "erase r3 / r6 / stroke / noise r4", "verdict"]
	out.append("| " + " | ".join(head) + " |")
	out.append("|" + "---|" * len(head))
	for r in runs:
		plain = r.get("plain")
		psnr = "n/a"
		if plain:
			psnr = " / ".join(f"{l['psnr']:.2f}" for l in plain["levels"] if l["alpha"] != "random")
			psnr += f" ({plain['digits']})"
		pers = "n/a"
		if "persistence" in r:
			st = {s["step"]: s for s in r["persistence"]["steps"]}
			if 64 in st and 1024 in st:
				pers = f"{st[1024]['psnr'] - st[64]['psnr']:+.2f} ({st[1024]['diverged']})"
				far = max(st)
				if far > 1024:  # a longer run read further: say how it ends
					pers += f"; {far}: {st[far]['psnr'] - st[64]['psnr']:+.2f} ({st[far]['diverged']})"
		rep = "n/a"
		if "repair" in r and "kinds" in r["repair"]:
			ks = r["repair"]["kinds"]
			vals = []
			for k in kinds:
				a = next((a for a in ks[k]["after"] if a["steps"] == 64), None) if k in ks else None
				vals.append("n/a" if a is None or a["recovered"] is None else f"{a['recovered']:.0%}")
			rep = " / ".join(vals)
		loss = "n/a" if r["last_100_loss"] is None else f"{r['last_100_loss']:.4f}"
		out.append("| " + " | ".join([r["name"], str(r["seed"]), str(r["log_steps"]), hours(r["wall_s"]), loss,
		                               psnr, pers, rep, r.get("verdict", "")]) + " |")
	out += ["", "Commands:", ""]
	for r in runs:
		out.append(f"- {r['name']}: `{r['command']}` (log `{r['log']}`)")
	return "\n".join(out)


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("files", nargs="+", help="FILE.json or FILE.json=LABEL")
	args = ap.parse_args()
	items = [load(a) for a in args.files]
	parts = [baselines_tables(label, d) for label, d in items if "baselines" in d and "ablation" not in d]
	parts += [anchor_table(items), persistence_table(items), repair_table(items), ablation_table(items)]
	print("\n\n".join(p for p in parts if p))


if __name__ == "__main__":
	sys.exit(main())
