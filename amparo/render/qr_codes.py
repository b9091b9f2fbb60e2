"""QR codes for printed material, made at build time by segno.

Error correction H: up to about 30 % of the code can be worn, torn or covered and it still
reads, which a poster on a bathroom door needs. The quiet zone (four modules, as the standard
asks) is part of the image, so a printed code never touches the text around it.
"""

from __future__ import annotations

import functools

import segno

QUIET_ZONE = 4


@functools.lru_cache(maxsize=None)
def qr_code(address: str) -> segno.QRCode:
    # boost_error=False: always H, never a smaller code that only happens to reach H.
    return segno.make(address, error="h", micro=False, boost_error=False)


@functools.lru_cache(maxsize=None)
def qr_svg_file(address: str) -> str:
    """A standalone SVG file (to download and print at any size)."""
    import io

    out = io.BytesIO()
    qr_code(address).save(out, kind="svg", border=QUIET_ZONE, scale=10, xmldecl=True, svgns=True,
                          title=address, light="#fff", dark="#000")
    return out.getvalue().decode("utf-8")


@functools.lru_cache(maxsize=None)
def qr_svg_inline(address: str) -> str:
    """The same code as inline SVG for an HTML page: it scales with its box, and screen readers
    skip it (the address is written next to it)."""
    svg = qr_code(address).svg_inline(border=QUIET_ZONE, scale=1, omitsize=True, light="#fff", dark="#000")
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
