"""The official documents of individual performance in one namespace (``documents:``) as the
site mounts it: the plans' (:mod:`kinerja.skp.urls_documents`) and the evaluation's — the
evaluation document and a unit's ratings (:mod:`.views.documents`)."""

from django.urls import path

from kinerja.skp import urls_documents as skp_documents

from .views import documents

app_name = skp_documents.app_name
urlpatterns = [
    *skp_documents.urlpatterns,
    path(
        "penilaian/<int:evaluation_id>/dokumen.pdf",
        documents.evaluation_pdf,
        name="evaluation_pdf",
    ),
    path("penilaian/unduh/penilaian.xlsx", documents.ratings_xlsx, name="ratings_xlsx"),
]
