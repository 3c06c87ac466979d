from django.urls import include, path

from kinerja.accounts import views as accounts_views
from kinerja.api import api
from kinerja.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("", include("kinerja.accounts.urls")),
    path("", include("kinerja.organizations.urls")),
    path("", include("kinerja.strategy.urls")),
    path("", include("kinerja.streams.urls")),
    path("", include("kinerja.skp.urls")),
    path("", include("kinerja.evaluations.urls")),
    path("", include("kinerja.core.urls")),
    path("", include("kinerja.portal.urls")),
]

handler403 = "kinerja.core.views.error_403"
handler404 = "kinerja.core.views.error_404"
handler500 = "kinerja.core.views.error_500"
