"""The PNG data of an image embedded in a PDF, encoded once per process instead of once per document.

Why: WeasyPrint 70 embeds a PNG by decoding it and encoding its pixels again with Pillow
(``RasterImage._get_png_data``), on every document; an image with an alpha channel is encoded twice (colour and
mask). The memo's Garuda (static/img/garuda/garuda-print.png, grey + alpha, 600 dpi) cost about 10 ms of every
memo PDF that way (3 % of the memo; bench/documents_bench.py), for the same bytes each time. Here the encoded
data is kept by the pixels' digest: an image drawn again (the Garuda, an agency's emblem) costs a digest of its
pixels (well under a millisecond at this size); a new image is encoded as before. What is embedded is byte for
byte what WeasyPrint would have written.

Pin: this wraps the name ``weasyprint.images.RasterImage._get_png_data``; :mod:`reports.pdftext` refuses any
WeasyPrint but the pinned one, and ``FINGERPRINT`` below catches a change of the wrapped function's source.
"""

from __future__ import annotations

import hashlib
import inspect
from collections import OrderedDict
from threading import Lock

from weasyprint.images import RasterImage

FINGERPRINT = "weasyprint.images.RasterImage._get_png_data"
KEPT = 32  # a handful of images recur (the Garuda, emblems); QR codes are one per sealed memo
MAX_PIXELS = 4_000_000  # bigger images (uploaded evidence is not drawn here, but be safe) are not kept

_weasyprint_get_png_data = RasterImage._get_png_data
_kept: OrderedDict[tuple, bytes] = OrderedDict()
_lock = Lock()
_installed = False


def source_digest() -> str:
    return hashlib.sha256(inspect.getsource(_weasyprint_get_png_data).encode()).hexdigest()


def _get_png_data(pillow_image) -> bytes:
    width, height = pillow_image.size
    if width * height > MAX_PIXELS:
        return _weasyprint_get_png_data(pillow_image)
    key = (pillow_image.mode, width, height, hashlib.blake2b(pillow_image.tobytes(), digest_size=20).digest())
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    data = _weasyprint_get_png_data(pillow_image)
    with _lock:
        _kept[key] = data
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return data


def install() -> None:
    global _installed
    if _installed:
        return
    RasterImage._get_png_data = staticmethod(_get_png_data)
    _installed = True
