"""Shared pieces of the Python reference: the cax RRCNN model, our checkpoint format, IDX digits.

The model is built from cax's own ConvPerceive and ResidualUpdate exactly as in the cax RRCNN
example notebook (examples/51_rrcnn.ipynb / 61_rrcnn.ipynb); this file only adds the glue that
RRCNN Studio needs (parameter names, safetensors I/O, dropout-mask injection for golden values).
It is a tool for regenerating reference data, never needed to build or test the C++ project.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import struct
from dataclasses import dataclass

# Keep JAX on the CPU (the machines have 2 cores and no accelerator); an explicit
# JAX_PLATFORMS in the environment still wins.
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
from cax.core import ComplexSystem  # noqa: E402
from cax.core.perceive import ConvPerceive  # noqa: E402
from cax.core.update import ResidualUpdate  # noqa: E402
from cax.utils.render import clip_and_uint8  # noqa: E402
from flax import nnx  # noqa: E402
from jax import lax  # noqa: E402

FORMAT = "rrcnn-studio/1"
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_IMAGES = os.path.join(REPO_ROOT, "assets", "mnist-10k-images-idx3-ubyte.gz")
TRAIN_SPLIT = 9000  # digits [0, 9000) train, [9000, N) held out

# Which parameters are trained: the example's filter, verbatim
# (`update_params = nnx.All(nnx.Param, nnx.PathContains("update"))`). The perception kernel
# (path perceive/conv/kernel) does not match and stays frozen.
UPDATE_PARAMS = nnx.All(nnx.Param, nnx.PathContains("update"))


@dataclass
class Config:
	height: int = 28
	width: int = 28
	channels: int = 64
	perception: int = 64
	hidden: tuple[int, ...] = (128, 128)
	dropout_rate: float = 0.5
	step_size: float = 1.0
	rollout_steps: int = 64
	batch: int = 8


PRESETS = {
	"seed": Config(),
	"small": Config(height=5, width=7, channels=4, perception=6, hidden=(8, 8), rollout_steps=3, batch=2),
}


def make_optimizer() -> optax.GradientTransformation:
	"""The example's optimiser: clip to global norm 1, then Adam on a linear 1e-3 -> 1e-4 schedule."""
	learning_rate = 1e-3
	lr_sched = optax.linear_schedule(
		init_value=learning_rate, end_value=0.1 * learning_rate, transition_steps=2_000
	)
	return optax.chain(optax.clip_by_global_norm(1.0), optax.adam(learning_rate=lr_sched))


# --------------------------------------------------------------------------------------------
# Dropout-mask injection (golden values only)
# --------------------------------------------------------------------------------------------
_INJECTED_MASK: list = []  # stack; the top is the [..., H, W] 0/1 mask of the current step


@contextlib.contextmanager
def injected_mask(mask):
	_INJECTED_MASK.append(mask)
	try:
		yield
	finally:
		_INJECTED_MASK.pop()


class InjectedDropout(nnx.Module):
	"""Stand-in for the nnx.Dropout inside cax's ResidualUpdate, taking its mask from the caller.

	flax/nnx/nn/stochastic.py, Dropout.__call__ (flax 0.12.8) does, with rate > 0 and
	deterministic False:
		keep_prob = 1.0 - self.rate
		broadcast_shape = list(inputs.shape)
		for dim in self.broadcast_dims:          # cax passes broadcast_dims=(-1,)
			broadcast_shape[dim] = 1             # -> one draw per cell, shared by all channels
		mask = random.bernoulli(key, p=keep_prob, shape=broadcast_shape, ...)
		mask = jnp.broadcast_to(mask, inputs.shape)
		return lax.select(mask, inputs / keep_prob, jnp.zeros_like(inputs))
	This class runs the same last three lines; only the Bernoulli draw is replaced by the given
	0/1 mask of shape inputs.shape[:-1] (one value per (sample, y, x), i.e. the broadcast_shape
	above). Kept cells get u / keep_prob (a division, as in flax), dropped cells get exactly 0.
	In the example each sample runs under nnx.vmap with its own key, so the real masks are
	also independent per sample and per step; rate == 0 is never injected (nnx.Dropout returns
	its input unchanged there, and the golden rate-0 cases use the real nnx.Dropout).
	"""

	def __init__(self, rate: float, broadcast_dims=(-1,)):
		self.rate = rate
		self.broadcast_dims = tuple(broadcast_dims)

	def __call__(self, inputs, *, deterministic=None, rngs=None):
		assert self.broadcast_dims == (-1,)
		mask = _INJECTED_MASK[-1]
		if mask is None:
			raise RuntimeError("InjectedDropout called without an injected mask")
		keep_prob = 1.0 - self.rate
		mask = jnp.asarray(mask)[..., None] != 0  # broadcast_shape: channel axis set to 1
		mask = jnp.broadcast_to(mask, inputs.shape)
		return lax.select(mask, inputs / keep_prob, jnp.zeros_like(inputs))


# --------------------------------------------------------------------------------------------
# The model (the example's RRCNN class, with its configuration as arguments)
# --------------------------------------------------------------------------------------------
class RRCNN(ComplexSystem):
	"""Recurrent Residual Convolutional Neural Network, as in the cax example notebook."""

	def __init__(self, cfg: Config, *, rngs: nnx.Rngs):
		self.perceive = ConvPerceive(
			channel_size=cfg.channels,
			perception_size=cfg.perception,
			rngs=rngs,
		)
		self.update = ResidualUpdate(
			num_spatial_dims=2,
			channel_size=cfg.channels,
			perception_size=cfg.perception,
			hidden_layer_sizes=tuple(cfg.hidden),
			step_size=cfg.step_size,
			cell_dropout_rate=cfg.dropout_rate,
			zeros_init=True,
			rngs=rngs,
		)

	# cax 0.3.3's ComplexSystem.__call__ calls `cs._step(state, input, sow=sow)`; the example
	# notebook's `_step(self, state, input=None)` lacks `sow` and raises TypeError there.
	def _step(self, state, input=None, *, sow: bool = False):
		perception = self.perceive(state)
		if isinstance(self.update.dropout, InjectedDropout):
			# `input` carries this step's dropout mask (scan slices it along axis 0).
			with injected_mask(input):
				return self.update(state, perception, None)
		return self.update(state, perception, input)

	@nnx.jit
	def render(self, state):
		gray = state[..., -1:]
		rgb = jnp.repeat(gray, 3, axis=-1)
		return clip_and_uint8(rgb)


def inject_dropout(cs: RRCNN) -> None:
	"""Replace the ResidualUpdate's nnx.Dropout by InjectedDropout (same rate)."""
	old = cs.update.dropout
	cs.update.dropout = InjectedDropout(old.rate, old.broadcast_dims)


# --------------------------------------------------------------------------------------------
# Parameter names <-> nnx paths
# --------------------------------------------------------------------------------------------
def _path_to_name(path) -> str:
	parts = [str(p) for p in path]
	if parts == ["perceive", "conv", "kernel"]:
		return "perceive.kernel"
	if len(parts) == 4 and parts[0] == "update" and parts[1] == "layers":
		return f"update.layers.{parts[2]}.{parts[3]}"
	raise KeyError(f"unexpected parameter path {path}")


def param_names(cfg: Config, trained_only: bool = False) -> list[str]:
	names = [] if trained_only else ["perceive.kernel"]
	for i in range(len(cfg.hidden) + 1):
		names += [f"update.layers.{i}.kernel", f"update.layers.{i}.bias"]
	return names


def param_shapes(cfg: Config) -> dict[str, tuple[int, ...]]:
	ins = (cfg.perception,) + tuple(cfg.hidden)
	outs = tuple(cfg.hidden) + (cfg.channels,)
	shapes = {"perceive.kernel": (3, 3, cfg.channels, cfg.perception)}
	for i, (a, b) in enumerate(zip(ins, outs)):
		shapes[f"update.layers.{i}.kernel"] = (a, b)
		shapes[f"update.layers.{i}.bias"] = (b,)
	return shapes


def _to_our_layout(name: str, arr) -> np.ndarray:
	arr = np.asarray(arr)
	if name.startswith("update.") and name.endswith(".kernel"):
		assert arr.shape[:2] == (1, 1), arr.shape  # nnx 1x1 Conv kernel [1,1,in,out]
		arr = arr.reshape(arr.shape[2:])
	return arr


def state_to_named(state) -> dict[str, np.ndarray]:
	"""nnx.State (or pure tree of the same structure) -> {our name: array in our layout}."""
	out = {}
	for path, leaf in nnx.to_flat_state(state):
		val = leaf.get_value() if isinstance(leaf, nnx.Variable) else leaf
		out[_path_to_name(path)] = _to_our_layout(_path_to_name(path), val)
	return out


def get_params(cs: RRCNN, trained_only: bool = False) -> dict[str, np.ndarray]:
	return state_to_named(nnx.state(cs, UPDATE_PARAMS if trained_only else nnx.Param))


def set_params(cs: RRCNN, params: dict[str, np.ndarray], dtype=None) -> None:
	"""Copy arrays in our layout into the model (dtype: jnp dtype to store, default float32)."""
	dtype = dtype or jnp.float32
	for path, var in nnx.to_flat_state(nnx.state(cs, nnx.Param)):
		name = _path_to_name(path)
		if name not in params:
			raise KeyError(f"checkpoint lacks tensor {name}")
		cur = var.get_value()
		arr = np.asarray(params[name])
		if arr.size != cur.size or (arr.shape != cur.shape and arr.shape != cur.shape[2:]):
			raise ValueError(f"{name}: shape {arr.shape} does not fit model shape {cur.shape}")
		var.set_value(jnp.asarray(arr.reshape(cur.shape), dtype=dtype))


def tree_like_trained(cs: RRCNN, named: dict[str, np.ndarray]):
	"""{our name: array} -> pure nested dict shaped like nnx.state(cs, UPDATE_PARAMS)."""
	st = nnx.state(cs, UPDATE_PARAMS)
	flat = []
	for path, var in nnx.to_flat_state(st):
		cur = var.get_value()
		flat.append((path, jnp.asarray(np.asarray(named[_path_to_name(path)]).reshape(cur.shape), cur.dtype)))
	return nnx.from_flat_state(flat)


# --------------------------------------------------------------------------------------------
# Checkpoints (safetensors, float32 little-endian, row-major)
# --------------------------------------------------------------------------------------------
def write_safetensors(path: str, tensors: dict[str, np.ndarray], metadata: dict[str, str]) -> None:
	"""Deterministic safetensors writer (F32/F64 only): header keys and tensor data in sorted
	name order, header padded with spaces to 8 bytes. safetensors' own save_file orders the
	metadata through a hash map, so its bytes change from run to run; readers see no difference.
	"""
	import json

	dtypes = {np.dtype("<f4"): "F32", np.dtype("<f8"): "F64"}
	header: dict = {"__metadata__": {str(k): str(v) for k, v in sorted(metadata.items())}} if metadata else {}
	blobs, offset = [], 0
	for name in sorted(tensors):
		arr = np.ascontiguousarray(tensors[name])
		arr = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
		if arr.dtype not in dtypes:
			raise ValueError(f"{name}: dtype {arr.dtype} not supported")
		data = arr.tobytes(order="C")
		header[name] = {"dtype": dtypes[arr.dtype], "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
		blobs.append(data)
		offset += len(data)
	text = json.dumps(header, separators=(",", ":")).encode()
	text += b" " * (-len(text) % 8)
	tmp = path + ".tmp"
	with open(tmp, "wb") as f:
		f.write(struct.pack("<Q", len(text)))
		f.write(text)
		for blob in blobs:
			f.write(blob)
	os.replace(tmp, path)


def config_to_metadata(cfg: Config) -> dict[str, str]:
	return {
		"height": str(cfg.height),
		"width": str(cfg.width),
		"channels": str(cfg.channels),
		"perception": str(cfg.perception),
		"hidden": ",".join(str(h) for h in cfg.hidden),
		"rollout_steps": str(cfg.rollout_steps),
		"dropout_rate": repr(float(cfg.dropout_rate)),
		"step_size": repr(float(cfg.step_size)),
	}


def config_from_metadata(meta: dict[str, str]) -> Config:
	hidden = tuple(int(h) for h in meta["hidden"].split(",") if h.strip())
	return Config(
		height=int(meta["height"]),
		width=int(meta["width"]),
		channels=int(meta["channels"]),
		perception=int(meta["perception"]),
		hidden=hidden,
		rollout_steps=int(meta["rollout_steps"]),
		dropout_rate=float(meta["dropout_rate"]),
		step_size=float(meta["step_size"]),
	)


def save_checkpoint(
	path: str,
	params: dict[str, np.ndarray],
	cfg: Config,
	*,
	seed: int = 0,
	optimizer_step: int = 0,
	preset: str = "custom",
	adam_mu: dict[str, np.ndarray] | None = None,
	adam_nu: dict[str, np.ndarray] | None = None,
) -> None:
	"""Write a checkpoint in RRCNN Studio's format (see tools/reference/README.md)."""
	shapes = param_shapes(cfg)
	tensors = {}
	for name, shape in shapes.items():
		arr = np.ascontiguousarray(np.asarray(params[name], dtype=np.float32))
		if arr.shape != shape:
			raise ValueError(f"{name}: shape {arr.shape}, expected {shape}")
		tensors[name] = arr
	for prefix, moments in (("adam.mu.", adam_mu), ("adam.nu.", adam_nu)):
		if moments is None:
			continue
		for name in param_names(cfg, trained_only=True):
			tensors[prefix + name] = np.ascontiguousarray(np.asarray(moments[name], np.float32).reshape(shapes[name]))
	meta = {"format": FORMAT, **config_to_metadata(cfg)}
	meta.update(seed=str(int(seed)), optimizer_step=str(int(optimizer_step)), preset=str(preset))
	write_safetensors(path, tensors, meta)


def load_checkpoint(path: str):
	"""-> (cfg, params, meta, adam_mu or None, adam_nu or None); checks format and shapes."""
	from safetensors import safe_open

	with safe_open(path, framework="numpy") as f:
		meta = dict(f.metadata() or {})
		tensors = {k: f.get_tensor(k) for k in f.keys()}
	if meta.get("format") != FORMAT:
		raise ValueError(f"{path}: metadata format is {meta.get('format')!r}, expected {FORMAT!r}")
	cfg = config_from_metadata(meta)
	shapes = param_shapes(cfg)
	params = {}
	for name, shape in shapes.items():
		if name not in tensors:
			raise ValueError(f"{path}: missing tensor {name}")
		t = tensors[name]
		if t.dtype != np.float32 or tuple(t.shape) != shape:
			raise ValueError(f"{path}: {name} is {t.dtype}{list(t.shape)}, expected float32{list(shape)}")
		params[name] = t
	mu = nu = None
	trained = param_names(cfg, trained_only=True)
	if all("adam.mu." + n in tensors for n in trained):
		mu = {n: tensors["adam.mu." + n] for n in trained}
		nu = {n: tensors["adam.nu." + n] for n in trained}
	return cfg, params, meta, mu, nu


def build_model(cfg: Config, params: dict[str, np.ndarray] | None = None, seed: int = 0) -> RRCNN:
	cs = RRCNN(cfg, rngs=nnx.Rngs(seed))
	if params is not None:
		set_params(cs, params)
	return cs


# --------------------------------------------------------------------------------------------
# Adam moments <-> nnx.Optimizer state
# --------------------------------------------------------------------------------------------
def _adam_state(opt_state_pure):
	"""Find the ScaleByAdamState inside chain(clip, adam) state."""
	for leaf in jax.tree.leaves(opt_state_pure, is_leaf=lambda x: isinstance(x, optax.ScaleByAdamState)):
		if isinstance(leaf, optax.ScaleByAdamState):
			return leaf
	raise ValueError("no ScaleByAdamState in optimizer state")


def get_adam_moments(optimizer: nnx.Optimizer):
	adam = _adam_state(nnx.as_pure(optimizer.opt_state))
	return state_to_named(adam.mu), state_to_named(adam.nu)


def set_adam_state(cs: RRCNN, optimizer: nnx.Optimizer, mu, nu, step: int) -> None:
	"""Resume: put moments and the step count (Adam's and the schedule's) into the optimizer."""
	from flax.nnx.training.optimizer import to_opt_state

	pure = nnx.as_pure(optimizer.opt_state)
	mu_t, nu_t = tree_like_trained(cs, mu), tree_like_trained(cs, nu)

	def fix(x):
		if isinstance(x, optax.ScaleByAdamState):
			return x._replace(count=jnp.asarray(step, x.count.dtype), mu=mu_t, nu=nu_t)
		if isinstance(x, optax.ScaleByScheduleState):
			return x._replace(count=jnp.asarray(step, x.count.dtype))
		return x

	is_leaf = lambda x: isinstance(x, (optax.ScaleByAdamState, optax.ScaleByScheduleState))  # noqa: E731
	new = jax.tree.map(fix, pure, is_leaf=is_leaf)
	optimizer.opt_state = nnx.data(to_opt_state(new))
	optimizer.step[...] = jnp.asarray(step, jnp.uint32)


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------
def load_idx_images(path: str = DEFAULT_IMAGES) -> np.ndarray:
	"""IDX3 (optionally gzip) -> uint8 [N, rows, cols]."""
	opener = gzip.open if path.endswith(".gz") else open
	with opener(path, "rb") as f:
		data = f.read()
	magic, n, rows, cols = struct.unpack(">IIII", data[:16])
	if magic != 0x00000803:
		raise ValueError(f"{path}: not an IDX3 ubyte file (magic {magic:#x})")
	arr = np.frombuffer(data, dtype=np.uint8, count=n * rows * cols, offset=16)
	return arr.reshape(n, rows, cols)


def add_noise_np(y: np.ndarray, alpha, noise: np.ndarray) -> np.ndarray:
	"""The example's add_noise with given alpha and noise: clip((1-alpha) y + alpha n, 0, 1)."""
	alpha = np.asarray(alpha, dtype=y.dtype).reshape((-1,) + (1,) * (y.ndim - 1))
	return np.clip((1 - alpha) * y + alpha * noise.astype(y.dtype), 0.0, 1.0)


def initial_state(noisy: jnp.ndarray, channels: int) -> jnp.ndarray:
	"""Zeros with the image (last) channel set to the noisy digit; noisy is [B,H,W]."""
	state = jnp.zeros(noisy.shape + (channels,), dtype=noisy.dtype)
	return state.at[..., -1].set(noisy)


def mse(state, y):
	"""The example's loss: mean((state[..., -1:] - y)^2) with y of shape [..., 1]."""
	return jnp.mean(jnp.square(state[..., -1:] - y))


def unrolled_rollout(cs: RRCNN, state, num_steps: int):
	"""num_steps calls of cax's _step in a Python loop. XLA:CPU runs the backward pass of the
	scan's while loop (ComplexSystem.__call__) ~20x slower than this unrolled graph; the RNG
	stream advances identically (one dropout key per _step), so the forward pass is bitwise
	the same as with the scan."""
	for _ in range(num_steps):
		state = cs._step(state)
	return state


def batched_loss(cs: RRCNN, state, y, batch_size: int, rollout):
	"""The example's loss_fn: rollout(cs, one_state) vmapped over the batch with the model's RNG
	split once per sample (nnx.split_rngs + nnx.vmap), then mse against y."""
	state_axes = nnx.StateAxes({nnx.RngState: 0, ...: None})
	state = nnx.split_rngs(splits=batch_size)(nnx.vmap(rollout, in_axes=(state_axes, 0)))(cs, state)
	return mse(state, y)
