#!/usr/bin/env python3
"""zxing-cpp reference for benches/qr_decode.rs (same images, same machine, same run).

Reads one request per line on stdin, "<reps>\t<image path>", and answers each at once with one
JSON object on stdout: {"path": ..., "texts": [...], "ms": <median of <reps> decode times, ms>}.
"0\t-" is a probe and warm-up, answered {"ready": true}. The bench alternates its own timing and this one image by image, so both sides see the same load.
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

# Decodes of a blank 1920×1080 image before the first timed one (the first decodes of a fresh
# process run slower: caches, allocator, clock ramp-up); the bench warms its own side alike.
WARM_UP = 10


def main():
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        line = line.rstrip("\n")
        if not line:
            continue
        reps, path = line.split("\t", 1)
        if int(reps) == 0:  # the bench's "are you there?" probe, and a warm-up
            blank = Image.new("L", (1920, 1080), 255)
            for _ in range(WARM_UP):
                zxingcpp.read_barcodes(blank, formats=zxingcpp.BarcodeFormat.QRCode)
            print(json.dumps({"ready": True}), flush=True)
            continue
        img = Image.open(path)
        img.load()
        texts, times = [], []
        for _ in range(int(reps)):
            t0 = time.perf_counter()
            results = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
            times.append((time.perf_counter() - t0) * 1000.0)
            texts = [r.text for r in results if r.valid]
        print(json.dumps({"path": path, "texts": texts, "ms": statistics.median(times)}), flush=True)


if __name__ == "__main__":
    main()
