"""Translations: the English catalogue is complete, English pages show English, and the Thai catalogue fills in
Django's own messages that Django leaves untranslated in Thai (the password validators among them).

The compiled catalogues (.mo) are build output; the module compiles them when they are missing or older than
their .po, which needs GNU gettext's msgfmt.
"""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
TH_PO = LOCALE / "th" / "LC_MESSAGES" / "django.po"

THAI = re.compile(r"[\u0E00-\u0E7F]")
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdrf]|%[sdrf]|\{[a-z_]+\}")

# The menu, in Thai and in the English of locale/en/LC_MESSAGES/django.po.
NAV = {
    "หน้าหลัก": "Home",
    "ผลการประเมิน": "Assessments",
    "มาตรการ": "Measures",
    "บันทึกและรายงาน": "Memos and reports",
    "หน่วยงาน": "Agency",
    "เปลี่ยนรหัสผ่าน": "Change password",
    "ออกจากระบบ": "Log out",
}


def _stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def _reset_translation_caches():
    """Django caches catalogues per process; forget them so the fresh .mo is read, as Django's tests do when
    LOCALE_PATHS changes."""
    from django.test.signals import language_changed

    language_changed(setting="LOCALE_PATHS")


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    if any(_stale(po) for po in LOCALE.glob("*/LC_MESSAGES/*.po")):
        if shutil.which("msgfmt") is None:
            pytest.skip("GNU gettext (msgfmt) is not installed, so the .mo catalogues cannot be compiled")
        call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
        _reset_translation_caches()


@pytest.fixture(autouse=True)
def _restore_language():
    """A request activates its language for the whole thread and nothing deactivates it; without this, the English
    of these tests would leak into later tests that translate outside a request."""
    previous = translation.get_language()
    yield
    if previous:
        translation.activate(previous)
    else:
        translation.deactivate()


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list: one string per plural form) and
    flags. Obsolete entries (#~) are left out. Enough of the format for catalogues written by gettext's tools."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple[str, int] | None = None

    def unquote(text: str) -> str:
        text = text.strip()
        assert text.startswith('"') and text.endswith('"'), f"{path}: not a quoted string: {text!r}"
        escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
        return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text[1:-1])

    def finish():
        nonlocal entry
        if entry is not None and "msgid" in entry:
            entries.append(entry)
        entry = None

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            finish()
            field = None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": []}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert field is not None, f"{path}: continuation line outside an entry: {line!r}"
            name, index = field
            if name == "msgstr":
                entry["msgstr"][index] += unquote(line)
            else:
                entry[name] += unquote(line)
        else:
            match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
            assert match, f"{path}: cannot read {line!r}"
            name, index, text = match.group(1), int(match.group(2) or 0), unquote(match.group(3))
            if name == "msgstr":
                assert index == len(entry["msgstr"]), f"{path}: plural forms out of order at {line!r}"
                entry["msgstr"].append(text)
            else:
                entry[name] = text
            field = (name, index)
    finish()
    return entries


def _describe(entry: dict) -> str:
    return repr(entry["msgid"])


def test_english_catalogue_is_complete():
    entries = read_po(EN_PO)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "Language: en\n" in header["msgstr"][0]
    assert messages, "the English catalogue has no entries"
    untranslated = [_describe(e) for e in messages if not e["msgstr"] or not all(e["msgstr"])]
    fuzzy = [_describe(e) for e in messages if "fuzzy" in e["flags"]]
    assert not untranslated, (
        f"{len(untranslated)} untranslated entries in {EN_PO.relative_to(settings.BASE_DIR)} "
        "(translate them, then run `make messages`):\n" + "\n".join(untranslated)
    )
    assert not fuzzy, "fuzzy entries (check the translation, then remove the flag):\n" + "\n".join(fuzzy)
    plural = [e for e in messages if "msgid_plural" in e]
    assert all(len(e["msgstr"]) == 2 for e in plural), "English has two plural forms"


@pytest.mark.parametrize("po", [EN_PO, TH_PO], ids=["en", "th"])
def test_translations_keep_every_placeholder(po):
    wrong = []
    for entry in read_po(po)[1:]:
        expected = set(PLACEHOLDER.findall(entry["msgid"]))
        for text in entry["msgstr"]:
            if text and set(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{entry['msgid']!r} -> {text!r}")
    assert not wrong, "placeholders changed:\n" + "\n".join(wrong)


def test_thai_catalogue_holds_only_djangos_own_messages():
    """Source strings are Thai; only Django's English msgids need a Thai translation in locale/th."""
    entries = read_po(TH_PO)
    assert "Plural-Forms: nplurals=1; plural=0;" in entries[0]["msgstr"][0]
    thai_msgids = [_describe(e) for e in entries[1:] if THAI.search(e["msgid"])]
    assert not thai_msgids, "project strings in the Thai catalogue:\n" + "\n".join(thai_msgids)
    assert all(all(e["msgstr"]) and "fuzzy" not in e["flags"] for e in entries[1:])


def _navbar(html: str) -> str:
    match = re.search(r'<nav class="navbar.*?</nav>', html, re.S)
    assert match, "no navigation bar on the page"
    return match.group(0)


def test_english_login_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="en" data-digits="arabic">' in content
    assert "Log in" in content
    assert "Forgot your password?" in content
    assert "Language" in content
    for thai in ["เข้าสู่ระบบ", "ลืมรหัสผ่าน", "ชื่อผู้ใช้", "รหัสผ่าน", "ภาษา"]:
        assert thai not in content


def test_english_navigation_on_the_dashboard(client, coordinator_a, agency_a):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.force_login(coordinator_a)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en" data-digits="arabic">' in content
    nav = _navbar(content)
    for english in NAV.values():
        assert english in nav
    # What is left in Thai is data: the agency's name, the person's name and position.
    membership = coordinator_a.memberships.get()
    for data in [agency_a.name, coordinator_a.get_full_name(), membership.position_title]:
        nav = nav.replace(data, "")
    assert not THAI.search(nav), f"Thai left in the English menu: {THAI.findall(nav)}"
    assert "ITA coordinator" in content  # the role, from the model's choices
    assert agency_a.name in content  # data stays as entered


def test_thai_navigation_by_default(client, coordinator_a):
    client.force_login(coordinator_a)
    content = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="th" data-digits="thai">' in content
    nav = _navbar(content)
    for thai, english in NAV.items():
        assert thai in nav
        assert english not in nav


def test_thai_password_validator_messages(client, coordinator_a, password):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Kp7#wq", "new_password2": "Kp7#wq"},
    )
    assert response.status_code == 200  # the form again, with its errors
    content = response.content.decode()
    assert "รหัสผ่านนี้สั้นเกินไป ต้องมีความยาวอย่างน้อย ๑๐ ตัวอักษร" in content
    assert "This password is too short" not in content


def test_thai_messages_for_common_and_numeric_passwords(client, coordinator_a, password):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "1234567890", "new_password2": "1234567890"},
    )
    content = response.content.decode()
    assert "รหัสผ่านนี้เป็นรหัสผ่านที่มีผู้ใช้กันทั่วไป" in content
    assert "รหัสผ่านนี้เป็นตัวเลขทั้งหมด" in content
    assert "too common" not in content
    assert "entirely numeric" not in content


def test_english_password_validator_messages(client, coordinator_a, password):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.force_login(coordinator_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Kp7#wq", "new_password2": "Kp7#wq"},
    )
    assert "This password is too short. It must contain at least 10 characters." in response.content.decode()
