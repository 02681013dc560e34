"""A self-signed certificate for sealing approved memos in development and tests (never in production: an
agency loads its real certificate as described in the README, "Sealing approved memos")."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand


def _fit(text: str, limit: int) -> str:
    while len(text.encode()) > limit:
        text = text[:-1]
    return text or "ITA Tracker"


def make_certificate(path: Path, *, common_name: str, passphrase: str, days: int = 3650) -> Path:
    """Write a PKCS#12 file (key and self-signed certificate) at ``path``, readable by its owner only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    short = _fit(common_name, 64)  # X.520 allows 64 bytes of UTF-8 (about 21 Thai letters)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, short),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "development certificate (self-signed)"),
            x509.NameAttribute(NameOID.COMMON_NAME, short),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    data = pkcs12.serialize_key_and_certificates(b"seal", key, certificate, None, encryption)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)
    return path


class Command(BaseCommand):
    help = "สร้างใบรับรองทดสอบ (self-signed, PKCS#12) สำหรับประทับตราบันทึกที่อนุมัติแล้ว ใช้ในการพัฒนาและทดสอบเท่านั้น"

    def add_arguments(self, parser):
        parser.add_argument("--name", default="ITA Tracker (development)", help="ชื่อผู้ประทับตรา")
        parser.add_argument("--path", default="", help="ที่เก็บไฟล์ (ค่าเริ่มต้น SEAL_CERTIFICATE)")
        parser.add_argument("--force", action="store_true", help="เขียนทับไฟล์ที่มีอยู่")

    def handle(self, *args, **options):
        path = Path(options["path"] or settings.SEAL_CERTIFICATE)
        if path.exists() and not options["force"]:
            self.stdout.write(f"มีใบรับรองอยู่แล้วที่ {path} (ใช้ --force เพื่อสร้างใหม่)")
            return
        make_certificate(path, common_name=options["name"], passphrase=settings.SEAL_PASSPHRASE)
        self.stdout.write(self.style.SUCCESS(f"สร้างใบรับรองทดสอบที่ {path}"))
