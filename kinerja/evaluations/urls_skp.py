"""The plan's namespace (``skp:``) as the site mounts it: the plan's own pages
(:mod:`kinerja.skp.urls`) and "Kinerja saya" (``skp:mine``, ``/kinerja-saya/``), which shows a
plan with its evaluations and so is this app's (:mod:`.views.mine`)."""

from django.urls import path

from kinerja.skp import urls as skp_urls

from .views import mine

app_name = skp_urls.app_name
urlpatterns = [
    path("kinerja-saya/", mine.mine, name="mine"),
    *skp_urls.urlpatterns,
]
