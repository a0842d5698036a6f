"""Chart pictures for the slides: a Vega-Lite spec with its data inline → PNG (vl-convert)."""

from __future__ import annotations

import json

SCALE = 1.5


def png_of_spec(spec: dict, scale: float = SCALE) -> bytes:
    """A Vega-Lite spec (a dict with its data inline) as PNG bytes."""
    import vl_convert as vlc
    return vlc.vegalite_to_png(json.dumps(spec), scale=scale)
