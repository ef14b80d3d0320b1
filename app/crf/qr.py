"""QR codes drawn as vector rectangles from segno's module matrix.

Measured (bench/bench_crf.py): segno's automatic mask choice costs ~3 ms a code and one path call
per rectangle ~2 ms, which made QR codes most of a casebook's time. So the mask is fixed (any of the
eight masks is valid ISO 18004 and scanners read it; the choice only avoids awkward patterns) and the
rectangles, one per horizontal run of dark modules in module units, go to the page as one literal
fill operation: ~1 ms a code, sharp at any resolution, no raster image.
"""

from __future__ import annotations

import segno
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 2  # modules of white margin (ISO asks 4; 2 scans fine and the header has white around)
MASK = 0


def dark_runs(payload: str) -> tuple[int, list[tuple[int, int, int]]]:
    """(modules per side, [(row, first column, length)]) of the code of `payload`."""
    matrix = segno.make_qr(payload, error="m", boost_error=False, mask=MASK).matrix
    runs: list[tuple[int, int, int]] = []
    for row_index, row in enumerate(matrix):
        start = -1
        for col, dark in enumerate((*row, 0)):
            if dark and start < 0:
                start = col
            elif not dark and start >= 0:
                runs.append((row_index, start, col - start))
                start = -1
    return len(matrix), runs


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of `payload` with its lower-left corner at (x, y), `size` points wide."""
    count, runs = dark_runs(payload)
    module = size / (count + 2 * QUIET_ZONE)
    canvas.saveState()
    # module units, origin at the top-left module, rows downwards
    canvas.translate(x + QUIET_ZONE * module, y + size - QUIET_ZONE * module)
    canvas.scale(module, -module)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(" ".join(f"{col} {row} {length} 1 re" for row, col, length in runs) + " f")
    canvas.restoreState()
