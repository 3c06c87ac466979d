"""Pages of service data: the administrator's pages for streams, service tokens and excluded
cases (``views_admin``), and the live dashboard of a stream."""

from django.urls import path

from . import views_admin, views_alerts, views_dashboard

app_name = "streams"

urlpatterns = [
    path("layanan/aliran/", views_admin.stream_list, name="list"),
    path("layanan/aliran/<str:code>/", views_admin.stream_detail, name="detail"),
    path("layanan/aliran/<str:code>/ubah/", views_admin.stream_edit, name="edit"),
    path("layanan/aliran/<str:code>/dikecualikan/", views_admin.exclusions, name="exclusions"),
    path(
        "layanan/aliran/<str:code>/dikecualikan/<int:pk>/akhiri/",
        views_admin.exclusion_end,
        name="exclusion_end",
    ),
    path("layanan/aliran/<str:code>/dasbor/", views_dashboard.dashboard, name="dashboard"),
    path(
        "layanan/aliran/<str:code>/dasbor/data/",
        views_dashboard.dashboard_data_view,
        name="dashboard_data",
    ),
    path("layanan/aliran/<str:code>/peringatan/", views_alerts.alert_rules, name="alerts"),
    path(
        "layanan/aliran/<str:code>/peringatan/baru/",
        views_alerts.alert_rule_create,
        name="alert_create",
    ),
    path(
        "layanan/aliran/<str:code>/peringatan/<int:pk>/ubah/",
        views_alerts.alert_rule_edit,
        name="alert_edit",
    ),
    path(
        "layanan/aliran/<str:code>/peringatan/<int:pk>/nonaktifkan/",
        views_alerts.alert_rule_deactivate_view,
        name="alert_deactivate",
    ),
    path("layanan/token/", views_admin.tokens, name="tokens"),
    path("layanan/token/<int:pk>/cabut/", views_admin.token_revoke, name="token_revoke"),
]
