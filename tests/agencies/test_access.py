"""Login, and scoping: a person sees their own agencies; another agency's pages are a 404."""

import pytest
from django.urls import reverse

from agencies.middleware import SESSION_KEY
from tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_thai(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="th" data-digits="thai">' in content
    assert "เข้าสู่ระบบ" in content
    assert "ลืมรหัสผ่าน" in content


def test_pages_require_login(client, agency_a):
    for url in [reverse("dashboard"), reverse("agencies:list"), agency_a.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_login_with_good_password_reaches_dashboard(client, coordinator_a, password, agency_a):
    response = client.post(reverse("login"), {"username": coordinator_a.username, "password": password}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == coordinator_a
    assert agency_a.name in response.content.decode()


def test_login_with_wrong_password_says_so_in_thai(client, coordinator_a):
    response = client.post(reverse("login"), {"username": coordinator_a.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "รหัสผ่านที่ถูกต้อง" in response.content.decode()


def test_logout_is_post_only_and_ends_session(client, coordinator_a):
    client.force_login(coordinator_a)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_change_page_is_thai(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "รหัสผ่านเก่า" in response.content.decode()


def test_password_reset_sends_thai_mail(client, coordinator_a, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": coordinator_a.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "ตั้งรหัสผ่านใหม่" in mailoutbox[0].subject
    assert "/accounts/reset/" in mailoutbox[0].body


def test_agency_list_shows_only_own_agencies(client, coordinator_a, agency_a, agency_b):
    client.force_login(coordinator_a)
    content = client.get(reverse("agencies:list")).content.decode()
    assert agency_a.name in content
    assert agency_b.name not in content


@pytest.mark.parametrize(
    "url_name,extra",
    [
        ("agencies:detail", {}),
        ("agencies:update", {}),
        ("agencies:emblem", {}),
        ("agencies:department_add", {}),
        ("agencies:person_add", {}),
    ],
)
def test_other_agencys_pages_are_404(client, coordinator_a, agency_b, url_name, extra):
    client.force_login(coordinator_a)
    url = reverse(url_name, kwargs={"pk": agency_b.pk, **extra})
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x"}).status_code == 404


def test_other_agencys_department_and_membership_are_404(client, admin_a, agency_a, agency_b, coordinator_b):
    client.force_login(admin_a)
    department_b = DepartmentFactory(agency=agency_b)
    membership_b = coordinator_b.memberships.get()
    # Through the other agency's id...
    assert client.get(reverse("agencies:department_edit", args=[agency_b.pk, department_b.pk])).status_code == 404
    assert client.get(reverse("agencies:membership_edit", args=[agency_b.pk, membership_b.pk])).status_code == 404
    # ...and through their own agency's id with the other agency's object id.
    assert client.get(reverse("agencies:department_edit", args=[agency_a.pk, department_b.pk])).status_code == 404
    assert client.get(reverse("agencies:membership_edit", args=[agency_a.pk, membership_b.pk])).status_code == 404


def test_switching_to_an_agency_one_cannot_see_is_404(client, coordinator_a, agency_a, agency_b):
    client.force_login(coordinator_a)
    response = client.post(reverse("agencies:switch"), {"agency": agency_b.pk})
    assert response.status_code == 404
    assert client.session.get(SESSION_KEY) is None


def test_forged_session_agency_falls_back_to_own(client, coordinator_a, agency_a, agency_b):
    client.force_login(coordinator_a)
    session = client.session
    session[SESSION_KEY] = agency_b.pk
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.context["current_agency"] == agency_a
    assert agency_b.name not in response.content.decode()


def test_person_in_two_agencies_switches_between_them(client, agency_a, agency_b):
    user = UserFactory()
    MembershipFactory(user=user, agency=agency_a, is_coordinator=True)
    MembershipFactory(user=user, agency=agency_b, is_viewer=True, is_staff_member=False, department=None)
    client.force_login(user)
    first = client.get(reverse("dashboard"))
    assert first.context["current_agency"] == agency_a
    assert 'id="agency-switch"' in first.content.decode()
    client.post(reverse("agencies:switch"), {"agency": agency_b.pk, "next": "/agencies/"})
    second = client.get(reverse("dashboard"))
    assert second.context["current_agency"] == agency_b
    assert second.context["workspace"].roles == {"viewer"}


def test_switch_ignores_offsite_next(client, coordinator_a, agency_a):
    client.force_login(coordinator_a)
    response = client.post(reverse("agencies:switch"), {"agency": agency_a.pk, "next": "https://evil.example/"})
    assert response.url == reverse("dashboard")


def test_inactive_membership_hides_the_agency(client, agency_a):
    membership = MembershipFactory(agency=agency_a, is_coordinator=True, is_active=False)
    client.force_login(membership.user)
    assert client.get(agency_a.get_absolute_url()).status_code == 404


def test_superuser_sees_every_agency(client, agency_a, agency_b):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(agency_b.get_absolute_url()).status_code == 200
    content = client.get(reverse("agencies:list")).content.decode()
    assert agency_a.name in content and agency_b.name in content


def test_agency_list_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    viewer = UserFactory()
    for _ in range(60):
        MembershipFactory(user=viewer, agency=AgencyFactory(), is_viewer=True, is_staff_member=False)
    client.force_login(viewer)
    with django_assert_max_num_queries(11):  # 10, and the unread notifications in the menu
        response = client.get(reverse("agencies:list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50


def test_thai_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    content = response.content.decode()
    assert '<html lang="th" data-digits="thai">' in content
    assert "ชื่อผู้ใช้" in content


def test_language_switch_gives_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="en" data-digits="arabic">' in content
    assert "Username" in content
