"""The plans' official documents (see :mod:`.views.documents`). The site mounts them with the
evaluation's documents in one namespace, ``documents``
(:mod:`kinerja.evaluations.urls_documents`)."""

from django.urls import path

from .views import documents

app_name = "documents"
urlpatterns = [
    path("skp/<int:skp_id>/dokumen.pdf", documents.skp_pdf, name="skp_pdf"),
    path("skp/unduh/rencana.xlsx", documents.plans_xlsx, name="plans_xlsx"),
]
