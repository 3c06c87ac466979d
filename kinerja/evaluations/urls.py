"""The evaluation pages, under ``/penilaian/``, the evaluation's official documents, and
"Kinerja saya" (``/kinerja-saya/``: one's plan with what its evaluation rests on)."""

from django.urls import path, register_converter

from kinerja.core.periods import ALL_KINDS, Period, parse_period

from .views import (
    coaching,
    completion,
    correction,
    credit,
    development,
    documents,
    feedback,
    home,
    mine,
    objection,
    rate,
    rhythm,
    unit,
)
from .views import self_assessment as assessment


class PeriodConverter:
    """A period of any kind in the address — ``2026``, ``2026-S1``, ``2026-Q2`` or ``2026-05`` —
    given to the view as a :class:`~kinerja.core.periods.Period`; one that does not exist
    (``2026-Q5``, ``1999``) matches no page (404)."""

    regex = r"[0-9]{4}(?:-(?:[0-9]{2}|[QqSs][0-9]))?"

    def to_python(self, value: str) -> Period:
        return parse_period(value, kinds=ALL_KINDS)  # a PeriodError is a ValueError: no match

    def to_url(self, value) -> str:
        return str(value)


register_converter(PeriodConverter, "evalperiod")

app_name = "evaluations"
urlpatterns = [
    path("kinerja-saya/", mine.mine, name="mine"),
    path("penilaian/<int:evaluation_id>/dokumen.pdf", documents.evaluation_pdf, name="pdf"),
    path("penilaian/unduh/penilaian.xlsx", documents.ratings_xlsx, name="ratings_xlsx"),
    path("penilaian/", home.home, name="home"),
    path("penilaian/angka-kredit/<str:nip>/", credit.credit, name="credit"),
    path("penilaian/angka-kredit/<str:nip>/pak.pdf", credit.credit_pdf, name="credit_pdf"),
    path("penilaian/ritme/", rhythm.rhythm, name="rhythm"),
    path("penilaian/pantauan/", completion.completion, name="completion"),
    path("penilaian/unit/", unit.unit_pick, name="unit_pick"),
    path("penilaian/unit/<str:unit_code>/<evalperiod:period>/", unit.unit, name="unit"),
    path("penilaian/skp/<int:skp_id>/umpan-balik/", feedback.feedback, name="feedback"),
    path(
        "penilaian/skp/<int:skp_id>/pengembangan/",
        development.development_open,
        name="development_open",
    ),
    path("penilaian/skp/<int:skp_id>/<evalperiod:period>/", rate.rate, name="rate"),
    path(
        "penilaian/skp/<int:skp_id>/<evalperiod:period>/mandiri/",
        assessment.self_assessment,
        name="self_assessment",
    ),
    path(
        "penilaian/evaluasi/<int:evaluation_id>/keberatan/",
        objection.objection_file,
        name="objection_file",
    ),
    path(
        "penilaian/evaluasi/<int:evaluation_id>/koreksi/",
        correction.correction,
        name="correction",
    ),
    path("penilaian/keberatan/<int:objection_id>/", objection.objection, name="objection"),
    path("penilaian/pengembangan/<int:plan_id>/", development.development, name="development"),
    path("penilaian/pendampingan/<int:item_id>/", coaching.coaching, name="coaching"),
]
