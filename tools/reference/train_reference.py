"""Train the cax reference RRCNN on our digits, exactly as the cax example does, and log the loss.

Same model, sampling, loss, optimiser and train step as examples/51_rrcnn.ipynb of cax (digit
index drawn uniformly with replacement per sample, alpha ~ U(0,1), noise ~ N(0,1), 64 steps
with cell dropout, chain(clip_by_global_norm(1), adam(linear 1e-3 -> 1e-4 over 2000 steps))),
but the digits are the first 9000 images of assets/mnist-10k-images-idx3-ubyte.gz.

  tools/reference/.venv/bin/python tools/reference/train_reference.py --steps 300 --seed 0 --out loss.jsonl

Writes one JSON line per optimiser step: {"step": i, "loss": L} (i from 0; L is the loss of
the batch the step was computed on, before the update, as the example's `losses` list).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# XLA:CPU's older (non-thunk) runtime runs this training step about 1.4x faster on our 2-core
# machines and gives the same losses bit for bit (checked on seed 1, 4 steps). It changes how
# XLA executes the compiled graph, not the graph: the model is still cax's. Set XLA_FLAGS
# yourself to override.
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_use_thunk_runtime=false")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from flax import nnx  # noqa: E402

import rrcnn_ref as R  # noqa: E402


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--steps", type=int, default=300)
	ap.add_argument("--seed", type=int, default=0, help="jax.random.key(seed) and nnx.Rngs(seed), as the example")
	ap.add_argument("--out", required=True, help="JSONL loss log")
	ap.add_argument("--preset", choices=sorted(R.PRESETS), default="seed")
	ap.add_argument("--batch", type=int, default=None, help="default: the preset's (8 for seed)")
	ap.add_argument("--rollout-steps", type=int, default=None, help="default: the preset's (64 for seed)")
	ap.add_argument("--images", default=R.DEFAULT_IMAGES)
	ap.add_argument("--init-ckpt", default=None, help="start from this rrcnn-studio/1 checkpoint (and its Adam state if present)")
	ap.add_argument("--save-ckpt", default=None, help="write the trained model (with Adam moments) here")
	ap.add_argument("--print-every", type=int, default=25)
	ap.add_argument("--scan", action="store_true", help="roll out with cax's nnx.scan (slow backward on CPU) instead of unrolled _step calls")
	args = ap.parse_args()

	cfg = dataclasses.replace(R.PRESETS[args.preset])
	init = None
	if args.init_ckpt:
		ccfg, params, meta, mu, nu = R.load_checkpoint(args.init_ckpt)
		cfg = dataclasses.replace(ccfg, batch=cfg.batch)
		init = (params, meta, mu, nu)
	if args.batch:
		cfg.batch = args.batch
	if args.rollout_steps:
		cfg.rollout_steps = args.rollout_steps
	batch_size, num_steps, channel_size = cfg.batch, cfg.rollout_steps, cfg.channels

	digits = R.load_idx_images(args.images)[: R.TRAIN_SPLIT]
	if digits.shape[1:] != (cfg.height, cfg.width):
		sys.exit(f"digits are {digits.shape[1:]}, model grid is {(cfg.height, cfg.width)}")
	y_train = jnp.asarray(digits, jnp.float32)[..., None] / 255

	key = jax.random.key(args.seed)
	rngs = nnx.Rngs(args.seed)
	cs = R.RRCNN(cfg, rngs=rngs)
	optimizer = nnx.Optimizer(cs, R.make_optimizer(), wrt=R.UPDATE_PARAMS)
	start_step = 0
	if init:
		params, meta, mu, nu = init
		R.set_params(cs, params)
		start_step = int(meta.get("optimizer_step", "0"))
		if mu is not None:
			R.set_adam_state(cs, optimizer, mu, nu, start_step)

	# --- the example's functions (examples/51_rrcnn.ipynb), unchanged but for names ---
	def add_noise(image, alpha, key):
		noise = jax.random.normal(key, image.shape)
		noisy_image = (1 - alpha) * image + alpha * noise
		return jnp.clip(noisy_image, 0.0, 1.0)

	def sample_state(key):
		state = jnp.zeros(y_train.shape[1:3] + (channel_size,))
		sample_key, alpha_key, noise_key = jax.random.split(key, 3)
		y_idx = jax.random.choice(sample_key, y_train.shape[0])
		y = y_train[y_idx]
		alpha = jax.random.uniform(alpha_key)
		noisy_y = add_noise(y, alpha, noise_key)
		return state.at[..., -1:].set(noisy_y), y_idx

	def rollout(cs, state):
		if args.scan:  # the example's call: ComplexSystem.__call__ = nnx.scan over _step
			return cs(state, num_steps=num_steps)
		return R.unrolled_rollout(cs, state, num_steps)

	@nnx.jit
	def loss_fn(cs, state, y):
		return R.batched_loss(cs, state, y, batch_size, rollout)

	@nnx.jit
	def train_step(cs, optimizer, key):
		keys = jax.random.split(key, batch_size)
		current_state, y_idx = jax.vmap(sample_state)(keys)
		y = y_train[y_idx]
		loss, grad = nnx.value_and_grad(loss_fn, argnums=nnx.DiffState(0, R.UPDATE_PARAMS))(cs, current_state, y)
		optimizer.update(cs, grad)
		return loss

	print(f"training {args.preset}: {cfg.height}x{cfg.width} C={cfg.channels} P={cfg.perception} hidden={cfg.hidden} "
		f"batch={batch_size} rollout={num_steps} dropout={cfg.dropout_rate} steps={args.steps} seed={args.seed} "
		f"devices={jax.devices()}", flush=True)
	t_start = time.perf_counter()
	t_first = None
	with open(args.out, "w") as log:
		for i in range(args.steps):
			key, subkey = jax.random.split(key)
			loss = float(train_step(cs, optimizer, subkey))
			if t_first is None:
				t_first = time.perf_counter() - t_start
			log.write(json.dumps({"step": start_step + i, "loss": loss}) + "\n")
			log.flush()
			if not np.isfinite(loss):
				sys.exit(f"loss is {loss} at step {start_step + i}")
			if (i + 1) % args.print_every == 0 or i == 0 or i == args.steps - 1:
				el = time.perf_counter() - t_start
				print(f"step {start_step + i:6d}  loss {loss:.6f}  elapsed {el:8.1f} s", flush=True)
	total = time.perf_counter() - t_start
	per = (total - t_first) / max(1, args.steps - 1)
	print(f"done: {args.steps} steps in {total:.1f} s (first step incl. compile {t_first:.1f} s, then {per:.3f} s/step)")

	if args.save_ckpt:
		mu, nu = R.get_adam_moments(optimizer)
		R.save_checkpoint(
			args.save_ckpt, R.get_params(cs), cfg, seed=args.seed, optimizer_step=start_step + args.steps,
			preset=args.preset, adam_mu=mu, adam_nu=nu,
		)
		print(f"wrote {args.save_ckpt}")


if __name__ == "__main__":
	main()
