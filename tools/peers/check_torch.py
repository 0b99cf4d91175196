"""Is the PyTorch peer (torch_rrcnn.py) the same model as RRCNN Studio and the original?

1. Golden values (tests/golden/golden.safetensors, written by the original cax code with injected
   dropout masks): the step-0 perception, hidden layers and update, the image channel after every
   step, the stored states, loss, gradients and the parameters after one Adam step, for both
   golden configs and both cases (rate 0, injected masks). Prints the max abs error of each
   tensor relative to its largest value.
2. One of our checkpoints (default assets/rrcnn-seed.safetensors) against our CPU backend, no
   dropout, noise level 0 (the held-out digits themselves, so no random numbers): the MSE that
   `rrcnn eval --json` prints and the grey pixels that `rrcnn render --scale 1` writes, after a
   few step counts, against the same numbers computed here.

  /usr/bin/python3 tools/peers/check_torch.py --rrcnn build/app/rrcnn

Exits 1 when a difference is beyond float32 reassociation (the thresholds below), 0 otherwise.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import torch_rrcnn as T  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Relative (to the tensor's scale) error allowed: float32 reassociation over a few steps, with
# headroom for the ReLU kinks (the golden tolerances of tests/ are of this size too).
GOLDEN_REL = 1e-4
MSE_REL = 1e-4


def rel_err(got, want):
	got, want = torch.as_tensor(got, dtype=torch.float64), torch.as_tensor(want, dtype=torch.float64)
	if got.shape != want.shape:
		raise ValueError(f"shape {tuple(got.shape)} != {tuple(want.shape)}")
	scale = max(float(want.abs().max()), 1e-30)
	return float((got - want).abs().max()) / scale, scale


def golden_config(meta, name):
	g = lambda k: meta[f"{name}.{k}"]  # noqa: E731
	return dict(height=int(g("height")), width=int(g("width")), channels=int(g("channels")),
		perception=int(g("perception")), hidden=tuple(int(h) for h in g("hidden").split(",")),
		rollout_steps=int(g("steps")), dropout_rate=0.5, step_size=float(g("step_size")))


def check_golden_config(gold, meta, name, layout):
	"""[(tensor name, relative error, scale)] for one golden config."""
	cfg = golden_config(meta, name)
	params = {k[len(name) + 8:]: v for k, v in gold.items() if k.startswith(name + ".params.")}
	y, noisy = gold[name + ".y"], gold[name + ".noisy"]
	rows = []
	model = T.RRCNN(cfg, layout)
	T.set_params(model, params)
	s0 = T.initial_state(noisy, cfg["channels"], layout)
	with torch.no_grad():
		b0 = int(meta[name + ".step0_samples"])
		p = model.perceive(s0[:b0])
		x = p if layout == "nchw" else p.permute(0, 2, 3, 1)
		layers = list(model.update)
		j = 0
		for m in layers:
			x = m(x)
			if isinstance(m, torch.nn.ReLU):
				h = x if layout == "channels_last" else x.permute(0, 2, 3, 1)
				rows.append((f"{name}.step0.hidden.{j}", *rel_err(h, gold[f"{name}.step0.hidden.{j}"])))
				j += 1
		u = x if layout == "channels_last" else x.permute(0, 2, 3, 1)
		rows.append((f"{name}.step0.perception", *rel_err(p.permute(0, 2, 3, 1), gold[f"{name}.step0.perception"])))
		rows.append((f"{name}.step0.update", *rel_err(u, gold[f"{name}.step0.update"])))
	state_steps = [int(t) for t in meta[name + ".state_steps"].split(",")]
	for case in ("rate0", "drop"):
		pre = f"{name}.{case}."
		rate = float(meta[f"{name}.{case}.dropout_rate"])
		masks = gold[pre + "masks"]
		model = T.RRCNN(cfg, layout)
		T.set_params(model, params)
		s, images, states = s0, [], []
		with torch.no_grad():
			for t in range(masks.shape[0]):
				s = model.step(s, rate, masks[t])
				images.append(s[:, -1])
				if t + 1 in state_steps:
					states.append(s.permute(0, 2, 3, 1))
		rows.append((pre + "image", *rel_err(torch.stack(images), gold[pre + "image"])))
		rows.append((pre + "state", *rel_err(torch.stack(states), gold[pre + "state"])))
		# One optimiser step from a fresh Adam, gradients read before clipping.
		opt, sched = T.make_optimizer(model)
		s = s0
		for t in range(masks.shape[0]):
			s = model.step(s, rate, masks[t])
		loss = T.loss_fn(s, y)
		opt.zero_grad()
		loss.backward()
		grads = {k: v.clone() for k, v in T.get_grads(model).items()}
		norm = torch.nn.utils.clip_grad_norm_(model.update.parameters(), T.TRAIN["clip_norm"])
		opt.step()
		rows.append((pre + "loss", *rel_err(loss.detach().reshape(1), gold[pre + "loss"])))
		rows.append((pre + "grad_norm", *rel_err(norm.detach().reshape(1), gold[pre + "grad_norm"])))
		for k, g in grads.items():
			rows.append((pre + "grad." + k, *rel_err(g, gold[pre + "grad." + k])))
		for k, v in T.get_params(model, trained_only=True).items():
			rows.append((pre + "after_adam." + k, *rel_err(v, gold[pre + "after_adam." + k])))
	return rows


def held_out_digits(path, first, count):
	"""The embedded subset's held-out split (core/dataset.cpp: the last 1,000 of 10,000) / 255."""
	with gzip.open(path, "rb") as f:
		data = f.read()
	n, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
	split = 9000 if n >= 10000 else n * 9 // 10
	start = 16 + (split + first) * rows * cols
	img = torch.frombuffer(bytearray(data[start:start + count * rows * cols]), dtype=torch.uint8)
	return img.reshape(count, rows, cols).float() / 255.0


def render_pixels(v):
	"""core/cell_math.h render_pixel: clip to [0, 1], times 255 in float32, truncate."""
	v = torch.nan_to_num(v.float(), nan=0.0).clamp(0, 1)
	return (v * 255.0).to(torch.uint8)


def read_png_grey(path):
	"""The grey level of our own PNGs (core/image_io.cpp: 8-bit RGB, filter 0, one IDAT stream),
	without PIL (PyPI venvs do not have it)."""
	with open(path, "rb") as f:
		data = f.read()
	pos, idat, width, height = 8, b"", 0, 0
	while pos < len(data):
		n = int.from_bytes(data[pos:pos + 4], "big")
		kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
		if kind == b"IHDR":
			width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
			if body[8:13] != bytes([8, 2, 0, 0, 0]):
				raise ValueError(f"{path}: not an 8-bit RGB PNG as rrcnn render writes them")
		elif kind == b"IDAT":
			idat += body
		pos += 12 + n
	raw = zlib.decompress(idat)
	stride = 1 + 3 * width
	if len(raw) != stride * height or any(raw[r * stride] != 0 for r in range(height)):
		raise ValueError(f"{path}: unexpected PNG filtering or size")
	px = torch.frombuffer(bytearray(raw), dtype=torch.uint8).reshape(height, stride)[:, 1:]
	return px.reshape(height, width, 3)[..., 0].to(torch.int32)


def check_checkpoint(rrcnn, ckpt, steps_list, digits, layout):
	"""[(what, steps, ours, torch, difference)] against our CPU backend."""
	params, meta = T.read_safetensors(ckpt)
	cfg = T.config_from_metadata(meta)
	model = T.RRCNN(cfg, layout)
	T.set_params(model, params)
	clean = held_out_digits(os.path.join(ROOT, "assets", "mnist-10k-images-idx3-ubyte.gz"), 0, digits)
	H, W = cfg["height"], cfg["width"]
	rows = []
	s, done = T.initial_state(clean, cfg["channels"], layout), 0
	with tempfile.TemporaryDirectory() as tmp:
		for steps in sorted(steps_list):
			with torch.no_grad():
				for _ in range(steps - done):
					s = model.step(s, 0.0)
			done = steps
			img = s[:, -1].detach()
			mse_torch = float(((img.clamp(0, 1).double() - clean.double()) ** 2).mean())
			out = subprocess.run([rrcnn, "eval", "--ckpt", ckpt, "--alphas", "0", "--dropout", "0",
				"--steps", str(steps), "--count", str(digits), "--batch", str(digits), "--backend", "cpu",
				"--json"], check=True, capture_output=True, text=True).stdout
			mse_ours = json.loads(out)["levels"][0]["mse"]
			rows.append(("eval MSE (rel. diff)", steps, mse_ours, mse_torch, abs(mse_ours - mse_torch) / max(mse_ours, 1e-30)))
			png = os.path.join(tmp, f"r{steps}.png")
			subprocess.run([rrcnn, "render", "--ckpt", ckpt, "--alpha", "0", "--dropout", "0", "--steps",
				str(steps), "--frame", str(steps), "--digits", str(digits), "--scale", "1", "--backend", "cpu",
				"--out", png], check=True, capture_output=True)
			grey = read_png_grey(png)
			gap = 2  # core/frames.h compose_rows' default
			live = torch.stack([grey[2 * gap + H:2 * gap + 2 * H, gap + b * (W + gap):gap + b * (W + gap) + W]
				for b in range(digits)])
			diff = (live - render_pixels(img).to(torch.int32)).abs()
			rows.append(("render pixels differing / max grey diff", steps, int((diff > 0).sum()), int(live.numel()), int(diff.max())))
	return rows


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--golden", default=os.path.join(ROOT, "tests", "golden", "golden.safetensors"))
	ap.add_argument("--rrcnn", default=os.path.join(ROOT, "build", "app", "rrcnn"), help="our binary ('' skips part 2)")
	ap.add_argument("--ckpt", default=os.path.join(ROOT, "assets", "rrcnn-seed.safetensors"))
	ap.add_argument("--steps", default="1,4,64", help="step counts for the checkpoint comparison")
	ap.add_argument("--digits", type=int, default=8)
	ap.add_argument("--layout", choices=T.LAYOUTS, default="nchw")
	ap.add_argument("--threads", type=int, default=0)
	args = ap.parse_args()
	torch.set_num_threads(args.threads or os.cpu_count())
	ok = True

	gold, meta = T.read_safetensors(args.golden)
	print(f"1. golden values ({os.path.relpath(args.golden, ROOT)}; {meta.get('versions', '')}), torch {torch.__version__}, layout {args.layout}")
	print(f"   {'tensor':<52} {'max abs err / scale':>20} {'scale':>10}")
	worst = 0.0
	for name in meta["configs"].split(","):
		for what, err, scale in check_golden_config(gold, meta, name, args.layout):
			worst = max(worst, err)
			flag = "" if err <= GOLDEN_REL else "   <-- beyond " + str(GOLDEN_REL)
			ok &= err <= GOLDEN_REL
			print(f"   {what:<52} {err:20.2e} {scale:10.3g}{flag}")
	print(f"   worst: {worst:.2e} of scale")

	if args.rrcnn:
		if not os.path.exists(args.rrcnn):
			sys.exit(f"check_torch.py: {args.rrcnn}: no such binary (build it, or pass --rrcnn '' to skip part 2)")
		steps = [int(s) for s in args.steps.split(",")]
		print(f"\n2. {os.path.relpath(args.ckpt, ROOT)} vs `{os.path.relpath(args.rrcnn, ROOT)}` (CPU), no dropout, alpha 0, {args.digits} held-out digits")
		for what, st, a, b, d in check_checkpoint(args.rrcnn, args.ckpt, steps, args.digits, args.layout):
			if what.startswith("eval"):
				ok &= d <= MSE_REL
				print(f"   {st:4d} steps  {what:<40} ours {a:.6g}  torch {b:.6g}  {d:.2e}")
			else:
				# Truncation to uint8 can flip a grey level where the two floats straddle a step.
				ok &= d <= 1 and a <= 0.01 * b
				print(f"   {st:4d} steps  {what:<40} {a} of {b}, max {d}")
	print("\nsame model: " + ("yes" if ok else "NO"))
	return 0 if ok else 1


if __name__ == "__main__":
	sys.exit(main())
