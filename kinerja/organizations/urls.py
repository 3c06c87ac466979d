from django.urls import path

from . import views, views_import

app_name = "organizations"

urlpatterns = [
    path("organisasi/", views.tree, name="tree"),
    path("pegawai/", views.directory, name="directory"),
    path("pegawai/saya/", views.me, name="me"),
    path("pegawai/baru/", views.employee_create, name="employee_create"),
    path("pegawai/<str:nip>/", views.profile, name="profile"),
    path("pegawai/<str:nip>/ubah/", views.employee_edit, name="employee_edit"),
    path("pegawai/<str:nip>/penilai/", views.rater_override, name="rater_override"),
    path("jabatan/<str:code>/plt/", views.acting, name="acting"),
    path("impor/", views_import.import_start, name="import"),
    path("impor/templat.xlsx", views_import.import_template, name="import_template"),
    path("impor/<uuid:job_id>/", views_import.import_job, name="import_job"),
    path("impor/<uuid:job_id>/status/", views_import.import_status, name="import_status"),
    path("ekspor/<str:fmt>/", views_import.export, name="export"),
]
