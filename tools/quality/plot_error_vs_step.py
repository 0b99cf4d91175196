"""Error-versus-step plot for docs/quality.md from `rrcnn eval --per-step --json`.

Mean MSE of the image channel (log scale, PSNR on the right axis) after every step of the
rollout, one line per noise level with its 95% band over the digits, the training horizon
marked. Step 0 is the noisy input.

  rrcnn eval --ckpt M --per-step --alphas 0.25,0.5,0.75,-1 --count 200 --json > per_step.json
  /usr/bin/python3 tools/quality/plot_error_vs_step.py per_step.json --out error-vs-step.png

Needs Debian's python3-matplotlib.
"""

import argparse
import json

import matplotlib
import matplotlib.ticker
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("json", help="output of rrcnn eval --per-step --json")
	ap.add_argument("--out", required=True, help="PNG to write")
	ap.add_argument("--baselines", help="output of rrcnn eval --baselines --json: draws each level's better "
	                "filter (blur or median) dotted in the level's colour, and the mean training digit in grey")
	ap.add_argument("--title", default="", help="plot title (default: the checkpoint)")
	args = ap.parse_args()
	with open(args.json) as f:
		data = json.load(f)
	part = data["per_step"]
	best, mean_digit = {}, None
	if args.baselines:
		with open(args.baselines) as f:
			for lv in json.load(f)["baselines"]["levels"]:
				best[lv["alpha"]] = min(m["mse"] for m in lv["methods"] if m["method"] in ("blur", "median"))
				mean_digit = next(m["mse"] for m in lv["methods"] if m["method"] == "mean_digit")
	fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=110)
	for lv in part["levels"]:
		alpha = lv["alpha"]
		name = "random per digit" if alpha == "random" else f"alpha {alpha:g}"
		steps = list(range(len(lv["mse"])))
		line, = ax.plot(steps, lv["mse"], label=name, lw=1.8)
		lo = [max(v, 1e-6) for v in lv["mse_lo"]]
		ax.fill_between(steps, lo, lv["mse_hi"], color=line.get_color(), alpha=0.18, lw=0)
		if alpha in best:
			ax.axhline(best[alpha], color=line.get_color(), ls=":", lw=1.3)
	if best:
		ax.plot([], [], color="0.3", ls=":", lw=1.3, label="better of blur and median\n(same colour = same level)")
		ax.axhline(mean_digit, color="0.35", ls="-.", lw=1.2, label="mean training digit")
	horizon = part["horizon"]
	ax.axvline(horizon, color="0.3", ls="--", lw=1)
	ax.text(horizon, 0.98, f" training horizon ({horizon} steps)", transform=ax.get_xaxis_transform(),
	        va="top", ha="left", fontsize=9, color="0.25")
	ax.set_yscale("log")
	ax.set_xlim(0, part["steps"])
	ax.set_xlabel("step")
	ax.set_ylabel("mean MSE of the image channel (log)")
	psnr = ax.secondary_yaxis("right", functions=(lambda m: -10 * np.log10(np.maximum(m, 1e-12)),
	                                                  lambda p: 10.0 ** (-np.asarray(p) / 10)))
	psnr.set_ylabel("PSNR (dB)")
	psnr.set_yticks(list(range(0, 41, 2)))
	psnr.yaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%d"))
	psnr.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
	ax.grid(True, which="both", alpha=0.25)
	title = args.title or f"{data['checkpoint']}: {data['digits']} held-out digits, dropout {part['dropout']:g}"
	ax.set_title(title, fontsize=10)
	ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)
	fig.tight_layout()
	fig.savefig(args.out)
	print(f"wrote {args.out}")


if __name__ == "__main__":
	main()
