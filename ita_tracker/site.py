"""The address of the application, for links in e-mail.

``SITE_URL`` when it is set (production). Otherwise the address the person acting reached the application
at: :class:`SiteURLMiddleware` captures ``request.build_absolute_uri("/")`` for the length of the request,
so mail sent because of that request (a memo submitted, returned) links to the same host and port, e.g. a
development server on port 8008. Outside a request (a management command) the development default is used.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

DEVELOPMENT_URL = "http://127.0.0.1:8000"
_request_base: ContextVar[str] = ContextVar("request_base", default="")


def base_url() -> str:
    configured = getattr(settings, "SITE_URL", "")
    return (configured or _request_base.get() or DEVELOPMENT_URL).rstrip("/")


def absolute(path: str) -> str:
    return f"{base_url()}{path}"


class SiteURLMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base.set(request.build_absolute_uri("/"))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
