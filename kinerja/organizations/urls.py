from django.urls import path

from . import views_import
from .views import accounts, acting, directory, employees, overrides, profile, tree

app_name = "organizations"

urlpatterns = [
    path("organisasi/", tree.tree, name="tree"),
    path("pegawai/", directory.directory, name="directory"),
    path("pegawai/saya/", profile.me, name="me"),
    path("pegawai/baru/", employees.employee_create, name="employee_create"),
    path("pegawai/<str:nip>/", profile.profile, name="profile"),
    path("pegawai/<str:nip>/ubah/", employees.employee_edit, name="employee_edit"),
    path("pegawai/<str:nip>/penilai/", overrides.rater_override, name="rater_override"),
    path("jabatan/<str:code>/plt/", acting.acting, name="acting"),
    path("akun/<str:username>/kata-sandi/", accounts.password_reset, name="password_reset"),
    path("akun/<str:username>/peran/", accounts.roles, name="roles"),
    path("impor/", views_import.import_start, name="import"),
    path("impor/templat.xlsx", views_import.import_template, name="import_template"),
    path("impor/<uuid:job_id>/", views_import.import_job, name="import_job"),
    path("impor/<uuid:job_id>/status/", views_import.import_status, name="import_status"),
    path("ekspor/<str:fmt>/", views_import.export, name="export"),
]
