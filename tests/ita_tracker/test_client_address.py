"""Login lockout behind a proxy (issue 11, item 15): keyed on the user name AND the client's address, the
address read from the configured trusted header only, so nobody can lock a named approver out by guessing
from elsewhere, and nobody can dodge the lock by writing their own X-Forwarded-For."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from ita_tracker.clientip import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def _login(client, username, password, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=PROXY, **headers)


def test_behind_the_proxy_a_guesser_does_not_lock_the_approver_out(settings, coordinator_a):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    attacker = Client()
    for _attempt in range(5):
        _login(attacker, coordinator_a.username, "guess", HTTP_X_REAL_IP="198.51.100.66")
    assert _login(attacker, coordinator_a.username, PASSWORD, HTTP_X_REAL_IP="198.51.100.66").status_code == 429
    # The same user name from the approver's own office, through the same proxy, still logs in.
    office = Client()
    assert _login(office, coordinator_a.username, PASSWORD, HTTP_X_REAL_IP="203.0.113.10").status_code == 302


def test_a_forged_forwarded_header_does_not_dodge_the_lock(settings, coordinator_a):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"  # the proxy sets X-Real-IP; X-Forwarded-For is the client's
    attacker = Client()
    for number in range(5):
        _login(
            attacker, coordinator_a.username, "guess", HTTP_X_REAL_IP="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )  # fmt: skip
    again = _login(
        attacker, coordinator_a.username, PASSWORD, HTTP_X_REAL_IP="198.51.100.66", HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert again.status_code == 429


def test_without_a_trusted_header_the_connection_address_counts():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert client_ip(request) == "203.0.113.7"


def test_the_trusted_header_gives_the_address_the_proxy_appended(settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"  # what the client wrote first is not believed
    assert client_ip(factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")) == PROXY
