"""RRCNN Studio's CPU against its peers, alternating the programs for N rounds on one machine.

Runs `rrcnn bench` (ours), the PyTorch peer bench_torch.py under Debian's python3-torch and,
when given, under a PyPI torch venv, and optionally the reference (cax/JAX) bench_reference.py,
one after the other, round after round (the starting program rotates each round), all with the
same thread count, and prints a markdown table: per measure the median, the min-max spread,
the ratio ours / peer of the medians (and the range of the per-round ratios), the fraction of
the fp32 peak each program reaches on the arithmetic it actually does, and a header with the
processor, versions, date and load. `--json FILE` also writes every run; `--from-json FILE`
prints the table of an earlier run without measuring.

  python3 tools/peers/compare.py --rrcnn build/app/rrcnn --torch2-venv tools/peers/.venv
  python3 tools/peers/compare.py --rrcnn build/app/rrcnn --isa avx2      # AVX2-only order

--isa avx2 restricts every program to AVX2 through the libraries' own switches
(OPENBLAS_CORETYPE=Haswell, ATEN_CPU_CAPABILITY=avx2, ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA=AVX2,
MKL_ENABLE_INSTRUCTIONS=AVX2, XLA's --xla_cpu_max_isa=AVX2, and RRCNN_MAX_ISA=avx2 for our own
kernels), to check the order an AVX2-only processor would see.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MEASURES = (("rollout_8", "rollout, 8 digits"), ("rollout_large", "rollout, {large} digits"),
	("train", "training step (batch 8, {steps} steps)"))
ISA_ENV = {
	"avx2": {"OPENBLAS_CORETYPE": "Haswell", "ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2",
		"DNNL_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2", "RRCNN_MAX_ISA": "avx2",
		"XLA_FLAGS": "--xla_cpu_max_isa=AVX2"},
}


def cpu_info():
	"""Processor name and the ISA flags that matter here, from /proc/cpuinfo (what lscpu reads)."""
	name, flags = "unknown", set()
	try:
		with open("/proc/cpuinfo") as f:
			for line in f:
				key, _, value = line.partition(":")
				if key.strip() == "model name" and name == "unknown":
					name = value.strip()
				elif key.strip() == "flags" and not flags:
					flags = set(value.split())
	except OSError:
		pass
	wanted = ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16")
	return name, [f for f in wanted if f in flags], os.cpu_count()


def git_commit():
	try:
		return subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
			text=True, check=True).stdout.strip()
	except (OSError, subprocess.CalledProcessError):
		return None


def programs(args):
	"""[(label, argv, role)]: role 'ours', 'peer' or 'reference'."""
	common = ["--preset", args.preset, "--seconds", str(args.seconds), "--large", str(args.large)]
	if args.skip_train:
		common.append("--skip-train")
	out = [("ours", [args.rrcnn, "bench", "--backend", "cpu", "--threads", str(args.threads), *common], "ours")]
	torch_args = [os.path.join(HERE, "bench_torch.py"), "--threads", str(args.threads), "--layout", args.layout,
		*common]
	if args.torch_python:
		out.append(("torch-debian", [args.torch_python, *torch_args], "peer"))
	if args.torch2_venv:
		out.append(("torch-pypi", [os.path.join(args.torch2_venv, "bin", "python"), *torch_args], "peer"))
	if args.reference_venv:
		ref = [os.path.join(args.reference_venv, "bin", "python"),
			os.path.join(ROOT, "tools", "reference", "bench_reference.py"), *common]
		out.append(("reference", ref, "reference"))
	return out


def run_one(label, argv, env, timeout):
	try:
		p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
	except (OSError, subprocess.TimeoutExpired) as e:
		sys.exit(f"compare.py: {label}: {e}")
	if p.returncode != 0:
		last = (p.stderr.strip().splitlines() or ["(no output)"])[-1]
		sys.exit(f"compare.py: {label} exited {p.returncode}: {last}")
	text = p.stdout
	try:
		return json.loads(text[text.index("{"):text.rindex("}") + 1])
	except ValueError:
		sys.exit(f"compare.py: {label}: its output is not the JSON of a bench: {text[:200]!r}")


def measure_all(args):
	env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
	env.update(ISA_ENV.get(args.isa, {}))
	progs = programs(args)
	for label, argv, _ in progs:
		if not os.path.exists(argv[0]):
			sys.exit(f"compare.py: {label}: {argv[0]} does not exist")
	name, flags, cores = cpu_info()
	result = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
		"processor": name, "flags": flags, "cores": cores, "threads": args.threads, "isa": args.isa,
		"isa_env": ISA_ENV.get(args.isa, {}), "rounds": args.rounds, "seconds": args.seconds,
		"preset": args.preset, "large": args.large, "layout": args.layout, "commit": git_commit(),
		"load_before": list(os.getloadavg()), "command": "python3 " + " ".join(sys.argv),
		"programs": {label: {"argv": argv, "role": role, "runs": []} for label, argv, role in progs}}
	for r in range(args.rounds):
		order = progs[r % len(progs):] + progs[:r % len(progs)]
		for label, argv, _ in order:
			print(f"round {r + 1}/{args.rounds}: {label} ...", file=sys.stderr, flush=True)
			result["programs"][label]["runs"].append(run_one(label, argv, env, args.timeout))
	result["load_after"] = list(os.getloadavg())
	return result


def stats(values):
	values = [v for v in values if v is not None]
	if not values:
		return None
	return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarize(result):
	"""Per measure and program: steps/s and fraction-of-peak stats; ratios ours / peer."""
	progs = result["programs"]
	ours_runs = progs["ours"]["runs"]
	peak = stats([r.get("peak_fp32_gflops") for r in ours_runs])
	summary = {"peak_fp32_gflops": peak, "measures": {}}
	for key, _ in MEASURES:
		m = {}
		for label, p in progs.items():
			runs = [r[key] for r in p["runs"] if key in r]
			if not runs:
				continue
			entry = {"steps_per_s": stats([e["steps_per_s"] for e in runs])}
			# One yardstick for everyone: our measured peak (the median over our runs).
			actual = [e.get("actual_gflops") for e in runs]
			if peak and all(a is not None for a in actual):
				entry["fraction_of_peak"] = stats([a / peak["median"] for a in actual])
			if label != "ours" and ours_runs and all(key in o for o in ours_runs):
				per_round = [o[key]["steps_per_s"] / e["steps_per_s"] for o, e in zip(ours_runs, runs)]
				ours_med = statistics.median(o[key]["steps_per_s"] for o in ours_runs)
				entry["ratio_ours_over"] = {"of_medians": ours_med / entry["steps_per_s"]["median"],
					"per_round_min": min(per_round), "per_round_max": max(per_round)}
			m[label] = entry
		summary["measures"][key] = m
	return summary


def fmt_rate(s, train):
	if s is None:
		return "-"
	txt = f"{s['median']:.3g} ({s['min']:.3g}-{s['max']:.3g})"
	if train:
		txt += f", {1 / s['median']:.2f} s/step"
	return txt


def versions_line(label, p):
	r = p["runs"][0] if p["runs"] else {}
	if label == "ours":
		return f"ours: `rrcnn bench`, {r.get('device', '?')}, gemm {r.get('gemm', '?')}, peak {r.get('peak_source', '?')}"
	if "torch" in r:
		return (f"{label}: torch {r['torch']} (python {r.get('python')}), {r.get('onednn')}, mkldnn "
			f"{'on' if r.get('mkldnn_enabled') else 'off'}, ATen CPU capability {r.get('cpu_capability')}, "
			f"BLAS {r.get('blas')}, layout {r.get('layout')}, torch.mm peak {r.get('peak_fp32_gflops') or 0:.0f} GFLOP/s")
	return f"{label}: {r.get('backend', '?')} {r.get('jax', '')}"


def markdown(result):
	s = summarize(result)
	progs = result["programs"]
	labels = list(progs)
	peers = [lb for lb in labels if lb != "ours"]
	lines = [f"Measured {result['date']} on {result['processor']} ({result['cores']} cores; flags: "
		f"{', '.join(result['flags']) or 'none of avx2/avx512/amx'}), {result['threads']} threads, "
		f"ISA {result['isa']}{' (' + ', '.join(f'{k}={v}' for k, v in result['isa_env'].items()) + ')' if result['isa_env'] else ''}, "
		f"commit {result['commit']}, preset {result['preset']}, {result['rounds']} alternating rounds of "
		f"--seconds {result['seconds']}; load average (1/5/15 min) before "
		f"{'/'.join(f'{x:.2f}' for x in result['load_before'])}, after {'/'.join(f'{x:.2f}' for x in result['load_after'])}.", ""]
	for lb in labels:
		lines.append("- " + versions_line(lb, progs[lb]))
	peak = s["peak_fp32_gflops"]
	if peak:
		lines.append(f"- fp32 peak (ours, gemm<float> 2048^3): {peak['median']:.1f} GFLOP/s "
			f"({peak['min']:.1f}-{peak['max']:.1f}); every fraction of peak below is against it")
	lines += ["", "Steps per second, median (min-max) of the rounds; ratio = ours / peer of the medians "
		"[range of the per-round ratios]:", ""]
	header = "| measure | " + " | ".join(labels) + " | " + " | ".join(f"ours / {p}" for p in peers) + " |"
	lines += [header, "|" + "---|" * (1 + len(labels) + len(peers))]
	steps = "64" if result["preset"] == "seed" else "32"
	for key, title in MEASURES:
		m = s["measures"].get(key)
		if not m or "ours" not in m:
			continue
		row = [title.format(large=result["large"], steps=steps)]
		row += [fmt_rate(m[lb]["steps_per_s"], key == "train") if lb in m else "-" for lb in labels]
		for p in peers:
			r = m.get(p, {}).get("ratio_ours_over")
			row.append(f"**{r['of_medians']:.2f}x** [{r['per_round_min']:.2f}-{r['per_round_max']:.2f}]" if r else "-")
		lines.append("| " + " | ".join(row) + " |")
	lines += ["", "Fraction of the fp32 peak on the arithmetic actually done (ours: the MACs counted by "
		"core/work_counter, kept cells only; PyTorch: the full model, it runs the MLP on every cell; "
		"the reference: not counted), median (min-max):", "",
		"| measure | " + " | ".join(labels) + " |", "|" + "---|" * (1 + len(labels))]
	for key, title in MEASURES:
		m = s["measures"].get(key)
		if not m:
			continue
		cells = []
		for lb in labels:
			f = m.get(lb, {}).get("fraction_of_peak")
			cells.append(f"{100 * f['median']:.0f}% ({100 * f['min']:.0f}-{100 * f['max']:.0f})" if f else "-")
		lines.append(f"| {title.format(large=result['large'], steps=steps)} | " + " | ".join(cells) + " |")
	ours = progs["ours"]["runs"]
	if ours and all("work_fraction_of_peak" in r.get("train", {}) for r in ours):
		w = stats([r["train"]["work_fraction_of_peak"] for r in ours])
		lines.append(f"\nOurs counting the full model's arithmetic instead (the work-equivalent rate), "
			f"training step: {100 * w['median']:.0f}% of peak.")
	lines += ["", "Reproduce: `" + result["command"] + "`"]
	return "\n".join(lines)


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--rrcnn", default=os.path.join(ROOT, "build", "app", "rrcnn"))
	ap.add_argument("--torch-python", default="/usr/bin/python3", help="Python with Debian's torch ('' skips)")
	ap.add_argument("--torch2-venv", default="", help="venv with a PyPI torch (e.g. tools/peers/.venv)")
	ap.add_argument("--reference-venv", default="", help="tools/reference/.venv to add the reference (slow)")
	ap.add_argument("--rounds", type=int, default=5)
	ap.add_argument("--threads", type=int, default=os.cpu_count())
	ap.add_argument("--seconds", type=float, default=2.0)
	ap.add_argument("--large", type=int, default=256)
	ap.add_argument("--preset", choices=("seed", "lite"), default="seed")
	ap.add_argument("--layout", choices=("nchw", "channels_last"), default="nchw", help="the PyTorch peers' layout")
	ap.add_argument("--skip-train", action="store_true")
	ap.add_argument("--isa", choices=("native", "avx2"), default="native")
	ap.add_argument("--timeout", type=float, default=1800, help="seconds per program run")
	ap.add_argument("--json", default="", help="also write every run and the summary to this file")
	ap.add_argument("--from-json", default="", help="print the table of an earlier --json file, measure nothing")
	args = ap.parse_args()
	if args.from_json:
		with open(args.from_json) as f:
			result = json.load(f)
	else:
		if args.rounds < 1 or args.threads < 1:
			ap.error("--rounds and --threads must be at least 1")
		result = measure_all(args)
		result["summary"] = summarize(result)
		if args.json:
			with open(args.json, "w") as f:
				json.dump(result, f, indent=1)
	print(markdown(result))


if __name__ == "__main__":
	main()
