from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("pemberitahuan/", views.notifications, name="notifications"),
    path("pemberitahuan/dibaca/", views.notifications_read_all, name="notifications_read_all"),
    path("pemberitahuan/<int:pk>/dibaca/", views.notification_read, name="notification_read"),
]
