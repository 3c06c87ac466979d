from django.urls import path

from .views import (
    agreement,
    bands,
    goals,
    indicator,
    indicator_form,
    overview,
    plan,
    spreadsheets,
    tree,
)

app_name = "strategy"

urlpatterns = [
    path("kinerja-organisasi/", overview.overview, name="overview"),
    path("kinerja-organisasi/pohon/", tree.tree, name="tree"),
    path("kinerja-organisasi/rencana/", plan.plan, name="plan"),
    path("kinerja-organisasi/rencana/ubah/", plan.plan_edit, name="plan_edit"),
    path("kinerja-organisasi/predikat.css", bands.bands_css, name="bands_css"),
    path("kinerja-organisasi/impor/", spreadsheets.import_start, name="import"),
    path(
        "kinerja-organisasi/impor/templat.xlsx",
        spreadsheets.import_template,
        name="import_template",
    ),
    path(
        "kinerja-organisasi/ekspor/<str:agency>/<int:year>.xlsx",
        spreadsheets.export,
        name="export",
    ),
    path(
        "kinerja-organisasi/laporan/<str:agency>/<int:year>.pdf",
        spreadsheets.report_pdf,
        name="report_pdf",
    ),
    path(
        "kinerja-organisasi/laporan/<str:agency>/<int:year>.xlsx",
        spreadsheets.report_xlsx,
        name="report_xlsx",
    ),
    path("kinerja-organisasi/indikator/<int:pk>/", indicator.indicator, name="indicator"),
    path(
        "kinerja-organisasi/indikator/<int:pk>/ubah/",
        indicator_form.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "kinerja-organisasi/indikator/<int:pk>/realisasi/",
        indicator.realisation_add,
        name="realisation_add",
    ),
    path(
        "kinerja-organisasi/indikator/<int:pk>/bukti/", indicator.evidence_add, name="evidence_add"
    ),
    path(
        "kinerja-organisasi/realisasi/<int:pk>/verifikasi/",
        indicator.realisation_verify,
        name="realisation_verify",
    ),
    path("kinerja-organisasi/bukti/<int:pk>/", indicator.evidence, name="evidence"),
    path("kinerja-organisasi/<str:agency>/tujuan/", goals.goals, name="goals"),
    path(
        "kinerja-organisasi/<str:agency>/indikator/baru/",
        indicator_form.indicator_create,
        name="indicator_create",
    ),
    path("kinerja-organisasi/<str:agency>/pk/<int:year>/", agreement.agreement, name="agreement"),
]
