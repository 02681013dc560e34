"""System checks of the reports app, run by ``manage.py check --deploy`` (``ReportsConfig.ready`` registers
them)."""

from __future__ import annotations

from django.core import checks


def weasyprint_pin(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The Thai text-layer fix (``reports.pdftext``) is a copy of one WeasyPrint function: refuse a deployment
    whose WeasyPrint is not the version (and source) it was copied from, instead of failing at the first PDF."""
    from reports import pdftext  # imports WeasyPrint: only when the check runs

    return [
        checks.Error(
            problem,
            hint=f"pip install -r requirements.txt (weasyprint=={pdftext.SUPPORTED_WEASYPRINT})",
            id="reports.E001",
        )
        for problem in pdftext.pin_problems()
    ]
