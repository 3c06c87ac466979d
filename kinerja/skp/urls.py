"""The plan (SKP) pages, in Indonesian like the rest of the site."""

from django.urls import path

from . import views, views_binding, views_edit, views_matrix, views_report

app_name = "skp"

urlpatterns = [
    path("kinerja-saya/", views.mine, name="mine"),
    path("kinerja-saya/mulai/", views.start, name="start"),
    path("skp/tim/", views.team, name="team"),
    path("skp/bukti/<int:pk>/", views.evidence, name="evidence"),
    path("skp/<int:pk>/", views.detail, name="detail"),
    path("skp/<int:pk>/lampiran/", views_edit.attachment, name="attachment"),
    path("skp/<int:pk>/rhk/baru/", views_edit.rhk_add, name="rhk_add"),
    path("skp/<int:pk>/rhk/<int:rhk>/ubah/", views_edit.rhk_edit, name="rhk_edit"),
    path("skp/<int:pk>/rhk/<int:rhk>/hapus/", views_edit.rhk_delete, name="rhk_delete"),
    path(
        "skp/<int:pk>/iki/<int:iki>/data-layanan/",
        views_binding.iki_binding,
        name="iki_binding",
    ),
    path("skp/<int:pk>/ekspektasi/", views_edit.expectations, name="expectations"),
    path("skp/<int:pk>/ajukan/", views.submit, name="submit"),
    path("skp/<int:pk>/setujui/", views.approve, name="approve"),
    path("skp/<int:pk>/mutasi/", views.transfer, name="transfer"),
    path("skp/<int:pk>/kembalikan/", views.return_, name="return"),
    path("skp/<int:pk>/realisasi/", views_report.realisation, name="realisation"),
    path("skp/<int:pk>/realisasi/simpan/", views_report.realisation_add, name="realisation_add"),
    path("skp/<int:pk>/bukti/", views_report.evidence_add, name="evidence_add"),
    path("skp/<int:pk>/matriks/", views_matrix.matrix, name="matrix"),
    path("skp/<int:pk>/matriks/templat/", views_matrix.template_save, name="template_save"),
    path(
        "skp/<int:pk>/matriks/templat/<int:template>/terapkan/",
        views_matrix.template_apply,
        name="template_apply",
    ),
]
