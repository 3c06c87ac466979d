"""The NIP rules of domain.md §1: 18 digits = birth date, appointment month, sex digit, sequence."""

from datetime import date

import pytest

from kinerja.core.nip import NipError, format_nip, normalize_nip, parse_nip

TODAY = date(2026, 1, 15)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("198503122010011002", "198503122010011002"),
        ("19850312 201001 1 002", "198503122010011002"),
        ("19850312.201001.1.002", "198503122010011002"),
        ("19850312-201001-1-002", "198503122010011002"),
        ("  19850312\t201001\n1 002  ", "198503122010011002"),
        ("", ""),
        (None, ""),
        (198503122010011002, "198503122010011002"),
    ],
)
def test_normalize_nip_drops_spaces_dots_and_dashes(raw, expected):
    assert normalize_nip(raw) == expected


@pytest.mark.parametrize(
    ("raw", "birth", "year", "month", "sex", "sequence"),
    [
        ("198503122010011002", date(1985, 3, 12), 2010, 1, "L", 2),
        ("198503122010012002", date(1985, 3, 12), 2010, 1, "P", 2),
        ("19850312 201001 2 999", date(1985, 3, 12), 2010, 1, "P", 999),
        ("198402292010011001", date(1984, 2, 29), 2010, 1, "L", 1),  # a real leap day
        ("190001011920011001", date(1900, 1, 1), 1920, 1, "L", 1),  # the earliest birth year
        ("198503122003031001", date(1985, 3, 12), 2003, 3, "L", 1),  # appointed the month of 18
        ("198503122026011001", date(1985, 3, 12), 2026, 1, "L", 1),  # appointed this month
        ("200801012026011001", date(2008, 1, 1), 2026, 1, "L", 1),  # 18 this month
    ],
)
def test_a_valid_nip_is_parsed_into_its_parts(raw, birth, year, month, sex, sequence):
    nip = parse_nip(raw, today=TODAY)

    assert nip.value == normalize_nip(raw)
    assert nip.birth_date == birth
    assert (nip.appointed_year, nip.appointed_month) == (year, month)
    assert nip.sex == sex
    assert nip.sequence == sequence


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        # present at all
        ("", "required"),
        ("   ", "required"),
        (" . - ", "required"),
        # digits only
        ("19850312201001100A", "digits"),
        ("19850312/201001/1/002", "digits"),
        ("١٩٨٥٠٣١٢٢٠١٠٠١١٠٠٢", "digits"),  # Arabic-Indic digits are digits, but not ASCII
        ("１９８５０３１２２０１００１１００２", "digits"),  # full-width digits
        # 18 of them
        ("19850312201001100", "length"),
        ("1985031220100110021", "length"),
        ("1985", "length"),
        # a real birth date
        ("198502312010011002", "birth_date"),  # 31 February
        ("198502292010011002", "birth_date"),  # 1985 is no leap year
        ("198513012010011002", "birth_date"),  # month 13
        ("198500122010011002", "birth_date"),  # month 00
        ("198503002010011002", "birth_date"),  # day 00
        ("000001012010011002", "birth_date"),  # year 0
        # born 1900 or later and not in the future
        ("189912312010011002", "birth_date"),
        ("202601162026011001", "birth_date"),  # tomorrow
        # appointment month 01–12
        ("198503122010001002", "appointment"),
        ("198503122010131002", "appointment"),
        # appointment not in the future
        ("198503122026021002", "appointment"),  # next month
        ("198503122030011002", "appointment"),
        # appointed at 18 or older
        ("198503122003021002", "appointment"),  # one month short of 18
        ("198503121990011002", "appointment"),  # a child
        ("198503121980011002", "appointment"),  # before birth
        # sex digit 1 or 2
        ("198503122010010002", "sex"),
        ("198503122010013002", "sex"),
        ("198503122010019002", "sex"),
        # sequence not 000
        ("198503122010011000", "sequence"),
    ],
)
def test_an_invalid_nip_is_refused_with_the_rule_it_breaks(raw, code):
    with pytest.raises(NipError) as caught:
        parse_nip(raw, today=TODAY)

    assert caught.value.code == code
    assert caught.value.messages  # a reason a person can read


def test_the_future_is_measured_from_the_given_day():
    assert parse_nip("198503122026021002", today=date(2026, 2, 1)).appointed_month == 2
    with pytest.raises(NipError):
        parse_nip("198503122026021002", today=date(2026, 1, 31))


def test_a_nip_error_is_a_validation_error_that_forms_can_show():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_nip("123", today=TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("198503122010011002", "19850312 201001 1 002"),
        ("199506092019032005", "19950609 201903 2 005"),
        ("12345", "12345"),  # not a NIP: shown as it is
        ("", ""),
    ],
)
def test_format_nip_groups_the_parts_as_on_official_documents(value, expected):
    assert format_nip(value) == expected
