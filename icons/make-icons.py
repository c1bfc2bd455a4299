#!/usr/bin/env python3
"""Draws the SPSE Authenticator icon and writes every size Tauri bundles need.

Run from anywhere: `python3 icons/make-icons.py` (needs Pillow: `pip install pillow`).
The design: a rounded blue square, a white countdown ring with its remaining arc in amber,
and a white shield with a keyhole in the middle — a one-time code that expires.
"""
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
S = 1024  # master size, drawn at 4x and downsampled for smooth edges
K = 4


def master() -> Image.Image:
    n = S * K
    img = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = int(n * 0.06)
    d.rounded_rectangle([pad, pad, n - pad, n - pad], radius=int(n * 0.2), fill=(21, 72, 153, 255))
    # countdown ring: faint full circle, bright remaining arc
    r0 = int(n * 0.22)
    box = [r0, r0, n - r0, n - r0]
    w = int(n * 0.055)
    d.ellipse(box, outline=(255, 255, 255, 70), width=w)
    d.arc(box, start=-90, end=180, fill=(255, 193, 7, 255), width=w)
    # shield
    cx, cy = n / 2, n / 2
    sw, sh = n * 0.26, n * 0.3
    top = cy - sh / 2
    pts = [
        (cx - sw / 2, top + sh * 0.12),
        (cx, top),
        (cx + sw / 2, top + sh * 0.12),
        (cx + sw / 2, top + sh * 0.5),
        (cx, top + sh),
        (cx - sw / 2, top + sh * 0.5),
    ]
    d.polygon(pts, fill=(255, 255, 255, 255))
    # keyhole
    kr = n * 0.035
    d.ellipse([cx - kr, cy - kr * 1.8, cx + kr, cy + kr * 0.2], fill=(21, 72, 153, 255))
    d.polygon([(cx - kr * 0.55, cy - kr * 0.3), (cx + kr * 0.55, cy - kr * 0.3),
               (cx + kr * 0.9, cy + kr * 2.4), (cx - kr * 0.9, cy + kr * 2.4)], fill=(21, 72, 153, 255))
    return img.resize((S, S), Image.LANCZOS)


def main() -> None:
    m = master()
    for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
        m.resize((size, size), Image.LANCZOS).save(HERE / name)
    m.save(HERE / "icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    m.save(HERE / "icon.icns")
    print("icons written to", HERE)


if __name__ == "__main__":
    main()
