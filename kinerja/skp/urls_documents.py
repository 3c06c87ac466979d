"""The official documents of individual performance (see :mod:`.views_documents`)."""

from django.urls import path

from . import views_documents as views

app_name = "documents"
urlpatterns = [
    path("skp/<int:skp_id>/dokumen.pdf", views.skp_pdf, name="skp_pdf"),
    path("skp/unduh/rencana.xlsx", views.plans_xlsx, name="plans_xlsx"),
    path("penilaian/<int:evaluation_id>/dokumen.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("penilaian/unduh/penilaian.xlsx", views.ratings_xlsx, name="ratings_xlsx"),
]
