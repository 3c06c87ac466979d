from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", views.sign_out, name="logout"),
    path("akun/<str:username>/kata-sandi/", views.password_reset, name="password_reset"),
    path("akun/<str:username>/peran/", views.roles, name="roles"),
]
