from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("pemberitahuan/", views.notifications, name="notifications"),
    path("pemberitahuan/dibaca/", views.notifications_read_all, name="notifications_read_all"),
    path("pemberitahuan/<int:pk>/dibaca/", views.notification_read, name="notification_read"),
]
