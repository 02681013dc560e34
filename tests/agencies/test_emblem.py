"""The agency's emblem is checked by pixel count and stored at the size it is printed (issue 11, item 7)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def png(width, height, mode="RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), 1 if mode == "1" else (180, 20, 20, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(client, agency, data: bytes, name="ครุฑ.png"):
    return client.post(
        reverse("agencies:update", args=[agency.pk]),
        {"district": agency.district, "address": "", "phone": "", "email": "", "use_thai_digits": "on",
         "emblem": SimpleUploadedFile(name, data, content_type="image/png")},
    )  # fmt: skip


def test_an_emblem_of_twelve_thousand_pixels_square_is_refused(client, agency_a, admin_a):
    bomb = png(12_000, 12_000, mode="1")
    assert len(bomb) < 1024 * 1024  # small on disk, 144 megapixels decoded
    client.force_login(admin_a)
    response = _upload(client, agency_a, bomb)
    assert response.status_code == 200
    assert "รูป “ครุฑ.png” มีจำนวนพิกเซลเกินกำหนด ๒๕ ล้านพิกเซล" in response.content.decode()
    agency_a.refresh_from_db()
    assert not agency_a.emblem


def test_an_emblem_is_stored_at_the_printed_size(client, agency_a, admin_a):
    client.force_login(admin_a)
    assert _upload(client, agency_a, png(2400, 2000), name="ตรา.jpg.png").status_code == 302
    agency_a.refresh_from_db()
    with agency_a.emblem.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "PNG"
        assert stored.size == (180, 150)  # 1.5 cm at 300 dpi, proportions kept
        assert stored.getpixel((90, 75)) == (180, 20, 20, 255)


def test_the_pixel_limit_follows_the_setting(client, agency_a, admin_a, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    client.force_login(admin_a)
    response = _upload(client, agency_a, png(1100, 1000))
    assert "เกินกำหนด ๑ ล้านพิกเซล" in response.content.decode()
