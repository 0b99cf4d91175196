"""Weights between the original (cax, JAX) and the `rrcnn` Python module: cax -> ours -> cax.

  tools/reference/.venv/bin/python tools/reference/python_roundtrip.py [--ours-python /usr/bin/python3]
      [--pythonpath build/python] [--preset small|seed] [--steps 16]

1. builds the example's RRCNN in cax (nnx.Rngs(seed)) and gives its zero-initialised last layer
   random weights (a model "trained elsewhere"), runs 4 noisy held-out digits through it with
   dropout off and exports it with rrcnn_ref.save_checkpoint (tensor names and layouts:
   README.md, "Checkpoint format");
2. in another interpreter (the one the module was built for: the reference venv's numpy 2 is
   not the system numpy pybind11 built against), `rrcnn.Model.load` reads it, copies every tensor
   through `model.params` into a fresh `rrcnn.Model(config)` (the numpy route for weights that
   never were a file), runs the same digits (`dropout=0`, CPU) and saves that model;
3. cax loads the saved file and runs again.
Checks: ours reproduces cax's outputs to float32 rounding (XLA and our kernels sum in different
orders), and the round trip brings back the same parameters and the same cax outputs bit for
bit. Exit 0 and one line per check, or exit 1 naming what differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import rrcnn_ref as R  # noqa: E402

OURS = r"""
import json, sys
import numpy as np
import rrcnn
src, dst, inputs, out, steps = sys.argv[1:6]
loaded = rrcnn.Model.load(src)
model = rrcnn.Model(loaded.config, seed=12345)       # fresh weights, all replaced below
model.params = {name: view for name, view in loaded.params.items()}
assert all(np.array_equal(model.params[k], loaded.params[k]) for k in loaded.params)
noisy = np.load(inputs)
states = model.rollout(noisy, int(steps), dropout=0.0, backend="cpu")
np.save(out, states)
model.save(dst, optimizer=False)
print(json.dumps(model.config))
"""


def cax_rollout(cs, noisy: np.ndarray, cfg: R.Config, steps: int) -> np.ndarray:
	"""The example's rollout per digit, dropout off (cs.eval())."""
	cs.eval()
	outs = []
	for x in noisy:
		state = R.initial_state(jnp.asarray(x), cfg.channels)
		outs.append(np.asarray(R.unrolled_rollout(cs, state, steps)))
	return np.stack(outs)


def main() -> int:
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--ours-python", default="/usr/bin/python3", help="interpreter with the rrcnn module")
	ap.add_argument("--pythonpath", default=os.path.join(R.REPO_ROOT, "build", "python"))
	ap.add_argument("--preset", default="lite", choices=["lite", "seed"])
	ap.add_argument("--steps", type=int, default=16)
	ap.add_argument("--seed", type=int, default=3)
	args = ap.parse_args()

	cfg = R.Config(channels=16, perception=16, hidden=(32, 32), rollout_steps=32) if args.preset == "lite" else R.Config()
	cs = R.build_model(cfg, seed=args.seed)
	params = R.get_params(cs)
	rng = np.random.default_rng(args.seed)
	last = f"update.layers.{len(cfg.hidden)}"
	params[last + ".kernel"] = rng.normal(0, 0.05, params[last + ".kernel"].shape).astype(np.float32)
	params[last + ".bias"] = rng.normal(0, 0.01, params[last + ".bias"].shape).astype(np.float32)
	R.set_params(cs, params)
	params = R.get_params(cs)

	digits = R.load_idx_images()[R.TRAIN_SPLIT:R.TRAIN_SPLIT + 4].astype(np.float32) / np.float32(255.0)
	noisy = R.add_noise_np(digits, rng.uniform(0, 1, 4), rng.standard_normal(digits.shape)).astype(np.float32)
	want = cax_rollout(cs, noisy, cfg, args.steps)

	failures = []
	with tempfile.TemporaryDirectory() as tmp:
		src, dst = os.path.join(tmp, "from_cax.safetensors"), os.path.join(tmp, "from_ours.safetensors")
		inputs, out = os.path.join(tmp, "noisy.npy"), os.path.join(tmp, "ours.npy")
		R.save_checkpoint(src, params, cfg, seed=args.seed, preset="custom")
		np.save(inputs, noisy)
		env = dict(os.environ, PYTHONPATH=args.pythonpath)
		p = subprocess.run([args.ours_python, "-c", OURS, src, dst, inputs, out, str(args.steps)],
		                   capture_output=True, text=True, env=env)
		if p.returncode != 0:
			print(f"python_roundtrip: the rrcnn side failed ({args.ours_python}, PYTHONPATH={args.pythonpath}):\n{p.stderr}")
			return 1
		ours_config = json.loads(p.stdout.strip().splitlines()[-1])
		ours = np.load(out)
		cfg2, back, _, _, _ = R.load_checkpoint(dst)
		cs2 = R.build_model(cfg2, back, seed=args.seed + 100)  # other init: every tensor comes from the file
		again = cax_rollout(cs2, noisy, cfg2, args.steps)

	mapping = {"height": cfg.height, "width": cfg.width, "channels": cfg.channels, "perception": cfg.perception,
	           "hidden": list(cfg.hidden), "rollout_steps": cfg.rollout_steps, "dropout_rate": cfg.dropout_rate,
	           "step_size": cfg.step_size}
	bad_config = {k: (v, ours_config[k]) for k, v in mapping.items() if ours_config[k] != v}
	print(f"config: cax {mapping} -> rrcnn {'the same' if not bad_config else bad_config}")
	if bad_config:
		failures.append("config")
	scale = float(np.abs(want).max())
	diff = float(np.abs(ours - want).max())
	tol = 2e-6 * max(1.0, scale) * args.steps  # float32 rounding that grows with the steps
	print(f"cax -> ours: {ours.shape[0]} digits x {args.steps} steps, max |ours - cax| = {diff:.3g} "
	      f"(values up to {scale:.3g}; tolerance {tol:.3g})")
	if not diff <= tol:
		failures.append("ours against cax")
	same_params = all(np.array_equal(params[k], back[k]) for k in params) and set(params) == set(back)
	print(f"cax -> ours -> cax: parameters {'identical' if same_params else 'DIFFER'}")
	if not same_params:
		failures.append("parameters after the round trip")
	same_out = np.array_equal(want, again)
	print(f"cax -> ours -> cax: outputs {'identical (bit for bit)' if same_out else 'DIFFER'}")
	if not same_out:
		failures.append("cax outputs after the round trip")
	if failures:
		print("python_roundtrip: FAILED: " + ", ".join(failures))
		return 1
	print("python_roundtrip: OK")
	return 0


if __name__ == "__main__":
	sys.exit(main())
