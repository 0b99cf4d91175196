"""The same damage on several models side by side, with row labels, for docs/quality.md.

Each input is the JSON of `rrcnn eval --repair --picture FILE.png --json` (the picture's path,
its rows and geometry are in its "picture" part) with an optional =LABEL. The pictures are
placed left to right under their labels; the row names are written once on the left. Made with
the same flags, every picture shows the same digits, noise, dropout masks and erase discs.

  /usr/bin/python3 tools/quality/compose_repair.py seed.json=seed-recipe pool.json=persistent \
      --out docs/images/quality-repair.png

Needs Debian's python3-pil.
"""

import argparse
import json
import os

from PIL import Image, ImageDraw, ImageFont


def font(size):
	for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
		try:
			return ImageFont.truetype(path, size)
		except OSError:
			pass
	return ImageFont.load_default()


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("inputs", nargs="+", help="EVAL.json or EVAL.json=LABEL")
	ap.add_argument("--out", required=True, help="PNG to write")
	args = ap.parse_args()
	items = []
	for arg in args.inputs:
		path, _, label = arg.partition("=")
		with open(path) as f:
			data = json.load(f)
		pic = data["picture"]
		png = pic["path"]
		if not os.path.exists(png):  # results moved or made on another machine: look beside the JSON
			png = os.path.join(os.path.dirname(os.path.abspath(path)), os.path.basename(png))
		items.append((label or data["checkpoint"], pic, Image.open(png).convert("RGB")))
	rows = items[0][1]["rows"]
	for label, pic, _ in items:
		if pic["rows"] != rows:
			raise SystemExit(f"{label}: its picture has other rows than the first one ({pic['rows']} vs {rows})")
	text, title = font(14), font(16)
	left, top, gap = 210, 30, 24
	width = left + sum(img.width for _, _, img in items) + gap * (len(items) - 1) + 8
	height = top + max(img.height for _, _, img in items) + 4
	out = Image.new("RGB", (width, height), (255, 255, 255))
	draw = ImageDraw.Draw(out)
	pic0 = items[0][1]
	tile = 28 * pic0["cell_pixels"]
	for r, name in enumerate(rows):
		y = top + pic0["gap"] + r * (tile + pic0["gap"]) + tile // 2
		draw.text((left - 10, y), name, fill=(0, 0, 0), font=text, anchor="rm")
	x = left
	for label, _, img in items:
		out.paste(img, (x, top))
		draw.text((x + img.width // 2, top // 2), label, fill=(0, 0, 0), font=title, anchor="mm")
		x += img.width + gap
	out.save(args.out)
	print(f"wrote {args.out}")


if __name__ == "__main__":
	main()
