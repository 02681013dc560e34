"""Password reset is throttled (issue 11, item 15): twenty anonymous requests do not send twenty mails."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _ask(client, email, address="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_twenty_requests_for_one_address_send_three_mails(client, coordinator_a, mailoutbox):
    responses = [_ask(client, coordinator_a.email, address=f"198.51.100.{n}") for n in range(20)]
    assert len(mailoutbox) == 3
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}  # the same answer every time


def test_one_client_asking_for_many_addresses_is_stopped(client, agency_a, mailoutbox):
    people = [MembershipFactory(agency=agency_a).user for _ in range(20)]
    for person in people:
        _ask(client, person.email)
    assert len(mailoutbox) == 10
    _ask(client, people[-1].email, address="192.0.2.44")  # the person themselves, from their own office
    assert len(mailoutbox) == 11 and mailoutbox[-1].to == [people[-1].email]


def test_the_limits_follow_the_settings_and_the_window(client, coordinator_a, mailoutbox, settings):
    from datetime import timedelta

    from django.utils import timezone

    from agencies.models import PasswordResetRequest

    settings.PASSWORD_RESET_PER_ADDRESS = 1
    _ask(client, coordinator_a.email)
    _ask(client, coordinator_a.email.upper())
    assert len(mailoutbox) == 1
    PasswordResetRequest.objects.update(created_at=timezone.now() - timedelta(hours=2))
    _ask(client, coordinator_a.email)
    assert len(mailoutbox) == 2
