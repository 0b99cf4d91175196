#!/usr/bin/env python3
"""Sets string keys of a safetensors file's __metadata__, leaving every tensor byte as it was.

Used once for assets/rrcnn-pool.safetensors: the binary that trained it predates the `recipe`
key, which the studio reads to run a pool model indefinitely. Writes FILE.tmp, then renames.

  python3 tools/assets/set_metadata.py FILE recipe=pool [key=value ...]
"""
import json
import os
import struct
import sys


def main():
	if len(sys.argv) < 3 or any("=" not in kv for kv in sys.argv[2:]):
		sys.exit(__doc__.strip().splitlines()[-1].strip())
	path = sys.argv[1]
	with open(path, "rb") as f:
		blob = f.read()
	if len(blob) < 8:
		sys.exit(f"{path}: too short for a safetensors file")
	(n,) = struct.unpack("<Q", blob[:8])
	if n > len(blob) - 8:
		sys.exit(f"{path}: header length {n} runs past the end of the file ({len(blob)} bytes)")
	header = json.loads(blob[8:8 + n])
	meta = header.setdefault("__metadata__", {})
	for kv in sys.argv[2:]:
		key, value = kv.split("=", 1)
		meta[key] = value
	text = json.dumps(header, separators=(",", ":")).encode()
	text += b" " * (-len(text) % 8)  # tensor data stays 8-byte aligned, as the format asks
	with open(path + ".tmp", "wb") as f:
		f.write(struct.pack("<Q", len(text)) + text + blob[8 + n:])
	os.replace(path + ".tmp", path)


if __name__ == "__main__":
	main()
