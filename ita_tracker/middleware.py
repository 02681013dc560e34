"""Thai first, whatever the browser says.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language header, and the browsers in many
municipal offices are set to English; the interface would then open in English for people who read
Thai. Here the language is Thai unless the person chose another with the language switch (which sets
the language cookie).
"""

import logging

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class ThaiFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # The language is per request; do not leave it on the thread for whatever runs next there.
            translation.deactivate()
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# ---------------------------------------------------------------- sessions that polling does not extend


def session_passive(view):
    """Mark a view whose requests must not extend the session (a page polling a job's status every few seconds
    would otherwise keep an unattended, logged-in office computer logged in for ever)."""

    def wrapped(request, *args, **kwargs):
        request.session_passive = True
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that it neither saves the session nor re-sends its cookie after a
    ``session_passive`` view (a page polling a job would otherwise push the expiry on each poll), and that an
    active session is saved only when its expiry has aged ``SESSION_TOUCH_SECONDS`` (``ita_tracker.sessions``),
    not on every request."""

    def process_response(self, request, response):
        if getattr(request, "session_passive", False):
            return response
        session = getattr(request, "session", None)
        expiry = getattr(session, "stored_expiry", None)
        if expiry is not None and not session.modified:
            remaining = (expiry - timezone.now()).total_seconds()
            if remaining < settings.SESSION_COOKIE_AGE - settings.SESSION_TOUCH_SECONDS:
                session.modified = True  # saved below with a fresh expiry, and its cookie sent again
        return super().process_response(request, response)


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a logged-in person: pages, PDFs, workbooks and
    evidence files hold one agency's data, and a shared proxy or the browser's disk cache of a shared office
    computer must not keep them for the next person. Anonymous pages (login, the public memo list) keep
    whatever their views set. Static files never get here (WhiteNoise answers them earlier)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "max-age" in response.get("Cache-Control", ""):
                del response.headers["Cache-Control"]  # "private" keeps a max-age; nothing may be kept at all
            patch_cache_control(response, private=True, no_store=True)
        return response


class ThaiErrorPagesMiddleware:
    """The Thai 404 and 500 pages in development too.

    With ``DEBUG`` Django answers a missing page or an error with its English technical page, which is what
    a person trying the product on ``make run`` then sees. Here those become ``404.html`` and ``500.html``
    (the traceback still goes to the console log); ``DEBUG_TECHNICAL_ERRORS=1`` keeps Django's pages for
    debugging. Production (``DEBUG=0``) uses Django's own handlers with the same templates.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG or getattr(settings, "DEBUG_TECHNICAL_ERRORS", False):
            return None
        if isinstance(exception, Http404):
            return render(request, "404.html", status=404)
        if isinstance(exception, PermissionDenied):
            return None
        logging.getLogger("django.request").exception("Error on %s", request.path)
        return HttpResponseServerError(get_template("500.html").render({"request": request}))
