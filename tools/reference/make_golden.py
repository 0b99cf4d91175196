"""Write tests/golden/golden.safetensors: expected values from the original cax RRCNN.

Runs cax 0.3.3's own ConvPerceive / ResidualUpdate / ComplexSystem code on fixed inputs
(parameters, digits, noisy digits and dropout masks all given, no JAX randomness) and records
perception, hidden activations, update, states, loss, gradients and the parameters after one
optax step. Then recomputes everything in float64 (a subprocess with jax_enable_x64) and
writes the per-tensor f32-vs-f64 differences to tools/reference/f32_vs_f64.md.

  tools/reference/.venv/bin/python tools/reference/make_golden.py --out tests/golden/golden.safetensors [--ckpt FILE]

The naming scheme is documented in tools/reference/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile

if "--x64-from" in sys.argv:  # must be set before JAX creates any array
	os.environ["JAX_ENABLE_X64"] = "1"

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
from cax.core.update import MLPUpdate  # noqa: E402
from flax import nnx  # noqa: E402

import rrcnn_ref as R  # noqa: E402

GOLDEN_FORMAT = "rrcnn-studio-golden/1"
LAST_LAYER_STD = 0.05
CASES = {"rate0": 0.0, "drop": 0.5}


@dataclasses.dataclass
class GoldenConfig:
	name: str
	cfg: R.Config
	batch: int
	steps: int
	state_steps: tuple[int, ...]  # full states stored after these steps (1-based)
	step0_samples: int  # step-0 intermediates stored for samples [0, step0_samples)
	init_seed: int  # nnx.Rngs seed of cax's own initialisation (when no --ckpt)
	# numpy seed for inputs, last layer and masks; picked (by a search over seeds) to keep the
	# ReLU pre-activations far from their kink relative to rounding, see relu_diagnostics().
	data_seed: int


GOLDEN_CONFIGS = [
	GoldenConfig(
		"small",
		R.Config(height=5, width=7, channels=4, perception=6, hidden=(8, 8), rollout_steps=3, batch=2),
		batch=2, steps=3, state_steps=(1, 2, 3), step0_samples=2, init_seed=1, data_seed=256,
	),
	GoldenConfig(
		"seed",
		R.Config(height=28, width=28, channels=64, perception=64, hidden=(128, 128), rollout_steps=4, batch=2),
		batch=2, steps=4, state_steps=(1, 4), step0_samples=1, init_seed=0, data_seed=207,
	),
]
ALPHAS = [0.3, 0.7]


def make_inputs(gc: GoldenConfig, ckpt: str | None):
	"""Parameters (our layout), clean y [B,H,W], noisy [B,H,W], masks per case [T,B,H,W]."""
	cfg = gc.cfg
	source = f"cax init nnx.Rngs({gc.init_seed})"
	if ckpt is not None and _ckpt_fits(ckpt, cfg):
		_, params, _, _, _ = R.load_checkpoint(ckpt)
		params = {k: np.array(v, np.float32) for k, v in params.items()}
		source = f"checkpoint {os.path.basename(ckpt)}"
	else:
		params = R.get_params(R.build_model(dataclasses.replace(cfg, dropout_rate=0.0), seed=gc.init_seed))
	# Always a non-zero last layer, so that gradients reach every trained tensor.
	rng = np.random.default_rng(gc.data_seed)
	last = len(cfg.hidden)
	k_shape = params[f"update.layers.{last}.kernel"].shape
	params[f"update.layers.{last}.kernel"] = rng.normal(0.0, LAST_LAYER_STD, k_shape).astype(np.float32)
	params[f"update.layers.{last}.bias"] = rng.normal(0.0, LAST_LAYER_STD, (cfg.channels,)).astype(np.float32)
	source += f"; last layer N(0,{LAST_LAYER_STD}) numpy default_rng({gc.data_seed})"

	B, H, W, T = gc.batch, cfg.height, cfg.width, gc.steps
	if gc.name == "seed":
		digits = R.load_idx_images()
		y = digits[:B].astype(np.float32) / np.float32(255.0)
		y_source = f"assets/mnist-10k-images-idx3-ubyte.gz images 0..{B - 1} / 255"
	else:
		y = rng.uniform(0.0, 1.0, (B, H, W)).astype(np.float32)
		y_source = f"numpy default_rng({gc.data_seed}) uniform"
	noise = rng.standard_normal((B, H, W)).astype(np.float32)
	noisy = R.add_noise_np(y, np.array(ALPHAS[:B], np.float32), noise).astype(np.float32)
	masks = {
		"rate0": np.ones((T, B, H, W), np.float32),
		"drop": (rng.random((T, B, H, W)) < 1.0 - CASES["drop"]).astype(np.float32),
	}
	info = {"params_source": source, "y_source": y_source, "noise": f"alpha {ALPHAS[:B]}, numpy default_rng({gc.data_seed}) standard_normal, clip [0,1]"}
	return params, y, noisy, masks, info


def _ckpt_fits(path: str, cfg: R.Config) -> bool:
	ccfg, _, _, _, _ = R.load_checkpoint(path)
	return (ccfg.channels, ccfg.perception, tuple(ccfg.hidden)) == (cfg.channels, cfg.perception, tuple(cfg.hidden))


def relu_diagnostics(cs, state0, masks, steps) -> dict[str, str]:
	"""How close the trajectory's ReLU pre-activations z come to the kink at 0.

	exact_zeros: count of z == 0 exactly (structural: an all-zero neighbourhood with zero bias;
	there the ReLU derivative convention matters: JAX's relu' is `x > 0`, so 0 at 0).
	rel_margin: min over z != 0 of |z| / (sum_i |w_i x_i| + |b|). A value near f32 rounding
	(~1e-6) means another f32 implementation may see the opposite sign at that unit, which
	changes the gradient by one cell-unit's contribution (about 1e-3 of the largest gradient
	element in the seed config).
	"""
	zeros, margin, s = 0, np.inf, state0
	for t in range(steps):
		x = cs.perceive(s)
		for layer in cs.update.layers[:-1]:
			k = layer.kernel.get_value().reshape(layer.kernel.get_value().shape[2:])
			b = layer.bias.get_value()
			z = x @ k + b
			den = jnp.abs(x) @ jnp.abs(k) + jnp.abs(b)
			zeros += int(jnp.sum(z == 0))
			margin = min(margin, float(jnp.min(jnp.where(z != 0, jnp.abs(z) / jnp.where(den > 0, den, 1), jnp.inf))))
			x = jnp.maximum(z, 0)
		s = cs._step(s, None if masks is None else masks[t])
	return {"relu_exact_zeros": str(zeros), "relu_rel_margin": f"{margin:.3e}"}


def compute(gc: GoldenConfig, params, y, noisy, masks, dtype) -> dict[str, np.ndarray]:
	"""All expected values of one golden config, both dropout cases, in the given dtype."""
	out: dict[str, np.ndarray] = {}
	diag: dict[str, dict[str, str]] = {}
	cfg, T, B0 = gc.cfg, gc.steps, gc.step0_samples
	pre = gc.name + "."
	y_j = jnp.asarray(y, dtype)
	state0 = R.initial_state(jnp.asarray(noisy, dtype), cfg.channels)

	for case, rate in CASES.items():
		cs = R.build_model(dataclasses.replace(cfg, dropout_rate=rate))
		R.set_params(cs, params, dtype=dtype)
		case_masks = None
		if rate > 0:
			R.inject_dropout(cs)
			case_masks = jnp.asarray(masks[case], dtype)

		if case == "rate0":  # step-0 intermediates do not depend on dropout
			perception = cs.perceive(state0)
			x = perception
			for j, layer in enumerate(cs.update.layers[:-1]):
				x = cs.update.activation_fn(layer(x))
				out[pre + f"step0.hidden.{j}"] = x[:B0]
			# The update as cax computes it (MLPUpdate.__call__, i.e. before ResidualUpdate's dropout).
			update = MLPUpdate.__call__(cs.update, state0, perception, None)
			np.testing.assert_allclose(update, cs.update.layers[-1](x), rtol=1e-6, atol=1e-6)
			out[pre + "step0.perception"] = perception[:B0]
			out[pre + "step0.update"] = update[:B0]

		# Trajectory, one cax step at a time.
		s, states = state0, []
		for t in range(T):
			s = cs._step(s, None if case_masks is None else case_masks[t])
			states.append(s)
		states = jnp.stack(states)
		p = pre + case + "."
		diag[p[:-1]] = relu_diagnostics(cs, state0, case_masks, T)
		out[p + "masks"] = masks[case]
		out[p + "state"] = states[np.array(gc.state_steps) - 1]
		out[p + "image"] = states[..., -1]

		# Loss and gradients through the example's own path: ComplexSystem.__call__ (nnx.scan over
		# _step) under nnx.value_and_grad with DiffState(0, update_params).
		def loss_fn(cs, state, y, step_masks):
			final = cs(state, step_masks, num_steps=T, input_in_axis=None if step_masks is None else 0)
			return R.mse(final, y)

		loss, grads = nnx.value_and_grad(loss_fn, argnums=nnx.DiffState(0, R.UPDATE_PARAMS))(
			cs, state0, y_j[..., None], case_masks
		)
		loop_loss = R.mse(states[-1], y_j[..., None])
		np.testing.assert_allclose(loss, loop_loss, rtol=1e-5)
		grad_named = R.state_to_named(grads)
		out[p + "loss"] = jnp.reshape(loss, (1,))
		out[p + "grad_norm"] = jnp.reshape(optax.tree.norm(nnx.as_pure(grads)), (1,))
		for name, g in grad_named.items():
			out[p + "grad." + name] = g

		optimizer = nnx.Optimizer(cs, R.make_optimizer(), wrt=R.UPDATE_PARAMS)
		optimizer.update(cs, grads)
		for name, v in R.get_params(cs, trained_only=True).items():
			out[p + "after_adam." + name] = v
	return {k: np.asarray(v) for k, v in out.items()}, diag


def versions() -> str:
	import importlib.metadata as md

	return " ".join(f"{p}=={md.version(p)}" for p in ("cax", "jax", "jaxlib", "flax", "optax", "numpy"))


def build_golden(ckpt: str | None, dtype=jnp.float32):
	tensors, meta = {}, {"format": GOLDEN_FORMAT, "configs": ",".join(g.name for g in GOLDEN_CONFIGS)}
	meta["cases"] = ",".join(CASES)
	meta["optimizer"] = "chain(clip_by_global_norm(1.0), adam(linear_schedule(1e-3, 1e-4, 2000), b1=0.9, b2=0.999, eps=1e-8)), one update from fresh state"
	meta["versions"] = versions()
	for gc in GOLDEN_CONFIGS:
		params, y, noisy, masks, info = make_inputs(gc, ckpt)
		for k, v in params.items():
			tensors[f"{gc.name}.params.{k}"] = v
		tensors[f"{gc.name}.y"] = y
		tensors[f"{gc.name}.noisy"] = noisy
		values, diag = compute(gc, params, y, noisy, masks, dtype)
		tensors.update(values)
		for case_key, d in diag.items():
			for k, v in d.items():
				meta[f"{case_key}.{k}"] = v
		c = gc.cfg
		m = {
			"height": c.height, "width": c.width, "channels": c.channels, "perception": c.perception,
			"hidden": ",".join(map(str, c.hidden)), "batch": gc.batch, "steps": gc.steps,
			"step_size": repr(c.step_size), "state_steps": ",".join(map(str, gc.state_steps)),
			"step0_samples": gc.step0_samples, **info,
		}
		for case, rate in CASES.items():
			m[f"{case}.dropout_rate"] = repr(rate)
		for k, v in m.items():
			meta[f"{gc.name}.{k}"] = str(v)
	return tensors, meta


def compare_report(f32: dict, f64: dict) -> str:
	lines = [
		"| tensor | shape | max abs(f32 - f64) | max abs(f64) | max rel (abs diff / max abs(f64)) |",
		"|---|---|---|---|---|",
	]
	for k in sorted(f32):
		if k not in f64 or ".params." in k or k.endswith((".y", ".noisy", ".masks")):
			continue
		a, b = f32[k].astype(np.float64), f64[k]
		d = float(np.max(np.abs(a - b))) if a.size else 0.0
		s = float(np.max(np.abs(b))) if b.size else 0.0
		rel = d / s if s > 0 else 0.0
		lines.append(f"| {k} | {list(a.shape)} | {d:.3e} | {s:.3e} | {rel:.2e} |")
	return "\n".join(lines) + "\n"


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--out", default=os.path.join(R.REPO_ROOT, "tests", "golden", "golden.safetensors"))
	ap.add_argument("--ckpt", default=None, help="rrcnn-studio/1 checkpoint; used for the golden config whose C/P/hidden match it")
	ap.add_argument("--report", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "f32_vs_f64.md"))
	ap.add_argument("--skip-f64", action="store_true", help="do not run the float64 comparison")
	ap.add_argument("--x64-from", default=None, help=argparse.SUPPRESS)  # internal: f64 rerun
	args = ap.parse_args()
	if args.x64_from:  # child process: recompute from the golden file's inputs in float64
		from safetensors.numpy import load_file

		assert jax.config.jax_enable_x64
		g = load_file(args.x64_from)
		out = {}
		for gc in GOLDEN_CONFIGS:
			n = gc.name
			names = R.param_names(gc.cfg)
			params = {k: g[f"{n}.params.{k}"].astype(np.float64) for k in names}
			masks = {c: g[f"{n}.{c}.masks"] for c in CASES}
			out.update(compute(gc, params, g[f"{n}.y"].astype(np.float64), g[f"{n}.noisy"].astype(np.float64), masks, jnp.float64)[0])
		R.write_safetensors(args.out, {k: np.ascontiguousarray(v, np.float64) for k, v in out.items()}, {})
		return

	if args.ckpt and not any(_ckpt_fits(args.ckpt, gc.cfg) for gc in GOLDEN_CONFIGS):
		sys.exit(f"{args.ckpt}: channels/perception/hidden match no golden config (small 4/6/8,8; seed 64/64/128,128)")
	tensors, meta = build_golden(args.ckpt)
	tensors = {k: np.ascontiguousarray(v, np.float32) for k, v in tensors.items()}
	os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
	R.write_safetensors(args.out, tensors, meta)
	size = os.path.getsize(args.out)
	print(f"wrote {args.out}: {len(tensors)} tensors, {size / 1e6:.2f} MB")
	for gc in GOLDEN_CONFIGS:
		for case in CASES:
			p = f"{gc.name}.{case}."
			print(f"  {p}loss = {tensors[p + 'loss'][0]:.8g}  grad_norm = {tensors[p + 'grad_norm'][0]:.8g}"
				f"  relu exact zeros {meta[p + 'relu_exact_zeros']}, rel margin {meta[p + 'relu_rel_margin']}")

	if args.skip_f64:
		return
	with tempfile.TemporaryDirectory() as tmp:
		f64_path = os.path.join(tmp, "golden_f64.safetensors")
		subprocess.run([sys.executable, os.path.abspath(__file__), "--x64-from", args.out, "--out", f64_path], check=True)
		from safetensors.numpy import load_file

		f64 = load_file(f64_path)
	report = (
		"# f32 vs f64 reference values\n\n"
		"Generated by make_golden.py: the same computation (same f32 inputs) run by cax in float32\n"
		"and in float64 (jax_enable_x64). `max rel` is the max abs difference divided by the\n"
		"largest |value| of the tensor (a scale-relative error).\n\n"
		f"{versions()}\n\n" + compare_report(tensors, f64)
	)
	with open(args.report, "w") as f:
		f.write(report)
	print(f"wrote {args.report}")


if __name__ == "__main__":
	main()
