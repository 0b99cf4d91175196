"""The RRCNN model in PyTorch, written the way a PyTorch user would: the peer of `rrcnn bench`.

Shared by bench_torch.py (timing) and check_torch.py (is it the same model?). Nothing here is
needed to build or test RRCNN Studio. Works with Debian's python3-torch (1.13) and PyPI torch 2.x.

The model (shared/docs/model-spec.md): a frozen 3x3 nn.Conv2d C->P (zero padding, no bias), an
MLP of 1x1 convolutions P->128->128->C with ReLU between, one dropout draw per cell shared by
the channels with inverted scaling 1/q, and the residual s + step_size * u. The MLP runs on every
cell, dropped or not (PyTorch has no kept-cell saving; RRCNN Studio's CPU backend has).

Two layouts: "nchw" (the obvious program, as in issue 12) and "channels_last" (the state in
torch.channels_last memory format and nn.Linear layers on the channel axis, what a user tuning
for the CPU might try).
"""

import json
import math
import os
import struct

import torch
from torch import nn

# core/config.cpp's presets (model) and TrainConfig defaults (core/config.h).
PRESETS = {
	"seed": dict(height=28, width=28, channels=64, perception=64, hidden=(128, 128),
		rollout_steps=64, dropout_rate=0.5, step_size=1.0),
	"lite": dict(height=28, width=28, channels=16, perception=16, hidden=(32, 32),
		rollout_steps=32, dropout_rate=0.5, step_size=1.0),
}
TRAIN = dict(batch=8, lr_start=1e-3, lr_end=1e-4, lr_decay_steps=2000, clip_norm=1.0,
	b1=0.9, b2=0.999, eps=1e-8)
LAYOUTS = ("nchw", "channels_last")


def widths(cfg):
	return [cfg["perception"], *cfg["hidden"], cfg["channels"]]


class RRCNN(nn.Module):
	def __init__(self, cfg, layout="nchw"):
		super().__init__()
		assert layout in LAYOUTS, layout
		self.cfg, self.layout = cfg, layout
		C, P = cfg["channels"], cfg["perception"]
		self.perceive = nn.Conv2d(C, P, 3, padding=1, bias=False)
		self.perceive.weight.requires_grad_(False)  # frozen, as in the original
		w = widths(cfg)
		layers = []
		for i in range(len(w) - 1):
			layers.append(nn.Conv2d(w[i], w[i + 1], 1) if layout == "nchw" else nn.Linear(w[i], w[i + 1]))
			if i + 2 < len(w):
				layers.append(nn.ReLU())
		self.update = nn.Sequential(*layers)
		if layout == "channels_last":
			self.to(memory_format=torch.channels_last)

	def mlp_layers(self):
		return [m for m in self.update if isinstance(m, (nn.Conv2d, nn.Linear))]

	def step(self, s, rate, mask=None, generator=None):
		"""One step of the state s [B, C, H, W]. `mask` [B, H, W] of 0/1 overrides the draw."""
		p = self.perceive(s)
		if self.layout == "nchw":
			u = self.update(p)
		else:
			u = self.update(p.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
		if rate > 0:
			q = 1.0 - rate
			B, _, H, W = s.shape
			if mask is None:
				keep = torch.rand(B, 1, H, W, generator=generator, device=s.device) < q
			else:
				keep = mask.reshape(B, 1, H, W) != 0
			u = u * (keep.to(u.dtype) / q)
		return s + self.cfg["step_size"] * u


def initial_state(noisy, channels, layout="nchw"):
	"""Zeros with the last (image) channel set to `noisy` [B, H, W]."""
	B, H, W = noisy.shape
	s = torch.zeros(B, channels, H, W, dtype=noisy.dtype, device=noisy.device)
	s[:, -1] = noisy
	return s.contiguous(memory_format=torch.channels_last) if layout == "channels_last" else s


def make_optimizer(model):
	"""torch.optim.Adam with the linear schedule 1e-3 -> 1e-4 over 2000 steps, then constant."""
	t = TRAIN
	opt = torch.optim.Adam(model.update.parameters(), lr=t["lr_start"], betas=(t["b1"], t["b2"]),
		eps=t["eps"])
	sched = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1.0,
		end_factor=t["lr_end"] / t["lr_start"], total_iters=t["lr_decay_steps"])
	return opt, sched


def loss_fn(final, y):
	"""MSE of the (unclipped) image channel against the clean digits y [B, H, W]."""
	return ((final[:, -1] - y) ** 2).mean()


def train_step(model, opt, sched, y, generator=None, masks=None, rate=None):
	"""One optimiser step on clean digits y [B, H, W]: noise, rollout, loss, backward, clip, Adam.
	`masks` [T, B, H, W] (0/1) replaces the drawn dropout masks; then no noise is drawn either
	and `y` is used with the `noisy` the caller put in place (see check_torch.py)."""
	cfg = model.cfg
	rate = cfg["dropout_rate"] if rate is None else rate
	B = y.shape[0]
	alpha = torch.rand(B, 1, 1, generator=generator, device=y.device)
	noise = torch.randn(y.shape, generator=generator, device=y.device)
	noisy = ((1 - alpha) * y + alpha * noise).clamp(0, 1)
	return train_step_from(model, opt, sched, y, noisy, rate, masks, generator)


def train_step_from(model, opt, sched, y, noisy, rate, masks=None, generator=None):
	s = initial_state(noisy, model.cfg["channels"], model.layout)
	for t in range(model.cfg["rollout_steps"] if masks is None else masks.shape[0]):
		s = model.step(s, rate, None if masks is None else masks[t], generator)
	loss = loss_fn(s, y)
	opt.zero_grad(set_to_none=True)
	loss.backward()
	norm = torch.nn.utils.clip_grad_norm_(model.update.parameters(), TRAIN["clip_norm"])
	opt.step()
	sched.step()
	return loss.detach(), norm


# ---- parameters in RRCNN Studio's layout (README "Files": [3,3,C,P] and [in, out] row-major)

def set_params(model, params):
	"""Loads named tensors in our layout: perceive.kernel [3,3,C,P], update.layers.i.kernel
	[in, out], update.layers.i.bias [out]."""
	with torch.no_grad():
		model.perceive.weight.copy_(torch.as_tensor(params["perceive.kernel"]).permute(3, 2, 0, 1))
		for i, layer in enumerate(model.mlp_layers()):
			k = torch.as_tensor(params[f"update.layers.{i}.kernel"]).t()
			layer.weight.copy_(k.reshape(layer.weight.shape))
			layer.bias.copy_(torch.as_tensor(params[f"update.layers.{i}.bias"]))


def get_params(model, trained_only=False):
	out = {} if trained_only else {"perceive.kernel": model.perceive.weight.detach().permute(2, 3, 1, 0)}
	for i, layer in enumerate(model.mlp_layers()):
		w = layer.weight.detach()
		out[f"update.layers.{i}.kernel"] = w.reshape(w.shape[0], w.shape[1]).t()
		out[f"update.layers.{i}.bias"] = layer.bias.detach()
	return out


def get_grads(model):
	out = {}
	for i, layer in enumerate(model.mlp_layers()):
		g = layer.weight.grad
		out[f"update.layers.{i}.kernel"] = g.reshape(g.shape[0], g.shape[1]).t()
		out[f"update.layers.{i}.bias"] = layer.bias.grad
	return out


def init_like_bench(model, seed=0):
	"""rrcnn bench's parameters in distribution (core/init.cpp: LeCun normal truncated at 2 std for
	the perception, W1, W2; zero biases) and its fixed non-zero last layer 1e-3 * (i % 13 - 6)."""
	cfg = model.cfg
	g = torch.Generator().manual_seed(seed)

	def lecun(shape, fan_in):
		std = math.sqrt(1.0 / fan_in) / 0.87962566103423978
		t = torch.empty(shape)
		# trunc_normal_ has no generator argument in 1.13: draw and redraw the tails by hand.
		t.normal_(0, std, generator=g)
		while True:
			bad = t.abs() > 2 * std
			if not bad.any():
				return t
			t[bad] = torch.empty(int(bad.sum())).normal_(0, std, generator=g)

	w = widths(cfg)
	params = {"perceive.kernel": lecun((3, 3, cfg["channels"], cfg["perception"]), 9 * cfg["channels"])}
	for i in range(len(w) - 1):
		params[f"update.layers.{i}.kernel"] = lecun((w[i], w[i + 1]), w[i])
		params[f"update.layers.{i}.bias"] = torch.zeros(w[i + 1])
	last = len(w) - 2
	n = w[-2] * w[-1]
	params[f"update.layers.{last}.kernel"] = (1e-3 * ((torch.arange(n) % 13) - 6).float()).reshape(w[-2], w[-1])
	set_params(model, params)


def read_safetensors(path):
	"""{name: float32 tensor} and the metadata of a safetensors file (F32 only), without the
	safetensors package (Debian's python3 does not have it)."""
	with open(path, "rb") as f:
		data = f.read()
	if len(data) < 8:
		raise ValueError(f"{path}: truncated safetensors file")
	n = struct.unpack("<Q", data[:8])[0]
	if 8 + n > len(data):
		raise ValueError(f"{path}: header length {n} runs past the end of the file")
	header = json.loads(data[8:8 + n])
	meta = header.pop("__metadata__", {})
	body = data[8 + n:]
	out = {}
	for name, t in header.items():
		if t["dtype"] != "F32":
			raise ValueError(f"{path}: tensor {name} is {t['dtype']}, expected F32")
		a, b = t["data_offsets"]
		flat = torch.frombuffer(bytearray(body[a:b]), dtype=torch.float32)
		out[name] = flat.reshape(t["shape"]) if t["shape"] else flat
	return out, meta


def config_from_metadata(meta):
	return dict(height=int(meta["height"]), width=int(meta["width"]), channels=int(meta["channels"]),
		perception=int(meta["perception"]), hidden=tuple(int(h) for h in meta["hidden"].split(",")),
		rollout_steps=int(meta.get("rollout_steps", 64)), dropout_rate=float(meta.get("dropout_rate", 0.5)),
		step_size=float(meta.get("step_size", 1.0)))


def torch_blas(show):
	"""The BLAS behind torch.mm: MKL, or OpenBLAS with the kernels it chose (Debian's 0.3.21 falls
	back to its SSE3 "Prescott" kernels on CPUs newer than it, unless OPENBLAS_CORETYPE is set)."""
	if "BLAS_INFO=mkl" in show:
		return "mkl"
	try:
		import ctypes

		with open("/proc/self/maps") as f:
			libs = sorted({line.split()[-1] for line in f if "openblas" in line.split()[-1]})
		if libs:
			get = ctypes.CDLL(libs[0]).openblas_get_corename
			get.restype = ctypes.c_char_p
			return f"openblas {os.path.basename(libs[0])}, {get().decode()} kernels"
	except (OSError, AttributeError):
		pass
	return None


def versions():
	"""torch version, oneDNN, CPU capability and threads, for the JSON of bench_torch.py."""
	show = torch.__config__.show()
	onednn = None
	for line in show.splitlines():
		if "MKL-DNN" in line or "oneDNN" in line:
			onednn = line.strip(" -")
	cap = None
	get_cap = getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", None)
	if get_cap is not None:
		cap = get_cap()
	else:
		for line in show.splitlines():
			if "CPU capability usage" in line:
				cap = line.split(":", 1)[1].strip()
	return {"torch": torch.__version__, "blas": torch_blas(show), "mkldnn_enabled": bool(torch.backends.mkldnn.is_available()
		and torch.backends.mkldnn.enabled), "onednn": onednn, "cpu_capability": cap,
		"threads": torch.get_num_threads()}
