"""Plans for tests: an approved plan for a persona of the cast, built through the services."""

from __future__ import annotations

from kinerja.skp import services
from kinerja.skp.models import Skp


def approved_plan(cast, who: str = "employee", year: int = 2026, *, supports=None) -> Skp:
    """``who``'s plan with one main result and two indicators, submitted and approved."""
    user = cast.users[who]
    skp = services.skp_create(
        employee=cast.employees[who], year=year, approach="kuantitatif", by=user
    )
    services.rhk_add(
        skp=skp,
        by=user,
        kind="utama",
        text="Terlaksananya asuhan keperawatan pasien rawat jalan",
        supports=supports,
        indicators=[
            {
                "aspect": "kuantitas",
                "text": "Jumlah pasien yang dilayani",
                "target": "1200",
                "unit": "pasien",
            },
            {"aspect": "kualitas", "text": "Kepuasan pasien", "target": "80-90", "unit": "%"},
        ],
    )
    services.skp_submit(skp=skp, by=user)
    rater = cast.users[_rater_key(cast, skp)]
    services.skp_approve(skp=skp, by=rater)
    skp.refresh_from_db()
    return skp


def _rater_key(cast, skp: Skp) -> str:
    return next(key for key, e in cast.employees.items() if e.pk == skp.rater_id)
