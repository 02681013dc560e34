"""Evidence files: checked by content and size, stored privately, served only to those who may see."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ita_tracker.thai import thai_digits
from measures.models import Evidence, ProgressUpdate
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(width: int = 4, height: int = 4, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), "white" if mode == "RGB" else 1).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png_bytes()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def post(client, measure, files, **extra):
    data = {"reported_on": "15/3/2564", "status": "in_progress", "percent": "40", "summary": "ทำแล้ว", **extra}
    data["files"] = files
    return client.post(reverse("measures:progress_create", args=[measure.pk]), data)


def test_pdf_image_and_word_files_and_links_are_kept(client, finance_staff, finance_measure, settings):
    client.force_login(finance_staff)
    files = [
        SimpleUploadedFile("คำสั่ง.pdf", PDF),
        SimpleUploadedFile("ภาพกิจกรรม.png", PNG),
        SimpleUploadedFile("รายงาน.docx", docx_bytes()),
    ]
    response = post(client, finance_measure, files, links="https://www.bangpu.go.th/ita/o43 หน้าเผยแพร่ผล")
    assert response.status_code == 302
    evidence = {e.original_name or e.url: e for e in Evidence.objects.all()}
    assert evidence["คำสั่ง.pdf"].content_type == "application/pdf"
    assert evidence["ภาพกิจกรรม.png"].content_type == "image/png"
    assert evidence["รายงาน.docx"].content_type.endswith("wordprocessingml.document")
    assert evidence["https://www.bangpu.go.th/ita/o43"].title == "หน้าเผยแพร่ผล"
    stored = evidence["คำสั่ง.pdf"].file
    assert stored.name.startswith(f"evidence/{finance_measure.plan.agency_id}/")
    assert not stored.name.endswith(".pdf")  # the uploaded name never decides the stored one
    assert str(settings.MEDIA_ROOT) in stored.path


def test_exe_renamed_pdf_is_refused_and_nothing_stored(client, finance_staff, finance_measure, settings):
    client.force_login(finance_staff)
    response = post(
        client, finance_measure, [SimpleUploadedFile("รายงาน.pdf", EXE), SimpleUploadedFile("ok.pdf", PDF)]
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "รายงาน.pdf" in content and "ไม่ใช่ไฟล์ที่รับได้" in content
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_file_over_the_limit_is_refused(client, finance_staff, finance_measure, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(finance_staff)
    response = post(client, finance_measure, [SimpleUploadedFile("ใหญ่.pdf", PDF + b"0" * 2048)])
    assert response.status_code == 200
    assert "เกินกำหนด" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_bad_link_is_refused(client, finance_staff, finance_measure):
    client.force_login(finance_staff)
    response = post(client, finance_measure, [], links="javascript:alert(1)")
    page = response.content.decode()
    assert "ไม่ใช่ลิงก์ที่ถูกต้อง" in page
    # The message's own numbers in the page's digits; what it quotes of the typing, as typed.
    assert "บรรทัดที่ ๑: “javascript:alert(1)”" in page and "alert(๑)" not in page
    assert not ProgressUpdate.objects.exists()


def test_evidence_is_served_only_to_people_who_may_see_the_measure(
    client, finance_staff, finance_measure, coordinator_b
):
    client.force_login(finance_staff)
    post(client, finance_measure, [SimpleUploadedFile("คำสั่ง.pdf", PDF)])
    evidence = Evidence.objects.get()
    url = reverse("measures:evidence", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    client.force_login(coordinator_b)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_colleague_in_the_same_agency_may_read_evidence(client, agency_a, finance_staff, finance_measure):
    client.force_login(finance_staff)
    post(client, finance_measure, [SimpleUploadedFile("คำสั่ง.pdf", PDF)])
    viewer = MembershipFactory(agency=agency_a, is_viewer=True, is_staff_member=False, department=None).user
    client.force_login(viewer)
    assert client.get(reverse("measures:evidence", args=[Evidence.objects.get().pk])).status_code == 200


def test_evidence_files_are_private_and_not_stored(client, finance_staff, finance_measure):
    """A shared office computer's browser cache or a proxy must not keep an agency's evidence (issue 11)."""
    client.force_login(finance_staff)
    post(client, finance_measure, [SimpleUploadedFile("คำสั่ง.pdf", PDF)])
    response = client.get(reverse("measures:evidence", args=[Evidence.objects.get().pk]))
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_evidence_per_person_stops_at_the_quota_with_the_limit_named(client, finance_staff, finance_measure, settings):
    settings.EVIDENCE_QUOTA_PER_PERSON = 2 * len(PDF)
    client.force_login(finance_staff)
    assert (
        post(client, finance_measure, [SimpleUploadedFile("ก.pdf", PDF), SimpleUploadedFile("ข.pdf", PDF)]).status_code
        == 302
    )
    response = post(client, finance_measure, [SimpleUploadedFile("ค.pdf", PDF)])
    assert response.status_code == 200
    assert f"จะเกินโควตาต่อคน {thai_digits(2 * len(PDF))}" in response.content.decode()  # filesizeformat: "… ไบต์"
    assert Evidence.objects.count() == 2 and ProgressUpdate.objects.count() == 1  # nothing half-saved
    assert post(client, finance_measure, [], links="https://www.bangpu.go.th/ita").status_code == 302  # links are free


def test_evidence_per_agency_stops_at_the_quota(
    client, agency_a, finance_staff, works_staff, finance_measure, works_measure, settings
):
    settings.EVIDENCE_QUOTA_PER_AGENCY = 3 * len(PDF)
    client.force_login(finance_staff)
    post(client, finance_measure, [SimpleUploadedFile("ก.pdf", PDF), SimpleUploadedFile("ข.pdf", PDF)])
    client.force_login(works_staff)
    response = post(client, works_measure, [SimpleUploadedFile("ค.pdf", PDF), SimpleUploadedFile("ง.pdf", PDF)])
    assert "จะเกินโควตาต่อหน่วยงาน" in response.content.decode()
    assert Evidence.objects.count() == 2
    assert post(client, works_measure, [SimpleUploadedFile("ค.pdf", PDF)]).status_code == 302


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(client, finance_staff, finance_measure):
    """A 12,000 × 12,000 px PNG is a few hundred kilobytes and would decode to 576 MB."""
    bomb = png_bytes(12_000, 12_000, mode="1")  # 18 MB to make, one bit a pixel
    assert len(bomb) < 1024 * 1024
    client.force_login(finance_staff)
    response = post(client, finance_measure, [SimpleUploadedFile("ภาพใหญ่.png", bomb)])
    assert response.status_code == 200
    assert "รูป “ภาพใหญ่.png” มีจำนวนพิกเซลเกินกำหนด ๒๕ ล้านพิกเซล" in response.content.decode()
    assert not Evidence.objects.exists() and not ProgressUpdate.objects.exists()
