"""Plans for tests: an approved plan for a persona of the cast, built through the services."""

from __future__ import annotations

from django.utils import timezone

from kinerja.skp import services
from kinerja.skp.models import IkiRealisation, Skp
from kinerja.skp.verification import IkiRealisationState


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


def verified_realisation(*, iki, period: str, value, by, note: str = "") -> IkiRealisation:
    """Setup shortcut: a realisation recorded by ``by`` (through the operation) and verified
    as the plan's rater would, so that it counts in achievement (only verified values count;
    the verification itself is tested through its operation in
    test_service_realisation_verify.py and the pages)."""
    realisation = services.realisation_record(iki=iki, period=period, value=value, note=note, by=by)
    IkiRealisation.objects.filter(pk=realisation.pk).update(
        state=IkiRealisationState.VERIFIED, verified_at=timezone.now()
    )
    realisation.refresh_from_db()
    return realisation
