"""Generated avatars: a symmetric 5×5 pattern from a hash, as SVG. No outside service."""

import colorsys
import hashlib


def identicon_svg(seed: str, size: int = 80) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    hue = digest[0] / 255
    r, g, b = colorsys.hls_to_rgb(hue, 0.42, 0.55)
    colour = f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"
    cells = []
    for row in range(5):
        for col in range(3):
            if digest[1 + row * 3 + col] % 2:
                cells.append((col, row))
                if col < 2:
                    cells.append((4 - col, row))
    rects = "".join(f'<rect x="{x + 0.5}" y="{y + 0.5}" width="1" height="1"/>' for x, y in cells)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 6 6" width="{size}" '
        f'height="{size}" shape-rendering="crispEdges"><rect width="6" height="6" fill="#f0f0f0"/>'
        f'<g fill="{colour}">{rects}</g></svg>'
    )


def avatar_seed(value: str) -> str:
    """A stable, non-reversible seed for a user or a guest's e-mail."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
