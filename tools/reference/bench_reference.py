"""Throughput of the reference (cax on JAX) in the same JSON shape as `rrcnn bench`.

Measures, after compilation: rollout steps/s of 8 and of --large digits (the example's demo
path: nnx.split_rngs + nnx.vmap over samples, dropout on, cax's own scan over steps) and
optimiser steps/s of the example's training step (batch 8, 64 steps, BPTT, clip, Adam; the
rollout unrolled as in train_reference.py, which XLA:CPU runs faster than the scan).

With --ours FILE (the JSON of `rrcnn bench` run on the same machine), prints both side by
side with the ratios ours / reference:

  build/app/rrcnn bench --backend cpu > ours.json
  tools/reference/.venv/bin/python tools/reference/bench_reference.py --ours ours.json

--device cuda runs JAX on the GPU (JAX_PLATFORMS=cuda; the GPU machine's jax has the CUDA
plugin), as tools/device/gpu_check.sh does beside `rrcnn bench --backend cuda`.
"""

import argparse
import dataclasses
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from flax import nnx  # noqa: E402

import rrcnn_ref as R  # noqa: E402


def timed(fn, min_seconds, min_iters=2):
	jax.block_until_ready(fn())  # compile and warm up
	n, start = 0, time.perf_counter()
	while True:
		jax.block_until_ready(fn())
		n += 1
		el = time.perf_counter() - start
		if el >= min_seconds and n >= min_iters:
			return n / el, n, el


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--preset", choices=sorted(R.PRESETS), default="seed")
	ap.add_argument("--seconds", type=float, default=2.0)
	ap.add_argument("--large", type=int, default=256)
	ap.add_argument("--skip-train", action="store_true")
	ap.add_argument("--ours", default=None, help="JSON printed by `rrcnn bench` on this machine")
	ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
		help="JAX's platform (sets JAX_PLATFORMS before JAX starts; rrcnn_ref.py defaults to cpu)")
	args = ap.parse_args()
	os.environ["JAX_PLATFORMS"] = args.device  # read when JAX first initialises a backend, below
	if args.device == "cuda" and jax.default_backend() != "gpu":
		sys.exit(f"bench_reference.py: --device cuda, but JAX {jax.__version__} runs on {jax.default_backend()}")

	cfg = dataclasses.replace(R.PRESETS[args.preset])
	cs = R.RRCNN(cfg, rngs=nnx.Rngs(0))
	# A non-zero last layer, like rrcnn bench, so the state actually changes.
	name = f"update.layers.{len(cfg.hidden)}.kernel"
	params = R.get_params(cs)
	params[name] = (1e-3 * ((jnp.arange(params[name].size) % 13) - 6)).reshape(params[name].shape)
	R.set_params(cs, {k: jnp.asarray(v, jnp.float32) for k, v in params.items()})
	chunk = 8

	def make_rollout(batch):
		state = jnp.zeros((batch, cfg.height, cfg.width, cfg.channels)).at[..., -1].set(0.5)

		@nnx.jit
		def run(cs, state):
			state_axes = nnx.StateAxes({nnx.RngState: 0, ...: None})
			return nnx.split_rngs(splits=batch)(
				nnx.vmap(lambda cs, s: cs(s, num_steps=chunk), in_axes=(state_axes, 0))
			)(cs, state)

		return lambda: run(cs, state)

	result = {"backend": "jax-" + jax.default_backend(), "device": str(jax.devices()[0]),
		"preset": args.preset, "jax": jax.__version__}
	per_s, n, el = timed(make_rollout(8), args.seconds)
	result["rollout_8"] = {"steps_per_s": per_s * chunk, "iterations": n, "seconds": el}
	per_s, n, el = timed(make_rollout(args.large), args.seconds)
	result["rollout_large_digits"] = args.large
	result["rollout_large"] = {"steps_per_s": per_s * chunk, "iterations": n, "seconds": el}

	if not args.skip_train:
		batch, steps = cfg.batch, cfg.rollout_steps
		optimizer = nnx.Optimizer(cs, R.make_optimizer(), wrt=R.UPDATE_PARAMS)
		y = jnp.full((batch, cfg.height, cfg.width, 1), 0.5)
		state0 = jnp.zeros((batch, cfg.height, cfg.width, cfg.channels)).at[..., -1].set(0.3)

		def loss_fn(cs, state, y):
			return R.batched_loss(cs, state, y, batch, lambda cs, s: R.unrolled_rollout(cs, s, steps))

		@nnx.jit
		def train_step(cs, optimizer):
			loss, grad = nnx.value_and_grad(loss_fn, argnums=nnx.DiffState(0, R.UPDATE_PARAMS))(cs, state0, y)
			optimizer.update(cs, grad)
			return loss

		per_s, n, el = timed(lambda: train_step(cs, optimizer), args.seconds)
		result["train_batch"] = batch
		result["train"] = {"steps_per_s": per_s, "iterations": n, "seconds": el}

	print(json.dumps(result, indent=2))
	if args.ours:
		with open(args.ours) as f:
			ours = json.load(f)
		print(f"\n{'measure':<22} {'RRCNN Studio':>14} {'reference':>12} {'ratio':>8}")
		for key in ("rollout_8", "rollout_large", "train"):
			if key in ours and key in result:
				a, b = ours[key]["steps_per_s"], result[key]["steps_per_s"]
				print(f"{key + ' steps/s':<22} {a:14.3f} {b:12.3f} {a / b:7.2f}x")


if __name__ == "__main__":
	main()
