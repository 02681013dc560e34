"""Secrets the application must read back, kept encrypted in the database (an agency's LINE channel token).

A database dump or backup, a replica or a careless ``SELECT`` must not hand out a token that lets anyone message
an agency's people through its LINE Official Account. :class:`EncryptedCharField` stores
Fernet tokens (``cryptography``: AES-128-CBC with an HMAC-SHA256, authenticated), decrypted when read.

The key is derived from ``SECRET_KEY`` with HKDF, under a label of its own, so it is no key Django uses elsewhere.
Rotating ``SECRET_KEY`` keeps stored secrets readable as long as the old key stays in ``SECRET_KEY_FALLBACKS``:
every key there can decrypt, the current one encrypts. A value no key can read (the secret key was replaced
without a fallback) reads as empty, and is logged: the agency enters its token again.
"""

from __future__ import annotations

import base64
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

__all__ = ["EncryptedCharField", "decrypt", "encrypt", "is_encrypted"]

logger = logging.getLogger(__name__)

_INFO = b"ita-tracker encrypted field v1"
# Every Fernet token starts with its version byte 0x80, "gAAAAA" in URL-safe base64.
_PREFIX = "gAAAAA"


def _key(secret: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_key(secret)) for secret in secrets])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def is_encrypted(stored: str) -> bool:
    return bool(stored) and stored.startswith(_PREFIX)


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except (InvalidToken, ValueError):
        logger.error("An encrypted value could not be read with SECRET_KEY or SECRET_KEY_FALLBACKS")
        return ""


class EncryptedCharField(models.CharField):
    """A ``CharField`` whose column holds the Fernet token of its text; Python sees the text.

    ``max_length`` is the limit of the text (forms and ``full_clean()`` check it); the column is made long enough
    for its token. Empty stays empty, so ``.exclude(field="")`` still finds what is set; nothing else can be
    looked up by value (each encryption differs)."""

    def db_type(self, connection):
        data = {**self.db_type_parameters(connection), "max_length": self.token_length}
        column_type = connection.data_types["CharField"]
        return column_type(data) if callable(column_type) else column_type % data

    @property
    def token_length(self) -> int:
        # Fernet: 57 bytes of version, time, IV and HMAC around the text padded to 16 bytes (UTF-8: at most 4
        # bytes a character), all in base64.
        padded = (self.max_length * 4 // 16 + 1) * 16
        return (57 + padded + 2) // 3 * 4

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value or not isinstance(value, str):
            return value
        return encrypt(value)
