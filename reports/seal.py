"""The approved memo as the official electronic record (issue 15; ระเบียบงานสารบรรณ ฉบับที่ 4).

At final approval ``reports.workflow`` calls :func:`seal_schedule`: a :class:`SealedRecord` gets its
verification code in the approving transaction, and a job (after commit) renders the PDF once — with the code
and a QR code to ``/verify/<code>/`` on every page — signs it with the agency's certificate (PAdES, pyHanko),
stores it through ``default_storage`` under ``sealed/`` (a private path no URL serves) with its SHA-256, and
freezes the memo's data, decisions and events in ``snapshot``. From then on every download, the public OIT
page and the verification page use that file and that snapshot; nothing renders the memo again.

The certificate is a PKCS#12 file: ``SEAL_DIR/<agency code>.p12`` when the agency has its own, otherwise
``SEAL_CERTIFICATE``; its passphrase is ``SEAL_PASSPHRASE`` (environment). ``manage.py make_dev_certificate``
makes a self-signed one for development and tests.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import secrets
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.identity import qr_svg
from ita_tracker.jobs import JobKind, job_start, register_job_kind
from reports.documents import MemoDocument
from reports.models import Memo, SealedRecord

JOB_KIND = "memo_seal"
# Crockford's base32 without the letters people confuse (I, L, O, U): 12 characters, about 60 bits.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class SealError(Exception):
    """Sealing cannot go on (no certificate, wrong passphrase): the message is for people."""


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _i in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())[:12]
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else ""


def verify_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("verify:record", args=[code])


# ---------------------------------------------------------------- the certificate


def certificate_path(agency) -> Path:
    own = Path(settings.SEAL_DIR) / f"{agency.code}.p12"
    return own if own.exists() else Path(settings.SEAL_CERTIFICATE)


@lru_cache(maxsize=16)
def _load_signer(path: str, mtime: float, passphrase: str):
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() or None)
    except Exception as exc:  # pyHanko and cryptography raise many kinds for a bad file or passphrase
        raise SealError(_("อ่านใบรับรองสำหรับประทับตราไม่ได้ (ไฟล์หรือรหัสผ่านไม่ถูกต้อง)")) from exc
    return _with_parsed_key(signer) if signer is not None else None


def _with_parsed_key(signer):
    """The signer, signing RSA PKCS#1 v1.5 with its private key parsed once. pyHanko's SimpleSigner parses the
    key again for every signature, and twice per PDF (a dry run sizes the signature); OpenSSL 3 checks an RSA
    key on every parse, which made up about half of the time to sign a memo (bench/seal_bench.py). Any other
    mechanism goes to pyHanko's own code."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)
    if not isinstance(key, RSAPrivateKey):
        return signer
    sign_raw = signer.sign_raw

    def sign_raw_parsed(data: bytes, digest_algorithm: str) -> bytes:
        mechanism = signer.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo != "rsassa_pkcs1v15":
            return sign_raw(data, digest_algorithm)
        return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    signer.sign_raw = sign_raw_parsed  # pyHanko's async_sign_raw calls self.sign_raw
    return signer


def signer_for(agency):
    path = certificate_path(agency)
    if not path.exists():
        raise SealError(_("ยังไม่ได้ติดตั้งใบรับรองสำหรับประทับตราบันทึก (ดูหัวข้อการประทับตราใน README)"))
    signer = _load_signer(str(path), path.stat().st_mtime, settings.SEAL_PASSPHRASE)
    if signer is None:
        raise SealError(_("อ่านใบรับรองสำหรับประทับตราไม่ได้ (ไฟล์หรือรหัสผ่านไม่ถูกต้อง)"))
    return signer


def certificate_subject(signer) -> str:
    return signer.signing_cert.subject.human_friendly[:500]


def sign_pdf(data: bytes, signer, *, reason: str, location: str) -> bytes:
    """A PAdES baseline signature over the whole file, in a new signature field named "Seal"."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name="Seal",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason[:200],
        location=location[:200],
    )

    def sign() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        return signers.sign_pdf(writer, meta, signer=signer).getvalue()

    # pyHanko runs its signing coroutine with asyncio.run(), which refuses to start inside a thread that
    # already runs an event loop (an ASGI server, a Playwright-driven test): sign in a thread of its own then.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return sign()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(sign).result()


# ---------------------------------------------------------------- sealing


def seal_schedule(*, memo: Memo, by) -> SealedRecord:
    """Called by the approving transition, inside its transaction: the record (with its code) now, the
    rendering and signing in a job once the approval has committed."""
    record, _created = SealedRecord.objects.get_or_create(memo=memo, defaults={"code": new_code()})
    if not record.is_sealed:
        job_start(kind=JOB_KIND, params={"memo": memo.pk, "record": record.pk}, by=by)
    return record


def snapshot(memo: Memo) -> dict:
    """What the verification page shows, frozen with the file: nothing read live afterwards."""
    steps = list(memo.steps.order_by("order"))
    events = list(memo.events.select_related("actor").order_by("created_at", "pk"))
    header = (memo.table or {}).get("header") or {}
    return {
        "agency": header.get("agency_name") or memo.agency.name,
        "department": header.get("department_name") or memo.department.name,
        "number": memo.number,
        "register": memo.register_entry,
        "number_reserved": memo.number_reserved,
        "date": memo.date.isoformat() if memo.date else None,
        "subject": memo.subject,
        "addressee": memo.addressee,
        "author": {"name": memo.author_name, "position": memo.author_position},
        "decisions": [
            {
                "order": s.order,
                "label": s.label,
                "decision": s.get_decision_display() if s.decision else "",
                "name": s.signer_name,
                "position": s.signer_position or s.position_title,
                "acting_for": s.position_title if s.acting else "",
                "at": s.decided_at.isoformat() if s.decided_at else None,
                "identity": s.identity_method,
            }
            for s in steps
        ],
        "events": [
            {
                "action": e.action,
                "by": e.actor.get_full_name() or e.actor.get_username(),
                "from": e.from_status,
                "to": e.to_status,
                "comment": e.comment,
                "at": e.created_at.isoformat(),
            }
            for e in events
        ],
    }


def seal_render(memo: Memo, record: SealedRecord) -> bytes:
    url = verify_url(record.code)
    qr = base64.b64encode(qr_svg(url).encode()).decode()
    document = MemoDocument(memo, seal={"code": record.code, "url": url, "qr": f"data:image/svg+xml;base64,{qr}"})
    return document.render_pdf()


def memo_seal(record_pk: int) -> SealedRecord:
    """Render, sign and store the record's memo, once. Run again on a sealed record it changes nothing."""
    with transaction.atomic():
        record = SealedRecord.objects.select_for_update().select_related("memo__agency").get(pk=record_pk)
        if record.is_sealed:
            return record
        memo = record.memo
        if memo.status != Memo.Status.APPROVED:
            raise SealError(_("บันทึกนี้ยังไม่ได้รับอนุมัติ"))
        signer = signer_for(memo.agency)
        pdf = sign_pdf(
            seal_render(memo, record),
            signer,
            reason=f"อนุมัติบันทึกข้อความที่ {memo.number} รหัสตรวจสอบ {record.code}",
            location=memo.agency.name,
        )
        record.file.save(f"{record.code}.pdf", ContentFile(pdf), save=False)
        record.sha256 = hashlib.sha256(pdf).hexdigest()
        record.size = len(pdf)
        record.certificate_subject = certificate_subject(signer)
        record.snapshot = snapshot(memo)
        record.sealed_at = timezone.now()
        record.full_clean()
        record.save()
        return record


def seal_now(*, memo: Memo) -> SealedRecord:
    """An approved memo's record sealed by the caller, now, when its job has not done it yet (still queued, failed,
    or the memo approved before sealing existed): for work that is itself a job and needs the file (the year's
    documents ZIP). :func:`memo_seal` locks the record and seals once, so a seal job running meanwhile finds it
    done, or this finds the job's file. Raises :class:`SealError` as the job would."""
    record, _created = SealedRecord.objects.get_or_create(memo=memo, defaults={"code": new_code()})
    return record if record.is_sealed else memo_seal(record.pk)


def _seal_job(job, progress):
    record = memo_seal(int(job.params["record"]))
    progress(90, record.code)
    with record.file.open("rb") as handle:
        return f"{MemoDocument(record.memo).slug}.pdf", handle.read()


def _may_see(user, job) -> bool:
    return Memo.objects.visible_to(user).filter(pk=job.params.get("memo")).exists()


def register() -> None:
    register_job_kind(
        JobKind(
            name=JOB_KIND,
            label=gettext_lazy("ประทับตราบันทึกที่อนุมัติแล้ว"),
            run=_seal_job,
            may_access=_may_see,
            refusals=(SealError,),
        )
    )


# ---------------------------------------------------------------- serving


def sealed_record(memo: Memo) -> SealedRecord | None:
    try:
        return memo.sealed
    except SealedRecord.DoesNotExist:
        return None


def sealed_response(record: SealedRecord, filename: str, *, public: bool) -> HttpResponse:
    """The stored file, streamed as it is (never rendered). 503 with a Thai note while the job runs."""
    if not record.is_sealed:
        response = HttpResponse(
            _("กำลังจัดทำไฟล์บันทึกที่อนุมัติแล้ว โปรดลองใหม่ในอีกสักครู่"), status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = "10"
        return response
    response = FileResponse(record.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(filename)}"
    response["Content-Length"] = str(record.size)
    response["ETag"] = f'"{record.sha256}"'
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


def seal_schedule_outside(*, memo: Memo) -> SealedRecord:
    """A published memo approved before sealing existed, asked for publicly: seal it once, in a job (the
    request gets 503 meanwhile). The job is recorded as started by the memo's last decider (or its author)."""
    last = memo.steps.exclude(decided_by=None).select_related("decided_by").order_by("-order").first()
    with transaction.atomic():
        record, created = SealedRecord.objects.get_or_create(memo=memo, defaults={"code": new_code()})
        if created:
            by = last.decided_by if last is not None else memo.author
            job_start(kind=JOB_KIND, params={"memo": memo.pk, "record": record.pk}, by=by)
    return record


def seal_retry_if_stalled(record: SealedRecord, *, by) -> bool:
    """Start sealing again when no job is on it any more (its job failed: no certificate then, queue down).
    Called when someone of the agency asks for the file; returns whether a job was started."""
    from ita_tracker.models import Job

    if record.is_sealed:
        return False
    live = Job.objects.filter(
        kind=JOB_KIND, params__record=record.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    )
    if any(not job.is_stale for job in live):
        return False
    job_start(kind=JOB_KIND, params={"memo": record.memo_id, "record": record.pk}, by=by)
    return True
