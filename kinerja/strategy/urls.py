from django.urls import path

from . import views, views_spreadsheets

app_name = "strategy"

urlpatterns = [
    path("kinerja-organisasi/", views.overview, name="overview"),
    path("kinerja-organisasi/pohon/", views.tree, name="tree"),
    path("kinerja-organisasi/rencana/", views.plan, name="plan"),
    path("kinerja-organisasi/rencana/ubah/", views.plan_edit, name="plan_edit"),
    path("kinerja-organisasi/predikat.css", views.bands_css, name="bands_css"),
    path("kinerja-organisasi/impor/", views_spreadsheets.import_start, name="import"),
    path(
        "kinerja-organisasi/impor/templat.xlsx",
        views_spreadsheets.import_template,
        name="import_template",
    ),
    path(
        "kinerja-organisasi/ekspor/<str:agency>/<int:year>.xlsx",
        views_spreadsheets.export,
        name="export",
    ),
    path(
        "kinerja-organisasi/laporan/<str:agency>/<int:year>.pdf",
        views_spreadsheets.report_pdf,
        name="report_pdf",
    ),
    path(
        "kinerja-organisasi/laporan/<str:agency>/<int:year>.xlsx",
        views_spreadsheets.report_xlsx,
        name="report_xlsx",
    ),
    path("kinerja-organisasi/indikator/<int:pk>/", views.indicator, name="indicator"),
    path(
        "kinerja-organisasi/indikator/<int:pk>/ubah/", views.indicator_edit, name="indicator_edit"
    ),
    path(
        "kinerja-organisasi/indikator/<int:pk>/realisasi/",
        views.realisation_add,
        name="realisation_add",
    ),
    path("kinerja-organisasi/indikator/<int:pk>/bukti/", views.evidence_add, name="evidence_add"),
    path(
        "kinerja-organisasi/realisasi/<int:pk>/verifikasi/",
        views.realisation_verify,
        name="realisation_verify",
    ),
    path("kinerja-organisasi/bukti/<int:pk>/", views.evidence, name="evidence"),
    path("kinerja-organisasi/<str:agency>/tujuan/", views.goals, name="goals"),
    path(
        "kinerja-organisasi/<str:agency>/indikator/baru/",
        views.indicator_create,
        name="indicator_create",
    ),
    path("kinerja-organisasi/<str:agency>/pk/<int:year>/", views.agreement, name="agreement"),
]
