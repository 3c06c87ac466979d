from django.urls import path

from .views import accounts, acting, directory, employees, imports, overrides, profile, tree

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
    path("impor/", imports.import_start, name="import"),
    path("impor/templat.xlsx", imports.import_template, name="import_template"),
    path("impor/<uuid:job_id>/", imports.import_job, name="import_job"),
    path("impor/<uuid:job_id>/status/", imports.import_status, name="import_status"),
    path("ekspor/<str:fmt>/", imports.export, name="export"),
]
