"""Throughput of the RRCNN model in PyTorch (torch_rrcnn.py), timed exactly like `rrcnn bench`.

Prints one JSON object in `rrcnn bench`'s shape: rollout steps/s of 8 and of --large digits
(dropout on, under torch.no_grad, 8 steps per timed call), optimiser steps/s of the training step
(batch 8, 64 steps, loss.backward, clip_grad_norm_, Adam with the linear schedule). Each
measurement is warmed up once, then repeated until --seconds passed and at least twice. The
fp32 peak is torch.mm's best on a --peak-size cube; PyTorch runs the MLP on every cell, so the
arithmetic it actually does is the spec's full count (actual_gflops = gflops).

  /usr/bin/python3 tools/peers/bench_torch.py --threads 2 --seconds 1
  tools/peers/.venv/bin/python tools/peers/bench_torch.py --threads 2   # a PyPI torch
"""

import argparse
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import torch_rrcnn as T  # noqa: E402


def measure(fn, min_seconds, min_iters=2):
	"""rrcnn bench's measure(): one warmup call, then until min_seconds and min_iters."""
	fn()
	n, start = 0, time.perf_counter()
	while True:
		fn()
		n += 1
		el = time.perf_counter() - start
		if el >= min_seconds and n >= min_iters:
			return {"per_second": n / el, "iterations": n, "seconds": el}


def peak_gflops(n):
	a = torch.rand(n, n) + 0.25
	b = torch.rand(n, n) + 0.25
	best, total, rep = float("inf"), 0.0, 0
	while rep < 8 and (rep < 3 or total < 1.0):
		t0 = time.perf_counter()
		torch.mm(a, b)
		s = time.perf_counter() - t0
		if rep > 0:
			best = min(best, s)
		total += s
		rep += 1
	return 2.0 * n ** 3 / best / 1e9


def cell_macs(cfg):
	"""Forward and backward multiply-accumulates per cell-step (model-spec.md, "Cost")."""
	w = T.widths(cfg)
	conv = 9.0 * cfg["channels"] * cfg["perception"]
	mlp = sum(w[i] * w[i + 1] for i in range(len(w) - 1))
	return conv + mlp, 2 * mlp + conv


def entry(t, steps, gflops, peak):
	frac = gflops / peak if peak > 0 else None
	return {"steps_per_s": t["per_second"] * steps, "gflops": gflops, "actual_gflops": gflops,
		"fraction_of_peak": frac, "work_fraction_of_peak": frac, "iterations": t["iterations"],
		"seconds": t["seconds"]}


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--preset", choices=sorted(T.PRESETS), default="seed")
	ap.add_argument("--seconds", type=float, default=2.0)
	ap.add_argument("--large", type=int, default=256)
	ap.add_argument("--skip-train", action="store_true")
	ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (default: all cores)")
	ap.add_argument("--layout", choices=T.LAYOUTS, default="nchw")
	ap.add_argument("--peak-size", type=int, default=2048, help="0 skips the torch.mm peak")
	args = ap.parse_args()
	if args.seconds < 0 or args.large < 1 or args.threads < 0 or args.peak_size < 0:
		ap.error("--seconds, --large, --threads and --peak-size must not be negative (--large >= 1)")

	torch.set_num_threads(args.threads or os.cpu_count())
	torch.manual_seed(0)
	cfg = T.PRESETS[args.preset]
	model = T.RRCNN(cfg, args.layout)
	T.init_like_bench(model, 0)
	peak = peak_gflops(args.peak_size) if args.peak_size > 0 else 0.0
	fwd, bwd = cell_macs(cfg)
	cells = cfg["height"] * cfg["width"]
	chunk = 8
	gen = torch.Generator().manual_seed(0)

	def rollout(batch):
		clean = torch.full((batch, cfg["height"], cfg["width"]), 0.5)
		noisy = (0.5 * clean + 0.5 * torch.randn(clean.shape, generator=gen)).clamp(0, 1)
		state = [T.initial_state(noisy, cfg["channels"], args.layout)]

		def run():
			with torch.no_grad():
				s = state[0]
				for _ in range(chunk):
					s = model.step(s, cfg["dropout_rate"], generator=gen)
				state[0] = s

		return measure(run, args.seconds)

	v = T.versions()
	result = {"backend": "torch-cpu", "device": f"{v['threads']} threads, {platform.processor() or 'cpu'}",
		"gemm": "torch", "preset": args.preset, "precision": "fp32", "threads": v["threads"],
		"layout": args.layout, "peak_fp32_gflops": peak or None,
		"peak_source": f"measured: torch.mm {args.peak_size}^3, best of repeats" if peak else "none",
		**{k: v[k] for k in ("torch", "blas", "mkldnn_enabled", "onednn", "cpu_capability")},
		"python": platform.python_version()}
	r8 = rollout(8)
	result["rollout_8"] = entry(r8, chunk, r8["per_second"] * chunk * 8 * cells * 2 * fwd / 1e9, peak)
	rl = rollout(args.large)
	result["rollout_large_digits"] = args.large
	result["rollout_large"] = entry(rl, chunk, rl["per_second"] * chunk * args.large * cells * 2 * fwd / 1e9, peak)
	if not args.skip_train:
		batch = T.TRAIN["batch"]
		opt, sched = T.make_optimizer(model)
		y = torch.full((batch, cfg["height"], cfg["width"]), 0.5)
		tr = measure(lambda: T.train_step(model, opt, sched, y, gen), args.seconds)
		result["train_batch"] = batch
		gf = tr["per_second"] * batch * cells * cfg["rollout_steps"] * 2 * (fwd + bwd) / 1e9
		result["train"] = entry(tr, 1, gf, peak)
	print(json.dumps(result, indent=2))


if __name__ == "__main__":
	main()
