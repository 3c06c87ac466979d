"""The standard cast of every access test (architecture.md rule 4).

Dinas Kesehatan (DINKES)                      Dinas Dukcapil (DUKCAPIL)
  Kepala Dinas ............ head                Kepala Dinas ..... other_head
  └ Kepala Bidang ......... rater_superior      └ Operator ....... outsider
    ├ Kepala Puskesmas .... rater
    │ └ Perawat ........... employee, colleague
    └ Analis Kepegawaian .. pengelola (Pengelola Kinerja of DINKES)
plus ``admin`` (Admin BKPSDM) and ``auditor`` (Auditor), who are not employees.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinerja.accounts.models import Role, RoleAssignment, User
from kinerja.organizations.chains import rater_chains_sync
from kinerja.organizations.models import Agency, Employee, Position, Unit

from .factories import RegionFactory, make_nip, user_for


@dataclass
class Cast:
    dinkes: Agency
    dukcapil: Agency
    units: dict[str, Unit]
    positions: dict[str, Position]
    employees: dict[str, Employee]
    users: dict[str, User]

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_cast() -> Cast:
    region = RegionFactory()
    dinkes = Agency.objects.create(
        region=region, code="DINKES", name="Dinas Kesehatan", kind="dinas"
    )
    dukcapil = Agency.objects.create(
        region=region, code="DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil", kind="dinas"
    )
    u = {}
    u["dinkes"] = Unit.objects.create(agency=dinkes, code="DINKES", name="Dinas Kesehatan")
    u["yankes"] = Unit.objects.create(
        agency=dinkes, parent=u["dinkes"], code="DINKES-YANKES", name="Bidang Pelayanan Kesehatan"
    )
    u["pkm"] = Unit.objects.create(
        agency=dinkes, parent=u["yankes"], code="DINKES-PKM-PLAJU", name="UPTD Puskesmas Plaju"
    )
    u["dukcapil"] = Unit.objects.create(agency=dukcapil, code="DUKCAPIL", name="Dinas Dukcapil")

    p = {}
    p["kadis"] = Position.objects.create(
        unit=u["dinkes"],
        code="DINKES-KADIS",
        name="Kepala Dinas Kesehatan",
        kind="jpt",
        level="pratama",
    )
    p["kabid"] = Position.objects.create(
        unit=u["yankes"], code="DINKES-KABID-YANKES", name="Kepala Bidang Pelayanan Kesehatan",
        kind="administrator", reports_to=p["kadis"],
    )  # fmt: skip
    p["kapus"] = Position.objects.create(
        unit=u["pkm"], code="DINKES-PKM-PLAJU-KEPALA", name="Kepala Puskesmas Plaju",
        kind="pengawas", reports_to=p["kabid"],
    )  # fmt: skip
    p["perawat"] = Position.objects.create(
        unit=u["pkm"], code="DINKES-PKM-PLAJU-PERAWAT", name="Perawat Terampil",
        kind="jf", level="terampil", reports_to=p["kapus"],
    )  # fmt: skip
    p["analis"] = Position.objects.create(
        unit=u["yankes"], code="DINKES-ANALIS-SDM", name="Analis Kepegawaian",
        kind="pelaksana", reports_to=p["kabid"],
    )  # fmt: skip
    p["dukcapil_kadis"] = Position.objects.create(
        unit=u["dukcapil"],
        code="DUKCAPIL-KADIS",
        name="Kepala Dinas Dukcapil",
        kind="jpt",
        level="pratama",
    )
    p["operator"] = Position.objects.create(
        unit=u["dukcapil"], code="DUKCAPIL-OPERATOR", name="Operator KTP-el",
        kind="pelaksana", reports_to=p["dukcapil_kadis"],
    )  # fmt: skip
    dinkes.head_position = p["kadis"]
    dinkes.save()
    dukcapil.head_position = p["dukcapil_kadis"]
    dukcapil.save()

    def emp(key, name, pos, n, sex=1):
        return Employee.objects.create(
            nip=make_nip(n, sex=sex), name=name, status="pns", rank="III/a",
            unit=p[pos].unit, position=p[pos],
        )  # fmt: skip

    e = {
        "head": emp("head", "dr. Hendra Wijaya, M.Kes", "kadis", 101),
        "rater_superior": emp("rater_superior", "Rina Marlina, S.KM", "kabid", 102, 2),
        "rater": emp("rater", "dr. Ahmad Fauzi", "kapus", 103),
        "employee": emp("employee", "Siti Aminah, A.Md.Kep", "perawat", 104, 2),
        "colleague": emp("colleague", "Dewi Lestari, A.Md.Kep", "perawat", 105, 2),
        "pengelola": emp("pengelola", "Yusuf Hidayat, S.E.", "analis", 106),
        "other_head": emp("other_head", "Drs. Bambang Sutrisno", "dukcapil_kadis", 107),
        "outsider": emp("outsider", "Andi Saputra", "operator", 108),
    }
    users = {key: user_for(employee) for key, employee in e.items()}
    users["admin"] = user_for(username="admin")
    users["auditor"] = user_for(username="auditor")
    RoleAssignment.objects.create(user=users["admin"], role=Role.ADMIN_BKPSDM)
    RoleAssignment.objects.create(user=users["auditor"], role=Role.AUDITOR)
    RoleAssignment.objects.create(
        user=users["pengelola"], role=Role.PENGELOLA_KINERJA, agency=dinkes
    )
    rater_chains_sync()
    return Cast(dinkes, dukcapil, u, p, e, users)
