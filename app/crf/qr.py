"""QR codes drawn as vector rectangles from segno's module matrix.

One filled path with a rectangle per horizontal run of dark modules: about four times fewer
rectangles than one per module, sharp at any print resolution, and no raster image to embed.
"""

from __future__ import annotations

import segno
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 2  # modules; the white margin around the code (4 is the ISO default, 2 scans fine)


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of `payload` with its lower-left corner at (x, y), `size` points wide."""
    qr = segno.make_qr(payload, error="m", boost_error=False)
    matrix = qr.matrix
    count = len(matrix) + 2 * QUIET_ZONE
    module = size / count
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + QUIET_ZONE) * module
        start = -1
        for col, dark in enumerate((*row, 0)):
            if dark and start < 0:
                start = col
            elif not dark and start >= 0:
                path.rect(
                    x + (start + QUIET_ZONE) * module, top - module, (col - start) * module, module
                )
                start = -1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
