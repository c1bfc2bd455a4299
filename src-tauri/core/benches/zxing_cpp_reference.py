#!/usr/bin/env python3
"""zxing-cpp reference for benches/qr_decode.rs (same images, same machine, same run).

Reads image paths (one per line) on stdin and prints one JSON object per image on stdout:
{"path": ..., "texts": [...], "ms": <median decode time in milliseconds>}.
The image is loaded with Pillow outside the timed region; the timed region is
zxingcpp.read_barcodes (QR only, its defaults: try_harder, try_rotate, try_invert, try_downscale),
which includes the conversion to luminance, as the Rust side's timing does.
Needs: pip install zxing-cpp pillow. Exit code 3 when zxingcpp or Pillow is missing.
"""
import json
import statistics
import sys
import time

try:
    import zxingcpp
    from PIL import Image
except ImportError as e:  # pragma: no cover
    print(f"zxing-cpp reference unavailable: {e}", file=sys.stderr)
    sys.exit(3)

REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def main():
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        img = Image.open(path)
        img.load()
        texts, times = [], []
        for _ in range(REPS):
            t0 = time.perf_counter()
            results = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
            times.append((time.perf_counter() - t0) * 1000.0)
            texts = [r.text for r in results if r.valid]
        print(json.dumps({"path": path, "texts": texts, "ms": statistics.median(times)}), flush=True)


if __name__ == "__main__":
    main()
