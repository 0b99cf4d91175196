"""Run an RRCNN Studio checkpoint in the original cax model, or export a cax model to our format.

Run (weights from RRCNN Studio into JAX):
  tools/reference/.venv/bin/python tools/reference/run_checkpoint.py CKPT [--png out.png] [--no-dropout]
    8 held-out digits (images 9000.. of assets/mnist-10k-images-idx3-ubyte.gz), noised with
    numpy (alpha ~ U(0,1), n ~ N(0,1), --seed), run for 2 x rollout_steps with cell dropout on
    (as the cax example does; --no-dropout switches it off); prints MSE / PSNR of the image
    channel against the clean digits and writes a PNG with one row per digit:
    noisy | denoised | target (rendered as the example: clip to [0,1], x255, truncate).

Export (weights from cax into RRCNN Studio):
  tools/reference/.venv/bin/python tools/reference/run_checkpoint.py --init-out FILE [--preset seed] [--seed 0]
    writes a freshly initialised cax model (nnx.Rngs(seed), the example's init) in our format.
  From Python: rrcnn_ref.save_checkpoint(path, rrcnn_ref.get_params(cs), cfg, ...) for any
  cax RRCNN `cs` (see README.md).
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from flax import nnx  # noqa: E402

import rrcnn_ref as R  # noqa: E402


def to_uint8(img: np.ndarray) -> np.ndarray:
	"""The example's clip_and_uint8: clip to [0, 1], times 255, truncate to uint8."""
	return (np.clip(img, 0.0, 1.0) * 255).astype(np.uint8)


def write_png(path: str, rows: list[list[np.ndarray]], scale: int = 4) -> None:
	from PIL import Image

	pad = 2
	h, w = rows[0][0].shape
	cols = len(rows[0])
	canvas = np.full((len(rows) * (h + pad) + pad, cols * (w + pad) + pad), 64, np.uint8)
	for r, row in enumerate(rows):
		for c, img in enumerate(row):
			y0, x0 = pad + r * (h + pad), pad + c * (w + pad)
			canvas[y0:y0 + h, x0:x0 + w] = to_uint8(img)
	Image.fromarray(canvas, mode="L").resize((canvas.shape[1] * scale, canvas.shape[0] * scale), Image.NEAREST).save(path)


def run(ckpt: str, png: str | None, n: int, seed: int, dropout: bool, images: str, steps: int | None) -> dict:
	cfg, params, meta, _, _ = R.load_checkpoint(ckpt)
	cs = R.build_model(cfg, params, seed=seed)
	if not dropout:
		cs.eval()  # nnx: sets deterministic=True on the Dropout
	digits = R.load_idx_images(images)
	held = digits[R.TRAIN_SPLIT:R.TRAIN_SPLIT + n]
	if held.shape[1:] != (cfg.height, cfg.width):
		sys.exit(f"digits are {held.shape[1:]}, checkpoint grid is {(cfg.height, cfg.width)}")
	y = held.astype(np.float32) / np.float32(255.0)
	rng = np.random.default_rng(seed)
	alpha = rng.uniform(0.0, 1.0, n).astype(np.float32)
	noisy = R.add_noise_np(y, alpha, rng.standard_normal(y.shape).astype(np.float32)).astype(np.float32)
	state0 = R.initial_state(jnp.asarray(noisy), cfg.channels)
	num_steps = steps or 2 * cfg.rollout_steps

	# The example's "Run" cell: one dropout key stream per sample (split_rngs + vmap).
	state_axes = nnx.StateAxes({nnx.RngState: 0, ...: None})
	final = nnx.split_rngs(splits=n)(
		nnx.vmap(lambda cs, state: cs(state, num_steps=num_steps), in_axes=(state_axes, 0))
	)(cs, state0)
	out = np.asarray(final[..., -1])

	def psnr(mse):
		return float("inf") if mse == 0 else 10 * np.log10(1.0 / mse)

	res = {
		"mse_noisy": float(np.mean((noisy - y) ** 2)),
		"mse_denoised": float(np.mean((out - y) ** 2)),  # unclipped image channel, as the loss
		"mse_denoised_clipped": float(np.mean((np.clip(out, 0, 1) - y) ** 2)),
	}
	res["psnr_noisy_db"] = psnr(res["mse_noisy"])
	res["psnr_denoised_db"] = psnr(res["mse_denoised_clipped"])
	print(f"{ckpt}: preset {meta.get('preset')}, optimizer_step {meta.get('optimizer_step')}, "
		f"{n} held-out digits (images {R.TRAIN_SPLIT}..{R.TRAIN_SPLIT + n - 1}), {num_steps} steps, "
		f"dropout {'on' if dropout else 'off'} (rate {cfg.dropout_rate})")
	print(f"  noisy:    MSE {res['mse_noisy']:.6f}  PSNR {res['psnr_noisy_db']:.2f} dB")
	print(f"  denoised: MSE {res['mse_denoised']:.6f} (clipped {res['mse_denoised_clipped']:.6f})  PSNR {res['psnr_denoised_db']:.2f} dB")
	if png:
		write_png(png, [[noisy[i], out[i], y[i]] for i in range(n)])
		print(f"  wrote {png} (rows: digits; columns: noisy | denoised | target)")
	return res


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("ckpt", nargs="?", help="rrcnn-studio/1 checkpoint to run")
	ap.add_argument("--png", default=None, help="write noisy|denoised|target here")
	ap.add_argument("--n", type=int, default=8, help="number of held-out digits")
	ap.add_argument("--seed", type=int, default=0, help="numpy noise seed (run) / nnx.Rngs seed (run dropout, --init-out)")
	ap.add_argument("--steps", type=int, default=None, help="default 2 x rollout_steps")
	ap.add_argument("--no-dropout", action="store_true")
	ap.add_argument("--images", default=R.DEFAULT_IMAGES)
	ap.add_argument("--init-out", default=None, help="export a freshly initialised cax model to this file")
	ap.add_argument("--preset", choices=sorted(R.PRESETS), default="seed")
	args = ap.parse_args()
	if args.init_out:
		cfg = R.PRESETS[args.preset]
		cs = R.build_model(cfg, seed=args.seed)
		R.save_checkpoint(args.init_out, R.get_params(cs), cfg, seed=args.seed, optimizer_step=0, preset=args.preset)
		# Round-trip check: what we wrote loads back into cax bit-exactly.
		_, back, _, _, _ = R.load_checkpoint(args.init_out)
		cs2 = R.build_model(cfg, back, seed=args.seed + 1)
		for k, v in R.get_params(cs).items():
			assert np.array_equal(v, R.get_params(cs2)[k]), k
		print(f"wrote {args.init_out} (cax init, nnx.Rngs({args.seed}), preset {args.preset}); round trip exact")
	if args.ckpt:
		run(args.ckpt, args.png, args.n, args.seed, not args.no_dropout, args.images, args.steps)
	elif not args.init_out:
		ap.error("give a checkpoint to run, or --init-out FILE")


if __name__ == "__main__":
	main()
