"""Thai calendar helpers: fiscal years, BE years, Thai digits, date and number formatting, parsing."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from ita_tracker import thai


@pytest.fixture
def thai_language():
    with translation.override("th"):
        yield


@pytest.fixture
def english_language():
    with translation.override("en"):
        yield


# --- Buddhist era ----------------------------------------------------------------------------


def test_be_conversions():
    assert thai.BE_OFFSET == 543
    assert thai.to_be(2021) == 2564
    assert thai.to_ce(2564) == 2021
    assert thai.to_ce(thai.to_be(1999)) == 1999


def test_month_names():
    assert len(thai.THAI_MONTHS) == len(thai.THAI_MONTHS_ABBR) == 13
    assert thai.THAI_MONTHS[1] == "มกราคม"
    assert thai.THAI_MONTHS[12] == "ธันวาคม"
    assert thai.THAI_MONTHS_ABBR[5] == "พ.ค."
    assert thai.THAI_MONTHS_ABBR[10] == "ต.ค."


# --- Fiscal year -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 9, 30), 2566),
        (date(2023, 10, 1), 2567),
        (date(2023, 12, 31), 2567),
        (date(2024, 1, 1), 2567),
        (date(2024, 2, 29), 2567),
        (date(2024, 9, 30), 2567),
        (date(2024, 10, 1), 2568),
        (date(2020, 9, 30), 2563),
        (date(2020, 10, 1), 2564),
        (date(2020, 12, 31), 2564),
        (date(2021, 1, 1), 2564),
        (date(2021, 9, 30), 2564),
        (date(2021, 10, 1), 2565),
    ],
)
def test_fiscal_year_boundaries(day, expected):
    assert thai.fiscal_year(day) == expected


def test_fiscal_year_of_aware_datetime_uses_local_day():
    # 17:30 UTC on 30 September is 00:30 on 1 October in Bangkok: the next fiscal year.
    assert thai.fiscal_year(datetime(2023, 9, 30, 17, 30, tzinfo=UTC)) == 2567


@pytest.mark.parametrize("year_be", [2563, 2564, 2567, 2568])
def test_fiscal_year_range(year_be):
    start, end = thai.fiscal_year_range(year_be)
    assert (start.month, start.day) == (10, 1)
    assert (end.month, end.day) == (9, 30)
    assert thai.fiscal_year(start) == thai.fiscal_year(end) == year_be


def test_fiscal_year_range_example():
    assert thai.fiscal_year_range(2567) == (date(2023, 10, 1), date(2024, 9, 30))


def test_half_year_end():
    assert thai.half_year_end(2567) == date(2024, 3, 31)
    assert thai.fiscal_year(thai.half_year_end(2564)) == 2564


# --- Digits ----------------------------------------------------------------------------------


def test_thai_digits_both_ways():
    assert thai.thai_digits("0123456789") == "๐๑๒๓๔๕๖๗๘๙"
    assert thai.arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert thai.thai_digits(2564) == "๒๕๖๔"
    assert thai.thai_digits(Decimal("-1.50")) == "-๑.๕๐"
    assert thai.thai_digits("ข้อ 3.1") == "ข้อ ๓.๑"
    # Item codes keep Latin digits; the steps of a Thai sentence do not.
    assert thai.thai_digits("ข้อ o42 และ o43, IIT1") == "ข้อ o42 และ o43, IIT1"
    assert thai.thai_digits("ขั้นตอนที่ 4–5 (e11)") == "ขั้นตอนที่ ๔–๕ (e11)"
    assert thai.arabic_digits("๓/๕/๒๕๖๔") == "3/5/2564"
    assert thai.arabic_digits(thai.thai_digits("15,642,769.55")) == "15,642,769.55"


def test_digit_default_follows_language():
    with translation.override("th"):
        assert thai.use_thai_digits() is True
    with translation.override("th-th"):
        assert thai.use_thai_digits() is True
    with translation.override("en"):
        assert thai.use_thai_digits() is False
    with translation.override(None):
        assert thai.use_thai_digits() is True


def test_the_agencys_choice_rules_thai_pages_only_and_is_asked_once():
    asked = []

    def chose_arabic():
        asked.append(1)
        return False

    with thai.agency_digits(chose_arabic):
        assert asked == []  # nothing formatted yet: the agency is not looked up
        with translation.override("en"):
            assert thai.use_thai_digits() is False
            assert asked == []  # English pages are Arabic whatever the agency chose
        with translation.override("th"):
            assert thai.use_thai_digits() is False
            assert thai.format_number(1234.5) == "1,234.50"
            assert thai.local_digits("รอบ ๖ เดือน") == "รอบ 6 เดือน"
            assert str(thai.in_local_digits("รอบ ๖ เดือน")) == "รอบ 6 เดือน"
            with thai.digit_style("thai"):  # a document rendered with its own setting still wins
                assert thai.use_thai_digits() is True
        assert asked == [1]
    with translation.override("th"), thai.agency_digits(lambda: None):  # no agency: the project's Thai
        assert thai.use_thai_digits() is True
    with translation.override("th"), thai.agency_digits(True):
        assert thai.local_digits(2567) == "๒๕๖๗"


def test_digit_style_overrides_language_and_resets(thai_language):
    assert thai.use_thai_digits() is True
    with thai.digit_style("arabic"):
        assert thai.use_thai_digits() is False
        assert thai.format_date(date(2021, 5, 3)) == "3 พฤษภาคม 2564"
        with translation.override("en"):
            assert thai.use_thai_digits() is False
        with thai.digit_style("thai"):
            assert thai.use_thai_digits() is True
            with translation.override("en"):
                assert thai.use_thai_digits() is True
        assert thai.use_thai_digits() is False
    assert thai.use_thai_digits() is True
    assert thai.format_date(date(2021, 5, 3)) == "๓ พฤษภาคม ๒๕๖๔"


def test_digit_style_resets_after_an_exception(thai_language):
    with pytest.raises(RuntimeError), thai.digit_style("arabic"):
        raise RuntimeError
    assert thai.use_thai_digits() is True


def test_explicit_digits_argument_wins_over_digit_style(thai_language):
    with thai.digit_style("arabic"):
        assert thai.format_number(1234, 0, digits="thai") == "๑,๒๓๔"
    assert thai.format_number(1234, 0, digits="arabic") == "1,234"


def test_unknown_digit_style_is_refused():
    with pytest.raises(ValueError), thai.digit_style("roman"):
        pass
    with pytest.raises(ValueError):
        thai.format_number(1, digits="roman")


# --- Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("long", "๓ พฤษภาคม ๒๕๖๔"),
        ("abbr", "๓ พ.ค. ๒๕๖๔"),
        ("short", "๓ พ.ค. ๖๔"),
        ("numeric", "๓/๕/๒๕๖๔"),
    ],
)
def test_format_date_thai(thai_language, style, expected):
    assert thai.format_date(date(2021, 5, 3), style) == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("long", "3 พฤษภาคม 2564"),
        ("abbr", "3 พ.ค. 2564"),
        ("short", "3 พ.ค. 64"),
        ("numeric", "3/5/2564"),
    ],
)
def test_format_date_thai_with_arabic_digits(thai_language, style, expected):
    assert thai.format_date(date(2021, 5, 3), style, digits="arabic") == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("long", "3 May 2021"),
        ("abbr", "3 May 2021"),
        ("short", "3 May 21"),
        ("numeric", "3/5/2021"),
    ],
)
def test_format_date_english(english_language, style, expected):
    assert thai.format_date(date(2021, 5, 3), style) == expected


def test_format_date_english_months(english_language):
    assert thai.format_date(date(2023, 9, 30)) == "30 September 2023"
    assert thai.format_date(date(2023, 9, 30), "abbr") == "30 Sep 2023"


def test_format_date_default_style_and_two_digit_year(thai_language):
    assert thai.format_date(date(2043, 1, 9)) == "๙ มกราคม ๒๕๘๖"
    # 2543 BE is the year 2000: the short year keeps its leading zero.
    assert thai.format_date(date(2000, 12, 1), "short") == "๑ ธ.ค. ๔๓"
    assert thai.format_date(date(1957, 6, 1), "short", digits="arabic") == "1 มิ.ย. 00"


def test_format_date_accepts_datetimes(thai_language):
    # 20:00 UTC on 2 May is 03:00 on 3 May in Bangkok.
    assert thai.format_date(datetime(2021, 5, 2, 20, 0, tzinfo=UTC)) == "๓ พฤษภาคม ๒๕๖๔"
    assert thai.format_date(datetime(2021, 5, 3, 23, 59)) == "๓ พฤษภาคม ๒๕๖๔"


def test_format_date_refuses_unknown_style_and_non_dates(thai_language):
    with pytest.raises(ValueError, match="style"):
        thai.format_date(date(2021, 5, 3), "medium")
    with pytest.raises(TypeError):
        thai.format_date("2021-05-03")


def test_format_month_year(thai_language):
    assert thai.format_month_year(date(2020, 10, 15)) == "ต.ค. ๖๓"
    assert thai.format_month_year(date(2021, 9, 1), digits="arabic") == "ก.ย. 64"
    with translation.override("en"):
        assert thai.format_month_year(date(2020, 10, 15)) == "Oct 2020"


def test_format_period(thai_language):
    start, end = date(2020, 10, 1), date(2021, 9, 30)
    assert thai.format_period(start, end) == "ต.ค. ๖๓ – ก.ย. ๖๔"
    assert thai.format_period(start, end, digits="arabic") == "ต.ค. 63 – ก.ย. 64"
    assert thai.format_period(start, None) == "ต.ค. ๖๓"
    assert thai.format_period(None, end) == "ก.ย. ๖๔"
    assert thai.format_period(None, None) == ""
    assert thai.format_period(date(2021, 3, 1), date(2021, 3, 31)) == "มี.ค. ๖๔"
    # Same month number in different years is two months.
    assert thai.format_period(date(2020, 3, 1), date(2021, 3, 31)) == "มี.ค. ๖๓ – มี.ค. ๖๔"


# --- Parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["3/5/2564", "03/05/2564", "3-5-2564", "3.5.2564", "๓/๕/๒๕๖๔", "  3/5/2564 \t", "2564-05-03", "2564-5-3"],
)
def test_parse_be_date_accepts(text):
    assert thai.parse_be_date(text) == date(2021, 5, 3)


def test_parse_be_date_leap_day():
    assert thai.parse_be_date("29/2/2567") == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("", "ระบุวันที่"),
        ("   ", "ระบุวันที่"),
        ("abc", "รูปแบบ"),
        ("3/5", "รูปแบบ"),
        ("3/5-2564", "รูปแบบ"),
        ("3 พ.ค. 2564", "รูปแบบ"),
        ("31/2/2564", "ไม่มีวันที่ 31 กุมภาพันธ์"),
        ("29/2/2566", "ไม่มีวันที่ 29 กุมภาพันธ์"),
        ("0/5/2564", "ไม่มีวันที่ 0"),
        ("3/13/2564", "เดือน"),
        ("3/5/2021", "ค.ศ."),
        ("2021-05-03", "ค.ศ."),
        ("3/5/64", "2 หลัก"),
        ("3/5/25640", "4 หลัก"),
        ("3/5/3000", "นอกช่วง"),
    ],
)
def test_parse_be_date_refuses(text, mentions):
    with pytest.raises(ValueError) as caught:
        thai.parse_be_date(text)
    assert mentions in str(caught.value)


def test_parse_be_date_ce_year_message_suggests_the_be_year():
    with pytest.raises(ValueError) as caught:
        thai.parse_be_date("3/5/2021")
    message = str(caught.value)
    assert "2021" in message
    assert "ค.ศ." in message
    assert "พ.ศ. 2564" in message


def test_parse_be_date_round_trips_numeric_format():
    day = date(2024, 2, 29)
    assert thai.parse_be_date(thai.format_date(day, "numeric", digits="thai")) == day


# --- Numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("15642769.55"), 2, "15,642,769.55"),
        (15642769.549, 2, "15,642,769.55"),
        (1234, 2, "1,234.00"),
        (1234, 0, "1,234"),
        (Decimal("0.125"), 2, "0.13"),
        (2.675, 2, "2.68"),
        (Decimal("-1234.5"), 1, "-1,234.5"),
        (Decimal("-0.001"), 2, "0.00"),
        (0, 2, "0.00"),
        ("999.995", 2, "1,000.00"),
    ],
)
def test_format_number(value, decimals, expected):
    assert thai.format_number(value, decimals, digits="arabic") == expected


def test_format_number_digits(thai_language):
    assert thai.format_number(Decimal("15642769.55")) == "๑๕,๖๔๒,๗๖๙.๕๕"
    with thai.digit_style("arabic"):
        assert thai.format_number(Decimal("15642769.55")) == "15,642,769.55"
    with translation.override("en"):
        assert thai.format_number(Decimal("15642769.55")) == "15,642,769.55"


def test_format_number_none_and_bad_values():
    assert thai.format_number(None) == ""
    with pytest.raises(ValueError):
        thai.format_number("abc")
    with pytest.raises(ValueError):
        thai.format_number(float("nan"))
    with pytest.raises(ValueError):
        thai.format_number(1, decimals=-1)
