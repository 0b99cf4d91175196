"""The anchor of docs/quality.md: a DnCNN-style CNN of about the automaton's size, trained the way
the automaton is (issue 19), and scored by `rrcnn eval` itself.

Architecture (Zhang et al. 2017, DnCNN, shrunk): 8 layers of 3x3 convolutions with 24 channels
(conv+ReLU, 6 x conv+batch norm+ReLU, conv), residual: the network predicts the noise and the
output is the noisy input minus it. 31,849 parameters (the seed automaton trains 33,088).

Training: the embedded MNIST subset's 9,000 training digits (the first 9,000 of
assets/mnist-10k-images-idx3-ubyte.gz, pixels / 255), the project's noise formula
noisy = clip((1 - alpha) clean + alpha n, 0, 1), n ~ N(0, 1) per pixel, alpha ~ U(0, 1) per
digit, fresh noise every epoch; loss: MSE of the output against the clean digit; Adam,
learning rate 1e-3 with a cosine schedule to 0, batch 64, 20 epochs.

Scoring: `rrcnn eval --dump-noisy` writes the very noisy held-out inputs the automaton sees; this
script denoises them and `rrcnn eval --score` scores the outputs (clipped MSE, PSNR of the mean
MSE, 95% intervals), so the protocol and the noise draws are identical. tools/anchor/run_anchor.sh
does all three steps.

  python3 tools/anchor/dncnn.py train --out tools/anchor/dncnn.pt [--log train.jsonl]
  python3 tools/anchor/dncnn.py denoise --model tools/anchor/dncnn.pt --noisy noisy.safetensors \
      --out denoised.safetensors

Needs PyTorch (Debian: apt install python3-torch) and numpy. Runs on the CPU with --threads
(default 2) threads; training takes about 10 minutes on two cores.
"""

import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_IMAGES = os.path.join(ROOT, "assets", "mnist-10k-images-idx3-ubyte.gz")


class DnCNN(nn.Module):
	def __init__(self, layers=8, channels=24):
		super().__init__()
		body = [nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(inplace=True)]
		for _ in range(layers - 2):
			body += [nn.Conv2d(channels, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels),
			         nn.ReLU(inplace=True)]
		body.append(nn.Conv2d(channels, 1, 3, padding=1))
		self.body = nn.Sequential(*body)

	def forward(self, noisy):
		return noisy - self.body(noisy)  # residual: the body predicts the noise


def read_idx_images(path):
	opener = gzip.open if path.endswith(".gz") else open
	with opener(path, "rb") as f:
		data = f.read()
	magic, n, h, w = struct.unpack(">IIII", data[:16])
	if magic != 2051:
		raise SystemExit(f"{path}: not an IDX image file (magic {magic})")
	return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, h, w).astype(np.float32) / 255.0


def read_safetensors(path):
	with open(path, "rb") as f:
		data = f.read()
	(n,) = struct.unpack("<Q", data[:8])
	header = json.loads(data[8:8 + n])
	meta = header.pop("__metadata__", {})
	out = {}
	for name, t in header.items():
		if t["dtype"] != "F32":
			raise SystemExit(f"{path}: tensor {name} is {t['dtype']}, expected F32")
		b, e = t["data_offsets"]
		out[name] = np.frombuffer(data, dtype="<f4", count=(e - b) // 4, offset=8 + n + b).reshape(t["shape"])
	return out, meta


def write_safetensors(path, tensors, meta):
	header, blobs, offset = {"__metadata__": meta}, [], 0
	for name, arr in tensors.items():
		raw = np.ascontiguousarray(arr, dtype="<f4").tobytes()
		header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
		blobs.append(raw)
		offset += len(raw)
	h = json.dumps(header).encode()
	h += b" " * (-len(h) % 8)
	tmp = path + ".tmp"
	with open(tmp, "wb") as f:
		f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
	os.replace(tmp, path)


def add_noise(clean, gen):
	alpha = torch.rand(clean.shape[0], 1, 1, 1, generator=gen)
	n = torch.randn(clean.shape, generator=gen)
	return ((1 - alpha) * clean + alpha * n).clamp(0, 1)


def train(args):
	torch.manual_seed(args.seed)
	gen = torch.Generator().manual_seed(args.seed)
	images = read_idx_images(args.images)
	clean = torch.from_numpy(images[:9000]).unsqueeze(1)  # the training split; the last 1,000 are held out
	model = DnCNN()
	params = sum(p.numel() for p in model.parameters())
	steps_per_epoch = math.ceil(len(clean) / args.batch)
	total = steps_per_epoch * args.epochs
	opt = torch.optim.Adam(model.parameters(), lr=args.lr)
	sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total)
	# Each finished epoch is saved beside the output (OUT.epoch) with the optimiser, schedule and
	# random states, so a run stopped at a session's end continues where it was with --resume
	# and gives the same weights as an uninterrupted one.
	state_path, first_epoch, step, spent = args.out + ".epoch", 0, 0, 0.0
	if args.resume and os.path.exists(state_path):
		st = torch.load(state_path)
		model.load_state_dict(st["model"])
		opt.load_state_dict(st["opt"])
		sched.load_state_dict(st["sched"])
		gen.set_state(st["gen"])
		torch.set_rng_state(st["torch_rng"])
		first_epoch, step, spent = st["epoch"] + 1, st["step"], st["seconds"]
		print(f"resuming after epoch {first_epoch} from {state_path}", file=sys.stderr)
	log = open(args.log, "a" if first_epoch else "w") if args.log else None
	print(f"DnCNN: {params} parameters, {len(clean)} training digits, {args.epochs} epochs of "
	      f"{steps_per_epoch} steps (batch {args.batch})", file=sys.stderr)
	t0 = time.time() - spent
	model.train()
	for epoch in range(first_epoch, args.epochs):
		order = torch.randperm(len(clean), generator=gen)
		total_loss = 0.0
		for i in range(steps_per_epoch):
			y = clean[order[i * args.batch:(i + 1) * args.batch]]
			x = add_noise(y, gen)
			loss = torch.mean((model(x) - y) ** 2)
			opt.zero_grad()
			loss.backward()
			opt.step()
			sched.step()
			total_loss += loss.item()
			if log:
				log.write(json.dumps({"step": step, "epoch": epoch, "loss": loss.item(), "lr": sched.get_last_lr()[0],
				                      "seconds": round(time.time() - t0, 2)}) + "\n")
			step += 1
		print(f"epoch {epoch + 1}/{args.epochs}: mean loss {total_loss / steps_per_epoch:.5f} "
		      f"({time.time() - t0:.0f} s)", file=sys.stderr)
		if log:
			log.flush()
		torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
		            "gen": gen.get_state(), "torch_rng": torch.get_rng_state(), "epoch": epoch, "step": step,
		            "seconds": time.time() - t0}, state_path + ".tmp")
		os.replace(state_path + ".tmp", state_path)
	torch.save({"state_dict": model.state_dict(), "parameters": params, "epochs": args.epochs, "batch": args.batch,
	            "lr": args.lr, "seed": args.seed, "seconds": time.time() - t0, "torch": torch.__version__}, args.out)
	print(f"wrote {args.out} ({time.time() - t0:.0f} s)", file=sys.stderr)


def denoise(args):
	saved = torch.load(args.model)
	model = DnCNN()
	model.load_state_dict(saved["state_dict"])
	model.eval()  # batch norm with its running statistics, as a user would run it
	tensors, meta = read_safetensors(args.noisy)
	out = {}
	with torch.no_grad():
		for name, arr in tensors.items():
			if not name.startswith("noisy/"):
				continue
			x = torch.from_numpy(arr.copy()).unsqueeze(1)
			y = torch.cat([model(x[i:i + 500]) for i in range(0, len(x), 500)])
			out["denoised/" + name[len("noisy/"):]] = y.squeeze(1).numpy()  # raw: rrcnn eval clips
	if not out:
		raise SystemExit(f"{args.noisy}: no noisy/LEVEL tensors (write it with rrcnn eval --dump-noisy)")
	params = saved["parameters"]
	write_safetensors(args.out, out, {"method": f"DnCNN, {params / 1000:.1f}k params ({params})",
	                                  "format": "rrcnn-eval-denoised"})
	print(f"wrote {args.out}: {', '.join(out)}", file=sys.stderr)


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--threads", type=int, default=2)
	sub = ap.add_subparsers(dest="cmd", required=True)
	t = sub.add_parser("train")
	t.add_argument("--out", required=True)
	t.add_argument("--images", default=DEFAULT_IMAGES)
	t.add_argument("--epochs", type=int, default=20)
	t.add_argument("--batch", type=int, default=64)
	t.add_argument("--lr", type=float, default=1e-3)
	t.add_argument("--seed", type=int, default=0)
	t.add_argument("--log")
	t.add_argument("--resume", action="store_true", help="continue from OUT.epoch when it exists")
	d = sub.add_parser("denoise")
	d.add_argument("--model", required=True)
	d.add_argument("--noisy", required=True)
	d.add_argument("--out", required=True)
	args = ap.parse_args()
	torch.set_num_threads(args.threads)
	train(args) if args.cmd == "train" else denoise(args)


if __name__ == "__main__":
	main()
