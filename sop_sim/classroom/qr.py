"""QR codes of seat links as inline SVG (segno), so a phone can open its seat from the console."""

from __future__ import annotations

import io
from functools import lru_cache

import segno


@lru_cache(maxsize=1024)
def qr_svg(url: str, scale: int = 3) -> str:
    """An inline ``<svg>`` element encoding ``url`` (no XML declaration, ready to embed)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=scale, xmldecl=False, svgns=True,
                                    svgclass="qr", lineclass=None, title=url)
    return buf.getvalue().decode("utf-8")
