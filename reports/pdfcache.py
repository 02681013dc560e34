"""Rendered PDFs kept by what they were rendered from.

A document's PDF is a function of its HTML and of the rendering pipeline (the pinned WeasyPrint and our patches
to it, ``reports.pdftext``). A memo on its way up the chain is opened many times while nothing in it changes: the
author checks it before sending, each approver reads it before deciding, a clerk prints it. Each time its HTML is
built (10–20 ms) and, when the same HTML was rendered in the last hours, the PDF comes from the shared cache
instead of being laid out again (seed 000's five pages take 0.4–0.6 s of WeasyPrint on a two-core server:
``bench/README.md``).

A stale PDF cannot be served: the key is the digest of the HTML itself, so anything that changes what is printed
(an edit, a decision and its comment, the agency's digits or wording, the print font found on the machine)
changes the key, and the pipeline's own digest (WeasyPrint's version and the source of our patches) is part of
it, so a deployment that renders differently starts afresh. Approved memos never come here: their sealed file
is served (``reports.seal``); sealing renders afresh.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.cache import cache as shared_cache

# A PDF bigger than this is rendered each time rather than kept: the cache is for the everyday memo (about
# 100 KB), not for a 90-page plan whose every text is at its limit.
MAX_KEPT_BYTES = 2 * 1024 * 1024


@cache
def pipeline_digest() -> str:
    """WeasyPrint's version and the source of every module that patches it: the same HTML renders the same
    PDF only while these are the same."""
    import weasyprint

    from reports import pdfborders, pdfimages, pdfrepeat, pdftext

    digest = hashlib.sha256(weasyprint.__version__.encode())
    for module in (pdftext, pdfborders, pdfimages, pdfrepeat):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:16]


def cache_key(html: str) -> str:
    return f"pdf:{pipeline_digest()}:{hashlib.sha256(html.encode()).hexdigest()}"


def rendered(html: str, render: Callable[[str], bytes]) -> bytes:
    """``render(html)``, or the PDF it gave for the same HTML within ``PDF_CACHE_SECONDS`` (0: never kept)."""
    seconds = settings.PDF_CACHE_SECONDS
    if not seconds:
        return render(html)
    key = cache_key(html)
    pdf = shared_cache.get(key)
    if pdf is None:
        pdf = render(html)
        if len(pdf) <= MAX_KEPT_BYTES:
            shared_cache.set(key, pdf, seconds)
    return pdf
