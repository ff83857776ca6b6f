#!/usr/bin/env bash
# Renders trainbench.svg into the PNG sizes the hicolor theme and the Windows/macOS icons use.
# Needs rsvg-convert (Debian: librsvg2-bin). The PNGs are committed; run this after editing the SVG.
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 24 32 48 64 128 256 512; do
  rsvg-convert -w "$size" -h "$size" trainbench.svg -o "trainbench-$size.png"
done

# Windows .ico: PNG images embedded as ICO entries (supported since Windows Vista).
python3 - <<'PY'
import struct
sizes = [16, 24, 32, 48, 64, 256]
blobs = [open(f"trainbench-{s}.png", "rb").read() for s in sizes]
offset = 6 + 16 * len(sizes)
out = struct.pack("<HHH", 0, 1, len(sizes))
for s, blob in zip(sizes, blobs):
    out += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(blob), offset)
    offset += len(blob)
open("trainbench.ico", "wb").write(out + b"".join(blobs))
PY
