from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreamsConfig(AppConfig):
    name = "kinerja.streams"
    label = "streams"
    verbose_name = _("Service data")
