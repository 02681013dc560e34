"""Issue 15: an approved memo is the official electronic record. Decisions confirmed with a TOTP code, the
typed-name sign-off, the sealed (PAdES-signed) PDF rendered once and served as stored, the public
verification page, and the division's register."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import identity
from ita_tracker.models import Job
from ita_tracker.thai import thai_digits
from measures.models import MeasurePlan
from reports import seal
from reports.documents import MemoDocument
from reports.models import Memo, SealedRecord
from reports.services import memo_create
from tests.factories import DepartmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SUBJECT = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
BODY = "ข้อความลับภายในที่ยังไม่เผยแพร่ ตามที่เทศบาลได้เข้าร่วมการประเมิน"


def code_for(user) -> str:
    """The code the person's app shows in the next 30-second window: the current one was used to set it up, and
    django-otp accepts no code twice (it tolerates one step of clock drift)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    drift = device.drift + 1
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def set_up_totp_through_the_page(client: Client, user) -> list[str]:
    """What the person does on their security page: start, scan the QR code, type the code the app shows."""
    client.force_login(user)
    client.post(reverse("agencies:security_start"))
    page = client.get(reverse("agencies:security")).content.decode()
    assert "<svg" in page and "<path" in page  # the QR code is inline SVG, no CDN
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(reverse("agencies:security_confirm"), {"code": code})
    page = client.get(reverse("agencies:security")).content.decode()
    assert "ตั้งค่าแล้ว" in page
    codes = page.split('id="recovery-codes">')[1].split("</ul>")[0]
    return [c.split("</li>")[0] for c in codes.split("<li>")[1:]]


def new_memo(agency, department, chain, author, **fields) -> Memo:
    return memo_create(
        agency=agency,
        author=author,
        fields={
            "kind": "free",
            "department": department,
            "chain": chain,
            "subject": SUBJECT,
            "addressee": "นายกเทศมนตรีตำบลบางปู",
            "body": BODY,
            **fields,
        },
    )


def decide(client: Client, memo: Memo, user, decision: str, step: int, code: str | None = None):
    client.force_login(user)
    data = {"decision": decision, "step": step, "comment": "เห็นควรอนุมัติ"}
    if code is not None:
        data["otp_code"] = code
    return client.post(reverse("reports:memo_decide", args=[memo.pk]), data)


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture
def sealed_memo(client, agency_a, office, chain, approvers, author, django_capture_on_commit_callbacks):
    """A memo approved at every step with a TOTP code, the agency requiring it."""
    agency_a.require_verified_identity = True
    agency_a.save()
    for membership in approvers:
        set_up_totp_through_the_page(Client(), membership.user)
    client.force_login(author)
    # Evidence of a plan's year, so that it can go on the public OIT page.
    plan = MeasurePlan.objects.create(agency=agency_a, fiscal_year=2569, title="แผนมาตรการ ๒๕๖๙")
    memo = new_memo(agency_a, office, chain, author, plan=plan)
    client.post(reverse("reports:memo_submit", args=[memo.pk]))
    head, palat, mayor = approvers
    assert decide(client, memo, head.user, "agree", 1, code_for(head.user)).status_code == 302
    assert decide(client, memo, palat.user, "agree", 2, code_for(palat.user)).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, memo, mayor.user, "approve", 3, code_for(mayor.user))
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
    return memo


def test_approved_with_totp_at_every_step_is_sealed_once_and_never_changes(
    sealed_memo, client, approvers, author, office, settings, tmp_path
):
    memo = sealed_memo
    record = SealedRecord.objects.get(memo=memo)
    stored = record.file.read()
    record.file.close()
    assert record.is_sealed and record.sha256 == hashlib.sha256(stored).hexdigest() and record.size == len(stored)
    assert record.file.name.startswith(f"sealed/{memo.agency.code}/")
    assert "เทศบาลทดสอบ" in record.certificate_subject
    assert [s.identity_method for s in memo.steps.order_by("order")] == ["totp", "totp", "totp"]
    assert [d["identity"] for d in record.snapshot["decisions"]] == ["totp", "totp", "totp"]
    assert [e["action"] for e in record.snapshot["events"]] == ["create", "submit", "agree", "agree", "approve"]

    # What it prints: typed names, positions, time, the electronic mark, and the code on every page.
    pages = pdf_pages(stored, tmp_path)
    text = "\n".join(pages)
    head, palat, mayor = approvers
    for person in (head, palat, mayor):
        assert person.user.get_full_name() in text
    assert text.count("ลงนามอิเล็กทรอนิกส์ ยืนยันตัวตนแล้ว (TOTP)") == 3
    assert "ไม่ได้ยืนยันตัวตน" not in text
    assert "เวลา" in text and " น." in text
    assert all(record.code in page for page in pages)
    assert seal.verify_url(record.code) in text

    # Served as stored, to the agency's people and (once published) to anyone.
    client.force_login(author)
    private = client.get(reverse("reports:memo_document", args=[memo.pk, "pdf"]))
    assert private.status_code == 200 and b"".join(private.streaming_content) == stored
    assert private["Cache-Control"] == "private, no-store"
    client.post(reverse("reports:memo_publish", args=[memo.pk]), {"published": "1"})
    memo.refresh_from_db()
    public_url = reverse("public:memo_pdf", args=[memo.agency.code, memo.fiscal_year, memo.pk])
    assert b"".join(Client().get(public_url).streaming_content) == stored

    # Afterwards nothing changes it: the division and the people renamed, the template changed.
    office.name = "สำนักงานปลัดเทศบาลใหม่"
    office.save()
    mayor.user.first_name, mayor.user.last_name = "ชื่อใหม่", "นามสกุลใหม่"
    mayor.user.save()
    mayor.position_title = "ตำแหน่งใหม่"
    mayor.save()
    override = tmp_path / "templates" / "reports" / "pdf"
    override.mkdir(parents=True)
    (override / "memo.html").write_text("<p>แม่แบบที่เปลี่ยนแล้ว</p>", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}]
    assert "แม่แบบที่เปลี่ยนแล้ว" in pdf_pages(MemoDocument(memo).render_pdf(), tmp_path)[0]  # the override works
    seal.memo_seal(record.pk)
    call_command("seal_memos", stdout=open("/dev/null", "w"))
    again = b"".join(Client().get(public_url).streaming_content)
    mine = b"".join(client.get(reverse("reports:memo_document", args=[memo.pk, "pdf"])).streaming_content)
    record.refresh_from_db()
    assert again == mine == stored
    assert record.sha256 == hashlib.sha256(again).hexdigest()
    assert SealedRecord.objects.count() == 1


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_pdfsig_validates_the_seal_and_sees_a_changed_copy(sealed_memo, tmp_path):
    record = SealedRecord.objects.get(memo=sealed_memo)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(record.file.read())
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert "เทศบาลทดสอบ" in out
    assert "ETSI.CAdES.detached" in out  # PAdES
    data = bytearray(path.read_bytes())
    at = data.index(b"/Producer") if b"/Producer" in data else 200
    data[at + 1] ^= 0x01  # one bit inside the signed range
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    out = subprocess.run(["pdfsig", str(tampered)], capture_output=True, text=True).stdout
    assert "Signature is Valid" not in out


def test_anyone_verifies_the_code_and_the_file(sealed_memo, approvers, settings):
    memo = sealed_memo
    record = SealedRecord.objects.get(memo=memo)
    stored = record.file.read()
    anonymous = Client()
    page = anonymous.get(reverse("verify:record", args=[record.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert SUBJECT in html and memo.number in html and record.sha256 in html
    assert f"{memo.running_number}/{memo.number_year}" in html  # the register entry, with its year
    for person in approvers:
        assert person.user.get_full_name() in html and person.position_title in html
    assert html.count("ยืนยันตัวตนด้วยรหัสจากแอปยืนยันตัวตน") == 3
    # Unpublished: nothing beyond what the paper shows (no body, no comments, no link to the file).
    assert BODY not in html and "เห็นควรอนุมัติ" not in html and "public/" not in html
    # The code typed in lower case and without dashes finds it too.
    lookup = anonymous.get(reverse("verify:lookup"), {"code": record.code.replace("-", "").lower()})
    assert lookup.status_code == 302 and lookup.url == reverse("verify:record", args=[record.code])

    url = reverse("verify:record", args=[record.code])

    def upload(data: bytes):
        return anonymous.post(url, {"file": SimpleUploadedFile("m.pdf", data)})

    same = upload(stored).content.decode()
    assert "ตรงกับไฟล์ที่อนุมัติและประทับตราไว้ทุกไบต์" in same
    changed = stored.replace(b"%%EOF", b"%%EOF\n% changed", 1)
    other = anonymous.post(
        reverse("verify:record", args=[record.code]), {"file": SimpleUploadedFile("m.pdf", changed)}
    )
    assert "ไม่ตรงกับไฟล์ที่อนุมัติไว้" in other.content.decode()
    assert "ตรงกับไฟล์ที่อนุมัติและประทับตราไว้ทุกไบต์" not in other.content.decode()

    settings.SEAL_VERIFY_MAX_BYTES = 1024
    big = upload(stored)
    assert big.status_code == 400 and "ไฟล์ใหญ่เกิน" in big.content.decode()
    settings.SEAL_VERIFY_MAX_BYTES = 20 * 1024 * 1024
    settings.SEAL_VERIFY_PER_HOUR = 3  # three uploads already counted from this address
    limited = anonymous.post(
        reverse("verify:record", args=[record.code]), {"file": SimpleUploadedFile("m.pdf", stored)}
    )
    assert limited.status_code == 400 and "บ่อยเกินไป" in limited.content.decode()
    assert anonymous.get(reverse("verify:record", args=["AAAA-BBBB-CCCC"])).status_code == 404


def test_behind_a_proxy_the_upload_limit_counts_each_client_not_the_proxy(sealed_memo, settings):
    """Every request comes from the proxy's address; the trusted header tells the clients apart, so one person
    using up the hourly checks does not lock out everybody else. Without the setting the header is not believed."""
    record = SealedRecord.objects.get(memo=sealed_memo)
    stored = record.file.read()
    url = reverse("verify:record", args=[record.code])
    settings.SEAL_VERIFY_PER_HOUR = 1

    def upload(**headers):
        response = Client(REMOTE_ADDR="10.0.0.1", **headers).post(url, {"file": SimpleUploadedFile("m.pdf", stored)})
        return "บ่อยเกินไป" not in response.content.decode()

    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    assert upload(HTTP_X_REAL_IP="203.0.113.5")
    assert not upload(HTTP_X_REAL_IP="203.0.113.5")  # this client's one check of the hour is used
    assert upload(HTTP_X_REAL_IP="203.0.113.6")  # another client behind the same proxy is not
    settings.TRUSTED_PROXY_HEADER = ""
    assert upload(HTTP_X_REAL_IP="203.0.113.7")  # counted against 10.0.0.1 itself
    assert not upload(HTTP_X_REAL_IP="203.0.113.8")  # a header the deployment does not trust changes nothing


def test_the_public_pdf_is_never_rendered_on_request(sealed_memo, client, author, monkeypatch):
    client.force_login(author)
    client.post(reverse("reports:memo_publish", args=[sealed_memo.pk]), {"published": "1"})
    sealed_memo.refresh_from_db()

    def refuse(self):
        raise AssertionError("rendered on request")

    monkeypatch.setattr(MemoDocument, "render_pdf", refuse)
    url = reverse("public:memo_pdf", args=[sealed_memo.agency.code, sealed_memo.fiscal_year, sealed_memo.pk])
    bodies = {b"".join(Client().get(url).streaming_content) for _i in range(6)}
    assert len(bodies) == 1


def test_identity_is_asked_of_people_with_a_device_and_of_all_where_required(
    client, agency_a, office, chain, approvers, author, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    head, palat, mayor = approvers
    memo = new_memo(agency_a, office, chain, author)
    client.force_login(author)
    client.post(reverse("reports:memo_submit", args=[memo.pk]))
    codes = set_up_totp_through_the_page(Client(), head.user)
    assert len(codes) == 10
    page = Client()
    page.force_login(head.user)
    assert 'name="otp_code"' in page.get(memo.get_absolute_url()).content.decode()

    # With a device: no code, or a wrong one, records nothing.
    decide(client, memo, head.user, "agree", 1)
    decide(client, memo, head.user, "agree", 1, "000000")
    memo.refresh_from_db()
    assert memo.current_step == 1 and not memo.steps.exclude(decision="").exists()
    # A recovery code works, once.
    decide(client, memo, head.user, "agree", 1, codes[0])
    step = memo.steps.get(order=1)
    assert step.decision == "agree" and step.identity_method == identity.RECOVERY
    with pytest.raises(Exception, match="ไม่ถูกต้อง"):
        identity.identity_check(head.user, codes[0])

    # Without a device, where the agency does not require it: recorded, not verified.
    decide(client, memo, palat.user, "agree", 2)
    step = memo.steps.get(order=2)
    assert step.decision == "agree" and step.identity_method == ""
    document = MemoDocument(Memo.objects.get(pk=memo.pk)).render_html()
    assert "ลงนามอิเล็กทรอนิกส์ ยืนยันตัวตนแล้ว (รหัสกู้คืน)" in document
    # On paper a typed name is a signature only where identity was verified: the unverified block leaves space
    # for a hand signature (its name in brackets) and prints no typed name; the memo's page says it was not
    # verified.
    assert "ไม่ได้ยืนยันตัวตน" not in document
    assert document.count(f'memo-typed-sign">{palat.user.get_full_name()}<') == 0
    assert document.count(f'memo-typed-sign">{head.user.get_full_name()}<') == 1
    assert f"({palat.user.get_full_name()})" in document
    client.force_login(author)
    assert "ลงนามอิเล็กทรอนิกส์ ไม่ได้ยืนยันตัวตน" in client.get(memo.get_absolute_url()).content.decode()

    # Where it is required, a person without a device is refused and told where to set it up.
    agency_a.require_verified_identity = True
    agency_a.save()
    page.force_login(mayor.user)
    html = page.get(memo.get_absolute_url()).content.decode()
    assert "หน่วยงานกำหนดให้ยืนยันตัวตนก่อนพิจารณาบันทึก" in html
    response = decide(client, memo, mayor.user, "approve", 3)
    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.status == Memo.Status.PENDING and not memo.steps.get(order=3).decision
    assert not SealedRecord.objects.filter(memo=memo).exists()


def test_replacing_an_authenticator_needs_a_current_code(client, approvers):
    head = approvers[0].user
    set_up_totp_through_the_page(client, head)
    client.post(reverse("agencies:security_start"), {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=head, confirmed=False).exists()
    client.post(reverse("agencies:security_remove"), {"code": "999999"})
    assert identity.has_identity_device(head)


def test_the_register_number_typed_by_a_coordinator_or_given_by_the_division_counter(
    client, agency_a, office, chain, approvers, author
):
    client.force_login(author)  # a coordinator
    first = new_memo(agency_a, office, chain, author)
    client.post(reverse("reports:memo_submit", args=[first.pk]), {"register_number": "1"})
    first.refresh_from_db()
    assert first.running_number == 1 and first.number_reserved and first.number.endswith("/1")
    assert first.register_entry == f"1/{first.number_year}"
    assert f"ทะเบียนส่ง {thai_digits(first.register_entry)}" in client.get(first.get_absolute_url()).content.decode()

    taken = new_memo(agency_a, office, chain, author)
    response = client.post(reverse("reports:memo_submit", args=[taken.pk]), {"register_number": "1"}, follow=True)
    assert "เลขทะเบียนส่งนี้ของส่วนราชการในปีนี้มีบันทึกอื่นใช้แล้ว" in response.content.decode()
    taken.refresh_from_db()
    assert taken.status == Memo.Status.DRAFT and taken.running_number is None

    # The app's own counter skips the reserved number.
    client.post(reverse("reports:memo_submit", args=[taken.pk]))
    taken.refresh_from_db()
    assert taken.running_number == 2 and not taken.number_reserved

    # Another division has its own register: its number 1 is free.
    finance = DepartmentFactory(agency=agency_a, name="กองคลัง", letter_code="ปน 52701.3")
    other = new_memo(agency_a, finance, chain, author)
    client.post(reverse("reports:memo_submit", args=[other.pk]), {"register_number": "1"})
    other.refresh_from_db()
    assert other.running_number == 1 and other.status == Memo.Status.PENDING

    # Only a coordinator types a number; letters are refused.
    writer = MembershipFactory(agency=agency_a, department=office, position_title="นักจัดการงานทั่วไป").user
    plain = new_memo(agency_a, office, chain, writer)
    client.force_login(writer)
    assert client.post(reverse("reports:memo_submit", args=[plain.pk]), {"register_number": "9"}).status_code == 403
    client.post(reverse("reports:memo_submit", args=[plain.pk]), {"register_number": "๙x"})
    plain.refresh_from_db()
    assert plain.running_number is None

    # The database refuses a duplicate whatever code writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Memo.objects.filter(pk=plain.pk).update(
            status=Memo.Status.PENDING, current_step=1, running_number=1, number_year=first.number_year
        )


def test_a_seal_that_failed_is_started_again_when_the_file_is_asked_for(
    client, agency_a, office, chain, approvers, author, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SEAL_CERTIFICATE = tmp_path / "missing.p12"  # no certificate installed when the memo is approved
    memo = new_memo(agency_a, office, chain, author)
    client.force_login(author)
    client.post(reverse("reports:memo_submit", args=[memo.pk]))
    head, palat, mayor = approvers
    decide(client, memo, head.user, "agree", 1)
    decide(client, memo, palat.user, "agree", 2)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, memo, mayor.user, "approve", 3)
    record = SealedRecord.objects.get(memo=memo)
    assert not record.is_sealed
    job = Job.objects.get(kind=seal.JOB_KIND)
    assert job.status == Job.Status.FAILED and "ยังไม่ได้ติดตั้งใบรับรอง" in job.message
    client.force_login(author)
    url = reverse("reports:memo_document", args=[memo.pk, "pdf"])
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url)
    assert waiting.status_code == 503 and waiting["Retry-After"]
    assert Job.objects.filter(kind=seal.JOB_KIND).count() == 2  # tried again, and failed again

    # The certificate installed, the next look starts the seal (after the request), and the file is served.
    call_command("make_dev_certificate", path=str(tmp_path / "agency.p12"), stdout=open("/dev/null", "w"))
    settings.SEAL_CERTIFICATE = tmp_path / "agency.p12"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 503
    record.refresh_from_db()
    assert record.is_sealed
    served = client.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == record.file.read()
    assert Job.objects.filter(kind=seal.JOB_KIND).count() == 3
