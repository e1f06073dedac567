"""QR codes as inline SVG (segno): printable, no script, and no request to anyone else."""

import functools

import segno


@functools.lru_cache(maxsize=64)  # a control screen shows its join code on every refresh
def qr_svg(text: str, title: str, scale: int = 6) -> str:
    return segno.make(text, error="m").svg_inline(
        scale=scale, dark="#000", light="#fff", title=title, border=2
    )
