"""Factories for organisation data, with valid NIPs."""

from __future__ import annotations

import itertools
from functools import cache

import factory
from django.contrib.auth.hashers import make_password

from kinerja.accounts.models import User
from kinerja.organizations.models import Agency, Employee, Position, Region, Unit

PASSWORD = "kinerja-test-pw"  # noqa: S105 - test accounts only
_sequence = itertools.count(1)


@cache
def password_hash() -> str:
    """One argon2 hash for every test account (hashing is slow on purpose)."""
    return make_password(PASSWORD)


def make_nip(n: int | None = None, *, sex: int = 1, birth: str = "19850312") -> str:
    """A valid NIP for the n-th test employee: birth date, appointment month, sex, sequence."""
    n = next(_sequence) if n is None else n
    batch, seq = divmod(n, 999)
    year, month = 2010 + batch // 12, batch % 12 + 1
    return f"{birth}{year}{month:02d}{sex}{seq + 1:03d}"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "PLG"
    name = "Pemerintah Kota Palembang"
    head_title = "Wali Kota Palembang"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"AG{n}")
    name = factory.Sequence(lambda n: f"Dinas {n}")
    kind = "dinas"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"UNIT-{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    unit = factory.SubFactory(UnitFactory)
    code = factory.Sequence(lambda n: f"POS-{n}")
    name = factory.Sequence(lambda n: f"Jabatan {n}")
    kind = "pelaksana"
    level = ""


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    # A birth date of its own, so that factory NIPs never meet the personas' fixed ones.
    nip = factory.LazyFunction(lambda: make_nip(birth="19920704"))
    name = factory.Sequence(lambda n: f"Pegawai {n}")
    status = "pns"
    rank = "III/a"
    unit = factory.LazyAttribute(lambda o: o.position.unit if o.position else UnitFactory())
    position = None


def user_for(employee: Employee | None = None, *, username: str | None = None, **extra) -> User:
    return User.objects.create(
        username=username or employee.nip,
        employee=employee,
        password=password_hash(),
        **extra,
    )
