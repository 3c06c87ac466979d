"""The plan (SKP) pages and the plans' official documents, in Indonesian like the rest of
the site. "Kinerja saya" shows a plan with its evaluations, so it is the evaluation app's
(``evaluations:mine``)."""

from django.urls import path

from .views import binding, documents, edit, matrix, plan, report, team, workflow

app_name = "skp"

urlpatterns = [
    path("skp/<int:skp_id>/dokumen.pdf", documents.skp_pdf, name="pdf"),
    path("skp/unduh/rencana.xlsx", documents.plans_xlsx, name="plans_xlsx"),
    path("kinerja-saya/mulai/", plan.start, name="start"),
    path("skp/tim/", team.team, name="team"),
    path("skp/bukti/<int:pk>/", plan.evidence, name="evidence"),
    path("skp/<int:pk>/", plan.detail, name="detail"),
    path("skp/<int:pk>/lampiran/", edit.attachment, name="attachment"),
    path("skp/<int:pk>/rhk/baru/", edit.rhk_add, name="rhk_add"),
    path("skp/<int:pk>/rhk/<int:rhk>/ubah/", edit.rhk_edit, name="rhk_edit"),
    path("skp/<int:pk>/rhk/<int:rhk>/hapus/", edit.rhk_delete, name="rhk_delete"),
    path("skp/<int:pk>/iki/<int:iki>/data-layanan/", binding.iki_binding, name="iki_binding"),
    path("skp/<int:pk>/ekspektasi/", edit.expectations, name="expectations"),
    path("skp/<int:pk>/ajukan/", workflow.submit, name="submit"),
    path("skp/<int:pk>/setujui/", workflow.approve, name="approve"),
    path("skp/<int:pk>/mutasi/", workflow.transfer, name="transfer"),
    path("skp/<int:pk>/berakhir/", workflow.end, name="end"),
    path("skp/<int:pk>/kembalikan/", workflow.return_, name="return"),
    path("skp/<int:pk>/realisasi/", report.realisation, name="realisation"),
    path("skp/<int:pk>/realisasi/simpan/", report.realisation_add, name="realisation_add"),
    path("skp/<int:pk>/bukti/", report.evidence_add, name="evidence_add"),
    path(
        "skp/realisasi/<int:pk>/verifikasi/",
        report.realisation_verify,
        name="realisation_verify",
    ),
    path("skp/<int:pk>/matriks/", matrix.matrix, name="matrix"),
    path("skp/<int:pk>/matriks/templat/", matrix.template_save, name="template_save"),
    path(
        "skp/<int:pk>/matriks/templat/<int:template>/terapkan/",
        matrix.template_apply,
        name="template_apply",
    ),
]
