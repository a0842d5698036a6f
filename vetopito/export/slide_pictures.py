"""Chart pictures for the slides: a Vega-Lite spec with its data inline → PNG (vl-convert), each
distinct spec rendered once (`picture`)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

SCALE = 1.5
PICTURE_CACHE_SIZE = 256     # about 50–90 kB each: a few cohorts' decks


def png_of_spec(spec: dict, scale: float = SCALE) -> bytes:
    """A Vega-Lite spec (a dict with its data inline) as PNG bytes; a spec that names any outside
    address (data url, image) is refused, so a deck never fetches."""
    import vl_convert as vlc
    return vlc.vegalite_to_png(json.dumps(spec), scale=scale, allowed_base_urls=[])


_pictures: OrderedDict[str, bytes] = OrderedDict()
_pictures_lock = threading.Lock()


def _spec_key(spec: dict, scale: float) -> str:
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{scale}\n{text}".encode()).hexdigest()


def picture(spec: dict, scale: float = SCALE) -> bytes:
    """The PNG of a Vega-Lite spec, rendered once per spec: a cohort's PPTX and PDF (two clicks,
    maybe two threads) share every picture. Content-addressed (the spec holds its data), so a
    cached picture is only ever handed to a caller who built the very same spec."""
    key = _spec_key(spec, scale)
    with _pictures_lock:
        if key in _pictures:
            _pictures.move_to_end(key)
            return _pictures[key]
    png = png_of_spec(spec, scale)
    with _pictures_lock:
        _pictures[key] = png
        while len(_pictures) > PICTURE_CACHE_SIZE:
            _pictures.popitem(last=False)
    return png


def clear_pictures() -> None:
    with _pictures_lock:
        _pictures.clear()
