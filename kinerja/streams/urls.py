"""Pages of service data: the administrator's pages for streams, service tokens and excluded
cases (``views.admin``), and the live dashboard of a stream."""

from django.urls import path

from .views import admin, alerts, dashboard

app_name = "streams"

urlpatterns = [
    path("layanan/aliran/", admin.stream_list, name="list"),
    path("layanan/aliran/<str:code>/", admin.stream_detail, name="detail"),
    path("layanan/aliran/<str:code>/ubah/", admin.stream_edit, name="edit"),
    path("layanan/aliran/<str:code>/dikecualikan/", admin.exclusions, name="exclusions"),
    path(
        "layanan/aliran/<str:code>/dikecualikan/<int:pk>/akhiri/",
        admin.exclusion_end,
        name="exclusion_end",
    ),
    path("layanan/aliran/<str:code>/dasbor/", dashboard.dashboard, name="dashboard"),
    path(
        "layanan/aliran/<str:code>/dasbor/data/",
        dashboard.dashboard_data_view,
        name="dashboard_data",
    ),
    path("layanan/aliran/<str:code>/peringatan/", alerts.alert_rules, name="alerts"),
    path(
        "layanan/aliran/<str:code>/peringatan/baru/",
        alerts.alert_rule_create,
        name="alert_create",
    ),
    path(
        "layanan/aliran/<str:code>/peringatan/<int:pk>/ubah/",
        alerts.alert_rule_edit,
        name="alert_edit",
    ),
    path(
        "layanan/aliran/<str:code>/peringatan/<int:pk>/nonaktifkan/",
        alerts.alert_rule_deactivate_view,
        name="alert_deactivate",
    ),
    path("layanan/token/", admin.tokens, name="tokens"),
    path("layanan/token/<int:pk>/cabut/", admin.token_revoke, name="token_revoke"),
]
