"""reports.pdfimages: an image drawn again is not encoded again, and what is embedded is WeasyPrint's own."""

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from weasyprint.images import RasterImage

from reports import pdfimages, pdftext
from reports.documents.base import garuda_data_uri


def test_png_data_is_encoded_once_per_image(monkeypatch):
    calls = []
    original = pdfimages._weasyprint_get_png_data

    def counting(pillow_image):
        calls.append(pillow_image.size)
        return original(pillow_image)

    monkeypatch.setattr(pdfimages, "_weasyprint_get_png_data", counting)
    monkeypatch.setattr(pdfimages, "_kept", type(pdfimages._kept)())
    grey, black = Image.new("LA", (40, 30), (128, 255)), Image.new("LA", (40, 30), (0, 255))
    first = pdfimages._get_png_data(grey)
    again = pdfimages._get_png_data(grey.copy())
    other = pdfimages._get_png_data(black)
    assert first == again != other
    assert calls == [(40, 30), (40, 30)]  # the grey image once, the black one once
    assert first == original(grey)


def _images(pdf: bytes, folder: Path, name: str) -> list[bytes]:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdfimages", "-png", str(path), str(folder / name)], check=True)
    return [p.read_bytes() for p in sorted(folder.glob(f"{name}-*.png"))]


def test_the_garuda_embedded_from_the_kept_data_is_the_same_picture(tmp_path, monkeypatch):
    pytest.importorskip("shutil").which("pdfimages") or pytest.skip("poppler-utils missing")
    html = f'<html><body><img style="height:1.5cm" src="{garuda_data_uri()}"></body></html>'
    pdftext.install()
    kept = [_images(pdftext.render_pdf(html), tmp_path, f"kept{i}") for i in range(2)]
    monkeypatch.setattr(RasterImage, "_get_png_data", staticmethod(pdfimages._weasyprint_get_png_data))
    plain = _images(pdftext.render_pdf(html), tmp_path, "plain")
    assert len(plain) == 2  # the grey picture and its alpha mask
    assert kept[0] == kept[1] == plain
