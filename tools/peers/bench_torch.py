"""Throughput of the RRCNN model in PyTorch (torch_rrcnn.py), timed exactly like `rrcnn bench`.

Prints one JSON object in `rrcnn bench`'s shape: rollout steps/s of 8 and of --large digits
(dropout on, under torch.no_grad, 8 steps per timed call), optimiser steps/s of the training step
(batch 8, 64 steps, loss.backward, clip_grad_norm_, Adam with the linear schedule). Each
measurement is warmed up once, then repeated until --seconds passed and at least twice. The
fp32 peak is torch.mm's best on a --peak-size cube; PyTorch runs the MLP on every cell, so the
arithmetic it actually does is the spec's full count (actual_gflops = gflops).

On a GPU (--device cuda), every timed call ends with torch.cuda.synchronize(); --graphs then
captures what a PyTorch user would put into CUDA graphs: the 8-step rollout call (replayed, its
output copied back into its input) and the whole training step (noise, 64 steps, backward,
clip, Adam with capturable=True and the learning rate as a device tensor set before each
replay). Dropout and noise come from the default CUDA generator, which graphs can replay.

  /usr/bin/python3 tools/peers/bench_torch.py --threads 2 --seconds 1
  python3 tools/peers/bench_torch.py --device cuda [--graphs]           # on the GPU machine
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

TRAIN_CFG = T.TRAIN


def measure(fn, min_seconds, min_iters=2, sync=lambda: None):
	"""rrcnn bench's measure(): one warmup call, then until min_seconds and min_iters; `sync`
	waits for the device after each call, as rrcnn bench does."""
	fn()
	sync()
	n, start = 0, time.perf_counter()
	while True:
		fn()
		sync()
		n += 1
		el = time.perf_counter() - start
		if el >= min_seconds and n >= min_iters:
			return {"per_second": n / el, "iterations": n, "seconds": el}


def peak_gflops(n, device="cpu", sync=lambda: None):
	a = torch.rand(n, n, device=device) + 0.25
	b = torch.rand(n, n, device=device) + 0.25
	best, total, rep = float("inf"), 0.0, 0
	while rep < 8 and (rep < 3 or total < 1.0):
		sync()
		t0 = time.perf_counter()
		torch.mm(a, b)
		sync()
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


def entry(t, steps, gflops, peak, gmacs_per_step):
	frac = gflops / peak if peak > 0 else None
	return {"steps_per_s": t["per_second"] * steps, "gflops": gflops, "actual_gflops": gflops,
		"fraction_of_peak": frac, "work_fraction_of_peak": frac,
		"actual_gmacs_per_step": gmacs_per_step, "iterations": t["iterations"], "seconds": t["seconds"]}


def linear_lr(step):
	"""LinearLR's value at `step` (make_optimizer's schedule), for the graphed training step."""
	t = TRAIN_CFG
	f = 1.0 + (t["lr_end"] / t["lr_start"] - 1.0) * min(step, t["lr_decay_steps"]) / t["lr_decay_steps"]
	return t["lr_start"] * f


def graphed_rollout(model, state, rate, chunk):
	"""The 8-step call as one CUDA graph: replay, then the output becomes the next input."""
	static_in = state[0].clone()
	stream = torch.cuda.Stream()
	stream.wait_stream(torch.cuda.current_stream())
	with torch.no_grad(), torch.cuda.stream(stream):
		for _ in range(2):  # warm-up outside the graph, on a side stream (cuDNN/cuBLAS set-up)
			s = static_in
			for _ in range(chunk):
				s = model.step(s, rate)
	torch.cuda.current_stream().wait_stream(stream)
	graph = torch.cuda.CUDAGraph()
	with torch.no_grad(), torch.cuda.graph(graph):
		s = static_in
		for _ in range(chunk):
			s = model.step(s, rate)
		static_out = s

	def run():
		graph.replay()
		static_in.copy_(static_out)

	return run


def graphed_train_step(model, y):
	"""The whole training step as one CUDA graph (PyTorch's "whole network capture"): noise,
	rollout, loss, backward, clip_grad_norm_, Adam(capturable=True); the learning rate of the
	schedule is written into its device tensor before each replay."""
	t = TRAIN_CFG
	lr = torch.tensor(t["lr_start"], device=y.device)
	opt = torch.optim.Adam(model.update.parameters(), lr=lr, betas=(t["b1"], t["b2"]), eps=t["eps"],
		capturable=True)
	rate = model.cfg["dropout_rate"]

	def body():
		B = y.shape[0]
		alpha = torch.rand(B, 1, 1, device=y.device)
		noise = torch.randn(y.shape, device=y.device)
		s = T.initial_state(((1 - alpha) * y + alpha * noise).clamp(0, 1), model.cfg["channels"], model.layout)
		for _ in range(model.cfg["rollout_steps"]):
			s = model.step(s, rate)
		loss = T.loss_fn(s, y)
		loss.backward()
		torch.nn.utils.clip_grad_norm_(model.update.parameters(), t["clip_norm"])
		opt.step()
		return loss

	stream = torch.cuda.Stream()
	stream.wait_stream(torch.cuda.current_stream())
	with torch.cuda.stream(stream):
		for _ in range(3):
			opt.zero_grad(set_to_none=True)
			body()
	torch.cuda.current_stream().wait_stream(stream)
	graph = torch.cuda.CUDAGraph()
	opt.zero_grad(set_to_none=True)
	with torch.cuda.graph(graph):
		body()
	step = [3]

	def run():
		lr.fill_(linear_lr(step[0]))
		graph.replay()
		step[0] += 1

	return run


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--preset", choices=sorted(T.PRESETS), default="seed")
	ap.add_argument("--seconds", type=float, default=2.0)
	ap.add_argument("--large", type=int, default=256)
	ap.add_argument("--skip-train", action="store_true")
	ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (default: all cores)")
	ap.add_argument("--layout", choices=T.LAYOUTS, default="nchw")
	ap.add_argument("--peak-size", type=int, default=2048, help="0 skips the torch.mm peak")
	ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
	ap.add_argument("--graphs", action="store_true", help="CUDA graphs for the rollout call and the training step (--device cuda)")
	args = ap.parse_args()
	if args.seconds < 0 or args.large < 1 or args.threads < 0 or args.peak_size < 0:
		ap.error("--seconds, --large, --threads and --peak-size must not be negative (--large >= 1)")
	if args.graphs and args.device != "cuda":
		ap.error("--graphs needs --device cuda")
	if args.device == "cuda" and not torch.cuda.is_available():
		sys.exit(f"bench_torch.py: --device cuda, but this torch {torch.__version__} sees no CUDA device "
			f"(built with CUDA {torch.version.cuda})")
	dev = torch.device(args.device)
	sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)

	torch.set_num_threads(args.threads or os.cpu_count())
	torch.manual_seed(0)
	cfg = T.PRESETS[args.preset]
	model = T.RRCNN(cfg, args.layout)
	T.init_like_bench(model, 0)
	model.to(dev)
	peak = peak_gflops(args.peak_size, dev, sync) if args.peak_size > 0 else 0.0
	fwd, bwd = cell_macs(cfg)
	cells = cfg["height"] * cfg["width"]
	chunk = 8
	gen = torch.Generator(device=dev).manual_seed(0)

	def rollout(batch):
		clean = torch.full((batch, cfg["height"], cfg["width"]), 0.5, device=dev)
		noisy = (0.5 * clean + 0.5 * torch.randn(clean.shape, generator=gen, device=dev)).clamp(0, 1)
		state = [T.initial_state(noisy, cfg["channels"], args.layout)]
		if args.graphs:
			return measure(graphed_rollout(model, state, cfg["dropout_rate"], chunk), args.seconds, sync=sync)

		def run():
			with torch.no_grad():
				s = state[0]
				for _ in range(chunk):
					s = model.step(s, cfg["dropout_rate"], generator=gen)
				state[0] = s

		return measure(run, args.seconds, sync=sync)

	v = T.versions()
	if args.device == "cuda":
		backend = "torch-cuda-graphs" if args.graphs else "torch-cuda"
		device = f"{torch.cuda.get_device_name(dev)}, CUDA {torch.version.cuda}"
	else:
		backend, device = "torch-cpu", f"{v['threads']} threads, {platform.processor() or 'cpu'}"
	result = {"backend": backend, "device": device,
		"gemm": "torch", "preset": args.preset, "precision": "fp32", "threads": v["threads"],
		"layout": args.layout, "peak_fp32_gflops": peak or None,
		"peak_source": f"measured: torch.mm {args.peak_size}^3, best of repeats" if peak else "none",
		**{k: v[k] for k in ("torch", "blas", "mkldnn_enabled", "onednn", "cpu_capability")},
		"python": platform.python_version()}
	r8 = rollout(8)
	result["rollout_8"] = entry(r8, chunk, r8["per_second"] * chunk * 8 * cells * 2 * fwd / 1e9, peak,
		8 * cells * fwd / 1e9)
	rl = rollout(args.large)
	result["rollout_large_digits"] = args.large
	result["rollout_large"] = entry(rl, chunk, rl["per_second"] * chunk * args.large * cells * 2 * fwd / 1e9,
		peak, args.large * cells * fwd / 1e9)
	if not args.skip_train:
		batch = T.TRAIN["batch"]
		y = torch.full((batch, cfg["height"], cfg["width"]), 0.5, device=dev)
		if args.graphs:
			tr = measure(graphed_train_step(model, y), args.seconds, sync=sync)
		else:
			opt, sched = T.make_optimizer(model)
			tr = measure(lambda: T.train_step(model, opt, sched, y, gen), args.seconds, sync=sync)
		result["train_batch"] = batch
		gf = tr["per_second"] * batch * cells * cfg["rollout_steps"] * 2 * (fwd + bwd) / 1e9
		result["train"] = entry(tr, 1, gf, peak, batch * cells * cfg["rollout_steps"] * (fwd + bwd) / 1e9)
	print(json.dumps(result, indent=2))


if __name__ == "__main__":
	main()
