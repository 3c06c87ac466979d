from django.urls import path, register_converter

from . import views, views_development, views_feedback, views_rate


class PeriodConverter:
    """``2026``, ``2026-S1``, ``2026-Q2`` or ``2026-05`` (checked again by the views)."""

    regex = r"[0-9]{4}(?:-(?:[0-9]{2}|[QqSs][0-9]))?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(PeriodConverter, "evalperiod")

app_name = "evaluations"
urlpatterns = [
    path("penilaian/", views.home, name="home"),
    path("penilaian/ritme/", views.rhythm, name="rhythm"),
    path("penilaian/pantauan/", views.completion, name="completion"),
    path("penilaian/unit/", views.unit_pick, name="unit_pick"),
    path("penilaian/unit/<str:unit_code>/<evalperiod:period>/", views.unit, name="unit"),
    path("penilaian/skp/<int:skp_id>/umpan-balik/", views_feedback.feedback, name="feedback"),
    path(
        "penilaian/skp/<int:skp_id>/pengembangan/",
        views_development.development_open,
        name="development_open",
    ),
    path("penilaian/skp/<int:skp_id>/<evalperiod:period>/", views_rate.rate, name="rate"),
    path(
        "penilaian/skp/<int:skp_id>/<evalperiod:period>/mandiri/",
        views_rate.self_assessment,
        name="self_assessment",
    ),
    path(
        "penilaian/evaluasi/<int:evaluation_id>/keberatan/",
        views_rate.objection_file,
        name="objection_file",
    ),
    path("penilaian/keberatan/<int:objection_id>/", views_rate.objection, name="objection"),
    path(
        "penilaian/pengembangan/<int:plan_id>/", views_development.development, name="development"
    ),
]
