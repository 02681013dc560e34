"""Uploaded images, checked by what they decode to rather than by their file size.

A 32 KB PNG can claim 12,000 × 12,000 pixels: Pillow decodes it into 576 MB, and every memo PDF that prints it
took 8 s and 1.2 GB (issue 11, item 7). So an image is refused when its header announces more than
``IMAGE_MAX_PIXELS`` (25 megapixels unless set; Pillow's own decompression-bomb guard is held to the same
number), before any pixel is decoded; and an image that is printed is re-encoded on upload to the size it is
printed at, so documents never decode more than they show.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

# The emblem is printed 1.5 cm wide on the memo: 1.5 / 2.54 × 300 dpi ≈ 177 px.
PRINTED_EMBLEM_PIXELS = 180


def max_pixels() -> int:
    return getattr(settings, "IMAGE_MAX_PIXELS", 25_000_000)


def _too_large(name: str) -> ValidationError:
    return ValidationError(
        _("รูป “%(name)s” มีจำนวนพิกเซลเกินกำหนด %(limit)s ล้านพิกเซล ย่อรูปก่อนอัปโหลด")
        % {"name": name, "limit": f"{max_pixels() / 1_000_000:g}"},
        code="too_many_pixels",
    )


def check_pixels(upload: UploadedFile) -> tuple[int, int]:
    """The image's (width, height) from its header; ``ValidationError`` in Thai, naming the limit, when it
    claims more pixels than allowed or cannot be read as an image."""
    name = Path(upload.name or "").name
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # reads the header only
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(name) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("ไฟล์ “%(name)s” ไม่ใช่รูปภาพที่อ่านได้") % {"name": name}, code="bad_image") from exc
    finally:
        upload.seek(0)
    if width * height > max_pixels():
        raise _too_large(name)
    return width, height


def reencode_for_print(upload: UploadedFile, *, pixels: int = PRINTED_EMBLEM_PIXELS) -> SimpleUploadedFile:
    """A PNG no larger than ``pixels`` on its longer side (transparency kept), after :func:`check_pixels`. The
    stored file is then what the documents print, whatever was uploaded."""
    check_pixels(upload)
    with Image.open(upload) as image:
        image.load()
        image = image.convert("RGBA") if image.mode not in ("RGB", "RGBA", "L", "LA") else image
        image.thumbnail((pixels, pixels), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
    upload.seek(0)
    stem = Path(upload.name or "image").stem or "image"
    return SimpleUploadedFile(f"{stem}.png", buffer.getvalue(), content_type="image/png")


class CheckedImageField(forms.ImageField):
    """Django's image field, with the pixel count checked first: Django's own check opens the image with
    Pillow, whose bomb guard would answer a generic "not a valid image" instead of naming the limit."""

    def to_python(self, data):
        if data is not None and hasattr(data, "read"):
            check_pixels(data)
        return super().to_python(data)
