"""One row of the recipe-search table of docs/quality.md: a training run's command, seed, steps,
wall time and loss log next to the scores issue 19 asks for, measured by `rrcnn eval`:

  - PSNR at the model's horizon (64 steps, dropout 0.5) at alpha 0.25 / 0.5 / 0.75 (plain eval);
  - persistence: PSNR at step 1,024 minus step 64 at alpha 0.5, digits diverged;
  - repair: share of the lost PSNR won back 64 steps after each kind of brush damage.

  /usr/bin/python3 tools/quality/ablation.py --run-dir /work/runs/NAME --name NN-NAME \
      [--label TEXT] [--ckpt FILE] [--verdict TEXT]

The run folder holds command.txt (first line: the command), train.jsonl (the log) and
model.safetensors (evaluated from a copy, so a run still writing it is not disturbed). Existing
evaluations can stand in (--plain/--persistence/--repair JSON of `rrcnn eval --json`), e.g. for
the shipped models whose tables are already in tools/quality/results/. Writes
tools/quality/results/ablation/NAME.json; tables.py prints the table from those files.
Time on 2 busy CPU cores: about 30-60 minutes per run at the default counts.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def log_summary(path):
	"""Optimiser steps, wall time (segments of a resumed run added) and the last 100 losses' mean."""
	steps, wall, prev, losses = 0, 0.0, 0.0, []
	with open(path) as f:
		for line in f:
			line = line.strip()
			if not line:
				continue
			r = json.loads(line)
			if "step" not in r:  # the run's header line ({"run": ...}) of newer logs
				continue
			steps = r["step"] + 1
			s = r.get("seconds", 0.0)
			if s < prev:  # a new segment (resume): its clock restarted
				wall += prev
			prev = s
			losses.append(r["loss"])
	wall += prev
	tail = losses[-100:]
	return steps, wall, (sum(tail) / len(tail) if tail else None)


def rrcnn_eval(rrcnn, args, nice):
	cmd = ["nice", "-n", str(nice), rrcnn, "eval", "--json"] + args
	print("ablation.py: " + " ".join(cmd[3:]), file=sys.stderr)
	return json.loads(subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout)


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--run-dir", required=True)
	ap.add_argument("--name", required=True, help="file name of the row (results/ablation/NAME.json); rows sort by it")
	ap.add_argument("--label", help="the run's name in the table [NAME]")
	ap.add_argument("--ckpt", help="checkpoint to score [RUN_DIR/model.safetensors]")
	ap.add_argument("--command", help="the training command [first line of RUN_DIR/command.txt]")
	ap.add_argument("--log", help="JSONL training log [RUN_DIR/train.jsonl]")
	ap.add_argument("--seed", help="training seed [from --seed in the command, else 0]")
	ap.add_argument("--verdict", default="", help="one line: what the run showed")
	ap.add_argument("--count", type=int, default=1000, help="digits for the plain eval [1000]")
	ap.add_argument("--long-count", type=int, default=200, help="digits for persistence and repair [200]")
	ap.add_argument("--plain", help="reuse: JSON of rrcnn eval --baselines or the plain eval")
	ap.add_argument("--persistence", help="reuse: JSON holding a --persistence part (steps 64 and 1024)")
	ap.add_argument("--repair", help="reuse: JSON holding a --repair part with kinds")
	ap.add_argument("--no-eval", action="store_true",
	                help="evaluate nothing: only the reused files' parts are scored (a run in progress)")
	ap.add_argument("--rrcnn", default=os.path.join(ROOT, "build", "app", "rrcnn"))
	ap.add_argument("--nice", type=int, default=10)
	args = ap.parse_args()

	run = args.run_dir
	command = args.command
	if command is None:
		with open(os.path.join(run, "command.txt")) as f:
			command = f.readline().strip()
	log = args.log or os.path.join(run, "train.jsonl")
	steps, wall, last_loss = log_summary(log)
	seed = args.seed
	if seed is None:
		words = command.split()
		seed = words[words.index("--seed") + 1] if "--seed" in words else "0"

	snap_dir = tempfile.mkdtemp()
	try:
		ckpt = args.ckpt or os.path.join(run, "model.safetensors")
		snap = os.path.join(snap_dir, os.path.basename(ckpt))
		if not args.no_eval:
			shutil.copyfile(ckpt, snap)
		out = {"ablation": {"name": args.label or args.name, "command": command, "seed": seed, "log": log,
		                    "log_steps": steps, "wall_s": wall, "last_100_loss": last_loss,
		                    "checkpoint": ckpt, "verdict": args.verdict}}
		if args.plain:
			with open(args.plain) as f:
				d = json.load(f)
			if "baselines" in d:  # the model at its horizon with dropout on: the first model column
				levels = []
				for lv in d["baselines"]["levels"]:
					m = next(m for m in lv["methods"] if m["method"] == "model")
					levels.append({"alpha": lv["alpha"], "psnr": m["psnr"], "steps": m["steps"]})
				plain = {"digits": d["digits"], "levels": levels, "optimizer_step": d.get("optimizer_step")}
			else:
				plain = {"digits": d["digits"], "levels": d["levels"]}
		elif not args.no_eval:
			d = rrcnn_eval(args.rrcnn, ["--ckpt", snap, "--count", str(args.count), "--alphas", "0.25,0.5,0.75"], args.nice)
			plain = {"digits": d["digits"], "levels": d["levels"]}
		else:
			plain = None
		if plain:
			out["ablation"]["plain"] = plain
		parts = []
		if args.persistence:
			with open(args.persistence) as f:
				out["ablation"]["persistence"] = json.load(f)["persistence"]
		else:
			parts += ["--persistence", "--at", "64,1024"]
		if args.repair:
			with open(args.repair) as f:
				out["ablation"]["repair"] = json.load(f)["repair"]
		else:
			parts += ["--repair", "--recover-steps", "64"]
		if parts and not args.no_eval:
			d = rrcnn_eval(args.rrcnn, ["--ckpt", snap, "--count", str(args.long_count)] + parts, args.nice)
			out["ablation"]["optimizer_step"] = d.get("optimizer_step")
			out["ablation"]["long_digits"] = d["digits"]
			for k in ("persistence", "repair"):
				if k in d:
					out["ablation"][k] = d[k]
	finally:
		shutil.rmtree(snap_dir)
	dest = os.path.join(ROOT, "tools", "quality", "results", "ablation")
	os.makedirs(dest, exist_ok=True)
	path = os.path.join(dest, args.name + ".json")
	with open(path + ".tmp", "w") as f:
		json.dump(out, f, indent=1)
	os.replace(path + ".tmp", path)
	print(f"wrote {os.path.relpath(path)}", file=sys.stderr)


if __name__ == "__main__":
	main()
