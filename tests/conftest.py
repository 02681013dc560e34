import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, AgencyFactory, MembershipFactory


@pytest.fixture(scope="session")
def seal_certificate(tmp_path_factory):
    """One self-signed sealing certificate for the whole run (reports.seal): approvals seal their memos."""
    from reports.management.commands.make_dev_certificate import make_certificate

    return make_certificate(tmp_path_factory.mktemp("seal") / "default.p12", common_name="เทศบาลทดสอบ", passphrase="")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, seal_certificate):
    """Uploaded files of a test go to its own folder, never to var/; passwords hash fast.

    Login throttling is off, as django-axes advises for tests: ``client.login()`` authenticates without a
    request, which axes refuses. The lockout test turns it back on (``settings.AXES_ENABLED = True``)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    cache.clear()  # averages are cached for minutes; each test starts cold
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    # Jobs and notifications run right after the test's commit (tests that need Celery set it themselves).
    settings.JOBS_BACKEND = "inline"
    settings.SEAL_DIR = tmp_path / "seal"
    settings.SEAL_CERTIFICATE = seal_certificate
    settings.SEAL_PASSPHRASE = ""


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="เทศบาลตำบลบางปู", province="ปัตตานี", code="bangpu")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="เทศบาลตำบลบางเก่า", province="เพชรบุรี", district="ชะอำ", code="bangkao")


@pytest.fixture
def coordinator_a(agency_a):
    return MembershipFactory(agency=agency_a, is_coordinator=True, is_staff_member=False).user


@pytest.fixture
def admin_a(agency_a):
    return MembershipFactory(agency=agency_a, is_agency_admin=True, is_staff_member=False).user


@pytest.fixture
def staff_a(agency_a):
    return MembershipFactory(agency=agency_a).user


@pytest.fixture
def coordinator_b(agency_b):
    return MembershipFactory(agency=agency_b, is_coordinator=True, is_staff_member=False).user
